"""Finding a stack: the deployed one through CloudFormation outputs, or the local one.

Both paths end the same way: ``describe_stacks`` gives the outputs, and the outputs name
every table, queue and function. Locally the state file says where moto listens.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

LOCAL_STATE_FILE = Path(".registrar") / "local.json"
SUPPORTED_STACK_VERSION = "1"
REQUIRED_OUTPUTS = (
    "ApplicationsTableName",
    "RunsTableName",
    "MessagesTableName",
    "MailQueueUrl",
    "MailDeadLetterQueueUrl",
    "AdmissionsFunctionName",
    "ApplicantKeySecretArn",
    "TokenSecretArn",
    "ConferenceId",
    "StackVersion",
)


class TargetError(Exception):
    """The stack cannot be reached; the message is one sentence for the organiser."""


@dataclass(frozen=True)
class Target:
    stack_name: str
    session: boto3.Session
    endpoint_url: str | None
    outputs: dict[str, str]
    local_api_url: str | None = None
    profile: str | None = None
    local_token: str | None = None  # opens the local stack's /_local/ controls

    def client(self, service: str, config: Config | None = None) -> Any:
        return self.session.client(service, endpoint_url=self.endpoint_url, config=config)  # type: ignore[call-overload]

    def bind(self) -> None:
        """Point pynamodb at this stack's account (the services point it at the tables).

        pynamodb builds its own botocore session: it must see this stack's endpoint,
        region and profile, not whatever the environment named.
        """
        if self.endpoint_url:
            os.environ["AWS_ENDPOINT_URL"] = self.endpoint_url
        if self.session.region_name:
            os.environ["AWS_DEFAULT_REGION"] = self.session.region_name
        if self.profile:
            os.environ["AWS_PROFILE"] = self.profile


def write_local_state(state: dict[str, Any]) -> Path:
    LOCAL_STATE_FILE.parent.mkdir(exist_ok=True)
    LOCAL_STATE_FILE.write_text(json.dumps(state, indent=1), encoding="utf-8")
    return LOCAL_STATE_FILE


def clear_local_state() -> None:
    LOCAL_STATE_FILE.unlink(missing_ok=True)


def local_target() -> Target:
    try:
        state = json.loads(LOCAL_STATE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise TargetError(
            "No local stack is running here: start one with `registrar local up`."
        ) from None
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_SESSION_TOKEN": "local",
        }
    )
    session = boto3.Session(region_name=state["region"])
    target = _from_stack(session, state["stack_name"], state["endpoint_url"])
    return Target(
        target.stack_name,
        session,
        target.endpoint_url,
        target.outputs,
        state["api_url"],
        local_token=state.get("control_token"),
    )


def aws_target(stack_name: str | None, region: str | None, profile: str | None) -> Target:
    name = stack_name or os.environ.get("REGISTRAR_STACK")
    if not name:
        raise TargetError("Name the stack with --stack-name or REGISTRAR_STACK, or use --local.")
    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except BotoCoreError as error:
        raise TargetError(f"The AWS profile cannot be used: {error}.") from None
    if not session.region_name:
        raise TargetError("No AWS region is set: pass --region or set AWS_REGION.")
    found = _from_stack(session, name, None)
    return Target(found.stack_name, session, None, found.outputs, profile=profile)


def _from_stack(session: boto3.Session, stack_name: str, endpoint_url: str | None) -> Target:
    cloudformation = session.client("cloudformation", endpoint_url=endpoint_url)
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except NoCredentialsError:
        raise TargetError(
            "No AWS credentials found: log in (e.g. `aws sso login`) first."
        ) from None
    except ClientError as error:
        if "does not exist" in str(error):
            raise TargetError(f"There is no stack named {stack_name!r} in this region.") from None
        raise TargetError(
            f"AWS refused to describe the stack ({error.response['Error']['Code']})."
        ) from None
    except BotoCoreError as error:
        raise TargetError(f"AWS cannot be reached: {error}.") from None
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    missing = [name for name in REQUIRED_OUTPUTS if name not in outputs]
    if missing:
        raise TargetError(
            f"Stack {stack_name!r} is not a registrar stack (missing {', '.join(missing)})."
        )
    if outputs["StackVersion"] != SUPPORTED_STACK_VERSION:
        raise TargetError(
            f"Stack {stack_name!r} is version {outputs['StackVersion']}; this CLI "
            f"handles version {SUPPORTED_STACK_VERSION}. Install the matching registrar."
        )
    return Target(stack_name, session, endpoint_url, outputs)
