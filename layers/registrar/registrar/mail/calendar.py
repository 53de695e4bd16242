"""The ``.ics`` attached to the programme mail: the event days and a participant's own dates.

One VEVENT per event day the participant attends (spanning its programme, with the day's
items as description), one per assigned workshop (the room, where the organisers set one,
as LOCATION) and one per extra with a place. Times
carry the event's TZID with a matching VTIMEZONE; UIDs derive from event, applicant and
item, so a second programme mail updates the entries instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event

from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import Language

CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
_PRODID = "-//registrar//programme mail//EN"


@dataclass(frozen=True, slots=True)
class _Entry:
    item: str  # stable within one applicant and event: part of the UID
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None  # None: only the start is known
    location: str
    description: str


def calendar_filename(conference: Conference, language: Language) -> str:
    return f"{conference.id}-{language.text('mail.calendar_file')}.ics"


def programme_calendar(
    application: Application, conference: Conference, language: Language, now: dt.datetime
) -> bytes:
    """The participant's calendar, as iCalendar bytes (METHOD:PUBLISH)."""
    if now.tzinfo is None:
        raise ValueError("programme_calendar needs an aware 'now'")
    calendar = Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", conference.text(conference.title, language.code))
    stamp = now.astimezone(dt.UTC)
    for entry in _entries(application, conference, language):
        event = Event()
        event.add("uid", _uid(conference, application, entry.item))
        event.add("dtstamp", stamp)
        event.add("sequence", application.decision_version)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        if entry.end is not None:
            event.add("dtend", entry.end)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        calendar.add_component(event)
    first, last = min(conference.dates), max(conference.dates)
    # A VTIMEZONE covering the event's years only, not 1970-2038.
    calendar.add_missing_timezones(
        first_date=dt.date(first.year, 1, 1), last_date=dt.date(last.year + 1, 1, 1)
    )
    result: bytes = calendar.to_ical()
    return result


def _uid(conference: Conference, application: Application, item: str) -> str:
    return f"{item}.{application.public_id.lower()}.{conference.id}@registrar"


def _entries(application: Application, conference: Conference, language: Language) -> list[_Entry]:
    text = conference.text
    at_venue = _at_venue(conference)
    # Only the days the participant attends; a day keeps its number in the event ("Tag 2").
    attended = conference.attended_days(application.days)
    entries = [
        _day_entry(conference, language, date, number)
        for number, date in enumerate(sorted(conference.dates), start=1)
        if date in attended
    ]
    for slot in conference.slots_on(application.days):
        workshop_id = application.workshops.get(slot.id)
        workshop = next((w for w in slot.workshops if w.id == workshop_id), None)
        if workshop is None:
            continue
        entries.append(
            _Entry(
                item=f"workshop-{slot.id}",
                summary=text(workshop.title, language.code),
                start=conference.at(slot.date, slot.start),
                end=conference.at(slot.date, slot.end),
                location=f"{workshop.room}, {at_venue}" if workshop.room else at_venue,
                description="\n\n".join(
                    part
                    for part in (
                        text(slot.title, language.code),
                        ""
                        if workshop.description is None
                        else text(workshop.description, language.code),
                    )
                    if part
                ),
            )
        )
    for extra in conference.extras_on(application.days):
        if application.extras.get(extra.id) != "place":
            continue
        entries.append(
            _Entry(
                item=f"extra-{extra.id}",
                summary=text(extra.title, language.code),
                start=conference.at(extra.date, extra.start),
                end=None if extra.end is None else conference.at(extra.date, extra.end),
                location=""
                if extra.meeting_point is None
                else text(extra.meeting_point, language.code),
                description="",
            )
        )
    return entries


def _at_venue(conference: Conference) -> str:
    return conference.venue.place


def _day_entry(conference: Conference, language: Language, date: dt.date, number: int) -> _Entry:
    title = conference.text(conference.title, language.code)
    summary = language.text("mail.calendar_day", title=title, number=number)
    item = f"day-{date:%Y%m%d}"
    location = _at_venue(conference)
    day = next((day for day in conference.programme if day.date == date), None)
    # Extras have their own entries and are not for everyone: they do not stretch the day.
    items = [] if day is None else [entry for entry in day.items if entry.extra is None]
    if not items:
        # No programme for the day: an all-day entry (DTEND is exclusive).
        return _Entry(item, summary, date, date + dt.timedelta(days=1), location, "")
    times = [clock for entry in items for clock in (entry.start, entry.end) if clock]
    lines = [
        f"{entry.start}{'–' + entry.end if entry.end else ''} "
        f"{conference.text(entry.title, language.code)}"
        for entry in items
    ]
    return _Entry(
        item=item,
        summary=summary,
        start=conference.at(date, min(times)),
        end=conference.at(date, max(times)),
        location=location,
        description="\n".join(lines),
    )
