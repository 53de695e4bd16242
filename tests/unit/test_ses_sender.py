"""SesSender: one SES v2 SendEmail per message, the submitter in Cc when there is one."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from registrar.ses import SesSender


def _sender_and_stub() -> tuple[SesSender, Stubber]:
    client = boto3.client(
        "sesv2",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    sender = SesSender(client, from_address="anmeldung@example.org", configuration_set="cs")
    return sender, Stubber(client)


def _expected(destination: dict[str, list[str]]) -> dict[str, object]:
    return {
        "FromEmailAddress": "anmeldung@example.org",
        "Destination": destination,
        "Content": {"Raw": {"Data": b"raw"}},
        "ConfigurationSetName": "cs",
        "EmailTags": [{"Name": "kind", "Value": "accepted"}],
    }


def test_a_copy_goes_to_the_submitter_as_cc() -> None:
    sender, stub = _sender_and_stub()
    stub.add_response(
        "send_email",
        {"MessageId": "id-1"},
        _expected({"ToAddresses": ["person@example.org"], "CcAddresses": ["buero@example.org"]}),
    )
    with stub:
        sent = sender.send_raw(
            b"raw",
            recipient="person@example.org",
            tags={"kind": "accepted"},
            cc=["buero@example.org"],
        )
    assert sent == "id-1"
    stub.assert_no_pending_responses()


def test_without_a_copy_there_is_no_cc_at_all() -> None:
    sender, stub = _sender_and_stub()
    stub.add_response(
        "send_email", {"MessageId": "id-2"}, _expected({"ToAddresses": ["person@example.org"]})
    )
    with stub:
        assert sender.send_raw(b"raw", recipient="person@example.org", tags={"kind": "accepted"})
    stub.assert_no_pending_responses()
