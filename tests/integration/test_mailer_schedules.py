"""The calendar mailings end to end on moto: the template's schedule input, the admissions
function's routing, the queue, the mailer, and a repeated delivery that sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import unquote

from registrar.conference import Conference
from registrar_local.infra import template as tpl
from tests.support.mail import (
    LINK,
    FakeTime,
    invoke_with,
    message_id_of,
    queue_urls,
    receive,
    sent_messages,
    store_application,
    token_signer,
)
from tests.support.stack import Deployed


def fire(deployed: Deployed, schedule: str, at: dt.datetime) -> Any:
    """What EventBridge Scheduler sends: the template's Input, the placeholder filled in."""
    spec = tpl.schedules(deployed.stack.template, deployed.stack.params)[schedule]
    deployed.clock.set(at)
    event = {**spec.input, "scheduled_time": at.astimezone(dt.UTC).isoformat()}
    return deployed.call(spec.function_logical_id, event)


def drain(deployed: Deployed) -> int:
    url, _ = queue_urls(deployed)
    handled = 0
    while messages := receive(deployed, url):
        assert invoke_with(deployed, messages) == {"batchItemFailures": []}
        for message in messages:
            deployed.sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        handled += len(messages)
    return handled


def test_the_reminder_run_reminds_the_unconfirmed_once(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    assert conference.reminder_at is not None
    submitted = conference.reminder_at - dt.timedelta(days=3)
    unconfirmed = [
        store_application(conference, "confirm_reminder", number, submitted)
        for number in range(1, 4)
    ]
    store_application(conference, "receipt", 10, submitted, confirmed_at=submitted)

    result = fire(deployed, "AdmissionsFunctionReminderRun", conference.reminder_at)

    assert result == {"ok": True, "trigger": "confirm_reminder", "queued": 3, "skipped": ""}
    assert drain(deployed) == 3
    messages = sent_messages()
    assert {m["X-Registrar-Kind"] for m in messages} == {"confirm_reminder"}
    assert {m["To"].addresses[0].addr_spec for m in messages} == {a.email for a in unconfirmed}
    signer = token_signer(deployed)
    for message in messages:
        plain = message.get_body(preferencelist=("plain",))
        assert plain is not None
        ((purpose, token),) = LINK.findall(plain.get_content())
        assert purpose == "confirm"
        signer.verify(
            unquote(token), purpose="confirm", event_id=conference.id, now=deployed.clock.now()
        )

    # Scheduler delivers again (same scheduled time): the stored result, nothing queued.
    assert fire(deployed, "AdmissionsFunctionReminderRun", conference.reminder_at) == result
    # Even a delivery the idempotency record does not catch queues ids already sent.
    later = conference.reminder_at + dt.timedelta(minutes=5)
    assert fire(deployed, "AdmissionsFunctionReminderRun", later)["queued"] == 3
    assert drain(deployed) == 3
    assert len(sent_messages()) == 3


def test_the_program_run_mails_every_participant_once(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    assert conference.programme_mail_at is not None
    decided = conference.closes_at + dt.timedelta(hours=1)
    participants = [
        store_application(conference, "program", number, decided) for number in range(1, 5)
    ]
    store_application(conference, "waitlisted", 10, decided)
    store_application(conference, "declined", 11, decided)

    result = fire(deployed, "AdmissionsFunctionProgramRun", conference.programme_mail_at)

    assert result == {"ok": True, "trigger": "program", "queued": 4, "skipped": ""}
    assert drain(deployed) == 4
    messages = sent_messages()
    assert {m["To"].addresses[0].addr_spec for m in messages} == {a.email for a in participants}
    for message in messages:
        assert message["X-Registrar-Kind"] == "program"
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
    first_ids = sorted(message_id_of(m) for m in messages)

    # A retried run after the idempotency record: everyone already has it.
    later = conference.programme_mail_at + dt.timedelta(hours=1)
    assert fire(deployed, "AdmissionsFunctionProgramRun", later)["queued"] == 0
    assert drain(deployed) == 0
    assert sorted(message_id_of(m) for m in sent_messages()) == first_ids


def test_the_calendar_mailings_do_nothing_out_of_season(
    deployed: Deployed, conference: Conference, fake_time: FakeTime
) -> None:
    store_application(conference, "confirm_reminder", 1, conference.opens_at)
    late = fire(deployed, "AdmissionsFunctionReminderRun", conference.closes_at)
    assert late == {
        "ok": True,
        "trigger": "confirm_reminder",
        "queued": 0,
        "skipped": "registration_not_open",
    }
    over = fire(
        deployed, "AdmissionsFunctionProgramRun", conference.last_day_end + dt.timedelta(days=1)
    )
    assert over["skipped"] == "event_over"
    assert drain(deployed) == 0
