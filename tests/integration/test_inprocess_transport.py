"""The local stack's in-process transport answers exactly as moto's server would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import botocore.exceptions
import pytest
from moto import mock_aws

from registrar_local.inprocess import transport

# Nothing listens here: an answer can only have come through the in-process transport.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def served() -> Iterator[None]:
    with mock_aws():
        transport.serve(NOWHERE)
        try:
            yield
        finally:
            transport.stop()


def _client(service: str) -> Any:
    return boto3.client(service, region_name="eu-central-1", endpoint_url=NOWHERE)


@pytest.mark.usefixtures("served")
def test_each_protocol_round_trips_without_a_socket() -> None:
    dynamodb = _client("dynamodb")
    dynamodb.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="t", Item={"k": {"S": "Müller ✓"}})
    item = dynamodb.get_item(TableName="t", Key={"k": {"S": "Müller ✓"}})
    assert item["Item"] == {"k": {"S": "Müller ✓"}}

    sqs = _client("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": str(n), "MessageBody": f"m{n}"} for n in range(3)]
    )
    bodies = {
        m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    }
    assert bodies == {"m0", "m1", "m2"}

    ses = _client("sesv2")
    ses.create_email_identity(EmailIdentity="example.org")
    sent = ses.send_email(
        FromEmailAddress="noreply@example.org",
        Destination={"ToAddresses": ["a@example.org"]},
        Content={"Raw": {"Data": b"Subject: x\r\n\r\nbody"}},
    )
    assert sent["MessageId"]


@pytest.mark.usefixtures("served")
def test_errors_arrive_as_the_service_error() -> None:
    dynamodb = _client("dynamodb")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        dynamodb.get_item(TableName="missing", Key={"k": {"S": "x"}})
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_other_addresses_and_a_stopped_stack_go_over_the_network() -> None:
    with mock_aws():
        transport.serve("http://127.0.0.1:10")  # a different local stack
        try:
            with pytest.raises(botocore.exceptions.EndpointConnectionError):
                _client("dynamodb").list_tables()
        finally:
            transport.stop()
        with pytest.raises(botocore.exceptions.EndpointConnectionError):
            _client("dynamodb").list_tables()
