"""The workshop solver against independent solvers: an LP (HiGHS), the Hungarian method
on one column per seat (scipy), a min-cost flow (networkx) and brute force."""

from __future__ import annotations

import itertools
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment, linprog
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


def test_partial_rankings_tie_break_is_lexicographic() -> None:
    # Issue 14, finding 8: p0 ranked nothing, so every workshop is a first choice for
    # them. Seating p0 in "b" costs p1 their only choice: ranks [1, 2, 1]. Seating p0 in
    # "c" gives [1, 1, 2], the same total and better for p1, who comes before p2.
    people = [("p0", ()), ("p1", ("b",)), ("p2", ("b", "a", "c"))]
    assignment = assign_workshops(people, {"a": 1, "b": 1, "c": 1})
    assert ranks(people, assignment) == [1, 1, 2]
    assert assignment == {"p0": "c", "p1": "b", "p2": "a"}


@st.composite
def small_instances(draw: st.DrawFn) -> tuple[People, dict[str, int]]:
    """Up to 6 people and 4 workshops; partial, empty and full rankings; tight or not."""
    workshops = [f"w{i}" for i in range(draw(st.integers(1, 4)))]
    n = draw(st.integers(0, 6))
    capacities = {w: draw(st.integers(0, 3)) for w in workshops}
    missing = n - sum(capacities.values())
    if missing > 0:
        capacities[workshops[0]] += missing
    rankings = st.permutations(workshops).flatmap(
        lambda full: st.integers(0, len(full)).map(lambda k: tuple(full[:k]))
    )
    people = [(f"p{i}", draw(rankings)) for i in range(n)]
    return people, capacities


@settings(max_examples=400, deadline=None)
@given(small_instances())
def test_lexicographic_optimum_against_brute_force(
    instance: tuple[People, dict[str, int]],
) -> None:
    people, capacities = instance
    assignment = assign_workshops(people, capacities)
    check_feasible(people, capacities, assignment)
    got = ranks(people, assignment)
    assert (sum(got), got) == lexicographic_optimum(people, capacities)
    assert assign_workshops(people, capacities) == assignment  # deterministic


def skewed_instance(
    rng: random.Random, n: int, width: int, *, ranked: int | None = None, slack: int = 0
) -> tuple[People, dict[str, int]]:
    """Rankings drawn with Zipf-like popularity; seats split evenly, ``slack`` to spare."""
    workshops = [f"w{i:02d}" for i in range(width)]
    weights = [1 / (i + 1) for i in range(width)]
    people = []
    for i in range(n):
        keys = [rng.random() ** (1 / weight) for weight in weights]
        order = sorted(range(width), key=keys.__getitem__, reverse=True)
        people.append((f"p{i}", tuple(workshops[w] for w in order[:ranked])))
    seats = n + slack
    capacities = {w: seats // width + (i < seats % width) for i, w in enumerate(workshops)}
    return people, capacities


def hungarian_optimum(people: People, capacities: dict[str, int]) -> int:
    """Minimum rank sum by scipy's Hungarian method on one column per seat."""
    seats = [w for w, places in capacities.items() for _ in range(places)]
    cost = np.array([[rank(ranking, w) for w in seats] for _, ranking in people])
    rows, columns = linear_sum_assignment(cost)
    return int(cost[rows, columns].sum())


def networkx_optimum(people: People, capacities: dict[str, int]) -> int:
    """Minimum rank sum by networkx's min-cost flow over people x workshops."""
    graph = nx.DiGraph()
    graph.add_node("sink", demand=len(people))
    for person, ranking in people:
        graph.add_node(person, demand=-1)
        for workshop in capacities:
            graph.add_edge(person, f"ws:{workshop}", capacity=1, weight=rank(ranking, workshop))
    for workshop, places in capacities.items():
        graph.add_edge(f"ws:{workshop}", "sink", capacity=places, weight=0)
    return int(nx.min_cost_flow_cost(graph))


@pytest.mark.parametrize("width", [3, 12, 50])
@pytest.mark.parametrize("ranked", [None, 3])
@pytest.mark.parametrize("slack", [0, 7])
def test_optimal_against_hungarian_and_networkx_with_many_workshops(
    width: int, ranked: int | None, slack: int
) -> None:
    rng = random.Random(width * 100 + (ranked or 0) + slack)
    people, capacities = skewed_instance(rng, 250, width, ranked=ranked, slack=slack)
    assignment = assign_workshops(people, capacities)
    check_feasible(people, capacities, assignment)
    total = sum(ranks(people, assignment))
    assert total == hungarian_optimum(people, capacities)
    assert total == networkx_optimum(people, capacities)


def lexicographic_reference(people: People, capacities: dict[str, int]) -> list[int]:
    """Ranks fixed person by person with the Hungarian method: the first person's best
    rank in any optimal assignment, then the next one's given that, and so on."""
    seats = [w for w, places in capacities.items() for _ in range(places)]
    cost = np.array([[rank(ranking, w) for w in seats] for _, ranking in people])
    forbidden = cost.sum() + 1

    def optimum(matrix: np.ndarray) -> int:
        rows, columns = linear_sum_assignment(matrix)
        return int(matrix[rows, columns].sum())

    best = optimum(cost)
    fixed: list[int] = []
    for person in range(len(people)):
        for wanted in sorted(set(cost[person])):
            trial = cost.copy()
            for earlier, got in enumerate([*fixed, wanted]):
                trial[earlier, cost[earlier] != got] = forbidden
            if optimum(trial) == best:
                fixed.append(int(wanted))
                break
    return fixed


@pytest.mark.parametrize(("width", "ranked"), [(4, 2), (6, None), (12, 3), (12, None)])
def test_lexicographic_against_hungarian_on_larger_instances(
    width: int, ranked: int | None
) -> None:
    rng = random.Random(width + (ranked or 0))
    for _ in range(3):
        people, capacities = skewed_instance(rng, 40, width, ranked=ranked, slack=2)
        assignment = assign_workshops(people, capacities)
        assert ranks(people, assignment) == lexicographic_reference(people, capacities)


@st.composite
def medium_instances(draw: st.DrawFn) -> tuple[People, dict[str, int]]:
    """Up to 40 people and 12 workshops, some closed (no seats), any ranking lengths."""
    width = draw(st.integers(1, 12))
    workshops = [f"w{i}" for i in range(width)]
    n = draw(st.integers(1, 40))
    capacities = {w: draw(st.integers(0, 8)) for w in workshops}
    missing = n - sum(capacities.values())
    if missing > 0:
        capacities[draw(st.sampled_from(workshops))] += missing
    rankings = st.permutations(workshops).flatmap(
        lambda full: st.integers(0, len(full)).map(lambda k: tuple(full[:k]))
    )
    # Few distinct rankings, repeated: people who share one are handed out in order.
    pool = draw(st.lists(rankings, min_size=1, max_size=6))
    people = [(f"p{i}", draw(st.sampled_from(pool))) for i in range(n)]
    return people, capacities


@settings(max_examples=150, deadline=None)
@given(medium_instances())
def test_rank_sum_and_tie_break_against_hungarian(
    instance: tuple[People, dict[str, int]],
) -> None:
    people, capacities = instance
    assignment = assign_workshops(people, capacities)
    check_feasible(people, capacities, assignment)
    got = ranks(people, assignment)
    assert sum(got) == hungarian_optimum(people, capacities)
    assert got == lexicographic_reference(people, capacities)


def uneven_instance(rng: random.Random, n: int, width: int) -> tuple[People, dict[str, int]]:
    """Uneven and closed workshops, popularity of varying skew, rankings of mixed length."""
    workshops = [f"w{i}" for i in range(width)]
    weights = [1 / (i + 1) ** rng.uniform(0, 2) for i in range(width)]
    longest = rng.choice([0, 1, 2, 3, width])
    people = []
    for i in range(n):
        length = rng.randint(0, longest) if rng.random() < 0.5 else longest
        order = sorted(range(width), key=lambda w: -(rng.random() ** (1 / weights[w])))
        people.append((f"p{i}", tuple(workshops[w] for w in order[:length])))
    capacities = {w: rng.randint(0, 2 * n // width + 1) for w in workshops}
    while sum(capacities.values()) < n:
        capacities[rng.choice(workshops)] += rng.randint(1, n)
    return people, capacities


def test_optimal_with_uneven_capacities_and_mixed_ranking_lengths() -> None:
    # Seed 280 once moved more people along a residual path than the class chosen to
    # move held (a unit count went negative and the optimum was missed by 2).
    for seed in range(270, 291):
        rng = random.Random(seed)
        width = rng.choice([5, 8, 12, 20])
        people, capacities = uneven_instance(rng, rng.randint(50, 200), width)
        assignment = assign_workshops(people, capacities)
        check_feasible(people, capacities, assignment)
        assert sum(ranks(people, assignment)) == hungarian_optimum(people, capacities), seed
