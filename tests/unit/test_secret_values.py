"""Secret values: one fetch per secret per max age, forgotten on demand (SnapStart)."""

from __future__ import annotations

from typing import Any

import pytest

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


class _BatchingSecretsManager(_SecretsManager):
    def __init__(self) -> None:
        super().__init__()
        self.values["arn:applicant"] = "applicant-secret"
        self.batches: list[list[str]] = []

    def batch_get_secret_value(self, SecretIdList: list[str]) -> dict[str, Any]:
        self.batches.append(SecretIdList)
        found = [s for s in SecretIdList if s in self.values]
        return {
            "SecretValues": [{"ARN": s, "Name": s, "SecretString": self.values[s]} for s in found],
            "Errors": [
                {"SecretId": s, "ErrorCode": "AccessDeniedException"}
                for s in SecretIdList
                if s not in found
            ],
        }


def test_secrets_read_together_come_in_one_request_and_again_together_when_old() -> None:
    manager, clock = _BatchingSecretsManager(), _Clock()
    values = SecretValues(lambda: manager, 300, monotonic=clock)
    values.read_together(["arn:origin", "arn:applicant", "arn:token"])
    assert values.get("arn:origin") == "origin-value"
    assert manager.batches == [["arn:origin", "arn:applicant", "arn:token"]]
    assert values.get("arn:applicant") == "applicant-secret" and values.get("arn:token") == "first"
    assert manager.fetches == [] and len(manager.batches) == 1
    clock.seconds += 300
    manager.values["arn:token"] = "rotated"
    assert values.get("arn:token") == "rotated"
    assert manager.batches[1] == ["arn:origin", "arn:applicant", "arn:token"]
    assert values.get("arn:origin") == "origin-value" and len(manager.batches) == 2


def test_a_secret_the_batch_could_not_read_is_asked_for_alone_and_its_error_raised() -> None:
    manager = _BatchingSecretsManager()
    values = SecretValues(lambda: manager, 300)
    values.read_together(["arn:origin", "arn:missing"])
    with pytest.raises(KeyError):  # GetSecretValue's own error, not a silent empty value
        values.get("arn:missing")
    assert manager.batches == [["arn:origin", "arn:missing"]]
    assert manager.fetches == ["arn:missing"]
    assert values.get("arn:origin") == "origin-value" and manager.fetches == ["arn:missing"]


def test_a_secret_not_named_together_is_read_alone() -> None:
    manager = _BatchingSecretsManager()
    values = SecretValues(lambda: manager, 300)
    values.read_together(["arn:origin", "arn:applicant"])
    assert values.get("arn:token") == "first"
    assert manager.batches == [] and manager.fetches == ["arn:token"]


def test_more_secrets_than_one_request_holds_are_refused() -> None:
    values = SecretValues(_BatchingSecretsManager, 300)
    with pytest.raises(ValueError, match="at most 20"):
        values.read_together([f"arn:{n}" for n in range(21)])
