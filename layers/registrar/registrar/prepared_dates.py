"""The event's own dates and times, written in each language when the code is built.

A receipt tells the event's days and the registration deadline; other mails its programme,
workshop and tour times, the date until which a seat may be passed on, when the waiting
list closes; the application form the same, the ordinals of its choices ("1. Wahl") and
the names of the languages it links to. All of them are fixed by the conference definition
and the language files, so the build
(``registrar.prebuilt``) writes them in each language with the same ``i18n.Language``
methods the mails call, which keep each answer (``Language.writing_down``), into
``<code>.dates.json`` beside the language file, stamped with the language file's digest and
Babel's version. A language made from that file finds them there (``i18n``): the mailer's
cold start then loads neither Babel nor a locale's data for a receipt (20–40 ms), nor does
the api's for the form. Dates that are not the event's (an offer's expiry) are formatted
by Babel when a mail or page needs them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from registrar.conference import Conference
from registrar.i18n import Language, Locales, prepared_path, prepared_stamp


def write_event_dates(language: Language, conference: Conference, languages: list[str]) -> None:
    """Format every date and time of ``conference`` that a mail or the form may tell, the
    ordinals of the form's choices and the names of ``languages``, in ``language``."""
    zone = conference.zone
    language.date_span(conference.dates)
    for day in conference.dates:
        language.date(day)
    instants = [
        conference.opens_at,
        conference.deadline,  # as pages write it
        conference.deadline.replace(second=0, microsecond=0),  # as mails write it
        conference.closes_at,
        conference.substitutes_until,
    ]
    closes = conference.admission.waitlist_closes_at
    if closes is not None:
        instants.append(conference.local(closes))
    for instant in instants:
        language.datetime(instant, zone)
    for programme_day in conference.programme:
        language.date(programme_day.date)
        if (span := programme_day.span) is not None:
            language.time_range(*span)
        for item in programme_day.items:
            _times(language, item.start, item.end)
    for slot in conference.workshop_slots:
        language.date(slot.date)
        _times(language, slot.start, slot.end)
    for extra in conference.extras:
        language.date(extra.date)
        _times(language, extra.start, extra.end)
    choices = max((len(slot.workshops) for slot in conference.workshop_slots), default=0)
    for number in range(1, choices + 1):
        language.ordinal(number)
    if conference.admission.offer_working_days is not None:
        language.ordinal(conference.admission.offer_working_days)
    for code in languages:
        language.language_name(code)


def _times(language: Language, start: str, end: str | None) -> None:
    """A span as written in a range, and its start and end on their own."""
    language.time_range(start, end)
    language.time(start)
    if end is not None:
        language.time(end)


def write(locales: Path, conferences: Iterable[Conference]) -> list[Path]:
    """Write ``<code>.dates.json`` for every language file in ``locales``."""
    events = list(conferences)
    folder = Locales(locales)
    written = []
    for code in folder.available:
        language_file = locales / f"{code}.yaml"
        writing = folder.language(code).writing_down()
        for conference in events:
            write_event_dates(writing, conference, list(folder.available))
        target = prepared_path(language_file)
        kept = {"stamp": prepared_stamp(language_file), "texts": dict(writing.written_down)}
        target.write_text(json.dumps(kept, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        written.append(target)
    return written
