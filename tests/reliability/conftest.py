"""Reliability fixtures: one embedded local stack per module, over HTTP on loopback.

The stack changes the process environment (endpoint, table names); the fixture puts the
environment back afterwards so the moto-decorator tests that follow see none of it.
"""

from __future__ import annotations

import datetime as dt
import http.client
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from registrar.conference import Conference
from registrar_local.gateway import Gateway
from registrar_local.seed import fake_client
from registrar_local.stack import LocalStack

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
_REQUESTS = itertools.count()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Local:
    stack: LocalStack
    gateway: Gateway
    log_file: Path

    @property
    def url(self) -> str:
        return self.stack.api_url

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> Reply:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        # Each request from its own client address: these suites load and attack the api,
        # not the firewall's per-address POST limit (tests/integration/test_public_entry).
        sent = {"X-Forwarded-For": fake_client(f"{method} {path} {next(_REQUESTS)}")}
        try:
            connection.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            return Reply(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def post_json(self, path: str, payload: Any) -> Reply:
        return self.request(
            "POST",
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json", "Accept": "application/json"},
        )


def count_applications(conference: Conference) -> int:
    from registrar.store.models import ApplicationItem

    return sum(1 for _ in ApplicationItem.query(conference.id, consistent_read=True))


def write_artifact(section: str, values: dict[str, Any]) -> None:
    """Figures for the note: merged into artifacts/reliability.json, one section per test."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "reliability.json"
    current = json.loads(target.read_text(encoding="utf-8")) if target.is_file() else {}
    current[section] = values
    target.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def local_stack(tmp_path: Path, now: dt.datetime, seed: int) -> Iterator[Local]:
    saved = dict(os.environ)
    stack = LocalStack(outbox_dir=tmp_path / "outbox", now=now, port=0, seed=seed)
    stack.log_file = tmp_path / "functions.log"
    gateway = Gateway(stack)
    stack.start()
    gateway.start()
    try:
        yield Local(stack, gateway, stack.log_file)
    finally:
        gateway.stop()
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def open_stack(tmp_path_factory: pytest.TempPathFactory, conference: Conference) -> Iterator[Local]:
    """Registration open, a week before the deadline."""
    yield from local_stack(
        tmp_path_factory.mktemp("stack"), conference.deadline - dt.timedelta(days=7), seed=8
    )
