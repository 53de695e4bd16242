"""What templates see: small frozen views with text already formatted for the reader.

``CommonContext`` is given to every template; the other views are handed over only to the
kinds that declare them in ``context.NEEDS``. They are named tuples: Python 3.12 makes a
frozen dataclass by compiling each of its methods, about 1 ms a class, which the mailer's
first message paid for each of these thirteen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class Links(NamedTuple):
    """Absolute URLs with signed tokens, made by the caller."""

    confirm: str | None
    manage: str
    form: str


class OrganiserView(NamedTuple):
    name: str
    contact_email: str


class VenueView(NamedTuple):
    place: str  # name and address, or the address alone
    address: str
    city: str
    travel_note: str | None  # only as the organisers give it


class SessionView(NamedTuple):
    """The participant's workshop in one slot; ``workshop_title`` None: not assigned yet."""

    slot_title: str
    when: str
    workshop_title: str | None
    room: str | None


class ExtraView(NamedTuple):
    """An extra the participant asked for: a place, or a place on its waiting list."""

    title: str
    short_title: str  # the title up to its colon ("Stadtführung mit Harald Kimpel")
    when: str
    meeting_point: str | None  # only as the organisers give it
    has_place: bool


class DecisionView(NamedTuple):
    # Each day's programme from start to end ("Donnerstag, 11. Mai 2023, 11:00–17:30 Uhr"),
    # so that people can book trains before the programme arrives.
    days: tuple[str, ...]
    # The participant comes on only some of the event's days (those in ``days``).
    some_days_only: bool
    sessions: tuple[SessionView, ...]
    extras: tuple[ExtraView, ...]
    offer_expires: str | None
    # When the offer lapses its seat still goes to the waiting list (not closed by then).
    lapsed_seat_moves_on: bool = True


class OnBehalfView(NamedTuple):
    """Who registered the person, and whether the later mails go to them only."""

    submitter: str
    only: bool


class SubstitutionView(NamedTuple):
    """A seat passed on: whose it was, their organisation, until when it may be taken over."""

    holder: str  # name with title, as in a letter's address line ("Dr. Erika Muster")
    organisation: str
    until: str


class WaitlistView(NamedTuple):
    position: int | None
    offer_ttl_hours: int | None
    # Preferred over the hours when set: the ordinal of the working day the offer ends on,
    # as the language writes it ("3." / "3rd").
    offer_working_day: str | None
    # Why someone may be skipped: seats reserved for groups, the per-organisation cap.
    reserved: bool = False
    cap: int | None = None
    closes: str | None = None  # when the waiting list closes, as the language writes it
    open: bool = True  # a freed seat still goes to the waiting list (not closed yet)


class LotteryView(NamedTuple):
    """The applicant's ticket and the lottery's commitment, where seats are drawn by lot."""

    ticket: str  # e.g. "K7QXA-3MZPD": the applicant finds it in the published draw
    commitment: str  # 64 lowercase hex digits, fixed before the deadline
    check_url: str  # the page that says how anyone checks the draw


class ProgrammeRow(NamedTuple):
    time: str
    title: str
    subtitle: str | None
    speakers: tuple[str, ...]
    session: SessionView | None  # set on the participant's own workshop slot
    extra: ExtraView | None  # set on an extra the participant has a place or waits for


class ProgrammeDayView(NamedTuple):
    date: str
    rows: tuple[ProgrammeRow, ...]


class CommonContext(NamedTuple):
    """What every template (and the shared layouts) may use."""

    language: str
    labels: Mapping[str, str]
    conference_title: str
    dates: str
    venue: VenueView
    organiser: OrganiserView
    reference: str
    name: str
    # The letter's first line, comma included ("Sehr geehrte Frau Dr. Müller,").
    greeting: str
    form_url: str
    # The organisers' legal notice and privacy notice, linked in every mail's footer.
    imprint_url: str | None
    privacy_url: str | None
    # A person registered by someone else: who, and that this mail goes to them too (or
    # only to them); None when the mail goes to the person alone.
    on_behalf_note: str | None = None
