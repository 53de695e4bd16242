"""Receipts function: queues the receipt email of each new application, from the table's stream.

The event source mapping passes only inserts (``FilterCriteria`` in the template); anything
else that arrives is skipped all the same. The stream carries keys only: the service reads
the batch's applications together (``services.receipts``). A batch the mail queue did not
wholly take is answered with the first record not queued, and Lambda retries from there.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent, event_source
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecordEventName,
)
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.observability import handler_metrics
from registrar.services.receipts import NewApplication, queue_receipts

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()


def new_applications(event: DynamoDBStreamEvent) -> list[NewApplication]:
    found = []
    for record in event.records:
        stream = record.dynamodb
        if record.event_name != DynamoDBRecordEventName.INSERT or stream is None:
            continue
        keys = stream.keys
        found.append(
            NewApplication(str(stream.sequence_number), keys["event_id"], keys["applicant_key"])
        )
    return found


@logger.inject_lambda_context
@metrics.log_metrics
@event_source(data_class=DynamoDBStreamEvent)
def lambda_handler(event: DynamoDBStreamEvent, context: LambdaContext) -> dict[str, Any]:
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
