"""The lottery: reproducible, independent per application, seed-dependent."""

from __future__ import annotations

import hashlib
import hmac

from registrar.lottery import lottery_order, lottery_place

IDS = [f"app-{i:03d}" for i in range(200)]


def test_place_is_hmac_sha256_of_the_id_keyed_by_the_seed() -> None:
    expected = hmac.new(b"s3cret", b"app-001", hashlib.sha256).hexdigest()
    assert lottery_place("s3cret", "app-001") == expected


def test_deterministic() -> None:
    assert lottery_order("seed", IDS) == lottery_order("seed", list(reversed(IDS)))
    assert lottery_place("seed", "x") == lottery_place("seed", "x")


def test_order_is_by_place() -> None:
    order = lottery_order("seed", IDS)
    places = [lottery_place("seed", app_id) for app_id in order]
    assert places == sorted(places)
    assert sorted(order) == sorted(IDS)


def test_adding_or_removing_applications_keeps_everyone_elses_order() -> None:
    full = lottery_order("seed", IDS)
    without_some = lottery_order("seed", IDS[::3])
    assert without_some == [app_id for app_id in full if app_id in set(IDS[::3])]
    with_more = lottery_order("seed", [*IDS, "late-1", "late-2"])
    assert [app_id for app_id in with_more if app_id in set(IDS)] == full


def test_different_seeds_give_different_orders() -> None:
    assert lottery_place("seed-a", "x") != lottery_place("seed-b", "x")
    assert lottery_order("seed-a", IDS) != lottery_order("seed-b", IDS)
