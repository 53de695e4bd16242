"""An application: what one person submitted, where it stands, and how it got there.

The status is the admission state (``new`` until the first run decides); confirmation of the
email address is tracked separately because it is orthogonal to the decision. Each change
is recorded as a HistoryEntry without personal data, so the history survives erasure.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

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
]
ExtraState = Literal["place", "waitlist"]
STATUSES: tuple[Status, ...] = get_args(Status)
HOLDS_SEAT: frozenset[Status] = frozenset({"accepted", "offered"})


class HistoryEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: dt.datetime
    action: str
    actor: str  # "applicant", "admissions:<run id>", "organiser"
    detail: str = ""


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
    offer_expires_at: dt.datetime | None = None
    decided_by_run: str | None = None
    undeliverable: bool = False
    duplicate_notice_at: dt.datetime | None = None
    erased: bool = False
    history: list[HistoryEntry] = Field(default_factory=list)
    expires_at: dt.datetime
    version: int = 0

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def holds_seat(self) -> bool:
        return self.status in HOLDS_SEAT

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
