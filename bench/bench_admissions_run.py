"""Benchmark: a whole admissions run on the embedded local stack, and a re-run with no change.

Applications are written straight into the local DynamoDB (the submission path is measured
elsewhere); the run itself goes through the real admissions handler. Every AWS request made
by any client in the process (boto3 and pynamodb alike) is counted by service and operation.

``latency_injected``: the deadline run again, on fresh stacks, with a fixed wait added to
every DynamoDB request (as DynamoDB's network time in AWS, which the local stack lacks):
the same code writing one decision at a time (``WRITES_IN_FLIGHT`` = 1, the loop as it was)
and with its writes in flight together, side by side. Both stacks run moto in a process of
its own, reached over loopback HTTP, as DynamoDB's work runs on AWS's machines and not in
the function: the function's CPU and moto's are measured apart (per application).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from common import (
    WRITES,
    NoMail,
    RequestCounts,
    counting_requests,
    injected_latency,
    local_stack,
    process_cpu_seconds,
)

import registrar.services.admissions as admissions
from registrar import runtime
from registrar.application import Application
from registrar.conference import Conference, load_conference
from registrar.services.registration import RegistrationService
from registrar.store.dynamo import _to_item
from registrar.store.interfaces import ReceivedSubmission
from registrar.store.models import ApplicationItem
from registrar.submission import validate_submission
from registrar_local.seed import fake_applicant
from registrar_local.stack import LocalStack


class _Collected:
    """Just enough of the repository for submit and confirm, in memory."""

    def __init__(self) -> None:
        self.items: dict[str, Application] = {}

    def add(self, application: Application) -> bool:
        if application.applicant_key in self.items:
            return False
        self.items[application.applicant_key] = application.model_copy(update={"version": 1})
        return True

    def receive(self, submission: ReceivedSubmission) -> None:
        # Registered at once, as the receipts function does after the answer (every
        # address is new here, so registering is storing).
        self.add(submission.application)

    def get(self, event_id: str, key: str) -> Application | None:
        found = self.items.get(key)
        return found.model_copy(deep=True) if found else None

    def save(self, application: Application) -> Application:
        self.items[application.applicant_key] = application
        return application


def _dynamo(counts: RequestCounts) -> int:
    return sum(n for key, n in counts.items() if key.startswith("dynamodb:"))


@contextmanager
def seeded_stack(
    conference: Conference, applicants: int, *, moto_in_process: bool = True
) -> Iterator[LocalStack]:
    """A local stack holding ``applicants`` confirmed applications, before the deadline run."""
    with local_stack(conference, moto_in_process=moto_in_process) as stack:
        rng = random.Random(5)
        # Applications are made by the real service into memory, then batch-written:
        # the run is what is measured, and seeding one by one through moto is slow.
        collected = _Collected()
        keys = runtime.current().applicant_keys
        registration = RegistrationService(conference, collected, NoMail(), stack.clock, rng, keys)
        stack.clock.set(conference.deadline - dt.timedelta(days=2))
        for number in range(applicants):
            body = fake_applicant(conference, rng, number)
            registration.submit(validate_submission(body, conference))
            registration.confirm(keys.of(conference.id, body["email"]))
        with ApplicationItem.batch_write() as batch:
            for application in collected.items.values():
                batch.save(_to_item(application))
        # The seeded tables are DynamoDB's memory in AWS, not the function's: the collector
        # need not walk them (moto's items, about 900,000 objects) during the run, here or
        # in moto's own process.
        gc.collect()
        gc.freeze()
        stack.freeze_moto_memory()
        try:
            yield stack
        finally:
            gc.unfreeze()


def _measured(stack: LocalStack, applicants: int, at: dt.datetime) -> dict[str, Any]:
    stack.clock.set(at)
    moto = stack.moto_process_id
    with counting_requests() as counts:
        moto_cpu = process_cpu_seconds(moto) if moto else 0.0
        cpu = time.process_time()
        started = time.perf_counter()
        result = stack.invoke("AdmissionsFunction", {"trigger": "organiser", "dry_run": False})
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        moto_cpu = process_cpu_seconds(moto) - moto_cpu if moto else 0.0
    run = result["run"]
    return {
        "seconds": round(seconds, 2),
        # CPU per application: this process's (the function's, and moto's when it runs
        # here) and, when moto runs in its own process, moto's.
        "cpu_ms_per_application": {
            "function": round(1000 * cpu / applicants, 2),
            **({"moto": round(1000 * moto_cpu / applicants, 2)} if moto else {}),
        },
        "changes": sum(run["change_counts"].values()),
        "emails_queued": sum(run["emails_queued"].values()),
        "dynamodb_requests": _dynamo(counts),
        "dynamodb_requests_per_application": round(_dynamo(counts) / applicants, 3),
        "dynamodb_writes": sum(n for key, n in counts.items() if key.partition(":")[2] in WRITES),
        "application_writes": counts.application_writes,
        "requests": dict(sorted(counts.items())),
    }


def run(applicants: int) -> dict[str, Any]:
    conference = load_conference("kassel-2023")
    results: dict[str, Any] = {"applicants": applicants}
    with seeded_stack(conference, applicants) as stack:
        for label, at in (
            ("deadline_run", conference.closes_at),
            ("rerun_nothing_changed", conference.closes_at + dt.timedelta(hours=1)),
        ):
            results[label] = _measured(stack, applicants, at)
    return results


def with_latency(applicants: int, latency_ms: float) -> dict[str, Any]:
    """The deadline run, one write at a time and with writes in flight, each request to
    DynamoDB waiting ``latency_ms`` longer."""
    conference = load_conference("kassel-2023")
    figures: dict[str, Any] = {}
    concurrent = admissions.WRITES_IN_FLIGHT
    for label, in_flight in (("sequential", 1), ("concurrent", concurrent)):
        with seeded_stack(conference, applicants, moto_in_process=False) as stack:
            admissions.WRITES_IN_FLIGHT = in_flight
            try:
                with injected_latency("dynamodb", latency_ms / 1000):
                    figures[label] = _measured(stack, applicants, conference.closes_at)
            finally:
                admissions.WRITES_IN_FLIGHT = concurrent
    sequential, parallel = figures["sequential"], figures["concurrent"]
    assert sequential["changes"] == parallel["changes"] == applicants  # the same decisions
    return {
        "applicants": applicants,
        "latency_ms_per_dynamodb_request": latency_ms,
        "writes_in_flight": concurrent,
        "moto": "own process",
        "sequential_s": sequential["seconds"],
        "concurrent_s": parallel["seconds"],
        "speedup": round(sequential["seconds"] / parallel["seconds"], 2),
        "cpu_ms_per_application": {
            "sequential": sequential["cpu_ms_per_application"],
            "concurrent": parallel["cpu_ms_per_application"],
        },
        "requests": parallel["requests"],
        "emails_queued": parallel["emails_queued"],
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=10.0)
    parser.add_argument("--only-latency", action="store_true", help="only the latency pair")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {} if args.only_latency else run(args.applicants)
    results["latency_injected"] = with_latency(args.applicants, args.latency_ms)
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        for label in ("deadline_run", "rerun_nothing_changed"):
            if label not in results:
                continue
            r = results[label]
            print(
                f"{label:24} {r['seconds']:8.2f} s  changes {r['changes']:6}  emails {r['emails_queued']:6}  "
                f"DynamoDB requests/application {r['dynamodb_requests_per_application']:.3f}  "
                f"writes {r['dynamodb_writes']} (applications {r['application_writes']})"
            )
        lat = results["latency_injected"]
        print(
            f"with {lat['latency_ms_per_dynamodb_request']} ms per DynamoDB request: one write "
            f"at a time {lat['sequential_s']} s, {lat['writes_in_flight']} in flight "
            f"{lat['concurrent_s']} s = {lat['speedup']}x faster"
        )
        for label, cpu in lat["cpu_ms_per_application"].items():
            print(
                f"  {label}: CPU ms per application, function {cpu['function']}, moto {cpu['moto']}"
            )
    return results


if __name__ == "__main__":
    main()
