"""Benchmark: a whole admissions run on the embedded local stack, and a re-run with no change.

Applications are written straight into the local DynamoDB (the submission path is measured
elsewhere); the run itself goes through the real admissions handler. Every AWS request made
by any client in the process (boto3 and pynamodb alike) is counted by service and operation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import botocore.client

from registrar.application import Application
from registrar.conference import load_conference
from registrar.identity import applicant_key
from registrar.services.registration import RegistrationService
from registrar.store.dynamo import _to_item
from registrar.store.models import ApplicationItem
from registrar.submission import validate_submission
from registrar_cli.local.seed import fake_applicant
from registrar_cli.local.stack import LocalStack

_original_call = botocore.client.BaseClient._make_api_call
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


class RequestCounts(Counter[str]):
    """Requests by ``service:operation``; writes to the applications table counted apart."""

    application_writes = 0


@contextmanager
def counting_requests() -> Iterator[RequestCounts]:
    counts = RequestCounts()

    def counted(self: Any, operation: str, params: Any) -> Any:
        service = self.meta.service_model.service_name
        counts[f"{service}:{operation}"] += 1
        if operation in _WRITES and params.get("TableName") == ApplicationItem.Meta.table_name:
            counts.application_writes += 1
        return _original_call(self, operation, params)

    botocore.client.BaseClient._make_api_call = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        botocore.client.BaseClient._make_api_call = _original_call  # type: ignore[method-assign]


class _Collected:
    """Just enough of the repository for submit and confirm, in memory."""

    def __init__(self) -> None:
        self.items: dict[str, Application] = {}

    def add(self, application: Application) -> bool:
        if application.applicant_key in self.items:
            return False
        self.items[application.applicant_key] = application.model_copy(update={"version": 1})
        return True

    def get(self, event_id: str, key: str) -> Application | None:
        found = self.items.get(key)
        return found.model_copy(deep=True) if found else None

    def save(self, application: Application) -> Application:
        self.items[application.applicant_key] = application
        return application


class _NoMail:
    def enqueue(self, requests: list[Any]) -> None:
        return None


def _dynamo(counts: Counter[str]) -> int:
    return sum(n for key, n in counts.items() if key.startswith("dynamodb:"))


def run(applicants: int) -> dict[str, Any]:
    conference = load_conference("kassel-2023")
    with tempfile.TemporaryDirectory() as folder:
        stack = LocalStack(
            outbox_dir=Path(folder) / "outbox", now=conference.opens_at, port=0, seed=1
        )
        stack.log_file = Path(folder) / "functions.log"
        stack.start()
        try:
            rng = random.Random(5)
            # Applications are made by the real service into memory, then batch-written:
            # the run is what is measured, and seeding one by one through moto is slow.
            collected = _Collected()
            registration = RegistrationService(conference, collected, _NoMail(), stack.clock, rng)
            stack.clock.set(conference.deadline - dt.timedelta(days=2))
            for number in range(applicants):
                body = fake_applicant(conference, rng, number)
                registration.submit(validate_submission(body, conference))
                registration.confirm(applicant_key(conference.id, body["email"]))
            with ApplicationItem.batch_write() as batch:
                for application in collected.items.values():
                    batch.save(_to_item(application))
            results: dict[str, Any] = {"applicants": applicants}
            for label, at in (
                ("deadline_run", conference.closes_at),
                ("rerun_nothing_changed", conference.closes_at + dt.timedelta(hours=1)),
            ):
                stack.clock.set(at)
                with counting_requests() as counts:
                    started = time.perf_counter()
                    result = stack.invoke(
                        "AdmissionsFunction", {"trigger": "organiser", "dry_run": False}
                    )
                    seconds = time.perf_counter() - started
                run = result["run"]
                results[label] = {
                    "seconds": round(seconds, 2),
                    "changes": sum(run["change_counts"].values()),
                    "emails_queued": sum(run["emails_queued"].values()),
                    "dynamodb_requests": _dynamo(counts),
                    "dynamodb_requests_per_application": round(_dynamo(counts) / applicants, 3),
                    "dynamodb_writes": sum(
                        n for key, n in counts.items() if key.partition(":")[2] in _WRITES
                    ),
                    "application_writes": counts.application_writes,
                    "requests": dict(sorted(counts.items())),
                }
            return results
        finally:
            stack.stop()


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.applicants)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for label in ("deadline_run", "rerun_nothing_changed"):
            r = results[label]
            print(
                f"{label:24} {r['seconds']:8.2f} s  changes {r['changes']:6}  emails {r['emails_queued']:6}  "
                f"DynamoDB requests/application {r['dynamodb_requests_per_application']:.3f}  "
                f"writes {r['dynamodb_writes']} (applications {r['application_writes']})"
            )
    return results


if __name__ == "__main__":
    main()
