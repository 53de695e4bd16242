"""Benchmark: a whole admissions run on the embedded local stack, and a re-run with no change.

Applications are written straight into the local DynamoDB (the submission path is measured
elsewhere); the run itself goes through the real admissions handler. Every AWS request made
by any client in the process (boto3 and pynamodb alike) is counted by service and operation.

``latency_injected``: the deadline run again, on fresh stacks, with a fixed wait added to
every DynamoDB request (as DynamoDB's network time in AWS, which the local stack lacks),
side by side: ``sequential`` as the loop was (one conditional PutItem per decision, one
after another: ``DECISIONS_PER_WRITE`` = ``WRITES_IN_FLIGHT`` = 1), ``concurrent`` as the
run writes now (several decisions in one transaction, several transactions in flight), and
each half alone. The stacks run moto in a process of its own, reached over loopback HTTP,
as DynamoDB's work runs on AWS's machines and not in the function: the function's CPU and
moto's are measured apart (per application).
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


# The ways of writing measured with latency: (decisions in one request, requests in flight).
# "sequential" is the loop before writes went out together (one conditional PutItem per
# decision, one after another); "concurrent" is the run as it writes now. The other two
# tell the gain of each half alone.
WAYS = {
    "sequential": (1, 1),
    "concurrent": (admissions.DECISIONS_PER_WRITE, admissions.WRITES_IN_FLIGHT),
    "one_decision_per_request_in_flight": (1, admissions.WRITES_IN_FLIGHT),
    "grouped_one_request_at_a_time": (admissions.DECISIONS_PER_WRITE, 1),
}


def with_latency(applicants: int, latency_ms: float) -> dict[str, Any]:
    """The deadline run written each way of ``WAYS``, each on a fresh stack, each request
    to DynamoDB waiting ``latency_ms`` longer."""
    conference = load_conference("kassel-2023")
    figures: dict[str, Any] = {}
    for label, (per_write, in_flight) in WAYS.items():
        with (
            seeded_stack(conference, applicants, moto_in_process=False) as stack,
            _setting("DECISIONS_PER_WRITE", per_write),
            _setting("WRITES_IN_FLIGHT", in_flight),
            injected_latency("dynamodb", latency_ms / 1000),
        ):
            figures[label] = _measured(stack, applicants, conference.closes_at)
    assert {figure["changes"] for figure in figures.values()} == {applicants}  # same decisions
    sequential, parallel = figures["sequential"], figures["concurrent"]
    return {
        "applicants": applicants,
        "latency_ms_per_dynamodb_request": latency_ms,
        "writes_in_flight": admissions.WRITES_IN_FLIGHT,
        "decisions_per_write": admissions.DECISIONS_PER_WRITE,
        "moto": "own process",
        "sequential_s": sequential["seconds"],
        "concurrent_s": parallel["seconds"],
        "speedup": round(sequential["seconds"] / parallel["seconds"], 2),
        "ways": {
            label: {
                "decisions_per_write": WAYS[label][0],
                "writes_in_flight": WAYS[label][1],
                "seconds": figure["seconds"],
                "speedup": round(sequential["seconds"] / figure["seconds"], 2),
                "application_write_requests": figure["application_writes"],
            }
            for label, figure in figures.items()
        },
        "cpu_ms_per_application": {
            label: figure["cpu_ms_per_application"] for label, figure in figures.items()
        },
        "requests": parallel["requests"],
        "emails_queued": parallel["emails_queued"],
    }


@contextmanager
def _setting(name: str, value: int) -> Iterator[None]:
    """One of the run's settings (``services.admissions``) changed for a measurement."""
    kept = getattr(admissions, name)
    setattr(admissions, name, value)
    try:
        yield
    finally:
        setattr(admissions, name, kept)


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
        print(f"with {lat['latency_ms_per_dynamodb_request']} ms per DynamoDB request:")
        for label, way in lat["ways"].items():
            print(
                f"  {label:36} {way['decisions_per_write']:3} per request, "
                f"{way['writes_in_flight']:3} in flight: {way['seconds']:8.2f} s "
                f"= {way['speedup']}x the sequential"
            )
        for label, cpu in lat["cpu_ms_per_application"].items():
            print(
                f"  {label}: CPU ms per application, function {cpu['function']}, moto {cpu['moto']}"
            )
    return results


if __name__ == "__main__":
    main()
