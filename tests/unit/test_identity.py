"""Which addresses count as the same applicant: letter case only, never another domain."""

from __future__ import annotations

from registrar.identity import applicant_key, normalise_email


def test_letter_case_and_surrounding_space_name_the_same_applicant() -> None:
    assert applicant_key("ev", " Erika.Mustermann@Example.ORG ") == applicant_key(
        "ev", "erika.mustermann@example.org"
    )


def test_a_domain_with_sharp_s_is_not_the_one_with_ss() -> None:
    # straße.de (xn--strae-oqa.de) and strasse.de are two registered domains: two people.
    assert normalise_email("info@straße.de") != normalise_email("info@strasse.de")
    assert applicant_key("ev", "info@straße.de") != applicant_key("ev", "info@strasse.de")
    assert normalise_email("INFO@STRASSE.DE") == "info@strasse.de"


def test_dots_and_plus_tags_are_kept() -> None:
    assert applicant_key("ev", "e.m@example.org") != applicant_key("ev", "em@example.org")
    assert applicant_key("ev", "em+x@example.org") != applicant_key("ev", "em@example.org")
