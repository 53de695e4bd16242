"""The calendar mailings: when they fire (definition = template), whom they reach, once."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from registrar.application import Application, Status
from registrar.clock import SettableClock
from registrar.conference import DEFINITIONS_DIR, Conference
from registrar.mail.compose import sample_application
from registrar.mail_queue import MailRequest
from registrar.services.lottery import LotteryService
from registrar.services.mailing import MailerConfig, MailerService
from registrar.services.reminders import MailingRequest, ScheduledMailings
from registrar.tokens import TokenSigner
from registrar_local.infra import template as tpl
from tests.fakes import MemoryApplications, MemoryQueue, MemoryRuns, applicant_key

TEMPLATE = tpl.load_template()
KASSEL = yaml.safe_load((DEFINITIONS_DIR / "kassel-2023.yaml").read_text(encoding="utf-8"))


def _at(instant: dt.datetime) -> str:
    return f"at({instant.replace(tzinfo=None).isoformat()})"


# ---------------------------------------------------------------- one source of truth


def test_the_reminder_schedule_fires_when_the_definition_says(conference: Conference) -> None:
    defaults = tpl.parameter_defaults(TEMPLATE)
    assert conference.reminder_at is not None
    assert defaults["ReminderScheduleExpression"] == _at(conference.reminder_at)
    assert conference.reminder_at == dt.datetime(
        2023, 4, 6, 12, 0, tzinfo=conference.zone
    )  # Thursday before Easter, midday
    spec = tpl.schedules(TEMPLATE)["AdmissionsFunctionReminderRun"]
    assert spec.expression == defaults["ReminderScheduleExpression"]
    assert spec.timezone == conference.timezone
    assert spec.input == {
        "trigger": "confirm_reminder",
        "scheduled_time": "<aws.scheduler.scheduled-time>",
    }


def test_the_programme_schedule_fires_when_the_definition_says(conference: Conference) -> None:
    defaults = tpl.parameter_defaults(TEMPLATE)
    assert conference.programme_mail_at is not None
    assert defaults["ProgramScheduleExpression"] == _at(conference.programme_mail_at)
    assert conference.programme_mail_at == dt.datetime(2023, 5, 4, 11, 0, tzinfo=conference.zone)
    spec = tpl.schedules(TEMPLATE)["AdmissionsFunctionProgramRun"]
    assert spec.expression == defaults["ProgramScheduleExpression"]
    assert spec.timezone == conference.timezone
    assert spec.input == {"trigger": "program", "scheduled_time": "<aws.scheduler.scheduled-time>"}


def test_the_calendar_mailings_fall_between_the_runs_they_depend_on(
    conference: Conference,
) -> None:
    assert conference.reminder_at is not None and conference.programme_mail_at is not None
    assert conference.opens_at < conference.reminder_at < conference.deadline
    daily_end = tpl.parameter_defaults(TEMPLATE)["DailyRunEnd"]
    assert conference.closes_at < conference.programme_mail_at < conference.starts_at
    assert conference.programme_mail_at < dt.datetime.fromisoformat(daily_end)


# ---------------------------------------------------------------- the definition


def _definition(**changes: Any) -> dict[str, Any]:
    raw = yaml.safe_load(yaml.safe_dump(KASSEL))
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        node = raw
        for part in path:
            node = node[part]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return raw


def test_both_times_are_optional() -> None:
    bare = Conference.model_validate(
        _definition(
            registration__reminder_hours_before_deadline=None, programme_mail_days_before=None
        )
    )
    assert bare.reminder_at is None
    assert bare.programme_mail_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"registration__reminder_hours_before_deadline": 0}, "greater than 0"),
        ({"registration__reminder_hours_before_deadline": 24 * 80}, "before registration opens"),
        ({"programme_mail_days_before": -1}, "greater than 0"),
        ({"programme_mail_days_before": 31}, "before registration closes"),
        ({"programme_mail_days_before": "soon"}, "valid integer"),
    ],
)
def test_impossible_times_are_refused_naming_the_field(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Conference.model_validate(_definition(**changes))


def test_the_reminder_counts_elapsed_hours_across_a_clock_change() -> None:
    # Registration closing on Monday 27 March 2023 12:00 in Berlin, the day after clocks
    # went forward: 48 hours earlier is Saturday 11:00 (CET), not 12:00.
    raw = _definition(
        registration__deadline=dt.datetime(2023, 3, 27, 11, 59),
        registration__reminder_hours_before_deadline=48,
        programme_mail_days_before=None,
    )
    conference = Conference.model_validate(raw)
    assert conference.reminder_at == dt.datetime(2023, 3, 25, 11, 0, tzinfo=conference.zone)
    assert (
        conference.closes_at.astimezone(dt.UTC) - conference.reminder_at.astimezone(dt.UTC)
    ) == dt.timedelta(hours=48)


# ---------------------------------------------------------------- whom they reach


@dataclass
class FakeProgramme:
    calls: list[dict[str, bool]] = field(default_factory=list)
    due: int = 3

    @dataclass(frozen=True)
    class Result:
        to_queue: int

    def programme_mailing(self, *, apply: bool, again: bool = False) -> FakeProgramme.Result:
        self.calls.append({"apply": apply, "again": again})
        return FakeProgramme.Result(self.due)


def _application(
    conference: Conference, number: int, now: dt.datetime, **changes: Any
) -> Application:
    email = f"person{number}@example.org"
    base = sample_application(conference, "de", now, kind="confirm_reminder")
    return base.model_copy(
        update={
            "email": email,
            "applicant_key": applicant_key(conference.id, email),
            "public_id": f"R-TEST-{number:04d}",
            **changes,
        }
    )


@pytest.fixture
def reminder_clock(conference: Conference) -> SettableClock:
    assert conference.reminder_at is not None
    return SettableClock(conference.reminder_at)


def _mailings(
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
    clock: SettableClock,
    programme: FakeProgramme | None = None,
) -> ScheduledMailings:
    return ScheduledMailings(conference, store, queue, programme or FakeProgramme(), clock)


def test_only_unconfirmed_undecided_reachable_applicants_are_reminded_once(
    conference: Conference, reminder_clock: SettableClock
) -> None:
    now = reminder_clock.now()
    store, queue = MemoryApplications(), MemoryQueue()
    confirmed_at = now - dt.timedelta(days=1)
    people = {
        "unconfirmed": _application(conference, 1, now),
        "also_unconfirmed": _application(conference, 2, now, language="en"),
        "confirmed": _application(conference, 3, now, confirmed_at=confirmed_at),
        "undeliverable": _application(conference, 4, now, undeliverable=True),
        "erased": _application(conference, 5, now, erased=True),
        "withdrawn": _application(conference, 6, now, status="withdrawn"),
    }
    for application in people.values():
        store.add(application)
    mailings = _mailings(conference, store, queue, reminder_clock)

    first = mailings.run(MailingRequest(trigger="confirm_reminder"))
    assert (first.queued, first.skipped) == (2, "")
    reminded = {request.applicant_key for request in queue.sent}
    assert reminded == {
        people["unconfirmed"].applicant_key,
        people["also_unconfirmed"].applicant_key,
    }
    assert {request.kind for request in queue.sent} == {"confirm_reminder"}

    # The scheduler delivers again: the same ids, which the mailer sends once.
    again = mailings.run(MailingRequest(trigger="confirm_reminder"))
    assert again.queued == 2
    assert len({request.message_id for request in queue.sent}) == 2


def test_no_reminder_once_registration_has_closed_or_when_none_is_wanted(
    conference: Conference,
) -> None:
    store, queue = MemoryApplications(), MemoryQueue()
    late = SettableClock(conference.closes_at)
    store.add(_application(conference, 1, late.now() - dt.timedelta(days=3)))
    result = _mailings(conference, store, queue, late).confirm_reminders()
    assert (result.queued, result.skipped) == (0, "registration_not_open")

    unwanted = conference.model_copy(
        update={
            "registration": conference.registration.model_copy(
                update={"reminder_hours_before_deadline": None}
            )
        }
    )
    open_clock = SettableClock(conference.deadline - dt.timedelta(days=2))
    result = _mailings(unwanted, store, queue, open_clock).confirm_reminders()
    assert (result.queued, result.skipped) == (0, "not_configured")
    assert queue.sent == []


def test_the_programme_run_is_the_organisers_mailing_applied_once(
    conference: Conference,
) -> None:
    assert conference.programme_mail_at is not None
    programme = FakeProgramme(due=42)
    clock = SettableClock(conference.programme_mail_at)
    mailings = _mailings(conference, MemoryApplications(), MemoryQueue(), clock, programme)
    result = mailings.run(MailingRequest(trigger="program", scheduled_time="2023-05-04T09:00:00Z"))
    assert (result.trigger, result.queued, result.skipped) == ("program", 42, "")
    assert programme.calls == [{"apply": True, "again": False}]
    assert result.summary() == {"ok": True, "trigger": "program", "queued": 42, "skipped": ""}


def test_no_programme_after_the_event_or_when_none_is_wanted(conference: Conference) -> None:
    programme = FakeProgramme()
    after = SettableClock(conference.last_day_end + dt.timedelta(minutes=1))
    result = _mailings(
        conference, MemoryApplications(), MemoryQueue(), after, programme
    ).programme()
    assert result.skipped == "event_over"
    unwanted = conference.model_copy(update={"programme_mail_days_before": None})
    before = SettableClock(conference.closes_at + dt.timedelta(days=1))
    result = _mailings(unwanted, MemoryApplications(), MemoryQueue(), before, programme).programme()
    assert result.skipped == "not_configured"
    assert programme.calls == []


def test_requests_for_other_triggers_are_refused() -> None:
    with pytest.raises(ValidationError):
        MailingRequest.model_validate({"trigger": "deadline"})
    with pytest.raises(ValidationError):
        MailingRequest.model_validate({"trigger": "program", "dry_run": True})


# ---------------------------------------------------------------- at send time


class _Outbox:
    def __init__(self) -> None:
        self.claimed: list[str] = []

    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        self.claimed.append(message_id)
        return True

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None:
        pass

    def release(self, message_id: str) -> None:
        pass

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None:
        pass


class _Sender:
    def __init__(self) -> None:
        self.sent = 0

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        self.sent += 1
        return "ses-id"


def _deliver(conference: Conference, application: Application, kind: Any, now: dt.datetime) -> str:
    store = MemoryApplications()
    store.add(application)
    sender = _Sender()
    mailer = MailerService(
        conference,
        store,
        _Outbox(),
        sender,
        TokenSigner("k" * 40),
        SettableClock(now),
        MailerConfig("https://registrar.example.org", "anmeldung@example.org"),
        lottery=LotteryService(conference, MemoryRuns(), SettableClock(now), random.Random(1)),
    )
    outcome = mailer.deliver(MailRequest.create(kind, conference.id, application.applicant_key, 0))
    assert sender.sent == (1 if outcome == "sent" else 0)
    return outcome


def test_a_reminder_queued_before_confirming_is_not_sent_after(
    conference: Conference, reminder_clock: SettableClock
) -> None:
    now = reminder_clock.now()
    unconfirmed = _application(conference, 1, now)
    assert _deliver(conference, unconfirmed, "confirm_reminder", now) == "sent"
    confirmed = unconfirmed.model_copy(update={"confirmed_at": now})
    assert _deliver(conference, confirmed, "confirm_reminder", now) == "superseded"
    late = conference.deadline + dt.timedelta(seconds=1)
    assert _deliver(conference, unconfirmed, "confirm_reminder", late) == "stale"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("accepted", "sent"), ("declined", "superseded"), ("cancelled", "superseded")],
)
def test_the_programme_goes_only_to_who_is_still_a_participant(
    conference: Conference, status: Status, outcome: str
) -> None:
    now = conference.closes_at + dt.timedelta(days=20)
    participant = _application(
        conference, 7, now, status=status, confirmed_at=now - dt.timedelta(days=30)
    )
    assert _deliver(conference, participant, "program", now) == outcome
