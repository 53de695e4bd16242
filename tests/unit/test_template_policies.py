"""Static checks of infra/template.yaml: least privilege, schedules, data protection.

moto enforces IAM actions only, never resources, so scoping is proved here by reading the
template (no AWS, no moto).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from registrar_local.infra.template import (
    FunctionSpec,
    functions,
    load_template,
    parameter_defaults,
    queues,
    resources_of_type,
    schedules,
    sqs_event_sources,
    stream_event_sources,
)
from tests.support.roles import allowed_actions, as_list, effective_roles, is_allowed

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]

# Actions AWS only grants on Resource "*". SAM adds X-Ray and logging through managed
# policies (Tracing: Active, the basic execution role), not statements. Add an action here
# only with the AWS documentation that says it has no resource scope:
# - secretsmanager:BatchGetSecretValue: "Required permissions: BatchGetSecretValue, and
#   you must have GetSecretValue for each secret" (Secrets Manager API reference); the
#   secrets it may return are the ones each function has GetSecretValue on.
WILDCARD_RESOURCE_ALLOWED: frozenset[str] = frozenset({"secretsmanager:BatchGetSecretValue"})

# SAM policy templates in use, and the parameter that scopes each to one resource.
SCOPED_POLICY_TEMPLATES = {
    "DynamoDBCrudPolicy": "TableName",
    "DynamoDBReadPolicy": "TableName",
    "SQSSendMessagePolicy": "QueueName",
    "AWSSecretsManagerGetSecretValuePolicy": "SecretArn",
}

CONFERENCE_TABLES = {"ApplicationsTable", "RunsTable", "MessagesTable", "IdempotencyTable"}


def _function_policies(lid: str) -> list[Any]:
    return as_list(RESOURCES[lid]["Properties"].get("Policies", []))


def _statements() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every IAM statement written in the template, with where it is."""
    for lid in functions(TEMPLATE):
        for policy in _function_policies(lid):
            if isinstance(policy, dict) and "Statement" in policy:
                for statement in as_list(policy["Statement"]):
                    yield lid, statement
    for lid, resource in RESOURCES.items():
        document = (resource.get("Properties") or {}).get("PolicyDocument")
        for statement in as_list((document or {}).get("Statement", [])):
            yield lid, statement
        for policy in (resource.get("Properties") or {}).get("Policies", []):
            if resource["Type"].startswith("AWS::IAM::"):
                for statement in as_list(policy["PolicyDocument"]["Statement"]):
                    yield lid, statement


def _referenced_ids(value: Any) -> set[str]:
    """Logical ids a value refers to through Ref, GetAtt or ${...} in Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found |= {m.split(".")[0] for m in re.findall(r"\$\{([^!}][^}]*)\}", text)}
                if not isinstance(inner, str):
                    found |= _referenced_ids(inner[1])
            else:
                found |= _referenced_ids(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _referenced_ids(inner)
    return found


def test_template_declares_statements_to_check() -> None:
    assert list(_statements()), "no IAM statement found: the walker is broken"


@pytest.mark.parametrize(("where", "statement"), list(_statements()))
def test_no_wildcard_actions_or_resources(where: str, statement: dict[str, Any]) -> None:
    assert "NotAction" not in statement, where
    assert "NotResource" not in statement, where
    actions = as_list(statement["Action"])
    for action in actions:
        assert isinstance(action, str), where
        assert "*" not in action, f"{where}: wildcard action {action}"
    for resource in as_list(statement["Resource"]):
        if resource == "*":
            assert set(actions) <= WILDCARD_RESOURCE_ALLOWED, f"{where}: {actions} on *"
        else:
            assert isinstance(resource, dict), f"{where}: literal resource {resource}"


@pytest.mark.parametrize("lid", list(functions(TEMPLATE)))
def test_every_function_declares_scoped_policies(lid: str) -> None:
    policies = _function_policies(lid)
    assert policies, f"{lid} has no Policies"
    for policy in policies:
        # A bare string is a managed policy (e.g. AmazonDynamoDBFullAccess): never scoped.
        assert isinstance(policy, dict), f"{lid}: managed policy {policy}"
        if "Statement" in policy:
            continue
        ((name, arguments),) = policy.items()
        assert name in SCOPED_POLICY_TEMPLATES, f"{lid}: unreviewed policy template {name}"
        scope = arguments[SCOPED_POLICY_TEMPLATES[name]]
        assert _referenced_ids(scope) <= set(RESOURCES), f"{lid}: {name} not scoped to the stack"
        assert _referenced_ids(scope), f"{lid}: {name} scoped to a literal"


# Tables keyed by the event (partition key event_id): a role may touch only this stack's.
EVENT_KEYED_TABLES = {"ApplicationsTable", "RunsTable"}
LEADING_KEY_CONDITION = {
    "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": [{"Ref": "ConferenceId"}]}
}


def _table_statements(lid: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, statement in _statements():
        if where != lid:
            continue
        for table in _referenced_ids(statement["Resource"]) & CONFERENCE_TABLES:
            yield table, statement


def _table_actions(lid: str) -> dict[str, set[str]]:
    reach: dict[str, set[str]] = {}
    for table, statement in _table_statements(lid):
        reach.setdefault(table, set()).update(as_list(statement["Action"]))
    return reach


def test_each_function_may_call_only_the_table_actions_it_uses() -> None:
    # Applicants' requests read and write one item: no Query, Scan, Delete or batch. The
    # form reads the lottery's commitment (or draws it: one conditional put).
    assert _table_actions("ApiFunction") == {
        "ApplicationsTable": {"dynamodb:GetItem", "dynamodb:PutItem"},
        "RunsTable": {"dynamodb:GetItem", "dynamodb:PutItem"},
    }
    assert _table_actions("AdmissionsFunction") == {
        # Deciding; and registering submissions still waiting (services.intake).
        "ApplicationsTable": {
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
        },
        "RunsTable": {
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
        },
        "IdempotencyTable": {
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
        },
    }
    assert _table_actions("MailerFunction") == {
        "MessagesTable": {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"},
        "ApplicationsTable": {"dynamodb:GetItem"},
        "RunsTable": {"dynamodb:GetItem", "dynamodb:PutItem"},  # the lottery, for receipts
    }
    # Registering received submissions (a conditional put, a repeat's existing application
    # read, a submitter's record, the received item deleted) and reading new applications.
    assert _table_actions("ReceiptsFunction") == {
        "ApplicationsTable": {
            "dynamodb:BatchGetItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:DeleteItem",
        }
    }
    assert _table_actions("FeedbackFunction") == {
        "ApplicationsTable": {"dynamodb:GetItem", "dynamodb:PutItem"}
    }
    for lid in functions(TEMPLATE):
        for table, statement in _table_statements(lid):
            assert not {"dynamodb:Scan", "dynamodb:BatchWriteItem"} & set(
                as_list(statement["Action"])
            ), f"{lid} on {table}"


@pytest.mark.parametrize("lid", list(functions(TEMPLATE)))
def test_event_keyed_tables_are_reachable_only_under_this_stacks_event(lid: str) -> None:
    # moto checks actions only: the conditions are proved here, statement by statement.
    for table, statement in _table_statements(lid):
        if table in EVENT_KEYED_TABLES:
            assert statement.get("Condition") == LEADING_KEY_CONDITION, f"{lid} on {table}"


def test_no_function_uses_a_sam_policy_template_for_data() -> None:
    # Policy templates grant fixed action lists (DynamoDBCrudPolicy: Scan, Query, Delete,
    # BatchWrite on the whole table); each function lists what it calls instead.
    for lid in functions(TEMPLATE):
        for policy in _function_policies(lid):
            assert "Statement" in policy, f"{lid}: {next(iter(policy))}"


def test_mail_goes_out_only_from_the_events_sender_address() -> None:
    statements = [s for where, s in _statements() if where == "MailerFunction"]
    (ses,) = [s for s in statements if "ses:SendEmail" in as_list(s["Action"])]
    assert ses["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}}


def test_mailer_sends_only_as_the_sender_domain_through_the_configuration_set() -> None:
    statements = [s for where, s in _statements() if where == "MailerFunction"]
    ses = [s for s in statements if any(a.startswith("ses:") for a in as_list(s["Action"]))]
    assert len(ses) == 1
    assert as_list(ses[0]["Action"]) == ["ses:SendEmail"]
    resources = [r["Fn::Sub"] for r in ses[0]["Resource"]]
    assert resources == [
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${SenderDomain}",
        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
        "configuration-set/${SesConfigurationSetName}",
    ]


@pytest.mark.parametrize("spec", list(functions(TEMPLATE).values()), ids=lambda s: s.logical_id)
def test_no_function_environment_refers_to_its_own_api(spec: FunctionSpec) -> None:
    # The API's integration depends on the function: the reverse would be a cycle that
    # cfn-lint (which no longer expands SAM) does not report.
    apis = {
        ref
        for event in spec.events
        if event.type == "HttpApi"
        for ref in _referenced_ids(event.properties.get("ApiId"))
    }
    assert not apis & _referenced_ids(spec.environment), spec.logical_id


def test_deadline_run_fires_once_right_after_the_deadline_in_berlin_time() -> None:
    defaults = parameter_defaults(TEMPLATE)
    assert re.fullmatch(
        r"at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)", defaults["DeadlineScheduleExpression"]
    )
    assert defaults["DeadlineScheduleExpression"] == "at(2023-04-11T00:00:00)"
    assert defaults["EventTimezone"] == "Europe/Berlin"
    event = RESOURCES["AdmissionsFunction"]["Properties"]["Events"]["DeadlineRun"]["Properties"]
    assert event["ScheduleExpression"] == {"Ref": "DeadlineScheduleExpression"}
    assert event["ScheduleExpressionTimezone"] == {"Ref": "EventTimezone"}


def test_every_schedule_retries_into_a_dead_letter_queue() -> None:
    specs = schedules(TEMPLATE)
    assert set(specs) == {
        "AdmissionsFunctionDeadlineRun",
        "AdmissionsFunctionDailyRun",
        "AdmissionsFunctionReminderRun",
        "AdmissionsFunctionProgramRun",
    }
    for spec in specs.values():
        assert spec.timezone == "Europe/Berlin"
        assert spec.dead_letter_queue == "SchedulerDeadLetterQueue"
        assert spec.retry_policy == {"MaximumRetryAttempts": 5, "MaximumEventAgeInSeconds": 86400}
    daily = specs["AdmissionsFunctionDailyRun"]
    assert daily.start_date is not None
    assert daily.end_date is not None
    assert daily.start_date < daily.end_date


@pytest.mark.parametrize("lid", list(resources_of_type(TEMPLATE, "AWS::DynamoDB::Table")))
def test_tables_are_encrypted_recoverable_expiring_and_retained(lid: str) -> None:
    resource = RESOURCES[lid]
    props = resource["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    # Encrypted either way: with the stack's own KMS key if chosen (test_template_hardening).
    condition, with_key, without_key = props["SSESpecification"]["Fn::If"]
    assert condition == "UsesCustomerManagedKey"
    assert with_key["SSEEnabled"] is without_key["SSEEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["TimeToLiveSpecification"]["Enabled"] is True
    assert props["TimeToLiveSpecification"]["AttributeName"]
    assert props["DeletionProtectionEnabled"] == {"Fn::If": ["IsProd", True, False]}
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"


def test_every_queue_is_encrypted_and_work_queues_have_dead_letter_queues() -> None:
    specs = queues(TEMPLATE)
    dead_letter_queues = {s.redrive_target for s in specs.values() if s.redrive_target}
    dead_letter_queues |= {spec.dead_letter_queue for spec in schedules(TEMPLATE).values()}
    dead_letter_queues |= {f.on_failure_queue for f in functions(TEMPLATE).values()}
    dead_letter_queues |= {s.on_failure_queue for s in stream_event_sources(TEMPLATE).values()}
    for lid, spec in specs.items():
        props = RESOURCES[lid]["Properties"]
        assert props["SqsManagedSseEnabled"]["Fn::If"][2] is True, lid  # without own key
        assert props["KmsMasterKeyId"]["Fn::If"][1] == {"Fn::GetAtt": ["DataKey", "Arn"]}, lid
        if lid in dead_letter_queues:
            assert spec.message_retention_period == 14 * 24 * 3600, lid
        else:
            assert spec.redrive_target is not None, lid
            assert spec.max_receive_count, lid


def test_mail_queue_outlasts_six_mailer_timeouts() -> None:
    (source,) = sqs_event_sources(TEMPLATE).values()
    mailer = functions(TEMPLATE)[source.function_logical_id]
    assert mailer.timeout is not None
    assert queues(TEMPLATE)[source.queue_logical_id].visibility_timeout >= 6 * mailer.timeout
    assert source.report_batch_item_failures
    assert source.max_concurrency_param == "MailMaxConcurrency"
    assert TEMPLATE["Parameters"]["MailMaxConcurrency"]["MinValue"] >= 2


def test_every_function_has_a_log_group_with_retention() -> None:
    log_groups = resources_of_type(TEMPLATE, "AWS::Logs::LogGroup").values()
    covered = {
        ref for group in log_groups for ref in _referenced_ids(group["Properties"]["LogGroupName"])
    }
    assert covered - {"AWS::StackName"} == set(functions(TEMPLATE))
    for group in log_groups:
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_outputs_the_cli_relies_on_exist() -> None:
    assert {
        "ApiUrl",
        "ApplicationsTableName",
        "RunsTableName",
        "MessagesTableName",
        "IdempotencyTableName",
        "MailQueueUrl",
        "MailDeadLetterQueueUrl",
        "SchedulerDeadLetterQueueUrl",
        "ApiFunctionName",
        "AdmissionsFunctionName",
        "MailerFunctionName",
        "TokenSecretArn",
        "ApplicantKeySecretArn",
        "ConferenceId",
        "StackVersion",
    } <= set(TEMPLATE["Outputs"])
    assert TEMPLATE["Outputs"]["StackVersion"]["Value"] == "1"


def test_only_the_api_reads_the_applicant_key_secret_and_no_function_writes_a_secret() -> None:
    readers: dict[str, set[str]] = {}
    for lid, statement in _statements():
        for secret in _referenced_ids(statement.get("Resource")) & {
            "TokenSecret",
            "ApplicantKeySecret",
        }:
            assert as_list(statement["Action"]) == ["secretsmanager:GetSecretValue"], lid
            readers.setdefault(secret, set()).add(lid)
    assert readers == {
        "ApplicantKeySecret": {"ApiFunction"},  # keys a submission
        "TokenSecret": {"ApiFunction", "MailerFunction"},  # checks links, signs links
    }
    assert RESOURCES["ApplicantKeySecret"]["DeletionPolicy"] == "Retain"  # like the tables


# ---------------------------------------------------------------------------- effective roles
def test_samtranslator_expands_every_functions_role() -> None:
    assert set(effective_roles()) == set(functions(TEMPLATE))
    for lid in functions(TEMPLATE):
        assert allowed_actions(lid), lid
        # Logs and X-Ray come from AWS's managed policies, and for the mailer and the
        # receipts function their event source's (SAM adds it; Lambda's poller reads the
        # queue or the stream under it).
        expected = {
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        }
        if lid == "MailerFunction":
            expected.add("arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole")
        if lid == "ReceiptsFunction":
            expected.add("arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole")
        assert set(effective_roles()[lid]["managed"]) == expected, lid


def test_effective_roles_allow_what_each_function_needs_and_no_more() -> None:
    # The integration tests check every call the handlers make against these roles
    # (tests/integration/conftest.py); here, that the check can fail at all.
    assert is_allowed("MailerFunction", "ses:SendEmail")
    assert is_allowed("ApiFunction", "sqs:SendMessage")
    assert is_allowed("ReceiptsFunction", "sqs:SendMessage")
    assert not is_allowed("ReceiptsFunction", "dynamodb:Query")
    assert is_allowed("AdmissionsFunction", "dynamodb:Query")
    assert not is_allowed("ApiFunction", "ses:SendEmail")
    assert not is_allowed("FeedbackFunction", "dynamodb:Query")
    assert not is_allowed("MailerFunction", "dynamodb:PutItem") or all(
        "ApplicationsTable" not in json.dumps(s)
        for s in effective_roles()["MailerFunction"]["statements"]
        if "dynamodb:PutItem" in as_list(s["Action"])
    )
