"""The mailer function on moto: what SES received, parsed back; stale and duplicate requests.

The handler is the one the template names, fed SQS events shaped like
``events/sqs-mail-receipt.json``; what it sent is read back from moto's SES backend and
parsed with the standard library. Its pacer runs on a fake clock (no real sleeping).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

import icalendar
import pytest

from registrar.conference import Conference
from registrar.mail.context import NEEDS
from registrar.mail_queue import MAIL_KINDS, MailRequest, SqsMailQueue
from registrar.pacing import instance_rate
from registrar.store.models import MessageItem
from tests.support.mail import (
    LINK,
    FakeTime,
    failed_ids,
    invoke_with,
    let_time_pass,
    mailer_module,
    message_id_of,
    queue_urls,
    receive,
    records_event,
    request_for,
    sent_messages,
    spy_on_ses,
    spy_on_visibility,
    store_application,
    token_signer,
)
from tests.support.stack import Deployed

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
        # Written to whoever typed the address (a duplicate's notice, or an address not
        # confirmed yet): nothing the applicant typed, not even the name.
        if application.confirmed and kind != "already_registered":
            assert "Müller-Weiß" in text, kind  # umlauts intact through MIME
        else:
            assert "Müller-Weiß" not in text and "Müller-Weiß" not in markup, kind
        links = LINK.findall(text)
        purposes = {purpose for purpose, _ in links}
        needs = NEEDS[kind]
        assert ("confirm" in purposes) == ("confirm_url" in needs), kind
        assert ("manage" in purposes) == ("manage_url" in needs), kind
        for purpose, token in links:
            claims = signer.verify(unquote(token), purpose=purpose, event_id=conference.id, now=now)
            assert claims.applicant_key == application.applicant_key, kind
            assert claims.application == application.public_id, kind  # bound to this one
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


@pytest.mark.parametrize(
    "address", ["jörg@example.org", "x..y@example.org", "info@ｅｘａｍｐｌｅ.org"]
)
def test_an_address_ses_cannot_take_is_skipped_once_never_dead_lettered(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
    address: str,
) -> None:
    """Stored before the form applied the mailer's rule: retrying cannot change the address."""
    url, dead_letters = queue_urls(deployed)
    ses = spy_on_ses(monkeypatch)
    application = store_application(conference, "accepted", 1, deployed.clock.now(), email=address)
    request = request_for("accepted", application)
    SqsMailQueue(deployed.sqs, url).enqueue([request])

    (message,) = receive(deployed, url)
    # No failure reported: the event source mapping deletes the record, it never redrives.
    assert invoke_with(deployed, [message]) == {"batchItemFailures": []}

    assert ses.calls == 0
    stored = MessageItem.get(request.message_id)
    assert stored.state == "skipped"
    assert stored.detail.startswith("address ")
    assert address not in stored.detail
    assert receive(deployed, dead_letters) == []
    # Queued again (a re-run, a redelivery): still one record, still nothing sent.
    again = records_event([request])
    assert deployed.call("MailerFunction", again) == {"batchItemFailures": []}
    assert ses.calls == 0
    assert sent_messages() == []


def test_an_international_domain_is_sent_to_its_punycode_form(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    application = store_application(
        conference, "accepted", 1, deployed.clock.now(), email="info@straße.de"
    )

    response = deployed.call(
        "MailerFunction", records_event([request_for("accepted", application)])
    )

    assert response == {"batchItemFailures": []}
    (message,) = sent_messages()
    assert message["To"].addresses[0].addr_spec == "info@xn--strae-oqa.de"


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
