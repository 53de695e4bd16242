"""Making text safe for where it goes: header lines and applicant-supplied strings.

HTML escaping is Jinja's job (autoescape); this module covers what escaping cannot: a line
break in a header would start a new header, and bidirectional controls in a name can make
the rest of a line read backwards. Both are removed, not escaped.
"""

from __future__ import annotations

import unicodedata

# Cc: C0/C1 controls incl. CR, LF, TAB; Zl/Zp: the Unicode line and paragraph separators.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})
# Cf: invisible format controls, among them the bidi overrides, embeddings and isolates.
_INVISIBLE = "Cf"


def single_line(text: str) -> str:
    """Text fit for one header or one line: no controls, whitespace runs collapsed."""
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == _INVISIBLE:
            continue
        kept.append(" " if category in _BREAKING or char.isspace() else char)
    return " ".join("".join(kept).split())


def applicant_text(text: str) -> str:
    """A name or other short field as typed by an applicant, safe for any mail line."""
    return single_line(unicodedata.normalize("NFC", text))
