"""SesSender: one SES v2 SendEmail per message, to one address (a copy is a message of its
own: the mailer sends it)."""

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


def test_a_message_goes_to_its_one_recipient_and_nobody_in_cc() -> None:
    sender, stub = _sender_and_stub()
    stub.add_response(
        "send_email", {"MessageId": "id-2"}, _expected({"ToAddresses": ["person@example.org"]})
    )
    with stub:
        assert sender.send_raw(b"raw", recipient="person@example.org", tags={"kind": "accepted"})
    stub.assert_no_pending_responses()
