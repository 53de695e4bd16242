"""Benchmark of ``registrar.allocation.allocate`` on synthetic events (not a test).

Usage: python bench/bench_allocation.py [--json]

For 1,000 / 10,000 / 100,000 applicants (fixed seed; 2 slots x 3 workshops, 3 reserved
groups, spread cap 2, a tour extra) it reports the wall time and peak traced memory of one
``allocate`` call, and the workshop outcome (share of first choices, mean rank) of the
exact optimum versus a greedy first-come baseline (each person, in priority order, takes
their best workshop that still has room) on the same admitted people.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
import tracemalloc
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from table import print_rows

from registrar.allocation import (
    AdmissionPolicy,
    AllocationResult,
    Applicant,
    ExtraSpec,
    GroupQuota,
    SlotSpec,
    allocate,
)

SIZES = (1_000, 10_000, 100_000)
SEED = "bench-seed"
NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WORKSHOPS = ("ws1", "ws2", "ws3")
# First choices: ws1 45%, ws2 35%, ws3 20% against 40% / 35% / 30% of the seats, so ws1 is
# oversubscribed and who gets pushed where matters.
RANKING_WEIGHTS = dict(
    zip(itertools.permutations(WORKSHOPS), (30, 15, 25, 10, 10, 10), strict=True)
)


def synthetic_event(applicants: int, rng: random.Random) -> tuple[AdmissionPolicy, list[Applicant]]:
    """Twice as many applicants as seats; organisations with a long tail of colleagues."""
    capacity = applicants // 2
    groups = (
        GroupQuota("public", 0),
        GroupQuota("mayor", capacity // 20),
        GroupQuota("council", capacity // 20),
        GroupQuota("academia", capacity // 20),
    )
    shares = (0.40, 0.35, 0.30)  # of capacity; adds up to 105%, enough for everybody
    slots = tuple(
        SlotSpec(slot, {w: int(capacity * s) + 1 for w, s in zip(WORKSHOPS, shares, strict=True)})
        for slot in ("day1", "day2")
    )
    policy = AdmissionPolicy(
        capacity=capacity,
        groups=groups,
        order="lottery",
        spread_cap=2,
        slots=slots,
        extras=(ExtraSpec("tour", capacity // 10),),
        offer_ttl=timedelta(days=3),
    )
    organisations = [f"org-{i}" for i in range(max(1, applicants // 3))]
    rankings, weights = list(RANKING_WEIGHTS), list(RANKING_WEIGHTS.values())
    start = datetime(2026, 3, 1, tzinfo=UTC)
    people = [
        Applicant(
            application_id=f"app-{i:06d}",
            group=rng.choices([g.group_id for g in groups], (70, 10, 10, 10))[0],
            submitted_at=start + timedelta(seconds=rng.randrange(14 * 24 * 3600)),
            # Skewed to the first organisations: some send many people, so the cap bites.
            spread_key=""
            if rng.random() < 0.3
            else organisations[int(len(organisations) * rng.random() ** 3)],
            rankings={slot.slot_id: rng.choices(rankings, weights)[0] for slot in policy.slots},
            extras_wanted=frozenset({"tour"}) if rng.random() < 0.3 else frozenset(),
        )
        for i in range(applicants)
    ]
    return policy, people


def greedy_ranks(
    result: AllocationResult, applicants: Mapping[str, Applicant], policy: AdmissionPolicy
) -> list[int]:
    """Counts of 1st/2nd/3rd choices if the admitted chose in priority order, greedily."""
    counts = [0] * len(WORKSHOPS)
    seated = [i for i, d in result.decisions.items() if d.status in {"accepted", "offered"}]
    for slot in policy.slots:
        left = dict(slot.capacities)
        for app_id in seated:
            ranking = applicants[app_id].rankings[slot.slot_id]
            rank = next(r for r, w in enumerate(ranking) if left[w] > 0)
            left[ranking[rank]] -= 1
            counts[rank] += 1
    return counts


def summary(counts: list[int]) -> tuple[float, float]:
    """(share of first choices, mean rank) from counts of 1st, 2nd, ... choices."""
    total = sum(counts)
    mean_rank = sum(rank * n for rank, n in enumerate(counts, start=1)) / total
    return round(counts[0] / total, 4), round(mean_rank, 4)


def run(size: int) -> dict[str, float | int]:
    policy, applicants = synthetic_event(size, random.Random(size))
    started = time.perf_counter()
    result = allocate(applicants, policy, SEED, NOW)
    seconds = time.perf_counter() - started
    # Memory in a separate call: tracing slows Python down several times.
    tracemalloc.start()
    allocate(applicants, policy, SEED, NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    optimum = [sum(c) for c in zip(*result.stats.choices.values(), strict=True)]
    greedy = greedy_ranks(result, {a.application_id: a for a in applicants}, policy)
    first_optimum, mean_optimum = summary(optimum)
    first_greedy, mean_greedy = summary(greedy)
    return {
        "applicants": size,
        "admitted": result.stats.seats_taken,
        "waitlisted": result.stats.statuses["waitlisted"],
        "seconds": round(seconds, 3),
        "peak_mib": round(peak / 2**20, 1),
        "first_choice_optimum": first_optimum,
        "first_choice_greedy": first_greedy,
        "mean_rank_optimum": mean_optimum,
        "mean_rank_greedy": mean_greedy,
    }


def main() -> dict[str, list[dict[str, float | int]]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    as_json = parser.parse_args().json
    rows = [run(size) for size in SIZES]
    if as_json:
        print(json.dumps({"allocation": rows}, indent=2))
    else:
        print_rows(rows)
    return {"allocation": rows}


if __name__ == "__main__":
    main()
