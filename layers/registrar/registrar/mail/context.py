"""The one place where a mail's template context is built, and what each kind may use.

``NEEDS`` declares, per mail kind, which keys its templates get beyond the common ones;
the builder hands over exactly those, and templates render with ``StrictUndefined``, so a
template that reaches for anything undeclared fails in the tests instead of printing a gap.
Values are the frozen views of ``views``, with text already formatted for the mail's
language and the event's time zone: templates choose words, they compute nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, Literal, NamedTuple

from registrar.application import Application
from registrar.conference import Conference, Extra, ProgrammeDay, ProgrammeItem, WorkshopSlot
from registrar.i18n import Language
from registrar.mail.recipients import recipients
from registrar.mail.text import applicant_text
from registrar.mail.views import (
    CommonContext,
    DecisionView,
    ExtraView,
    Links,
    LotteryView,
    OnBehalfView,
    OrganiserView,
    ProgrammeDayView,
    ProgrammeRow,
    SessionView,
    SubstitutionView,
    VenueView,
    WaitlistView,
)
from registrar.mail_queue import MailKind
from registrar.salutation import letter_greeting

ContextKey = Literal[
    "confirm_url",
    "deadline",
    "admission_order",
    "manage_url",
    "decision",
    "waitlist",
    "programme",
    "lottery",
    "substitution",
    "on_behalf",
    "late",
    "extra_places",
]

NEEDS: Final[Mapping[MailKind, frozenset[ContextKey]]] = MappingProxyType(
    {
        "receipt": frozenset(
            {"confirm_url", "deadline", "admission_order", "manage_url", "lottery", "on_behalf"}
        ),
        "already_registered": frozenset({"manage_url"}),
        "confirm_reminder": frozenset({"confirm_url", "deadline", "on_behalf"}),
        "accepted": frozenset({"decision", "manage_url", "late"}),
        "offered": frozenset({"decision", "manage_url", "late"}),
        "waitlisted": frozenset({"waitlist", "manage_url", "lottery"}),
        "not_admitted": frozenset({"late"}),
        "offer_expired": frozenset({"waitlist"}),
        "withdrawn": frozenset(),
        "declined": frozenset({"waitlist"}),
        "cancelled": frozenset(),
        "program": frozenset({"programme", "decision", "manage_url"}),
        "substitute_confirm": frozenset({"confirm_url", "decision", "substitution"}),
        "substituted": frozenset(),
        "extra_place": frozenset({"extra_places"}),
    }
)
# Sent to whoever typed an address that is already registered: no personal detail but the
# reference, not even the name given at registration. Every mail to an address not yet
# confirmed is written the same way (``carries_no_applicant_text``): whoever typed it could
# have typed anything into the name fields, and the mail comes from the organisers' domain.
ANONYMOUS: Final[frozenset[MailKind]] = frozenset({"already_registered"})


def carries_no_applicant_text(kind: MailKind, application: Application) -> bool:
    """Whether the mail must carry nothing the applicant typed (name, title, organisation):
    the address is not proven to be theirs yet, or the kind is written for anyone."""
    return kind in ANONYMOUS or not application.confirmed


# Kinds that make no sense without a confirmation link.
NEEDS_CONFIRM_LINK: Final[frozenset[MailKind]] = frozenset(
    {"confirm_reminder", "substitute_confirm"}
)


class MissingLink(ValueError):
    """The kind needs a link the caller did not give (e.g. a reminder without ``confirm``)."""


class MailInputs(NamedTuple):
    kind: MailKind
    application: Application
    conference: Conference
    links: Links
    now: dt.datetime
    language: Language
    lottery: LotteryView | None = None  # the mailer's: ticket and commitment
    # substitute_confirm: the participant whose seat is offered (else the application).
    seat_holder: Application | None = None

    def text(self, value: Mapping[str, str]) -> str:
        return self.conference.text(value, self.language.code)


def common_keys() -> frozenset[str]:
    return frozenset(CommonContext._fields)


def build_context(inputs: MailInputs) -> dict[str, object]:
    """The template context for ``inputs.kind``: the common keys plus its declared needs."""
    common = _common(inputs)
    context: dict[str, object] = common._asdict()
    for key in sorted(NEEDS[inputs.kind]):
        context[key] = _BUILDERS[key](inputs)
    return context


def _common(inputs: MailInputs) -> CommonContext:
    conference, application = inputs.conference, inputs.application
    venue = conference.venue
    anonymous = carries_no_applicant_text(inputs.kind, application)
    return CommonContext(
        language=inputs.language.code,
        labels=inputs.language.section("mail"),
        conference_title=inputs.text(conference.title),
        dates=inputs.language.date_span(conference.dates),
        venue=VenueView(
            place=venue.place,
            address=venue.address,
            city=venue.city,
            travel_note=None if venue.travel_note is None else inputs.text(venue.travel_note),
        ),
        organiser=OrganiserView(
            name=inputs.text(conference.organiser.name),
            contact_email=conference.organiser.contact_email,
        ),
        reference=applicant_text(application.public_id),
        name="" if anonymous else applicant_text(application.display_name),
        greeting=(
            f"{inputs.language.text('mail.greeting_no_name')},"
            if anonymous
            else applicant_text(
                letter_greeting(
                    inputs.language.code,
                    application.salutation,
                    application.title,
                    application.given_name,
                    application.family_name,
                )
            )
        ),
        form_url=inputs.links.form,
        imprint_url=None if conference.imprint_url is None else str(conference.imprint_url),
        privacy_url=(
            None if conference.privacy_notice_url is None else str(conference.privacy_notice_url)
        ),
        on_behalf_note=_on_behalf_note(inputs),
    )


def _on_behalf_note(inputs: MailInputs) -> str | None:
    """Said in the footer of every mail that goes to the submitter as well (or instead)."""
    application = inputs.application
    addressed = recipients(inputs.kind, application)
    if application.submitted_by not in addressed.all:
        return None
    mode = "on_behalf_only" if addressed.to == application.submitted_by else "on_behalf_copy"
    return inputs.language.text(f"mail.{mode}", submitter=applicant_text(application.submitted_by))


def _confirm_url(inputs: MailInputs) -> str | None:
    if inputs.kind in NEEDS_CONFIRM_LINK:
        if inputs.links.confirm is None:
            raise MissingLink(f"a {inputs.kind} mail needs links.confirm")
        return inputs.links.confirm
    return None if inputs.application.confirmed else inputs.links.confirm


def _deadline(inputs: MailInputs) -> str:
    conference = inputs.conference
    # The whole last minute counts, but people read "23:59", not "23:59:59".
    return inputs.language.datetime(
        conference.deadline.replace(second=0, microsecond=0), conference.zone
    )


def _admission_order(inputs: MailInputs) -> str:
    return inputs.conference.admission.order


def _manage_url(inputs: MailInputs) -> str:
    return inputs.links.manage


def _lottery(inputs: MailInputs) -> LotteryView | None:
    """Ticket and commitment, where seats are drawn by lot (first come: no lottery to tell)."""
    return inputs.lottery if inputs.conference.admission.order == "lottery" else None


def _late(inputs: MailInputs) -> bool:
    """Confirmed after the deadline: a seat for it freed up after the deadline run."""
    return inputs.application.was_late


def _extra_places(inputs: MailInputs) -> tuple[ExtraView, ...]:
    """The extras the participant has a place in (the email says one freed up)."""
    return tuple(
        view
        for extra in inputs.conference.extras
        if (view := _extra(inputs, extra)) is not None and view.has_place
    )


def _decision(inputs: MailInputs) -> DecisionView:
    expires = inputs.application.offer_expires_at
    days = inputs.application.days
    return DecisionView(
        days=_day_times(inputs),
        some_days_only=len(inputs.conference.attended_days(days)) < len(inputs.conference.dates),
        sessions=tuple(_session(inputs, slot) for slot in inputs.conference.slots_on(days)),
        extras=tuple(
            view
            for extra in inputs.conference.extras_on(days)
            if (view := _extra(inputs, extra)) is not None
        ),
        offer_expires=None
        if expires is None
        else inputs.language.datetime(expires, inputs.conference.zone),
        lapsed_seat_moves_on=inputs.conference.waitlist_open_at(expires or inputs.now),
    )


def _day_times(inputs: MailInputs) -> tuple[str, ...]:
    """The programme's span on each day the participant attends."""
    language = inputs.language
    return tuple(
        f"{language.date(day.date)}, {language.time_range(span[0], span[1])}"
        for day in _programme_days(inputs)
        if (span := day.span) is not None
    )


def _on_behalf(inputs: MailInputs) -> OnBehalfView | None:
    application = inputs.application
    if not application.submitted_by:
        return None
    return OnBehalfView(
        submitter=applicant_text(application.submitted_by),
        only=application.submitter_copy == "only",
    )


def _substitution(inputs: MailInputs) -> SubstitutionView:
    holder = inputs.seat_holder or inputs.application
    conference = inputs.conference
    until = conference.substitutes_until
    return SubstitutionView(
        holder=applicant_text(" ".join(p for p in (holder.title, holder.display_name) if p)),
        organisation=applicant_text(holder.organisation),
        until=inputs.language.datetime(until, conference.zone),
    )


def _programme_days(inputs: MailInputs) -> tuple[ProgrammeDay, ...]:
    attended = inputs.conference.attended_days(inputs.application.days)
    return tuple(day for day in inputs.conference.programme if day.date in attended)


def _waitlist(inputs: MailInputs) -> WaitlistView:
    conference = inputs.conference
    admission = conference.admission
    days = admission.offer_working_days
    closes = admission.waitlist_closes_at
    return WaitlistView(
        position=inputs.application.waitlist_position,
        offer_ttl_hours=admission.offer_ttl_hours,
        offer_working_day=None if days is None else inputs.language.ordinal(days),
        reserved=any(group.reserved for group in conference.attendee_groups),
        cap=admission.spread_cap,
        closes=None
        if closes is None
        else inputs.language.datetime(conference.local(closes), conference.zone),
        open=conference.waitlist_open_at(inputs.now),
    )


def _programme(inputs: MailInputs) -> tuple[ProgrammeDayView, ...]:
    return tuple(
        ProgrammeDayView(
            date=inputs.language.date(day.date),
            rows=tuple(_programme_row(inputs, item) for item in day.items),
        )
        for day in _programme_days(inputs)
    )


def _programme_row(inputs: MailInputs, item: ProgrammeItem) -> ProgrammeRow:
    slot = next((s for s in inputs.conference.workshop_slots if s.id == item.workshop_slot), None)
    extra = next((e for e in inputs.conference.extras if e.id == item.extra), None)
    return ProgrammeRow(
        time=inputs.language.time_range(item.start, item.end),
        title=inputs.text(item.title),
        subtitle=None if item.subtitle is None else inputs.text(item.subtitle),
        speakers=tuple(item.speakers),
        session=None if slot is None else _session(inputs, slot),
        extra=None if extra is None else _extra(inputs, extra),
    )


def _session(inputs: MailInputs, slot: WorkshopSlot) -> SessionView:
    workshop_id = inputs.application.workshops.get(slot.id)
    workshop = next((w for w in slot.workshops if w.id == workshop_id), None)
    return SessionView(
        slot_title=inputs.text(slot.title),
        when=_when(inputs, slot.date, slot.start, slot.end),
        workshop_title=None if workshop is None else inputs.text(workshop.title),
        room=None if workshop is None else workshop.room,
    )


def _extra(inputs: MailInputs, extra: Extra) -> ExtraView | None:
    state = inputs.application.extras.get(extra.id)
    if state is None:
        return None
    title = inputs.text(extra.title)
    return ExtraView(
        title=title,
        short_title=title.split(":")[0].strip(),
        when=_when(inputs, extra.date, extra.start, extra.end),
        meeting_point=None if extra.meeting_point is None else inputs.text(extra.meeting_point),
        has_place=state == "place",
    )


def _when(inputs: MailInputs, day: dt.date, start: str, end: str | None) -> str:
    """The day and the time range, or the start alone where no end is given."""
    language = inputs.language
    return f"{language.date(day)}, {language.time_range(start, end)}"


_BUILDERS: Final[Mapping[ContextKey, Callable[[MailInputs], object]]] = MappingProxyType(
    {
        "confirm_url": _confirm_url,
        "deadline": _deadline,
        "admission_order": _admission_order,
        "manage_url": _manage_url,
        "decision": _decision,
        "waitlist": _waitlist,
        "programme": _programme,
        "lottery": _lottery,
        "substitution": _substitution,
        "on_behalf": _on_behalf,
        "late": _late,
        "extra_places": _extra_places,
    }
)
