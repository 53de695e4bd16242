"""Admission runs for people: who moves, tour changes as such, runs by number, history."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console

from registrar.conference import Conference
from registrar.runs import AdmissionRun
from registrar_cli.commands.admissions import _find_run, render_diff
from registrar_cli.commands.applications import summary
from registrar_cli.context import CommandFailed
from registrar_cli.rundiff import describe
from registrar_cli.runview import change_text, changes_table, person_changes
from registrar_cli.views import actor_text, history_detail
from tests.support.people import stored


def recorded(*changes: dict[str, object]) -> dict[str, object]:
    return {"changes": list(changes)}


def test_who_moves_is_named_with_status_and_tour_changes(conference: Conference) -> None:
    waiting = stored(conference, 1, family_name="[/]Wartend", status="waitlisted")
    touring = stored(
        conference, 2, status="accepted", extras={"city_tour": "waitlist"},
        workshops={"day1": "d1-ws1", "day2": "d2-ws2"},
    )  # fmt: skip
    run = recorded(
        {
            "public_id": waiting.public_id,
            "before": "waitlisted",
            "after": "offered",
            "workshops": {"day1": "d1-ws2", "day2": "d2-ws1"},
            "extras": {},
        },
        {
            "public_id": touring.public_id,
            "before": "accepted",
            "after": "accepted",
            "workshops": {"day1": "d1-ws1", "day2": "d2-ws2"},
            "extras": {"city_tour": "place"},
        },
    )
    before = {a.public_id: a for a in (waiting, touring)}
    changes = person_changes(run, before)
    assert [(c["ref"], c["from"], c["to"]) for c in changes] == [
        (waiting.public_id, "waitlisted", "offered"),
        (touring.public_id, "accepted", "accepted"),
    ]
    assert changes[0]["name"] == waiting.display_name
    assert changes[1]["extras"] == {"city_tour": {"from": "waitlist", "to": "place"}}
    assert change_text(changes[0], conference) == (
        "waitlisted → offered; 11.05. WS II, 12.05. WS I"
    )
    assert change_text(changes[1], conference).startswith("city tour: waiting list → place")
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(changes_table(changes, conference))
    text = console.export_text()
    assert "Who moves (2 people)" in text and "[/]Wartend" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_runs_are_found_by_number_or_id(conference: Conference) -> None:
    def run(run_id: str, day: int) -> AdmissionRun:
        at = conference.closes_at + dt.timedelta(days=day)
        return AdmissionRun(
            event_id=conference.id, run_id=run_id, trigger="daily", started_at=at, seed="s",
            inputs_digest="d", eligible=1, stats={}, changes=[], expires_at=at,
        )  # fmt: skip

    runs = [run("20230411T000100-aa", 0), run("20230412T080000-bb", 1)]
    assert _find_run(runs, "#2")[0] == 2 and _find_run(runs, "1")[1].run_id.endswith("aa")
    assert _find_run(runs, "20230412")[0] == 2
    with pytest.raises(CommandFailed, match="No run '#3'"):
        _find_run(runs, "#3")
    with pytest.raises(CommandFailed, match="More than one run"):
        _find_run(runs, "2023")


def test_the_history_says_which_preferences_changed_in_titles(conference: Conference) -> None:
    detail = (
        "day1: d1-ws2 > d1-ws1 > d1-ws3 → d1-ws1 > d1-ws2 > d1-ws3; city_tour: wanted → not wanted"
    )
    assert history_detail(detail, conference) == (
        "11.05.: WS II > WS I > WS III → WS I > WS II > WS III; city tour: wanted → not wanted"
    )
    assert history_detail("from accepted: rief an", conference) == "from accepted: rief an"


def test_the_run_that_decided_is_named_by_its_number() -> None:
    assert (
        actor_text("admissions:20230410T220000000000Z-35d347", {"20230410T220000000000Z-35d347": 1})
        == "run #1"
    )
    assert actor_text("admissions:unknown", {}) == "admissions:unknown"
    assert actor_text("organiser", {}) == "organiser"


def test_a_run_says_who_was_passed_over_in_the_waiting_list_and_why(
    conference: Conference, capsys: pytest.CaptureFixture[str]
) -> None:
    passed = [
        {"public_id": "R-AAAA-AAAA", "reason": "organisation_cap", "group": ""},
        {"public_id": "R-BBBB-BBBB", "reason": "reserved_seat", "group": "mayor"},
        {"public_id": "R-CCCC-CCCC", "reason": "reserved_seat", "group": "mayor"},
    ]
    run = {
        "run_id": "20230412T080000-bb", "dry_run": False, "trigger": "daily", "seed": "s" * 32,
        "eligible": 5, "stats": {}, "changes": [], "passed_over": passed,
    }  # fmt: skip
    diff = describe(run, {})
    assert diff["passed_over"] == passed  # --json names them
    render_diff(diff, [], conference)
    assert (
        "Passed over in the waiting list (over the organisation cap: 1, seat reserved for "
        "group mayor: 2)" in " ".join(capsys.readouterr().out.split())
    )


def test_the_application_list_gives_ref_status_and_the_current_waitlist_position(
    conference: Conference,
) -> None:
    waiting = stored(conference, 1, status="waitlisted", waitlist_position=3, queue_place=9)
    seated = stored(conference, 2, status="accepted")
    assert {k: summary(waiting, conference)[k] for k in ("ref", "status", "waitlist_position")} == {
        "ref": waiting.public_id,
        "status": "waitlisted",
        "waitlist_position": 3,
    }
    assert summary(seated, conference)["waitlist_position"] is None
