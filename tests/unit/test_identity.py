"""Which addresses count as the same applicant (letter case only, never another domain),
and the applicant key: a keyed hash nobody can recompute from an address without the
stack's secret."""

from __future__ import annotations

import hashlib
import random

import pytest

from registrar.identity import ApplicantKeys, new_public_id, normalise_email

KEYS = ApplicantKeys.from_secret("s" * 48)
applicant_key = KEYS.of


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


def test_the_key_is_not_the_unsalted_hash_anyone_can_recompute_from_an_address() -> None:
    email = "erika.mustermann@example.org"
    unsalted = hashlib.sha256(f"ev\n{email}".encode()).hexdigest()[:32]
    key = applicant_key("ev", email)
    assert key != unsalted
    assert len(key) == 32 and int(key, 16) >= 0
    assert ApplicantKeys.from_secret("t" * 48).of("ev", email) != key  # another stack's secret
    assert applicant_key("other-event", email) != key


def test_the_secret_is_read_once_at_the_first_key_and_not_before() -> None:
    reads: list[int] = []

    def load() -> str:
        reads.append(1)
        return "s" * 48

    keys = ApplicantKeys(load)
    assert reads == []  # built at cold start: nothing read yet (a form page needs no key)
    assert keys.of("ev", "a@example.org") == applicant_key("ev", "a@example.org")
    keys.of("ev", "b@example.org")
    assert reads == [1]


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="too short"):
        ApplicantKeys.from_secret("short")


def test_a_public_id_is_two_groups_of_four_from_the_phone_safe_alphabet() -> None:
    rng = random.Random(7)
    ids = {new_public_id(rng) for _ in range(4000)}
    assert len(ids) == 4000
    for public_id in ids:
        prefix, first, second = public_id.split("-")
        assert prefix == "R" and len(first) == len(second) == 4
        assert set(first + second) <= set("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
    # Every character of the alphabet turns up in every position (no position stuck).
    for position in range(8):
        letters = {public_id.replace("-", "")[1 + position] for public_id in ids}
        assert len(letters) == 32


def test_public_ids_from_one_seed_are_the_same_and_another_seed_gives_others() -> None:
    first = [new_public_id(random.Random(1)) for _ in range(3)]
    assert len(set(first)) == 1
    assert new_public_id(random.Random(2)) != first[0]
