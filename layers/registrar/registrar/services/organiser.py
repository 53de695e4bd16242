"""Organisers' use cases: cancel, force-accept, erase, resend one email, the programme mailing.

Each follows the shape of every state change: read, check the transition is allowed, write
conditionally on the version read, record a history entry (actor ``organiser``, with the
reason), queue the email the change implies. Nothing here knows about the command line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from registrar.application import (
    STATES,
    STATUSES,
    Actor,
    Application,
    ExtraState,
    HistoryEntry,
    Status,
    require_transition,
)
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.errors import (
    ApplicationNotFound,
    DomainError,
    RunInProgress,
    TransitionNotAllowed,
)
from registrar.identity import ApplicantKeys, tombstone_key
from registrar.mail_queue import (
    DECISION_MAIL_STATES,
    SQS_BATCH,
    MailKind,
    MailQueue,
    MailRequest,
    states_for,
)
from registrar.personal_text import mentions
from registrar.runs import without_person
from registrar.store.interfaces import (
    ConcurrentUpdate,
    OrganiserApplicationRepository,
    RunRepository,
)
from registrar.store.updates import ATTEMPTS, Change, update_application

ORGANISER: Final = Actor.ORGANISER.value
PROGRAMME_MAILED: Final = "program_mailed"
_DECISION_ACTIONS: Final = frozenset({*STATUSES, "offer_accepted"})
PROGRAMME_LOCK_TTL: Final = dt.timedelta(minutes=15)  # the programme mailing's, an erasure's
DECISION_MAILS: Final[frozenset[MailKind]] = frozenset(DECISION_MAIL_STATES)


class ReasonRequired(DomainError):
    code = "reason_required"

    def __init__(self) -> None:
        super().__init__("Give a reason: it is recorded with the change.")


class NotAllowed(TransitionNotAllowed):
    """A transition refused, with a sentence saying why (ids only, no personal data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class NotFound(ApplicationNotFound):
    def __init__(self, reference: str) -> None:
        # Addresses stay out of messages, which may end up in logs.
        what = "with that email address" if "@" in reference else reference
        super().__init__(f"No application {what} at this event.")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an organiser's change did: the application after it, mails queued, warnings."""

    application: Application
    mails: tuple[MailRequest, ...] = ()
    warnings: tuple[str, ...] = ()
    changed: bool = True
    run_records_cleaned: int = 0  # erase: run records that named the person, now not
    other_histories_cleaned: int = 0  # erase: other applications whose history named them


@dataclass(frozen=True, slots=True)
class ProgrammeMailing:
    participants: int  # accepted, not erased
    to_queue: int  # queued (or, in a dry run, would be)
    already_mailed: int  # got this programme mail before (same decision)
    applied: bool


def _require(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise ReasonRequired
    return reason


class OrganiserService:
    def __init__(
        self,
        conference: Conference,
        applications: OrganiserApplicationRepository,
        runs: RunRepository,
        mail_queue: MailQueue,
        clock: Clock,
        rng: random.Random | None = None,
        *,
        applicant_keys: ApplicantKeys,
    ) -> None:
        self._keys = applicant_keys
        self._conference = conference
        self._applications = applications
        self._runs = runs
        self._mail = mail_queue
        self._clock = clock
        self._rng = rng or secrets.SystemRandom()

    # -- finding -------------------------------------------------------------------------
    def find(self, reference: str) -> Application:
        """An application by email address or public id (``R-XXXX-XXXX``)."""
        reference = reference.strip()
        event = self._conference.id
        if "@" in reference:
            found = self._applications.get(event, self._keys.of(event, reference))
        else:
            found = self._applications.find_by_public_id(event, reference.upper())
        if found is None or found.erased:
            raise NotFound(reference)
        return found

    # -- cancel ----------------------------------------------------------------------------
    def cancel(self, reference: str, reason: str) -> Outcome:
        """Cancel on someone's behalf (or for cause); a seat goes to the waiting list."""

        def freed_seat(application: Application, now: dt.datetime) -> list[str]:
            if not application.holds_seat:
                return []
            if not self._conference.waitlist_open_at(now):
                return [
                    "The seat stays free: the waiting list is closed, nobody new is offered one."
                ]
            return ["The seat is free: the next admissions run offers it to the waiting list."]

        return self._decide(
            reference, "cancelled", reason, freed_seat, already="was cancelled before"
        )

    # -- force-accept ----------------------------------------------------------------------
    def force_accept(self, reference: str, reason: str) -> Outcome:
        """Admit someone by hand: recorded, mailed, capacities not enforced but reported."""

        def seat(application: Application, now: dt.datetime) -> list[str]:
            others = [
                a
                for a in self._applications.list(self._conference.id)
                if a.holds_seat and not a.erased and a.public_id != application.public_id
            ]
            warnings = self._capacity_warnings(len(others) + 1)
            if not application.confirmed:
                application.confirmed_at = now
                application.record(now, "confirmed", ORGANISER, "confirmed with the acceptance")
            application.workshops = self._workshops_for(application, others, warnings)
            application.extras = self._extras_for(application, others)
            return warnings

        return self._decide(reference, "accepted", reason, seat, already="is accepted already")

    def _decide(
        self,
        reference: str,
        target: Status,
        reason: str,
        prepare: Callable[[Application, dt.datetime], list[str]],
        *,
        already: str,
    ) -> Outcome:
        """An organiser's decision: allowed by the state table, recorded with the reason,
        mailed. ``prepare`` readies the application and returns warnings (it may run again
        after a concurrent update); ``already``: the warning when it is ``target`` already.
        """
        reason = _require(reason)
        now = self._clock.now()
        warnings: list[str] = []

        def decide(application: Application) -> bool:
            if application.status == target:
                return False
            require_transition(
                application.status, target, Actor.ORGANISER, application.public_id, NotAllowed
            )
            warnings[:] = prepare(application, now)
            application.decide(now, target, ORGANISER, f"from {application.status}: {reason}")
            return True

        result = self._change(reference, decide)
        application = result.application
        if not result.changed:
            return Outcome(
                application, warnings=(f"{application.public_id} {already}.",), changed=False
            )
        mails: tuple[MailRequest, ...] = ()
        mail = STATES[target].mail
        if mail is not None:
            mails = (self._queue(mail, application, application.decision_version),)
        return Outcome(application, mails, tuple(warnings))

    def _capacity_warnings(self, seats_taken: int) -> list[str]:
        capacity = self._conference.admission.capacity
        if seats_taken <= capacity:
            return []
        return [f"Capacity exceeded: {seats_taken} seats taken of {capacity}."]

    def _workshops_for(
        self, application: Application, others: list[Application], warnings: list[str]
    ) -> dict[str, str]:
        """Per slot on the days attended: the kept workshop if it has room, else the
        best-ranked one with room."""
        chosen: dict[str, str] = {}
        for slot in self._conference.slots_on(application.days):
            fill = Counter(a.workshops.get(slot.id) for a in others)
            ranking = [w for w in application.rankings.get(slot.id, []) if w in slot.workshop_ids]
            ranking += [w for w in slot.workshop_ids if w not in ranking]
            kept = application.workshops.get(slot.id)
            preferred = [kept, *ranking] if kept in slot.workshop_ids else ranking
            with_room = [w for w in preferred if w and fill[w] < slot.workshop(w).capacity]
            workshop = with_room[0] if with_room else preferred[0]
            if not with_room:
                places = slot.workshop(workshop).capacity
                warnings.append(
                    f"Workshop {workshop} is over capacity: {fill[workshop] + 1} of {places}."
                )
            chosen[slot.id] = str(workshop)
        return chosen

    def _extras_for(
        self, application: Application, others: list[Application]
    ) -> dict[str, ExtraState]:
        """A place where one is free (or already held); otherwise the extra's waiting list."""
        extras: dict[str, ExtraState] = {}
        # Only the extras on the days attended.
        capacity = {e.id: e.capacity for e in self._conference.extras_on(application.days)}
        for extra_id in [e for e in application.extras_wanted if e in capacity]:
            held = sum(1 for a in others if a.extras.get(extra_id) == "place")
            has_place = application.extras.get(extra_id) == "place"
            free = held < capacity.get(extra_id, 0)
            extras[extra_id] = "place" if has_place or free else "waitlist"
        return extras

    # -- erase -----------------------------------------------------------------------------
    def erase(self, reference: str) -> Outcome:
        """The right to erasure: a tombstone under a random key keeps status, group and
        what happened when, nothing that names the person.

        First the run records lose what names them (their change entries keep before and
        after, for the counts; a run reason naming them is blanked), and so do other
        applications' history entries (a reason naming them is blanked), then the application
        becomes the tombstone: personal fields and every history entry's free text (an
        organiser's reason may name them) go, the address's key is freed (the person may
        register again; links sent before open nothing; a submission of theirs still waiting
        to be registered is deleted), the public id stays so that the
        lottery order others hold stays checkable. Queued mail carries keys only: for a key
        that no longer names an application the mailer sends nothing. Run the erasure again
        after a failure: each step is repeatable. Holds the run lock, so that no admission
        run writes a record naming them meanwhile (``RunInProgress`` while one runs).
        """
        now = self._clock.now()
        event = self._conference.id
        found = self.find(reference)
        owner = f"erase-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        if not self._runs.acquire_lock(event, owner, now, PROGRAMME_LOCK_TTL):
            raise RunInProgress
        try:
            return self._erase(reference, found, now)
        finally:
            self._runs.release_lock(event, owner)

    def _erase(self, reference: str, found: Application, now: dt.datetime) -> Outcome:
        cleaned = self._forget_in_runs(found)
        others = self._forget_in_other_histories(found)
        current: Application | None = found
        for _ in range(ATTEMPTS):
            if current is None or current.erased:
                raise NotFound(reference)
            tombstone = _tombstone(current, tombstone_key(self._rng), now)
            try:
                self._applications.replace(current, tombstone)
            except ConcurrentUpdate:
                current = self._applications.get(current.event_id, current.applicant_key)
                continue
            self._forget_waiting_submissions(current)
            warnings: tuple[str, ...] = ()
            if current.holds_seat:
                warnings = (
                    "They held a seat: the next admissions run offers it to the waiting list.",
                )
            return Outcome(
                tombstone,
                (),
                warnings,
                run_records_cleaned=cleaned,
                other_histories_cleaned=others,
            )
        raise ConcurrentUpdate(reference)

    def _forget_waiting_submissions(self, erased: Application) -> None:
        """A submission of the same address still waiting to be registered (sent again
        shortly before) goes too: registered afterwards, it would store them anew."""
        for waiting in self._applications.received(erased.event_id):
            if waiting.application.applicant_key == erased.applicant_key:
                self._applications.forget_received(waiting)

    def _forget_in_other_histories(self, erased: Application) -> int:
        """Blank history entries of other applications that name ``erased`` (a reason such
        as "replaces Ms X"); how many applications had one."""

        def names(entry: HistoryEntry) -> bool:
            return bool(entry.detail) and mentions(entry.detail, erased)

        def blank(application: Application) -> bool:
            if not any(names(entry) for entry in application.history):
                return False
            application.history = [
                entry.model_copy(update={"detail": ""}) if names(entry) else entry
                for entry in application.history
            ]
            return True

        cleaned = 0
        for other in self._applications.list(self._conference.id):
            if other.erased or other.public_id == erased.public_id:
                continue
            if any(names(entry) for entry in other.history):
                update_application(
                    self._applications, other.event_id, other.applicant_key, blank, current=other
                )
                cleaned += 1
        return cleaned

    def _forget_in_runs(self, application: Application) -> int:
        """Rewrite the event's run records that name ``application``; how many there were."""
        cleaned = 0
        for run in self._runs.list(self._conference.id):
            redacted = without_person(
                run, application.public_id, lambda text: mentions(text, application)
            )
            if redacted is not None:
                self._runs.put(redacted)
                cleaned += 1
        return cleaned

    # -- mail ------------------------------------------------------------------------------
    def resend(self, reference: str, kind: MailKind, reason: str = "") -> Outcome:
        """Queue ``kind`` again under a new version, so its message id is new."""
        now = self._clock.now()
        reason = " ".join(reason.split())

        def resend(application: Application) -> bool:
            # Decision kinds must also match the stored version, or the mailer drops them.
            fits = states_for(kind)
            if fits is not None and application.status not in fits:
                raise NotAllowed(
                    f"A {kind} email does not fit {application.public_id}, which is "
                    f"{application.status}."
                )
            if kind == "confirm_reminder" and application.confirmed:
                raise NotAllowed(f"{application.public_id} has confirmed their address already.")
            if kind in DECISION_MAILS:
                # The mailer sends a decision email only at the stored decision version.
                application.decision_version += 1
            detail = f"{kind}: {reason}" if reason else kind
            application.record(now, "mail_resent", ORGANISER, detail)
            return True

        updated = self._change(reference, resend).application  # resend always changes it
        version = updated.decision_version if kind in DECISION_MAILS else int(now.timestamp())
        mail = self._queue(kind, updated, version)
        return Outcome(updated, (mail,))

    def programme_mailing(
        self,
        *,
        apply: bool,
        again: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> ProgrammeMailing:
        """Queue the programme email for every accepted participant, once per decision.

        ``again`` sends a new round (e.g. after a room change) to everyone accepted.
        Holds the run lock while writing, so no admissions run changes people meanwhile.
        """
        now = self._clock.now()
        event = self._conference.id
        participants = [a for a in self._applications.list(event) if a.attends and not a.erased]
        # Message ids follow the decision, so a repeated mailing queues nothing new; a new
        # round needs new ids.
        round_version = int(now.timestamp()) if again else None
        due = [a for a in participants if again or not _programme_mailed(a)]
        result = ProgrammeMailing(len(participants), len(due), len(participants) - len(due), apply)
        if not apply or not due:
            return result
        owner = f"program-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        if not self._runs.acquire_lock(event, owner, now, PROGRAMME_LOCK_TTL):
            raise RunInProgress
        try:
            done = 0
            for batch in itertools.batched(due, SQS_BATCH):
                requests = [
                    MailRequest.create(
                        "program", event, a.applicant_key, round_version or a.decision_version
                    )
                    for a in batch
                ]
                # Queued before recorded: a crash in between re-queues the same ids, which
                # the mailer sends once.
                self._mail.enqueue(requests)
                for application in batch:
                    self._record_programme(application, now)
                done += len(batch)
                if progress:
                    progress(done, len(due))
        finally:
            self._runs.release_lock(event, owner)
        return result

    def _record_programme(self, listed: Application, now: dt.datetime) -> None:
        """Note the mailing in the history; the listed item is tried first (no second read)."""

        def record(application: Application) -> bool:
            if not application.attends:
                return False  # cancelled meanwhile: the mailer drops the request too
            application.record(now, PROGRAMME_MAILED, ORGANISER)
            return True

        # The note only decides whether the next mailing skips this person; losing it to
        # writers three times in a row is not worth failing the mailing for.
        with contextlib.suppress(ConcurrentUpdate):
            update_application(
                self._applications, listed.event_id, listed.applicant_key, record, current=listed
            )

    # -- shared ----------------------------------------------------------------------------
    def _queue(self, kind: MailKind, application: Application, version: int) -> MailRequest:
        request = MailRequest.create(kind, self._conference.id, application.applicant_key, version)
        self._mail.enqueue([request])
        return request

    def _change(self, reference: str, mutate: Callable[[Application], bool]) -> Change:
        """Read, mutate, write on the version read; retry on a concurrent update.

        The reference is resolved once (a public id costs a Query); retries read by key.
        """
        found = self.find(reference)
        result = update_application(
            self._applications, found.event_id, found.applicant_key, mutate, current=found
        )
        if result is None:
            raise NotFound(reference)
        return result


def _programme_mailed(application: Application) -> bool:
    """Whether the programme was mailed since the last decision (a workshop change is one)."""
    for entry in reversed(application.history):
        if entry.action == PROGRAMME_MAILED:
            return True
        if entry.action in _DECISION_ACTIONS:
            return False
    return False


def _tombstone(application: Application, key: str, now: dt.datetime) -> Application:
    """Status, group and the history's actions stay for the counts; everything that names a
    person goes, free text included."""
    tombstone = application.model_copy(
        deep=True,
        update={
            "applicant_key": key,
            "email": "",
            "salutation": "none",
            "title": "",
            "given_name": "",
            "family_name": "",
            "function": "",
            "organisation": "",
            "municipality": "",
            "region": "",
            "rankings": {},
            "extras_wanted": [],
            "accessibility": [],
            "accessibility_note": "",
            "dietary": "",
            "dietary_note": "",
            "workshops": {},
            "extras": {},
            "waitlist_position": None,
            "offer_expires_at": None,
            "undeliverable": False,
            "submitted_by": "",
            "submitter_copy": None,
            "submitter_undeliverable": False,
            "substitute": None,
            "erased": True,
            "version": 0,
            # What happened and when stays; the free text (a reason may name them) goes.
            "history": [entry.model_copy(update={"detail": ""}) for entry in application.history],
        },
    )
    tombstone.record(now, "erased", ORGANISER, "personal data erased on request")
    return tombstone
