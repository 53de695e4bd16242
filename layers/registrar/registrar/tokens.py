"""Signed links: HMAC tokens bound to one application, one purpose and an expiry.

A token is ``<payload>.<signature>``, both base64url. The payload names the purpose
(``confirm`` or ``manage``), the event, the applicant key and the expiry; the signature is
HMAC-SHA256 under the event's token secret. Anything else (tampered, expired, signed for
another purpose or event) is rejected with a reason the page can explain.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from registrar.clock import Clock

# "substitute": the colleague named to take over a seat confirms their address with it.
Purpose = Literal["confirm", "manage", "substitute"]
_MAX_TOKEN_LENGTH = 512


class InvalidToken(Exception):
    """The token cannot be used; ``reason`` is one of malformed, signature, expired, purpose."""

    def __init__(self, reason: Literal["malformed", "signature", "expired", "purpose"]) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class TokenClaims:
    purpose: Purpose
    event_id: str
    applicant_key: str
    expires_at: dt.datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    def __init__(self, secret: str) -> None:
        if len(secret) < 32:
            raise ValueError("token secret is too short (at least 32 characters)")
        self._key = secret.encode()

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest())

    def issue(self, claims: TokenClaims) -> str:
        body = json.dumps(
            [
                claims.purpose,
                claims.event_id,
                claims.applicant_key,
                int(claims.expires_at.timestamp()),
            ],
            separators=(",", ":"),
        )
        payload = _b64(body.encode())
        return f"{payload}.{self._sign(payload)}"

    def verify(
        self, token: str, *, purpose: Purpose, event_id: str, now: dt.datetime
    ) -> TokenClaims:
        if not token or len(token) > _MAX_TOKEN_LENGTH or token.count(".") != 1:
            raise InvalidToken("malformed")
        payload, signature = token.split(".")
        if not payload.isascii() or not signature.isascii():
            raise InvalidToken("malformed")
        if not hmac.compare_digest(self._sign(payload), signature):
            raise InvalidToken("signature")
        try:
            token_purpose, token_event, key, expires = json.loads(_unb64(payload))
            expires_at = dt.datetime.fromtimestamp(int(expires), dt.UTC)
        except (ValueError, TypeError):
            raise InvalidToken("malformed") from None
        if token_purpose != purpose or token_event != event_id or not isinstance(key, str):
            raise InvalidToken("purpose")
        if now >= expires_at:
            raise InvalidToken("expired")
        return TokenClaims(purpose, token_event, key, expires_at)


class LinkVerifier:
    """The one check of a link's token in an applicant's email (confirm and manage alike).

    Bound to one event and its clock. The signer is asked for at every check, so a rotated
    secret takes effect as soon as the signer's source lets it.
    """

    def __init__(self, signer: Callable[[], TokenSigner], event_id: str, clock: Clock) -> None:
        self._signer = signer
        self._event_id = event_id
        self._clock = clock

    def verify(self, token: str, purpose: Purpose) -> str:
        """The applicant key the token was issued for; ``InvalidToken`` otherwise."""
        claims = self._signer().verify(
            token, purpose=purpose, event_id=self._event_id, now=self._clock.now()
        )
        return claims.applicant_key
