"""The receipts function on moto: every received submission is registered and every stored
application gets its receipt, once, even when the mail queue fails for a while (Lambda
retries the stream from the first failure)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient

from registrar import runtime
from registrar.application import Application
from registrar.conference import Conference
from registrar.mail_queue import MailRequest
from registrar.services.organiser import OrganiserService
from registrar.services.receipts import receipt_version
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar.store.models import ApplicationItem
from tests.conftest import recorded_calls
from tests.fakes import MemoryQueue
from tests.support.mail import drain, sent_messages
from tests.support.stack import REGION, Deployed, load_event


def _submit(deployed: Deployed, number: int) -> None:
    event = load_event("api-post-application-json")
    body = json.loads(event["body"])
    body["email"] = f"receipt-{number}@example.org"
    event["body"] = json.dumps(body)
    assert deployed.call("ApiFunction", event)["statusCode"] == 202


def _sample_event_for_a_submission(
    deployed: Deployed, conference: Conference
) -> tuple[Application, dict[str, Any]]:
    """One application submitted and registered (its receipt queued and taken off the
    queue), and the sample stream event naming it."""
    _submit(deployed, 1)
    deployed.pump_streams()
    deployed.queued()
    (stored,) = DynamoApplications().list(conference.id)
    event = load_event("dynamodb-stream-new-application")
    event["Records"][0]["dynamodb"]["Keys"]["applicant_key"]["S"] = stored.applicant_key
    return stored, event


def test_the_sample_stream_event_queues_the_receipt_of_the_application_it_names(
    deployed: Deployed, conference: Conference
) -> None:
    stored, event = _sample_event_for_a_submission(deployed, conference)
    assert deployed.call("ReceiptsFunction", event) == {"batchItemFailures": []}
    expected = MailRequest.create(
        "receipt", stored.event_id, stored.applicant_key, receipt_version(stored)
    )
    assert [MailRequest.model_validate(m) for m in deployed.queued()] == [expected]


def test_a_record_for_an_application_that_is_gone_queues_nothing(deployed: Deployed) -> None:
    event = load_event("dynamodb-stream-new-application")  # names no stored application
    assert deployed.call("ReceiptsFunction", event) == {"batchItemFailures": []}
    assert deployed.queued() == []


def test_changes_and_removals_on_the_stream_queue_nothing(
    deployed: Deployed, conference: Conference
) -> None:
    _, event = _sample_event_for_a_submission(deployed, conference)
    for name in ("MODIFY", "REMOVE"):
        event["Records"][0]["eventName"] = name
        assert deployed.call("ReceiptsFunction", event) == {"batchItemFailures": []}
    assert deployed.queued() == []


def test_receipts_wait_out_a_queue_outage_and_are_queued_once(
    deployed: Deployed, conference: Conference
) -> None:
    sqs = boto3.client("sqs", region_name=REGION)
    url = deployed.stack.outputs["MailQueueUrl"]
    name = url.rsplit("/", 1)[1]
    sqs.delete_queue(QueueUrl=url)  # the queue is gone: every send fails
    for number in range(12):
        _submit(deployed, number)
    # Registering needs no mail for new addresses; each receipt is reported failed, from
    # the first application's record on.
    assert deployed.pump_streams() == 12
    assert len(list(DynamoApplications().list(conference.id))) == 12
    assert deployed.pump_streams() == 0  # and again while the outage lasts
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == url  # the queue is back
    assert deployed.pump_streams() == 12
    assert deployed.pump_streams() == 0
    queued = deployed.queued()
    stored = {a.applicant_key for a in DynamoApplications().list(conference.id)}
    assert len(stored) == 12
    assert sorted(m["applicant_key"] for m in queued) == sorted(stored)
    assert {m["kind"] for m in queued} == {"receipt"}


def test_an_address_registered_again_after_erasure_gets_a_new_receipt(
    deployed: Deployed, conference: Conference
) -> None:
    _submit(deployed, 1)
    drain(deployed)
    queue = MemoryQueue()
    organiser = OrganiserService(
        conference,
        DynamoApplications(),
        DynamoRuns(),
        queue,
        deployed.clock,
        applicant_keys=runtime.current().applicant_keys,
    )
    organiser.erase("receipt-1@example.org")
    assert queue.sent == []  # erasing mails nobody
    deployed.clock.advance(dt.timedelta(hours=2))
    _submit(deployed, 1)  # the same person, a new application
    drain(deployed)
    receipts = [m for m in sent_messages() if m["X-Registrar-Kind"] == "receipt"]
    assert [str(m["To"]) for m in receipts] == ["receipt-1@example.org"] * 2
    assert receipts[0]["Message-ID"] != receipts[1]["Message-ID"]


def test_an_application_written_back_into_the_table_gets_no_second_receipt(
    deployed: Deployed, conference: Conference
) -> None:
    """As when items from a point-in-time restore are copied back (README, Operations)."""
    _submit(deployed, 1)
    drain(deployed)
    (item,) = ApplicationItem.query(conference.id)
    item.delete()
    ApplicationItem(**item.attribute_values).save(add_version_condition=False)
    drain(deployed)  # the stream brings the copy as a new item
    receipts = [m for m in sent_messages() if m["X-Registrar-Kind"] == "receipt"]
    assert len(receipts) == 1


def test_an_item_that_is_no_application_does_not_hold_up_the_receipts_behind_it(
    deployed: Deployed, conference: Conference
) -> None:
    table = deployed.stack.outputs["ApplicationsTableName"]
    boto3.client("dynamodb", region_name=REGION).put_item(
        TableName=table,
        Item={"event_id": {"S": conference.id}, "applicant_key": {"S": "junk"}, "x": {"S": "1"}},
    )
    _submit(deployed, 1)
    # The junk, the submission and its application: each handed on, none left to retry.
    assert deployed.pump_streams() == 3
    assert deployed.pump_streams() == 0
    assert [m["kind"] for m in deployed.queued()] == ["receipt"]


def test_the_new_applications_of_a_batch_are_read_with_one_request(
    deployed: Deployed, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(25):
        _submit(deployed, number)
    calls = recorded_calls(monkeypatch, BaseClient, "_make_api_call")  # (client, operation, …)
    # One batch of submissions (the template's BatchSize is 100), then one of applications.
    assert deployed.pump_streams() == 50
    operations = [operation for _, operation, _ in calls]
    reads = [o for o in operations if o in {"GetItem", "BatchGetItem", "Query", "Scan"}]
    assert reads == ["BatchGetItem", "BatchGetItem"]
    assert operations.count("PutItem") == operations.count("DeleteItem") == 25
    assert len(deployed.queued()) == 25


def test_a_batch_queues_the_receipts_of_its_inserts_alone_in_stream_order(
    deployed: Deployed, conference: Conference
) -> None:
    for number in range(3):
        _submit(deployed, number)
    deployed.pump_streams()
    deployed.queued()  # their receipts, taken off the queue
    stored = list(DynamoApplications().list(conference.id))
    template = load_event("dynamodb-stream-new-application")["Records"][0]
    records = []
    for position, (name, application) in enumerate(
        zip(("INSERT", "MODIFY", "INSERT", "REMOVE"), [*stored, stored[0]], strict=True)
    ):
        record = json.loads(json.dumps(template))
        record["eventName"] = name
        record["dynamodb"]["Keys"]["applicant_key"]["S"] = application.applicant_key
        record["dynamodb"]["SequenceNumber"] = f"1111{position:020d}"
        records.append(record)

    assert deployed.call("ReceiptsFunction", {"Records": records}) == {"batchItemFailures": []}
    queued = [MailRequest.model_validate(m) for m in deployed.queued()]
    assert [(m.kind, m.applicant_key) for m in queued] == [
        ("receipt", stored[0].applicant_key),
        ("receipt", stored[2].applicant_key),
    ]


def test_a_repeat_is_registered_as_a_notice_and_waits_out_a_queue_outage(
    deployed: Deployed, conference: Conference
) -> None:
    _submit(deployed, 1)
    deployed.pump_streams()
    assert [m["kind"] for m in deployed.queued()] == ["receipt"]
    sqs = boto3.client("sqs", region_name=REGION)
    url = deployed.stack.outputs["MailQueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    _submit(deployed, 1)  # the same address again, while the queue is down
    assert deployed.pump_streams() == 0  # its notice refused: it waits, to be tried again
    (waiting,) = DynamoApplications().received(conference.id)
    assert sqs.create_queue(QueueName=url.rsplit("/", 1)[1])["QueueUrl"] == url
    assert deployed.pump_streams() == 1
    assert DynamoApplications().received(conference.id) == []
    (notice,) = deployed.queued()
    assert (notice["kind"], notice["submission"]) == (
        "already_registered",
        waiting.application.public_id,
    )
    (stored,) = DynamoApplications().list(conference.id)
    assert stored.public_id != waiting.application.public_id  # the first one stays
    # Delivered again (Lambda retries a batch whole): nothing twice, nothing more stored.
    record = load_event("dynamodb-stream-new-application")
    record["Records"][0]["dynamodb"]["Keys"]["applicant_key"]["S"] = waiting.key
    assert deployed.call("ReceiptsFunction", record) == {"batchItemFailures": []}
    assert deployed.queued() == []
    assert [a.public_id for a in DynamoApplications().list(conference.id)] == [stored.public_id]


def test_a_received_submission_reads_back_as_the_application_it_will_be(
    deployed: Deployed, conference: Conference
) -> None:
    """Kept with only what the submission set (a smaller write), it reads back whole."""
    event = load_event("api-post-application-json")
    body = json.loads(event["body"])
    body |= {"on_behalf": True, "submitter_email": "office@example.org", "submitter_copy": "only"}
    event["body"] = json.dumps(body)
    assert deployed.call("ApiFunction", event)["statusCode"] == 202
    (waiting,) = DynamoApplications().received(conference.id)
    assert waiting.submitter_key is not None and waiting.submitter_key.startswith("#by-")
    assert DynamoApplications().received_many([(conference.id, waiting.key)]) == [waiting]
    deployed.pump_streams()
    (stored,) = DynamoApplications().list(conference.id)
    assert stored.model_dump(exclude={"version"}) == waiting.application.model_dump(
        exclude={"version"}
    )
    assert stored.submitted_by == "office@example.org" and stored.submitter_copy == "only"
    assert DynamoApplications().received_many([(conference.id, waiting.key)]) == []
