"""Dates and times for people, in the event's time zone and the reader's language."""

from __future__ import annotations

import datetime as dt

_WEEKDAYS = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "de": (
        "Januar", "Februar", "März", "April", "Mai", "Juni",
        "Juli", "August", "September", "Oktober", "November", "Dezember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip


def _lang(language: str) -> str:
    return language if language in _MONTHS else "en"


def format_date(day: dt.date, language: str) -> str:
    """``Donnerstag, 11. Mai 2023`` / ``Thursday, 11 May 2023``."""
    lang = _lang(language)
    weekday = _WEEKDAYS[lang][day.weekday()]
    month = _MONTHS[lang][day.month - 1]
    if lang == "de":
        return f"{weekday}, {day.day}. {month} {day.year}"
    return f"{weekday}, {day.day} {month} {day.year}"


def format_time(clock: dt.time | dt.datetime, language: str) -> str:
    """``12:30 Uhr`` / ``12:30``."""
    text = f"{clock.hour:02d}:{clock.minute:02d}"
    return f"{text} Uhr" if _lang(language) == "de" else text


def format_datetime(instant: dt.datetime, zone: dt.tzinfo, language: str) -> str:
    """``Montag, 10. April 2023, 23:59 Uhr`` in the given zone."""
    local = instant.astimezone(zone)
    return f"{format_date(local.date(), language)}, {format_time(local, language)}"


def format_date_range(days: list[dt.date], language: str) -> str:
    """``11. und 12. Mai 2023`` / ``11 and 12 May 2023`` for consecutive days in one month."""
    lang = _lang(language)
    first, last = min(days), max(days)
    if first == last:
        return format_date(first, lang)
    month = _MONTHS[lang][last.month - 1]
    if first.month == last.month and first.year == last.year:
        if lang == "de":
            return f"{first.day}.–{last.day}. {month} {last.year}"
        return f"{first.day}–{last.day} {month} {last.year}"
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


def format_time_range(start: dt.time, end: dt.time, language: str) -> str:
    """``11:00–17:30 Uhr`` / ``11:00–17:30``."""
    text = f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}"
    return f"{text} Uhr" if _lang(language) == "de" else text


def format_ordinal(number: int, language: str) -> str:
    """``1.`` / ``1st``, ``2nd``, ``3rd``, ``11th``, ``21st``."""
    if _lang(language) == "de":
        return f"{number}."
    if 11 <= number % 100 <= 13:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"
