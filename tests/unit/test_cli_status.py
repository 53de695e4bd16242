"""`registrar status` as people read it: totals, unconfirmed apart, local times, 80 columns."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from rich.console import Console

from registrar.application import STATUSES
from registrar.conference import Conference, unset_by_organisers
from registrar_cli.status import SPLIT_COLUMNS, split_status, status_view
from registrar_cli.text import plural, span, until
from tests.support.people import stored


def overview(conference: Conference, now: dt.datetime, registration: str) -> dict[str, Any]:
    split = {
        group: {column: 1 + index for index, column in enumerate(SPLIT_COLUMNS)}
        for group in conference.group_ids
    }
    by_status = dict.fromkeys(STATUSES, 0)
    for counts in split.values():
        for column, count in counts.items():
            by_status["new" if column.startswith("new") else column] += count
    return {
        "event": conference.id,
        "title": conference.title["de"],
        "now": now.isoformat(),
        "deadline": conference.deadline.isoformat(),
        "closes_at": conference.closes_at.isoformat(),
        "registration": registration,
        "capacity": 150,
        "seats_taken": 150,
        "seats_free": 0,
        "applications": sum(by_status.values()),
        "erased": 2,
        "by_status": by_status,
        "by_group_split": split,
        "last_run": {"trigger": "daily", "started_at": "2023-04-12T06:00:00+00:00"},
        "runs_applied": 2,
        "mail_queue": 1,
        "mail_failed": 0,
        "undeliverable": 1,
        "unset_by_organisers": unset_by_organisers(conference.id),
        "reserved": {g.id: g.reserved for g in conference.attendee_groups},
    }


def printed(data: dict[str, Any], conference: Conference, *, wide: bool = False) -> str:
    console = Console(width=200 if wide else 80, record=True, file=io.StringIO())
    for part in status_view(data, conference, wide=wide):
        console.print(part)
    return console.export_text()


def test_after_the_deadline_it_says_closed_since(conference: Conference) -> None:
    after = conference.closes_at + dt.timedelta(days=2)
    text = printed(overview(conference, after, "closed"), conference)
    assert "Registration closed since 10.04.2023 23:59" in text
    assert "left" not in text and "0:00:00" not in text
    assert "Last run: #2 (daily), 12.04.2023 08:00." in text
    assert "1 email queued" in text and "1 address undeliverable" in text


def test_before_the_deadline_it_counts_the_days_left(conference: Conference) -> None:
    now = conference.local(dt.datetime(2023, 2, 2, 12, 0))
    text = printed(overview(conference, now, "open"), conference)
    assert "Registration open until 10.04.2023 23:59 (67 days left)" in text


def test_every_line_fits_80_columns_with_every_status(conference: Conference) -> None:
    text = printed(overview(conference, conference.closes_at, "closed"), conference)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_total_rows_and_new_split_by_confirmation(conference: Conference) -> None:
    data = overview(conference, conference.closes_at, "closed")
    groups = len(conference.group_ids)
    text = printed(data, conference)
    by_status = {
        line[:20].strip(): line[20:].split()
        for line in text.splitlines()
        if line[:20].strip() in {"new, not confirmed", "new, confirmed", "total"}
    }
    assert by_status["new, not confirmed"] == [str(groups * 1)]
    assert by_status["new, confirmed"] == [str(groups * 2)]
    assert by_status["total"][0] == str(data["applications"])
    matrix = printed(data, conference, wide=True)
    total_row = next(line for line in matrix.splitlines() if line.startswith("total"))
    expected = [groups * (1 + i) for i in range(len(SPLIT_COLUMNS))]
    assert total_row.split()[1:] == [*map(str, expected), str(sum(expected))]
    assert split_status(stored(conference, confirmed_at=None)) == "new_unconfirmed"
    assert split_status(stored(conference)) == "new_confirmed"


def test_groups_show_seats_against_their_reservation(conference: Conference) -> None:
    data = overview(conference, conference.closes_at, "closed")
    data["by_group_split"] = {"mayor": {"accepted": 20, "offered": 2, "waitlisted": 4}}
    row = next(line for line in printed(data, conference).splitlines() if line.startswith("mayor"))
    assert row.split()[1:5] == ["26", "22", "30", "4"]  # applications, seats, reserved, waiting


def test_the_definitions_unset_values_are_listed(conference: Conference) -> None:
    text = " ".join(
        printed(overview(conference, conference.closes_at, "closed"), conference).split()
    )
    count = len(unset_by_organisers(conference.id))
    assert f"Still marked 'ORGANISERS: set' in the definition ({count}):" in text
    assert "admission.capacity" in text


def test_spans_and_plurals_as_people_write_them(conference: Conference) -> None:
    assert plural(1, "application") == "1 application"
    assert plural(2, "application") == "2 applications"
    assert plural(0, "address", "addresses") == "0 addresses"
    assert span(dt.timedelta(days=67, hours=3)) == "67 days"
    assert span(dt.timedelta(days=1, hours=2)) == "1 day 2 hours"
    assert span(dt.timedelta(hours=1, minutes=1)) == "1 hour 1 minute"
    assert span(dt.timedelta(seconds=20)) == "less than a minute"
    deadline, closes = conference.deadline, conference.closes_at
    assert until(deadline, closes, closes, conference) == "closed since 10.04.2023 23:59"
    last_minute = closes - dt.timedelta(seconds=30)
    assert until(deadline, closes, last_minute, conference).endswith("(less than a minute left)")
