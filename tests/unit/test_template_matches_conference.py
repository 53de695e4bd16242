"""One source of truth: the template's schedules say what the conference definition says."""

from __future__ import annotations

from registrar.conference import Conference
from registrar_local.infra import template as tpl


def test_deadline_schedule_fires_when_registration_closes(conference: Conference) -> None:
    defaults = tpl.parameter_defaults(tpl.load_template())
    closes = conference.closes_at.replace(tzinfo=None).isoformat()
    assert defaults["DeadlineScheduleExpression"] == f"at({closes})"
    assert defaults["EventTimezone"] == conference.timezone
    assert defaults["ConferenceId"] == conference.id


def test_daily_runs_span_deadline_to_event(conference: Conference) -> None:
    import datetime as dt

    defaults = tpl.parameter_defaults(tpl.load_template())
    start = dt.datetime.fromisoformat(defaults["DailyRunStart"].replace("Z", "+00:00"))
    end = dt.datetime.fromisoformat(defaults["DailyRunEnd"].replace("Z", "+00:00"))
    assert conference.closes_at < start < end
    assert end <= conference.at(min(conference.dates), "00:00") + dt.timedelta(days=1)
    assert defaults["RetentionDays"] == str(conference.retention_days)
