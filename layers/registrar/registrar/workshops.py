"""Workshop assignment for one slot: the exact minimum of summed preference ranks.

Owns ``assign_workshops``, which ``allocation`` calls once per slot with the people who
still need a workshop there. Each person gets exactly one workshop, no capacity is
exceeded, and the sum of ranks (1 = first choice) is the smallest possible. Among the
optimal assignments the one chosen is best for the best-placed person, then the next, and
so on (lexicographic in priority order).

Why it is fast: with a handful of workshops per slot there are only a handful of distinct
rankings, and people sharing one are interchangeable for the objective. So the problem is
solved as a transportation problem over ranking *types* x workshops (a min-cost flow with
a few dozen nodes) instead of over 100,000 people. The flow is then handed out person by
person in priority order; a person may take a better workshop than their type's flow
suggests when a zero-cost cycle in the residual network lets them do so without raising
the total, which is exactly the optimal tie-breaking.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise


def assign_workshops(
    people: Sequence[tuple[str, tuple[str, ...]]], capacities: Mapping[str, int]
) -> dict[str, str]:
    """Assign every person one workshop; ``people`` is (id, ranking) in priority order.

    A ranking lists workshop ids most preferred first. Workshops it leaves out share the
    rank after its last entry, so partial (or empty) rankings are fine. Raises ValueError
    when a ranking names an unknown workshop or the capacities cannot seat everybody.
    """
    workshops = tuple(capacities)
    if any(capacity < 0 for capacity in capacities.values()):
        raise ValueError(f"negative workshop capacity in {dict(capacities)!r}")
    if sum(capacities.values()) < len(people):
        raise ValueError(
            f"{len(people)} people need a workshop but only {sum(capacities.values())} "
            "places are free"
        )
    type_costs: dict[tuple[int, ...], int] = {}
    costs_of_ranking: dict[tuple[str, ...], tuple[int, ...]] = {}
    person_types: list[int] = []
    for _, ranking in people:
        if ranking not in costs_of_ranking:
            costs_of_ranking[ranking] = _rank_costs(ranking, workshops)
        person_types.append(type_costs.setdefault(costs_of_ranking[ranking], len(type_costs)))
    counts = [0] * len(type_costs)
    for type_index in person_types:
        counts[type_index] += 1
    network = _Network(list(type_costs), counts, [capacities[w] for w in workshops])
    return {
        person_id: workshops[network.take(type_index)]
        for (person_id, _), type_index in zip(people, person_types, strict=True)
    }


def _rank_costs(ranking: tuple[str, ...], workshops: tuple[str, ...]) -> tuple[int, ...]:
    """The rank each workshop has in ``ranking``, in ``workshops`` order."""
    rank = {workshop: position for position, workshop in enumerate(ranking, start=1)}
    if len(rank) != len(ranking):
        raise ValueError(f"ranking {ranking!r} names a workshop twice")
    unknown = rank.keys() - set(workshops)
    if unknown:
        raise ValueError(f"ranking {ranking!r} names unknown workshop(s) {sorted(unknown)}")
    unranked = len(ranking) + 1
    return tuple(rank.get(workshop, unranked) for workshop in workshops)


class _Network:
    """Residual network of the aggregated problem: types -> workshops -> sink.

    Nodes are numbered types ``0..T-1``, workshops ``T..T+W-1``, sink ``T+W``. There is no
    explicit source: a type's not-yet-routed people (``supply``) act as its source edge.
    Residual edges: type->workshop always (cost = rank); workshop->type while that type
    has flow there (cost = -rank); workshop->sink while seats are left; sink->workshop
    while the workshop holds anybody (both cost 0).
    """

    def __init__(self, costs: list[tuple[int, ...]], counts: list[int], capacities: list[int]):
        self.costs = costs
        self.types = len(costs)
        self.sink = self.types + len(capacities)
        self.capacity = capacities
        self.flow = [[0] * len(capacities) for _ in costs]
        self.holders: list[set[int]] = [set() for _ in capacities]  # types with flow there
        self.load = [0] * len(capacities)
        # sorted() is stable, so equally ranked workshops keep the capacities' order.
        self.preference = [sorted(range(len(capacities)), key=row.__getitem__) for row in costs]
        self.unbounded = sum(counts)  # no edge ever carries more than everybody
        # Zero-cost residual paths from a workshop node, cached until an edge appears or
        # disappears; while the people of one type are handed out that rarely happens.
        self._tight_trees: dict[int, dict[int, int]] = {}
        self._route_all(counts)
        # Distances from a virtual source next to every node are an optimal dual: every
        # residual edge has reduced cost >= 0, and the later changes (pushing flow around
        # zero-reduced-cost cycles, removing flow) keep it so. Reduced cost 0 ("tight")
        # thus marks the edges that some optimal assignment may use. A type<->workshop edge
        # is tight in both directions or neither, whatever its flow, so this is fixed.
        potential = self._distances(range(self.sink + 1))
        self._tight_workshops = [
            {w for w, cost in enumerate(row) if cost + potential[t] == potential[self.types + w]}
            for t, row in enumerate(costs)
        ]
        self._tight_sink = [
            potential[self.types + w] == potential[self.sink] for w in range(len(capacities))
        ]

    def take(self, type_index: int) -> int:
        """Remove one person of the type, seated in their best workshop that keeps the optimum."""
        for workshop in self.preference[type_index]:
            if self.flow[type_index][workshop] == 0:
                cycle = self._zero_cost_cycle(type_index, workshop)
                if cycle is None:
                    continue
                for u, v in pairwise(cycle):
                    self._push(u, v, 1)
            # What remains is still optimal for the remaining people: if it were not, a
            # better remainder plus this person would beat the optimum we started from.
            self._add_flow(type_index, workshop, -1)
            self._add_load(workshop, -1, seats=-1)
            return workshop
        raise AssertionError("every remaining person of a type has a unit of flow somewhere")

    def _route_all(self, counts: list[int]) -> None:
        """Primal-dual min-cost flow: shortest distances, then a blocking flow along them.

        Every augmentation uses a cheapest path (so the flow stays optimal at each step),
        and all cheapest paths of one length are used before distances are recomputed, so
        distances are computed only about as often as path costs can grow (a few times).
        """
        supply = list(counts)
        while any(supply):
            distance = self._distances(t for t, left in enumerate(supply) if left)
            while arcs := self._level_graph(distance, supply):
                for source in range(self.types):
                    while supply[source] and (path := self._augmenting_path(source, arcs)):
                        amount = min(supply[source], *map(self._residual, path, path[1:]))
                        supply[source] -= amount
                        for u, v in pairwise(path):
                            self._push(u, v, amount)

    def _level_graph(self, distance: dict[int, int], supply: list[int]) -> dict[int, list[int]]:
        """Arcs on cheapest paths that also lead one BFS level deeper; {} if sink is cut off.

        The level condition (as in Dinic's algorithm) keeps the graph acyclic even where
        zero-cost cycles exist.
        """
        level = {t: 0 for t, left in enumerate(supply) if left and distance.get(t) == 0}
        arcs: dict[int, list[int]] = {node: [] for node in level}
        queue = deque(level)
        while queue:
            u = queue.popleft()
            for v, cost in self._out_edges(u):
                if v in distance and distance[u] + cost == distance[v]:
                    if v not in level:
                        level[v] = level[u] + 1
                        arcs[v] = []
                        queue.append(v)
                    if level[v] == level[u] + 1:
                        arcs[u].append(v)
        return arcs if self.sink in level else {}

    def _augmenting_path(self, source: int, arcs: dict[int, list[int]]) -> list[int] | None:
        """A path source -> sink in the level graph, pruning dead arcs for good."""
        if source not in arcs:
            return None
        path = [source]
        while path[-1] != self.sink:
            out = arcs[path[-1]]
            while out and not self._residual(path[-1], out[-1]):
                out.pop()
            if out:
                path.append(out[-1])
            else:
                path.pop()  # a dead end stays dead for the rest of this level graph
                if not path:
                    return None
                arcs[path[-1]].pop()
        return path

    def _out_edges(self, node: int) -> Iterable[tuple[int, int]]:
        """Residual edges leaving ``node`` as (head, cost)."""
        if node < self.types:
            return ((self.types + w, cost) for w, cost in enumerate(self.costs[node]))
        if node == self.sink:
            return ((self.types + w, 0) for w, load in enumerate(self.load) if load > 0)
        workshop = node - self.types
        edges = [(t, -self.costs[t][workshop]) for t in self.holders[workshop]]
        if self.load[workshop] < self.capacity[workshop]:
            edges.append((self.sink, 0))
        return edges

    def _residual(self, u: int, v: int) -> int:
        """How much more can be sent along residual edge u->v."""
        if u < self.types:
            return self.unbounded
        if v < self.types:
            return self.flow[v][u - self.types]
        if v == self.sink:
            return self.capacity[u - self.types] - self.load[u - self.types]
        return self.load[v - self.types]

    def _push(self, u: int, v: int, amount: int) -> None:
        """Send ``amount`` along residual edge u->v."""
        if u < self.types:
            self._add_flow(u, v - self.types, amount)
        elif v < self.types:
            self._add_flow(v, u - self.types, -amount)
        elif v == self.sink:
            self._add_load(u - self.types, amount)
        else:
            self._add_load(v - self.types, -amount)

    def _add_flow(self, type_index: int, workshop: int, amount: int) -> None:
        before = self.flow[type_index][workshop]
        self.flow[type_index][workshop] = before + amount
        if (before == 0) != (before + amount == 0):
            self.holders[workshop].symmetric_difference_update((type_index,))
            self._tight_trees.clear()

    def _add_load(self, workshop: int, amount: int, seats: int = 0) -> None:
        def edges() -> tuple[bool, bool]:
            load, capacity = self.load[workshop], self.capacity[workshop]
            return load > 0, load < capacity

        before = edges()
        self.load[workshop] += amount
        self.capacity[workshop] += seats
        if edges() != before:
            self._tight_trees.clear()

    def _distances(self, sources: Iterable[int]) -> dict[int, int]:
        """Shortest distances from ``sources`` (at 0), Bellman-Ford: costs can be negative."""
        distance: dict[int, int] = dict.fromkeys(sources, 0)
        for _ in range(self.sink + 1):
            changed = False
            for u in list(distance):
                for v, cost in self._out_edges(u):
                    if v not in distance or distance[u] + cost < distance[v]:
                        distance[v] = distance[u] + cost
                        changed = True
            if not changed:
                return distance
        raise AssertionError("negative cycle: successive shortest paths keeps none")

    def _zero_cost_cycle(self, type_index: int, workshop: int) -> list[int] | None:
        """A residual cycle type->workshop->...->type of total cost 0, if one exists."""
        if workshop not in self._tight_workshops[type_index]:
            return None
        root = self.types + workshop
        tree = self._tight_tree(root)
        if type_index not in tree:
            return None
        cycle = [type_index]
        while cycle[-1] != root:
            cycle.append(tree[cycle[-1]])
        cycle.append(type_index)
        cycle.reverse()
        return cycle

    def _tight_tree(self, root: int) -> dict[int, int]:
        """BFS parents over residual edges of reduced cost 0 reachable from ``root``."""
        if root not in self._tight_trees:
            parent = {root: root}
            queue = deque([root])
            while queue:
                u = queue.popleft()
                for v in self._tight_out(u):
                    if v not in parent:
                        parent[v] = u
                        queue.append(v)
            self._tight_trees[root] = parent
        return self._tight_trees[root]

    def _tight_out(self, node: int) -> Iterable[int]:
        """Heads of the residual edges of reduced cost 0 leaving ``node``."""
        if node < self.types:
            return (self.types + w for w in self._tight_workshops[node])
        if node == self.sink:
            return (
                self.types + w
                for w, load in enumerate(self.load)
                if load > 0 and self._tight_sink[w]
            )
        workshop = node - self.types
        heads = [t for t in self.holders[workshop] if workshop in self._tight_workshops[t]]
        if self.load[workshop] < self.capacity[workshop] and self._tight_sink[workshop]:
            heads.append(self.sink)
        return heads
