"""Once per scheduled trigger (registrar.store.idempotency) on moto's idempotency table.

A trigger delivered twice runs once and the second delivery gets the first's result; one
delivered while the first runs is refused; work that fails, or an invocation that died,
leaves the trigger to Lambda's retry; records expire.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from registrar.conference import Conference
from registrar.store.idempotency import IN_PROGRESS, OncePerTrigger, TriggerInProgress
from tests.support.stack import REGION, Deployed, load_event

WEEK = 7 * 24 * 3600
START = 1_700_000_000.0  # seconds since the epoch: the records' real time, controlled here


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def table(deployed: Deployed) -> str:
    return str(deployed.stack.refs["IdempotencyTable"])


@pytest.fixture
def records(table: str, clock: Clock) -> OncePerTrigger:
    client = boto3.client("dynamodb", region_name=REGION)
    return OncePerTrigger(client, table, expires_after_seconds=WEEK, clock=clock)


def counting(result: dict[str, Any]) -> tuple[list[int], Callable[[], dict[str, Any]]]:
    runs: list[int] = []

    def work() -> dict[str, Any]:
        runs.append(1)
        return result

    return runs, work


def item(table: str, key: str) -> dict[str, Any] | None:
    client = boto3.client("dynamodb", region_name=REGION)
    found: dict[str, Any] | None = client.get_item(TableName=table, Key={"id": {"S": key}}).get(
        "Item"
    )
    return found


def test_a_trigger_delivered_twice_runs_once_and_answers_with_the_first_result(
    records: OncePerTrigger, clock: Clock
) -> None:
    runs, work = counting({"ok": True, "queued": 3, "trigger": "program"})
    first = records.run("program@2023-05-01T08:00:00+00:00", 60_000, work)
    clock.now += 3600
    second = records.run("program@2023-05-01T08:00:00+00:00", 60_000, work)
    assert first == second == {"ok": True, "queued": 3, "trigger": "program"}
    assert len(runs) == 1


def test_each_trigger_and_scheduled_time_has_its_own_record(records: OncePerTrigger) -> None:
    runs, work = counting({"ok": True})
    records.run("daily@2023-05-02T05:00:00+00:00", 60_000, work)
    records.run("daily@2023-05-03T05:00:00+00:00", 60_000, work)
    records.run("deadline@2023-05-02T05:00:00+00:00", 60_000, work)
    assert len(runs) == 3


def test_a_delivery_while_the_first_runs_is_refused_and_runs_nothing(
    records: OncePerTrigger,
) -> None:
    inner_runs, inner = counting({"ok": True})
    refused: list[TriggerInProgress] = []

    def first() -> dict[str, Any]:
        with pytest.raises(TriggerInProgress) as raised:
            records.run("deadline@t", 60_000, inner)
        refused.append(raised.value)
        return {"ok": True, "first": True}

    assert records.run("deadline@t", 60_000, first) == {"ok": True, "first": True}
    assert len(refused) == 1 and inner_runs == []
    # Later deliveries get the first's result.
    assert records.run("deadline@t", 60_000, inner) == {"ok": True, "first": True}


def test_work_that_fails_leaves_the_trigger_to_the_retry(
    records: OncePerTrigger, table: str
) -> None:
    def crashing() -> dict[str, Any]:
        raise RuntimeError("DynamoDB went away mid-run")

    with pytest.raises(RuntimeError):
        records.run("deadline@t", 60_000, crashing)
    assert item(table, "deadline@t") is None
    runs, work = counting({"ok": True, "retried": True})
    assert records.run("deadline@t", 60_000, work) == {"ok": True, "retried": True}
    assert len(runs) == 1


def test_an_invocation_that_died_holds_the_trigger_until_its_deadline(
    records: OncePerTrigger, table: str, clock: Clock
) -> None:
    # What a time-out leaves: the claim, in progress, with the invocation's deadline.
    boto3.client("dynamodb", region_name=REGION).put_item(
        TableName=table,
        Item={
            "id": {"S": "deadline@t"},
            "status": {"S": IN_PROGRESS},
            "expiration": {"N": str(int(START) + WEEK)},
            "in_progress_expiration": {"N": str(int(START * 1000) + 900_000)},
        },
    )
    runs, work = counting({"ok": True})
    clock.now = START + 899
    with pytest.raises(TriggerInProgress):
        records.run("deadline@t", 900_000, work)
    assert runs == []
    clock.now = START + 901  # Lambda's retry comes after the time-out
    assert records.run("deadline@t", 900_000, work) == {"ok": True}
    assert len(runs) == 1


def test_records_expire_and_a_much_later_delivery_runs_again(
    records: OncePerTrigger, table: str, clock: Clock
) -> None:
    runs, work = counting({"ok": True})
    records.run("daily@t", 60_000, work)
    stored = item(table, "daily@t")
    assert stored is not None
    assert stored["status"] == {"S": "COMPLETED"}
    assert stored["expiration"] == {"N": str(int(START) + WEEK)}  # the table's TTL attribute
    clock.now = START + WEEK - 1
    records.run("daily@t", 60_000, work)
    assert len(runs) == 1
    clock.now = START + WEEK + 1  # DynamoDB may not have deleted it yet: still free
    records.run("daily@t", 60_000, work)
    assert len(runs) == 2


def test_the_admissions_function_keeps_its_records_without_powertools_idempotency(
    deployed: Deployed, conference: Conference, table: str
) -> None:
    # Powertools' idempotency utility imports boto3 and s3transfer, about 42 ms of the
    # function's cold start, whatever persistence layer it is given.
    deployed.clock.set(conference.closes_at)
    event = load_event("scheduler-deadline")
    first = deployed.call("AdmissionsFunction", event)
    assert deployed.call("AdmissionsFunction", load_event("scheduler-deadline")) == first
    stored = item(table, f"deadline@{event['scheduled_time']}")
    assert stored is not None and stored["status"] == {"S": "COMPLETED"}
    assert "aws_lambda_powertools.utilities.idempotency" not in sys.modules
