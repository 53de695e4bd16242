"""Which days a person attends, in words: the form's answers, and the label that pages and
lists show for a stored choice ("Nur am Freitag, 12. Mai 2023")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from registrar.conference import Conference
from registrar.i18n import language, translate
from registrar.submission import ALL_DAYS, day_choices


def day_options(conference: Conference, lang: str) -> list[dict[str, str]]:
    """The answers to "Which days?": every day, then each day alone (one-day events: none)."""
    return [
        {
            "id": choice,
            "label": _every_day(conference, lang)
            if choice == ALL_DAYS
            else _only(dt.date.fromisoformat(choice), lang),
        }
        for choice in day_choices(conference)
    ]


def days_answer(days: Collection[dt.date], conference: Conference) -> str:
    """The form's answer that stands for the days stored: the one day, or ``all``."""
    attended = conference.attended_days(days)
    return attended[0].isoformat() if len(attended) == 1 else ALL_DAYS


def days_text(conference: Conference, days: Collection[dt.date], lang: str) -> str:
    """The days a person attends, as the form's answer reads; no choice: every day."""
    attended = conference.attended_days(days)
    if len(attended) == len(conference.dates):
        return _every_day(conference, lang)
    return "; ".join(_only(day, lang) for day in attended)


def _every_day(conference: Conference, lang: str) -> str:
    key = "ui.days_both" if len(conference.dates) == 2 else "ui.days_all"
    return translate(lang, key, dates=language(lang).date_span(conference.dates))


def _only(day: dt.date, lang: str) -> str:
    return translate(lang, "ui.days_only", date=language(lang).date(day))
