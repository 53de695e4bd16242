"""The CLI's AWS path on moto: the stack found through describe_stacks, as if deployed.

The template's resources are provisioned in moto and the stack's outputs registered under
its name, so ``registrar --stack-name it`` takes the code path a deployed stack takes.
Lambda functions do not exist in moto without Docker: the admissions invocation is checked
for its request shape with botocore's Stubber, and run in-process through the invoker
interface. Also here: the store additions the organiser commands rely on.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from click.testing import Result
from typer.testing import CliRunner

from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoOutbox, DynamoRuns
from registrar.store.interfaces import ConcurrentUpdate
from registrar.submission import validate_submission
from registrar_cli import invoker as invokers
from registrar_cli.invoker import AwsLambdaInvoker, InvocationFailed
from registrar_cli.main import app
from registrar_cli.target import aws_target
from registrar_local.infra.provision import register_stack_outputs
from tests.conftest import valid_request
from tests.fakes import submit_and_register
from tests.support.keys import applicant_key
from tests.support.stack import REGION, Deployed

APPLICANTS = 12
STACK = ["--stack-name", "it", "--region", REGION]


def cli(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(app, [*STACK, *args], input=input)


def ok_json(*args: str) -> Any:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_sentence(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def email(number: int) -> str:
    return f"erika.mustermann+{number}@example.org"


@pytest.fixture
def stack(deployed: Deployed, conference: Conference) -> Deployed:
    """The stack registered under its name, with applicants decided at the deadline."""
    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)
    rt = runtime.current()
    for number in range(APPLICANTS):
        body = valid_request(conference, number, organisation=f"Org {number}")
        submit_and_register(rt.registration, validate_submission(body, conference))
        rt.registration.confirm(applicant_key(conference.id, email(number)))
    deployed.clock.set(conference.closes_at)
    rt.admissions.run("deadline", dry_run=False)
    deployed.sqs().purge_queue(QueueUrl=deployed.stack.outputs["MailQueueUrl"])
    return deployed


class InProcess:
    """The admissions handler itself, called as Lambda would call it."""

    def __init__(self, deployed: Deployed) -> None:
        self.deployed = deployed
        self.payloads: list[dict[str, Any]] = []

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.payloads.append(payload)
        answer: dict[str, Any] = self.deployed.call("AdmissionsFunction", payload)
        return answer


# -- reaching the stack ------------------------------------------------------------------


def test_status_through_the_stack_outputs(stack: Deployed) -> None:
    status = ok_json("status")
    assert status["event"] == "kassel-2023"
    assert status["by_status"] == {"accepted": APPLICANTS}
    assert status["last_run"]["trigger"] == "deadline"


def test_applications_commands_on_aws(stack: Deployed, conference: Conference) -> None:
    rows = ok_json("applications", "list", "--status", "accepted")
    assert len(rows) == APPLICANTS
    shown = ok_json("applications", "show", email(1))
    assert shown["public_id"] == ok_json("applications", "show", shown["public_id"])["public_id"]
    # the interface other tools read: confirmed (a bool) and status
    assert (shown["confirmed"], shown["status"]) == (True, "accepted")
    assert {"salutation", "title", "function"} <= set(shown)
    cancelled = ok_json("applications", "cancel", email(1), "--reason", "by phone", "--yes")
    assert cancelled["status"] == "cancelled"
    assert [m["kind"] for m in stack.queued()] == ["cancelled"]
    exported = cli("applications", "export")
    assert exported.exit_code == 0 and exported.stdout.startswith("\ufeff")
    assert len(exported.stdout.strip().splitlines()) == APPLICANTS  # header + 11
    assert ok_json("applications", "erase", email(2), "--yes")["erased"] is True
    assert ok_json("status")["erased"] == 1


def test_admissions_run_through_the_invoker(
    stack: Deployed, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_process = InProcess(stack)
    monkeypatch.setattr(invokers, "admissions_invoker", lambda target: in_process)
    preview = ok_json("admissions", "run", "--reason", "check")
    assert preview["applied"] is False and preview["preview"]["transitions"] == {}
    assert in_process.payloads == [{"trigger": "organiser", "dry_run": True, "reason": "check"}]
    applied = ok_json("admissions", "run", "--apply", "--yes")
    assert applied["applied"] is True
    assert [p["dry_run"] for p in in_process.payloads] == [True, True, False]
    assert len(ok_json("admissions", "history")["runs"]) == 2


def test_the_aws_invoker_is_built_from_the_outputs(stack: Deployed) -> None:
    invoker = invokers.admissions_invoker(aws_target("it", REGION, None))
    assert isinstance(invoker, AwsLambdaInvoker)
    assert invoker.function_name == stack.stack.outputs["AdmissionsFunctionName"]
    config = invoker.client.meta.config
    assert config.read_timeout > 900 and config.retries["total_max_attempts"] == 1
    # moto has no such function without Docker: the refusal is one sentence.
    refused = one_sentence(cli("admissions", "run"))
    assert "ResourceNotFoundException" in refused


def _payload(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def test_the_lambda_request_shape() -> None:
    client = boto3.client(
        "lambda", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    request = {"trigger": "organiser", "dry_run": True, "reason": ""}
    answer = {"ok": True, "run": {"run_id": "r1"}}
    with Stubber(client) as stubber:
        stubber.add_response(
            "invoke",
            {"StatusCode": 200, "Payload": _payload(json.dumps(answer).encode())},
            {
                "FunctionName": "it-AdmissionsFunction",
                "InvocationType": "RequestResponse",
                "Payload": json.dumps(request).encode(),
            },
        )
        assert AwsLambdaInvoker(client, "it-AdmissionsFunction").invoke(request) == answer
        stubber.assert_no_pending_responses()
    failure = {"errorType": "AllocationError", "errorMessage": "slot day1"}
    with Stubber(client) as stubber:
        stubber.add_response(
            "invoke",
            {
                "StatusCode": 200,
                "FunctionError": "Unhandled",
                "Payload": _payload(json.dumps(failure).encode()),
            },
        )
        with pytest.raises(InvocationFailed, match=r"failed \(AllocationError\); its CloudWatch"):
            AwsLambdaInvoker(client, "it-AdmissionsFunction").invoke(request)


def test_mail_commands_on_aws(stack: Deployed) -> None:
    plan = ok_json("mail", "program")
    assert plan["to_queue"] == APPLICANTS
    assert ok_json("mail", "failures") == {"dead_letters": [], "stuck_claims": []}
    resent = ok_json("mail", "resend", email(3), "accepted")
    assert [m["message_id"] for m in stack.queued()] == [resent["message_id"]]


# -- refusals in one sentence ------------------------------------------------------------


def test_while_a_run_holds_the_lock_runs_and_the_programme_wait(
    stack: Deployed, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invokers, "admissions_invoker", lambda target: InProcess(stack))
    # Held until a quarter of an hour from now: for the CLI (the real clock) and the
    # function (the stack's clock, at the deadline) alike.
    now = dt.datetime.now(dt.UTC)
    assert DynamoRuns().acquire_lock(conference.id, "other-run", now, dt.timedelta(minutes=15))
    sentence = "An admissions run is in progress; try again in a few minutes."
    assert one_sentence(cli("admissions", "run", "--apply", "--yes")) == sentence
    assert one_sentence(cli("mail", "program", "--apply", "--yes")) == sentence
    assert stack.queued() == []


def test_unknown_stack_other_version_and_foreign_stack(stack: Deployed) -> None:
    session = boto3.Session(region_name=REGION)
    register_stack_outputs(session, "old", {**stack.stack.outputs, "StackVersion": "2"})
    register_stack_outputs(session, "alien", {"Something": "else"})
    unknown = CliRunner().invoke(app, ["--stack-name", "nope", "--region", REGION, "status"])
    assert "no stack named 'nope'" in one_sentence(unknown)
    old = CliRunner().invoke(app, ["--stack-name", "old", "--region", REGION, "status"])
    assert "is version 2" in one_sentence(old)
    alien = CliRunner().invoke(app, ["--stack-name", "alien", "--region", REGION, "status"])
    assert "not a registrar stack" in one_sentence(alien)


def test_no_stack_name_or_unknown_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REGISTRAR_STACK", raising=False)
    assert "--stack-name" in one_sentence(CliRunner().invoke(app, ["status"]))
    ghost = CliRunner().invoke(app, ["--stack-name", "x", "--profile", "ghost", "status"])
    assert "profile" in one_sentence(ghost)


def test_missing_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = CliRunner().invoke(app, ["--stack-name", "it", "--region", REGION, "status"])
    assert "No AWS credentials found" in one_sentence(result)


# -- the store additions -----------------------------------------------------------------


def test_find_by_public_id_and_replace(stack: Deployed, conference: Conference) -> None:
    store = DynamoApplications()
    original = store.get(conference.id, applicant_key(conference.id, email(4)))
    assert original is not None
    assert store.find_by_public_id(conference.id, original.public_id) == original
    assert store.find_by_public_id(conference.id, "R-NONE-NONE") is None
    stale = original.model_copy(update={"version": original.version - 1})
    replacement = original.model_copy(update={"applicant_key": "erased-1", "version": 0})
    with pytest.raises(ConcurrentUpdate):
        store.replace(stale, replacement)
    taken = original.model_copy(
        update={"applicant_key": applicant_key(conference.id, email(5)), "version": 0}
    )
    with pytest.raises(ConcurrentUpdate):
        store.replace(original, taken)
    assert store.get(conference.id, original.applicant_key) == original  # nothing written
    store.replace(original, replacement)
    assert store.get(conference.id, original.applicant_key) is None
    moved = store.get(conference.id, "erased-1")
    assert moved is not None and moved.public_id == original.public_id


def test_claims_older_than_a_moment(stack: Deployed) -> None:
    outbox = DynamoOutbox()
    at = dt.datetime(2023, 4, 11, 8, tzinfo=dt.UTC)
    outbox.claim("old", "accepted", at, at + dt.timedelta(days=1))
    outbox.claim("new", "accepted", at + dt.timedelta(hours=1), at + dt.timedelta(days=1))
    outbox.claim("sent", "accepted", at, at + dt.timedelta(days=1))
    outbox.mark_sent("sent", "ses-1", at)
    claims = outbox.claimed_before(at + dt.timedelta(minutes=30))
    assert [(c.message_id, c.kind, c.claimed_at) for c in claims] == [("old", "accepted", at)]
