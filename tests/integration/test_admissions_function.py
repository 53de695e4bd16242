"""The admissions function on moto: scheduler duplicates, organiser dry runs, refusals."""

from __future__ import annotations

import json
import sys
from typing import Any
from urllib.parse import quote

import pytest
from botocore.awsrequest import AWSResponse

import registrar.services.admissions as admissions
from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar.submission import validate_submission
from registrar_local.functions import LambdaContext
from tests.conftest import valid_request
from tests.fakes import submit_and_register
from tests.support.stack import Deployed, checking_permissions, load_event


def _applicants(conference: Conference, count: int) -> None:
    registration = runtime.current().registration
    for number in range(count):
        body = valid_request(conference, number, organisation=f"Gemeinde Nummer {number}")
        submission = validate_submission(body, conference)
        submit_and_register(registration, submission)
    for application in DynamoApplications().list(conference.id):
        registration.confirm(application.applicant_key)


def test_the_deadline_event_delivered_twice_runs_once(
    deployed: Deployed, conference: Conference
) -> None:
    _applicants(conference, 5)
    deployed.clock.set(conference.closes_at)
    first = deployed.call("AdmissionsFunction", load_event("scheduler-deadline"))
    second = deployed.call("AdmissionsFunction", load_event("scheduler-deadline"))
    assert first["ok"] is True
    assert second == first  # the stored result of the first delivery
    assert len(DynamoRuns().list(conference.id)) == 1
    statuses = {a.status for a in DynamoApplications().list(conference.id)}
    assert statuses == {"accepted"}


def test_an_organiser_dry_run_writes_nothing(deployed: Deployed, conference: Conference) -> None:
    _applicants(conference, 3)
    deployed.clock.set(conference.closes_at)
    result = deployed.call("AdmissionsFunction", load_event("admissions-organiser-dry-run"))
    assert result["ok"] is True and result["run"]["dry_run"] is True
    assert len(result["run"]["changes"]) == 3
    assert DynamoRuns().list(conference.id) == []
    assert {a.status for a in DynamoApplications().list(conference.id)} == {"new"}
    assert deployed.queued() == []  # a dry run queues no mail


def test_a_run_before_the_deadline_is_refused_without_changes(
    deployed: Deployed, conference: Conference
) -> None:
    _applicants(conference, 2)
    result = deployed.call("AdmissionsFunction", load_event("admissions-organiser-dry-run"))
    assert result == {"ok": False, "error": "registration_open"}


class RunningOutOfTime(LambdaContext):
    """A context whose time left shrinks by ``step_ms`` each time it is asked."""

    def __init__(self, step_ms: int) -> None:
        super().__init__(
            function_name="AdmissionsFunction",
            invoked_function_arn="arn:aws:lambda:eu-central-1:000000000000:function:it-admissions",
            aws_request_id="first-part",
        )
        self.step_ms = step_ms

    def get_remaining_time_in_millis(self) -> int:
        left = self.remaining_ms
        self.remaining_ms -= self.step_ms
        return left


def test_a_run_short_of_time_hands_over_to_a_new_invocation_that_completes_it(
    deployed: Deployed, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admissions, "CHECKPOINT_EVERY", 2)
    _applicants(conference, 5)
    deployed.clock.set(conference.closes_at)
    handler_module = sys.modules["registrar_function_AdmissionsFunction"]
    handed_over: list[dict[str, Any]] = []

    def lambda_accepts(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        # Lambda's answer to an asynchronous invocation: queued (202), nothing run yet.
        handed_over.append(params)
        return AWSResponse(params["url"], 202, {}, None), {"StatusCode": 202}

    handler_module._lambda().meta.events.register("before-call.lambda.Invoke", lambda_accepts)
    event = {"trigger": "organiser", "dry_run": False}
    with checking_permissions("AdmissionsFunction"):  # lambda:InvokeFunction on itself
        # Time left at the checkpoints: 900 s, 450 s, then none: two checkpoints (four
        # decisions) are written, the fifth is left for the next invocation.
        first = deployed.handlers["AdmissionsFunction"](event, RunningOutOfTime(450_000))
    assert first["ok"] is True and first["continues"] == 2
    assert first["run"]["finished_at"] is None
    assert sum(a.status == "accepted" for a in DynamoApplications().list(conference.id)) == 4

    (invocation,) = handed_over
    assert invocation["headers"]["X-Amz-Invocation-Type"] == "Event"
    assert invocation["url_path"].endswith(
        "/functions/" + quote(RunningOutOfTime(0).invoked_function_arn, safe="") + "/invocations"
    )
    continuation = json.loads(invocation["body"])
    assert continuation == {"trigger": "organiser", "continues": first["run"]["run_id"], "part": 2}

    second = deployed.call("AdmissionsFunction", continuation)  # as Lambda runs it
    assert second["ok"] is True and "continues" not in second
    assert second["run"]["run_id"] == first["run"]["run_id"]
    assert second["run"]["finished_at"] is not None
    assert sum(second["run"]["change_counts"].values()) == 5
    assert {a.status for a in DynamoApplications().list(conference.id)} == {"accepted"}
    queued = deployed.queued()
    assert len(queued) == 5 and len({m["message_id"] for m in queued}) == 5  # each once
    (run,) = DynamoRuns().list(conference.id)
    assert run.finished_at is not None
    again = deployed.call("AdmissionsFunction", continuation)  # delivered twice
    assert again == {"ok": False, "error": "nothing_to_continue"}


def test_a_run_that_keeps_running_out_of_time_stops_for_good_at_the_last_part(
    deployed: Deployed, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admissions, "CHECKPOINT_EVERY", 2)
    _applicants(conference, 3)
    deployed.clock.set(conference.closes_at)
    handler_module = sys.modules["registrar_function_AdmissionsFunction"]
    invoked: list[dict[str, Any]] = []

    def lambda_accepts(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        invoked.append(params)
        return AWSResponse(params["url"], 202, {}, None), {"StatusCode": 202}

    handler_module._lambda().meta.events.register("before-call.lambda.Invoke", lambda_accepts)
    handler = deployed.handlers["AdmissionsFunction"]
    first = handler({"trigger": "organiser", "dry_run": False}, RunningOutOfTime(900_000))
    assert first["continues"] == 2  # 900 s, then none left: one checkpoint written
    last_allowed = {**json.loads(invoked[0]["body"]), "part": handler_module.MAX_PARTS}
    short = RunningOutOfTime(0)
    short.remaining_ms = 30_000  # under the margin at its first checkpoint
    again = handler(last_allowed, short)
    assert again["ok"] is False and again["error"] == "too_many_parts"
    assert len(invoked) == 1  # no further invocation: the next run completes it
    assert again["run"]["finished_at"] is None
