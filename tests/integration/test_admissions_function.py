"""The admissions function on moto: scheduler duplicates, organiser dry runs, refusals."""

from __future__ import annotations

from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.support.stack import Deployed, load_event


def _applicants(conference: Conference, count: int) -> None:
    registration = runtime.current().registration
    for number in range(count):
        body = valid_request(conference, number, organisation=f"Gemeinde Nummer {number}")
        submission = validate_submission(body, conference)
        registration.submit(submission)
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
