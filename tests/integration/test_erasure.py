"""Erasure that erases, on the template's stack in moto, through the CLI's AWS path.

A fake person registers through the api function, confirms with the link from their
receipt, is admitted, and cancelled by an organiser with a reason naming them; their mail
goes out through the mailer, a bounce of theirs sits in the feedback dead-letter queue and
a request of theirs in the mail dead-letter queue. After ``registrar applications erase``
nothing of their name or address is left in any table or queue of the stack. And the links
they were sent open nothing once the same address registers again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote, urlencode

import boto3
import pytest
from click.testing import Result
from typer.testing import CliRunner

from registrar import runtime
from registrar.conference import Conference
from registrar.mail_queue import MailRequest
from registrar_cli.main import app
from registrar_local.infra.provision import register_stack_outputs
from tests.conftest import valid_request
from tests.support.eventbridge import delivered
from tests.support.keys import applicant_key
from tests.support.mail import drain, sent_messages
from tests.support.stack import REGION, Deployed, load_event

EMAIL = "zoe.testperson@example.org"
PERSON = {"given_name": "Zoë", "family_name": "Testperson", "email": EMAIL}
TRACES = ("testperson", "zoe.testperson", "0561 123456")
LINK = re.compile(r"https://registrar\.example\.org/(confirm|manage)\?token=([^\s\"<>&]+)")


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, ["--stack-name", "it", "--region", REGION, *args])


@pytest.fixture
def stack(deployed: Deployed) -> Deployed:
    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)
    return deployed


def _submit(deployed: Deployed, conference: Conference) -> None:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, **PERSON))
    assert deployed.call("ApiFunction", event)["statusCode"] == 202


def _links(kind: str) -> dict[str, str]:
    """The links in the last mail of ``kind`` sent to the person."""
    (*_, mail) = [m for m in sent_messages() if m["X-Registrar-Kind"] == kind]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return {purpose: unquote(token) for purpose, token in LINK.findall(body.get_content())}


def _page(deployed: Deployed, method: str, path: str, token: str) -> Any:
    if method == "GET":
        event = load_event("api-get-form")
        event["rawQueryString"] = urlencode({"token": token})
        event["queryStringParameters"] = {"token": token}
    else:
        event = load_event("api-post-application-form")
        fields = [("token", token)]
        if path == "/manage":
            fields += [("action", "withdraw"), ("confirmed", "true")]
        event["body"] = urlencode(fields)
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    return deployed.call("ApiFunction", event)


def _everything_stored(deployed: Deployed) -> str:
    """Every item of every table and every message of every queue, as text."""
    dynamo = boto3.client("dynamodb", region_name=REGION)
    found: list[Any] = []
    for table in dynamo.list_tables()["TableNames"]:
        for page in dynamo.get_paginator("scan").paginate(TableName=table):
            found.append(page["Items"])
    sqs = deployed.sqs()
    for url in sqs.list_queues().get("QueueUrls", []):
        for _ in range(3):  # at most ten at a time; each look leaves them visible
            found.append(
                sqs.receive_message(
                    QueueUrl=url,
                    MaxNumberOfMessages=10,
                    VisibilityTimeout=0,
                    AttributeNames=["All"],
                    MessageAttributeNames=["All"],
                ).get("Messages", [])
            )
    return json.dumps(found, default=str).lower()


def test_after_erasure_nothing_of_the_person_is_left_in_any_table_or_queue(
    stack: Deployed, conference: Conference
) -> None:
    _submit(stack, conference)
    drain(stack)
    confirmed = _page(stack, "POST", "/confirm", _links("receipt")["confirm"])
    assert confirmed["statusCode"] == 200
    stack.clock.set(conference.closes_at)
    runtime.current().admissions.run("deadline", dry_run=False)
    drain(stack)

    cancelled = cli(
        "applications",
        "cancel",
        EMAIL,
        "--reason",
        "Frau Testperson hat abgesagt, Rückruf unter 0561 123456",
        "--yes",
    )
    assert cancelled.exit_code == 0, cancelled.output
    assert "seems to contain the person's name and a phone number" in " ".join(
        cancelled.stderr.split()
    )
    drain(stack)
    # What the queues may hold of them: a request dead-lettered by the mail queue, and a
    # bounce the feedback function failed on (Lambda's on-failure record of its input).
    key = applicant_key(conference.id, EMAIL)
    sqs, outputs = stack.sqs(), stack.stack.outputs
    request = MailRequest.create("cancelled", conference.id, key, 99)
    sqs.send_message(
        QueueUrl=outputs["MailDeadLetterQueueUrl"], MessageBody=request.model_dump_json()
    )
    bounce = load_event("ses-bounce")
    bounce["detail"]["mail"]["destination"] = [EMAIL]
    bounce["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = EMAIL
    bounce["detail"]["mail"]["tags"].update({"event": [conference.id], "applicant": [key]})
    (handed_over,) = delivered("FeedbackFunction", bounce)
    failure = {"requestPayload": handed_over, "responsePayload": {"errorType": "Timeout"}}
    sqs.send_message(
        QueueUrl=outputs["FeedbackDeadLetterQueueUrl"], MessageBody=json.dumps(failure)
    )
    before = _everything_stored(stack)
    assert "testperson" in before and "0561 123456" in before  # the scan sees them

    erased = cli("applications", "erase", EMAIL, "--yes", "--json")

    assert erased.exit_code == 0, erased.output
    answer = json.loads(erased.stdout)
    assert answer["erased"] is True and answer["run_records_cleaned"] == 1
    after = _everything_stored(stack)
    assert [trace for trace in TRACES if trace in after] == []
    assert len(sent_messages()) >= 3  # receipt, acceptance, cancellation went out (SES's)


def test_links_sent_before_an_erasure_open_nothing_after_the_address_registers_again(
    stack: Deployed, conference: Conference
) -> None:
    _submit(stack, conference)
    drain(stack)
    old = _links("receipt")
    assert _page(stack, "GET", "/manage", old["manage"])["statusCode"] == 200
    assert cli("applications", "erase", EMAIL, "--yes").exit_code == 0
    gone = _page(stack, "GET", "/manage", old["manage"])
    assert gone["statusCode"] == 404  # erased: no application under the key any more

    stack.clock.advance(dt.timedelta(hours=1))
    _submit(stack, conference)  # the same address, a new application
    drain(stack)
    renewed = cli("applications", "show", EMAIL, "--json")
    assert renewed.exit_code == 0, renewed.output
    for method, path, token in [
        ("GET", "/confirm", old["confirm"]),
        ("POST", "/confirm", old["confirm"]),
        ("GET", "/manage", old["manage"]),
        ("POST", "/manage", old["manage"]),
    ]:
        refused = _page(stack, method, path, token)
        assert refused["statusCode"] == 410, (method, path)
        assert "Dieser Link gilt nicht mehr" in refused["body"], (method, path)
    now = json.loads(cli("applications", "show", EMAIL, "--json").stdout)
    assert now == json.loads(renewed.stdout)  # not confirmed, not withdrawn
    # The new application's own links work.
    new = _links("receipt")
    assert new != old
    assert _page(stack, "POST", "/confirm", new["confirm"])["statusCode"] == 200
