"""Load: 2,000 submissions from 32 concurrent clients over HTTP, 200 of them racing pairs.

Each pair posts the same address at the same moment (a barrier releases both threads);
the conditional put must store it once and answer both alike. Latencies are recorded for
the note (artifacts/reliability.json), never asserted: targets belong to the benchmarks.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from tests.conftest import valid_request
from tests.reliability.conftest import Local, write_artifact

pytestmark = pytest.mark.reliability

CLIENTS = 32
SUBMISSIONS = 2_000
RACING_PAIRS = 200
SINGLES = SUBMISSIONS - 2 * RACING_PAIRS


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_two_thousand_submissions_with_racing_pairs(
    open_stack: Local, conference: Conference
) -> None:
    bodies = [valid_request(conference, number) for number in range(1, SINGLES + 1)]
    pairs = [
        valid_request(conference, number)
        for number in range(SINGLES + 1, SINGLES + 1 + RACING_PAIRS)
    ]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    answers: set[str] = set()
    lock = threading.Lock()

    def submit(body: dict[str, Any], barrier: threading.Barrier | None = None) -> None:
        if barrier is not None:
            barrier.wait(timeout=60)
        started = time.perf_counter()
        reply = open_stack.post_json("/applications", body)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            statuses[reply.status] += 1
            if reply.status == 202:
                answers.add(json.dumps(reply.json(), sort_keys=True))

    jobs: list[tuple[dict[str, Any], threading.Barrier | None]] = [(b, None) for b in bodies]
    # Interleave the pairs with the singles so races happen under full load.
    step = len(bodies) // RACING_PAIRS
    for index, body in enumerate(pairs):
        barrier = threading.Barrier(2)
        position = index * (step + 2)
        jobs[position:position] = [(body, barrier), (body, barrier)]
    assert len(jobs) == SUBMISSIONS

    before = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        # Both halves of a pair sit next to each other, so with 32 workers both are running
        # (and meet at the barrier) before either can block a worker for long.
        futures = [pool.submit(submit, body, barrier) for body, barrier in jobs]
        for future in futures:
            future.result()
    wall = time.perf_counter() - before
    open_stack.stack.pump_streams()  # after the answers: each submission registered

    write_artifact(
        "load",
        {
            "submissions": SUBMISSIONS,
            "clients": CLIENTS,
            "racing_pairs": RACING_PAIRS,
            "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
            "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
            "wall_s": round(wall, 1),
            "throughput_per_s": round(SUBMISSIONS / wall, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
        },
    )
    assert not any(status >= 500 for status in statuses), statuses
    assert statuses == Counter({202: SUBMISSIONS}), statuses
    addresses = {b["email"] for b in bodies} | {b["email"] for b in pairs}
    stored = Counter(a.email for a in DynamoApplications().list(conference.id))
    assert set(stored) == addresses  # nothing lost, nothing extra
    assert set(stored.values()) == {1}  # each address exactly once
    # A second submission answers like the first (202, the same words, no reference
    # number, which a repeat does not have), revealing nothing.
    assert len(answers) == 1 and "public_id" not in next(iter(answers))
