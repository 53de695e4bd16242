"""The template's stack on moto, as the integration tests deploy it: the real handlers,
called the way Lambda calls them, each AWS call they make checked against their role.

The fixtures that build it live in tests/integration/conftest.py (``deployed``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import boto3
from botocore.client import BaseClient

from registrar.clock import SettableClock
from registrar.web.http import ORIGIN_VERIFY_HEADER
from registrar_local.edge import ORIGIN_VERIFY_SECRET
from registrar_local.functions import Handler, invoke
from registrar_local.infra.provision import ProvisionedStack
from registrar_local.streams import StreamPump
from tests.support.roles import is_allowed

EVENTS = Path(__file__).resolve().parents[2] / "events"
REGION = "eu-central-1"
API_FUNCTION: Final = "ApiFunction"
WRITTEN_FOR: Final = {"botocore": "1.44.8"}


def load_event(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))
    return event


# -- every AWS call a handler makes, checked against its deployed role ---------------------
# (tests/integration/conftest.py puts recording_make_api_call in place for every test.)
# BaseClient._make_api_call is botocore's own: written for the version in WRITTEN_FOR.
# While a handler runs through Deployed.call, each botocore API call (boto3 and pynamodb
# both end in BaseClient._make_api_call; moto answers below it) is recorded as the IAM
# action it needs (`<signing name>:<operation>`, e.g. sesv2 SendEmail -> ses:SendEmail).
# After the call, every recorded action must be allowed by the function's role as
# samtranslator expands it from infra/template.yaml (tests/unit/test_template_policies).
# moto enforces no IAM here, so a missing permission would otherwise surface only in AWS.
# Deterministic: the same tests make the same calls; only resources are not checked here
# (the static tests prove each statement is scoped to the stack's own resources).
_invoking: list[str] = []
_original_make_api_call = BaseClient._make_api_call
# SQS authorises its batch operations as the single action: IAM has no
# sqs:SendMessageBatch (a policy naming it grants nothing).
# DynamoDB authorises each item of a transaction as its own action (the api's transaction,
# a seat passed to a substitute, is two conditional puts).
_IAM_ACTION_OF_OPERATION = {
    "dynamodb:TransactWriteItems": "dynamodb:PutItem",
    "sqs:SendMessageBatch": "sqs:SendMessage",
    "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
    # Lambda's Invoke operation is authorised as lambda:InvokeFunction.
    "lambda:Invoke": "lambda:InvokeFunction",
}


def recording_make_api_call(client: BaseClient, operation_name: str, api_params: Any) -> Any:
    if _invoking:
        operation = f"{client.meta.service_model.signing_name}:{operation_name}"
        action = _IAM_ACTION_OF_OPERATION.get(operation, operation)
        _recorded.setdefault(_invoking[-1], set()).add(action)
    return _original_make_api_call(client, operation_name, api_params)


_recorded: dict[str, set[str]] = {}


@contextmanager
def checking_permissions(function_id: str) -> Iterator[None]:
    _recorded.pop(function_id, None)
    _invoking.append(function_id)
    try:
        yield
    finally:
        _invoking.pop()
    actions = _recorded.pop(function_id, set())
    denied = sorted(a for a in actions if not is_allowed(function_id, a))
    assert not denied, f"{function_id} calls {denied}, which its role does not allow"


@dataclass
class Deployed:
    stack: ProvisionedStack
    clock: SettableClock
    streams: StreamPump
    handlers: dict[str, Handler] = field(default_factory=dict)

    origin_verify: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Read once, before any test records AWS calls: the entry's header value.
        secrets = boto3.client("secretsmanager", region_name=REGION)
        secret_id = str(self.stack.refs[ORIGIN_VERIFY_SECRET])
        self.origin_verify = str(secrets.get_secret_value(SecretId=secret_id)["SecretString"])

    def call(self, function_id: str, event: dict[str, Any], *, via_entry: bool = True) -> Any:
        """Invoke a handler; the api's requests come through the public entry, which adds
        its origin header (CloudFront's in AWS), unless ``via_entry`` is False."""
        if function_id == API_FUNCTION and via_entry and "requestContext" in event:
            event.setdefault("headers", {})[ORIGIN_VERIFY_HEADER] = self.origin_verify
        with checking_permissions(function_id):
            return invoke(self.handlers[function_id], function_id, event)

    def pump_streams(self) -> int:
        """Hand new stream records to their functions, as Lambda's event source mapping."""
        return self.streams.pump(self.call)

    def sqs(self) -> Any:
        return boto3.client("sqs", region_name=REGION)

    def queued(self) -> list[dict[str, Any]]:
        """Every request on the mail queue now (received, so hidden from the next look)."""
        sqs, url = self.sqs(), self.stack.outputs["MailQueueUrl"]
        found: list[dict[str, Any]] = []
        while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            found.extend(json.loads(m["Body"]) for m in messages)
        return found
