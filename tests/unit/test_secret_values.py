"""Secret values: one fetch per secret per max age, forgotten on demand (SnapStart)."""

from __future__ import annotations

from typing import Any

from registrar.secret_values import SecretValues


class _SecretsManager:
    def __init__(self) -> None:
        self.values = {"arn:token": "first", "arn:origin": "origin-value"}
        self.fetches: list[str] = []

    def get_secret_value(self, SecretId: str) -> dict[str, Any]:
        self.fetches.append(SecretId)
        return {"SecretString": self.values[SecretId], "VersionId": "v"}


class _Clock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _values() -> tuple[SecretValues, _SecretsManager, _Clock, list[int]]:
    manager, clock, clients = _SecretsManager(), _Clock(), [0]

    def client() -> _SecretsManager:
        clients[0] += 1
        return manager

    return SecretValues(client, 300, monotonic=clock), manager, clock, clients


def test_each_secret_is_fetched_once_within_its_age_with_one_client() -> None:
    values, manager, clock, clients = _values()
    assert values.get("arn:token") == "first"
    clock.seconds += 299
    assert values.get("arn:token") == "first"
    assert values.get("arn:origin") == "origin-value"
    assert manager.fetches == ["arn:token", "arn:origin"]
    assert clients == [1]  # no client before the first value was asked for, one after
    assert len(values) == 2


def test_a_rotated_secret_takes_effect_once_the_kept_value_is_older_than_its_age() -> None:
    values, manager, clock, _ = _values()
    values.get("arn:token")
    manager.values["arn:token"] = "rotated"
    clock.seconds += 299.9
    assert values.get("arn:token") == "first"
    clock.seconds += 0.1
    assert values.get("arn:token") == "rotated"


def test_forgotten_values_are_fetched_again() -> None:
    values, manager, _, clients = _values()
    values.get("arn:token")
    values.forget()
    assert len(values) == 0
    manager.values["arn:token"] = "rotated"
    assert values.get("arn:token") == "rotated"
    assert manager.fetches == ["arn:token", "arn:token"]
    assert clients == [1]


def test_no_client_is_made_while_no_secret_is_asked_for() -> None:
    values, _, _, clients = _values()
    values.forget()
    assert clients == [0] and len(values) == 0
