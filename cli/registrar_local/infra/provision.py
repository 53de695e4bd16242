"""Builds in moto exactly the stateful resources infra/template.yaml declares.

Tables, queues, the token secret, SES identity and configuration set, and the scheduler's
schedules are created from the template's specs, so tests and the local stack run against
the same shapes as the deployed stack. Functions are not created: the local stack runs
their handlers in-process with :meth:`ProvisionedStack.function_environment`.
Works against moto's in-process ``mock_aws`` (``endpoint_url=None``) and against a
``ThreadedMotoServer`` (``endpoint_url`` set). Expects a fresh account and region.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError

from registrar_local.infra import template as tpl

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_scheduler import EventBridgeSchedulerClient
    from mypy_boto3_sesv2 import SESV2Client
    from mypy_boto3_sqs import SQSClient

API_URL_OUTPUT: Final = "ApiUrl"
_HTTP_API_TYPES: Final = frozenset({"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"})
_FUNCTION_TYPES: Final = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})
_DISTRIBUTION_TYPE: Final = "AWS::CloudFront::Distribution"


class ProvisionError(Exception):
    """The stack cannot be provisioned as asked (unknown parameter, missing region)."""


@dataclass
class ProvisionedStack:
    """What the local stack provisioned, and what the template's intrinsics resolve to."""

    stack_name: str
    region: str
    account_id: str
    template: Mapping[str, Any] = field(repr=False)
    params: dict[str, str]
    refs: dict[str, Any]
    getatts: dict[tuple[str, str], Any]
    outputs: dict[str, str] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Evaluate ``value``'s intrinsic functions against this stack."""
        return tpl.resolve(
            value,
            self.refs,
            self.params,
            getatts=self.getatts,
            conditions=self.template.get("Conditions") or {},
        )

    def function_environment(self, function_logical_id: str) -> dict[str, str]:
        """The function's environment (Globals merged), as Lambda would see it."""
        specs = tpl.functions(self.template)
        if function_logical_id not in specs:
            raise KeyError(f"{function_logical_id} is not a function of the template")
        resolved = self.resolve(specs[function_logical_id].environment)
        return {name: tpl.as_text(value) for name, value in resolved.items()}


def physical_name(stack_name: str, logical_id: str) -> str:
    """The name the local stack gives a resource (CloudFormation adds a random suffix)."""
    return f"{stack_name}-{logical_id}"


def _fake_api_id(stack_name: str) -> str:
    # Stable, so that URLs derived from it do not change between local runs.
    return hashlib.sha256(stack_name.encode()).hexdigest()[:10]


def _merged_params(
    t: Mapping[str, Any], params: Mapping[str, str] | None, api_url: str | None
) -> dict[str, str]:
    declared = t.get("Parameters") or {}
    unknown = set(params or {}) - set(declared)
    if unknown:
        raise ProvisionError(f"parameters not declared in the template: {sorted(unknown)}")
    merged = {**tpl.parameter_defaults(t), **(params or {})}
    # Locally the API is reachable at api_url; links in emails must point there.
    if api_url and "PublicBaseUrl" in declared and not merged.get("PublicBaseUrl"):
        merged["PublicBaseUrl"] = api_url
    return merged


def _placeholder_refs(
    t: Mapping[str, Any], stack_name: str, region: str, account_id: str
) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
    """Ref and GetAtt values of resources that are not provisioned (functions, the API)."""
    refs: dict[str, Any] = {
        "AWS::Region": region,
        "AWS::AccountId": account_id,
        "AWS::StackName": stack_name,
        **tpl.PSEUDO_DEFAULTS,
    }
    getatts: dict[tuple[str, str], Any] = {}
    partition = tpl.PSEUDO_DEFAULTS["AWS::Partition"]
    for logical_id, resource in t["Resources"].items():
        name = physical_name(stack_name, logical_id)
        is_api = resource.get("Type") in _HTTP_API_TYPES
        refs[logical_id] = _fake_api_id(stack_name) if is_api else name
        if resource.get("Type") in _FUNCTION_TYPES:
            arn = f"arn:{partition}:lambda:{region}:{account_id}:function:{name}"
            getatts[(logical_id, "Arn")] = arn
        if resource.get("Type") == _DISTRIBUTION_TYPE:
            # Not provisioned: the local gateway plays the public entry (registrar_local.edge).
            distribution_id = hashlib.sha256(name.encode()).hexdigest()[:14]
            getatts[(logical_id, "DomainName")] = f"d{distribution_id}.cloudfront.net"
    return refs, getatts


def provision(
    template: Mapping[str, Any],
    session: boto3.Session,
    *,
    stack_name: str,
    endpoint_url: str | None,
    params: Mapping[str, str] | None = None,
    api_url: str | None = None,
    secret_seed: str | None = None,
) -> ProvisionedStack:
    """Create the template's tables, queues, secrets, SES resources and schedules in moto.

    ``api_url`` is where the local API answers: it becomes the ApiUrl output and, unless
    ``params`` sets PublicBaseUrl, the base of the links in emails. ``secret_seed`` makes
    the generated secrets follow from it (a seeded demo: the keyed applicant key orders the
    table, so the same seed must give the same keys); without it they are random.
    """
    region = session.region_name
    if not region:
        raise ProvisionError("the boto3 session has no region")
    account_id = session.client("sts", endpoint_url=endpoint_url).get_caller_identity()["Account"]
    refs, getatts = _placeholder_refs(template, stack_name, region, account_id)
    stack = ProvisionedStack(
        stack_name=stack_name,
        region=region,
        account_id=account_id,
        template=template,
        params=_merged_params(template, params, api_url),
        refs=refs,
        getatts=getatts,
    )
    _create_tables(stack, session.client("dynamodb", endpoint_url=endpoint_url))
    _create_queues(stack, session.client("sqs", endpoint_url=endpoint_url))
    _create_secrets(stack, session.client("secretsmanager", endpoint_url=endpoint_url), secret_seed)
    _create_ses_resources(stack, session.client("sesv2", endpoint_url=endpoint_url))
    _create_schedules(stack, session.client("scheduler", endpoint_url=endpoint_url))
    stack.outputs = _outputs(stack, api_url)
    return stack


def _create_tables(stack: ProvisionedStack, dynamodb: DynamoDBClient) -> None:
    for spec in tpl.tables(stack.template).values():
        name = physical_name(stack.stack_name, spec.logical_id)
        extra: dict[str, Any] = {}
        if spec.gsis:
            extra["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": [{"AttributeName": n, "KeyType": k} for n, k in index.key_schema],
                    "Projection": index.projection,
                }
                for index in spec.gsis
            ]
        if spec.stream_view_type:
            extra["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": spec.stream_view_type,
            }
        description = dynamodb.create_table(
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": n, "KeyType": k} for n, k in spec.key_schema],
            AttributeDefinitions=[
                {"AttributeName": n, "AttributeType": t}  # type: ignore[typeddict-item]
                for n, t in spec.attributes.items()
            ],
            **extra,
        )["TableDescription"]
        if spec.ttl_attribute:
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={"AttributeName": spec.ttl_attribute, "Enabled": True},
            )
        stack.refs[spec.logical_id] = name
        stack.getatts[(spec.logical_id, "Arn")] = description["TableArn"]
        if spec.stream_view_type:
            stack.getatts[(spec.logical_id, "StreamArn")] = description["LatestStreamArn"]


def _queue_creation_order(specs: Mapping[str, tpl.QueueSpec]) -> list[tpl.QueueSpec]:
    """Dead-letter queues first: a redrive policy needs its target's ARN."""
    return sorted(specs.values(), key=lambda spec: spec.redrive_target is not None)


def _create_queues(stack: ProvisionedStack, sqs: SQSClient) -> None:
    for spec in _queue_creation_order(tpl.queues(stack.template)):
        name = physical_name(stack.stack_name, spec.logical_id)
        attributes = {"VisibilityTimeout": str(spec.visibility_timeout)}
        if spec.message_retention_period is not None:
            attributes["MessageRetentionPeriod"] = str(spec.message_retention_period)
        if spec.redrive_target is not None:
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": stack.getatts[(spec.redrive_target, "Arn")],
                    "maxReceiveCount": spec.max_receive_count,
                }
            )
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]  # type: ignore[arg-type]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        stack.refs[spec.logical_id] = url
        stack.getatts[(spec.logical_id, "Arn")] = arn["QueueArn"]
        stack.getatts[(spec.logical_id, "QueueName")] = name


def _properties(resource: Mapping[str, Any]) -> dict[str, Any]:
    return dict(resource.get("Properties") or {})


def _generated_secret(logical_id: str, secret_seed: str | None) -> str:
    """What GenerateSecretString gives: random, or derived from the seed and the secret's id."""
    if secret_seed is None:
        return secrets.token_urlsafe(48)
    derived = hmac.digest(secret_seed.encode(), logical_id.encode(), hashlib.sha384)
    return base64.urlsafe_b64encode(derived).decode().rstrip("=")


def _create_secrets(stack: ProvisionedStack, secretsmanager: Any, secret_seed: str | None) -> None:
    declared = tpl.resources_of_type(stack.template, "AWS::SecretsManager::Secret")
    for logical_id, resource in declared.items():
        props = _properties(resource)
        value = (
            _generated_secret(logical_id, secret_seed)
            if "GenerateSecretString" in props
            else tpl.as_text(stack.resolve(props.get("SecretString", "")))
        )
        created = secretsmanager.create_secret(
            Name=physical_name(stack.stack_name, logical_id), SecretString=value
        )
        stack.refs[logical_id] = created["ARN"]
        stack.getatts[(logical_id, "Id")] = created["ARN"]


def _create_ses_resources(stack: ProvisionedStack, sesv2: SESV2Client) -> None:
    declared_sets = tpl.resources_of_type(stack.template, "AWS::SES::ConfigurationSet")
    for logical_id, resource in declared_sets.items():
        name = _properties(resource).get("Name")
        set_name = (
            tpl.as_text(stack.resolve(name))
            if name is not None
            else physical_name(stack.stack_name, logical_id)
        )
        sesv2.create_configuration_set(ConfigurationSetName=set_name)
        stack.refs[logical_id] = set_name
    for resource in tpl.resources_of_type(stack.template, "AWS::SES::EmailIdentity").values():
        props = stack.resolve(_properties(resource))
        attributes = props.get("ConfigurationSetAttributes") or {}
        sesv2.create_email_identity(
            EmailIdentity=tpl.as_text(props["EmailIdentity"]),
            **{"ConfigurationSetName": attributes["ConfigurationSetName"]} if attributes else {},
        )
    # moto refuses to send unless the From address itself is a verified identity.
    sender = stack.params.get("SenderAddress")
    if sender:
        sesv2.create_email_identity(EmailIdentity=sender)


def _start_date(declared: str | None) -> datetime | None:
    """The declared start as Scheduler takes it (UTC), or None once it has passed."""
    if declared is None:
        return None
    start = datetime.fromisoformat(declared)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    # Scheduler (and moto) refuse a start more than 5 minutes ago; once passed, a
    # start date no longer changes when the schedule fires.
    return start if start > datetime.now(UTC) else None


def _create_schedules(stack: ProvisionedStack, scheduler: EventBridgeSchedulerClient) -> None:
    for spec in tpl.schedules(stack.template, stack.params).values():
        name = (
            tpl.as_text(stack.resolve(spec.name))
            if spec.name is not None
            else physical_name(stack.stack_name, spec.logical_id)
        )
        target: dict[str, Any] = {
            "Arn": stack.getatts[(spec.function_logical_id, "Arn")],
            # SAM creates one execution role per schedule, named after it.
            "RoleArn": f"arn:aws:iam::{stack.account_id}:role/{name}Role",
            "Input": json.dumps(spec.input),
        }
        if spec.retry_policy:
            target["RetryPolicy"] = spec.retry_policy
        if spec.dead_letter_queue is not None:
            target["DeadLetterConfig"] = {"Arn": stack.getatts[(spec.dead_letter_queue, "Arn")]}
        window: dict[str, Any] = {}
        if spec.timezone is not None:
            window["ScheduleExpressionTimezone"] = spec.timezone
        start = _start_date(spec.start_date)
        if start is not None:
            window["StartDate"] = start
        if spec.end_date is not None:
            window["EndDate"] = datetime.fromisoformat(spec.end_date)
        created = scheduler.create_schedule(
            Name=name,
            ScheduleExpression=spec.expression,
            FlexibleTimeWindow={"Mode": "OFF"},
            Target=target,  # type: ignore[arg-type]
            **window,
        )
        stack.refs[spec.logical_id] = name
        stack.getatts[(spec.logical_id, "Arn")] = created["ScheduleArn"]


def _outputs(stack: ProvisionedStack, api_url: str | None) -> dict[str, str]:
    outputs: dict[str, str] = {}
    conditions = stack.template.get("Conditions") or {}
    for name, output in (stack.template.get("Outputs") or {}).items():
        condition = output.get("Condition")
        if condition and not stack.resolve(conditions[condition]):
            continue
        outputs[name] = tpl.as_text(stack.resolve(output["Value"]))
    if api_url:
        outputs[API_URL_OUTPUT] = api_url
    return outputs


def register_stack_outputs(
    session: boto3.Session,
    stack_name: str,
    outputs: Mapping[str, str],
    *,
    endpoint_url: str | None = None,
) -> None:
    """Make ``describe_stacks(StackName=stack_name)`` return ``outputs`` (moto only).

    The CLI finds the deployed resources through the stack's outputs; registering the
    local ones the same way lets it take the same code path against the local stack.
    """
    body = json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {"Placeholder": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
            "Outputs": {name: {"Value": value} for name, value in outputs.items()},
        }
    )
    cloudformation = session.client("cloudformation", endpoint_url=endpoint_url)
    with warnings.catch_warnings():
        # moto warns that it only pretends to create the placeholder, which is the point.
        warnings.filterwarnings("ignore", message=".*WaitConditionHandle", category=UserWarning)
        try:
            cloudformation.create_stack(StackName=stack_name, TemplateBody=body)
        except ClientError as error:
            if error.response["Error"]["Code"] != "AlreadyExistsException":
                raise
            cloudformation.update_stack(StackName=stack_name, TemplateBody=body)
