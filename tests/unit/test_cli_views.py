"""What `applications list` and `show` print: stored text shown literally, 80 columns, order."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from rich.console import Console, RenderableType

from registrar.application import HistoryEntry
from registrar.conference import Conference
from registrar_cli import views
from registrar_cli.context import print_table
from tests.support.people import stored

ALL = views.ALL_COLUMNS
HOSTILE_NAMES = ("[/]", "[link=https://evil.example]Klick[/link]", "[bold red]x", "\\[/]")


def printed(*parts: RenderableType, width: int = 80) -> tuple[str, Console]:
    console = Console(width=width, record=True, file=io.StringIO(), color_system="truecolor")
    for part in parts:
        console.print(part)
    return console.export_text(), console


def links(console: Console) -> list[str]:
    return [s.style.link for s in console._record_buffer if s.style and s.style.link]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_list_shows_a_hostile_name_as_typed(conference: Conference, name: str) -> None:
    person = stored(conference, 1, family_name=name, organisation=name)
    table = views.applications_table([person], conference, views.ALL_COLUMNS)
    text, console = printed(table, width=300)
    assert name in text
    assert links(console) == []


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_show_shows_hostile_text_as_typed(conference: Conference, name: str) -> None:
    person = stored(
        conference,
        1,
        given_name=name,
        dietary_note=name,
        history=[HistoryEntry(at=conference.deadline, action="cancelled", actor="x", detail=name)],
    )
    text, console = printed(*views.application_view(person, conference), width=300)
    assert text.count(name) >= 3  # heading, dietary note, history
    assert links(console) == []


def test_the_list_fits_80_columns_with_long_names(conference: Conference) -> None:
    people = [
        stored(
            conference,
            n,
            given_name="Maria-Magdalena Friederike",
            family_name="Schönhausen-Wittgenstein-Übermorgenland",
            organisation="Zweckverband für interkommunale Zusammenarbeit im Landkreis",
            status="waitlisted",
            waitlist_position=n,
            extras={"city_tour": "waitlist"},
        )
        for n in range(1, 13)
    ]
    text, _ = printed(views.applications_table(people, conference, views.DEFAULT_COLUMNS))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "waitlisted #12" in text and "R-TEST-0012" in text
    assert "Zweckverband" in text  # cut with an ellipsis, not dropped


def test_titles_count_in_words(conference: Conference) -> None:
    one, _ = printed(views.applications_table([stored(conference)], conference, ALL))
    none, _ = printed(views.applications_table([], conference, ALL))
    assert "1 application " in one and "0 applications" in none


def test_unconfirmed_is_a_filter_and_a_status_cell(conference: Conference) -> None:
    waiting = stored(conference, 1, confirmed_at=None)
    confirmed = stored(conference, 2)
    assert views.matches(waiting, "unconfirmed", None)
    assert not views.matches(confirmed, "unconfirmed", None)
    assert views.matches(confirmed, "new", None)
    assert views.status_cell(waiting) == "unconfirmed"
    assert views.status_cell(stored(conference, 3, status="waitlisted", waitlist_position=4)) == (
        "waitlisted #4"
    )


def test_sorting_by_each_key(conference: Conference) -> None:
    early = conference.deadline - dt.timedelta(days=30)
    people = [
        stored(conference, 3, family_name="Özdemir", organisation="b", status="waitlisted"),
        stored(conference, 1, family_name="Zander", organisation="Ä", submitted_at=early),
        stored(conference, 2, family_name="Oberg", organisation="c", status="accepted"),
    ]

    def refs(key: views.SortKey) -> list[str]:
        return [a.public_id[-1] for a in views.ordered(people, key)]

    assert refs("ref") == ["1", "2", "3"]
    assert refs("name") == ["2", "3", "1"]  # Oberg, Özdemir (as Ozdemir), Zander
    assert refs("organisation") == ["1", "3", "2"]  # Ä as A
    assert refs("status") == ["1", "2", "3"]  # new, accepted, waitlisted
    assert refs("submitted")[0] == "1"


def test_columns_are_chosen_by_name(conference: Conference) -> None:
    assert views.parse_columns("email, ref") == ("ref", "email")
    with pytest.raises(ValueError, match="phone"):
        views.parse_columns("ref,phone")
    person = stored(conference, 1, municipality="Musterstadt")
    table = views.applications_table(
        [person], conference, views.parse_columns("municipality,email")
    )
    text, _ = printed(table)
    assert "Kommune" in text and "Musterstadt" in text and person.email in text


def test_wide_prints_every_column_in_full(
    conference: Conference, capsys: pytest.CaptureFixture[str]
) -> None:
    long_name = "[link=https://evil.example]Klick[/link]-Wittgenstein-Übermorgenland"
    person = stored(conference, 1, family_name=long_name, organisation="Zweckverband " * 4)
    print_table(views.applications_table([person], conference, ALL, wide=True), wide=True)
    out = capsys.readouterr().out
    assert long_name in out and ("Zweckverband " * 4).strip() in out and person.email in out


def test_show_names_who_registered_the_person_and_where_the_seat_went(
    conference: Conference,
) -> None:
    person = stored(
        conference,
        1,
        submitted_by="buero@example.org",
        submitter_copy="only",
        status="substituted",
        seat_passed_to="R-COLL-EAG1",
    )
    text, _ = printed(*views.application_view(person, conference), width=200)
    lines = {line.split("  ", 1)[0]: line.split("  ", 1)[-1].strip() for line in text.splitlines()}
    assert lines["registered by"] == "buero@example.org (mails to them only)"
    assert lines["seat passed to"] == "R-COLL-EAG1"


def test_days_of_the_event_are_written_in_its_default_language(conference: Conference) -> None:
    detail = "day1: d1-ws2 > d1-ws1 → d1-ws1 > d1-ws2"
    assert views.history_detail(detail, conference).startswith("11.05.: WS II > WS I")
    english = conference.model_copy(update={"default_language": "en"})
    assert views.history_detail(detail, english).startswith("11 May: WS II > WS I")
    one_day = stored(conference, 1, days=[dt.date(2023, 5, 12)])
    assert views.days_cell(one_day, english) == "12 May"
