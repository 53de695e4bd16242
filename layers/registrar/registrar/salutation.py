"""How a person is addressed: the salutation choices and the greeting line of a letter.

``salutation`` is what the applicant chose (``frau``, ``herr``, ``divers``, ``none``);
``title`` an academic title as typed (``Dr.``, ``Prof.``, ``Prof. Dr.`` or free text).
Frau and Herr get the formal German letter greeting with the family name; ``divers`` and
``none`` get a neutral greeting with the full name, which assumes no gender. Pure: text in,
text out.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

Salutation = Literal["frau", "herr", "divers", "none"]
SALUTATIONS: Final[tuple[Salutation, ...]] = get_args(Salutation)
# Titles suggested on the form; any other title may be typed.
SUGGESTED_TITLES: Final[tuple[str, ...]] = ("Dr.", "Prof.", "Prof. Dr.")

# English letters write academic titles without the full stop, and "Professor" in full.
_ENGLISH_TITLES: Final[dict[str, str]] = {
    "Dr.": "Dr",
    "Prof.": "Professor",
    "Prof. Dr.": "Professor",
    "Prof. Dr. Dr.": "Professor",
}


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def letter_greeting(
    language: str, salutation: str, title: str, given_name: str, family_name: str
) -> str:
    """The greeting line, comma included: "Sehr geehrte Frau Dr. Müller," / "Dear Dr Müller,".

    Languages other than German and English get the English form.
    """
    full_name = _join(given_name, family_name)
    if language == "de":
        if salutation == "frau":
            return f"Sehr geehrte {_join('Frau', title, family_name)},"
        if salutation == "herr":
            return f"Sehr geehrter {_join('Herr', title, family_name)},"
        return f"Guten Tag {_join(title, full_name)},"
    english_title = _ENGLISH_TITLES.get(title, title)
    if english_title and salutation in {"frau", "herr"}:
        return f"Dear {_join(english_title, family_name)},"
    if salutation == "frau":
        return f"Dear Ms {family_name},"
    if salutation == "herr":
        return f"Dear Mr {family_name},"
    return f"Dear {_join(english_title, full_name)},"
