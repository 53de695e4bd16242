"""Mailer function: sends queued mail requests through SES, reporting partial batch failures.

A record that raises goes back to the queue (visibility timeout as backoff) and after a
few receives to the dead-letter queue; the rest of the batch is not retried.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.mail_queue import MailRequest

logger = Logger()
rt = runtime.current()
processor = BatchProcessor(event_type=EventType.SQS)


def send(record: SQSRecord) -> str:
    request = MailRequest.model_validate_json(record.body)
    outcome = rt.mailer().deliver(request)
    logger.info("mail request done", extra={"kind": request.kind, "outcome": outcome})
    return outcome


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=send, processor=processor, context=context
    )
