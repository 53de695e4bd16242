"""Receipts function: queues the receipt email of each new application, from the table's stream.

The event source mapping passes only inserts (``FilterCriteria`` in the template); anything
else that arrives is skipped all the same. The stream carries keys only: the service reads
the batch's applications together (``services.receipts``). A batch the mail queue did not
wholly take is answered with the first record not queued, and Lambda retries from there.

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
from registrar.observability import handler_metrics
from registrar.services.receipts import NewApplication, queue_receipts

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()


def new_applications(event: dict[str, Any]) -> list[NewApplication]:
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
    new = new_applications(event)
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
    if outcome.retry_from is None:
        logger.info("receipts queued", extra={"queued": outcome.queued})
        return {"batchItemFailures": []}
    logger.warning(
        "mail queue unavailable; the rest of the batch is retried",
        extra={"queued": outcome.queued, "records": len(new)},
    )
    return {"batchItemFailures": [{"itemIdentifier": outcome.retry_from}]}


# Start-up is over: what it built is permanent, so no collection need look at it again.
gc.freeze()
gc.enable()
