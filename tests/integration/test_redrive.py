"""Redriving the dead-letter queue moves readable requests back and keeps the rest."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from registrar.mail_queue import MailRequest
from registrar_cli.failures import redrive_dead_letters


def _bodies(sqs: Any, url: str) -> list[str]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    return sorted(m["Body"] for m in messages)


@mock_aws
def test_readable_requests_move_back_unchanged_and_unreadable_ones_stay() -> None:
    sqs = boto3.client("sqs", region_name="eu-central-1")
    queue = sqs.create_queue(QueueName="mail")["QueueUrl"]
    dead = sqs.create_queue(QueueName="mail-dlq")["QueueUrl"]
    requests = [
        MailRequest.create("accepted", "kassel-2023", f"key{n}", 1).model_dump_json()
        for n in range(23)  # more than one receive's worth
    ]
    for body in [*requests, "not a mail request", '{"kind": "postcard"}']:
        sqs.send_message(QueueUrl=dead, MessageBody=body)

    assert redrive_dead_letters(sqs, dead, queue) == (23, 2)

    moved: list[str] = []
    while batch := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
        moved.extend(m["Body"] for m in batch)
    assert sorted(moved) == sorted(requests)
    assert _bodies(sqs, dead) == sorted(['{"kind": "postcard"}', "not a mail request"])


@mock_aws
def test_a_kept_message_that_comes_round_again_is_counted_once_and_not_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A long redrive outlasts the visibility timeout: what it kept is received again.
    # Visibility 0 makes every kept message come straight back.
    monkeypatch.setattr("registrar_cli.failures._PEEK_VISIBILITY_SECONDS", 0)
    sqs = boto3.client("sqs", region_name="eu-central-1")
    queue = sqs.create_queue(QueueName="mail")["QueueUrl"]
    dead = sqs.create_queue(QueueName="mail-dlq")["QueueUrl"]
    requests = [
        MailRequest.create("accepted", "kassel-2023", f"key{n}", 1).model_dump_json()
        for n in range(15)
    ]
    for body in ["not a mail request", *requests, '{"kind": "postcard"}']:
        sqs.send_message(QueueUrl=dead, MessageBody=body)
    sends: list[int] = []
    original = sqs.send_message_batch

    def refuse_the_first_request_once(**kwargs: Any) -> Any:
        sends.append(len(kwargs["Entries"]))
        if len(sends) == 1:  # the mail queue refuses one request, once
            answer = original(**{**kwargs, "Entries": kwargs["Entries"][1:]})
            answer["Failed"] = [{"Id": kwargs["Entries"][0]["Id"], "Code": "Throttled"}]
            return answer
        return original(**kwargs)

    monkeypatch.setattr(sqs, "send_message_batch", refuse_the_first_request_once)
    receive = sqs.receive_message
    receives: list[int] = []

    def bounded_receive(**kwargs: Any) -> Any:
        receives.append(1)
        assert len(receives) < 50, "the redrive keeps receiving what it already kept"
        return receive(**kwargs)

    monkeypatch.setattr(sqs, "receive_message", bounded_receive)

    assert redrive_dead_letters(sqs, dead, queue) == (14, 3)
    monkeypatch.setattr(sqs, "receive_message", receive)

    assert sum(sends) == 15  # the refused request was not sent again in the same redrive
    moved: list[str] = []
    while batch := sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages"):
        moved.extend(m["Body"] for m in batch)
    assert len(moved) == len(set(moved)) == 14
    left = []
    while batch := sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10).get("Messages"):
        left.extend(m["Body"] for m in batch)
    assert sorted(left) == sorted(
        ['{"kind": "postcard"}', "not a mail request", *(set(requests) - set(moved))]
    )
