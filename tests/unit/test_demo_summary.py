"""The demo's summary: each status counted on its own, numbers that add up, readable tables,
admission runs named as `registrar admissions history` names them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from rich.console import Console

from registrar.conference import Conference
from registrar.runs import AdmissionRun, Trigger
from registrar_cli.runview import numbered_runs
from registrar_local.commands import clock_sentence, summary_view
from registrar_local.demo import tally
from tests.support.people import stored


def applied(
    conference: Conference, trigger: Trigger, after: dt.timedelta, moved: int
) -> AdmissionRun:
    at = conference.closes_at + after
    return AdmissionRun(
        event_id=conference.id, run_id=f"{at:%Y%m%dT%H%M%S}-ab12cd", trigger=trigger,
        started_at=at, seed="x", inputs_digest="d", eligible=156,
        stats={"seats_taken": 150}, changes=[], change_counts={"new→accepted": moved},
        emails_queued={"accepted": moved}, expires_at=at,
    )  # fmt: skip


def cycle(conference: Conference) -> dict[str, Any]:
    people = (
        [stored(conference, n, status="accepted") for n in range(148)]
        + [stored(conference, 200 + n, status="offered") for n in range(2)]
        + [stored(conference, 300 + n, status="waitlisted") for n in range(5)]
        + [stored(conference, 400, status="declined", group="mayor")]
    )
    return {
        "event": conference.id,
        "applicants": {"submitted": 156, "refused": 0, "confirmed": 156, "declined": 1},
        **tally(people, 150),
        "runs": numbered_runs([applied(conference, "deadline", dt.timedelta(minutes=1), 156)]),
        "daily_runs": 1,
        "emails_by_kind": {"accepted": 149, "offered": 2, "receipt": 156},
        "outbox": "outbox/index.html",
    }


def printed(data: dict[str, Any], conference: Conference) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    for part in summary_view(data, conference):
        console.print(part)
    return console.export_text()


def test_offered_seats_are_not_counted_as_accepted(conference: Conference) -> None:
    data = cycle(conference)
    assert (data["accepted"], data["offered"], data["waitlisted"]) == (148, 2, 5)
    assert data["seats_taken"] == 150 and data["seats_free"] == 0
    assert data["by_status"] == {"accepted": 148, "offered": 2, "waitlisted": 5, "declined": 1}


def test_the_summary_is_tables_whose_totals_add_up(conference: Conference) -> None:
    text = printed(cycle(conference), conference)
    assert "{" not in text and "}" not in text  # no Python dicts
    assert "150 of 150 taken (148 accepted, 2 offered" in text
    assert "Eingangsbestätigung" in text
    cells = [[c for c in line.split() if c not in "│┃"] for line in text.splitlines()]
    totals = [row[-1] for row in cells if row and row[0] == "total"]
    assert totals == ["156", "307"]  # decisions, emails
    assert max(len(line) for line in text.splitlines()) <= 80


def test_local_clock_speaks_the_events_time(conference: Conference) -> None:
    moved = {"now": "2023-04-10T22:05:00+00:00", "fired": [{"schedule": "DeadlineRun"}]}
    assert clock_sentence(moved, conference) == (
        "Clock at 11.04.2023 00:05 (Europe/Berlin); ran: DeadlineRun."
    )
    assert clock_sentence(moved | {"fired": []}, conference).endswith("nothing was due.")


def test_the_summary_shows_the_scripted_bulk_and_what_suspicious_says(
    conference: Conference,
) -> None:
    bots = [f"R-BOT{n:01d}-0000" for n in range(1, 13)]
    data = cycle(conference) | {
        "applicants": {"submitted": 156, "refused": 0, "confirmed": 156, "scripted": 12}
        | {"scripted_confirmed": 12},
        "suspicious": [
            {
                "kind": "email_domain",
                "subject": "bulk.example",
                "why": "12 applications from addresses at bulk.example within 4 minutes (5 "
                "or more within 30 minutes; not a public mail provider).",
                "count": 12,
                "refs": bots,
                "first": "2023-04-05 09:38",
                "last": "2023-04-05 09:42",
            }
        ],
    }

    text = printed(data, conference)

    assert "A script added 12 clearly marked fakes from one address (12 confirmed)" in text
    assert "Bulk patterns (registrar applications suspicious):" in text
    assert "Email domain: 12 applications from addresses at bulk.example" in text
    assert "Applied 05.04.2023 09:38 – 05.04.2023 09:42." in " ".join(text.split())
    assert all(ref in text for ref in bots)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_without_findings_the_summary_says_so(conference: Conference) -> None:
    text = printed(cycle(conference) | {"suspicious": []}, conference)
    assert "Bulk patterns (registrar applications suspicious):\nNo bulk patterns found." in text


def test_admission_runs_are_named_as_the_history_names_them(conference: Conference) -> None:
    runs = [
        applied(conference, "daily", dt.timedelta(days=1, hours=8), 3),
        applied(conference, "deadline", dt.timedelta(minutes=1), 156),
        applied(conference, "organiser", dt.timedelta(days=2), 1),
    ]
    data = cycle(conference) | {"runs": numbered_runs(runs), "daily_runs": 4}

    text = printed(data, conference)

    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "#1 deadline 11.04.2023 00:01 156 156 150" in lines  # the event's clock
    assert "#2 daily 12.04.2023 08:00 3 3 150" in lines
    assert "#3 organiser 13.04.2023 00:00 1 1 150" in lines
    assert "Schedule" not in text and "DailyRun" not in text
    assert (
        "Numbered as `registrar admissions history` numbers them; 4 daily runs in all, "
        "3 changed nothing (not listed)."
    ) in " ".join(text.split())
