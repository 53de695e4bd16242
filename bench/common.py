"""What the benchmarks share: a local stack for one run, and counting every AWS request."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import botocore.client

from registrar.conference import Conference
from registrar.store.models import ApplicationItem
from registrar_local.stack import LocalStack

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


@contextmanager
def local_stack(conference: Conference, *, moto_in_process: bool = True) -> Iterator[LocalStack]:
    """The embedded local stack in a scratch folder (outbox, function log), stopped after;
    ``moto_in_process`` False: moto in a process of its own (``registrar_local.moto_process``)."""
    with tempfile.TemporaryDirectory() as folder:
        stack = LocalStack(
            outbox_dir=Path(folder) / "outbox",
            now=conference.opens_at,
            port=0,
            seed=1,
            moto_in_process=moto_in_process,
        )
        stack.log_file = Path(folder) / "functions.log"
        stack.start()
        try:
            yield stack
        finally:
            stack.stop()


class NoMail:
    """A mail queue for seeding: what seeding would queue is not what is measured."""

    def enqueue(self, requests: list[Any]) -> None:
        return None


class RequestCounts(Counter[str]):
    """Requests by ``service:operation``; requests that write the applications table (one
    transaction of many decisions is one) counted apart."""

    application_writes = 0


def _writes_applications(params: Any) -> bool:
    """Whether a write request writes the applications table (a transaction: any action)."""
    table = ApplicationItem.Meta.table_name
    if params.get("TableName") == table:
        return True
    actions = params.get("TransactItems", ())
    return any(next(iter(action.values())).get("TableName") == table for action in actions)


@contextmanager
def counting_requests() -> Iterator[RequestCounts]:
    """Every request any botocore client in this process makes (boto3 and pynamodb alike)."""
    counts = RequestCounts()
    counting = threading.Lock()  # requests come from several threads (admissions writes)

    def counted(self: Any, operation: str, params: Any) -> Any:
        service = self.meta.service_model.service_name
        with counting:
            counts[f"{service}:{operation}"] += 1
            if operation in WRITES and _writes_applications(params):
                counts.application_writes += 1
        return call(self, operation, params)

    call = botocore.client.BaseClient._make_api_call  # botocore's own, or another wrapper
    botocore.client.BaseClient._make_api_call = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        botocore.client.BaseClient._make_api_call = call  # type: ignore[method-assign]


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) another process has used so far (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def injected_latency(service: str, seconds: float) -> Iterator[None]:
    """Every request to ``service`` from any botocore client here waits ``seconds`` more,
    before it is sent (the thread sleeps, as it would wait on the network)."""

    def slowed(self: Any, operation: str, params: Any) -> Any:
        if self.meta.service_model.service_name == service:
            time.sleep(seconds)
        return call(self, operation, params)

    call = botocore.client.BaseClient._make_api_call
    botocore.client.BaseClient._make_api_call = slowed  # type: ignore[method-assign]
    try:
        yield
    finally:
        botocore.client.BaseClient._make_api_call = call  # type: ignore[method-assign]
