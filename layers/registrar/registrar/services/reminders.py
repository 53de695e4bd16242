"""Mailings that follow the calendar, not a decision: the confirm reminder and the programme.

Each fires once, at a time the conference definition sets
(``registration.reminder_hours_before_deadline``, ``programme_mail_days_before``); the
template turns those times into one-time schedules (``ReminderRun``, ``ProgramRun`` on the
admissions function), and a test keeps the two in agreement. Both are safe to repeat (the
scheduler delivers at least once): the reminder's message id is fixed per applicant, the
programme's per decision, so a second run queues only ids the mailer sends once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict

from registrar.application import Application
from registrar.clock import Clock
from registrar.mail_queue import MailQueue, MailRequest
from registrar.store.interfaces import ApplicationRepository

if TYPE_CHECKING:  # the admissions function imports this module at its start, the
    # definition's models (about 20 ms) when a run or mailing reads the definition
    from registrar.conference import Conference

MailingTrigger = Literal["confirm_reminder", "program"]
MAILING_TRIGGERS: frozenset[str] = frozenset(get_args(MailingTrigger))
# One reminder per applicant, ever: the id does not depend on anything that changes.
REMINDER_VERSION = 0
Skipped = Literal["", "not_configured", "registration_not_open", "event_over"]


class MailingRequest(BaseModel):
    """The admissions function's input for these triggers (as the template's schedules send)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: MailingTrigger
    scheduled_time: str = ""  # set by EventBridge Scheduler; keys the idempotency record


@dataclass(frozen=True, slots=True)
class MailingResult:
    trigger: MailingTrigger
    queued: int
    skipped: Skipped = ""  # why nothing was queued, if nothing was

    def summary(self) -> dict[str, Any]:
        return {"ok": True, "trigger": self.trigger, "queued": self.queued, "skipped": self.skipped}


class ProgrammeMailingResult(Protocol):
    @property
    def to_queue(self) -> int: ...


class ProgrammeMailer(Protocol):
    """The programme mailing an organiser can also start (``registrar mail program``)."""

    def programme_mailing(self, *, apply: bool, again: bool = False) -> ProgrammeMailingResult: ...


def needs_reminder(application: Application, conference: Conference) -> bool:
    """Still unconfirmed, still waiting for a decision, and mail reaches them."""
    return (
        not application.erased
        and not application.confirmed
        and not application.undeliverable
        and application.status == "new"
        and application.submitted_at <= conference.deadline
    )


class ScheduledMailings:
    def __init__(
        self,
        conference: Conference,
        applications: ApplicationRepository,
        mail_queue: MailQueue,
        programme: ProgrammeMailer,
        clock: Clock,
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._mail = mail_queue
        self._programme = programme
        self._clock = clock

    def run(self, request: MailingRequest) -> MailingResult:
        if request.trigger == "confirm_reminder":
            return self.confirm_reminders()
        return self.programme()

    def confirm_reminders(self) -> MailingResult:
        """Queue one reminder for each application whose address is still unconfirmed."""
        conference = self._conference
        if conference.reminder_at is None:
            return MailingResult("confirm_reminder", 0, "not_configured")
        # Late (a retry after the deadline) the confirmation link would no longer help.
        if conference.registration_state(self._clock.now()) != "open":
            return MailingResult("confirm_reminder", 0, "registration_not_open")
        requests = [
            MailRequest.create(
                "confirm_reminder", conference.id, application.applicant_key, REMINDER_VERSION
            )
            for application in self._applications.list(conference.id)
            if needs_reminder(application, conference)
        ]
        if requests:
            self._mail.enqueue(requests)
        return MailingResult("confirm_reminder", len(requests))

    def programme(self) -> MailingResult:
        """Queue the programme for every accepted participant who has not had it yet."""
        conference = self._conference
        if conference.programme_mail_at is None:
            return MailingResult("program", 0, "not_configured")
        if self._clock.now() > conference.last_day_end:
            return MailingResult("program", 0, "event_over")
        # The organisers' mailing, so that the scheduled one and a manual one share message
        # ids and a participant never gets the same programme twice.
        result = self._programme.programme_mailing(apply=True)
        return MailingResult("program", result.to_queue)
