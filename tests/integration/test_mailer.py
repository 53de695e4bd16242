"""The mailer function on moto: what SES received, parsed back; stale and duplicate requests.

The handler is the one the template names, fed SQS events shaped like
``events/sqs-mail-receipt.json``; what it sent is read back from moto's SES backend and
parsed with the standard library. Its pacer runs on a fake clock (no real sleeping).
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
from urllib.parse import unquote

import boto3
import icalendar
import pytest
from botocore.exceptions import ClientError

from registrar import runtime
from registrar.application import Application
from registrar.conference import Conference
from registrar.identity import applicant_key
from registrar.mail.compose import sample_application
from registrar.mail.context import NEEDS
from registrar.mail_queue import MAIL_KINDS, MailKind, MailRequest, SqsMailQueue
from registrar.pacing import TokenBucket, instance_rate
from registrar.store.dynamo import DynamoApplications
from registrar.store.models import MessageItem
from registrar.tokens import TokenSigner
from registrar_local.events import sqs_event
from tests.integration.conftest import REGION, Deployed, load_event

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


# ---------------------------------------------------------------- helpers (shared)


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


def token_signer(deployed: Deployed) -> TokenSigner:
    secret = boto3.client("secretsmanager", region_name=REGION).get_secret_value(
        SecretId=deployed.stack.outputs["TokenSecretArn"]
    )
    return TokenSigner(secret["SecretString"])


def queue_urls(deployed: Deployed) -> tuple[str, str]:
    return deployed.stack.outputs["MailQueueUrl"], deployed.stack.outputs["MailDeadLetterQueueUrl"]


@pytest.fixture
def fake_time(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """The mailer's pacer, at its configured rate, on a clock that does not really sleep."""
    time = FakeTime()
    module = mailer_module(deployed)
    rate = module.pacer.rate
    monkeypatch.setattr(module, "pacer", TokenBucket(rate, clock=time.clock, sleep=time.sleep))
    return time


# ---------------------------------------------------------------- every kind on the wire


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_kind_arrives_as_parsable_mime_with_valid_signed_links(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    language: str,
) -> None:
    now = deployed.clock.now()
    applications = {
        kind: store_application(conference, kind, number, now, language)
        for number, kind in enumerate(MAIL_KINDS, start=1)
    }
    requests = {kind: request_for(kind, application) for kind, application in applications.items()}

    response = deployed.call("MailerFunction", records_event(list(requests.values())))

    assert response == {"batchItemFailures": []}
    messages = {message["X-Registrar-Kind"]: message for message in sent_messages()}
    assert set(messages) == set(MAIL_KINDS)
    signer = token_signer(deployed)
    for kind, message in messages.items():
        application = applications[kind]
        assert message["To"].addresses[0].addr_spec == application.email, kind
        assert message["Content-Language"] == language, kind
        assert message_id_of(message) == requests[kind].message_id, kind
        assert message["Reply-To"].addresses[0].addr_spec == conference.organiser.contact_email
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert plain is not None and html is not None, kind
        text, markup = plain.get_content(), html.get_content()
        if kind != "already_registered":  # written to whoever typed the address: no name
            assert "Müller-Weiß" in text, kind  # umlauts intact through MIME
        links = LINK.findall(text)
        purposes = {purpose for purpose, _ in links}
        needs = NEEDS[kind]
        assert ("confirm" in purposes) == ("confirm_url" in needs), kind
        assert ("manage" in purposes) == ("manage_url" in needs), kind
        for purpose, token in links:
            claims = signer.verify(unquote(token), purpose=purpose, event_id=conference.id, now=now)
            assert claims.applicant_key == application.applicant_key, kind
            assert token in markup, f"{kind}: the HTML part carries the same link"
        stored = MessageItem.get(requests[kind].message_id)
        assert stored.state == "sent" and stored.provider_id, kind


def test_the_programme_carries_a_calendar_in_summer_time(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    now = conference.closes_at + dt.timedelta(days=20)
    deployed.clock.set(now)
    participant = store_application(conference, "program", 1, now)
    assert (
        deployed.call("MailerFunction", records_event([request_for("program", participant)]))[
            "batchItemFailures"
        ]
        == []
    )
    (message,) = sent_messages()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    starts = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert starts
    for start in starts:
        assert start.utcoffset() == dt.timedelta(hours=2)  # CEST in May
    first_slot = conference.workshop_slots[0]
    assert conference.at(first_slot.date, first_slot.start) in starts


def test_each_message_is_tagged_with_what_leads_back_to_the_application(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spy = spy_on_ses(monkeypatch)
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    deployed.call("MailerFunction", records_event([request_for("accepted", application)]))
    assert spy.tags == [
        {"kind": "accepted", "event": conference.id, "applicant": application.applicant_key}
    ]
    for value in spy.tags[0].values():  # SES allows only these characters in tag values
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value)
    assert application.email not in str(spy.tags)


# ---------------------------------------------------------------- what must not be sent


def test_stale_and_superseded_requests_are_not_sent(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    now = deployed.clock.now()
    moved_on = store_application(conference, "accepted", 1, now, decision_version=2)
    confirmed = store_application(conference, "receipt", 2, now, confirmed_at=now)
    declined = store_application(conference, "declined", 3, now)
    bounced = store_application(conference, "accepted", 4, now, undeliverable=True)
    current = request_for("accepted", moved_on)
    requests = [
        request_for("accepted", moved_on, version=1),  # an older decision
        request_for("waitlisted", moved_on),  # the status it no longer has
        request_for("confirm_reminder", confirmed),  # confirmed since it was queued
        request_for("program", declined),  # not a participant any more
        request_for("accepted", bounced),  # the address bounced
        current,
    ]

    response = deployed.call("MailerFunction", records_event(requests))

    assert response == {"batchItemFailures": []}
    assert [message_id_of(m) for m in sent_messages()] == [current.message_id]


def test_a_reminder_that_arrives_after_the_deadline_is_dropped(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    now = deployed.clock.now()
    unconfirmed = store_application(conference, "confirm_reminder", 1, now)
    deployed.clock.set(conference.deadline + dt.timedelta(minutes=1))
    response = deployed.call(
        "MailerFunction", records_event([request_for("confirm_reminder", unconfirmed)])
    )
    assert response == {"batchItemFailures": []}
    assert sent_messages() == []


def test_a_request_ahead_of_its_stored_decision_waits_and_is_not_sent(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    ahead = request_for("accepted", application, version=application.decision_version + 1)
    event = records_event([ahead])
    response = deployed.call("MailerFunction", event)
    assert failed_ids(response) == {event["Records"][0]["messageId"]}
    assert sent_messages() == []


def test_duplicated_records_are_sent_once(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    now = deployed.clock.now()
    first = request_for("receipt", store_application(conference, "receipt", 1, now))
    second = request_for("accepted", store_application(conference, "accepted", 2, now))
    # The same request three times in one batch, and the whole batch again later.
    batch = records_event([first, first, second, first])
    assert deployed.call("MailerFunction", batch) == {"batchItemFailures": []}
    assert deployed.call("MailerFunction", batch) == {"batchItemFailures": []}
    sent = sorted(message_id_of(m) for m in sent_messages())
    assert sent == sorted([first.message_id, second.message_id])


# ---------------------------------------------------------------- pacing and backoff


def test_each_instance_paces_itself_at_its_share_of_the_account_rate(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    environment = deployed.stack.function_environment("MailerFunction")
    share = instance_rate(
        float(environment["SES_SENDING_RATE"]), int(environment["MAIL_MAX_CONCURRENCY"])
    )
    assert share == 5  # the template's defaults: 10 per second over 2 instances
    assert mailer_module(deployed).pacer.rate == share
    now = deployed.clock.now()
    requests = [
        request_for("accepted", store_application(conference, "accepted", number, now))
        for number in range(1, 11)
    ]
    assert deployed.call("MailerFunction", records_event(requests)) == {"batchItemFailures": []}
    assert len(sent_messages()) == 10
    # ten messages at five per second: nine gaps of 0.2 s
    assert fake_time.now == pytest.approx(9 / share)


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


def test_a_throttled_message_is_hidden_for_a_growing_time_then_sent_once(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, _ = queue_urls(deployed)
    visibility = spy_on_visibility(deployed, monkeypatch)
    ses = spy_on_ses(monkeypatch, throttle=1.0)
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    request = request_for("accepted", application)
    SqsMailQueue(deployed.sqs, url).enqueue([request])

    delays = []
    for attempt in range(1, 4):
        messages = receive(deployed, url)
        assert len(messages) == 1
        assert messages[0]["Attributes"]["ApproximateReceiveCount"] == str(attempt)
        response = invoke_with(deployed, messages)
        assert failed_ids(response) == {messages[0]["MessageId"]}
        (delay,) = visibility.delays[messages[0]["ReceiptHandle"]]
        delays.append(delay)
        assert receive(deployed, url) == []  # hidden for its backoff
        let_time_pass(deployed, url, iter(messages))
    # base 30 s, doubling; jitter keeps each in the upper half
    for attempt, delay in enumerate(delays, start=1):
        assert 15 * 2 ** (attempt - 1) <= delay <= 30 * 2 ** (attempt - 1)
    assert ses.failures == {"Throttling": 3}
    assert sent_messages() == []
    with pytest.raises(MessageItem.DoesNotExist):
        MessageItem.get(request.message_id)  # the claim was given back each time

    ses.throttle = 0.0
    messages = receive(deployed, url)
    assert invoke_with(deployed, messages) == {"batchItemFailures": []}
    assert [message_id_of(m) for m in sent_messages()] == [request.message_id]


def test_a_refused_message_lands_in_the_dead_letter_queue_after_five_tries(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, dead_letters = queue_urls(deployed)
    visibility = spy_on_visibility(deployed, monkeypatch)
    ses = spy_on_ses(monkeypatch, refuse="MessageRejected")
    application = store_application(conference, "accepted", 1, deployed.clock.now())
    request = request_for("accepted", application)
    SqsMailQueue(deployed.sqs, url).enqueue([request])

    tries = 0
    while messages := receive(deployed, url):
        tries += 1
        assert failed_ids(invoke_with(deployed, messages)) == {messages[0]["MessageId"]}
        # a lasting failure comes back after the base delay, not a growing one
        assert visibility.delays[messages[0]["ReceiptHandle"]] == [30]
        let_time_pass(deployed, url, iter(messages))

    assert tries == 5  # the queue's maxReceiveCount
    assert ses.failures == {"MessageRejected": 5}
    (dead,) = receive(deployed, dead_letters)
    assert MailRequest.model_validate_json(dead["Body"]) == request
    assert sent_messages() == []
