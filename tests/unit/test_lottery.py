"""The lottery: reproducible, independent per application, seed-dependent."""

from __future__ import annotations

import hashlib
import hmac

from registrar.lottery import lottery_place

IDS = [f"app-{i:03d}" for i in range(200)]


def test_place_is_hmac_sha256_of_the_id_keyed_by_the_seed() -> None:
    expected = hmac.new(b"s3cret", b"app-001", hashlib.sha256).hexdigest()
    assert lottery_place("s3cret", "app-001") == expected


def test_the_same_seed_and_id_always_give_the_same_place() -> None:
    assert lottery_place("seed", "x") == lottery_place("seed", "x")


def test_every_application_gets_its_own_place() -> None:
    assert len({lottery_place("seed", app_id) for app_id in IDS}) == len(IDS)


def test_different_seeds_give_different_places() -> None:
    assert lottery_place("seed-a", "x") != lottery_place("seed-b", "x")
