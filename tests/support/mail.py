"""The mail path on moto, for the tests that drive it: stored applicants, mail requests in
SQS events, SES as the mailer sees it (a spy that can fail on purpose) and what it sent.

Use inside the integration tests' ``deployed`` stack (tests/integration/conftest.py), which
also offers the ``fake_time`` fixture: the mailer's pacer on a clock that never sleeps.
"""

from __future__ import annotations

import copy
import datetime as dt
import email
import email.policy
import hashlib
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from registrar import runtime
from registrar.application import Application
from registrar.conference import Conference
from registrar.mail.compose import sample_application
from registrar.mail_queue import MailKind, MailRequest
from registrar.store.dynamo import DynamoApplications
from registrar.tokens import Purpose, TokenClaims, TokenSigner
from registrar_local.events import sqs_event
from tests.support.keys import applicant_key
from tests.support.stack import REGION, Deployed, load_event

BASE_URL = "https://registrar.example.org"
LINK = re.compile(rf"{re.escape(BASE_URL)}/(confirm|manage)\?token=([A-Za-z0-9_.%-]+)")
DECISION_KINDS = frozenset(
    {
        "accepted",
        "offered",
        "waitlisted",
        "not_admitted",
        "offer_expired",
        "declined",
        "withdrawn",
        "cancelled",
    }
)


class FakeTime:
    """The pacer's clock: moves only when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class SesSpy:
    """Stands in for the SES v2 client: fails some calls on purpose, sends the rest via moto.

    ``throttle`` and ``transient`` are the shares of calls answered with Throttling and
    ServiceUnavailable (drawn from a seeded generator); ``refuse`` refuses every call;
    ``outage_for`` answers ServiceUnavailable to every call for those applicant keys.
    """

    client: Any
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    throttle: float = 0.0
    transient: float = 0.0
    refuse: str | None = None
    outage_for: frozenset[str] = frozenset()
    calls: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    tags: list[dict[str, str]] = field(default_factory=list)

    def _fail(self, code: str) -> None:
        self.failures[code] = self.failures.get(code, 0) + 1
        raise ClientError({"Error": {"Code": code, "Message": "injected"}}, "SendEmail")

    def send_email(self, **kwargs: Any) -> Any:
        self.calls += 1
        roll = self.rng.random()
        if self.refuse:
            self._fail(self.refuse)
        tags = {tag["Name"]: tag["Value"] for tag in kwargs["EmailTags"]}
        if tags.get("applicant") in self.outage_for:
            self._fail("ServiceUnavailable")
        if roll < self.throttle:
            self._fail("Throttling")
        if roll < self.throttle + self.transient:
            self._fail("ServiceUnavailable")
        response = self.client.send_email(**kwargs)
        self.tags.append({tag["Name"]: tag["Value"] for tag in kwargs["EmailTags"]})
        return response


def mailer_module(deployed: Deployed) -> ModuleType:
    return sys.modules[deployed.handlers["MailerFunction"].__module__]


def spy_on_ses(monkeypatch: pytest.MonkeyPatch, **faults: Any) -> SesSpy:
    rt = runtime.current()
    spy = SesSpy(rt._sesv2, **faults)
    monkeypatch.setattr(rt, "_sesv2", spy)
    return spy


def sent_messages() -> list[EmailMessage]:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    parsed = []
    for message in backend.sent_messages:
        raw = message.raw_data
        data = raw.encode() if isinstance(raw, str) else raw
        parsed.append(email.message_from_bytes(data, policy=email.policy.default))
    return parsed


def message_id_of(message: EmailMessage) -> str:
    return str(message["Message-ID"]).strip("<>").partition("@")[0]


def store_application(
    conference: Conference,
    kind: MailKind,
    number: int,
    now: dt.datetime,
    language: str = "de",
    **changes: Any,
) -> Application:
    """A clearly fake applicant in the state ``kind`` is written for, stored in DynamoDB."""
    address = f"teilnehmer.{number}@example.org"
    application = sample_application(conference, language, now, kind=kind).model_copy(
        update={
            "email": address,
            "applicant_key": applicant_key(conference.id, address),
            "public_id": f"R-TEST-{number:04d}",
            "given_name": "Jörg",
            "family_name": "Müller-Weiß",
            **changes,
        }
    )
    repository = DynamoApplications()
    assert repository.add(application)
    stored = repository.get(conference.id, application.applicant_key)
    assert stored is not None
    return stored


def request_for(
    kind: MailKind, application: Application, version: int | None = None
) -> MailRequest:
    if version is None:
        version = application.decision_version if kind in DECISION_KINDS else 0
    return MailRequest.create(kind, application.event_id, application.applicant_key, version)


def records_event(requests: Sequence[MailRequest]) -> dict[str, Any]:
    """An SQS event like events/sqs-mail-receipt.json, one record per request."""
    template = load_event("sqs-mail-receipt")["Records"][0]
    records = []
    for index, request in enumerate(requests):
        record = copy.deepcopy(template)
        body = request.model_dump_json()
        record.update(
            messageId=f"00000000-0000-4000-8000-{index:012d}",
            receiptHandle=f"handle-{index}",
            body=body,
            md5OfBody=hashlib.md5(body.encode(), usedforsecurity=False).hexdigest(),
        )
        records.append(record)
    return {"Records": records}


def failed_ids(response: dict[str, Any]) -> set[str]:
    return {failure["itemIdentifier"] for failure in response["batchItemFailures"]}


def link_token(
    deployed: Deployed, purpose: Purpose, event_id: str, key: str, until: dt.datetime
) -> str:
    """A link's token as the mailer signs it, for the application stored under ``key``
    (or, if there is none, for an application that does not exist)."""
    stored = DynamoApplications().get(event_id, key)
    application = stored.public_id if stored is not None else "R-NONE-XIST"
    claims = TokenClaims(purpose, event_id, key, application, until)
    return token_signer(deployed).issue(claims, now=deployed.clock.now())


def token_signer(deployed: Deployed) -> TokenSigner:
    secret = boto3.client("secretsmanager", region_name=REGION).get_secret_value(
        SecretId=deployed.stack.outputs["TokenSecretArn"]
    )
    return TokenSigner(secret["SecretString"])


def queue_urls(deployed: Deployed) -> tuple[str, str]:
    return deployed.stack.outputs["MailQueueUrl"], deployed.stack.outputs["MailDeadLetterQueueUrl"]


@dataclass
class VisibilitySpy:
    """The mailer's SQS client, recording how long it hides each failed message."""

    client: Any
    delays: dict[str, list[int]] = field(default_factory=dict)

    def change_message_visibility(self, **kwargs: Any) -> Any:
        self.delays.setdefault(kwargs["ReceiptHandle"], []).append(kwargs["VisibilityTimeout"])
        return self.client.change_message_visibility(**kwargs)


def spy_on_visibility(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> VisibilitySpy:
    spy = VisibilitySpy(boto3.client("sqs", region_name=REGION))
    monkeypatch.setattr(mailer_module(deployed), "sqs", lambda: spy)
    return spy


def receive(deployed: Deployed, url: str) -> list[dict[str, Any]]:
    return (
        deployed.sqs()
        .receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])
        .get("Messages", [])
    )


def invoke_with(deployed: Deployed, messages: list[dict[str, Any]]) -> dict[str, Any]:
    queue_arn = deployed.stack.getatts[("MailQueue", "Arn")]
    response: dict[str, Any] = deployed.call("MailerFunction", sqs_event(messages, queue_arn))
    return response


def let_time_pass(deployed: Deployed, url: str, messages: Iterator[dict[str, Any]]) -> None:
    """What the backoff waits for, without waiting: make hidden messages visible again."""
    for message in messages:
        deployed.sqs().change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )


def drain(deployed: Deployed) -> None:
    """Queue new applications' receipts, then hand every queued request to the mailer."""
    deployed.pump_streams()
    sqs, url = deployed.sqs(), deployed.stack.outputs["MailQueueUrl"]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        requests = [MailRequest.model_validate_json(m["Body"]) for m in messages]
        response = deployed.call("MailerFunction", records_event(requests))
        assert response["batchItemFailures"] == []
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
