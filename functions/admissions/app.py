"""Admissions function: runs admissions for the deadline, the daily schedule or an organiser.

The scheduler delivers at least once, so scheduled triggers are made idempotent on the
trigger and its scheduled time; organiser runs (dry-run by default) always run.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.errors import DomainError
from registrar.services.admissions_request import AdmissionsRequest, run_summary

logger = Logger()
rt = runtime.current()
persistence = DynamoDBPersistenceLayer(table_name=rt.settings.idempotency_table)
once_per_trigger = IdempotencyConfig(
    event_key_jmespath="[trigger, scheduled_time]", expires_after_seconds=7 * 24 * 3600
)


@idempotent_function(
    data_keyword_argument="request", persistence_store=persistence, config=once_per_trigger
)
def scheduled_run(request: dict[str, Any]) -> dict[str, Any]:
    return run(AdmissionsRequest.model_validate(request))


def run(request: AdmissionsRequest) -> dict[str, Any]:
    try:
        result = rt.admissions.run(
            request.trigger, dry_run=request.dry_run, seed=request.seed, reason=request.reason
        )
    except DomainError as error:
        logger.warning("admissions run refused", extra={"code": error.code})
        return {"ok": False, "error": error.code}
    logger.info(
        "admissions run finished",
        extra={"run_id": result.run_id, "changes": len(result.changes), "dry_run": result.dry_run},
    )
    return run_summary(result)


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = AdmissionsRequest.model_validate(event)
    once_per_trigger.register_lambda_context(context)  # type: ignore[attr-defined]
    if request.trigger == "organiser":
        return run(request)
    return scheduled_run(request=request.model_dump(mode="json"))
