"""Organisation names as the per-organisation cap compares them, and organisers' merges.

People type their organisation as they like: "Stadtverwaltung Musterstadt", "Stadt
Musterstadt", "stadt  musterstadt", "Stadt Muster-Stadt", "Stadt Südhausen" and "Stadt
Suedhausen". The cap on seats per organisation (the definition's ``spread_cap``) must not
be dodged by spelling, so ``organisation_key`` folds

- case, spacing, hyphens, dots and other punctuation ("e. V." = "e.V." = "eV");
- umlauts and ß as German transliterates them (ä = ae, ö = oe, ü = ue, ß = ss), and other
  accents to their letter;
- the name of the kind of public body: Stadt, Stadtverwaltung, Gemeinde,
  Gemeindeverwaltung, Magistrat (der Stadt) are one municipality; Landkreis, Kreis,
  Kreisverwaltung, Landratsamt one district. A town's and its district's administrations
  stay apart ("Stadt Kassel" is not "Landkreis Kassel"). A municipality's administration
  named by the town alone ("Musterstadt" from Musterstadt) is that municipality.

What folding cannot see (an abbreviation, a typo, a renamed office), organisers merge by
hand: ``OrganisationAliases`` maps one key to another, with the reason and time of each
merge. Pure: no I/O; the store keeps the aliases per event.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

MUNICIPALITY: Final = "kommune"
DISTRICT: Final = "landkreis"
# Words that name the kind of body, as people write them before its name (with their
# genitive forms, as in "Kreisverwaltung des Landkreises").
_KIND_WORDS: Final = {
    "stadt": MUNICIPALITY,
    "stadtverwaltung": MUNICIPALITY,
    "gemeinde": MUNICIPALITY,
    "gemeindeverwaltung": MUNICIPALITY,
    "magistrat": MUNICIPALITY,
    "landkreis": DISTRICT,
    "landkreises": DISTRICT,
    "kreis": DISTRICT,
    "kreises": DISTRICT,
    "kreisverwaltung": DISTRICT,
    "landratsamt": DISTRICT,
}
_CONNECTORS: Final = frozenset({"der", "des", "die"})
_GERMAN_LETTERS: Final = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_WORD: Final = re.compile(r"[a-z0-9]+")
# An admissions run folds every applicant's names, and most are shared (the same town,
# the same office): each distinct name is folded once.
_FOLDED_NAMES: Final = 16_384


def _words(text: str) -> list[str]:
    """Lower-case ASCII words: umlauts transliterated, accents dropped, punctuation gone."""
    folded = unicodedata.normalize("NFC", text).casefold().translate(_GERMAN_LETTERS)
    ascii_only = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    # Dots join ("e.V.", "G.m.b.H."); hyphens and other marks separate.
    return _WORD.findall(ascii_only.replace(".", ""))


def _joined(words: list[str]) -> str:
    # Without spaces: "e V" and "eV", "Muster Stadt" and "Musterstadt" are one name.
    return "".join(words)


@lru_cache(maxsize=_FOLDED_NAMES)
def place_key(municipality: str) -> str:
    """A municipality's name, folded like an organisation's, its kind words dropped."""
    words = _words(municipality)
    while words and (words[0] in _KIND_WORDS or words[0] in _CONNECTORS):
        words = words[1:]
    return _joined(words)


@lru_cache(maxsize=_FOLDED_NAMES)
def organisation_key(organisation: str, municipality: str = "") -> str:
    """The organisation as the cap counts it ("" when none was given)."""
    words = _words(organisation)
    kind: str | None = None
    while words and (words[0] in _KIND_WORDS or words[0] in _CONNECTORS):
        kind = _KIND_WORDS.get(words[0], kind)
        words = words[1:]
    name = _joined(words)
    place = place_key(municipality)
    if not name and kind is None:
        return ""
    if not name:  # "Stadtverwaltung" from Musterstadt: the town's own administration
        name = place
    elif kind is None and name == place:
        kind = MUNICIPALITY
    return f"{kind}:{name}" if kind else name


class OrganisationMerge(BaseModel):
    """One merge an organiser made: the names as typed, the keys, why and when."""

    model_config = ConfigDict(frozen=True)

    merged: str
    into: str
    keys: tuple[str, ...]
    target: str
    reason: str = Field(min_length=1)
    at: dt.datetime


class MergeRefused(ValueError):
    """The two names already count as one organisation."""


class OrganisationAliases(BaseModel):
    """An event's merged organisations: each alias key counts as its target key."""

    model_config = ConfigDict(frozen=True)

    aliases: dict[str, str] = Field(default_factory=dict)
    merges: tuple[OrganisationMerge, ...] = ()

    def resolve(self, key: str) -> str:
        """The key the cap counts ``key`` as (itself when not merged)."""
        return self.aliases.get(key, key)

    def merged(
        self,
        merged: str,
        into: str,
        keys: set[str],
        target: str,
        reason: str,
        at: dt.datetime,
    ) -> OrganisationAliases:
        """These aliases with ``keys`` counted as ``target`` from now on.

        Keys that already counted as one of ``keys`` follow them, so aliases never chain.
        """
        final = self.resolve(target)
        moving = {key for key in keys if self.resolve(key) != final}
        if not moving:
            raise MergeRefused(f"{merged!r} and {into!r} already count as one organisation")
        moved = {self.resolve(key) for key in moving} | moving
        aliases = {
            alias: (final if current in moved else current)
            for alias, current in self.aliases.items()
        }
        aliases |= {key: final for key in moved if key != final}
        merge = OrganisationMerge(
            merged=merged,
            into=into,
            keys=tuple(sorted(moving)),
            target=final,
            reason=reason,
            at=at,
        )
        return OrganisationAliases(aliases=aliases, merges=(*self.merges, merge))


NO_ALIASES: Final = OrganisationAliases()
