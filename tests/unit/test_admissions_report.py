"""The admissions report: figures against the data, both languages, nothing loaded from afar."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import html
import re
from collections import Counter

import pytest

from registrar.conference import Conference
from registrar.lottery import ticket
from registrar.services.admissions import spread_key
from registrar_cli.report.data import ReportData, ReportError, gather, greedy_first_come
from registrar_cli.report.render import render_report
from tests.support.print_world import CAPPED_ORGANISATIONS, DecidedEvent, decided_event

GENERATED = dt.datetime(2023, 4, 12, 9, 0, tzinfo=dt.UTC)
EXTERNAL = ('src="http', "src='http", "<script src", "@import", "url(http", 'href="http', "<link")


@pytest.fixture(scope="module")
def event(conference: Conference) -> DecidedEvent:
    return decided_event(conference)


@pytest.fixture(scope="module")
def data(event: DecidedEvent) -> ReportData:
    return gather(event.applications(), event.runs.runs, event.conference)


@pytest.fixture(scope="module")
def pages(data: ReportData, conference: Conference) -> dict[str, str]:
    return {lang: render_report(data, conference, lang, GENERATED) for lang in ("de", "en")}


def table(page: str, table_id: str) -> list[list[str]]:
    """The body rows of one table, as the text of their cells."""
    found = re.search(rf'<table id="{re.escape(table_id)}">(.*?)</table>', page, re.S)
    assert found, table_id
    body = re.search(r"<tbody>(.*?)</tbody>", found.group(1), re.S)
    assert body
    rows = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in rows
    ]


def test_the_page_loads_nothing_from_elsewhere(pages: dict[str, str]) -> None:
    for page in pages.values():
        for reference in EXTERNAL:
            assert reference not in page
        assert "<script" not in page
        assert "http://" not in page and "https://" not in page  # no address at all
        assert page.count("<svg") == 2 + 2 * 2  # groups, regions; fill and choices per day


def test_both_languages_with_german_by_default(pages: dict[str, str]) -> None:
    assert '<html lang="de">' in pages["de"] and "Zulassungsbericht" in pages["de"]
    assert "Plätze nach Bundesland" in pages["de"] and "Warteliste" in pages["de"]
    assert '<html lang="en">' in pages["en"] and "Admissions report" in pages["en"]
    assert "Seats by federal state" in pages["en"] and "Zulassungsbericht" not in pages["en"]


def test_it_prints_on_a4(pages: dict[str, str]) -> None:
    assert "@page { size: A4" in pages["de"] and "@media print" in pages["de"]


def test_every_chart_has_its_table_as_text_alternative(pages: dict[str, str]) -> None:
    page = pages["de"]
    for labelled in re.findall(r'<figure role="img" aria-labelledby="([^"]+)">', page):
        assert f'id="{labelled}"' in page
        assert re.search(rf'<caption id="{labelled}">', page)
    assert page.count("<figure") == page.count("<svg")


def test_group_table_matches_the_applications(
    pages: dict[str, str], event: DecidedEvent, conference: Conference
) -> None:
    seated = Counter(a.group for a in event.applications() if a.status in {"accepted", "offered"})
    waiting = Counter(a.group for a in event.applications() if a.status == "waitlisted")
    rows = table(pages["de"], "groups-table")
    assert len(rows) == len(conference.attendee_groups)
    for group, row in zip(conference.attendee_groups, rows, strict=True):
        assert row[0] == group.label["de"]
        assert row[1] == str(group.reserved)
        assert row[3] == str(seated[group.id])
        assert row[4] == str(waiting[group.id])


def test_region_table_matches_the_applications(
    pages: dict[str, str], event: DecidedEvent, conference: Conference
) -> None:
    seated = Counter(a.region for a in event.applications() if a.status in {"accepted", "offered"})
    rows = {row[0]: row for row in table(pages["en"], "regions-table")}
    for region in conference.form_options.regions:
        assert rows[conference.text(region.label, "en")][2] == str(seated[region.id])
    assert sum(int(row[2]) for row in rows.values()) == sum(seated.values())


def test_the_cap_lists_exactly_who_waits_behind_a_full_organisation(
    pages: dict[str, str], event: DecidedEvent, data: ReportData
) -> None:
    capped = {
        a.public_id
        for a in event.applications()
        if a.organisation in CAPPED_ORGANISATIONS and a.status == "waitlisted"
    }
    assert capped and {p.ref for p in data.passed_over} == capped
    rows = table(pages["de"], "cap-table")
    assert {row[0] for row in rows} == capped
    assert all(row[3] == "2" for row in rows)
    # Only refs and the organisation: no names, no addresses.
    names = {a.family_name for a in event.applications() if a.public_id in capped}
    section = pages["de"].split('id="cap"')[1].split("</section>")[0]
    assert not any(name in section for name in names)
    assert "@example.org" not in pages["de"]


def test_workshop_fill_and_choices_match_the_assignments(
    pages: dict[str, str], event: DecidedEvent, conference: Conference
) -> None:
    seated = [a for a in event.applications() if a.status in {"accepted", "offered"}]
    for slot in conference.workshop_slots:
        fill = Counter(a.workshops[slot.id] for a in seated)
        rows = table(pages["de"], f"fill-{slot.id}")
        # no rooms set (the announcement names none): no room column
        assert [int(row[2]) for row in rows] == [fill[w.id] for w in slot.workshops]
        assert all(w.room is None for w in slot.workshops)
        ranks = Counter(a.rankings[slot.id].index(a.workshops[slot.id]) + 1 for a in seated)
        choices = table(pages["de"], f"choices-{slot.id}")
        assert [int(row[1]) for row in choices] == [ranks[n] for n in (1, 2, 3)]
        assert sum(int(row[3]) for row in choices) == len(seated)


def test_the_greedy_baseline_serves_whoever_comes_first() -> None:
    rankings = [("a", "b", "c"), ("a", "b", "c"), ("a", "c", "b"), ("b", "a", "c")]
    # a holds one: the first gets a; the second b (2nd); the third c (2nd); the fourth
    # finds b full and a full: c, their 3rd choice.
    assert greedy_first_come(rankings, {"a": 1, "b": 1, "c": 2}) == (1, 2, 1)


def test_the_city_tour_counts_places_and_waiting(
    pages: dict[str, str], event: DecidedEvent
) -> None:
    tour = Counter(
        a.extras.get("city_tour")
        for a in event.applications()
        if a.status in {"accepted", "offered"}
    )
    rows = table(pages["de"], "extra-city_tour-table")
    assert rows == [
        ["Kapazität", "25"],
        ["Plätze", str(tour["place"])],
        ["Auf der Warteliste der Führung", str(tour["waitlist"])],
    ]


def test_the_waiting_list_in_order_and_the_changes_of_the_last_run(
    pages: dict[str, str], event: DecidedEvent, data: ReportData
) -> None:
    waiting = sorted(
        (a for a in event.applications() if a.status == "waitlisted"),
        key=lambda a: a.waitlist_position or 0,
    )
    rows = table(pages["de"], "waitlist-table")
    assert [(row[0], row[1]) for row in rows] == [
        (str(a.waitlist_position), a.public_id) for a in waiting
    ]
    assert data.run is not None and data.previous_run is not None
    assert (data.run.number, data.previous_run.number) == (2, 1)
    changes = {(row[0], row[1]): int(row[2]) for row in table(pages["de"], "changes-table")}
    assert changes[("Warteliste", "Platz angeboten")] == 3  # the three declined seats
    assert "Was sich mit Lauf 2 geändert hat" in pages["de"]


def test_an_earlier_run_can_be_chosen_and_an_unknown_one_is_refused(
    event: DecidedEvent, conference: Conference
) -> None:
    first = sorted(event.runs.runs, key=lambda r: r.started_at)[0]
    chosen = gather(event.applications(), event.runs.runs, conference, first.run_id[:12])
    assert chosen.run is not None and chosen.run.run_id == first.run_id
    assert chosen.previous_run is None
    page = render_report(chosen, conference, "en", GENERATED)
    assert "This was the first run." in page
    with pytest.raises(ReportError, match="No applied run 'nope'"):
        gather(event.applications(), event.runs.runs, conference, "nope")


def test_the_lottery_section_says_what_the_record_holds_and_how_to_check_it(
    pages: dict[str, str], data: ReportData, event: DecidedEvent
) -> None:
    assert data.run is not None
    page = pages["de"]
    assert data.run.seed in page and data.run.inputs_digest in page
    # The documented check is the real one: HMAC-SHA256(seed, ticket) orders the waiting
    # list within each part (the capped wait behind everybody else).
    ticket_key = event.runs.lotteries[event.conference.id].drawn.ticket_key
    capped = {p.ref for p in data.passed_over}
    order = [ticket(ticket_key, ref) for _, ref, _ in data.waitlist if ref not in capped]
    places = [
        hmac.new(data.run.seed.encode(), code.encode(), hashlib.sha256).hexdigest()
        for code in order
    ]
    assert places == sorted(places)
    assert "SHA-256-Prüfwert vor dem Anmeldeschluss auf dem Formular" in page
    assert "registrar lottery verify" in page


def test_without_any_run_the_report_says_so(event: DecidedEvent, conference: Conference) -> None:
    data = gather(event.applications(), [], conference)
    assert data.run is None
    page = render_report(data, conference, "en", GENERATED)
    assert "No admissions run yet" in page


def test_hostile_text_is_escaped(event: DecidedEvent, conference: Conference) -> None:
    hostile = [
        a.model_copy(update={"organisation": "<script>alert(1)</script>"})
        if a.organisation == CAPPED_ORGANISATIONS[0]
        else a
        for a in event.applications()
    ]
    assert len({spread_key(a) for a in hostile if a.organisation.startswith("<")}) == 1
    page = render_report(gather(hostile, event.runs.runs, conference), conference, "de", GENERATED)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_every_run_that_changed_something_is_listed(
    pages: dict[str, str], event: DecidedEvent, data: ReportData
) -> None:
    applied = [r for r in event.runs.runs if not r.dry_run]
    rows = table(pages["de"], "runs-table")
    assert [row[0] for row in rows] == [str(n) for n in range(1, len(applied) + 1)]
    assert [row[1] for row in rows] == ["Lauf zur Frist", "täglicher Lauf"]
    assert "Warteliste → Platz angeboten: 3" in rows[1][3]


def test_role_table_matches_the_applications(
    pages: dict[str, str], event: DecidedEvent, conference: Conference
) -> None:
    seated = Counter(a.role for a in event.applications() if a.status in {"accepted", "offered"})
    rows = table(pages["de"], "roles-table")
    assert sum(int(row[2]) for row in rows) == sum(seated.values())
    labels = {role.id: role.label["de"] for role in conference.roles}
    for row in rows:
        role = next((r for r, label in labels.items() if label == row[0]), "")
        assert row[2] == str(seated[role])
