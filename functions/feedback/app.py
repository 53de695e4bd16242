"""Feedback function: SES's bounce, complaint, delivery and reject events, via EventBridge.

A permanent bounce or a complaint marks the application undeliverable (found by the
message's ``event`` and ``applicant`` tags); the mailer sends nothing more to it and
``registrar status`` counts it. The rules' input transformers (infra/template.yaml) hand
over only the event type, message id, tags and bounce or complaint type: no recipient's
address reaches the function, its logs or its dead-letter queue.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import event_parser
from aws_lambda_powertools.utilities.typing import LambdaContext

from registrar import runtime
from registrar.observability import handler_metrics
from registrar.services.mailing import DeliveryFeedback
from registrar.ses import SesEvent

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()


@logger.inject_lambda_context
@metrics.log_metrics
@event_parser(model=SesEvent)
def lambda_handler(event: SesEvent, context: LambdaContext) -> dict[str, Any]:
    outcome = DeliveryFeedback(rt.conference, rt.applications, rt.clock).record(event)
    if outcome == "marked":
        metrics.add_metric(name="AddressesMarkedUndeliverable", unit=MetricUnit.Count, value=1)
    logger.info(
        "ses event handled",
        extra={"event_type": event.event_type, "kind": event.tag("kind"), "outcome": outcome},
    )
    return {"event_type": event.event_type, "outcome": outcome}
