"""The admissions run's decisions written together: one transaction of conditional puts per
write, each decision on its own application's version, against the template's table."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.client import BaseClient
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError

from registrar.application import Application
from registrar.conference import Conference
from registrar.mail.sample import sample_application
from registrar.store import dynamo
from registrar.store.dynamo import DynamoApplications
from tests.support.stack import Deployed


@pytest.fixture
def store(deployed: Deployed) -> DynamoApplications:
    return DynamoApplications()


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The DynamoDB operations sent from here on, in order."""
    sent: list[str] = []
    original = BaseClient._make_api_call

    def counted(client: BaseClient, operation: str, params: Any) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            sent.append(operation)
        return original(client, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    return sent


def _stored_applications(
    store: DynamoApplications, conference: Conference, count: int
) -> list[Application]:
    """``count`` applications on the table, waitlisted, read back as a run reads them."""
    base = sample_application(conference, "de", conference.closes_at, kind="waitlisted")
    for number in range(count):
        application = base.model_copy(
            update={"applicant_key": f"{number:064x}", "public_id": f"P{number:07d}", "version": 0}
        )
        assert store.add(application)
    return sorted(store.list(conference.id), key=lambda a: a.public_id)


def _decided(applications: list[Application]) -> list[Application]:
    for application in applications:
        application.status = "accepted"
        application.decision_version += 1
    return applications


def test_decisions_are_written_together_in_one_request_each_on_its_version(
    store: DynamoApplications, conference: Conference, requests: list[str]
) -> None:
    applications = _stored_applications(store, conference, 25)
    versions = {a.applicant_key: a.version for a in applications}
    requests.clear()

    assert store.save_each(_decided(applications)) == (True,) * 25

    assert requests == ["TransactWriteItems"]
    for stored in store.list(conference.id):
        assert stored.status == "accepted"
        assert stored.version == versions[stored.applicant_key] + 1


def test_more_than_a_transaction_holds_goes_out_in_several(
    store: DynamoApplications,
    conference: Conference,
    requests: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dynamo, "TRANSACTION_ITEMS", 10)
    applications = _stored_applications(store, conference, 25)
    requests.clear()

    assert store.save_each(_decided(applications)) == (True,) * 25

    assert requests == ["TransactWriteItems"] * 3
    assert {a.status for a in store.list(conference.id)} == {"accepted"}


def test_one_decision_is_one_conditional_put(
    store: DynamoApplications, conference: Conference, requests: list[str]
) -> None:
    (application,) = _stored_applications(store, conference, 1)
    requests.clear()
    assert store.save_each(_decided([application])) == (True,)
    assert requests == ["PutItem"]


def test_an_application_changed_since_it_was_read_keeps_the_change_and_the_rest_are_written(
    store: DynamoApplications, conference: Conference, requests: list[str]
) -> None:
    applications = _stored_applications(store, conference, 6)
    # The fourth applicant declines while the run decides (another writer, a newer version).
    declined = store.get(conference.id, applications[3].applicant_key)
    assert declined is not None
    declined.status = "declined"
    store.save(declined)
    requests.clear()

    written = store.save_each(_decided(applications))

    assert written == (True, True, True, False, True, True)
    # The transaction was cancelled as a whole; the five others were written one by one.
    assert requests == ["TransactWriteItems"] + ["PutItem"] * 5
    statuses = {a.applicant_key: a.status for a in store.list(conference.id)}
    assert statuses.pop(applications[3].applicant_key) == "declined"  # theirs wins
    assert set(statuses.values()) == {"accepted"}


def test_a_transaction_refused_as_a_whole_is_written_one_by_one(
    store: DynamoApplications,
    conference: Conference,
    requests: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # DynamoDB refuses a transaction over 4 MB with a ValidationException (moto does not
    # count the size): each decision then goes out on its own.
    applications = _stored_applications(store, conference, 4)
    original = Connection.transact_write_items

    def too_large(self: Connection, *args: Any, **kwargs: Any) -> Any:
        items = kwargs["put_items"]
        items[0]["Item"]["padding"] = {"S": "x" * 500_000}  # over an item's 400 KB as well
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", too_large)
    requests.clear()

    assert store.save_each(_decided(applications)) == (True,) * 4

    assert requests == ["TransactWriteItems"] + ["PutItem"] * 4
    assert {a.status for a in store.list(conference.id)} == {"accepted"}


def test_any_other_failure_of_the_transaction_is_raised_and_writes_nothing(
    store: DynamoApplications,
    conference: Conference,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    applications = _stored_applications(store, conference, 3)
    original = Connection.transact_write_items

    def to_a_missing_table(self: Connection, *args: Any, **kwargs: Any) -> Any:
        for item in kwargs["put_items"]:
            item["TableName"] = "no-such-table"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", to_a_missing_table)
    with pytest.raises(TransactWriteError) as raised:
        store.save_each(_decided(applications))
    assert raised.value.cause_response_code == "ResourceNotFoundException"
    assert {a.status for a in store.list(conference.id)} == {"waitlisted"}
