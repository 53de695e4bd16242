"""Static checks of infra/template.yaml: nothing lost silently, access logs, what is kept.

Read with the local stack's template reader (the same that provisions moto), and for the
roles with samtranslator (``effective_roles``), as the other template tests do.
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import pytest

from registrar_local.infra.template import (
    functions,
    load_template,
    parameter_defaults,
    queues,
    resources_of_type,
    stream_event_sources,
    template_path,
)
from tests.support.roles import effective_roles

TEMPLATE = load_template()
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]


def alarmed_queues() -> set[str]:
    """Queues whose visible messages page someone (AlarmActions to the alert topic)."""
    found = set()
    for alarm in resources_of_type(TEMPLATE, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") != "AWS/SQS" or not props.get("AlarmActions"):
            continue
        assert props["MetricName"] == "ApproximateNumberOfMessagesVisible"
        assert props["Threshold"] == 1
        for dimension in props["Dimensions"]:
            if dimension["Name"] == "QueueName":
                found.add(dimension["Value"]["Fn::GetAtt"][0])
    return found


def role_sends_to(function_id: str, queue_id: str) -> bool:
    """The deployed role may send to the queue (SAM adds this for an SQS destination)."""
    return any(
        statement["Effect"] == "Allow"
        and "sqs:SendMessage" in json.dumps(statement["Action"])
        and statement["Resource"] == {"Fn::GetAtt": [queue_id, "Arn"]}
        for statement in effective_roles()[function_id]["statements"]
    )


# ---------------------------------------------------------------- nothing lost silently


def test_a_failed_admission_run_is_kept_in_a_queue_that_alarms() -> None:
    admissions = functions(TEMPLATE)["AdmissionsFunction"]
    config = RESOURCES["AdmissionsFunction"]["Properties"]["EventInvokeConfig"]

    assert admissions.on_failure_queue == "AdmissionsFailedRunQueue"
    assert config["DestinationConfig"]["OnFailure"]["Type"] == "SQS"
    assert config["MaximumRetryAttempts"] == 2  # the run is idempotent per trigger
    assert "AdmissionsFailedRunQueue" in queues(TEMPLATE)
    assert "AdmissionsFailedRunQueue" in alarmed_queues()
    assert role_sends_to("AdmissionsFunction", "AdmissionsFailedRunQueue")
    assert "AdmissionsFailedRunQueueUrl" in TEMPLATE["Outputs"]


def test_a_receipts_batch_given_up_on_is_kept_in_a_queue_that_alarms() -> None:
    (source,) = stream_event_sources(TEMPLATE).values()

    assert source.function_logical_id == "ReceiptsFunction"
    assert source.on_failure_queue == "ReceiptsFailedQueue"
    # Given up on while the stream (24 hours) still holds the records to replay.
    assert source.max_record_age_seconds is not None
    assert 0 < source.max_record_age_seconds < 24 * 3600
    assert source.bisect_on_error
    assert "ReceiptsFailedQueue" in alarmed_queues()
    assert role_sends_to("ReceiptsFunction", "ReceiptsFailedQueue")
    assert "ReceiptsFailedQueueUrl" in TEMPLATE["Outputs"]


def test_every_failure_destination_and_dead_letter_queue_alarms() -> None:
    kept = {spec.redrive_target for spec in queues(TEMPLATE).values() if spec.redrive_target}
    kept |= {f.on_failure_queue for f in functions(TEMPLATE).values() if f.on_failure_queue}
    kept |= {s.on_failure_queue for s in stream_event_sources(TEMPLATE).values()}
    kept.add("SchedulerDeadLetterQueue")

    assert kept <= alarmed_queues()
    for queue_id in kept:
        assert queues(TEMPLATE)[queue_id].message_retention_period == 14 * 24 * 3600


# ---------------------------------------------------------------- access logs


def access_log_settings() -> dict[str, Any]:
    settings: dict[str, Any] = RESOURCES["HttpApi"]["Properties"]["AccessLogSettings"]
    return settings


def test_the_http_api_logs_every_request_to_a_group_with_the_usual_retention() -> None:
    destination = access_log_settings()["DestinationArn"]["Fn::GetAtt"]
    group = RESOURCES[destination[0]]

    assert destination[1] == "Arn"
    assert group["Type"] == "AWS::Logs::LogGroup"
    assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_access_log_lines_show_status_and_path_but_no_token_or_person() -> None:
    line_format = access_log_settings()["Format"]
    fields = json.loads(line_format)  # one JSON object per line

    assert fields["status"] == "$context.status"  # throttled requests show as 429
    assert fields["path"] == "$context.path"  # the path without the query string
    variables = set(re.findall(r"\$context\.[A-Za-z.]+", line_format))
    # The query string carries confirm and manage tokens; IP and browser are personal data.
    for forbidden in ("querystring", "requesturi", "sourceip", "useragent", "identity"):
        assert not any(forbidden in variable.lower() for variable in variables), forbidden


# ---------------------------------------------------------------- what is kept when the stack goes

STATEFUL_TYPES = {
    "AWS::DynamoDB::Table": "Retain",  # applications, runs, outbox: the record of the event
    "AWS::SQS::Queue": "Delete",  # re-creatable work and failure records that expire
    "AWS::SecretsManager::Secret": "Delete",  # signs links to this stack's API only
    "AWS::Logs::LogGroup": "Retain",  # expires by its retention; no personal data
}
# The applicant-key secret keys the retained applications table: it stays with the table.
RETAINED_SECRETS = {"ApplicantKeySecret"}


@pytest.mark.parametrize(
    "lid", [lid for lid, r in RESOURCES.items() if r["Type"] in STATEFUL_TYPES]
)
def test_every_stateful_resource_says_what_happens_to_it(lid: str) -> None:
    resource = RESOURCES[lid]
    expected = "Retain" if lid in RETAINED_SECRETS else STATEFUL_TYPES[resource["Type"]]

    assert resource.get("DeletionPolicy") == expected, lid
    assert resource.get("UpdateReplacePolicy") == expected, lid


# ---------------------------------------------------------------- the organisers' domain


def test_the_custom_domain_is_optional_and_off_by_default() -> None:
    defaults = parameter_defaults(TEMPLATE)

    assert defaults["DomainName"] == defaults["CertificateArn"] == ""
    assert TEMPLATE["Conditions"]["HasCustomDomain"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "DomainName"}, ""]}]
    }
    rule = TEMPLATE["Rules"]["CustomDomainNeedsCertificate"]
    assert rule["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "CertificateArn"}, ""]}]
    }
    # The domain is the public entry's (CloudFront) alias: tests/unit/test_template_public_entry.


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_each_samconfig_environment_names_the_domain_to_fill_in(environment: str) -> None:
    samconfig = template_path().parents[1] / "samconfig.toml"
    text = samconfig.read_text(encoding="utf-8")
    section = text.split(f"[{environment}.deploy.parameters]")[1].split("\n[")[0]

    assert '"DomainName=' in section
    assert '"CertificateArn=arn:aws:acm:us-east-1:' in section
    assert '"WebAclArn=arn:aws:wafv2:us-east-1:' in section
    assert tomllib.loads(text)[environment]["deploy"]["parameters"]["parameter_overrides"]


# ---------------------------------------------------------------- mail that filters trust


def test_the_envelope_sender_is_a_subdomain_of_the_sender_domain() -> None:
    identity = RESOURCES["SenderIdentity"]["Properties"]

    assert identity["EmailIdentity"] == {"Ref": "SenderDomain"}
    assert identity["MailFromAttributes"] == {
        "MailFromDomain": {"Fn::Sub": "${MailFromSubdomain}.${SenderDomain}"},
        # A missing MX record falls back to SES's own domain instead of refusing mail.
        "BehaviorOnMxFailure": "USE_DEFAULT_VALUE",
    }
    assert parameter_defaults(TEMPLATE)["MailFromSubdomain"] == "bounce"


def test_the_first_deployment_steps_list_every_dns_record_and_how_to_check_them() -> None:
    readme = (template_path().parents[1] / "README.md").read_text(encoding="utf-8")
    steps = readme.split("First deployment of a stack:")[1].split("\n### ")[0]

    assert steps.count("._domainkey.example.org` | CNAME") == 3  # DKIM
    assert "`bounce.example.org` | MX | `10 feedback-smtp.eu-central-1.amazonses.com`" in steps
    assert '"v=spf1 include:amazonses.com ~all"' in steps
    assert "`_dmarc.example.org` | TXT" in steps
    assert "aws sesv2 get-email-identity" in steps
    assert "MailFromDomainStatus" in steps
    assert "dig +short" in steps


def test_a_dead_lettered_mail_stays_long_enough_to_be_seen() -> None:
    """A dead-lettered message keeps its first enqueue time (SQS), so the work queue's
    retention is what it has already used up of the dead-letter queue's."""
    specs = queues(TEMPLATE)
    mail, dead = specs["MailQueue"], specs["MailDeadLetterQueue"]

    assert mail.message_retention_period is not None
    assert dead.message_retention_period is not None
    assert dead.message_retention_period - mail.message_retention_period >= 10 * 24 * 3600
