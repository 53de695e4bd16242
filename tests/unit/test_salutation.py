"""The greeting line of letters: formal with Frau/Herr, neutral with the full name otherwise."""

from __future__ import annotations

import pytest

from registrar.salutation import letter_greeting


@pytest.mark.parametrize(
    ("language", "salutation", "title", "expected"),
    [
        ("de", "frau", "Dr.", "Sehr geehrte Frau Dr. Müller,"),
        ("de", "herr", "", "Sehr geehrter Herr Müller,"),
        ("de", "herr", "Prof. Dr.", "Sehr geehrter Herr Prof. Dr. Müller,"),
        ("de", "divers", "", "Guten Tag Alex Müller,"),
        ("de", "none", "Dr.", "Guten Tag Dr. Alex Müller,"),
        ("en", "frau", "Dr.", "Dear Dr Müller,"),
        ("en", "herr", "Prof. Dr.", "Dear Professor Müller,"),
        ("en", "frau", "", "Dear Ms Müller,"),
        ("en", "herr", "", "Dear Mr Müller,"),
        ("en", "divers", "", "Dear Alex Müller,"),
        ("en", "none", "Dr.", "Dear Dr Alex Müller,"),
        ("en", "frau", "Dipl.-Ing.", "Dear Dipl.-Ing. Müller,"),
    ],
)
def test_greeting(language: str, salutation: str, title: str, expected: str) -> None:
    assert letter_greeting(language, salutation, title, "Alex", "Müller") == expected
