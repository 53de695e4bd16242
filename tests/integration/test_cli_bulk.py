"""``applications suspicious`` and ``merge-organisations`` on the stack as deployed (moto).

A small bulk of scripted fakes (one catch-all domain, numbered names) among real-looking
applicants: the organiser sees why each finding is flagged, with references, in 80
columns; a merge is stored beside the runs and read by the admissions function under its
own role.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from click.testing import Result
from typer.testing import CliRunner

from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoRuns
from registrar.submission import validate_submission
from registrar_cli.main import app
from registrar_local.infra.provision import register_stack_outputs
from tests.conftest import valid_request
from tests.fakes import submit_and_register
from tests.support.stack import REGION, Deployed, load_event

STACK = ["--stack-name", "it", "--region", REGION]
BOTS = 12


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, [*STACK, *args], env={"COLUMNS": "80"})


def ok_json(*args: str) -> Any:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def stack(deployed: Deployed, conference: Conference) -> Deployed:
    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)
    registration = runtime.current().registration
    for number in range(6):  # people of their own, a day apart
        body = valid_request(
            conference,
            number,
            organisation=f"Verein {number}",
            email=f"person{number}@verein{number}.example",
            family_name=f"Beispiel{'ABCDEF'[number]}",
        )
        submit_and_register(registration, validate_submission(body, conference))
        deployed.clock.advance(dt.timedelta(days=1))
    for number in range(1, BOTS + 1):  # a script, a few seconds apart
        body = valid_request(
            conference,
            100 + number,
            given_name="Test",
            family_name=f"Bot {number}",
            email=f"bot{number}@bulk.example",
            organisation="Bulk Testorganisation",
            municipality="Musterstadt",
        )
        submit_and_register(registration, validate_submission(body, conference))
        deployed.clock.advance(dt.timedelta(seconds=20))
    return deployed


def test_the_bulk_is_flagged_with_why_and_every_reference(stack: Deployed) -> None:
    answer = ok_json("applications", "suspicious")
    bots = {
        a["public_id"]
        for a in ok_json("applications", "list")
        if a["email"].endswith("@bulk.example")
    }

    kinds = {f["kind"]: f for f in answer["findings"]}
    assert set(kinds) == {"email_domain", "organisation", "similar_names"}
    for finding in kinds.values():
        assert set(finding["refs"]) == bots
        assert finding["count"] == BOTS
    assert kinds["email_domain"]["subject"] == "bulk.example"
    assert kinds["email_domain"]["why"].startswith("12 applications from addresses at bulk.example")
    assert (answer["window_minutes"], answer["at_least"], answer["similar"]) == (30, 5, 3)


def test_the_text_says_why_for_each_finding_within_80_columns(stack: Deployed) -> None:
    result = cli("applications", "suspicious")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    headings = [line for line in lines if not line.startswith(" ")]
    assert headings[0].startswith(("Email domain: 12", "Organisation: 12", "Similar names: 12"))
    assert sum("Refs: R-" in line for line in lines) == 3
    assert "3 findings: reasons to look, not verdicts." in result.stdout


def test_nothing_to_flag_says_so(deployed: Deployed) -> None:
    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)

    assert ok_json("applications", "suspicious")["findings"] == []
    assert cli("applications", "suspicious").stdout == "No bulk patterns found.\n"


def test_a_merge_is_stored_and_the_admission_run_reads_it(
    stack: Deployed, conference: Conference
) -> None:
    merged = ok_json(
        "applications",
        "merge-organisations",
        "Verein 1",
        "Verein 2",
        "--reason",
        "one club",
        "--yes",
    )

    assert merged["applications_moved"] == merged["applications_joined"] == 1
    assert merged["target"] == "verein2"
    stored = DynamoRuns().organisation_aliases(conference.id)
    assert stored.resolve("verein1") == "verein2"
    assert [m.reason for m in stored.merges] == ["one club"]
    assert all(run.run_id for run in DynamoRuns().list(conference.id))  # runs still read
    (listed,) = ok_json("applications", "merged-organisations")
    assert (listed["merged"], listed["into"], listed["reason"]) == (
        "Verein 1",
        "Verein 2",
        "one club",
    )
    text = cli("applications", "merged-organisations").stdout
    assert "'Verein 1' counts as 'Verein 2', because: one club" in text
    stack.clock.set(conference.closes_at + dt.timedelta(minutes=1))
    # Under its own role: every AWS call the run makes (reading the merges too) is allowed.
    answer = stack.call("AdmissionsFunction", load_event("admissions-organiser-dry-run"))
    assert answer["ok"] is True, answer


def test_a_merge_without_yes_and_without_a_terminal_asks_for_it(stack: Deployed) -> None:
    result = cli("applications", "merge-organisations", "Verein 1", "Verein 2", "--reason", "x")

    assert result.exit_code == 2
    assert "--yes" in result.stderr


def test_a_merge_of_a_name_nobody_gave_is_one_sentence_and_changes_nothing(
    stack: Deployed, conference: Conference
) -> None:
    result = cli(
        "applications", "merge-organisations", "Verein 99", "Verein 2", "--reason", "x", "--yes"
    )

    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "No application names the organisation 'Verein 99' at this event."
    )
    assert DynamoRuns().organisation_aliases(conference.id).merges == ()
    assert cli("applications", "merged-organisations").stdout == "No organisations merged.\n"
