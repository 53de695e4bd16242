"""The participants export: status texts as `applications show` gives them, confirmation."""

from __future__ import annotations

import csv
import io

from registrar.conference import Conference
from registrar_cli import export
from registrar_cli.labels import status_text
from tests.support.people import stored


def exported(conference: Conference, language: str = "de") -> list[dict[str, str]]:
    people = [
        stored(conference, 1, confirmed_at=None),
        stored(conference, 2),
        stored(conference, 3, status="waitlisted", waitlist_position=1),
    ]
    cols = export.columns(conference, with_status=True)
    rows = export.build_rows(export.participants(people, True), conference, language)
    text = export.to_csv(rows, cols, ";").removeprefix(export.BOM)
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_an_unconfirmed_application_is_not_called_confirmed(conference: Conference) -> None:
    by_ref = {r["Vorgangsnummer / Reference number"]: r for r in exported(conference)}
    unconfirmed, confirmed = by_ref["R-TEST-0001"], by_ref["R-TEST-0002"]
    assert unconfirmed["Status"].startswith("Voranmeldung eingegangen")
    assert "Voranmeldung bestätigt" not in unconfirmed["Status"]
    assert unconfirmed["E-Mail bestätigt / Email confirmed"] == "nein"
    assert confirmed["Status"].startswith("Voranmeldung bestätigt")
    assert confirmed["E-Mail bestätigt / Email confirmed"] == "ja"
    assert by_ref["R-TEST-0003"]["Status"] == "Warteliste"


def test_the_export_and_show_use_one_status_text(conference: Conference) -> None:
    people = [stored(conference, 1, confirmed_at=None), stored(conference, 2)]
    for language in ("de", "en"):
        rows = {
            r["Vorgangsnummer / Reference number"]: r["Status"]
            for r in exported(conference, language)
        }
        for person in people:
            assert rows[person.public_id] == status_text(person, language)
    english = exported(conference, "en")
    assert english[0]["E-Mail bestätigt / Email confirmed"] in {"yes", "no"}


def test_a_workshop_column_names_its_day_as_the_default_language_writes_it(
    conference: Conference,
) -> None:
    slot = conference.workshop_slots[0]
    german = dict(export.columns(conference, with_status=False))
    english_event = conference.model_copy(update={"default_language": "en"})
    english = dict(export.columns(english_event, with_status=False))

    assert slot.date.isoformat() == "2023-05-11"  # the definition's first workshops
    assert german[f"workshop_{slot.id}"] == "Workshop 11.05."
    assert english[f"workshop_{slot.id}"] == "Workshop 11 May"
