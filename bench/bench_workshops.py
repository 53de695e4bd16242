"""Benchmark of ``registrar.workshops.assign_workshops`` beside OR-tools (not a test).

Usage: python bench/bench_workshops.py [--people N] [--rounds R] [--json]

For 100,000 people and 3, 12 and 50 workshops per slot (full rankings), plus 50 workshops
ranked top 3 only, it times one ``assign_workshops`` call and OR-tools' min-cost flow
(``SimpleMinCostFlow``, one arc per person and workshop) on the same instance in the same
run: the reference's model building (rank matrix and arcs from the same rankings) apart
from its solve. Capacities are tight (seats == people, split evenly) and popularity is
skewed (rankings drawn Plackett-Luce with weights 1/k), so the popular workshops overflow
deep into the rankings. The rank sums of both must be equal. The two take turns for
``--rounds`` rounds and each reports its median, as the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow
from table import print_rows

from registrar.workshops import assign_workshops

People = list[tuple[str, tuple[str, ...]]]
INSTANCES = ((3, None), (12, None), (50, None), (50, 3))  # (workshops, ranked: None = all)
SEED = 14


def instance(people: int, width: int, ranked: int | None) -> tuple[People, dict[str, int]]:
    """Skewed rankings (workshop k drawn with weight 1/k), seats == people."""
    rng = np.random.default_rng([SEED, people, width])
    workshops = [f"ws-{i:02d}" for i in range(width)]
    weights = 1 / np.arange(1, width + 1)
    # Plackett-Luce by exponential races: smallest Exp(1) / weight first.
    order = np.argsort(rng.exponential(size=(people, width)) / weights, axis=1)[:, :ranked]
    rankings = [tuple(workshops[w] for w in row) for row in order.tolist()]
    capacities = {w: people // width + (i < people % width) for i, w in enumerate(workshops)}
    return [(f"p{i:06d}", ranking) for i, ranking in enumerate(rankings)], capacities


def rank_sum(people: People, capacities: dict[str, int], assignment: dict[str, str]) -> int:
    """The objective: 1 for a first choice, len(ranking) + 1 for a workshop not ranked."""
    load = dict.fromkeys(capacities, 0)
    total = 0
    for person, ranking in people:
        workshop = assignment[person]
        load[workshop] += 1
        total += ranking.index(workshop) + 1 if workshop in ranking else len(ranking) + 1
    assert all(load[w] <= capacities[w] for w in capacities), "capacity exceeded"
    return total


def reference(people: People, capacities: dict[str, int]) -> dict[str, Any]:
    """OR-tools' min-cost flow: source supplies -> person -> workshop -> sink."""
    started = time.perf_counter()
    workshops = list(capacities)
    index = {w: i for i, w in enumerate(workshops)}
    n, width = len(people), len(workshops)
    costs = np.empty((n, width), dtype=np.int64)
    for row, (_, ranking) in zip(costs, people, strict=True):
        row.fill(len(ranking) + 1)
        row[[index[w] for w in ranking]] = np.arange(1, len(ranking) + 1)
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.repeat(np.arange(n), width),
        n + np.tile(np.arange(width), n),
        np.ones(n * width, dtype=np.int64),
        costs.ravel(),
    )
    sink = n + width
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n, n + width),
        np.full(width, sink),
        np.array([capacities[w] for w in workshops], dtype=np.int64),
        np.zeros(width, dtype=np.int64),
    )
    supplies = np.zeros(n + width + 1, dtype=np.int64)
    supplies[:n], supplies[sink] = 1, -n
    flow.set_nodes_supplies(np.arange(n + width + 1), supplies)
    built = time.perf_counter()
    status = flow.solve()
    solved = time.perf_counter()
    assert status == flow.OPTIMAL, status
    return {
        "build_s": round(built - started, 3),
        "solve_s": round(solved - built, 3),
        "objective": flow.optimal_cost(),
    }


def run(people_count: int, width: int, ranked: int | None, rounds: int) -> dict[str, Any]:
    people, capacities = instance(people_count, width, ranked)
    times, builds, solves, objectives = [], [], [], set()
    for _ in range(rounds):
        started = time.perf_counter()
        assignment = assign_workshops(people, capacities)
        times.append(time.perf_counter() - started)
        objective = rank_sum(people, capacities, assignment)
        theirs = reference(people, capacities)
        builds.append(theirs["build_s"])
        solves.append(theirs["solve_s"])
        objectives.add(theirs["objective"])
    ours = statistics.median(times)
    theirs = {
        "build_s": statistics.median(builds),
        "solve_s": statistics.median(solves),
        "objective": objectives.pop() if len(objectives) == 1 else None,
    }
    return {
        "people": people_count,
        "workshops": width,
        "rankings": "full" if ranked is None else f"top {ranked}",
        "distinct_rankings": len({ranking for _, ranking in people}),
        "rounds": rounds,
        "seconds": round(ours, 3),
        "reference_build_s": theirs["build_s"],
        "reference_solve_s": theirs["solve_s"],
        "ratio_to_reference_solve": round(ours / theirs["solve_s"], 2),
        "ratio_to_reference_total": round(ours / (theirs["build_s"] + theirs["solve_s"]), 2),
        "objective": objective,
        "reference_objective": theirs["objective"],
        "objective_equal": objective == theirs["objective"],
    }


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="turns each; medians reported")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    rows = [run(args.people, width, ranked, args.rounds) for width, ranked in INSTANCES]
    result = {
        "reference": "OR-tools SimpleMinCostFlow, one arc per person and workshop",
        "capacities": "tight: seats == people, split evenly; popularity 1/k",
        "instances": rows,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_rows(rows)
    return result


if __name__ == "__main__":
    main()
