"""Spotting personal data in organisers' reasons: the person's name, an address, a phone
number; ordinary reasons (dates, references, counts) pass without a warning."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.application import Application
from registrar.conference import Conference
from registrar.mail.sample import sample_application
from registrar.personal_text import findings, mentions

NOW = dt.datetime(2023, 4, 11, 8, tzinfo=dt.UTC)


@pytest.fixture
def person(conference: Conference) -> Application:
    return sample_application(conference, "de", NOW).model_copy(
        update={"given_name": "Gesine", "family_name": "Müller-Weiß", "public_id": "R-ABCD-EFGH"}
    )


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Frau Müller-Weiß hat telefonisch abgesagt", ["the person's name"]),
        ("abgesagt, gesine krank", ["the person's name"]),
        ("Rückfrage an g.mw@example.org", ["an email address"]),
        ("Rückfrage an gesine.mw@example.org", ["the person's name", "an email address"]),
        ("Rückruf unter +49 561 123456", ["a phone number"]),
        ("Rückruf unter (0561) 12 34-56", ["a phone number"]),
        ("Müller-Weiß, 0561/123456", ["the person's name", "a phone number"]),
    ],
)
def test_a_reason_naming_or_reaching_someone_is_found(
    person: Application, reason: str, expected: list[str]
) -> None:
    assert findings(reason, person) == expected


@pytest.mark.parametrize(
    "reason",
    [
        "Absage per E-Mail am 11.05.2023",
        "Doppelte Anmeldung, siehe R-ABCD-EFGH",
        "Sitzplatz frei geworden (Raum 2)",
        "Gesinnungswandel",  # a name inside another word is no name
        "Nachrücker 12",
    ],
)
def test_ordinary_reasons_pass_without_a_warning(person: Application, reason: str) -> None:
    assert findings(reason, person) == []


def test_mentions_knows_the_person_by_name_address_or_reference(person: Application) -> None:
    assert mentions("Absage von MÜLLER-WEISS", person) is False  # ß is not ss: another name
    assert mentions("Absage von müller-weiß", person)
    assert mentions(f"Mail an {person.email.upper()}", person)
    assert mentions("Nachrücken nach r-abcd-efgh", person)
    assert not mentions("Nachrücken nach R-WXYZ-2345", person)
