"""Organisation names as the per-organisation cap counts them, and organisers' merges."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.organisations import (
    NO_ALIASES,
    MergeRefused,
    OrganisationAliases,
    organisation_key,
    place_key,
)

AT = dt.datetime(2023, 4, 3, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "spelling",
    [
        "Stadtverwaltung Musterstadt",
        "Stadt Musterstadt",
        "stadt  musterstadt",
        "STADT MUSTERSTADT",
        "Stadt Muster-Stadt",
        "Stadt Muster Stadt",
        "Magistrat der Stadt Musterstadt",
        "Gemeindeverwaltung Musterstadt",
        "Gemeinde Musterstadt",
        " Stadt\tMusterstadt ",
        "Musterstadt",  # the town alone, from the town: its administration
    ],
)
def test_a_municipalitys_administration_is_one_organisation_however_spelt(
    spelling: str,
) -> None:
    assert organisation_key(spelling, "Musterstadt") == "kommune:musterstadt"


@pytest.mark.parametrize(
    "spelling", ["Landkreis Beispielkreis", "Kreisverwaltung Beispielkreis", "Kreis Beispielkreis"]
)
def test_a_districts_administration_is_one_organisation(spelling: str) -> None:
    assert organisation_key(spelling, "Musterstadt") == "landkreis:beispielkreis"
    assert organisation_key("Kreisverwaltung des Landkreises Beispielkreis") == (
        "landkreis:beispielkreis"
    )


def test_a_town_and_its_district_stay_two_organisations() -> None:
    town = organisation_key("Stadt Kassel", "Kassel")
    district = organisation_key("Landkreis Kassel", "Kassel")

    assert town != district


def test_umlauts_and_sharp_s_fold_as_german_transliterates_them() -> None:
    assert organisation_key("Stadt Südhausen", "Südhausen") == organisation_key(
        "Stadt Suedhausen", "Suedhausen"
    )
    assert organisation_key("Straßenbau GmbH") == organisation_key("Strassenbau GmbH")
    assert organisation_key("Café Élan e. V.") == organisation_key("Cafe Elan eV")


def test_legal_forms_and_punctuation_do_not_make_a_second_organisation() -> None:
    keys = {
        organisation_key(name, "Musterstadt")
        for name in ("Verein Engagiert e. V.", "Verein Engagiert e.V.", "Verein-Engagiert eV")
    }
    assert keys == {"vereinengagiertev"}


def test_words_that_merely_start_like_a_kind_are_names() -> None:
    # "Stadtwerke" is a company, not the town: only whole kind words are set aside.
    assert organisation_key("Stadtwerke Musterstadt", "Musterstadt") == "stadtwerkemusterstadt"


def test_the_kind_word_alone_names_the_applicants_municipality() -> None:
    assert organisation_key("Gemeindeverwaltung", "Beispieldorf") == "kommune:beispieldorf"


def test_no_organisation_is_no_key() -> None:
    assert organisation_key("", "Musterstadt") == ""
    assert organisation_key(" - . ", "Musterstadt") == ""


def test_a_municipality_is_folded_like_an_organisation() -> None:
    assert place_key("Stadt Muster-Stadt") == place_key("musterstadt") == "musterstadt"


# ---------------------------------------------------------------- merges


def test_a_merge_counts_one_key_as_another_and_records_why() -> None:
    aliases = NO_ALIASES.merged("KV Beispiel", "Kreis Beispiel", {"kv"}, "landkreis:b", "Typo", AT)

    assert aliases.resolve("kv") == "landkreis:b"
    assert aliases.resolve("other") == "other"
    (merge,) = aliases.merges
    assert (merge.merged, merge.into, merge.reason, merge.at) == (
        "KV Beispiel",
        "Kreis Beispiel",
        "Typo",
        AT,
    )
    assert NO_ALIASES.aliases == {}  # merging makes new aliases; the old stay as they were


def test_merges_never_chain_and_follow_what_was_merged_before() -> None:
    first = NO_ALIASES.merged("a", "b", {"a"}, "b", "same office", AT)
    second = first.merged("b", "c", {"b"}, "c", "renamed", AT)

    assert second.aliases == {"a": "c", "b": "c"}
    third = second.merged("a", "d", {"a"}, "d", "all one", AT)
    assert {key: third.resolve(key) for key in "abc"} == {"a": "d", "b": "d", "c": "d"}
    assert len(third.merges) == 3


def test_merging_what_already_counts_as_one_is_refused() -> None:
    aliases = NO_ALIASES.merged("a", "b", {"a"}, "b", "same office", AT)

    with pytest.raises(MergeRefused):
        aliases.merged("a", "b", {"a"}, "b", "again", AT)
    with pytest.raises(MergeRefused):
        aliases.merged("b", "a", {"b"}, "a", "backwards", AT)


def test_aliases_survive_a_round_trip_through_json() -> None:
    aliases = NO_ALIASES.merged("a", "b", {"a"}, "b", "same office", AT)

    assert OrganisationAliases.model_validate_json(aliases.model_dump_json()) == aliases
