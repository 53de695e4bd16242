"""What templates see: small frozen views with text already formatted for the reader.

``CommonContext`` is given to every template; the other views are handed over only to the
kinds that declare them in ``context.NEEDS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Links:
    """Absolute URLs with signed tokens, made by the caller."""

    confirm: str | None
    manage: str
    form: str


@dataclass(frozen=True, slots=True)
class OrganiserView:
    name: str
    contact_email: str


@dataclass(frozen=True, slots=True)
class VenueView:
    name: str
    address: str
    city: str
    travel_note: str


@dataclass(frozen=True, slots=True)
class SessionView:
    """The participant's workshop in one slot; ``workshop_title`` None: not assigned yet."""

    slot_title: str
    when: str
    workshop_title: str | None
    room: str | None


@dataclass(frozen=True, slots=True)
class ExtraView:
    """An extra the participant asked for: a place, or a place on its waiting list."""

    title: str
    when: str
    meeting_point: str
    has_place: bool


@dataclass(frozen=True, slots=True)
class DecisionView:
    sessions: tuple[SessionView, ...]
    extras: tuple[ExtraView, ...]
    offer_expires: str | None


@dataclass(frozen=True, slots=True)
class WaitlistView:
    position: int | None
    offer_ttl_hours: int | None


@dataclass(frozen=True, slots=True)
class ProgrammeRow:
    time: str
    title: str
    subtitle: str | None
    speakers: tuple[str, ...]
    session: SessionView | None  # set on the participant's own workshop slot
    extra: ExtraView | None  # set on an extra the participant has a place or waits for


@dataclass(frozen=True, slots=True)
class ProgrammeDayView:
    date: str
    rows: tuple[ProgrammeRow, ...]


@dataclass(frozen=True, slots=True)
class CommonContext:
    """What every template (and the shared layouts) may use."""

    language: str
    labels: Mapping[str, str]
    conference_title: str
    dates: str
    venue: VenueView
    organiser: OrganiserView
    reference: str
    name: str
    form_url: str
