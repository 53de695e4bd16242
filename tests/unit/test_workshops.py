"""The workshop solver against independent solvers: an LP (HiGHS) and brute force."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import coo_array

from registrar.workshops import assign_workshops

People = list[tuple[str, tuple[str, ...]]]


def rank(ranking: tuple[str, ...], workshop: str) -> int:
    return ranking.index(workshop) + 1 if workshop in ranking else len(ranking) + 1


def ranks(people: People, assignment: dict[str, str]) -> list[int]:
    return [rank(ranking, assignment[person]) for person, ranking in people]


def check_feasible(people: People, capacities: dict[str, int], assignment: dict[str, str]) -> None:
    assert set(assignment) == {person for person, _ in people}
    load = dict.fromkeys(capacities, 0)
    for workshop in assignment.values():
        load[workshop] += 1
    assert all(load[w] <= capacities[w] for w in capacities)


def lp_optimum(people: People, capacities: dict[str, int]) -> int:
    """Minimum rank sum of the full person x workshop assignment LP.

    The constraint matrix is totally unimodular, so HiGHS's LP optimum is integral and
    equals the optimum of the integer problem.
    """
    if not people:
        return 0
    n, workshops = len(people), list(capacities)
    width = len(workshops)
    cost = np.array([rank(r, w) for _, r in people for w in workshops], dtype=float)
    variables = np.arange(n * width)
    rows = np.concatenate([variables // width, n + variables % width])
    matrix = coo_array(
        (np.ones(2 * n * width), (rows, np.concatenate([variables, variables]))),
        shape=(n + width, n * width),
    ).tocsr()
    result = linprog(
        cost,
        A_eq=matrix[:n],
        b_eq=np.ones(n),
        A_ub=matrix[n:],
        b_ub=[capacities[w] for w in workshops],
        bounds=(0, 1),
        method="highs",
    )
    assert result.status == 0
    return round(float(result.fun))


def random_instance(
    rng: random.Random, max_people: int, max_workshops: int
) -> tuple[People, dict[str, int]]:
    workshops = [f"w{i}" for i in range(rng.randint(1, max_workshops))]
    n = rng.randint(0, max_people)
    capacities = {w: rng.randint(0, max(1, n // len(workshops) + 1)) for w in workshops}
    while sum(capacities.values()) < n:
        capacities[rng.choice(workshops)] += 1
    full = rng.random() < 0.7  # mostly complete rankings, as the form collects them
    people = [
        (
            f"p{i}",
            tuple(
                rng.sample(workshops, len(workshops) if full else rng.randint(0, len(workshops)))
            ),
        )
        for i in range(n)
    ]
    return people, capacities


def test_optimal_against_lp_on_random_instances() -> None:
    rng = random.Random(20240601)
    for _ in range(200):
        people, capacities = random_instance(rng, max_people=60, max_workshops=5)
        assignment = assign_workshops(people, capacities)
        check_feasible(people, capacities, assignment)
        assert sum(ranks(people, assignment)) == lp_optimum(people, capacities)


def test_optimal_against_lp_at_scale() -> None:
    rng = random.Random(7)
    workshops = ("a", "b", "c")
    popular = rng.choices(list(itertools.permutations(workshops)), [50, 10, 20, 5, 10, 5], k=10_000)
    people = [(f"p{i}", ranking) for i, ranking in enumerate(popular)]
    capacities = {"a": 4_000, "b": 3_500, "c": 3_000}
    assignment = assign_workshops(people, capacities)
    check_feasible(people, capacities, assignment)
    assert sum(ranks(people, assignment)) == lp_optimum(people, capacities)


def lexicographic_optimum(people: People, capacities: dict[str, int]) -> tuple[int, list[int]]:
    """Brute force: minimum rank sum, then best rank for person 1, then person 2, ..."""
    best: tuple[int, list[int]] | None = None
    for choice in itertools.product(capacities, repeat=len(people)):
        if any(choice.count(w) > capacities[w] for w in capacities):
            continue
        got = [rank(ranking, w) for (_, ranking), w in zip(people, choice, strict=True)]
        if best is None or (sum(got), got) < best:
            best = (sum(got), got)
    assert best is not None
    return best


def test_ties_favour_better_places_against_brute_force() -> None:
    rng = random.Random(99)
    for _ in range(300):
        people, capacities = random_instance(rng, max_people=6, max_workshops=4)
        assignment = assign_workshops(people, capacities)
        check_feasible(people, capacities, assignment)
        got = ranks(people, assignment)
        assert (sum(got), got) == lexicographic_optimum(people, capacities)


def test_tie_between_different_rankings_goes_to_better_place() -> None:
    # Either way costs 3 in total; the first person is better placed, so gets the first choice.
    people = [("first", ("x", "y", "z")), ("second", ("x", "z", "y"))]
    for capacities in ({"x": 1, "y": 1, "z": 1}, {"z": 1, "y": 1, "x": 1}):
        assert assign_workshops(people, capacities) == {"first": "x", "second": "z"}


def test_optimum_beats_first_come_greedy() -> None:
    # Greedy would give "a" to p1, leaving p2 with its third choice: 1 + 3. Optimal: 2 + 1.
    people = [("p1", ("a", "b", "c")), ("p2", ("a", "c", "b"))]
    capacities = {"a": 1, "b": 1, "c": 0}
    assert assign_workshops(people, capacities) == {"p1": "b", "p2": "a"}


def test_same_ranking_handed_out_in_priority_order() -> None:
    people = [(f"p{i}", ("a", "b")) for i in range(4)]
    assert assign_workshops(people, {"a": 2, "b": 2}) == {
        "p0": "a",
        "p1": "a",
        "p2": "b",
        "p3": "b",
    }


def test_partial_and_empty_rankings() -> None:
    people = [("p1", ("c",)), ("p2", ()), ("p3", ("c", "a"))]
    assignment = assign_workshops(people, {"a": 1, "b": 1, "c": 1})
    assert assignment["p1"] == "c"
    assert assignment["p3"] == "a"
    assert assignment["p2"] == "b"


def test_no_people() -> None:
    assert assign_workshops([], {"a": 0}) == {}


@pytest.mark.parametrize(
    ("people", "capacities", "message"),
    [
        ([("p1", ("a",)), ("p2", ("a",))], {"a": 1}, "only 1 places"),
        ([("p1", ("zz",))], {"a": 1}, "unknown workshop"),
        ([("p1", ("a", "a"))], {"a": 1}, "twice"),
        ([], {"a": -1}, "negative"),
    ],
)
def test_invalid_input(people: People, capacities: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assign_workshops(people, capacities)
