"""Validation of submissions: every rule gives a field and a code a person can act on."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest

from registrar.conference import Conference
from registrar.i18n import translate
from registrar.submission import (
    InvalidSubmission,
    _visible,
    build_request_model,
    clean_text,
    validate_submission,
)
from tests.conftest import valid_request


def _codes(conference: Conference, **overrides: Any) -> dict[str, str]:
    with pytest.raises(InvalidSubmission) as raised:
        validate_submission(valid_request(conference, **overrides), conference)
    return {error.field: error.code for error in raised.value.errors}


def test_a_valid_request_is_cleaned(conference: Conference) -> None:
    body = valid_request(
        conference,
        given_name="  Jose\u0301  ",
        email=" Erika@Example.ORG ",
        accessibility=["wheelchair"],
    )
    submission = validate_submission(body, conference)
    assert submission.given_name == "José"  # NFC, trimmed
    assert submission.email == "Erika@Example.ORG"
    assert submission.accessibility == ["wheelchair"]
    assert set(submission.rankings) == {"day1", "day2"}


def test_everything_missing_is_reported_at_once(conference: Conference) -> None:
    with pytest.raises(InvalidSubmission) as raised:
        validate_submission({}, conference)
    fields = [error.field for error in raised.value.errors]
    assert fields[:5] == ["given_name", "family_name", "email", "organisation", "municipality"]
    assert {"region", "group", "ranking_day1", "ranking_day2", "consent"} <= set(fields)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email": "no-at-sign"}, "email", "email"),
        ({"email": "a@b"}, "email", "email"),
        ({"email": "a b@example.org"}, "email", "email"),
        ({"email": "x..y@example.org"}, "email", "email"),
        ({"email": "jörg@example.org"}, "email", "email_local_part"),
        ({"email": "info@ｅｘａｍｐｌｅ．ｏｒｇ"}, "email", "email_domain_form"),
        ({"email": "x@example.org\r\nBcc: evil@example.org"}, "email", "control_characters"),
        ({"given_name": "x" * 101}, "given_name", "too_long"),
        ({"given_name": "Eve\u202egnp.exe"}, "given_name", "control_characters"),
        ({"family_name": "Null\x00byte"}, "family_name", "control_characters"),
        ({"region": "XX"}, "region", "choice"),
        ({"group": "king"}, "group", "choice"),
        ({"ranking_day1": ["d1-ws1", "d1-ws1", "d1-ws2"]}, "ranking_day1", "ranking_duplicate"),
        ({"ranking_day1": ["d1-ws1", "", "d1-ws2"]}, "ranking_day1", "ranking_incomplete"),
        ({"ranking_day1": ["d1-ws1", "d2-ws1", "d1-ws2"]}, "ranking_day1", "choice"),
        ({"accessibility": ["teleporter"]}, "accessibility", "choice"),
        ({"dietary": "caviar"}, "dietary", "choice"),
        ({"consent": False}, "consent", "consent"),
        ({"accessibility_note": "y" * 501}, "accessibility_note", "too_long"),
    ],
)
def test_each_rule_names_its_field(
    conference: Conference, overrides: dict[str, Any], field: str, code: str
) -> None:
    assert _codes(conference, **overrides).get(field) == code


def test_injection_strings_are_data_not_errors(conference: Conference) -> None:
    hostile = "<script>alert(1)</script>' OR 1=1; --{{7*7}}"
    submission = validate_submission(valid_request(conference, organisation=hostile), conference)
    assert submission.organisation == hostile


def test_notes_keep_line_breaks(conference: Conference) -> None:
    body = valid_request(conference, accessibility_note="Rampe\r\nbitte")
    assert validate_submission(body, conference).accessibility_note == "Rampe\nbitte"


def test_every_error_code_has_a_message_in_every_language(conference: Conference) -> None:
    with pytest.raises(InvalidSubmission) as raised:
        validate_submission({"email": "x", "given_name": "x" * 200}, conference)
    for language in conference.languages:
        for error in raised.value.errors:
            assert translate(language, f"errors.{error.code}", **error.params)


def test_request_model_caps_sizes_and_rejects_unknown_fields(conference: Conference) -> None:
    model = build_request_model(conference)
    assert {"ranking_day1", "ranking_day2", "extra_city_tour"} <= set(model.model_fields)
    with pytest.raises(ValueError, match="extra"):
        model.model_validate({"is_admin": True})
    with pytest.raises(ValueError, match="at most 2000"):
        model.model_validate({"given_name": "x" * 2001})


def test_salutation_title_and_function_are_kept(conference: Conference) -> None:
    body = valid_request(
        conference, salutation="frau", title=" Prof. Dr. ", function="Leiterin Stabsstelle Ehrenamt"
    )
    submission = validate_submission(body, conference)
    assert (submission.salutation, submission.title, submission.function) == (
        "frau",
        "Prof. Dr.",
        "Leiterin Stabsstelle Ehrenamt",
    )


def test_a_missing_salutation_means_no_answer_and_title_and_function_are_optional(
    conference: Conference,
) -> None:
    submission = validate_submission(valid_request(conference), conference)
    assert (submission.salutation, submission.title, submission.function) == ("none", "", "")


@pytest.mark.parametrize("salutation", ["frau", "herr", "divers", "none"])
def test_every_salutation_on_the_form_is_accepted(conference: Conference, salutation: str) -> None:
    body = valid_request(conference, salutation=salutation)
    assert validate_submission(body, conference).salutation == salutation


def test_an_unknown_salutation_is_refused(conference: Conference) -> None:
    assert _codes(conference, salutation="Frau Dr.") == {"salutation": "choice"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("given_name", "www.cheap-pills.example"),
        ("family_name", "https://spam.example/x"),
        ("title", "Dr. erika@example.org"),
        ("function", "see http://example.org"),
        ("organisation", "WWW.Example.org"),
        ("family_name", "@mustermann"),
    ],
)
def test_addresses_in_name_like_fields_are_refused(
    conference: Conference, field: str, value: str
) -> None:
    assert _codes(conference, **{field: value}) == {field: "no_addresses"}
    assert "keine Web- oder E-Mail-Adresse" in translate("de", "errors.no_addresses")


def test_title_and_function_have_length_limits(conference: Conference) -> None:
    codes = _codes(conference, title="D" * 41, function="F" * 121)
    assert codes == {"title": "too_long", "function": "too_long"}


def test_dietary_other_needs_its_note(conference: Conference) -> None:
    assert _codes(conference, dietary="other", dietary_note="  ") == {
        "dietary_note": "dietary_note_required"
    }
    assert "Andere" in translate("de", "errors.dietary_note_required")
    kept = validate_submission(
        valid_request(conference, dietary="other", dietary_note="glutenfrei"), conference
    )
    assert (kept.dietary, kept.dietary_note) == ("other", "glutenfrei")


def test_the_dietary_hint_text_is_no_stored_value(conference: Conference) -> None:
    assert _codes(conference, dietary="Andere (bitte unten angeben)") == {"dietary": "choice"}


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("district_administrator", "mayor"),
        ("mayor", "mayor"),
        ("council", "council"),
        ("state_federal", "state_federal"),
    ],
)
def test_a_role_counts_for_its_group(conference: Conference, role: str, group: str) -> None:
    submission = validate_submission(valid_request(conference, group=role), conference)
    assert (submission.role, submission.group) == (role, group)


@pytest.mark.parametrize("region", ["bundesweit", "ausland", "HE"])
def test_nationwide_and_foreign_participants_need_no_federal_state(
    conference: Conference, region: str
) -> None:
    assert (
        validate_submission(valid_request(conference, region=region), conference).region == region
    )


_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"


def _refused_one_by_one(text: str, multiline: bool) -> bool:
    """The rule itself, character by character: a control, surrogate or bidi control."""
    return any(
        not (char == "\n" and multiline)
        and (unicodedata.category(char) in {"Cc", "Cs"} or char in _BIDI)
        for char in text
    )


@pytest.mark.parametrize(("multiline", "last"), [(False, 0x110000), (True, 0x10000)])
def test_clean_text_refuses_exactly_the_characters_the_rule_names(
    multiline: bool, last: int
) -> None:
    # Every code point (every one of the basic plane for notes), inside a name, checked
    # against the rule itself.
    for code in range(last):
        text = f"Anna {chr(code)}x"
        expected = _refused_one_by_one(text, multiline)
        try:
            clean_text(text, multiline=multiline)
        except ValueError:
            assert expected, hex(code)
        else:
            assert not expected, hex(code)


def test_a_text_shows_exactly_when_one_of_its_characters_is_no_control_or_space() -> None:
    for code in range(0x110000):
        char = chr(code)
        shows = unicodedata.category(char)[0] not in "CZ"
        assert _visible(f" {char} ") is shows, hex(code)
        assert _visible(f"\u200b{char}") is shows, hex(code)  # beside a zero-width space
