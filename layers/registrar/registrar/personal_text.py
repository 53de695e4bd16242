"""Spotting personal data in free text that organisers write (a reason for a change).

Reasons are kept in an application's history and in run records. A reason is not meant to
name anyone: what it names stays until the application is erased. ``findings`` tells the
command line what a reason seems to contain, so it can ask before recording it;
``mentions`` decides on erasure whether a text names the erased person. Pure: text in,
findings out. Heuristics, said as such: a name is matched as whole words, an address by
its shape, a phone number as at least six digits with the usual separators.
"""

from __future__ import annotations

import re
from typing import Final

from registrar.application import Application

_EMAIL: Final = re.compile(r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+\.[^\s@<>(),;:\"']+")
# "+49 561 123456", "0561/12 34 56", "(0561) 123-456": digits with spaces, slashes, dashes
# and brackets between them; dots are left out, so that dates (11.05.2023) are not numbers.
_PHONE: Final = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d /()-]{4,}\d(?!\w)")
_MIN_PHONE_DIGITS: Final = 6
_MIN_NAME_LENGTH: Final = 2


def _names(application: Application) -> list[str]:
    parts = [application.given_name, application.family_name]
    return [part.strip() for part in parts if len(part.strip()) >= _MIN_NAME_LENGTH]


def _names_word(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def findings(text: str, application: Application) -> list[str]:
    """What in ``text`` looks like personal data, e.g. ``["the person's name"]``."""
    found: list[str] = []
    if any(_names_word(text, name) for name in _names(application)):
        found.append("the person's name")
    if _EMAIL.search(text):
        found.append("an email address")
    if any(
        sum(c.isdigit() for c in match.group()) >= _MIN_PHONE_DIGITS
        for match in _PHONE.finditer(text)
    ):
        found.append("a phone number")
    return found


def mentions(text: str, application: Application) -> bool:
    """Whether ``text`` names this person: their name, address or reference."""
    lowered = text.lower()
    return (
        any(_names_word(text, name) for name in _names(application))
        or (bool(application.email) and application.email.lower() in lowered)
        or application.public_id.lower() in lowered
    )
