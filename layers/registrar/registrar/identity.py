"""Who an applicant is, as the system keys them: normalised email, applicant key, public id.

The applicant key is a keyed hash (HMAC-SHA256) of event and normalised address under the
stack's applicant-key secret: a table key, an SES tag and a field of queued messages that
nobody without the secret can recompute from an address they know. The secret is read
once per process, when the first key is needed (a form page needs none).
"""

from __future__ import annotations

import hashlib
import hmac
import random
import unicodedata
from collections.abc import Callable
from typing import Final

_PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
_TOMBSTONE_PREFIX = "erased-"
# These sort before every applicant key (hex digits) and tombstone: a Query from "0" on
# skips them. A submitter's record of whom they registered; a submission as received.
_SUBMITTER_PREFIX = "#by-"
RECEIVED_KEY_PREFIX: Final = "#received-"
FIRST_APPLICATION_KEY = "0"


def normalise_email(email: str) -> str:
    """The form under which two addresses count as the same applicant.

    The domain is case-insensitive by standard; the local part is in practice too at every
    provider applicants use, so both are lower-cased. Dots and plus-tags are kept: they name
    different mailboxes at some providers. Lower-casing, not case-folding: folding turns
    "straße.de" into "strasse.de", which is another domain (IDNA 2008 keeps the ß).
    """
    return unicodedata.normalize("NFC", email.strip()).lower()


MIN_SECRET_LENGTH = 32


class ApplicantKeys:
    """The applicant key of an address: stable per event, opaque without the secret.

    ``load_secret`` is called once, at the first key (a Secrets Manager read in the cloud).
    Changing the secret changes every key: stored applications would no longer be found by
    their address, so this secret is never rotated with the link keys (README).
    """

    def __init__(self, load_secret: Callable[[], str]) -> None:
        self._load_secret = load_secret
        self._key: bytes | None = None

    @classmethod
    def from_secret(cls, secret: str) -> ApplicantKeys:
        keys = cls(lambda: secret)
        keys._secret_key()  # a short secret fails here, not at the first submission
        return keys

    def _secret_key(self) -> bytes:
        if self._key is None:
            secret = self._load_secret()
            if len(secret) < MIN_SECRET_LENGTH:
                raise ValueError(
                    f"applicant key secret is too short (at least {MIN_SECRET_LENGTH} characters)"
                )
            self._key = secret.encode()
        return self._key

    def of(self, event_id: str, email: str) -> str:
        """The key of one address at one event (the applications table's sort key)."""
        message = f"{event_id}\n{normalise_email(email)}".encode()
        return hmac.new(self._secret_key(), message, hashlib.sha256).hexdigest()[:32]

    def submitter(self, event_id: str, email: str) -> str:
        """The key of the record of whom one address registered on others' behalf."""
        return f"{_SUBMITTER_PREFIX}{self.of(event_id, email)}"


def is_submitter_key(key: str) -> bool:
    return key.startswith(_SUBMITTER_PREFIX)


def tombstone_key(rng: random.Random) -> str:
    """The key an erased application moves to: random, and never an address's key."""
    return f"{_TOMBSTONE_PREFIX}{rng.getrandbits(128):032x}"


def is_tombstone_key(key: str) -> bool:
    return key.startswith(_TOMBSTONE_PREFIX)


def received_key(rng: random.Random) -> str:
    """The key a submission is kept under until it is registered (``services.intake``):
    random, so that writing it can never fail on another submission of the address."""
    return f"{RECEIVED_KEY_PREFIX}{rng.getrandbits(128):032x}"


def is_received_key(key: str) -> bool:
    return key.startswith(RECEIVED_KEY_PREFIX)


def new_public_id(rng: random.Random) -> str:
    """A short reference an applicant can quote, e.g. ``R-7KQ2-M9XD`` (32^8 ≈ 10^12 ids).

    ``rng`` is ``secrets.SystemRandom()`` in production; a seeded generator makes demos
    reproducible.
    """
    bits = rng.getrandbits(5 * 8)  # one draw (one system call): 8 characters of 5 bits
    chars = "".join(_PUBLIC_ID_ALPHABET[(bits >> shift) & 31] for shift in range(0, 40, 5))
    return f"R-{chars[:4]}-{chars[4:]}"
