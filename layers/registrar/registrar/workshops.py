"""Workshop assignment for one slot: the exact minimum of summed preference ranks.

Owns ``assign_workshops``, which ``allocation`` calls once per slot with the people who
still need a workshop there. Each person gets exactly one workshop, no capacity is
exceeded, and the sum of ranks (1 = first choice; every workshop a ranking leaves out
counts as the rank after its last entry) is the smallest possible. Among the optimal
assignments the one chosen is lexicographically best in priority order: the first person
gets the best rank they have in any optimal assignment, the second the best rank they have
in any optimal assignment that gives the first theirs, and so on. Where a person's rank can
be had in several workshops (only workshops their ranking leaves out share a rank), which
one they get is settled last, without costing anybody after them a rank.

How it stays exact and fast with many people and up to dozens of workshops:

1. Prices. Workshop prices ``y`` (whole numbers) are raised, as in an ascending auction,
   on the smallest most over-demanded set of workshops until everybody can be seated among
   the workshops that minimise ``rank + price`` for them (their *demand set*). Those prices
   are an optimal dual of the transportation problem, so the optimal assignments are
   exactly those that seat everybody in their demand set and leave no priced seat empty.
   Each round is a max-flow; there are as many raising rounds as the highest optimal
   price (the steepest-ascent bound for such duals), which is below the number of
   workshops.
2. Classes. People with the same demand set are interchangeable for feasibility, so the
   flows run over *classes* x workshops (a few thousand classes at 100,000 people and 50
   workshops), not over people; a residual path between workshops is found with bit sets,
   one bit per workshop.
3. Priority. People are then handed their workshops one by one in priority order: a person
   takes the best-ranked workshop of their demand set that some optimal assignment of the
   remaining people still allows (a zero-cost cycle in the residual network moves others
   to make room), which is what the lexicographic tie-break asks for.
"""

from __future__ import annotations

from collections import Counter
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
    # People with the same ranking are one *type*: the prices only need their number.
    rankings = [ranking for _, ranking in people]
    type_of_ranking = {ranking: index for index, ranking in enumerate(dict.fromkeys(rankings))}
    position = {workshop: index for index, workshop in enumerate(workshops)}
    types = _Types(list(type_of_ranking), position)
    if not people:
        return {}
    person_types = list(map(type_of_ranking.__getitem__, rankings))
    number_of = Counter(person_types)
    counts = [number_of[type_index] for type_index in range(len(type_of_ranking))]
    seats = [capacities[w] for w in workshops]
    prices, demand, flow = _equilibrium(types, counts, seats)
    flow.fill_priced_seats(prices)
    chosen = _hand_out(flow, types, demand, person_types)
    return dict(
        zip((person for person, _ in people), map(workshops.__getitem__, chosen), strict=True)
    )


class _Types:
    """The distinct rankings as workshop indices: ``orders`` best first, ``ranked`` bits."""

    def __init__(self, rankings: list[tuple[str, ...]], position: Mapping[str, int]) -> None:
        try:
            self.orders = [list(map(position.__getitem__, ranking)) for ranking in rankings]
        except KeyError:
            ranking = next(r for r in rankings if not position.keys() >= set(r))
            unknown = sorted(set(ranking) - position.keys())
            raise ValueError(f"ranking {ranking!r} names unknown workshop(s) {unknown}") from None
        twice = next((r for r in rankings if len(set(r)) != len(r)), None)
        if twice is not None:
            raise ValueError(f"ranking {twice!r} names a workshop twice")
        everything = (1 << len(position)) - 1
        self.ranked = [
            everything if len(order) == len(position) else sum(1 << w for w in order)
            for order in self.orders
        ]

    def by_rank(self, type_index: int, mask: int) -> list[int]:
        """The workshops of ``mask`` best first; unranked ones last, in workshop order."""
        ranked = self.ranked[type_index]
        best_first = sorted(_bits(mask & ranked), key=self.orders[type_index].index)
        return best_first + _bits(mask & ~ranked) if mask & ~ranked else best_first


def _bits(mask: int) -> list[int]:
    """Indices of the set bits of ``mask``, lowest first."""
    indices = []
    while mask:
        low = mask & -mask
        indices.append(low.bit_length() - 1)
        mask ^= low
    return indices


def _equilibrium(
    types: _Types, counts: list[int], seats: list[int]
) -> tuple[list[int], list[int], _Flow]:
    """Optimal dual prices, each type's demand set (a bit mask) and a flow seating all.

    Steepest ascent of the dual (an L-natural-concave function): each round raises by one
    the price of the smallest set S of workshops maximising "people whose demand set lies
    in S minus seats in S", read off the max-flow's residual graph. From zero prices this
    reaches the least optimal prices in as many rounds as the highest price.
    """
    prices = [0] * len(seats)
    # ``least`` is each type's smallest rank + price. At zero prices that is the first
    # choice, rank 1; an empty ranking finds every workshop equal.
    least = [1] * len(counts)
    everything = (1 << len(seats)) - 1
    demand = [1 << order[0] if order else everything for order in types.orders]
    members: dict[int, list[int]] = {}  # demand set -> types
    for type_index, mask in enumerate(demand):
        members.setdefault(mask, []).append(type_index)
    people_in = {mask: sum(map(counts.__getitem__, group)) for mask, group in members.items()}
    while True:
        flow = _Flow(seats)
        unseated = flow.route(people_in)
        if not unseated:
            return prices, demand, flow
        raised = flow.reachable(unseated)
        for workshop in _bits(raised):
            prices[workshop] += 1
        # The other workshops by price, cheapest first: where a demand set can grow.
        levels: dict[int, int] = {}
        for workshop in _bits(everything & ~raised):
            levels[prices[workshop]] = levels.get(prices[workshop], 0) | 1 << workshop
        outside = sorted(levels.items())
        regrouped: dict[int, list[int]] = {}
        for mask in [mask for mask in members if mask & raised]:
            moving = members.pop(mask)
            del people_in[mask]
            if mask & ~raised:
                # Their unraised workshops stay cheapest: the demand set only shrinks.
                regrouped.setdefault(mask & ~raised, []).extend(moving)
            else:
                _grow(mask, moving, outside, least, types, regrouped)
        for mask, group in regrouped.items():
            for type_index in group:
                demand[type_index] = mask
            members.setdefault(mask, []).extend(group)
            people_in[mask] = people_in.get(mask, 0) + sum(map(counts.__getitem__, group))


def _grow(
    mask: int,
    moving: list[int],
    outside: list[tuple[int, int]],
    least: list[int],
    types: _Types,
    regrouped: dict[int, list[int]],
) -> None:
    """New demand sets of types whose whole demand set ``mask`` went up by one.

    The set stays, and gains each other workshop whose rank + price equals the new
    least value; ``outside`` lists those other workshops by price, cheapest first.
    """
    for type_index in moving:
        target = least[type_index] = least[type_index] + 1
        order, grown = types.orders[type_index], mask
        size = len(order)
        for price, priced in outside:
            rank = target - price
            if rank <= 0:
                break
            if rank <= size:
                if priced >> order[rank - 1] & 1:
                    grown |= 1 << order[rank - 1]
            elif rank == size + 1:
                grown |= priced & ~types.ranked[type_index]
        group = regrouped.get(grown)
        if group is None:
            regrouped[grown] = [type_index]
        else:
            group.append(type_index)


def _hand_out(flow: _Flow, types: _Types, demand: list[int], person_types: list[int]) -> list[int]:
    """Each person's workshop, in priority order, keeping the optimum for those after.

    ``flow`` is an optimal assignment of classes (demand sets) to workshops. A person takes
    the best-ranked workshop of their class that the flow holds for it, or that a residual
    cycle of zero reduced cost can free for it (every residual edge between demand-set
    workshops has reduced cost zero, so any such cycle keeps the optimum). A person whose
    best rank is "not ranked" and could be had in several unranked workshops joins the
    class of exactly those workshops; they are given one at the end, which leaves the
    choice open for the people after them.
    """
    # A class of one workshop is seated there in every optimal assignment. Its units
    # never move and make no residual edge, so seating them all at once changes nothing
    # for anybody else (it is most people).
    only = [mask.bit_length() - 1 if not mask & (mask - 1) else -1 for mask in demand]
    chosen = list(map(only.__getitem__, person_types))
    for mask in {mask for mask in demand if not mask & (mask - 1)}:
        workshop = mask.bit_length() - 1
        flow.take(mask, workshop, workshop, flow.at[workshop][mask])
    # Per type: its class, the class's workshops best first, and the bit set of the
    # unranked ones when there are several (they share one rank).
    plans: dict[int, tuple[int, list[int], int]] = {}
    committed: dict[int, list[int]] = {}
    presence = flow.presence
    for person in [person for person, workshop in enumerate(chosen) if workshop < 0]:
        type_index = person_types[person]
        plan = plans.get(type_index)
        if plan is None:
            mask = demand[type_index]
            unranked = mask & ~types.ranked[type_index]
            candidates = types.by_rank(type_index, mask)
            plan = (mask, candidates, unranked if unranked.bit_count() > 1 else 0)
            plans[type_index] = plan
        mask, candidates, ties = plan
        if ties == mask:
            # Every workshop they may get has the same rank: which one is left open.
            committed.setdefault(mask, []).append(person)
            continue
        workshop = source = candidates[0]
        if not presence[mask] >> workshop & 1:
            workshop, source = flow.best_reachable(mask, candidates)
        if ties >> workshop & 1:
            flow.add(mask, source, -1)
            flow.add(ties, workshop, 1)
            committed.setdefault(ties, []).append(person)
            continue
        flow.take(mask, source, workshop)
        chosen[person] = workshop
    for mask, persons in committed.items():
        seats = [w for w in _bits(mask) for _ in range(flow.at[w].get(mask, 0))]
        for person, workshop in zip(persons, seats, strict=True):
            chosen[person] = workshop
    return chosen


class _Flow:
    """Units of classes (demand-set bit masks) placed in workshops, with residual look-ups.

    Workshops are nodes ``0..W-1``; the slack node ``W`` stands for the free seats. A
    residual edge a -> b between workshops exists while some class with a unit in a also
    has b in its demand set (that unit may move); a -> slack while a has a free seat;
    slack -> b while b may lose a person (b is unpriced and holds somebody).
    """

    def __init__(self, seats: list[int]) -> None:
        size = len(seats)
        self.slack = size
        self.free = list(seats)
        self.load = [0] * size
        self.at: list[dict[int, int]] = [{} for _ in seats]  # workshop -> class -> units
        self.presence: dict[int, int] = {}  # class -> bit set of workshops holding it
        self.movers: list[list[dict[int, None]]] = [[{} for _ in seats] for _ in seats]
        self.succ = [0] * size  # bit sets of workshop -> workshop residual edges
        self.pred = [0] * size
        self.free_mask = sum(1 << w for w, free in enumerate(seats) if free > 0)
        self.loaded_mask = 0
        self.may_lose = 0  # unpriced workshops; set once prices are final
        self._bits: dict[int, list[int]] = {}

    def bits(self, mask: int) -> list[int]:
        found = self._bits.get(mask)
        if found is None:
            found = self._bits[mask] = _bits(mask)
        return found

    def add(self, mask: int, workshop: int, amount: int) -> None:
        """Put ``amount`` (may be negative) more units of class ``mask`` in ``workshop``."""
        units = self.at[workshop]
        before = units.get(mask, 0)
        after = before + amount
        if after < 0:
            raise AssertionError(f"class {mask:b} has {before} units in {workshop}, not {-amount}")
        if after:
            units[mask] = after
        else:
            del units[mask]
        if (before == 0) != (after == 0):
            self.presence[mask] = self.presence.get(mask, 0) ^ (1 << workshop)
            movers = self.movers[workshop]
            for head in self.bits(mask):
                if head == workshop:
                    continue
                classes = movers[head]
                if after:
                    classes[mask] = None
                    if len(classes) == 1:
                        self.succ[workshop] |= 1 << head
                        self.pred[head] |= 1 << workshop
                else:
                    del classes[mask]
                    if not classes:
                        self.succ[workshop] &= ~(1 << head)
                        self.pred[head] &= ~(1 << workshop)
        self.load[workshop] += amount
        self.free[workshop] -= amount
        self._refresh(workshop)

    def take(self, mask: int, source: int, workshop: int, amount: int = 1) -> None:
        """Units of the class leave ``source`` for good, with seats of ``workshop``.

        The two differ right after ``best_reachable`` made room in ``workshop``.
        """
        units = self.at[source]
        left = units[mask] - amount
        if left and source == workshop:  # the common case: no edge, no free seat changes
            units[mask] = left
            self.load[source] -= amount
            return
        if left:
            units[mask] = left
            self.load[source] -= amount
            self.free[source] += amount
            self._refresh(source)
        else:
            self.add(mask, source, -amount)
        self.free[workshop] -= amount
        self._refresh(workshop)

    def _refresh(self, workshop: int) -> None:
        bit = 1 << workshop
        if self.free[workshop] > 0:
            self.free_mask |= bit
        else:
            self.free_mask &= ~bit
        if self.load[workshop] > 0:
            self.loaded_mask |= bit
        else:
            self.loaded_mask &= ~bit

    def _move(self, path: list[int], amount: int) -> None:
        """Move ``amount`` units along the workshop path, one class per edge: the one
        with the most units there (callers bound ``amount`` by ``_capacity``)."""
        edges = [(a, b, self._mover(a, b)) for a, b in pairwise(path) if self.slack not in (a, b)]
        for a, b, mask in edges:
            self.add(mask, a, -amount)
            self.add(mask, b, amount)

    def _mover(self, a: int, b: int) -> int:
        """The class with the most units in ``a`` that may move to ``b``."""
        return max(self.movers[a][b], key=self.at[a].__getitem__)

    def _capacity(self, path: list[int]) -> int:
        """How many units ``_move`` can pass along the path."""
        return min(
            (self.at[a][self._mover(a, b)] for a, b in pairwise(path) if self.slack not in (a, b)),
            default=self.load[path[0]],
        )

    def route(self, people_in: Mapping[int, int]) -> dict[int, int]:
        """Max-flow of the classes into the seats; returns the classes left unseated."""
        unseated: dict[int, int] = {}
        for mask, number in people_in.items():
            left = number
            for workshop in self.bits(mask):
                put = min(left, self.free[workshop])
                if put:
                    self.add(mask, workshop, put)
                    left -= put
                    if not left:
                        break
            if left:
                unseated[mask] = left
        for mask in list(unseated):
            while unseated[mask]:
                path = self._path_to_free_seat(mask)
                if path is None:
                    break
                amount = min(unseated[mask], self.free[path[-1]])
                if len(path) > 1:
                    amount = min(amount, self._capacity(path))
                self._move(path, amount)
                self.add(mask, path[0], amount)
                unseated[mask] -= amount
            if not unseated[mask]:
                del unseated[mask]
        return unseated

    def _path_to_free_seat(self, mask: int) -> list[int] | None:
        """Shortest residual path from a workshop of the class to one with a free seat."""
        parent: dict[int, int] = {}
        for root in self.bits(mask):
            parent[root] = -1
            if self.free[root] > 0:
                return [root]
        seen = frontier = mask
        while frontier:
            reached = 0
            for u in _bits(frontier):
                new = self.succ[u] & ~seen
                if not new:
                    continue
                seen |= new
                reached |= new
                for v in _bits(new):
                    parent[v] = u
                    if self.free[v] > 0:
                        path = [v]
                        while parent[path[-1]] >= 0:
                            path.append(parent[path[-1]])
                        path.reverse()
                        return path
            frontier = reached
        return None

    def reachable(self, unseated: Iterable[int]) -> int:
        """Workshops the unseated classes reach in the residual graph (the minimal cut)."""
        seen = frontier = 0
        for mask in unseated:
            frontier |= mask
        seen = frontier
        while frontier:
            reached = 0
            for u in _bits(frontier):
                reached |= self.succ[u]
            frontier = reached & ~seen
            seen |= frontier
        return seen

    def fill_priced_seats(self, prices: list[int]) -> None:
        """Move people into priced workshops' free seats from unpriced ones.

        With optimal prices a priced seat can always be filled this way; one that cannot
        would mean the prices were not optimal, which the ascent rules out.
        """
        unpriced = sum(1 << w for w, price in enumerate(prices) if price == 0)
        self.may_lose = unpriced
        for workshop, price in enumerate(prices):
            while price and self.free[workshop] > 0:
                path = self._path_from_unpriced(workshop, unpriced)
                if path is None:
                    raise AssertionError("a priced workshop cannot be filled: prices not optimal")
                amount = min(self.free[workshop], self._capacity(path))
                self._move(path, amount)

    def _path_from_unpriced(self, target: int, unpriced: int) -> list[int] | None:
        following: dict[int, int] = {}
        seen = frontier = 1 << target
        while frontier:
            reached = 0
            for u in _bits(frontier):
                new = self.pred[u] & ~seen
                if not new:
                    continue
                seen |= new
                reached |= new
                for v in _bits(new):
                    following[v] = u
                    if (unpriced & self.loaded_mask) >> v & 1:
                        path = [v]
                        while path[-1] != target:
                            path.append(following[path[-1]])
                        return path
            frontier = reached
        return None

    def best_reachable(self, mask: int, candidates: list[int]) -> tuple[int, int]:
        """The first candidate a unit of the class can be moved to at zero cost.

        Returns it and the workshop the unit is in. Where they differ, the other units on
        the residual path have been moved, making room in the candidate for the unit.
        """
        holding = self.presence[mask]
        # A workshop whose seats are all taken for good is out for everybody after.
        open_seats = self.loaded_mask | self.free_mask
        first = next(w for w in candidates if open_seats >> w & 1)
        if holding >> first & 1:
            return first, first
        slack, slack_bit = self.slack, 1 << self.slack
        losing = self.may_lose & self.loaded_mask
        wanted = 1 << first
        # Reverse search, level by level, from the workshops holding the class: who can
        # pass a unit into them? It stops once the best candidate is seen.
        levels = [holding]
        seen = frontier = holding
        while frontier and not seen & wanted:
            reached = 0
            for u in _bits(frontier):
                if u == slack:
                    reached |= self.free_mask
                else:
                    reached |= self.pred[u]
                    if losing >> u & 1:
                        reached |= slack_bit
            frontier = reached & ~seen
            seen |= frontier
            levels.append(frontier)
        workshop = next(w for w in candidates if seen >> w & 1)
        if holding >> workshop & 1:
            return workshop, workshop
        depth = next(d for d, level in enumerate(levels) if level >> workshop & 1)
        path = [workshop]
        for level in reversed(levels[:depth]):
            node = path[-1]
            if node == slack:
                heads = losing
            else:
                heads = self.succ[node] | (slack_bit if self.free_mask >> node & 1 else 0)
            heads &= level
            path.append((heads & -heads).bit_length() - 1)
        # Along the path each node passes one unit to the next: ``workshop`` gets a place
        # and the path's end, where the class's unit is, one more than it needs.
        self._move(path, 1)
        return workshop, path[-1]
