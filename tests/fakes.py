"""In-memory fakes of the repository interfaces and the mail queue, for pure unit tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from registrar.application import Application
from registrar.identity import ApplicantKeys
from registrar.lottery_state import DrawnLottery, LotteryState, PublicValue
from registrar.mail_queue import MailRequest
from registrar.organisations import OrganisationAliases
from registrar.runs import AdmissionRun
from registrar.services.intake import IntakeOutcome, register
from registrar.services.registration import RegistrationService
from registrar.store.interfaces import (
    ApplicationKey,
    ConcurrentUpdate,
    ManyApplications,
    ReceivedSubmission,
    SubmittedFor,
)
from registrar.submission import Submission


def _stored(application: Application, **changes: object) -> Application:
    """A copy as a table would hand it back: nothing shared with the caller's object.
    (A dump and a validation: five times as fast as pydantic's deep copy.)"""
    return Application.model_validate({**application.model_dump(), **changes})


# The variables the template gives every function (registrar.settings reads them).
SETTINGS_ENVIRONMENT = {
    "CONFERENCE_ID": "kassel-2023",
    "STAGE": "dev",
    "APPLICATIONS_TABLE": "applications",
    "RUNS_TABLE": "runs",
    "MESSAGES_TABLE": "messages",
    "IDEMPOTENCY_TABLE": "idempotency",
    "MAIL_QUEUE_URL": "https://sqs.eu-central-1.amazonaws.com/000000000000/mail",
    "TOKEN_SECRET_ARN": "arn:aws:secretsmanager:eu-central-1:000000000000:secret:token",
    "ORIGIN_VERIFY_SECRET_ARN": "arn:aws:secretsmanager:eu-central-1:000000000000:secret:origin",
    "APPLICANT_KEY_SECRET_ARN": "arn:aws:secretsmanager:eu-central-1:000000000000:secret:keys",
    "SENDER_ADDRESS": "anmeldung@example.org",
    "SES_CONFIGURATION_SET": "registrar-dev",
    "PUBLIC_BASE_URL": "https://registrar.example.org",
    "SES_SENDING_RATE": "10",
    "MAIL_MAX_CONCURRENCY": "2",
    "MAIL_RETRY_BASE_SECONDS": "30",
    "MAIL_RETRY_MAX_SECONDS": "900",
    "RETENTION_DAYS": "180",
}

# The applicant keys of the unit tests' services (a stack has its own secret).
APPLICANT_KEYS = ApplicantKeys.from_secret("unit-test applicant key secret, never deployed")


def applicant_key(event_id: str, email: str) -> str:
    """The key the unit tests' services store an address under."""
    return APPLICANT_KEYS.of(event_id, email)


class MemoryApplications:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Application] = {}
        self.submitters: dict[tuple[str, str], SubmittedFor] = {}
        # Submissions as received, until registered (services.intake): in arrival order.
        self.waiting: dict[tuple[str, str], ReceivedSubmission] = {}
        self.writes = 0

    def receive(self, submission: ReceivedSubmission) -> None:
        key = (submission.event_id, submission.key)
        assert key not in self.waiting
        self.writes += 1
        self.waiting[key] = submission._replace(application=_stored(submission.application))

    def is_waiting(self, event_id: str, received_key: str) -> bool:
        return (event_id, received_key) in self.waiting

    def received(self, event_id: str) -> list[ReceivedSubmission]:
        return [r for (event, _), r in sorted(self.waiting.items()) if event == event_id]

    def received_many(self, keys: Iterable[ApplicationKey]) -> list[ReceivedSubmission]:
        return [self.waiting[key] for key in dict.fromkeys(keys) if key in self.waiting]

    def forget_received(self, submission: ReceivedSubmission) -> None:
        self.waiting.pop((submission.event_id, submission.key), None)

    def submitted_for(self, event_id: str, submitter_key: str) -> SubmittedFor | None:
        return self.submitters.get((event_id, submitter_key))

    def save_submitted_for(self, record: SubmittedFor) -> SubmittedFor:
        key = (record.event_id, record.submitter_key)
        stored = self.submitters.get(key)
        if (stored.version if stored else 0) != record.version:
            raise ConcurrentUpdate(record.submitter_key)
        saved = record._replace(version=record.version + 1)
        self.submitters[key] = saved
        return saved

    def pass_seat(self, original: Application, colleague: Application) -> None:
        old = (original.event_id, original.applicant_key)
        new = (colleague.event_id, colleague.applicant_key)
        stored = self.items.get(old)
        if stored is None or stored.version != original.version or new in self.items:
            raise ConcurrentUpdate(original.public_id)
        self.writes += 1
        self.items[old] = _stored(original, version=original.version + 1)
        self.items[new] = _stored(colleague, version=1)

    def add(self, application: Application) -> bool:
        key = (application.event_id, application.applicant_key)
        if key in self.items:
            return False
        self.writes += 1
        self.items[key] = _stored(application, version=1)
        return True

    def get(self, event_id: str, applicant_key: str) -> Application | None:
        found = self.items.get((event_id, applicant_key))
        return _stored(found) if found else None

    def get_many(self, keys: Iterable[ApplicationKey]) -> ManyApplications:
        found = {key: _stored(self.items[key]) for key in keys if key in self.items}
        return ManyApplications(found, frozenset())

    def list(self, event_id: str) -> Iterator[Application]:
        for (event, _), application in sorted(self.items.items()):
            if event == event_id:
                yield _stored(application)

    def written_by_another(self, key: ApplicationKey, **changes: object) -> None:
        """Another writer changes the stored item (and its version) behind the caller's back."""
        theirs = self.items[key]
        self.items[key] = theirs.model_copy(update={**changes, "version": theirs.version + 1})

    def save(self, application: Application) -> Application:
        key = (application.event_id, application.applicant_key)
        stored = self.items.get(key)
        if stored is None or stored.version != application.version:
            raise ConcurrentUpdate(application.public_id)
        self.writes += 1
        saved = _stored(application, version=application.version + 1)
        self.items[key] = saved
        return _stored(saved)

    def save_each(self, applications: Sequence[Application]) -> tuple[bool, ...]:
        written = []
        for application in applications:
            try:
                self.save(application)
            except ConcurrentUpdate:
                written.append(False)
            else:
                written.append(True)
        return tuple(written)


class OrganiserApplications(MemoryApplications):
    """The fake with the two lookups organisers add."""

    def find_by_public_id(self, event_id: str, public_id: str) -> Application | None:
        return next((a for a in self.list(event_id) if a.public_id == public_id), None)

    def replace(self, current: Application, replacement: Application) -> None:
        old = (current.event_id, current.applicant_key)
        new = (replacement.event_id, replacement.applicant_key)
        stored = self.items.get(old)
        if stored is None or stored.version != current.version or new in self.items:
            raise ConcurrentUpdate(current.public_id)
        del self.items[old]
        self.items[new] = _stored(replacement, version=1)


class MemoryRuns:
    def __init__(self) -> None:
        self.runs: list[AdmissionRun] = []
        self.lock: tuple[str, dt.datetime] | None = None
        self.lotteries: dict[str, LotteryState] = {}
        self.aliases: dict[str, OrganisationAliases] = {}

    def acquire_lock(self, event_id: str, owner: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        if self.lock is not None and self.lock[1] > now and self.lock[0] != owner:
            return False
        self.lock = (owner, now + ttl)
        return True

    def release_lock(self, event_id: str, owner: str) -> None:
        if self.lock is not None and self.lock[0] == owner:
            self.lock = None

    def put(self, run: AdmissionRun) -> None:
        """Like DynamoDB's put: a record with the same key replaces the earlier one."""
        self.runs = [r for r in self.runs if r.run_id != run.run_id] + [run]

    def list(self, event_id: str) -> list[AdmissionRun]:
        return [run for run in self.runs if run.event_id == event_id]

    def drawn(self, event_id: str) -> DrawnLottery | None:
        state = self.lotteries.get(event_id)
        return None if state is None else state.drawn

    def add_drawn(self, drawn: DrawnLottery) -> bool:
        if drawn.event_id in self.lotteries:
            return False
        self.lotteries[drawn.event_id] = LotteryState(drawn=drawn)
        return True

    def lottery(self, event_id: str) -> LotteryState | None:
        return self.lotteries.get(event_id)

    def add_public_value(self, event_id: str, value: str, at: dt.datetime) -> bool:
        state = self.lotteries[event_id]
        if state.public_value is not None:
            return False
        entered = PublicValue(value=value, entered_at=at)
        self.lotteries[event_id] = state.model_copy(update={"public_value": entered})
        return True

    def add_reveal(self, event_id: str, at: dt.datetime) -> bool:
        state = self.lotteries[event_id]
        if state.revealed_at is not None:
            return False
        self.lotteries[event_id] = state.model_copy(update={"revealed_at": at})
        return True

    def organisation_aliases(self, event_id: str) -> OrganisationAliases:
        return self.aliases.get(event_id, OrganisationAliases())

    def save_organisation_aliases(
        self,
        event_id: str,
        aliases: OrganisationAliases,
        replacing: OrganisationAliases,
        expires_at: dt.datetime,
    ) -> None:
        """Like the conditional put: only over what the caller read."""
        if self.organisation_aliases(event_id) != replacing:
            raise ConcurrentUpdate
        self.aliases[event_id] = aliases


class MemoryQueue:
    def __init__(self) -> None:
        self.sent: list[MailRequest] = []

    def enqueue(self, requests: list[MailRequest]) -> None:
        self.sent.extend(requests)

    def kinds(self) -> list[str]:
        return [request.kind for request in self.sent]


class MemoryOutbox:
    """The messages table: one record per message id, claimed by a conditional put."""

    def __init__(self) -> None:
        self.states: dict[str, str] = {}

    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        if message_id in self.states:
            return False
        self.states[message_id] = "claimed"
        return True

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None:
        self.states[message_id] = "sent"

    def release(self, message_id: str) -> None:
        if self.states.get(message_id) == "claimed":
            del self.states[message_id]

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None:
        self.states[message_id] = "skipped"


@dataclasses.dataclass(frozen=True)
class SentMessage:
    raw: bytes
    recipient: str
    tags: dict[str, str]


class MemorySender:
    """SES as the mailer sees it: every message it accepted, in order."""

    def __init__(self) -> None:
        self.sent: list[SentMessage] = []

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        self.sent.append(SentMessage(raw, recipient, dict(tags)))
        return f"ses-{len(self.sent)}"


def submit_and_register(service: RegistrationService, submission: Submission) -> IntakeOutcome:
    """A submission, then what the receipts function does once the API has answered: the
    submissions waiting in the service's store are registered (``services.intake``)."""
    service.submit(submission)
    store = service._applications
    return register(store.received(service._conference.id), store, service._mail)
