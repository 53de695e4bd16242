"""Accept-Language: weights decide, malformed entries are ignored, ``?lang=`` wins."""

from __future__ import annotations

import pytest

from registrar.i18n import negotiate_language

OFFERED = ["de", "en"]


def negotiated(header: str | None, requested: str | None = None) -> str:
    return negotiate_language(requested, header, OFFERED, "de")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de;q=0.1, en", "en"),  # the example: the weight, not the order, decides
        ("en;q=0.5, de;q=0.8", "de"),
        ("fr, en;q=0.2, de;q=0.1", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("de-AT", "de"),
        ("DE-de, EN;Q=0.3", "de"),
        ("en;q=1.000, de", "en"),  # equal weights keep the browser's order
        ("de;q=0, *", "en"),  # q=0: not German, anything else
        ("en;q=0, de;q=0", "de"),  # nothing acceptable: the default
        ("*", "de"),
        ("fr, it", "de"),
        ("", "de"),
        (None, "de"),
    ],
)
def test_weights_choose_the_language(header: str | None, expected: str) -> None:
    assert negotiated(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de;q=abc, en;q=0.5", "en"),  # the unreadable entry is ignored
        ("de;q=2, en;q=0.5", "en"),  # weights above 1 are not weights
        ("de;q=0.1234, en;q=0.2", "en"),  # more than three decimals
        ("de;q=-1, en;q=0.2", "en"),
        ("de;q=0.1;q=1, en;q=0.2", "en"),  # two weights
        (";q=1, en;q=0.2", "en"),
        ("<script>, en;q=0.3", "en"),
        ("e n, de;q=0.2, en;q=0.1", "de"),
        (",,,;;;===", "de"),
        ("de;q=0.1, en;level=1", "en"),  # parameters other than q do not count
        ("de;q=0.1, " + "xx, " * 5000 + "en", "de"),  # only the first ranges are read
    ],
)
def test_malformed_entries_are_ignored_never_an_error(header: str, expected: str) -> None:
    assert negotiated(header) == expected


def test_an_explicit_choice_wins_over_the_header() -> None:
    assert negotiated("en", requested="de") == "de"
    assert negotiated("de;q=0.1, en", requested="fr") == "en"
