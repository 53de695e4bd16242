"""Each function's deployed IAM role, as samtranslator expands it from infra/template.yaml.

The static template tests read the roles; the integration tests check every AWS call a
handler makes against its function's role (``is_allowed``).
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from registrar_local.infra.template import template_path

SAM_PYTHON = Path(__file__).resolve().parents[2] / ".tools" / "sam" / "bin" / "python"

# Run with the SAM CLI's own interpreter: samtranslator (what CloudFormation's
# AWS::Serverless transform runs) turns each function's Policies, policy templates
# included, into the IAM role that is deployed. Code locations do not matter to roles.
_EXPAND_ROLES = """
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

class NoManagedPolicies:
    def load(self):
        return {}

template = yaml_parse(open(sys.argv[1], encoding="utf-8").read())
for resource in template["Resources"].values():
    for key in ("CodeUri", "ContentUri"):
        if key in resource.get("Properties", {}):
            resource["Properties"][key] = "s3://bucket/code.zip"
resources = transform(template, {}, NoManagedPolicies())["Resources"]
roles = {}
for lid, resource in resources.items():
    if resource["Type"] != "AWS::Lambda::Function":
        continue
    role = resources[resource["Properties"]["Role"]["Fn::GetAtt"][0]]["Properties"]
    roles[lid] = {
        "managed": role.get("ManagedPolicyArns", []),
        "statements": [
            statement
            for policy in role.get("Policies", [])
            for statement in policy["PolicyDocument"]["Statement"]
        ],
    }
print(json.dumps(roles))
"""


@cache
def effective_roles() -> dict[str, dict[str, Any]]:
    """Each function's deployed role (statements and managed policy ARNs), from samtranslator."""
    if not SAM_PYTHON.exists():
        pytest.fail(f"{SAM_PYTHON} is missing: `make validate` installs the SAM CLI")
    env = {**os.environ, "AWS_DEFAULT_REGION": "eu-central-1"}
    result = subprocess.run(
        [str(SAM_PYTHON), "-c", _EXPAND_ROLES, str(template_path())],
        check=True, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    roles: dict[str, dict[str, Any]] = json.loads(result.stdout)
    return roles


def allowed_actions(function_id: str) -> list[str]:
    """Action patterns the function's role allows (as written: `sqs:SendMessage*` stays)."""
    statements = effective_roles()[function_id]["statements"]
    return [
        action
        for statement in statements
        if statement["Effect"] == "Allow"
        for action in as_list(statement["Action"])
    ]


def is_allowed(function_id: str, action: str) -> bool:
    """IAM matches actions case-insensitively, with `*` and `?` wildcards."""
    return any(
        fnmatch.fnmatchcase(action.lower(), pattern.lower())
        for pattern in allowed_actions(function_id)
    )


def as_list(value: Any) -> list[Any]:
    """IAM's one-or-many: a single value or a list of them, as a list."""
    return value if isinstance(value, list) else [value]
