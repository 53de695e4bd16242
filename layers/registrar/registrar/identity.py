"""Who an applicant is, as the system keys them: normalised email, applicant key, public id."""

from __future__ import annotations

import hashlib
import random
import unicodedata

_PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
_TOMBSTONE_PREFIX = "erased-"
# Sorts before every applicant key (hex digits) and tombstone: a Query from "0" on skips it.
_SUBMITTER_PREFIX = "#by-"
FIRST_APPLICATION_KEY = "0"


def normalise_email(email: str) -> str:
    """The form under which two addresses count as the same applicant.

    The domain is case-insensitive by standard; the local part is in practice too at every
    provider applicants use, so both are lower-cased. Dots and plus-tags are kept: they name
    different mailboxes at some providers. Lower-casing, not case-folding: folding turns
    "straße.de" into "strasse.de", which is another domain (IDNA 2008 keeps the ß).
    """
    return unicodedata.normalize("NFC", email.strip()).lower()


def applicant_key(event_id: str, email: str) -> str:
    """A stable, opaque key for one address at one event (the table's sort key)."""
    digest = hashlib.sha256(f"{event_id}\n{normalise_email(email)}".encode()).hexdigest()
    return digest[:32]


def submitter_key(event_id: str, email: str) -> str:
    """The key of the record of whom one address registered on others' behalf."""
    return f"{_SUBMITTER_PREFIX}{applicant_key(event_id, email)}"


def is_submitter_key(key: str) -> bool:
    return key.startswith(_SUBMITTER_PREFIX)


def tombstone_key(rng: random.Random) -> str:
    """The key an erased application moves to: random, and never an address's key."""
    return f"{_TOMBSTONE_PREFIX}{rng.getrandbits(128):032x}"


def is_tombstone_key(key: str) -> bool:
    return key.startswith(_TOMBSTONE_PREFIX)


def new_public_id(rng: random.Random) -> str:
    """A short reference an applicant can quote, e.g. ``R-7KQ2-M9XD`` (32^8 ≈ 10^12 ids).

    ``rng`` is ``secrets.SystemRandom()`` in production; a seeded generator makes demos
    reproducible.
    """
    chars = "".join(rng.choice(_PUBLIC_ID_ALPHABET) for _ in range(8))
    return f"R-{chars[:4]}-{chars[4:]}"
