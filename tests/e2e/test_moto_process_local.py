"""The embedded local stack with moto in a process of its own: the functions reach it over
HTTP, as they reach AWS, and the admissions run decides as it does with moto in process."""

from __future__ import annotations

import datetime as dt
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from registrar import runtime
from registrar.conference import Conference, load_conference
from registrar.services.registration import RegistrationService
from registrar.store.dynamo import DynamoApplications
from registrar.submission import validate_submission
from registrar_local.moto_process import MotoProcess
from registrar_local.seed import fake_applicant
from registrar_local.stack import REGION, LocalStack

pytestmark = pytest.mark.e2e
APPLICANTS = 30


class _Mailed:
    """The registration's confirmation mails, kept aside: the decisions are what is tested."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    def enqueue(self, requests: list[Any]) -> None:
        self.requests.extend(requests)


@pytest.fixture
def conference() -> Conference:
    return load_conference("kassel-2023")


@pytest.fixture
def stack(tmp_path: Path, conference: Conference) -> Iterator[LocalStack]:
    saved = dict(os.environ)
    stack = LocalStack(
        outbox_dir=tmp_path / "outbox",
        now=conference.opens_at,
        port=0,
        seed=3,
        moto_in_process=False,
    )
    stack.log_file = tmp_path / "functions.log"
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)
        runtime.reset()


def test_the_admissions_run_decides_every_application_in_moto_s_own_process(
    stack: LocalStack, conference: Conference
) -> None:
    moto = stack.moto_process_id
    assert moto is not None and moto != os.getpid()
    applications = DynamoApplications()
    keys = runtime.current().applicant_keys
    registration = RegistrationService(
        conference, applications, _Mailed(), stack.clock, random.Random(3), keys
    )
    stack.clock.set(conference.deadline - dt.timedelta(days=2))
    rng = random.Random(3)
    bodies = [fake_applicant(conference, rng, number) for number in range(APPLICANTS)]
    for body in bodies:
        registration.submit(validate_submission(body, conference))
    stack.pump_streams()  # the receipts function registers what the api received
    for body in bodies:
        registration.confirm(keys.of(conference.id, body["email"]))

    stack.clock.set(conference.closes_at)
    run = stack.invoke("AdmissionsFunction", {"trigger": "organiser", "dry_run": False})["run"]

    assert sum(run["change_counts"].values()) == APPLICANTS
    decided = list(applications.list(conference.id))
    assert len(decided) == APPLICANTS
    assert {a.decided_by_run for a in decided} == {run["run_id"]}
    assert sum(run["emails_queued"].values()) == APPLICANTS  # one decision mail each
    # Nothing of it is in this process's moto: the tables live in the child.
    assert not dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables
    # Sent mail stays in the child too: the outbox says so rather than stay empty.
    with pytest.raises(RuntimeError, match="no outbox"):
        stack.collect_sent_mail()


def test_the_child_answers_as_aws_over_http_and_ends_with_stop() -> None:
    moto = MotoProcess()
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        dynamodb = boto3.client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        dynamodb.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.put_item(TableName="t", Item={"k": {"S": "Müller"}, "v": {"N": "1"}})
        with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
            dynamodb.put_item(
                TableName="t",
                Item={"k": {"S": "Müller"}, "v": {"N": "2"}},
                ConditionExpression="attribute_not_exists(k)",
            )
        moto.freeze_memory()  # what it holds is kept, and it goes on answering
        item = dynamodb.get_item(TableName="t", Key={"k": {"S": "Müller"}})["Item"]
        assert item == {"k": {"S": "Müller"}, "v": {"N": "1"}}
        pid = moto.pid
    finally:
        moto.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended and reaped
    with pytest.raises(RuntimeError):
        moto.get_host_and_port()
