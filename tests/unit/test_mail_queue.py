"""The SQS mail queue: batches of ten in order, one clear error for any refusal, lazy client."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from registrar.mail_queue import MailQueueUnavailable, MailRequest, SqsMailQueue

URL = "https://sqs.eu-central-1.amazonaws.com/123456789012/mail"


def _requests(count: int) -> list[MailRequest]:
    return [MailRequest.create("accepted", "kassel-2023", f"key{n}", 1) for n in range(count)]


def _client() -> tuple[object, Stubber]:
    client = boto3.client(
        "sqs", region_name="eu-central-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return client, Stubber(client)


def test_requests_go_in_batches_of_ten_and_no_client_is_made_before_the_first() -> None:
    client, stubber = _client()
    made: list[object] = []

    def make() -> object:
        made.append(client)
        return client

    queue = SqsMailQueue(make, URL)
    assert made == []  # a request that queues nothing pays for no client
    requests = _requests(12)
    for batch in (requests[:10], requests[10:]):
        entries = [{"Id": str(i), "MessageBody": r.model_dump_json()} for i, r in enumerate(batch)]
        stubber.add_response(
            "send_message_batch",
            {"Successful": [], "Failed": []},
            {"QueueUrl": URL, "Entries": entries},
        )
    with stubber:
        queue.enqueue(requests)
    stubber.assert_no_pending_responses()
    assert len(made) == 1


def test_a_partly_refused_batch_and_an_unavailable_queue_raise_one_clear_error() -> None:
    client, stubber = _client()
    queue = SqsMailQueue(lambda: client, URL)
    failed = {"Id": "3", "SenderFault": False, "Code": "InternalError"}
    stubber.add_response("send_message_batch", {"Successful": [], "Failed": [failed]})
    stubber.add_client_error("send_message_batch", "AWS.SimpleQueueService.NonExistentQueue")
    with stubber:
        with pytest.raises(MailQueueUnavailable, match=r"refused 1 messages \(InternalError\)"):
            queue.enqueue(_requests(5))
        with pytest.raises(MailQueueUnavailable, match="unavailable"):
            queue.enqueue(_requests(5))
