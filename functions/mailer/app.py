"""Mailer function: sends queued mail requests through SES, reporting partial batch failures.

Each instance paces its SES calls at its share of the account's sending rate
(SES_SENDING_RATE / MAIL_MAX_CONCURRENCY, the event source's maximum concurrency). A record
that fails goes back to the queue, the rest of the batch is not retried. The message is
hidden until its next try: for a failure that passes with time (throttling, SES
unavailable, a decision still being written) exponentially longer with each receive; for
anything else briefly, so that after the queue's few receives it lands in the dead-letter
queue soon. (If this process dies, the queue's visibility timeout brings it back.)

What a request needs only when it is written and sent (Jinja, the mail context, MIME) is
imported then (``services.mailing``); the garbage collector rests while the function
starts (docs/performance.md). The records are read as the dictionaries Lambda hands over,
and the failed ones reported in Lambda's partial batch response (``batchItemFailures``):
Powertools' batch utility imports asyncio and every event source's class with it (about
25 ms of each cold start) for the four fields read here.
"""

# ruff: noqa: E402 - the collector is paused before the imports (docs/performance.md)
from __future__ import annotations

import gc

gc.disable()

import random
import time
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError

from registrar import runtime
from registrar.mail_queue import MailRequest
from registrar.observability import handler_metrics
from registrar.pacing import TokenBucket, burst_capacity, instance_rate
from registrar.services.mailing import MailerService, RetryPolicy, retry_delay
from registrar.ses import SendRefused

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()
rate = instance_rate(rt.settings.ses_sending_rate, rt.settings.mail_max_concurrency)
pacer = TokenBucket(rate, clock=time.monotonic, sleep=time.sleep, capacity=burst_capacity(rate))
retry_policy = RetryPolicy(rt.settings.mail_retry_base_seconds, rt.settings.mail_retry_max_seconds)
jitter = random.SystemRandom()


@cache
def sqs() -> SQSClient:
    client: SQSClient = runtime.aws_client("sqs")
    return client


def send(mailer: MailerService, record: dict[str, Any]) -> str:
    request = MailRequest.model_validate_json(record["body"])
    try:
        outcome = mailer.deliver(request)
    except Exception as error:
        metrics.add_metric(name="EmailSendFailures", unit=MetricUnit.Count, value=1)
        back_off(record, error)
        raise  # the handler lists the record as failed: the queue brings it back
    if outcome == "sent":
        metrics.add_metric(name="EmailsSent", unit=MetricUnit.Count, value=1)
    logger.info("mail request done", extra={"kind": request.kind, "outcome": outcome})
    return outcome


def back_off(record: dict[str, Any], error: Exception) -> None:
    """Hide the message until its next try is due."""
    receives = int(record["attributes"]["ApproximateReceiveCount"])
    delay = retry_delay(error, receives, retry_policy, jitter.random())
    code = error.code if isinstance(error, SendRefused) else type(error).__name__
    try:
        sqs().change_message_visibility(
            QueueUrl=rt.settings.mail_queue_url,
            ReceiptHandle=record["receiptHandle"],
            VisibilityTimeout=delay,
        )
    except ClientError as failure:
        # The queue's own visibility timeout still brings it back, only later.
        logger.warning(
            "could not delay the retry",
            extra={"code": failure.response.get("Error", {}).get("Code", "Unknown")},
        )
        return
    logger.warning(
        "mail request failed; retried later",
        extra={"code": code, "receives": receives, "delay": delay},
    )


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # One service per batch: the token secret is looked up once, not once per record.
    mailer = rt.mailer().paced_by(pacer)
    failed = []
    for record in event["Records"]:
        try:
            send(mailer, record)
        except Exception as error:
            logger.warning("mail request not done", extra={"error": type(error).__name__})
            failed.append({"itemIdentifier": record["messageId"]})
    # A batch whose every record failed is answered like any other (all records listed),
    # not raised: Lambda then retries exactly the listed records, after the delays set in
    # back_off.
    return {"batchItemFailures": failed}


# Start-up is over: what it built is permanent, so no collection need look at it again.
gc.freeze()
gc.enable()
