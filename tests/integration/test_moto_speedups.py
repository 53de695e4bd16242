"""The local stack's SQS speed-ups must not change what SQS answers."""

from __future__ import annotations

import json
from typing import Any

import boto3
from moto import backends, mock_aws
from moto.sqs import models

from registrar_local import moto_speedups


def _queue_answers() -> dict[str, Any]:
    """Attributes of a standard queue with a redrive policy and of a FIFO queue, mid-use."""
    sqs = boto3.client("sqs", region_name="eu-central-1")
    dlq = sqs.create_queue(QueueName="dead")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue = sqs.create_queue(
        QueueName="mail",
        Attributes={
            "VisibilityTimeout": "60",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}),
        },
    )["QueueUrl"]
    fifo = sqs.create_queue(
        QueueName="runs.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for number in range(25):
        sqs.send_message(QueueUrl=queue, MessageBody=f"m{number}")
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=600)
    sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")
    sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")  # deduplicated
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    answers = {}
    for url in (queue, fifo):
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        answers[url.rsplit("/", 1)[1]] = attributes
    answers["received"] = len(received)
    return answers


def _without_clock(answers: dict[str, Any]) -> dict[str, Any]:
    volatile = {"CreatedTimestamp", "LastModifiedTimestamp"}
    return {
        name: {k: v for k, v in value.items() if k not in volatile}
        if isinstance(value, dict)
        else value
        for name, value in answers.items()
    }


def test_sped_up_sqs_answers_exactly_as_moto_does(monkeypatch: Any) -> None:
    # Earlier tests in this process may have started a local stack: undo, then redo.
    monkeypatch.setattr(models.Queue, "attributes", moto_speedups._moto_queue_attributes)
    monkeypatch.setattr(models, "unix_time_millis", moto_speedups._moto_unix_time_millis)
    with mock_aws():
        before = _without_clock(_queue_answers())
    moto_speedups.apply()
    assert vars(models.Queue)["attributes"].fget is moto_speedups.LazyQueueAttributes
    with mock_aws():
        after = _without_clock(_queue_answers())

    assert after == before
    assert before["mail"]["ApproximateNumberOfMessages"] == "15"
    assert before["mail"]["ApproximateNumberOfMessagesNotVisible"] == "10"
    assert before["mail"]["ApproximateNumberOfMessagesDelayed"] == "1"
    assert before["runs.fifo"]["ApproximateNumberOfMessages"] == "1"
    assert "RedrivePolicy" in before["mail"]


def test_the_service_folders_are_listed_once_and_as_moto_lists_them() -> None:
    moto_speedups.apply()
    listed = backends.list_of_moto_modules()
    assert listed is backends.list_of_moto_modules()  # read once
    assert list(listed) == list(moto_speedups._moto_modules())
    assert {"dynamodb", "sqs", "sesv2", "scheduler"} <= set(listed)
