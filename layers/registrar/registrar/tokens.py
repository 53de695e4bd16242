"""Signed links: HMAC tokens bound to one application, one purpose and an expiry.

A token is ``<key id>.<payload>.<signature>``, each part base64url or plain ASCII. The
payload names the purpose (``confirm``, ``manage`` or ``substitute``), the event, the
applicant key, the application's public id and the expiry (a ``substitute`` link names the
seat's and the colleague's keys and the public id of the seat's application); the
signature is HMAC-SHA256 over key id and payload under the link key the id names. The
public id binds the link to one application: after an erasure the same address may
register again under the same applicant key, and the old links must not open the new
application (the pages compare it).

The link keys form a keyring (``LinkKeyring``), kept as one secret: the newest key signs,
older ones still verify until their ``valid_until`` (the grace period of a rotation). A
new key signs only from its ``active_from``, set far enough ahead that every function has
read it by then: no link is signed with a key some instance cannot check yet.

Anything else (tampered, unknown key id, expired, signed for another purpose or event) is
rejected with a reason the page can explain.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from registrar.clock import Clock

# "substitute": the colleague named to take over a seat confirms their address with it.
Purpose = Literal["confirm", "manage", "substitute"]
Reason = Literal["malformed", "signature", "expired", "purpose", "revoked"]
_MAX_TOKEN_LENGTH = 512
MIN_KEY_LENGTH = 32
_KEY_ID = re.compile(r"[0-9]{1,6}")
# A rotated key signs only this long after it was written: more than the functions keep the
# secret cached (``registrar.runtime.TOKEN_SECRET_MAX_AGE_SECONDS``), so every instance can
# check a link before the first one is signed with it.
KEY_ACTIVATION_DELAY = dt.timedelta(minutes=10)


class InvalidToken(Exception):
    """The token cannot be used; ``reason`` says why (one of ``Reason``).

    ``revoked``: the signature holds, but the application it was issued for is gone (erased,
    or replaced by a new registration of the same address).
    """

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenClaims(NamedTuple):
    purpose: Purpose
    event_id: str
    applicant_key: str
    application: str  # the public id of the application the link was sent for
    expires_at: dt.datetime


class LinkKey(NamedTuple):
    """One signing key. ``active_from``: signs from then on (None: since it was made);
    ``valid_until``: links signed with it stop working then (None: no end)."""

    key_id: str
    secret: str
    active_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None

    def signs_at(self, now: dt.datetime) -> bool:
        return (self.active_from is None or self.active_from <= now) and self.verifies_at(now)

    def verifies_at(self, now: dt.datetime) -> bool:
        return self.valid_until is None or now < self.valid_until


class KeyringError(ValueError):
    """The stored link keys cannot be used (one sentence for the operator)."""


@dataclass(frozen=True, slots=True)
class LinkKeyring:
    """The link keys, newest first. Stored as JSON; a plain string is a keyring of one key
    with id ``1`` (what the template generates for a new stack)."""

    keys: tuple[LinkKey, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise KeyringError("the link keyring holds no key")
        ids = [key.key_id for key in self.keys]
        if len(set(ids)) != len(ids):
            raise KeyringError("two link keys share an id")
        for key in self.keys:
            if not _KEY_ID.fullmatch(key.key_id):
                raise KeyringError(f"link key id {key.key_id!r} is not a number")
            if len(key.secret) < MIN_KEY_LENGTH:
                raise KeyringError(
                    f"link key {key.key_id} is too short (at least {MIN_KEY_LENGTH} characters)"
                )

    @classmethod
    def parse(cls, text: str) -> LinkKeyring:
        if not text.lstrip().startswith("{"):
            return cls((LinkKey("1", text),))
        try:
            stored = json.loads(text)
            keys = tuple(
                LinkKey(
                    str(entry["id"]),
                    str(entry["secret"]),
                    _instant(entry.get("active_from")),
                    _instant(entry.get("valid_until")),
                )
                for entry in stored["keys"]
            )
        except (ValueError, KeyError, TypeError) as error:
            raise KeyringError(f"the link keyring is not readable ({error})") from None
        return cls(keys)

    def dump(self) -> str:
        return json.dumps(
            {
                "keys": [
                    {
                        "id": key.key_id,
                        "secret": key.secret,
                        "active_from": _iso(key.active_from),
                        "valid_until": _iso(key.valid_until),
                    }
                    for key in self.keys
                ]
            },
            indent=1,
        )

    def signing_key(self, now: dt.datetime) -> LinkKey:
        for key in self.keys:
            if key.signs_at(now):
                return key
        raise KeyringError("no link key may sign now")

    def key(self, key_id: str) -> LinkKey | None:
        return next((key for key in self.keys if key.key_id == key_id), None)

    def rotated(
        self,
        secret: str,
        *,
        now: dt.datetime,
        activation_delay: dt.timedelta,
        grace: dt.timedelta,
    ) -> LinkKeyring:
        """A new key that signs from ``now + activation_delay``; the key signing now keeps
        verifying ``grace`` beyond that; keys already past their end are dropped."""
        active_from = now + activation_delay
        current = self.signing_key(now)
        new_id = str(max(int(key.key_id) for key in self.keys) + 1)
        ending = current._replace(valid_until=_earliest(current.valid_until, active_from + grace))
        kept = [ending if key is current else key for key in self.keys if key.verifies_at(now)]
        return LinkKeyring((LinkKey(new_id, secret, active_from), *kept))


def _earliest(first: dt.datetime | None, second: dt.datetime) -> dt.datetime:
    return second if first is None else min(first, second)


def _instant(value: object) -> dt.datetime | None:
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone")
    return parsed


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """Issues and checks tokens with a keyring (or the text of one, as stored)."""

    def __init__(self, keyring: LinkKeyring | str) -> None:
        self._keyring = keyring if isinstance(keyring, LinkKeyring) else LinkKeyring.parse(keyring)

    @staticmethod
    def _sign(key: LinkKey, signed: str) -> str:
        digest = hmac.new(key.secret.encode(), signed.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest)

    def issue(self, claims: TokenClaims, *, now: dt.datetime) -> str:
        key = self._keyring.signing_key(now)
        body = json.dumps(
            [
                claims.purpose,
                claims.event_id,
                claims.applicant_key,
                claims.application,
                int(claims.expires_at.timestamp()),
            ],
            separators=(",", ":"),
        )
        signed = f"{key.key_id}.{_b64(body.encode())}"
        return f"{signed}.{self._sign(key, signed)}"

    def verify(
        self, token: str, *, purpose: Purpose, event_id: str, now: dt.datetime
    ) -> TokenClaims:
        if not token or len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 2:
            raise InvalidToken("malformed")
        key_id, payload, signature = token.split(".")
        if not (key_id.isascii() and payload.isascii() and signature.isascii()):
            raise InvalidToken("malformed")
        key = self._keyring.key(key_id)
        if key is None or not hmac.compare_digest(
            self._sign(key, f"{key_id}.{payload}"), signature
        ):
            raise InvalidToken("signature")
        try:
            token_purpose, token_event, applicant, application, expires = json.loads(
                _unb64(payload)
            )
            expires_at = dt.datetime.fromtimestamp(int(expires), dt.UTC)
        except (ValueError, TypeError):
            raise InvalidToken("malformed") from None
        if (
            token_purpose != purpose
            or token_event != event_id
            or not isinstance(applicant, str)
            or not isinstance(application, str)
        ):
            raise InvalidToken("purpose")
        # A link whose key was retired (the rotation's grace period is over) did work once.
        if now >= expires_at or not key.verifies_at(now):
            raise InvalidToken("expired")
        return TokenClaims(purpose, token_event, applicant, application, expires_at)


class LinkVerifier:
    """The one check of a link's token in an applicant's email (confirm and manage alike).

    Bound to one event and its clock. The signer is asked for at every check, so a rotated
    keyring takes effect as soon as the signer's source lets it.
    """

    def __init__(self, signer: Callable[[], TokenSigner], event_id: str, clock: Clock) -> None:
        self._signer = signer
        self._event_id = event_id
        self._clock = clock

    def verify(self, token: str, purpose: Purpose) -> TokenClaims:
        """The claims of a valid token; ``InvalidToken`` otherwise."""
        return self._signer().verify(
            token, purpose=purpose, event_id=self._event_id, now=self._clock.now()
        )
