"""Admission decisions: who gets a seat, which workshop in each slot, and extra places.

Owns ``allocate`` and the value types around it. Everything it needs (the applicants with
their current state, the policy, the lottery seed and the time) is passed in, so a run is
pure and can be replayed exactly. Runs are stable: whoever is already admitted keeps seat,
workshops and extra places; later runs only hand freed seats down the waiting list.

The policy, in the order a run applies it (``_fill``):

- **Precedence.** ``open_first`` (the default): the open seats (capacity minus the
  reservations still unfilled) go to everybody in priority order; then each group's
  reserved seats go to its members still waiting, in priority order. A reservation thus
  comes on top of a group's fair chance at the open seats (Dur, Kominers, Pathak, Sönmez,
  "The Demise of Walk Zones in Boston"). ``reserved_first`` fills the reserved seats first.
  Reserved seats that a group cannot fill go to everybody.
- **Cap.** Whoever's organisation already holds ``spread_cap`` seats is passed over while
  anyone else can take the seat; seats still free after that go to them, in priority
  order, so a cap never leaves a seat empty while someone eligible waits.
- **Queue.** The deadline run (``first_run``) fixes the order of everyone it waitlists:
  the order in which they would be admitted if seats came free one at a time (``_queue``),
  stored as each one's ``queue_place``. Later runs go down that stored order; applicants
  without a place (in the running only since) come after every place, in priority order,
  and get the next places. The waiting list only loses people, so a waitlisted person's
  position (1-based among those still waitlisted, in place order) never increases. A
  freed seat goes to the first person in the order who fits; whoever is passed over, and
  why (their organisation's cap, a seat held for a group short of its reservation), is
  in ``AllocationResult.passed_over``.
- **Close.** Once the waiting list is closed (``waitlist_open`` False) a later run seats
  nobody new: everyone still waiting is told no place is left, and stays so.
- **Late.** An applicant who confirmed after the deadline (``Applicant.late``) is not in
  the deadline run (the service leaves it out) and takes no place in the queue: a later run
  seats it only once no timely applicant is left waiting; until then it stays as it is.
- **Days.** A participant gets a workshop in each slot on the days they attend and none on
  the others, and a place in an extra only on a day they attend.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from registrar.application import (
    FINAL,
    HOLDS_SEAT,
    IN_THE_RUNNING,
    Actor,
    Status,
    sources,
    targets,
)
from registrar.lottery import lottery_place
from registrar.workshops import assign_workshops

ApplicantState = Status  # the stored application's status, as the core sees it
ExtraStatus = Literal["place", "waitlist"]
Precedence = Literal["open_first", "reserved_first"]
PassOverReason = Literal["organisation_cap", "reserved_seat"]

# Read from the state table (registrar.application.STATES), like HOLDS_SEAT (seats that
# count against the capacity), IN_THE_RUNNING (whom a run may seat) and FINAL (whom a run
# leaves alone): the statuses a run may set, in the table's order (the stats count them in
# it), and the seats that a run ends when their offer lapses.
DECISION_STATUSES: tuple[Status, ...] = targets(Actor.ADMISSIONS)
_LAPSING = frozenset(sources("expired", Actor.ADMISSIONS)) & HOLDS_SEAT
# A decision of an earlier run: while nobody holds one, a run is the first (the deadline's).
_DECIDED = frozenset(DECISION_STATUSES)
# Sorts before every submission time, so lottery order can share first-come's key shape.
_NO_TIME = datetime.min.replace(tzinfo=UTC)


class AllocationError(ValueError):
    """The input cannot be allocated; the message names the application or slot at fault."""


@dataclass(frozen=True, slots=True)
class GroupQuota:
    group_id: str
    reserved: int  # seats held for this group; 0 = none


@dataclass(frozen=True, slots=True)
class SlotSpec:
    slot_id: str
    capacities: Mapping[str, int]  # workshop_id -> capacity
    day: date | None = None  # the event day it is on; None: every participant's


@dataclass(frozen=True, slots=True)
class ExtraSpec:
    extra_id: str
    capacity: int
    day: date | None = None  # the event day it is on; None: every participant's


@dataclass(frozen=True, slots=True)
class AdmissionPolicy:
    capacity: int
    groups: tuple[GroupQuota, ...]  # every group an applicant may belong to
    order: Literal["lottery", "first_come"]
    spread_cap: int | None  # max admitted per spread_key; None = no cap
    slots: tuple[SlotSpec, ...]
    extras: tuple[ExtraSpec, ...]
    offer_ttl: timedelta | None  # moved-up people get an offer this long; None = accepted
    waitlist_open: bool = True  # False: not admitted -> "not_admitted", not "waitlisted"
    precedence: Precedence = "open_first"  # which seats a run fills first


@dataclass(frozen=True, slots=True)
class Applicant:
    application_id: str
    group: str
    submitted_at: datetime  # tz-aware
    spread_key: str  # normalised organisation/municipality; "" = not capped
    rankings: Mapping[str, tuple[str, ...]]  # slot_id -> workshop ids, most preferred first
    extras_wanted: frozenset[str]
    state: ApplicantState = "new"  # the decision of earlier runs
    workshops: Mapping[str, str] = field(default_factory=dict)  # current slot -> workshop
    extras: Mapping[str, ExtraStatus] = field(default_factory=dict)
    offer_expires_at: datetime | None = None
    queue_place: int | None = None  # place in the waiting list's fixed order, once given
    # The applicant's lottery ticket (registrar.lottery.ticket), whose draw is their place
    # in the published lottery; "" = the application id stands in (no ticket issued).
    ticket: str = ""
    # The event days attended; empty: every day. No workshop or extra on another day.
    days: frozenset[date] = frozenset()
    # Confirmed after the deadline: never part of the deadline run (the service leaves it
    # out); in later runs seated only once no timely applicant is left waiting. It gets no
    # queue place and no waiting-list position.
    late: bool = False

    def attends(self, day: date | None) -> bool:
        return day is None or not self.days or day in self.days


@dataclass(frozen=True, slots=True)
class Decision:
    application_id: str
    status: Status  # one of DECISION_STATUSES
    waitlist_position: int | None  # 1-based among the waitlisted, else None
    workshops: Mapping[str, str]  # slot_id -> workshop_id when accepted/offered, else {}
    extras: Mapping[str, ExtraStatus]  # accepted/offered only, extras they want only
    offer_expires_at: datetime | None
    queue_place: int | None = None  # kept once given (see the module docstring)


@dataclass(frozen=True, slots=True)
class PassedOver:
    """Someone ahead in the waiting list's order who stayed while a later one got a seat."""

    application_id: str
    reason: PassOverReason
    group: str  # reserved_seat: the group the seat was held for; else ""


@dataclass(frozen=True, slots=True)
class AllocationStats:
    """Counts for the organisers' dashboard; ``to_dict`` is JSON-ready."""

    capacity: int
    seats_taken: int  # in a seat-holding status (accepted, offered)
    seats_free: int
    first_allocation: bool  # the deadline run: new admits accepted outright, not offered
    statuses: dict[str, int]  # status -> applicants
    groups: dict[str, dict[str, int]]  # group -> status -> applicants
    workshops: dict[str, dict[str, int]]  # slot -> workshop -> participants
    choices: dict[str, list[int]]  # slot -> participants who got their 1st, 2nd, ... choice
    extras: dict[str, dict[str, int]]  # extra -> {"capacity", "place", "waitlist"}

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class AllocationResult:
    decisions: Mapping[str, Decision]  # priority order; none for declined/cancelled/withdrawn
    stats: AllocationStats
    passed_over: tuple[PassedOver, ...] = ()  # later runs only, in the waiting list's order


def allocate(
    applicants: Sequence[Applicant],
    policy: AdmissionPolicy,
    seed: str,
    now: datetime,
    *,
    first_run: bool | None = None,
) -> AllocationResult:
    """Decide every applicant who has not declined, cancelled or withdrawn.

    ``first_run``: the deadline run, which admits outright and fixes the waiting list's
    order. Unless given, it is the run in which nobody holds an earlier run's decision (a
    withdrawal or cancellation before the deadline does not count).
    """
    _validate(applicants, policy, now)
    if first_run is None:
        first_run = not any(a.state in _DECIDED for a in applicants)
    ordered = sorted(applicants, key=_order_key(policy, seed))
    kept = [a for a in ordered if _keeps_seat(a, now)]
    kept_ids = {a.application_id for a in kept}
    competing = [a for a in ordered if a.state in IN_THE_RUNNING]
    if first_run:
        queue = competing
        free = max(0, policy.capacity - len(kept))
    else:
        # Stored places first, in their order; the rest after them, in priority order.
        placed = sorted((a for a in competing if a.queue_place is not None), key=_place)
        queue = placed + [a for a in competing if a.queue_place is None]
        free = max(0, policy.capacity - len(kept)) if policy.waitlist_open else 0
    admitted, rest, late_waiting = _fill_timely_first(kept, queue, free, policy)
    seated_ids = kept_ids | admitted
    seated = [a for a in ordered if a.application_id in seated_ids]
    if first_run:
        waitlist = _queue(seated, rest, policy) if policy.waitlist_open else []
        places = {a.application_id: n for n, a in enumerate(waitlist, start=1)}
        passed_over: tuple[PassedOver, ...] = ()
    else:
        waitlist = rest if policy.waitlist_open else []
        places = _places(applicants, waitlist)
        passed_over = _passed_over(kept, queue, admitted, policy)
    workshops = _assign_all_workshops(seated, kept_ids, policy)
    extras = _assign_extras(seated, kept_ids, policy)

    new_status: Status = "accepted"
    new_expiry = None
    if not first_run and policy.offer_ttl is not None:
        new_status, new_expiry = "offered", now + policy.offer_ttl
    waitlist_position = {a.application_id: i for i, a in enumerate(waitlist, start=1)}

    decisions: dict[str, Decision] = {}
    for a in ordered:
        app_id = a.application_id
        place = places.get(app_id, None if first_run else a.queue_place)
        if app_id in kept_ids:
            lapsing = a.state in _LAPSING
            decisions[app_id] = Decision(
                app_id,
                a.state,
                None,
                workshops[app_id],
                extras[app_id],
                a.offer_expires_at if lapsing else None,
                place,
            )
        elif app_id in seated_ids:
            decisions[app_id] = Decision(
                app_id, new_status, None, workshops[app_id], extras[app_id], new_expiry, place
            )
        elif app_id in late_waiting and policy.waitlist_open:
            continue  # waits as it is, behind every timely applicant
        elif app_id in waitlist_position:
            decisions[app_id] = Decision(
                app_id, "waitlisted", waitlist_position[app_id], {}, {}, None, place
            )
        elif a.state in IN_THE_RUNNING or a.state == "not_admitted":  # told: it stays so
            decisions[app_id] = Decision(app_id, "not_admitted", None, {}, {}, None, place)
        elif a.state not in FINAL:  # an offer that lapsed, now or in an earlier run
            decisions[app_id] = Decision(app_id, "expired", None, {}, {}, a.offer_expires_at, place)
    stats = _stats(decisions, {a.application_id: a for a in ordered}, policy, first_run)
    return AllocationResult(decisions, stats, passed_over)


def _validate(applicants: Sequence[Applicant], policy: AdmissionPolicy, now: datetime) -> None:
    if now.utcoffset() is None:
        raise AllocationError("now must be timezone-aware")
    groups = {g.group_id for g in policy.groups}
    slots = {s.slot_id: s.capacities for s in policy.slots}
    extras = {e.extra_id for e in policy.extras}
    seen: set[str] = set()
    places: set[int] = set()
    for applicant in applicants:
        if applicant.application_id in seen:
            problem: str | None = "appears more than once"
        elif applicant.queue_place in places:
            problem = f"shares queue place {applicant.queue_place} with another application"
        else:
            problem = _problem(applicant, groups, slots, extras)
        if problem:
            raise AllocationError(f"application {applicant.application_id!r}: {problem}")
        seen.add(applicant.application_id)
        if applicant.queue_place is not None:
            places.add(applicant.queue_place)


def _problem(
    applicant: Applicant,
    groups: set[str],
    slots: Mapping[str, Mapping[str, int]],
    extras: set[str],
) -> str | None:
    """What is wrong with one applicant against the policy, if anything."""
    if applicant.group not in groups:
        return f"unknown group {applicant.group!r}"
    if applicant.submitted_at.utcoffset() is None:
        return "submitted_at must be timezone-aware"
    if applicant.queue_place is not None and applicant.queue_place < 1:
        return f"queue place {applicant.queue_place} is not a positive number"
    expires = applicant.offer_expires_at
    if expires is not None and expires.utcoffset() is None:
        return "offer_expires_at must be timezone-aware"
    for slot_id, ranking in applicant.rankings.items():
        if slot_id not in slots:
            return f"ranks unknown slot {slot_id!r}"
        if len(set(ranking)) != len(ranking) or not set(ranking) <= slots[slot_id].keys():
            return f"ranking for slot {slot_id!r} has unknown or repeated workshops {ranking!r}"
    for slot_id, workshop in applicant.workshops.items():
        if workshop not in slots.get(slot_id, {}):
            return f"holds unknown workshop {workshop!r} in slot {slot_id!r}"
    unknown_extras = (applicant.extras_wanted | applicant.extras.keys()) - extras
    if unknown_extras:
        return f"unknown extra(s) {sorted(unknown_extras)}"
    return None


def _order_key(
    policy: AdmissionPolicy, seed: str
) -> Callable[[Applicant], tuple[bool, datetime, str, str]]:
    """Priority, lower first: timely before late, then the ticket's draw, or the submission
    time with the draw as tiebreak.

    In lottery order (among the timely) this is the published order
    (``registrar.lottery.lottery_order``).
    """

    def key(applicant: Applicant) -> tuple[bool, datetime, str, str]:
        submitted = applicant.submitted_at if policy.order == "first_come" else _NO_TIME
        entry = applicant.ticket or applicant.application_id
        return _late(applicant), submitted, lottery_place(seed, entry), entry

    return key


def _late(applicant: Applicant) -> bool:
    """Marked late, or still in the ``late`` status (which only a late confirmation sets)."""
    return applicant.late or applicant.state == "late"


def _keeps_seat(applicant: Applicant, now: datetime) -> bool:
    """A seat is kept, an offer's only until it lapses."""
    expires = applicant.offer_expires_at
    lapsed = applicant.state in _LAPSING and expires is not None and expires <= now
    return applicant.state in HOLDS_SEAT and not lapsed


def _place(applicant: Applicant) -> int:
    return applicant.queue_place or 0


class _Seats:
    """The seats as a run fills them: who sits, per organisation and per group short."""

    def __init__(self, seated: Sequence[Applicant], policy: AdmissionPolicy) -> None:
        self.cap = policy.spread_cap
        self.spread = Counter(a.spread_key for a in seated if a.spread_key)
        self.short = Counter({g.group_id: g.reserved for g in policy.groups})
        self.short.subtract(a.group for a in seated)
        self.unfilled = {group: max(0, left) for group, left in self.short.items()}

    def capped(self, applicant: Applicant) -> bool:
        """Whether the applicant's organisation already holds as many seats as the cap."""
        key = applicant.spread_key
        return self.cap is not None and key != "" and self.spread[key] >= self.cap

    def take(self, applicant: Applicant) -> None:
        self.spread[applicant.spread_key] += 1
        self.short[applicant.group] -= 1


def _fill(
    kept: Sequence[Applicant], queue: Sequence[Applicant], free: int, policy: AdmissionPolicy
) -> set[str]:
    """The ids of those in ``queue`` who get one of ``free`` seats (see the module docstring).

    Each stage goes down the queue in its order. Reserved seats held for a group are the
    reservation still unfilled when the run starts; seats taken by the group's members in
    the open stage do not fill it, which is what makes a reservation come on top.
    """
    seats = _Seats(kept, policy)
    reserved_left = dict(seats.unfilled)
    chosen: set[str] = set()

    def stage(seats_in_stage: int, fits: Callable[[Applicant], bool]) -> None:
        nonlocal free
        for applicant in queue:
            if free == 0 or seats_in_stage == 0:
                return
            if applicant.application_id in chosen or not fits(applicant):
                continue
            chosen.add(applicant.application_id)
            seats.take(applicant)
            free -= 1
            seats_in_stage -= 1

    def reserved(applicant: Applicant) -> bool:
        if reserved_left.get(applicant.group, 0) <= 0 or seats.capped(applicant):
            return False
        reserved_left[applicant.group] -= 1
        return True

    def uncapped(applicant: Applicant) -> bool:
        return not seats.capped(applicant)

    if policy.precedence == "open_first":
        stage(max(0, free - sum(reserved_left.values())), uncapped)
    stage(free, reserved)
    stage(free, uncapped)  # the open seats (reserved first) and reserved seats left unused
    stage(free, lambda applicant: True)  # the cap yields rather than leave a seat empty
    return chosen


def _fill_timely_first(
    kept: Sequence[Applicant], queue: Sequence[Applicant], free: int, policy: AdmissionPolicy
) -> tuple[set[str], list[Applicant], set[str]]:
    """``_fill`` for the timely applicants of the queue, then, only once every one of them
    is seated, for the late ones with the seats left.

    Returns the ids seated, the timely left waiting (in queue order) and the ids of the
    late left waiting.
    """
    timely = [a for a in queue if not _late(a)]
    late = [a for a in queue if _late(a)]
    admitted = _fill(kept, timely, free, policy)
    if late and len(admitted) == len(timely):
        seated_timely = [*kept, *(a for a in timely if a.application_id in admitted)]
        admitted |= _fill(seated_timely, late, free - len(admitted), policy)
    waiting = [a for a in timely if a.application_id not in admitted]
    return admitted, waiting, {a.application_id for a in late if a.application_id not in admitted}


def _queue(
    seated: Sequence[Applicant], rest: Sequence[Applicant], policy: AdmissionPolicy
) -> list[Applicant]:
    """The waiting list's order: who would be admitted next as seats came free one by one.

    A single free seat goes to a group still short of its reservation, if it has someone
    uncapped waiting; else to the first uncapped; else to the first. Seating one only ever
    adds to the counts, so three passes down the priority order give the same sequence.
    """
    seats = _Seats(seated, policy)
    order: list[Applicant] = []
    placed: set[str] = set()

    def place(fits: Callable[[Applicant], bool]) -> None:
        for applicant in rest:
            if applicant.application_id not in placed and fits(applicant):
                order.append(applicant)
                placed.add(applicant.application_id)
                seats.take(applicant)

    place(lambda a: seats.short[a.group] > 0 and not seats.capped(a))
    place(lambda a: not seats.capped(a))
    place(lambda a: True)
    return order


def _places(applicants: Sequence[Applicant], waitlist: Sequence[Applicant]) -> dict[str, int]:
    """Places for the newly waitlisted who have none: after every place given so far."""
    last = max((a.queue_place or 0 for a in applicants), default=0)
    unplaced = [a for a in waitlist if a.queue_place is None]
    return {a.application_id: last + n for n, a in enumerate(unplaced, start=1)}


def _passed_over(
    kept: Sequence[Applicant],
    queue: Sequence[Applicant],
    admitted: set[str],
    policy: AdmissionPolicy,
) -> tuple[PassedOver, ...]:
    """Who stayed waiting ahead of someone seated in this run, and why.

    Seats go to the uncapped before the capped, so a capped person ahead of a newcomer was
    passed over for the cap; an uncapped one only for a seat reserved for a later
    newcomer's group (its reservation unfilled when the run began).
    """
    seats = _Seats([*kept, *(a for a in queue if a.application_id in admitted)], policy)
    unfilled = _Seats(kept, policy).unfilled
    passed: list[PassedOver] = []
    newcomer_behind, held_for = False, ""
    for applicant in reversed(queue):
        if applicant.application_id in admitted:
            newcomer_behind = True
            held_for = applicant.group if unfilled[applicant.group] else held_for
        elif newcomer_behind and seats.capped(applicant):
            passed.append(PassedOver(applicant.application_id, "organisation_cap", ""))
        elif newcomer_behind:
            passed.append(PassedOver(applicant.application_id, "reserved_seat", held_for))
    return tuple(reversed(passed))


def _assign_all_workshops(
    seated: list[Applicant], kept_ids: set[str], policy: AdmissionPolicy
) -> dict[str, dict[str, str]]:
    """Kept assignments stay; whoever lacks a workshop in a slot gets one, optimally."""
    assigned = {
        a.application_id: dict(a.workshops) if a.application_id in kept_ids else {} for a in seated
    }
    for slot in policy.slots:
        left = dict(slot.capacities)
        for workshops in assigned.values():
            if slot.slot_id in workshops:
                left[workshops[slot.slot_id]] -= 1
        # A workshop can be over-full when its capacity was lowered after admissions.
        left = {workshop: max(0, places) for workshop, places in left.items()}
        needing = [
            a
            for a in seated
            if slot.slot_id not in assigned[a.application_id] and a.attends(slot.day)
        ]
        if len(needing) > sum(left.values()):
            raise AllocationError(
                f"slot {slot.slot_id!r}: {len(needing)} admitted people need a workshop but "
                f"only {sum(left.values())} places are left; workshop capacities must add "
                "up to at least the admission capacity"
            )
        people = [(a.application_id, a.rankings.get(slot.slot_id, ())) for a in needing]
        for app_id, workshop in assign_workshops(people, left).items():
            assigned[app_id][slot.slot_id] = workshop
    return assigned


def _assign_extras(
    seated: list[Applicant], kept_ids: set[str], policy: AdmissionPolicy
) -> dict[str, dict[str, ExtraStatus]]:
    """Kept places stay; free places go in priority order; the other wishes wait."""
    result: dict[str, dict[str, ExtraStatus]] = {a.application_id: {} for a in seated}
    for extra in policy.extras:
        wanting = [a for a in seated if extra.extra_id in a.extras_wanted and a.attends(extra.day)]
        holders = {
            a.application_id
            for a in wanting
            if a.application_id in kept_ids and a.extras.get(extra.extra_id) == "place"
        }
        free = max(0, extra.capacity - len(holders))
        status: ExtraStatus
        for applicant in wanting:
            if applicant.application_id in holders:
                status = "place"
            elif free:
                status, free = "place", free - 1
            else:
                status = "waitlist"
            result[applicant.application_id][extra.extra_id] = status
    return result


def _stats(
    decisions: Mapping[str, Decision],
    applicants: Mapping[str, Applicant],
    policy: AdmissionPolicy,
    first_allocation: bool,
) -> AllocationStats:
    statuses: dict[str, int] = dict.fromkeys(DECISION_STATUSES, 0)
    groups: dict[str, dict[str, int]] = {
        g.group_id: dict.fromkeys(DECISION_STATUSES, 0) for g in policy.groups
    }
    workshops = {s.slot_id: dict.fromkeys(s.capacities, 0) for s in policy.slots}
    choices = {s.slot_id: [0] * len(s.capacities) for s in policy.slots}
    extras = {
        e.extra_id: {"capacity": e.capacity, "place": 0, "waitlist": 0} for e in policy.extras
    }
    for decision in decisions.values():
        applicant = applicants[decision.application_id]
        statuses[decision.status] += 1
        groups[applicant.group][decision.status] += 1
        for slot_id, workshop in decision.workshops.items():
            workshops[slot_id][workshop] += 1
            ranking = applicant.rankings.get(slot_id, ())
            # Unranked workshops share the rank after the last ranked one, as in the solver.
            rank = ranking.index(workshop) if workshop in ranking else len(ranking)
            choices[slot_id][rank] += 1
        for extra_id, status in decision.extras.items():
            extras[extra_id][status] += 1
    taken = sum(statuses[status] for status in HOLDS_SEAT)
    return AllocationStats(
        capacity=policy.capacity,
        seats_taken=taken,
        seats_free=max(0, policy.capacity - taken),
        first_allocation=first_allocation,
        statuses=statuses,
        groups=groups,
        workshops=workshops,
        choices=choices,
        extras=extras,
    )
