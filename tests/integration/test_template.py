"""The moto resources built from infra/template.yaml are exactly what the template declares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from registrar_local.infra.provision import (
    ProvisionedStack,
    ProvisionError,
    physical_name,
    provision,
    register_stack_outputs,
)
from registrar_local.infra.template import (
    NO_VALUE,
    UnresolvableError,
    functions,
    load_template,
    parameter_defaults,
    queues,
    resolve,
    schedules,
    tables,
)
from tests.fakes import SETTINGS_ENVIRONMENT

REGION = "eu-central-1"
STACK = "registrar-test"
LOCAL_API = "http://127.0.0.1:3000"

# What the application's settings read; every function gets all of them.
REQUIRED_ENVIRONMENT = {
    *SETTINGS_ENVIRONMENT,
    "POWERTOOLS_SERVICE_NAME",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_LOG_LEVEL",
    "PYDANTIC_DISABLE_PLUGINS",
}


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def template() -> dict[str, Any]:
    return load_template()


@pytest.fixture
def session(aws_env: None) -> Iterator[boto3.Session]:
    with mock_aws():
        yield boto3.Session(region_name=REGION)


@pytest.fixture
def stack(template: dict[str, Any], session: boto3.Session) -> ProvisionedStack:
    return provision(template, session, stack_name=STACK, endpoint_url=None, api_url=LOCAL_API)


def test_provisions_exactly_the_declared_tables(
    template: dict[str, Any], session: boto3.Session, stack: ProvisionedStack
) -> None:
    dynamodb = session.client("dynamodb")
    specs = tables(template)
    assert set(dynamodb.list_tables()["TableNames"]) == {physical_name(STACK, lid) for lid in specs}
    for lid, spec in specs.items():
        name = stack.refs[lid]
        table = dynamodb.describe_table(TableName=name)["Table"]
        assert [(k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]] == spec.key_schema
        assert {
            a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]
        } == spec.attributes
        assert len(table.get("GlobalSecondaryIndexes", [])) == len(spec.gsis)
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == spec.ttl_attribute
        assert stack.getatts[(lid, "Arn")] == table["TableArn"]


def test_idempotency_table_has_the_powertools_layout(template: dict[str, Any]) -> None:
    spec = tables(template)["IdempotencyTable"]
    assert spec.key_schema == [("id", "HASH")]
    assert spec.ttl_attribute == "expiration"


def test_provisions_exactly_the_declared_queues_with_redrive(
    template: dict[str, Any], session: boto3.Session, stack: ProvisionedStack
) -> None:
    sqs = session.client("sqs")
    specs = queues(template)
    assert set(sqs.list_queues()["QueueUrls"]) == {stack.refs[lid] for lid in specs}
    for lid, spec in specs.items():
        attributes = sqs.get_queue_attributes(QueueUrl=stack.refs[lid], AttributeNames=["All"])[
            "Attributes"
        ]
        assert attributes["VisibilityTimeout"] == str(spec.visibility_timeout)
        if spec.redrive_target is None:
            assert "RedrivePolicy" not in attributes
            continue
        redrive = json.loads(attributes["RedrivePolicy"])
        assert redrive["deadLetterTargetArn"] == stack.getatts[(spec.redrive_target, "Arn")]
        assert int(redrive["maxReceiveCount"]) == spec.max_receive_count
    assert queues(template)["MailQueue"].redrive_target == "MailDeadLetterQueue"


def test_every_function_gets_every_setting(
    template: dict[str, Any], stack: ProvisionedStack
) -> None:
    for lid in functions(template):
        environment = stack.function_environment(lid)
        assert set(environment) == REQUIRED_ENVIRONMENT, lid
        empty = [name for name, value in environment.items() if not value]
        assert empty == [], f"{lid} has empty settings {empty}"


def test_settings_point_at_the_provisioned_resources(
    session: boto3.Session, stack: ProvisionedStack
) -> None:
    environment = stack.function_environment("AdmissionsFunction")
    for variable in ("APPLICATIONS_TABLE", "RUNS_TABLE", "MESSAGES_TABLE", "IDEMPOTENCY_TABLE"):
        session.client("dynamodb").describe_table(TableName=environment[variable])
    session.client("sqs").get_queue_attributes(QueueUrl=environment["MAIL_QUEUE_URL"])
    secret = session.client("secretsmanager").get_secret_value(
        SecretId=environment["TOKEN_SECRET_ARN"]
    )
    assert len(secret["SecretString"]) >= 64
    assert environment["CONFERENCE_ID"] == "kassel-2023"
    assert environment["PUBLIC_BASE_URL"] == LOCAL_API
    assert environment["SES_SENDING_RATE"] == "10"


def test_without_a_public_url_only_the_api_function_derives_it_from_the_request(
    template: dict[str, Any], session: boto3.Session
) -> None:
    stack = provision(template, session, stack_name=STACK, endpoint_url=None)
    # Documented exception: the API function cannot reference its own entry (a cycle).
    assert stack.function_environment("ApiFunction")["PUBLIC_BASE_URL"] == ""
    api_url = f"https://{stack.refs['HttpApi']}.execute-api.{REGION}.amazonaws.com"
    entry_url = f"https://{stack.getatts[('PublicEntry', 'DomainName')]}"
    assert entry_url.endswith(".cloudfront.net")
    for lid in ("AdmissionsFunction", "MailerFunction"):
        assert stack.function_environment(lid)["PUBLIC_BASE_URL"] == entry_url
    assert stack.outputs["ApiUrl"] == api_url
    assert stack.outputs["PublicBaseUrl"] == entry_url


def test_a_configured_public_url_reaches_every_function(
    template: dict[str, Any], session: boto3.Session
) -> None:
    url = "https://anmeldung.example.org"
    stack = provision(
        template,
        session,
        stack_name=STACK,
        endpoint_url=None,
        params={"PublicBaseUrl": url},
        api_url=LOCAL_API,
    )
    for lid in functions(template):
        assert stack.function_environment(lid)["PUBLIC_BASE_URL"] == url


def test_a_custom_domain_is_the_base_of_every_link(
    template: dict[str, Any], session: boto3.Session
) -> None:
    stack = provision(
        template,
        session,
        stack_name=STACK,
        endpoint_url=None,
        params={
            "DomainName": "anmeldung.example.org",
            "CertificateArn": "arn:aws:acm:eu-central-1:000000000000:certificate/example",
        },
    )
    for lid in functions(template):  # the api function included: no cycle through the domain
        assert stack.function_environment(lid)["PUBLIC_BASE_URL"] == "https://anmeldung.example.org"
    assert stack.outputs["PublicBaseUrl"] == "https://anmeldung.example.org"


def test_an_explicit_public_url_wins_over_the_custom_domain(
    template: dict[str, Any], session: boto3.Session
) -> None:
    stack = provision(
        template,
        session,
        stack_name=STACK,
        endpoint_url=None,
        params={"DomainName": "anmeldung.example.org", "PublicBaseUrl": "https://cdn.example.org"},
    )
    for lid in functions(template):
        assert stack.function_environment(lid)["PUBLIC_BASE_URL"] == "https://cdn.example.org"


def test_unknown_parameters_are_refused(template: dict[str, Any], session: boto3.Session) -> None:
    with pytest.raises(ProvisionError, match="PublicBaseURL"):
        provision(
            template, session, stack_name=STACK, endpoint_url=None, params={"PublicBaseURL": "x"}
        )


def test_schedules_are_registered_as_declared(
    template: dict[str, Any], session: boto3.Session, stack: ProvisionedStack
) -> None:
    scheduler = session.client("scheduler")
    specs = schedules(template)
    listed = {s["Name"] for s in scheduler.list_schedules()["Schedules"]}
    assert listed == {stack.refs[lid] for lid in specs}
    for lid, spec in specs.items():
        schedule = scheduler.get_schedule(Name=stack.refs[lid])
        assert schedule["ScheduleExpression"] == spec.expression
        assert schedule.get("ScheduleExpressionTimezone") == spec.timezone
        target = schedule["Target"]
        assert target["Arn"] == stack.getatts[(spec.function_logical_id, "Arn")]
        assert json.loads(target["Input"]) == spec.input
        assert (
            target["DeadLetterConfig"]["Arn"] == stack.getatts[("SchedulerDeadLetterQueue", "Arn")]
        )
    deadline = specs["AdmissionsFunctionDeadlineRun"]
    assert (deadline.expression, deadline.timezone) == ("at(2023-04-11T00:00:00)", "Europe/Berlin")
    assert deadline.input == {
        "trigger": "deadline",
        "scheduled_time": "<aws.scheduler.scheduled-time>",
    }
    assert specs["AdmissionsFunctionDailyRun"].input == {
        "trigger": "daily",
        "scheduled_time": "<aws.scheduler.scheduled-time>",
    }


def test_sender_can_send_through_the_configuration_set(
    session: boto3.Session, stack: ProvisionedStack
) -> None:
    environment = stack.function_environment("MailerFunction")
    session.client("sesv2").send_email(
        FromEmailAddress=environment["SENDER_ADDRESS"],
        Destination={"ToAddresses": ["applicant@example.com"]},
        Content={
            "Simple": {
                "Subject": {"Data": "Test"},
                "Body": {"Text": {"Data": "Hallo"}},
            }
        },
        ConfigurationSetName=environment["SES_CONFIGURATION_SET"],
    )


def test_stack_outputs_round_trip_through_describe_stacks(
    template: dict[str, Any], session: boto3.Session, stack: ProvisionedStack
) -> None:
    assert set(stack.outputs) == set(template["Outputs"])
    assert stack.outputs["ApiUrl"] == LOCAL_API
    assert stack.outputs["StackVersion"] == "1"
    cloudformation = session.client("cloudformation")

    def described() -> dict[str, str]:
        found = cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in found["Outputs"]}

    register_stack_outputs(session, STACK, stack.outputs)
    assert described() == stack.outputs
    moved = {**stack.outputs, "ApiUrl": "http://127.0.0.1:4000"}
    register_stack_outputs(session, STACK, moved)
    assert described() == moved


def test_provisions_against_a_moto_server(template: dict[str, Any], aws_env: None) -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        session = boto3.Session(region_name=REGION)
        stack = provision(template, session, stack_name=STACK, endpoint_url=endpoint)
        names = session.client("dynamodb", endpoint_url=endpoint).list_tables()["TableNames"]
        assert set(names) == {stack.refs[lid] for lid in tables(template)}
        register_stack_outputs(session, STACK, stack.outputs, endpoint_url=endpoint)
        cloudformation = session.client("cloudformation", endpoint_url=endpoint)
        assert cloudformation.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"]
    finally:
        server.stop()


# ---------------------------------------------------------------- resolving intrinsics

REFS = {"AWS::Region": REGION, "AWS::AccountId": "123456789012", "Queue": "https://q"}
GETATTS = {("Queue", "Arn"): "arn:aws:sqs:eu-central-1:123456789012:q"}
CONDITIONS = {"IsProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"Fn::Sub": "arn:${AWS::Partition}:x:${AWS::Region}"}, "arn:aws:x:eu-central-1"),
        (
            {"Fn::Sub": "${Queue.Arn}|${!Literal}"},
            "arn:aws:sqs:eu-central-1:123456789012:q|${Literal}",
        ),
        ({"Fn::Sub": ["${a}-${Stage}", {"a": {"Ref": "Queue"}}]}, "https://q-dev"),
        ({"Fn::If": ["IsProd", "yes", "no"]}, "no"),
        ({"Fn::Join": ["/", ["a", {"Ref": "Stage"}]]}, "a/dev"),
        ({"Fn::Select": [1, {"Fn::Split": [",", "a,b,c"]}]}, "b"),
        ({"Fn::Not": [{"Condition": "IsProd"}]}, True),
        ({"k": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]}, "j": 1}, {"j": 1}),
    ],
)
def test_resolve_evaluates_intrinsics(value: Any, expected: Any) -> None:
    assert (
        resolve(value, REFS, {"Stage": "dev"}, getatts=GETATTS, conditions=CONDITIONS) == expected
    )


def test_resolve_names_what_is_missing() -> None:
    with pytest.raises(UnresolvableError, match="Nowhere"):
        resolve({"Ref": "Nowhere"}, REFS, {})
    assert resolve({"Ref": "AWS::NoValue"}, REFS, {}) is NO_VALUE


def test_parameter_defaults_are_strings(template: dict[str, Any]) -> None:
    defaults = parameter_defaults(template)
    assert defaults["SesSendingRate"] == "10"
    assert defaults["PublicBaseUrl"] == ""
    assert defaults["DailyRunStart"] == "2023-04-11T22:00:00Z"
