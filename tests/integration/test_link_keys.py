"""Rotating the link key with ``registrar keys rotate`` on the template's stack in moto.

The CLI writes the keyring into the stack's TokenSecret; the functions read it (once their
cache of the secret runs out). Links signed before keep working for the grace period and
then show the expired-link page; the mailer signs with the new key once it is active; a
link whose key id was changed is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote, urlencode

import boto3
import pytest
from typer.testing import CliRunner

from registrar import runtime
from registrar.conference import Conference
from registrar.tokens import KEY_ACTIVATION_DELAY, LinkKeyring
from registrar_cli import wiring
from registrar_cli.main import app
from registrar_local.infra.provision import register_stack_outputs
from tests.conftest import valid_request
from tests.support.mail import drain, sent_messages
from tests.support.stack import REGION, Deployed, load_event

EMAIL = "erika.mustermann+1@example.org"
LINK = re.compile(r"https://registrar\.example\.org/manage\?token=([^\s\"<>&]+)")


@pytest.fixture
def stack(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> Deployed:
    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)
    # The CLI's clock is the stack's (in AWS both are the real one).
    monkeypatch.setattr(wiring, "clock", lambda _stack: deployed.clock)
    return deployed


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, ["--stack-name", "it", "--region", REGION, *args])
    assert result.exit_code == 0, result.output
    return result


def _manage_link() -> str:
    (*_, mail) = sent_messages()
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    (token,) = LINK.findall(body.get_content())
    return unquote(token)


def _open(deployed: Deployed, token: str) -> Any:
    event = load_event("api-get-form")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/manage"
    event["rawQueryString"] = urlencode({"token": token})
    event["queryStringParameters"] = {"token": token}
    return deployed.call("ApiFunction", event)


def _keyring(deployed: Deployed) -> LinkKeyring:
    secret = boto3.client("secretsmanager", region_name=REGION).get_secret_value(
        SecretId=deployed.stack.outputs["TokenSecretArn"]
    )
    return LinkKeyring.parse(secret["SecretString"])


def test_a_rotation_keeps_old_links_for_the_grace_period_and_the_mailer_moves_on(
    stack: Deployed, conference: Conference
) -> None:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, email=EMAIL))
    assert stack.call("ApiFunction", event)["statusCode"] == 202
    drain(stack)
    old_link = _manage_link()
    assert old_link.startswith("1.")  # the stack's generated key
    rotated_at = stack.clock.now()

    answer = json.loads(_cli("keys", "rotate", "--grace-days", "3", "--yes", "--json").stdout)

    assert (answer["key_id"], answer["previous_key_id"], answer["keys"]) == ("2", "1", ["2", "1"])
    ring = _keyring(stack)
    switch = rotated_at + KEY_ACTIVATION_DELAY
    new_key, old_key = ring.key("2"), ring.key("1")
    assert new_key is not None and new_key.active_from == switch
    assert old_key is not None and old_key.valid_until == switch + dt.timedelta(days=3)
    runtime.forget_secrets()  # the functions' cache ran out

    # Until the new key signs, the mailer signs with the old one; both open the page.
    assert _open(stack, old_link)["statusCode"] == 200
    stack.clock.set(switch)
    _cli("mail", "resend", EMAIL, "receipt")
    drain(stack)
    new_link = _manage_link()
    assert new_link.startswith("2.")
    assert _open(stack, new_link)["statusCode"] == 200
    assert _open(stack, old_link)["statusCode"] == 200  # in the grace period

    tampered = "1" + new_link[1:]  # the new link claiming the old key
    refused = _open(stack, tampered)
    assert refused["statusCode"] == 400 and "ungültig" in refused["body"]

    stack.clock.set(switch + dt.timedelta(days=3))
    expired = _open(stack, old_link)
    assert expired["statusCode"] == 410 and "abgelaufen" in expired["body"]
    assert _open(stack, new_link)["statusCode"] == 200


def test_rotating_twice_keeps_only_keys_still_in_use(stack: Deployed) -> None:
    _cli("keys", "rotate", "--grace-days", "1", "--yes")
    stack.clock.advance(dt.timedelta(days=2))
    _cli("keys", "rotate", "--grace-days", "0", "--yes")
    ring = _keyring(stack)
    assert [key.key_id for key in ring.keys] == ["3", "2"]  # key 1's grace is over
    assert ring.signing_key(stack.clock.now()).key_id == "2"  # until key 3 is active


def test_without_a_terminal_the_rotation_asks_for_yes_and_changes_nothing(
    stack: Deployed,
) -> None:
    before = _keyring(stack)
    result = CliRunner().invoke(app, ["--stack-name", "it", "--region", REGION, "keys", "rotate"])
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert _keyring(stack) == before


def test_a_keyring_broken_by_hand_is_named_and_left_as_it_is(stack: Deployed) -> None:
    secrets = boto3.client("secretsmanager", region_name=REGION)
    arn = stack.stack.outputs["TokenSecretArn"]
    secrets.put_secret_value(SecretId=arn, SecretString='{"keys": []}')
    result = CliRunner().invoke(
        app, ["--stack-name", "it", "--region", REGION, "keys", "rotate", "--yes"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "The stored link keys cannot be used: the link keyring holds no key." in " ".join(
        result.stderr.split()
    )
    assert secrets.get_secret_value(SecretId=arn)["SecretString"] == '{"keys": []}'
