"""Signed links: only an untampered, unexpired token of the right purpose and event passes,
signed with a key of the keyring that is still valid (rotation keeps the previous key for a
grace period, no longer)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from registrar.clock import SettableClock
from registrar.tokens import (
    KEY_ACTIVATION_DELAY,
    InvalidToken,
    KeyringError,
    LinkKey,
    LinkKeyring,
    LinkVerifier,
    TokenClaims,
    TokenSigner,
)

NOW = dt.datetime(2023, 4, 1, 12, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
MINUTES_10 = dt.timedelta(minutes=10)
SIGNER = TokenSigner("k" * 48)
REFERENCE = "R-ABCD-EFGH"


def _claims(
    purpose: str = "confirm", expires: dt.datetime | None = None, event: str = "kassel-2023"
) -> TokenClaims:
    return TokenClaims(purpose, event, "a" * 32, REFERENCE, expires or NOW + DAY)  # type: ignore[arg-type]


def _token(purpose: str = "confirm", expires: dt.datetime | None = None) -> str:
    return SIGNER.issue(_claims(purpose, expires), now=NOW)


def test_a_valid_token_round_trips_with_its_key_id_and_application() -> None:
    token = _token()
    assert token.split(".")[0] == "1"  # a new stack's single generated key
    claims = SIGNER.verify(token, purpose="confirm", event_id="kassel-2023", now=NOW)
    assert claims.applicant_key == "a" * 32
    assert claims.application == REFERENCE


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", "malformed"),
        ("abc", "malformed"),
        ("a.b", "malformed"),
        ("a.b.c.d", "malformed"),
        ("x" * 600, "malformed"),
        ("1.ä.ö", "malformed"),
    ],
)
def test_garbage_is_malformed(token: str, reason: str) -> None:
    with pytest.raises(InvalidToken) as raised:
        SIGNER.verify(token, purpose="confirm", event_id="kassel-2023", now=NOW)
    assert raised.value.reason == reason


def test_tampering_with_key_id_payload_or_signature_is_detected() -> None:
    key_id, payload, signature = _token().split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    for tampered in (
        f"{key_id}.{flipped}.{signature}",
        f"{key_id}.{payload}.{signature[::-1]}",
        f"2.{payload}.{signature}",  # no such key
        f"01.{payload}.{signature}",  # the same number, another id: the signature covers it
    ):
        with pytest.raises(InvalidToken) as raised:
            SIGNER.verify(tampered, purpose="confirm", event_id="kassel-2023", now=NOW)
        assert raised.value.reason == "signature"


def test_a_key_id_moved_to_another_key_of_the_ring_is_refused() -> None:
    ring = LinkKeyring((LinkKey("2", "n" * 48), LinkKey("1", "k" * 48, valid_until=NOW + DAY)))
    _, payload, signature = _token().split(".")  # signed by key 1
    with pytest.raises(InvalidToken, match="signature"):
        TokenSigner(ring).verify(
            f"2.{payload}.{signature}", purpose="confirm", event_id="kassel-2023", now=NOW
        )


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
    assert links.verify(_token("manage"), "manage").applicant_key == "a" * 32
    for token, purpose, reason in [
        (_token("confirm"), "manage", "purpose"),
        (_token("manage"), "confirm", "purpose"),
        (SIGNER.issue(_claims("manage", event="other-2024"), now=NOW), "manage", "purpose"),
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
    assert links.verify(token, "manage").application == REFERENCE
    signers.pop(0)
    with pytest.raises(InvalidToken, match="signature"):
        links.verify(token, "manage")


# -- rotation --------------------------------------------------------------------------------


def _rotated(grace: dt.timedelta) -> LinkKeyring:
    return LinkKeyring.parse("k" * 48).rotated(
        "n" * 48, now=NOW, activation_delay=MINUTES_10, grace=grace
    )


def test_a_rotated_keyring_signs_with_the_old_key_until_every_function_has_the_new_one() -> None:
    ring = _rotated(grace=7 * DAY)
    assert [key.key_id for key in ring.keys] == ["2", "1"]
    assert ring.signing_key(NOW).key_id == "1"
    assert ring.signing_key(NOW + MINUTES_10).key_id == "2"
    signer = TokenSigner(ring)
    assert signer.issue(_claims(), now=NOW + MINUTES_10).startswith("2.")


def test_a_link_signed_with_the_previous_key_works_in_the_grace_period_and_not_after() -> None:
    old_link = _token("manage", expires=NOW + 60 * DAY)
    signer = TokenSigner(_rotated(grace=7 * DAY))
    switch = NOW + MINUTES_10
    for when in (NOW, switch, switch + 7 * DAY - dt.timedelta(seconds=1)):
        claims = signer.verify(old_link, purpose="manage", event_id="kassel-2023", now=when)
        assert claims.application == REFERENCE
    with pytest.raises(InvalidToken) as raised:
        signer.verify(old_link, purpose="manage", event_id="kassel-2023", now=switch + 7 * DAY)
    assert raised.value.reason == "expired"
    new_link = signer.issue(_claims("manage", NOW + 60 * DAY), now=switch)
    assert signer.verify(new_link, purpose="manage", event_id="kassel-2023", now=NOW + 30 * DAY)


def test_a_rotation_without_grace_ends_the_old_key_when_the_new_one_signs() -> None:
    old_link = _token("manage", expires=NOW + 60 * DAY)
    signer = TokenSigner(_rotated(grace=dt.timedelta(0)))
    assert signer.verify(old_link, purpose="manage", event_id="kassel-2023", now=NOW)
    with pytest.raises(InvalidToken, match="expired"):
        signer.verify(old_link, purpose="manage", event_id="kassel-2023", now=NOW + MINUTES_10)


def test_a_second_rotation_drops_keys_past_their_end_and_keeps_the_stored_form() -> None:
    first = _rotated(grace=DAY)
    later = NOW + 3 * DAY
    second = first.rotated("m" * 48, now=later, activation_delay=MINUTES_10, grace=DAY)
    assert [key.key_id for key in second.keys] == ["3", "2"]
    assert LinkKeyring.parse(second.dump()) == second
    stored = json.loads(second.dump())
    assert stored["keys"][0]["valid_until"] is None
    assert stored["keys"][1]["valid_until"] == (later + MINUTES_10 + DAY).isoformat()


@pytest.mark.parametrize(
    "text",
    [
        '{"keys": []}',
        '{"keys": [{"id": "1", "secret": "short"}]}',
        '{"keys": [{"id": "x", "secret": "' + "k" * 48 + '"}]}',
        '{"keys": [{"id": "1", "secret": "'
        + "k" * 48
        + '"}, {"id": "1", "secret": "'
        + "n" * 48
        + '"}]}',
        '{"keys": [{"id": "1", "secret": "' + "k" * 48 + '", "valid_until": "2023-01-01"}]}',
        "{not json",
    ],
)
def test_an_unusable_keyring_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(KeyringError):
        LinkKeyring.parse(text)


def test_a_new_key_signs_only_after_every_function_has_read_it() -> None:
    from registrar import runtime

    cached = dt.timedelta(seconds=runtime.TOKEN_SECRET_MAX_AGE_SECONDS)
    assert cached < KEY_ACTIVATION_DELAY
