"""Signed links: only an untampered, unexpired token of the right purpose and event passes."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.clock import SettableClock
from registrar.tokens import InvalidToken, LinkVerifier, TokenClaims, TokenSigner

NOW = dt.datetime(2023, 4, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SIGNER = TokenSigner("k" * 48)


def _token(purpose: str = "confirm", expires: dt.datetime | None = None) -> str:
    claims = TokenClaims(purpose, "kassel-2023", "a" * 32, expires or NOW + dt.timedelta(days=1))  # type: ignore[arg-type]
    return SIGNER.issue(claims)


def test_a_valid_token_round_trips() -> None:
    claims = SIGNER.verify(_token(), purpose="confirm", event_id="kassel-2023", now=NOW)
    assert claims.applicant_key == "a" * 32


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "malformed"),
        ("abc", "malformed"),
        ("a.b.c", "malformed"),
        ("x" * 600, "malformed"),
        ("ä.ö", "malformed"),
    ],
)
def test_garbage_is_malformed(token: str, reason: str) -> None:
    with pytest.raises(InvalidToken) as raised:
        SIGNER.verify(token, purpose="confirm", event_id="kassel-2023", now=NOW)
    assert raised.value.reason == reason


def test_tampering_with_payload_or_signature_is_detected() -> None:
    payload, signature = _token().split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    for tampered in (f"{flipped}.{signature}", f"{payload}.{signature[::-1]}"):
        with pytest.raises(InvalidToken) as raised:
            SIGNER.verify(tampered, purpose="confirm", event_id="kassel-2023", now=NOW)
        assert raised.value.reason == "signature"


def test_another_key_expiry_purpose_or_event_is_refused() -> None:
    other = TokenSigner("z" * 48)
    with pytest.raises(InvalidToken, match="signature"):
        other.verify(_token(), purpose="confirm", event_id="kassel-2023", now=NOW)
    with pytest.raises(InvalidToken, match="expired"):
        SIGNER.verify(_token(expires=NOW), purpose="confirm", event_id="kassel-2023", now=NOW)
    with pytest.raises(InvalidToken, match="purpose"):
        SIGNER.verify(_token("manage"), purpose="confirm", event_id="kassel-2023", now=NOW)
    with pytest.raises(InvalidToken, match="purpose"):
        SIGNER.verify(_token(), purpose="confirm", event_id="other-event", now=NOW)


def test_short_secrets_are_refused() -> None:
    with pytest.raises(ValueError, match="too short"):
        TokenSigner("short")


def test_the_link_verifier_checks_purpose_event_and_expiry_at_the_clocks_time() -> None:
    clock = SettableClock(NOW)
    links = LinkVerifier(lambda: SIGNER, "kassel-2023", clock)
    assert links.verify(_token("manage"), "manage") == "a" * 32
    for token, purpose, reason in [
        (_token("confirm"), "manage", "purpose"),
        (_token("manage"), "confirm", "purpose"),
        (
            SIGNER.issue(TokenClaims("manage", "other-2024", "a" * 32, NOW + DAY)),
            "manage",
            "purpose",
        ),
    ]:
        with pytest.raises(InvalidToken) as raised:
            links.verify(token, purpose)  # type: ignore[arg-type]
        assert raised.value.reason == reason
    clock.advance(DAY)
    with pytest.raises(InvalidToken, match="expired"):
        links.verify(_token("manage"), "manage")


def test_the_link_verifier_asks_for_the_signer_at_every_check_so_a_rotated_secret_counts() -> None:
    signers = [SIGNER, TokenSigner("r" * 48)]
    links = LinkVerifier(lambda: signers[0], "kassel-2023", SettableClock(NOW))
    token = _token("manage")
    assert links.verify(token, "manage") == "a" * 32
    signers.pop(0)
    with pytest.raises(InvalidToken, match="signature"):
        links.verify(token, "manage")
