"""How a person is addressed: the salutation choices and the greeting line of a letter.

``salutation`` is what the applicant chose (``frau``, ``herr``, ``divers``, ``none``);
``title`` an academic title as typed (``Dr.``, ``Prof.``, ``Prof. Dr.`` or free text).
Frau and Herr get the formal letter greeting with the family name; ``divers`` and ``none``
get a neutral greeting with the full name, which assumes no gender. The words are each
language's, from its locale file (``registrar.i18n``).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from registrar import i18n

Salutation = Literal["frau", "herr", "divers", "none"]
SALUTATIONS: Final[tuple[Salutation, ...]] = get_args(Salutation)
# Titles suggested on the form; any other title may be typed.
SUGGESTED_TITLES: Final[tuple[str, ...]] = ("Dr.", "Prof.", "Prof. Dr.")


def letter_greeting(
    language: str, salutation: str, title: str, given_name: str, family_name: str
) -> str:
    """The greeting line, comma included: "Sehr geehrte Frau Dr. Müller," / "Dear Dr Müller,".

    The words are the language's (``greeting`` and ``letter_titles`` in its locale file):
    Frau and Herr with a title, Frau and Herr without, or neutral with the full name.
    """
    texts = i18n.language(language)
    formal = salutation in {"frau", "herr"}
    key = (f"{salutation}_titled" if title else salutation) if formal else "neutral"
    line = texts.text(
        f"greeting.{key}",
        title=texts.section("letter_titles").get(title, title),
        given_name=given_name,
        family_name=family_name,
    )
    return " ".join(line.split()).replace(" ,", ",")  # an empty part leaves no gap
