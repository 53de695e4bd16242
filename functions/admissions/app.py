"""Admissions function: runs admissions for the deadline, the daily schedule or an organiser.

It also runs the two calendar mailings (``confirm_reminder``, ``program``), which need the
same access (applications, run lock, mail queue). The scheduler delivers at least once, so
scheduled triggers are made idempotent on the trigger and its scheduled time; organiser
runs (dry-run by default) always run.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.errors import DomainError
from registrar.observability import handler_metrics
from registrar.services.admissions_request import AdmissionsRequest, run_summary
from registrar.services.reminders import MAILING_TRIGGERS, MailingRequest

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
tracer = Tracer()
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
            request.trigger,
            dry_run=request.dry_run,
            reason=request.reason,
            as_if_closed=request.as_if_closed,
        )
    except DomainError as error:
        logger.warning("admissions run refused", extra={"code": error.code})
        metrics.add_metric(name="AdmissionRunsRefused", unit=MetricUnit.Count, value=1)
        return {"ok": False, "error": error.code}
    metrics.add_metric(name="AdmissionRuns", unit=MetricUnit.Count, value=1)
    logger.info(
        "admissions run finished",
        extra={"run_id": result.run_id, "changes": len(result.changes), "dry_run": result.dry_run},
    )
    return run_summary(result)


@idempotent_function(
    data_keyword_argument="request", persistence_store=persistence, config=once_per_trigger
)
def scheduled_mailing(request: dict[str, Any]) -> dict[str, Any]:
    result = rt.mailings.run(MailingRequest.model_validate(request))
    logger.info(
        "scheduled mailing finished",
        extra={"trigger": result.trigger, "queued": result.queued, "skipped": result.skipped},
    )
    return result.summary()


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    once_per_trigger.register_lambda_context(context)  # type: ignore[attr-defined]
    if event.get("trigger") in MAILING_TRIGGERS:
        mailing = MailingRequest.model_validate(event)
        if not mailing.scheduled_time:  # started by hand: repeat it if asked to
            return rt.mailings.run(mailing).summary()
        return scheduled_mailing(request=mailing.model_dump(mode="json"))
    request = AdmissionsRequest.model_validate(event)
    if request.trigger == "organiser":
        return run(request)
    return scheduled_run(request=request.model_dump(mode="json"))
