"""An application: what one person submitted, where it stands, and how it got there.

The status is the admission state (``new`` until the first run decides); confirmation of the
email address is tracked separately because it is orthogonal to the decision. Each change
is recorded as a HistoryEntry without personal data, so the history survives erasure.

``STATES`` is the one table of the statuses: what each means (a seat, a waiting-list place,
final, a participant, preferences still open, the email that tells it) and which status it
may become, on whose action. Services, the allocation, the pages, the mail queue and the
CLI read it; none restates it. Adding a status is one edit here: its name in ``Status`` and
its row in ``STATES`` (the table refuses to build without the row). Invariants, checked
when the table is built and by ``tests/unit/test_application_states.py``:

- every status has exactly one row, and every move names a status of the table;
- no move leads from a status to itself (staying put is no transition);
- a final status is left only by an organiser's override;
- a status that holds a seat holds no waiting-list place and is not final;
- every status an admissions run may set has the email that tells the applicant.

A move's further conditions (an offer accepted only before it lapses, preferences changed
only while registration is open) belong to the use case that checks them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, NamedTuple, get_args

from pydantic import BaseModel, ConfigDict, Field

from registrar.errors import TransitionNotAllowed

if TYPE_CHECKING:
    from registrar.mail_queue import MailKind

Status = Literal[
    "new",
    "accepted",
    "offered",
    "waitlisted",
    "not_admitted",
    "declined",
    "cancelled",
    "withdrawn",
    "expired",
    "substituted",
    "late",
]
ExtraState = Literal["place", "waitlist"]
# Where the mails of an application registered on someone's behalf go besides the person:
# "copy": to the person, the submitter in copy; "only": to the submitter alone.
SubmitterCopy = Literal["copy", "only"]
STATUSES: tuple[Status, ...] = get_args(Status)


class Actor(StrEnum):
    """Who may move an application from one status to another.

    Nothing else moves one: an offer lapses at the next admissions run (the run's move), and
    bounces and complaints mark the address undeliverable without changing the status.
    """

    APPLICANT = "applicant"  # through the signed link in their emails
    ADMISSIONS = "admissions"  # an admissions run (the deadline's, a daily one, an organiser's)
    ORGANISER = "organiser"  # through the command line, with a reason


_WHO: Final[Mapping[Actor, str]] = {
    Actor.APPLICANT: "by the applicant",
    Actor.ADMISSIONS: "by an admissions run",
    Actor.ORGANISER: "by an organiser",
}


def _by(*actors: Actor) -> frozenset[Actor]:
    return frozenset(actors)


class StateRule(NamedTuple):
    """One status: what it means, and which status it may become on whose action."""

    moves: Mapping[Status, frozenset[Actor]]  # target status -> who may move it there
    seat: bool = False  # counts against the capacity
    waitlist_place: bool = False  # has a place in the waiting list's order
    final: bool = False  # out of the running: no applicant action, no admissions run moves it
    attends: bool = False  # a participant: the programme, lists and badges are for them
    preferences_open: bool = False  # the applicant may still change rankings and extras
    mail: MailKind | None = None  # the decision email that tells the applicant this status


_APPLICANT, _RUN, _ORGANISER = Actor.APPLICANT, Actor.ADMISSIONS, Actor.ORGANISER


def _checked(rules: dict[Status, StateRule]) -> Mapping[Status, StateRule]:
    """The table, read-only, once it holds its invariants (see the module docstring)."""
    problems = [f"{status}: no row" for status in STATUSES if status not in rules]
    problems += [f"{status}: not a status" for status in rules if status not in STATUSES]
    for status, rule in rules.items():
        problems += [
            f"{status} -> {target}: unknown" for target in rule.moves if target not in STATUSES
        ]
        if status in rule.moves:
            problems.append(f"{status}: moves to itself")
        if rule.final and any(who - {_ORGANISER} for who in rule.moves.values()):
            problems.append(f"{status}: final, yet left by someone other than an organiser")
        if rule.seat and (rule.waitlist_place or rule.final):
            problems.append(f"{status}: a seat and a waiting-list place or final")
    for status, rule in rules.items():
        for target, who in rule.moves.items():
            if _RUN in who and target in rules and rules[target].mail is None:
                problems.append(f"{status} -> {target}: set by a run, told by no email")
    if problems:
        raise ValueError("application state table: " + "; ".join(problems))
    return MappingProxyType(
        {s: rules[s]._replace(moves=MappingProxyType(dict(rules[s].moves))) for s in STATUSES}
    )


STATES: Final[Mapping[Status, StateRule]] = _checked(
    {
        "new": StateRule(
            preferences_open=True,
            moves={
                "accepted": _by(_RUN, _ORGANISER),
                "offered": _by(_RUN),
                "waitlisted": _by(_RUN),
                "not_admitted": _by(_RUN),
                "withdrawn": _by(_APPLICANT),
                "cancelled": _by(_ORGANISER),
                "late": _by(_APPLICANT),  # the address confirmed after the deadline
            },
        ),
        "accepted": StateRule(
            seat=True,
            attends=True,
            mail="accepted",
            moves={
                "declined": _by(_APPLICANT),
                "cancelled": _by(_ORGANISER),
                # to a colleague, once they confirmed their address (services.substitution)
                "substituted": _by(_APPLICANT),
            },
        ),
        "offered": StateRule(
            seat=True,
            mail="offered",
            moves={
                "accepted": _by(_APPLICANT, _ORGANISER),
                "declined": _by(_APPLICANT),
                "expired": _by(_RUN),  # the offer lapsed
                "cancelled": _by(_ORGANISER),
            },
        ),
        "waitlisted": StateRule(
            waitlist_place=True,
            preferences_open=True,
            mail="waitlisted",
            moves={
                "accepted": _by(_RUN, _ORGANISER),
                "offered": _by(_RUN),
                "not_admitted": _by(_RUN),  # the waiting list closed
                "withdrawn": _by(_APPLICANT),
                "cancelled": _by(_ORGANISER),
            },
        ),
        # Told that no place is left: no run changes that (only an organiser's override).
        "not_admitted": StateRule(mail="not_admitted", moves={"accepted": _by(_ORGANISER)}),
        "declined": StateRule(final=True, mail="declined", moves={"accepted": _by(_ORGANISER)}),
        "cancelled": StateRule(final=True, mail="cancelled", moves={"accepted": _by(_ORGANISER)}),
        "withdrawn": StateRule(final=True, mail="withdrawn", moves={"accepted": _by(_ORGANISER)}),
        "expired": StateRule(mail="offer_expired", moves={"accepted": _by(_ORGANISER)}),
        "substituted": StateRule(
            final=True, mail="substituted", moves={"accepted": _by(_ORGANISER)}
        ),
        # Confirmed after the deadline: not in the deadline run; later runs seat it only
        # after every timely applicant (``allocation.Applicant.late``). It keeps no
        # waiting-list place; when the waiting list closes, a run tells it no seat is left.
        "late": StateRule(
            moves={
                "accepted": _by(_RUN, _ORGANISER),
                "offered": _by(_RUN),
                "not_admitted": _by(_RUN),
                "withdrawn": _by(_APPLICANT),
                "cancelled": _by(_ORGANISER),
            },
        ),
    }
)


def _where(holds: Callable[[StateRule], bool]) -> frozenset[Status]:
    return frozenset(status for status, rule in STATES.items() if holds(rule))


HOLDS_SEAT: Final = _where(lambda rule: rule.seat)
HOLDS_WAITLIST_PLACE: Final = _where(lambda rule: rule.waitlist_place)
FINAL: Final = _where(lambda rule: rule.final)
ATTENDS: Final = _where(lambda rule: rule.attends)
PREFERENCES_OPEN: Final = _where(lambda rule: rule.preferences_open)


def can_transition(source: Status, target: Status, actor: Actor) -> bool:
    """Whether ``actor`` may move an application from ``source`` to ``target``."""
    return actor in STATES[source].moves.get(target, ())


def sources(target: Status, actor: Actor) -> tuple[Status, ...]:
    """The statuses ``actor`` may move to ``target``, in the order of ``STATUSES``."""
    return tuple(s for s in STATUSES if can_transition(s, target, actor))


def targets(actor: Actor) -> tuple[Status, ...]:
    """The statuses ``actor`` may set, in the order of ``STATUSES``."""
    return tuple(t for t in STATUSES if sources(t, actor))


# Waiting for a seat that an admissions run may give them.
IN_THE_RUNNING: Final = frozenset(s for seat in HOLDS_SEAT for s in sources(seat, Actor.ADMISSIONS))


def require_transition(
    source: Status,
    target: Status,
    actor: Actor,
    subject: str = "The application",
    error: type[TransitionNotAllowed] = TransitionNotAllowed,
) -> None:
    """Raise ``error`` with a sentence saying why, unless the state table allows the move.

    ``subject`` names the application in the sentence (a public id; never personal data).
    """
    if can_transition(source, target, actor):
        return
    allowed = [s.replace("_", " ") for s in sources(target, actor)]
    which = "no" if not allowed else "only " + ", ".join(allowed[:-1])
    which += f" or {allowed[-1]}" if len(allowed) > 1 else "".join(allowed[-1:])
    raise error(
        f"{subject} is {source.replace('_', ' ')}: {which} applications can be "
        f"{target.replace('_', ' ')} {_WHO[actor]}."
    )


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    action: str
    actor: str  # "applicant", "admissions:<run id>", "organiser"
    detail: str = ""


class SubstituteNomination(BaseModel):
    """A colleague named to take over the seat, until they confirm their address."""

    model_config = ConfigDict(frozen=True)

    applicant_key: str  # the colleague's own key: their application is stored under it
    public_id: str  # the reference their application will have
    email: str
    salutation: str = "none"
    title: str = ""
    given_name: str
    family_name: str
    function: str = ""
    language: str
    nominated_at: dt.datetime


class Application(BaseModel):
    """One application as stored; personal fields are blanked on erasure."""

    model_config = ConfigDict(validate_assignment=True)

    event_id: str
    applicant_key: str
    public_id: str
    email: str
    given_name: str
    family_name: str
    # How to address the person (``registrar.salutation``); items stored before these
    # fields existed load with the neutral defaults.
    salutation: str = "none"
    title: str = ""
    function: str = ""
    organisation: str
    municipality: str
    region: str
    group: str
    # The role chosen on the form (``Conference.roles``); "" on items stored before roles.
    role: str = ""
    # The event days the person attends (the form's choice); empty on items stored before
    # the choice existed, which attend every day.
    days: list[dt.date] = Field(default_factory=list)
    rankings: dict[str, list[str]]
    extras_wanted: list[str] = Field(default_factory=list)
    accessibility: list[str] = Field(default_factory=list)
    accessibility_note: str = ""
    dietary: str = ""
    dietary_note: str = ""
    language: str
    consent_version: str
    submitted_at: dt.datetime
    confirmed_at: dt.datetime | None = None
    status: Status = "new"
    decision_version: int = 0
    workshops: dict[str, str] = Field(default_factory=dict)
    extras: dict[str, ExtraState] = Field(default_factory=dict)
    waitlist_position: int | None = None
    # The place in the waiting list's order, fixed by the run that first waitlisted it.
    queue_place: int | None = None
    offer_expires_at: dt.datetime | None = None
    decided_by_run: str | None = None
    undeliverable: bool = False
    erased: bool = False
    history: list[HistoryEntry] = Field(default_factory=list)
    # Registered by someone else (``submitted_by``: their address, blanked on erasure),
    # who gets the mails as ``submitter_copy`` says; "" for people who registered themselves.
    submitted_by: str = ""
    submitter_copy: SubmitterCopy | None = None
    # SES reported the submitter's address undeliverable (a bounce or complaint naming it
    # alone): mails then go to the person's own address only.
    submitter_undeliverable: bool = False
    # Substitution: the colleague named (until they confirm), then the public id of the
    # other side once the seat moved (never an address: the history survives erasure).
    substitute: SubstituteNomination | None = None
    seat_passed_to: str = ""
    seat_taken_over_from: str = ""
    expires_at: dt.datetime
    version: int = 0

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def holds_seat(self) -> bool:
        return self.status in HOLDS_SEAT

    @property
    def attends(self) -> bool:
        return self.status in ATTENDS

    def attends_day(self, day: dt.date) -> bool:
        """Whether the person comes on ``day`` (every day when no choice was stored)."""
        return not self.days or day in self.days

    @property
    def was_late(self) -> bool:
        """Confirmed after the deadline: it moved to ``late`` once (its history says so),
        whatever it became since. An organiser's acceptance of an unconfirmed address is
        not a late confirmation."""
        return any(entry.action == "late" for entry in self.history)

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def decide(self, at: dt.datetime, status: Status, actor: str, detail: str) -> None:
        """A new decision by someone other than an admissions run: recorded, versioned.

        The decision version tells the mailer which decision email is current; an open
        offer and a waiting-list place end with any such decision.
        """
        self.record(at, status, actor, detail)
        self.status = status
        self.decision_version += 1
        self.offer_expires_at = None
        self.waitlist_position = None

    def record(self, at: dt.datetime, action: str, actor: str, detail: str = "") -> None:
        self.history = [
            *self.history,
            HistoryEntry(at=at, action=action, actor=actor, detail=detail),
        ]
