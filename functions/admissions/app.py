"""Admissions function: runs admissions for the deadline, the daily schedule or an organiser.

It also runs the two calendar mailings (``confirm_reminder``, ``program``), which need the
same access (applications, run lock, mail queue). The scheduler delivers at least once, so
scheduled triggers are made idempotent on the trigger and its scheduled time; organiser
runs (dry-run by default) always run.

A run that nears the invocation's time limit stops at a checkpoint and invokes this function
again, asynchronously, to go on with it (Lambda retries that invocation and sends one that
keeps failing to the failed-run queue, as for any run): a run of any size finishes.
"""

# ruff: noqa: E402 - the collector is paused before the imports (docs/performance.md)
from __future__ import annotations

import gc

gc.disable()

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.errors import DomainError
from registrar.observability import handler_metrics
from registrar.runs import AdmissionRun
from registrar.services.admissions_request import AdmissionsRequest, run_summary
from registrar.services.reminders import MAILING_TRIGGERS, MailingRequest
from registrar.store.idempotency import OncePerTrigger
from registrar.store.models import applications_connection

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient

# Stop at the next checkpoint once less than this is left: a checkpoint's writes, the run
# record and the hand-over take seconds, so a minute is ample.
CHECKPOINT_MARGIN_MS = 60_000
# A run that needs more invocations than this is not making progress (each writes for
# minutes): it stops and the next run completes it, as after a crash.
MAX_PARTS = 50

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()
# A scheduled trigger delivered again within a week is answered from its record.
TRIGGER_RECORD_SECONDS = 7 * 24 * 3600


@cache
def _once_per_trigger() -> OncePerTrigger:
    """The records of scheduled triggers, made at the first one, through pynamodb's
    DynamoDB client (registrar.store.idempotency)."""
    return OncePerTrigger(
        applications_connection().client,
        rt.settings.idempotency_table,
        expires_after_seconds=TRIGGER_RECORD_SECONDS,
    )


def _once(
    trigger: str, scheduled_time: str, context: LambdaContext, work: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """``work`` once per trigger and scheduled time (EventBridge Scheduler delivers at
    least once; Lambda retries a failed invocation, which then runs it again)."""
    return _once_per_trigger().run(
        f"{trigger}@{scheduled_time}", context.get_remaining_time_in_millis(), work
    )


@cache
def _lambda() -> LambdaClient:
    client: LambdaClient = runtime.aws_client("lambda")
    return client


def run(request: AdmissionsRequest, context: LambdaContext) -> dict[str, Any]:
    def time_is_short() -> bool:
        return context.get_remaining_time_in_millis() < CHECKPOINT_MARGIN_MS

    try:
        if request.continues:
            result = rt.admissions.continue_run(request.continues, time_is_short=time_is_short)
        else:
            result = rt.admissions.run(
                request.trigger,
                dry_run=request.dry_run,
                reason=request.reason,
                as_if_closed=request.as_if_closed,
                time_is_short=time_is_short,
            )
    except DomainError as error:
        logger.warning("admissions run refused", extra={"code": error.code})
        metrics.add_metric(name="AdmissionRunsRefused", unit=MetricUnit.Count, value=1)
        return {"ok": False, "error": error.code}
    if result.finished_at is None:
        return _continue_later(request, result, context)
    metrics.add_metric(name="AdmissionRuns", unit=MetricUnit.Count, value=1)
    logger.info(
        "admissions run finished",
        extra={"run_id": result.run_id, "changes": len(result.changes), "dry_run": result.dry_run},
    )
    return run_summary(result)


def _continue_later(
    request: AdmissionsRequest, stopped: AdmissionRun, context: LambdaContext
) -> dict[str, Any]:
    if request.part >= MAX_PARTS:
        logger.error("admissions run stopped for good", extra={"run_id": stopped.run_id})
        metrics.add_metric(name="AdmissionRunsUnfinished", unit=MetricUnit.Count, value=1)
        return {"ok": False, "error": "too_many_parts", "run": stopped.model_dump(mode="json")}
    following = request.continuation(stopped)
    _lambda().invoke(
        FunctionName=context.invoked_function_arn,
        InvocationType="Event",
        Payload=following.model_dump_json(exclude_defaults=True).encode(),
    )
    logger.info(
        "admissions run continues in a new invocation",
        extra={"run_id": stopped.run_id, "part": following.part},
    )
    return {**run_summary(stopped), "continues": following.part}


def scheduled_mailing(request: MailingRequest) -> dict[str, Any]:
    result = rt.mailings.run(request)
    logger.info(
        "scheduled mailing finished",
        extra={"trigger": result.trigger, "queued": result.queued, "skipped": result.skipped},
    )
    return result.summary()


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("trigger") in MAILING_TRIGGERS:
        mailing = MailingRequest.model_validate(event)
        if not mailing.scheduled_time:  # started by hand: repeat it if asked to
            return rt.mailings.run(mailing).summary()
        return _once(
            mailing.trigger, mailing.scheduled_time, context, lambda: scheduled_mailing(mailing)
        )
    request = AdmissionsRequest.model_validate(event)
    if request.trigger == "organiser" or request.continues:
        return run(request, context)
    return _once(request.trigger, request.scheduled_time, context, lambda: run(request, context))


# Start-up is over: what it built is permanent, so no collection need look at it again.
gc.freeze()
gc.enable()
