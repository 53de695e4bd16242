"""Receipts function: registers each received submission and queues each new application's
receipt, from the table's stream.

The event source mapping passes only inserts (``FilterCriteria`` in the template); anything
else that arrives is skipped all the same. The stream carries keys only: a submission as
the API received it is registered (``services.intake``: the application, or a notice to the
one registered), and the insert of a new application brings its receipt
(``services.receipts``, the batch's applications read together). A batch not wholly done
(the mail queue refused) is answered with the first record not done, and Lambda retries
from there: every step is safe to repeat.

The records are read as the dictionaries Lambda hands over (the keys are strings, ``S``
in DynamoDB's notation): Powertools' event classes would load every event source's class
with them (about 30 ms of each cold start) for the three fields read here. The garbage
collector rests while the function starts (docs/performance.md).
"""

# ruff: noqa: E402 - the collector is paused before the imports (docs/performance.md)
from __future__ import annotations

import gc

gc.disable()

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.identity import is_received_key
from registrar.observability import handler_metrics
from registrar.services.intake import register
from registrar.services.receipts import NewApplication, queue_receipts

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()


def inserts(event: dict[str, Any]) -> list[NewApplication]:
    """The inserts of a stream batch, in stream order (anything else is skipped)."""
    found = []
    for record in event.get("Records") or []:
        stream = record.get("dynamodb")
        if record.get("eventName") != "INSERT" or not stream:
            continue
        keys = stream["Keys"]
        found.append(
            NewApplication(
                str(stream["SequenceNumber"]),
                keys["event_id"]["S"],
                keys["applicant_key"]["S"],
            )
        )
    return found


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = inserts(event)
    received = [r for r in records if is_received_key(r.applicant_key)]
    new = [r for r in records if not is_received_key(r.applicant_key)]
    retry_from = [r.sequence_number for r in _register(received)]
    outcome = queue_receipts(new, rt.applications, rt.mail_queue)
    metrics.add_metric(name="ReceiptsQueued", unit=MetricUnit.Count, value=outcome.queued)
    if outcome.unreadable:
        # Nothing to mail and nothing to retry; a person should look at the table.
        logger.warning(
            "items on the stream are no application", extra={"count": outcome.unreadable}
        )
        metrics.add_metric(
            name="ReceiptsUnreadable", unit=MetricUnit.Count, value=outcome.unreadable
        )
    if outcome.retry_from is not None:
        retry_from.append(outcome.retry_from)
    if not retry_from:
        logger.info("receipts queued", extra={"queued": outcome.queued})
        return {"batchItemFailures": []}
    logger.warning(
        "mail queue unavailable; the rest of the batch is retried",
        extra={"queued": outcome.queued, "records": len(records)},
    )
    # From the earliest record not done: everything after it is safe to do again.
    return {"batchItemFailures": [{"itemIdentifier": min(retry_from, key=int)}]}


def _register(received: list[NewApplication]) -> list[NewApplication]:
    """Register the received submissions; the one not done (the queue failed), if any."""
    if not received:
        return []
    submissions = rt.applications.received_many((r.event_id, r.applicant_key) for r in received)
    outcome = register(submissions, rt.applications, rt.mail_queue)
    metrics.add_metric(
        name="ApplicationsRegistered", unit=MetricUnit.Count, value=outcome.registered
    )
    metrics.add_metric(name="RepeatedSubmissions", unit=MetricUnit.Count, value=outcome.repeats)
    stopped = outcome.stopped_at
    if stopped is None:
        return []
    return [r for r in received if r.applicant_key == stopped.key][:1]


# Start-up is over: what it built is permanent, so no collection need look at it again.
gc.freeze()
gc.enable()
