"""Fuzzing the API from its own OpenAPI document (schemathesis), seeded and bounded.

The document is fetched from the local stack (GET /openapi.json) and every operation in
it is exercised with generated valid and invalid requests over loopback. No answer may be
a 5xx; every 4xx carries a message; nothing is stored except what was answered 202.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from registrar.conference import Conference
from registrar_local.seed import fake_client
from tests.reliability.conftest import Local, count_applications, write_artifact

pytestmark = pytest.mark.reliability

EXAMPLES_PER_OPERATION = 300
SEED = 20230511


def test_no_5xx_and_clear_4xx_for_generated_requests(
    open_stack: Local, conference: Conference
) -> None:
    document = open_stack.request("GET", "/openapi.json")
    assert document.status == 200
    schema = schemathesis.openapi.from_dict(document.json())
    schema.config.update(base_url=open_stack.url)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operation"
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    before = count_applications(conference)

    for operation in operations:
        exercise_operation(operation, open_stack.url, statuses, failures)
    accepted = statuses[202]

    stored = count_applications(conference) - before
    write_artifact(
        "fuzz",
        {
            "operations": [f"{o.method.upper()} {o.path}" for o in operations],
            "examples": sum(statuses.values()),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
        },
    )
    assert failures == [], "\n".join(failures[:20])
    assert stored <= accepted
    assert sum(statuses.values()) >= 100


def exercise_operation(
    operation: Any, base_url: str, statuses: Counter[int], failures: list[str]
) -> None:
    from schemathesis import GenerationMode

    modes = st.sampled_from(["positive", "negative"])

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data(), mode=modes)
    def exercise(data: st.DataObject, mode: str) -> None:
        strategy = operation.as_strategy(generation_mode=GenerationMode(mode))
        case = data.draw(strategy)
        # Each example from its own device: this fuzzes the api, not the firewall's
        # per-client limit (tests/e2e/test_public_entry_local.py checks that).
        client = {"X-Forwarded-For": fake_client(f"fuzz-{sum(statuses.values())}")}
        response = case.call(base_url=base_url, headers=client, timeout=30)
        status = response.status_code
        statuses[status] += 1
        label = f"{case.method} {case.path} {mode}: {status}"
        if status >= 500:
            failures.append(f"{label} {response.text[:200]!r} body={case.body!r:.200}")
        elif 400 <= status < 500 and not _has_message(response.headers, response.content):
            failures.append(f"{label} without a message: {response.content[:200]!r}")

    exercise()


def _has_message(headers: dict[str, Any], body: bytes) -> bool:
    content_type = str(_header(headers, "content-type"))
    if content_type.startswith("application/json"):
        payload = json.loads(body)
        if isinstance(payload, dict) and payload.get("message"):
            return True
        errors = payload.get("errors") if isinstance(payload, dict) else None
        return bool(errors) and all(e.get("message") for e in errors)
    return content_type.startswith("text/html") and b"<main" in body


def _header(headers: dict[str, Any], name: str) -> Any:
    for key, value in headers.items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) else value
    return ""
