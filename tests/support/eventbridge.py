"""What EventBridge hands a function: the template's rule that matches an event, and that
rule's input transformer applied to it.

moto does not deliver SES events to Lambda, so the tests do what EventBridge does with the
template's own rules: match the pattern (literal values and ``exists``, the operators the
template uses) and fill the ``InputTemplate`` from the ``InputPathsMap`` (dot paths). A
path the event lacks fails the test: in AWS the transformed input would not be the JSON
the function expects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from registrar_local.infra.template import functions, load_template

TEMPLATE = load_template()


def _resolved(value: Any) -> Any:
    """Template values with ``Ref``s to parameters replaced by their defaults."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return TEMPLATE["Parameters"][value["Ref"]]["Default"]
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item) for item in value]
    return value


def matches(pattern: Mapping[str, Any], event: Mapping[str, Any]) -> bool:
    for key, wanted in pattern.items():
        present = key in event
        if isinstance(wanted, dict):
            if not present or not isinstance(event[key], dict) or not matches(wanted, event[key]):
                return False
            continue
        values = event[key] if present and isinstance(event[key], list) else [event.get(key)]
        if not any(_one_matches(rule, present, values) for rule in wanted):
            return False
    return True


def _one_matches(rule: Any, present: bool, values: list[Any]) -> bool:
    if isinstance(rule, dict) and "exists" in rule:
        return present is bool(rule["exists"])
    return present and rule in values


def _path(event: Mapping[str, Any], path: str) -> Any:
    found: Any = event
    for part in path.removeprefix("$.").split("."):
        if not isinstance(found, dict) or part not in found:
            raise AssertionError(f"the event has no {path}: the transformer would fail")
        found = found[part]
    return found


def rules_for(function_id: str) -> list[dict[str, Any]]:
    return [
        _resolved(event.properties)
        for event in functions(TEMPLATE)[function_id].events
        if event.type == "EventBridgeRule"
    ]


def delivered(function_id: str, event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What each matching rule of the function hands it for ``event`` (none: not heard)."""
    inputs = []
    for rule in rules_for(function_id):
        if not matches(rule["Pattern"], event):
            continue
        transformer = rule["InputTransformer"]
        values = {
            name: json.dumps(_path(event, path))
            for name, path in transformer["InputPathsMap"].items()
        }
        inputs.append(json.loads(_filled(transformer["InputTemplate"], values)))
    return inputs


def _filled(template: str, values: Mapping[str, str]) -> str:
    return re.sub(r"<([\w-]+)>", lambda found: values[found.group(1)], template)
