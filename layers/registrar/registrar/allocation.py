"""Admission decisions: who gets a seat, which workshop in each slot, and extra places.

Owns ``allocate`` and the value types around it. Everything it needs (the applicants with
their current state, the policy, the lottery seed and the time) is passed in, so a run is
pure and can be replayed exactly. Runs are stable: whoever is already admitted keeps seat,
workshops and extra places; later runs only hand freed seats down the waitlist.

A participant gets a workshop in each slot on the days they attend and none on the others,
and a place in an extra only on a day they attend. A late applicant (confirmed after the
deadline) is seated only when no timely applicant is left waiting.
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

# Read from the state table (registrar.application.STATES), like HOLDS_SEAT (seats that
# count against the capacity), IN_THE_RUNNING (whom a run may seat) and FINAL (whom a run
# leaves alone): the statuses a run may set, in the table's order (the stats count them in
# it), and the seats that a run ends when their offer lapses.
DECISION_STATUSES: tuple[Status, ...] = targets(Actor.ADMISSIONS)
_LAPSING = frozenset(sources("expired", Actor.ADMISSIONS)) & HOLDS_SEAT
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
    # The event days attended; empty: every day. No workshop or extra on another day.
    days: frozenset[date] = frozenset()
    # Confirmed after the deadline: never part of the deadline run (the service leaves it
    # out), and in later runs seated only when no timely applicant is left waiting. Has no
    # waiting-list position.
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


@dataclass(frozen=True, slots=True)
class AllocationStats:
    """Counts for the organisers' dashboard; ``to_dict`` is JSON-ready."""

    capacity: int
    seats_taken: int  # in a seat-holding status (accepted, offered)
    seats_free: int
    first_allocation: bool  # new admits were accepted outright, not offered
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


def allocate(
    applicants: Sequence[Applicant], policy: AdmissionPolicy, seed: str, now: datetime
) -> AllocationResult:
    """Decide every applicant who has not declined, cancelled or withdrawn."""
    _validate(applicants, policy, now)
    ordered = sorted(applicants, key=_order_key(policy, seed))
    kept = [a for a in ordered if _keeps_seat(a, now)]
    kept_ids = {a.application_id for a in kept}
    competing = [a for a in ordered if a.state in IN_THE_RUNNING]
    admitted, waitlist = _fill_seats(kept, [a for a in competing if not _late(a)], policy)
    late = [a for a in competing if _late(a)]
    if not waitlist:  # late applicants only once every timely one has a seat
        late_admitted, late = _fill_seats([*kept, *admitted], late, policy)
        admitted += late_admitted
    late_waiting = {a.application_id for a in late}
    seated_ids = kept_ids | {a.application_id for a in admitted}
    seated = [a for a in ordered if a.application_id in seated_ids]
    workshops = _assign_all_workshops(seated, kept_ids, policy)
    extras = _assign_extras(seated, kept_ids, policy)

    # Anybody out of the running means an earlier run decided: seats handed out now are
    # moved-up seats, which come as offers.
    first_allocation = all(a.state in IN_THE_RUNNING for a in applicants)
    new_status: Status = "accepted"
    new_expiry = None
    if not first_allocation and policy.offer_ttl is not None:
        new_status, new_expiry = "offered", now + policy.offer_ttl
    waitlist_position = {a.application_id: i for i, a in enumerate(waitlist, start=1)}

    decisions: dict[str, Decision] = {}
    for a in ordered:
        app_id = a.application_id
        if app_id in kept_ids:
            lapsing = a.state in _LAPSING
            decisions[app_id] = Decision(
                app_id,
                a.state,
                None,
                workshops[app_id],
                extras[app_id],
                a.offer_expires_at if lapsing else None,
            )
        elif app_id in seated_ids:
            decisions[app_id] = Decision(
                app_id, new_status, None, workshops[app_id], extras[app_id], new_expiry
            )
        elif app_id in waitlist_position and policy.waitlist_open:
            decisions[app_id] = Decision(
                app_id, "waitlisted", waitlist_position[app_id], {}, {}, None
            )
        elif app_id in late_waiting and policy.waitlist_open:
            continue  # stays as it is, behind every timely applicant
        elif app_id in waitlist_position or app_id in late_waiting:
            decisions[app_id] = Decision(app_id, "not_admitted", None, {}, {}, None)
        elif a.state not in FINAL:  # an offer that lapsed, now or in an earlier run
            decisions[app_id] = Decision(app_id, "expired", None, {}, {}, a.offer_expires_at)
    stats = _stats(decisions, {a.application_id: a for a in ordered}, policy, first_allocation)
    return AllocationResult(decisions, stats)


def _validate(applicants: Sequence[Applicant], policy: AdmissionPolicy, now: datetime) -> None:
    if now.utcoffset() is None:
        raise AllocationError("now must be timezone-aware")
    groups = {g.group_id for g in policy.groups}
    slots = {s.slot_id: s.capacities for s in policy.slots}
    extras = {e.extra_id for e in policy.extras}
    seen: set[str] = set()
    for applicant in applicants:
        if applicant.application_id in seen:
            problem: str | None = "appears more than once"
        else:
            problem = _problem(applicant, groups, slots, extras)
        if problem:
            raise AllocationError(f"application {applicant.application_id!r}: {problem}")
        seen.add(applicant.application_id)


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
    """Priority, lower first: timely before late, then the lottery place, or the submission
    time with the lottery as tiebreak."""

    def key(applicant: Applicant) -> tuple[bool, datetime, str, str]:
        submitted = applicant.submitted_at if policy.order == "first_come" else _NO_TIME
        place = lottery_place(seed, applicant.application_id)
        return _late(applicant), submitted, place, applicant.application_id

    return key


def _late(applicant: Applicant) -> bool:
    """Marked late, or still in the ``late`` status (which only a late confirmation sets)."""
    return applicant.late or applicant.state == "late"


def _keeps_seat(applicant: Applicant, now: datetime) -> bool:
    """A seat is kept, an offer's only until it lapses."""
    expires = applicant.offer_expires_at
    lapsed = applicant.state in _LAPSING and expires is not None and expires <= now
    return applicant.state in HOLDS_SEAT and not lapsed


def _fill_seats(
    kept: list[Applicant], candidates: list[Applicant], policy: AdmissionPolicy
) -> tuple[list[Applicant], list[Applicant]]:
    """Admit candidates into free seats; returns (admitted, waitlist), each in its order.

    Groups below their reservation fill it first, from their own candidates in priority
    order; then all remaining seats, including reserved seats a group could not use, go to
    everybody in priority order. Whoever's spread key is full is passed over, and waits
    behind everybody who is not.
    """
    free = max(0, policy.capacity - len(kept))
    spread = Counter(a.spread_key for a in kept if a.spread_key)
    short = Counter({g.group_id: g.reserved for g in policy.groups})
    short.subtract(a.group for a in kept)

    def capped(applicant: Applicant) -> bool:
        return (
            policy.spread_cap is not None
            and applicant.spread_key != ""
            and spread[applicant.spread_key] >= policy.spread_cap
        )

    chosen: set[str] = set()
    for reserved_only in (True, False):
        for applicant in candidates:
            if free == 0:
                break
            if applicant.application_id in chosen or capped(applicant):
                continue
            if reserved_only and short[applicant.group] <= 0:
                continue
            chosen.add(applicant.application_id)
            spread[applicant.spread_key] += 1
            short[applicant.group] -= 1
            free -= 1
    admitted = [a for a in candidates if a.application_id in chosen]
    rest = [a for a in candidates if a.application_id not in chosen]
    # Spread counts only grow during a run, so whoever is capped now met a full key when
    # their turn came (or would have, had seats been left).
    waitlist = [a for a in rest if not capped(a)] + [a for a in rest if capped(a)]
    return admitted, waitlist


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
