"""The admission run's write loop: several writes in flight, checkpoints, continuations.

Every guarantee of the one-by-one loop holds with writes in flight together: each
decision's email is queued before the decision is written, a crash in the middle leaves
nothing a re-run writes or mails twice, and a run that stops at a checkpoint (its time
running short) is completed by its continuation with every decision written once.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections import Counter
from collections.abc import Sequence

import pytest

import registrar.services.admissions as admissions
from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import RunInProgress
from registrar.mail_queue import MailRequest
from registrar.services.admissions import AdmissionsService, NothingToContinue
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    applicant_key,
    submit_and_register,
)

APPLICANTS = 240
CHECKPOINT = 50  # several checkpoints in one run
DECISIONS_PER_WRITE = 2


class CheckedApplications(MemoryApplications):
    """Refuses (and counts) a decision written before its email was queued."""

    def __init__(self, queue: MemoryQueue) -> None:
        super().__init__()
        self.queue = queue
        self.unannounced: list[str] = []
        self.saves = 0
        self.first_writes_together = False
        self.groups: list[int] = []  # the size of each write (decisions in one request)
        self._guard = threading.Lock()
        # The first writes wait for each other: they all get there only if that many are
        # in flight at once (as they are, waiting on DynamoDB): each group's first decision
        # is written by its own thread. A pool of fewer would never fill the barrier, and
        # the timeout would fail the test instead of hanging.
        self._first_writes = threading.Barrier(admissions.WRITES_IN_FLIGHT, timeout=30)

    def save(self, application: Application) -> Application:
        stored = self.items[(application.event_id, application.applicant_key)]
        if application.decision_version != stored.decision_version:
            mail = MailRequest.create(
                "accepted",  # the kind is part of the id: look for any kind at this version
                application.event_id,
                application.applicant_key,
                application.decision_version,
            )
            queued = {(m.applicant_key, m.version) for m in list(self.queue.sent)}
            if (mail.applicant_key, mail.version) not in queued:
                self.unannounced.append(application.public_id)
        with self._guard:
            self.saves += bool(application.decided_by_run)  # the run's writes, not seeding
            among_first = application.decided_by_run and self.saves <= admissions.WRITES_IN_FLIGHT
        if among_first:
            self._first_writes.wait()
            self.first_writes_together = True
        with self._guard:
            return super().save(application)

    def save_each(self, applications: Sequence[Application]) -> tuple[bool, ...]:
        with self._guard:
            self.groups.append(len(applications))
        return super().save_each(applications)


@pytest.fixture(autouse=True)
def small_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admissions, "CHECKPOINT_EVERY", CHECKPOINT)
    # Small writes, so that one checkpoint fills more writes than are in flight at once.
    monkeypatch.setattr(admissions, "DECISIONS_PER_WRITE", DECISIONS_PER_WRITE)


def _world(conference: Conference, store: MemoryApplications, queue: MemoryQueue) -> SettableClock:
    clock = SettableClock(conference.deadline - dt.timedelta(days=5))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(3), APPLICANT_KEYS
    )
    for number in range(APPLICANTS):
        body = valid_request(
            conference,
            number,
            group=conference.group_ids[number % len(conference.group_ids)],
            organisation=f"Org {number % 90}",
        )
        submit_and_register(registration, validate_submission(body, conference))
        registration.confirm(applicant_key(conference.id, f"erika.mustermann+{number}@example.org"))
    queue.sent.clear()
    clock.set(conference.closes_at)
    return clock


def _service(
    conference: Conference, store: MemoryApplications, runs: MemoryRuns, queue: MemoryQueue
) -> tuple[AdmissionsService, SettableClock]:
    """The run's service on a world of applicants, its lottery committed (a preview draws it)."""
    clock = _world(conference, store, queue)
    service = AdmissionsService(conference, store, runs, queue, clock, random.Random(1))
    service.run("deadline", dry_run=True)
    return service, clock


def _reference(
    conference: Conference, lotteries: MemoryRuns
) -> tuple[MemoryApplications, MemoryQueue]:
    """The same applicants decided by one uninterrupted run with the same lottery."""
    store, queue, runs = MemoryApplications(), MemoryQueue(), MemoryRuns()
    runs.lotteries = dict(lotteries.lotteries)
    clock = _world(conference, store, queue)
    AdmissionsService(conference, store, runs, queue, clock, random.Random(1)).run(
        "deadline", dry_run=False
    )
    return store, queue


def _decisions(store: MemoryApplications) -> dict[str, tuple[str, int, int | None]]:
    return {
        a.applicant_key: (a.status, a.decision_version, a.waitlist_position)
        for a in store.items.values()
    }


def test_writes_are_in_flight_together_and_each_mail_is_queued_before_its_decision(
    conference: Conference,
) -> None:
    queue = MemoryQueue()
    store, runs = CheckedApplications(queue), MemoryRuns()
    service, _ = _service(conference, store, runs, queue)
    run = service.run("deadline", dry_run=False)
    reference, reference_queue = _reference(conference, runs)
    assert store.first_writes_together
    assert store.unannounced == []
    # Decisions go out in writes of several, none across a checkpoint.
    assert store.groups == [DECISIONS_PER_WRITE] * (APPLICANTS // DECISIONS_PER_WRITE)
    assert _decisions(store) == _decisions(reference)
    assert sorted(m.message_id for m in queue.sent) == sorted(
        m.message_id for m in reference_queue.sent
    )
    assert run.finished_at is not None
    assert sum(run.change_counts.values()) == APPLICANTS


def test_a_crash_in_the_middle_of_concurrent_writes_then_a_rerun_decides_and_mails_once(
    conference: Conference,
) -> None:
    queue = MemoryQueue()
    store = CheckedApplications(queue)
    runs = MemoryRuns()
    service, clock = _service(conference, store, runs, queue)
    reference, reference_queue = _reference(conference, runs)
    honest_save = store.save
    saves = Counter[str]()
    lock = threading.Lock()

    def crashing_save(application: Application) -> Application:
        with lock:
            saves["n"] += 1
            crash = saves["n"] == 2 * CHECKPOINT + 7  # in the third checkpoint
        if crash:
            raise RuntimeError("Lambda timed out")
        return honest_save(application)

    store.save = crashing_save  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.run("deadline", dry_run=False)
    decided_by_crashed = sum(a.status != "new" for a in store.items.values())
    assert 2 * CHECKPOINT < decided_by_crashed < 3 * CHECKPOINT  # the rest was never started
    store.save = honest_save  # type: ignore[method-assign]
    clock.advance(dt.timedelta(minutes=20))  # the crashed run's lock has expired
    service.run("deadline", dry_run=False)

    assert _decisions(store) == _decisions(reference)  # each decision written once
    assert store.unannounced == []
    # The crashed checkpoint's mails were queued again; their ids are those of one
    # uninterrupted run, and the mailer sends an id once: each email once.
    assert {m.message_id for m in queue.sent} == {m.message_id for m in reference_queue.sent}
    per_applicant = Counter(m.applicant_key for m in {m.message_id: m for m in queue.sent}.values())
    assert set(per_applicant.values()) == {1}


def test_a_run_short_of_time_stops_at_a_checkpoint_and_its_continuation_completes_it(
    conference: Conference,
) -> None:
    queue = MemoryQueue()
    store = CheckedApplications(queue)
    runs = MemoryRuns()
    service, clock = _service(conference, store, runs, queue)
    reference, reference_queue = _reference(conference, runs)
    checkpoints = Counter[str]()

    def short_after_two_checkpoints() -> bool:
        checkpoints["asked"] += 1
        return checkpoints["asked"] > 2

    stopped = service.run("deadline", dry_run=False, time_is_short=short_after_two_checkpoints)
    assert stopped.finished_at is None
    assert sum(a.status != "new" for a in store.items.values()) == 2 * CHECKPOINT
    assert sum(stopped.change_counts.values()) == 2 * CHECKPOINT
    assert sum(stopped.emails_queued.values()) == len(queue.sent) == 2 * CHECKPOINT
    assert runs.list(conference.id) == [stopped]
    # The run keeps its lock: nothing else runs between the two invocations.
    with pytest.raises(RunInProgress):
        service.run("organiser", dry_run=False)

    clock.advance(dt.timedelta(seconds=5))  # the new invocation
    finished = service.continue_run(stopped.run_id)

    assert finished.run_id == stopped.run_id and finished.seed == stopped.seed
    assert finished.finished_at is not None and runs.list(conference.id) == [finished]
    assert finished.inputs_digest == stopped.inputs_digest
    assert _decisions(store) == _decisions(reference)
    assert store.unannounced == []
    sent = [m.message_id for m in queue.sent]
    assert len(sent) == len(set(sent))  # not even queued twice
    assert set(sent) == {m.message_id for m in reference_queue.sent}
    assert sum(finished.change_counts.values()) == APPLICANTS
    assert sum(finished.emails_queued.values()) == APPLICANTS
    assert runs.lock is None  # released once finished
    with pytest.raises(NothingToContinue):
        service.continue_run(stopped.run_id)  # a second delivery of the hand-over


def test_only_an_applied_unfinished_run_of_the_event_can_be_continued(
    conference: Conference,
) -> None:
    queue = MemoryQueue()
    store, runs = MemoryApplications(), MemoryRuns()
    clock = _world(conference, store, queue)
    service = AdmissionsService(conference, store, runs, queue, clock, random.Random(1))
    with pytest.raises(NothingToContinue):
        service.continue_run("20230411T000000000000Z-abcdef")
    writes = store.writes
    preview = service.run("organiser", dry_run=True)
    with pytest.raises(NothingToContinue):
        service.continue_run(preview.run_id)
    assert store.writes == writes and queue.sent == []
