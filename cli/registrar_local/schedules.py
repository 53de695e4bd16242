"""When the template's schedules fire, computed for the local clock (moto never fires them).

Supports what EventBridge Scheduler offers and the template uses: one-time ``at(...)`` and
daily ``cron(M H * * ? *)`` expressions, in the schedule's time zone, within its start and
end dates.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from registrar_local.infra.template import ScheduleSpec

_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")
_DAILY_CRON = re.compile(r"^cron\((\d{1,2}) (\d{1,2}) \* \* \? \*\)$")


class UnsupportedSchedule(ValueError):
    """An expression the local stack cannot fire (it names the expression)."""


def _aware(text: str | None, zone: ZoneInfo) -> dt.datetime | None:
    if not text:
        return None
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def fire_times(spec: ScheduleSpec, after: dt.datetime, until: dt.datetime) -> list[dt.datetime]:
    """Instants in (after, until] at which the schedule fires."""
    zone = ZoneInfo(spec.timezone or "UTC")
    start = _aware(spec.start_date, zone)
    end = _aware(spec.end_date, zone)
    candidates: list[dt.datetime] = []
    at = _AT.match(spec.expression)
    daily = _DAILY_CRON.match(spec.expression)
    if at:
        candidates = [dt.datetime.fromisoformat(at.group(1)).replace(tzinfo=zone)]
    elif daily:
        minute, hour = int(daily.group(1)), int(daily.group(2))
        day = after.astimezone(zone).date()
        while True:
            instant = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)
            if instant > until:
                break
            candidates.append(instant)
            day += dt.timedelta(days=1)
    else:
        raise UnsupportedSchedule(f"{spec.logical_id}: cannot fire {spec.expression!r} locally")
    return [
        instant
        for instant in candidates
        if after < instant <= until
        and (start is None or instant >= start)
        and (end is None or instant <= end)
    ]
