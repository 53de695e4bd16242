"""The repository interfaces the services depend on; DynamoDB is one implementation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, Protocol

from registrar.application import Application

if TYPE_CHECKING:  # imported where used: a function that reads none of them loads none
    from registrar.lottery_state import DrawnLottery, LotteryState
    from registrar.organisations import OrganisationAliases
    from registrar.runs import AdmissionRun


class ConcurrentUpdate(Exception):
    """The item changed since it was read; re-read and decide again."""


ApplicationKey = tuple[str, str]  # (event id, applicant key)


class ManyApplications(NamedTuple):
    """What one read of many keys found. A key in neither is not (or no longer) stored."""

    applications: dict[ApplicationKey, Application]
    unreadable: frozenset[ApplicationKey]  # stored, but no application (hand-written, old)


class SubmittedFor(NamedTuple):
    """Whom one address registered on others' behalf at one event: their keys, no names.

    ``version`` 0: nothing stored yet. Kept beside the applications (same table, same
    retention) so that a submission reads and writes only the event's own items.
    """

    event_id: str
    submitter_key: str
    applicant_keys: tuple[str, ...]
    expires_at: dt.datetime
    version: int = 0
    # Applicant key -> the key their submission was received under: while it waits to be
    # registered, the place is theirs all the same.
    received_keys: Mapping[str, str] = MappingProxyType({})


class ReceivedSubmission(NamedTuple):
    """A submission as the API received it, kept under a key of its own until registered.

    ``application`` is what registering it stores under its applicant key;
    ``submitter_key`` names the record of whom the submitter registered (on another's
    behalf; None for one's own application), kept so that registering needs no secret.
    """

    event_id: str
    key: str
    application: Application
    submitter_key: str | None = None


class ApplicationRepository(Protocol):
    def add(self, application: Application) -> bool:
        """Store a new application; False if one exists for the same key (nothing written)."""
        ...

    def get(self, event_id: str, applicant_key: str) -> Application | None: ...

    def get_many(self, keys: Iterable[ApplicationKey]) -> ManyApplications:
        """The applications under these keys, read together (strongly consistent)."""
        ...

    def list(self, event_id: str) -> Iterator[Application]:
        """Every application of one event (a Query on the event's partition, never a Scan)."""
        ...

    def save(self, application: Application) -> Application:
        """Write if the stored version is still ``application.version``; return the new state.

        Raises ConcurrentUpdate when another writer came first.
        """
        ...

    def save_each(self, applications: Sequence[Application]) -> tuple[bool, ...]:
        """Write each application if its stored version is still the one read, together
        (one request where the store allows). Answers, in order, whether each was written
        (False: another writer came first; that one is left as they wrote it)."""
        ...


class IntakeRepository(ApplicationRepository, Protocol):
    """What registering received submissions needs (``services.intake``)."""

    def received(self, event_id: str) -> list[ReceivedSubmission]:
        """Every submission of the event still waiting to be registered (one Query)."""
        ...

    def received_many(self, keys: Iterable[ApplicationKey]) -> list[ReceivedSubmission]:
        """The submissions under these keys still waiting (those registered are gone)."""
        ...

    def forget_received(self, submission: ReceivedSubmission) -> None:
        """Delete a registered submission (nothing happens if it is gone already)."""
        ...

    def submitted_for(self, event_id: str, submitter_key: str) -> SubmittedFor | None: ...

    def save_submitted_for(self, record: SubmittedFor) -> SubmittedFor:
        """Write if the stored version is still ``record.version`` (0: none stored).

        Raises ConcurrentUpdate when another writer came first.
        """
        ...


class RegistrationRepository(IntakeRepository, Protocol):
    """What the applicants' use cases need beyond reading and writing one application."""

    def receive(self, submission: ReceivedSubmission) -> None:
        """Keep a submission to be registered: one write, under its own (new) key."""
        ...

    def is_waiting(self, event_id: str, received_key: str) -> bool:
        """Whether the submission received under this key still waits to be registered."""
        ...

    def pass_seat(self, original: Application, colleague: Application) -> None:
        """Atomically save ``original`` (if still at its version) and add ``colleague``.

        Raises ConcurrentUpdate when ``original`` changed or ``colleague``'s key is taken.
        """
        ...


class OrganiserApplicationRepository(IntakeRepository, Protocol):
    """What organisers' use cases need beyond the applicants' repository."""

    def find_by_public_id(self, event_id: str, public_id: str) -> Application | None:
        """The application with this public id (a Query on the event, filtered)."""
        ...

    def replace(self, current: Application, replacement: Application) -> None:
        """Atomically remove ``current`` (if still at its version) and add ``replacement``.

        Raises ConcurrentUpdate when ``current`` changed or ``replacement``'s key is taken.
        """
        ...


class LotteryRepository(Protocol):
    """The event's lottery records, each written once (``registrar.lottery_state``)."""

    def drawn(self, event_id: str) -> DrawnLottery | None:
        """The drawn secret, if one was drawn (one GetItem: the form and the mailer)."""
        ...

    def add_drawn(self, drawn: DrawnLottery) -> bool:
        """Store the draw unless one exists; False (nothing written) if one does."""
        ...

    def lottery(self, event_id: str) -> LotteryState | None:
        """The draw with its public value and reveal, read together."""
        ...

    def add_public_value(self, event_id: str, value: str, at: dt.datetime) -> bool:
        """Store the public value unless one exists; False (nothing written) if one does."""
        ...

    def add_reveal(self, event_id: str, at: dt.datetime) -> bool:
        """Record the reveal unless recorded; False (the first one stays) if it was."""
        ...


class RunRepository(LotteryRepository, Protocol):
    """The run lock, the run records and the lottery of an event."""

    def acquire_lock(self, event_id: str, owner: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """Take the event's run lock unless a live one is held by someone else."""
        ...

    def release_lock(self, event_id: str, owner: str) -> None: ...

    def put(self, run: AdmissionRun) -> None: ...

    def list(self, event_id: str) -> list[AdmissionRun]:
        """All runs of an event, oldest first."""
        ...

    def organisation_aliases(self, event_id: str) -> OrganisationAliases:
        """The organisations organisers merged for the cap (none merged: empty)."""
        ...

    def save_organisation_aliases(
        self,
        event_id: str,
        aliases: OrganisationAliases,
        replacing: OrganisationAliases,
        expires_at: dt.datetime,
    ) -> None:
        """Store ``aliases`` if ``replacing`` is still what is stored, else ConcurrentUpdate."""
        ...


class OutboxRepository(Protocol):
    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        """Claim a message for sending; False if it was claimed before (sent or in flight)."""
        ...

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None: ...

    def release(self, message_id: str) -> None:
        """Give a claim back after a failed send so that a retry may claim it again."""
        ...

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None: ...


class ClaimedMessage(NamedTuple):
    """An outbox record still ``claimed``: the send may or may not have happened."""

    message_id: str
    kind: str
    claimed_at: dt.datetime
