"""Redriving the dead-letter queue moves readable requests back and keeps the rest."""

from __future__ import annotations

from typing import Any

import boto3
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
