"""Working days at the venue: how long an offer to someone moved up from the waiting list runs.

An offer made at any moment runs until 23:59 of the Nth working day after that day. Working
days are Monday to Friday without the public holidays of the venue's state (``holidays``
knows them per German state, e.g. Whit Monday everywhere, Corpus Christi in Hessen). Pure:
the moment is passed in; the result is in the event's time zone. The whole last minute
counts, as for the registration deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from functools import cache
from zoneinfo import ZoneInfo

_LAST_MINUTE = dt.time(23, 59, 59, 999_999)


@cache
def _public_holidays(country: str, state: str | None, year: int) -> Container[dt.date]:
    # Imported when first needed (about 0.3 s): only a run that makes offers counts days.
    import holidays

    found: Container[dt.date] = holidays.country_holidays(country, subdiv=state, years=year)
    return found


def is_working_day(day: dt.date, country: str, state: str | None) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(country, state, day.year)


def offer_deadline(
    made_at: dt.datetime, working_days: int, zone: ZoneInfo, country: str, state: str | None
) -> dt.datetime:
    """The end (23:59, local) of the ``working_days``-th working day after ``made_at``'s day.

    Made on Thursday before Easter with 3 working days: Good Friday and Easter Monday are
    holidays, so the offer runs until Wednesday 23:59.
    """
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    day = made_at.astimezone(zone).date()
    counted = 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_working_day(day, country, state):
            counted += 1
    return dt.datetime.combine(day, _LAST_MINUTE, tzinfo=zone)
