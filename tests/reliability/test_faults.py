"""Faults in one admissions cycle, compared with a clean cycle of the same seed.

Ground truth is a clean stack: the same fake applicants (same seed, same order), the
deadline event delivered once, the mail drained without faults. The faulty stack then:

- dies half way through its first run (the repository's writes of decisions raise once
  N decisions are written, N drawn from a seeded generator), as a Lambda timing out or
  running out of memory would;
- gets the deadline event again, twice at the same moment (the scheduler delivers at
  least once and retries a failed invocation), from two threads;
- drains the mail queue with SES throttling and failing at random (and failing every try
  for one applicant), then the queue hands out a share of the handled records again;
- recovers as an operator would once SES is healthy: the dead-letter queue (where a
  message that failed on all its receives went) is redriven (`registrar mail redrive`).

Afterwards decisions, emails queued and emails sent must equal the clean cycle's.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

import registrar.services.admissions as admissions
from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar_cli.failures import redrive_dead_letters
from registrar_local.functions import invoke
from registrar_local.infra import template as tpl
from registrar_local.seed import _GIVEN, FAMILY_NAMES, confirm, confirm_links, seed_applicants
from registrar_local.stack import REGION
from tests.reliability.conftest import Local, local_stack, write_artifact
from tests.support.mail import SesSpy, message_id_of, sent_messages

pytestmark = pytest.mark.reliability

APPLICANTS = 60
STACK_SEED = 20230410
FAULT_SEED = 511
DECISION_KINDS = {"accepted", "waitlisted", "not_admitted", "offered"}


class CrashAfter:
    """Replaces the repository's writes of decisions: writes go through until the next would
    take the decisions written past N, then the process 'dies' (a write is a transaction:
    DynamoDB applies all of it or none)."""

    def __init__(self, writes: int) -> None:
        self.allowed = writes
        self.done = 0
        self.original = DynamoApplications.save_each
        self._counting = threading.Lock()  # writes are in flight together

    def as_method(self) -> Any:
        def save_each(repository: DynamoApplications, applications: Any) -> Any:
            with self._counting:
                if self.done + len(applications) > self.allowed:
                    raise SimulatedCrash(f"killed after {self.done} writes")
                self.done += len(applications)
            return self.original(repository, applications)

        return save_each


class SimulatedCrash(Exception):
    pass


class LogCapture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def deadline_event(local: Local, conference: Conference) -> tuple[str, dict[str, Any]]:
    stack = local.stack
    assert stack.stack is not None
    specs = tpl.schedules(dict(stack.stack.template), stack.stack.params)
    spec = next(s for s in specs.values() if s.input.get("trigger") == "deadline")
    at = conference.closes_at.astimezone(dt.UTC)
    return spec.function_logical_id, {**spec.input, "scheduled_time": at.isoformat()}


def decisions(conference: Conference) -> dict[str, tuple[Any, ...]]:
    return {
        a.email: (
            a.status,
            sorted(a.workshops.items()),
            sorted(a.extras.items()),
            a.waitlist_position,
        )
        for a in DynamoApplications().list(conference.id)
    }


def queued_bodies(local: Local) -> list[dict[str, Any]]:
    """Every record in the mail queue, left in place (visible again at once)."""
    assert local.stack.stack is not None
    sqs = boto3.client("sqs", region_name=REGION, endpoint_url=local.stack.endpoint_url)
    url = str(local.stack.stack.outputs["MailQueueUrl"])
    bodies: list[dict[str, Any]] = []
    handles: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            break
        bodies.extend(json.loads(m["Body"]) for m in messages)
        handles.extend(m["ReceiptHandle"] for m in messages)
    for handle in handles:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    return bodies


def sent_by_recipient(local: Local) -> dict[str, Counter[str]]:
    local.stack.collect_sent_mail()
    result: dict[str, Counter[str]] = {}
    for entry in local.stack.outbox.entries:
        result.setdefault(entry.recipient, Counter())[entry.kind] += 1
    return result


def with_applicants(local: Local, conference: Conference) -> None:
    """Every applicant registers over HTTP and confirms through the link in the receipt."""
    stack = local.stack
    # Each applicant registers themselves: the counts below are per recipient, and an
    # office receives mail for up to three people (tests/integration/test_on_behalf_and_
    # substitute.py checks where those mails go).
    result, _ = seed_applicants(conference, stack.api_url, APPLICANTS, STACK_SEED, offices=False)
    assert (result.submitted, result.refused) == (APPLICANTS, 0)
    stack.drain_mail()
    receipts = [e.file for e in stack.outbox.entries if e.kind == "receipt"]
    links = confirm_links(stack.outbox_dir, receipts)
    assert len(links) == APPLICANTS
    assert [confirm(link) for link in links] == [200] * APPLICANTS
    stack.drain_mail()
    stack.clock.set(conference.closes_at + dt.timedelta(minutes=1))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, conference: Conference) -> dict[str, Any]:
    start = conference.opens_at + dt.timedelta(days=1)
    for local in local_stack(tmp_path_factory.mktemp("clean"), start, STACK_SEED):
        with_applicants(local, conference)
        function_id, event = deadline_event(local, conference)
        result = local.stack.invoke(function_id, event)
        assert result.get("ok", True), result
        local.stack.drain_mail()
        return {"decisions": decisions(conference), "sent": sent_by_recipient(local)}
    raise AssertionError("the local stack did not start")


@pytest.fixture(scope="module")
def faulty(
    tmp_path_factory: pytest.TempPathFactory, conference: Conference, clean: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    start = conference.opens_at + dt.timedelta(days=1)
    capture = LogCapture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.INFO)
    try:
        for local in local_stack(tmp_path_factory.mktemp("faulty"), start, STACK_SEED):
            yield run_faulty_cycle(local, conference, capture)
    finally:
        root.removeHandler(capture)
        root.setLevel(previous_level)


def run_faulty_cycle(local: Local, conference: Conference, capture: LogCapture) -> dict[str, Any]:
    rng = random.Random(FAULT_SEED)
    with_applicants(local, conference)
    function_id, event = deadline_event(local, conference)
    handler = local.stack._handlers[function_id]
    facts: dict[str, Any] = {"capture": capture, "local": local}

    # 1. The first delivery dies after N writes.
    crash = CrashAfter(rng.randrange(1, APPLICANTS // 2))
    facts["crash_after"] = crash.allowed
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DynamoApplications, "save_each", crash.as_method())
        # Writes of three decisions: many in flight, and the crash falls between them.
        patch.setattr(admissions, "DECISIONS_PER_WRITE", 3)
        with pytest.raises(SimulatedCrash):
            invoke(handler, function_id, event)
    facts["written_before_crash"] = crash.done

    # 2. The retry arrives twice at the same moment.
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def deliver() -> None:
        barrier.wait(timeout=30)
        try:
            result = invoke(handler, function_id, dict(event))
        except Exception as error:  # the in-progress duplicate fails, Lambda would retry
            outcomes.append(type(error).__name__)
        else:
            outcomes.append("applied" if result.get("ok", True) else f"refused:{result['error']}")

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    facts["concurrent_outcomes"] = sorted(outcomes)
    # 3. ...and once more later: answered from the idempotency record, nothing new.
    again = invoke(handler, function_id, dict(event))
    facts["late_redelivery"] = again

    # Applied runs that finished; the crashed one left an unfinished record with its seed.
    facts["runs"] = [r for r in DynamoRuns().list(conference.id) if not r.dry_run and r.finished_at]
    facts["decisions"] = decisions(conference)
    facts["queued"] = queued_bodies(local)

    # 4. Drain with SES failing at random; then the queue redelivers handled records.
    # One applicant's mail fails on every try until recovery, so it is dead-lettered.
    unlucky = rng.choice(sorted({b["applicant_key"] for b in facts["queued"]}))
    spy = SesSpy(
        runtime.current()._sesv2,
        rng=random.Random(FAULT_SEED + 1),
        throttle=0.2,
        transient=0.2,
        outage_for=frozenset({unlucky}),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runtime.current(), "_sesv2", spy)
        local.stack.drain_mail()
        assert local.stack.stack is not None
        sqs = boto3.client("sqs", region_name=REGION, endpoint_url=local.stack.endpoint_url)
        url = str(local.stack.stack.outputs["MailQueueUrl"])
        redelivered = [b for b in facts["queued"] if rng.random() < 0.3]
        for body in redelivered:
            sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))
        local.stack.drain_mail()
    # 5. Recovery: SES is healthy again (the spy is gone); the dead-lettered requests go
    # back to the queue.
    dead_letters = str(local.stack.stack.outputs["MailDeadLetterQueueUrl"])
    facts["redriven"], unreadable = redrive_dead_letters(sqs, dead_letters, url)
    assert unreadable == 0
    local.stack.drain_mail()
    facts["ses"] = spy
    facts["redelivered"] = len(redelivered)
    facts["sent"] = sent_by_recipient(local)
    facts["sent_ids"] = Counter(message_id_of(m) for m in sent_messages())
    return facts


def test_exactly_one_run_is_applied_despite_crash_and_double_delivery(
    faulty: dict[str, Any],
) -> None:
    assert 0 < faulty["written_before_crash"] < APPLICANTS
    assert len(faulty["runs"]) == 1, "exactly one applied run"
    assert faulty["concurrent_outcomes"].count("applied") == 1, faulty["concurrent_outcomes"]
    # The late copy is answered from the idempotency record (runs are counted after it).
    assert faulty["late_redelivery"].get("ok", True), faulty["late_redelivery"]


def test_the_decisions_equal_the_clean_runs(clean: dict[str, Any], faulty: dict[str, Any]) -> None:
    assert faulty["decisions"] == clean["decisions"]


def test_every_decision_email_is_queued_once_per_applicant(faulty: dict[str, Any]) -> None:
    decision_ids: dict[str, set[str]] = {}
    for body in faulty["queued"]:
        if body["kind"] in DECISION_KINDS:
            decision_ids.setdefault(body["applicant_key"], set()).add(body["message_id"])
    assert len(decision_ids) == APPLICANTS
    assert all(len(ids) == 1 for ids in decision_ids.values())


def test_every_email_is_sent_once_and_only_once(faulty: dict[str, Any]) -> None:
    ses: SesSpy = faulty["ses"]
    write_artifact(
        "faults",
        {
            "applicants": APPLICANTS,
            "crash_after_writes": faulty["crash_after"],
            "concurrent_outcomes": faulty["concurrent_outcomes"],
            "ses_failures": ses.failures,
            "ses_calls": ses.calls,
            "redelivered": faulty["redelivered"],
            "redriven_from_dead_letters": faulty["redriven"],
        },
    )
    assert set(faulty["sent_ids"].values()) == {1}, "a message id was sent twice"
    assert len(faulty["sent"]) == APPLICANTS
    for kinds in faulty["sent"].values():
        assert kinds["receipt"] == 1
        assert sum(kinds[k] for k in DECISION_KINDS) <= 1
    # The faults really happened, or this proves nothing.
    assert sum(ses.failures.values()) >= 5 and faulty["redelivered"] >= 5
    assert faulty["redriven"] >= 1, "the outage dead-lettered nothing"


def test_the_emails_sent_equal_the_clean_cycles(
    clean: dict[str, Any], faulty: dict[str, Any]
) -> None:
    for kinds in faulty["sent"].values():
        assert sum(kinds[k] for k in DECISION_KINDS) == 1
    assert faulty["sent"] == clean["sent"]


def test_no_name_or_address_in_any_log_of_the_cycle(faulty: dict[str, Any]) -> None:
    local: Local = faulty["local"]
    logs = "\n".join(faulty["capture"].lines) + Path(local.log_file).read_text(encoding="utf-8")
    assert logs, "the cycle logged nothing: the capture is broken"
    addresses = set(faulty["sent"])
    assert len(addresses) == APPLICANTS
    leaked = sorted(a for a in addresses if a in logs)
    assert leaked == []
    names = [f"{given} {family}" for given in _GIVEN for family in FAMILY_NAMES]
    assert [n for n in names if n in logs] == []
    assert [f for f in ("Mustermann", "Musterfrau", "Platzhalter", "Testweg") if f in logs] == []
