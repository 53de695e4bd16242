"""Words and date formats of one mail language, read from ``templates/<lang>/language.yaml``.

Dates and times are written out by hand (no Babel): a mail needs a weekday, a day, a month
name and a clock time, nothing more. Every instant is shown in the event's time zone, which
the caller passes in, so a reader abroad sees the times printed on the programme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from registrar.yaml_files import parse_yaml

TEMPLATES_DIR = Path(__file__).parent / "templates"
_FORMATS = (
    "date",
    "clock",
    "time",
    "datetime",
    "time_range",
    "days_in_month",
    "date_span",
)


class MailLanguageError(ValueError):
    """A language file is missing or incomplete; the message names the file and key."""


@dataclass(frozen=True, slots=True)
class MailLanguage:
    code: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    formats: Mapping[str, str]
    labels: Mapping[str, str]

    def date(self, day: dt.date) -> str:
        """``Donnerstag, 11. Mai 2023``."""
        return self.formats["date"].format(
            weekday=self.weekdays[day.weekday()],
            day=day.day,
            month=self.months[day.month - 1],
            year=day.year,
        )

    def clock(self, hour: int, minute: int) -> str:
        """``12:30`` (no unit: for ranges and tables)."""
        return self.formats["clock"].format(hour=hour, minute=minute)

    def time(self, hour: int, minute: int) -> str:
        """``12:30 Uhr``."""
        return self.formats["time"].format(clock=self.clock(hour, minute))

    def datetime(self, instant: dt.datetime, zone: ZoneInfo) -> str:
        """``Donnerstag, 11. Mai 2023, 12:30 Uhr``, in ``zone`` whatever ``instant``'s zone."""
        if instant.tzinfo is None:
            raise ValueError("MailLanguage.datetime needs an aware datetime")
        local = instant.astimezone(zone)
        return self.formats["datetime"].format(
            date=self.date(local.date()),
            clock=self.clock(local.hour, local.minute),
            zone=local.tzname() or "",
        )

    def time_range(self, start: dt.time, end: dt.time | None) -> str:
        """``12:30–14:45 Uhr``; an open end gives the start alone (``17:30 Uhr``)."""
        if end is None:
            return self.time(start.hour, start.minute)
        return self.formats["time_range"].format(
            start=self.clock(start.hour, start.minute), end=self.clock(end.hour, end.minute)
        )

    def date_span(self, days: Sequence[dt.date]) -> str:
        """``11.–12. Mai 2023``; across months the full dates (``… bis …``)."""
        first, last = min(days), max(days)
        if first == last:
            return self.date(first)
        if (first.year, first.month) == (last.year, last.month):
            return self.formats["days_in_month"].format(
                first_day=first.day,
                last_day=last.day,
                month=self.months[first.month - 1],
                year=first.year,
            )
        return self.formats["date_span"].format(first=self.date(first), last=self.date(last))


@cache
def available_languages() -> tuple[str, ...]:
    """The languages that have templates (a folder with a ``language.yaml``)."""
    return tuple(sorted(path.parent.name for path in TEMPLATES_DIR.glob("*/language.yaml")))


@cache
def load_language(code: str) -> MailLanguage:
    path = TEMPLATES_DIR / code / "language.yaml"
    if not code.isalpha() or not path.is_file():
        raise MailLanguageError(f"{code!r}: no mail templates in this language")
    raw: Any = parse_yaml(path.read_text(encoding="utf-8"))
    source = f"{code}/language.yaml"
    if not isinstance(raw, dict):
        raise MailLanguageError(f"{source}: expected a mapping")
    weekdays = _strings(raw, "weekdays", source, 7)
    months = _strings(raw, "months", source, 12)
    formats = _mapping(raw, "formats", source)
    missing = [name for name in _FORMATS if name not in formats]
    if missing:
        raise MailLanguageError(f"{source}: formats: missing {missing}")
    return MailLanguage(
        code=code,
        weekdays=weekdays,
        months=months,
        formats=MappingProxyType(formats),
        labels=MappingProxyType(_mapping(raw, "labels", source)),
    )


def _strings(raw: dict[str, Any], key: str, source: str, count: int) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or len(value) != count:
        raise MailLanguageError(f"{source}: {key}: expected a list of {count} words")
    return tuple(str(word) for word in value)


def _mapping(raw: dict[str, Any], key: str, source: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise MailLanguageError(f"{source}: {key}: expected a mapping")
    return {str(name): str(text) for name, text in value.items()}
