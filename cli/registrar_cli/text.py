"""Text for people at a terminal: stored values shown safely, times and counts as people write them.

Every value that comes from the store (names, organisations, reasons, anything an applicant
typed) goes through ``shown`` before Rich sees it: Rich reads ``[...]`` as markup, so a
family name ``[/]`` would crash a table and ``[link=...]`` would print a hidden hyperlink.
Times are the event's wall clock as the event's language writes them (``10.04.2023 23:59``
for a German event: its ``formats.date_time_short``, ``registrar.i18n``; a day of it
``11.05.``, its ``formats.day_month``); the CLI's
sentences are English, so spans of time are too (``67 days left``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from registrar.i18n import language

if TYPE_CHECKING:
    from registrar.conference import Conference


def shown(value: Any) -> str:
    """A stored value as text Rich prints literally (``None`` as empty)."""
    return escape("" if value is None else str(value))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 application``, ``2 applications``, ``0 applications``."""
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count} {word}"


def local_time(instant: dt.datetime | str | None, event: Conference) -> str:
    """An instant on the event's wall clock, e.g. ``10.04.2023 23:59`` (empty for none)."""
    if instant is None or instant == "":
        return ""
    if isinstance(instant, str):
        instant = dt.datetime.fromisoformat(instant)
    return language(event.default_language).date_time_short(instant, event.zone)


def event_day(day: dt.date, event: Conference) -> str:
    """A day of the event without its year, e.g. ``11.05.`` (``formats.day_month``)."""
    return language(event.default_language).day_month(day)


def span(delta: dt.timedelta) -> str:
    """A positive span as people say it: ``67 days``, ``1 day 3 hours``, ``5 minutes``."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days >= 2:
        return plural(days, "day")
    if days == 1:
        return f"1 day {plural(hours, 'hour')}" if hours else "1 day"
    if hours:
        return (
            f"{plural(hours, 'hour')} {plural(minutes, 'minute')}"
            if minutes
            else plural(hours, "hour")
        )
    return plural(minutes, "minute") if minutes else "less than a minute"


def until(
    deadline: dt.datetime, closes_at: dt.datetime, now: dt.datetime, event: Conference
) -> str:
    """``10.04.2023 23:59 (67 days left)`` before ``closes_at``, ``closed since …`` after."""
    if now >= closes_at:
        return f"closed since {local_time(deadline, event)}"
    return f"{local_time(deadline, event)} ({span(closes_at - now)} left)"
