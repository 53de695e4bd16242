"""The applicant's pages as rendered: the new fields, the announcement's facts, the footer."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest

from registrar.conference import Conference
from registrar.submission import FieldError
from registrar.web.pages import render_confirm, render_form, render_message


def test_the_form_asks_for_salutation_title_and_function(conference: Conference) -> None:
    page = render_form(conference, "de")
    for code, label in [("frau", "Frau"), ("herr", "Herr"), ("divers", "divers")]:
        assert f'id="salutation-{code}" name="salutation" value="{code}"' in page
        assert f'<label for="salutation-{code}">{label}</label>' in page
    assert 'value="none" checked' in page  # "keine Angabe" until chosen
    assert "Zum Beispiel Dr., Prof. oder Prof. Dr." in page  # any title may be typed
    assert '<option value="Prof. Dr.">' in page  # suggested as one types
    assert 'name="title"' in page and 'name="function"' in page
    assert "Zum Beispiel Bürgermeisterin oder Leiterin Stabsstelle Ehrenamt" in page


def test_the_role_choice_reads_as_the_announcement_writes(conference: Conference) -> None:
    page = render_form(conference, "de")
    assert "<legend>Sie nehmen teil als … *</legend>" in page
    assert "Landrätin / Landrat" in page
    assert "Mitglied einer kommunalen Vertretung (Gemeinderat, Stadtrat, Kreistag)" in page
    assert "Landes- oder Bundesebene" in page
    assert "Oberbürgermeisterin / Oberbürgermeister oder Bürgermeisterin / Bürgermeister" in page
    assert "·in" not in page


def test_federal_and_foreign_participants_find_their_entry(conference: Conference) -> None:
    page = render_form(conference, "de")
    assert '<option value="bundesweit">bundesweit tätig</option>' in page
    assert '<option value="ausland">außerhalb Deutschlands</option>' in page


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "de",
            [
                "Prof. Dr. Gesine Schwan",
                "Donnerstag, 11. Mai 2023, 11:00–17:30 Uhr; 18:00 Uhr: Stadtführung",
                "Freitag, 12. Mai 2023, 09:00–14:00 Uhr",
                "#deinehrenamt Gemeinsam engagiert",
                "„Strategisches Handeln der Kommunen anregen und ermöglichen",
                "Der Kongress richtet sich insbesondere an Oberbürgermeisterinnen",
                "können Sie sich bis zum Anmeldeschluss für den Kongress voranmelden",
                "Nach dem Anmeldeschluss werden die Plätze verlost; für einige Gruppen sind "
                "Plätze reserviert",
                "je Organisation erhalten höchstens 2 Personen einen Platz",
                "Ihre Voranmeldung ist unverbindlich, bis wir Ihnen einen Platz bestätigen.",
                '<button type="submit">Jetzt voranmelden</button>',
                "Gebärdensprachdolmetschen (DGS)",
                "1. Wahl",
            ],
        ),
        (
            "en",
            [
                "Thursday, 11 May 2023, 11:00–17:30; 18:00: City tour",
                "Friday, 12 May 2023, 09:00–14:00",
                "at most 2 people per organisation get a place",
                "not binding until we confirm a place for you",
                '<button type="submit">Pre-register now</button>',
                "Please rank the workshops in order of preference.",
                "1st choice",
                "3rd choice",
                "Do you have any accessibility requirements?",
                "Dietary requirements",
            ],
        ),
    ],
)
def test_the_form_shows_the_announcements_facts_above_the_fields(
    conference: Conference, lang: str, expected: list[str]
) -> None:
    page = render_form(conference, lang)
    fields_start = page.index('<form method="post" action="/applications"')
    for text in expected[:4]:
        assert text in page[:fields_start], text
    for text in expected:
        assert text in page, text
    assert "Verbindlich" not in page
    assert "<details>\n  <summary>" not in page[:fields_start]  # not collapsed


def test_nothing_the_announcement_does_not_say(conference: Conference) -> None:
    page = render_form(conference, "de")
    assert "Tagungsort Kassel" not in page
    assert "Haltestelle" not in page
    assert "Obere Königsstraße 8, 34117 Kassel" in page
    # day 2's workshops are described by their titles alone: no empty descriptions
    assert "Was der Wandel der kommunalen Selbstverwaltung" not in page
    assert page.count("Worum geht es in diesen Workshops?") == 1  # day 1 only


@pytest.mark.parametrize(
    "page",
    [
        lambda c: render_form(c, "de"),
        lambda c: render_message(c, "de", "Titel", ["Text"]),
        lambda c: render_confirm(c, "de", "TOKEN"),
    ],
)
def test_every_page_links_imprint_and_privacy_notice(
    conference: Conference, page: Callable[[Conference], str]
) -> None:
    html = page(conference)
    footer = html[html.index("<footer>") :]
    assert f'<a href="{conference.imprint_url}">Impressum</a>' in footer
    assert f'<a href="{conference.privacy_notice_url}">Datenschutzerklärung</a>' in footer


def test_dietary_other_without_a_note_is_named_beside_the_note(conference: Conference) -> None:
    errors = [FieldError("dietary_note", "dietary_note_required")]
    page = render_form(conference, "de", values={"dietary": "other"}, errors=errors)
    assert re.search(r'id="dietary_note-error">Bitte beschreiben Sie, welche Verpflegung', page)
    assert 'id="dietary-other" name="dietary" value="other" checked' in page


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        (
            "de",
            "Reservierte Plätze (Oberbürgermeisterinnen / Oberbürgermeister, Bürgermeisterinnen"
            " / Bürgermeister, Landrätinnen / Landräte: 30; Kommunale Verwaltungen: 40; "
            "Zivilgesellschaftliche Organisationen: 30) kommen zur allgemeinen Chance hinzu: "
            "Personen, die zu einer dieser Gruppen gehören, nehmen zuerst wie alle anderen an "
            "der Vergabe der 50 nicht reservierten Plätze teil",
        ),
        (
            "en",
            "Reserved places (Mayors and district administrators: 30; Municipal "
            "administrations: 40; Civil society organisations: 30) come on top of everyone's "
            "chance: members of these groups first take part, like everyone else, in the "
            "allocation of the 50 places that are not reserved",
        ),
    ],
)
def test_the_form_says_what_a_reservation_means_with_the_definitions_numbers(
    conference: Conference, lang: str, sentence: str
) -> None:
    assert conference.admission.precedence == "open_first"
    assert sentence in html.unescape(render_form(conference, lang))


def test_with_reserved_seats_first_the_form_says_so(conference: Conference) -> None:
    admission = conference.admission.model_copy(update={"precedence": "reserved_first"})
    reserved_first = conference.model_copy(update={"admission": admission})
    page = html.unescape(render_form(reserved_first, "en"))
    assert "members of these groups first take part in the allocation of their group's" in page
    assert "come on top" not in page
