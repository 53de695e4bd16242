"""One factory builds the services for the functions and for the organiser's CLI."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest

from registrar import runtime
from registrar.clock import SettableClock
from registrar.identity import ApplicantKeys
from registrar.services.factory import Services, StackState
from registrar.settings import Settings
from registrar.store.models import ApplicationItem, MessageItem, RunItem, bind_tables
from registrar_cli import wiring

STATE = StackState(
    applications_table="s-applications",
    runs_table="s-runs",
    messages_table="s-messages",
    mail_queue_url="https://sqs.eu-central-1.amazonaws.com/123456789012/s-mail",
)
AT = dt.datetime(2023, 4, 11, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _tables_bound_back() -> Iterator[None]:
    """Building services points the models at tables: as they were, after each test."""
    bound = _tables()
    yield
    bind_tables(applications=bound[0], runs=bound[1], messages=bound[2])


def _tables() -> tuple[str, str, str]:
    return (ApplicationItem.Meta.table_name, RunItem.Meta.table_name, MessageItem.Meta.table_name)


def test_the_services_use_the_stacks_tables_queue_and_clock() -> None:
    clock = SettableClock(AT)
    reads: list[str] = []
    services = Services(
        "kassel-2023",
        STATE,
        sqs=lambda: None,
        clock=clock,
        randomness=random.Random(1),
        applicant_key_secret=lambda: reads.append("read") or "s" * 48,  # type: ignore[func-returns-value]
    )
    assert _tables() == ("s-applications", "s-runs", "s-messages")
    assert services.conference.id == "kassel-2023"
    assert services.mail_queue._queue_url == STATE.mail_queue_url
    assert services.organiser._clock is clock and services.admissions._clock is clock
    # The calendar's mailings send the programme through the same organiser service.
    assert services.mailings._programme is services.organiser
    assert services.organiser is services.organiser  # built once
    # The applicant-key secret is read at the first key, once, and keys every service.
    assert reads == []
    key = services.registration._keys.of("kassel-2023", "a@example.org")
    assert services.organiser._keys.of("kassel-2023", "a@example.org") == key
    assert reads == ["read"]


def test_the_functions_runtime_is_the_factory_with_the_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings.model_validate(
        {
            "conference_id": "kassel-2023",
            "stage": "test",
            "applications_table": "f-applications",
            "runs_table": "f-runs",
            "messages_table": "f-messages",
            "idempotency_table": "f-idempotency",
            "mail_queue_url": "https://sqs.example/f-mail",
            "token_secret_arn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:x",
            "origin_verify_secret_arn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:o",
            "applicant_key_secret_arn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:y",
            "sender_address": "anmeldung@example.org",
            "ses_configuration_set": "f-set",
            "public_base_url": "",
            "ses_sending_rate": 10,
            "mail_max_concurrency": 2,
            "mail_retry_base_seconds": 30,
            "mail_retry_max_seconds": 900,
            "retention_days": 180,
        }
    )
    rt = runtime.Runtime(settings)
    assert isinstance(rt, Services)
    assert _tables() == ("f-applications", "f-runs", "f-messages")
    assert rt.mail_queue._queue_url == "https://sqs.example/f-mail"


class _Stack:
    """A deployed stack as the CLI sees it: its outputs and its clients."""

    def __init__(self) -> None:
        self.local_api_url = None
        self.outputs = {
            "ConferenceId": "kassel-2023",
            "ApplicationsTableName": "c-applications",
            "RunsTableName": "c-runs",
            "MessagesTableName": "c-messages",
            "MailQueueUrl": "https://sqs.example/c-mail",
            "ApplicantKeySecretArn": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:y",
        }
        self.bound = False
        self.clients: list[str] = []

    def bind(self) -> None:
        self.bound = True

    def client(self, service: str) -> Any:
        self.clients.append(service)
        if service == "secretsmanager":
            return _Secrets()
        return f"{service}-client"


class _Secrets:
    def get_secret_value(self, SecretId: str) -> dict[str, str]:
        assert SecretId.endswith(":secret:y")
        return {"SecretString": "c" * 48}


def test_the_cli_builds_the_same_services_from_the_stacks_outputs() -> None:
    stack = _Stack()
    services = wiring.services(stack)  # type: ignore[arg-type]
    assert isinstance(services, Services) and stack.bound
    assert _tables() == ("c-applications", "c-runs", "c-messages")
    assert services.mail_queue._queue_url == "https://sqs.example/c-mail"
    assert services.mail_queue._client == "sqs-client" and stack.clients == ["sqs"]
    # Finding someone by address keys it with the stack's secret, read from Secrets Manager.
    assert services.applicant_keys.of("kassel-2023", "a@example.org") == (
        ApplicantKeys.from_secret("c" * 48).of("kassel-2023", "a@example.org")
    )
    assert stack.clients == ["sqs", "secretsmanager"]
