"""Heading order on the pages: one h1, and no level skipped (WCAG 1.3.1, the Nu checker)."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser

import pytest

from registrar.conference import Conference, load_conference
from registrar.submission import FieldError
from registrar.web.pages import render_form, render_message


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def assert_no_level_skipped(levels: list[int]) -> None:
    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"h{before} is followed by h{after}: {levels}"


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_form_never_skips_a_heading_level(conference: Conference, lang: str) -> None:
    levels = heading_levels(render_form(conference, lang))

    assert len(levels) > 3  # the programme's days and the form's sections are headings
    assert_no_level_skipped(levels)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_form_with_errors_never_skips_a_heading_level(
    conference: Conference, lang: str
) -> None:
    errors = [FieldError("given_name", "required"), FieldError("email", "email")]

    assert_no_level_skipped(heading_levels(render_form(conference, lang, errors=errors)))


def test_a_message_page_has_its_one_h1(conference: Conference) -> None:
    assert heading_levels(render_message(conference, "de", "Danke", ["Text"])) == [1]


def test_the_checker_itself_sees_a_skip() -> None:
    with pytest.raises(AssertionError, match="h1 is followed by h3"):
        assert_no_level_skipped(heading_levels("<h1>a</h1><details><h3>b</h3></details>"))
