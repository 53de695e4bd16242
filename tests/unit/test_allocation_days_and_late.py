"""Allocation with the days people attend, and with late applicants (confirmed after the
deadline): no workshop or extra on a day not attended, capacities hold, and a late
applicant is seated only once no timely applicant is left waiting."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from registrar.allocation import (
    AdmissionPolicy,
    Applicant,
    ExtraSpec,
    GroupQuota,
    SlotSpec,
    allocate,
)

DAY1, DAY2 = date(2023, 5, 11), date(2023, 5, 12)
NOW = datetime(2023, 4, 11, 0, 0, tzinfo=UTC)
SUBMITTED = datetime(2023, 3, 1, 12, 0, tzinfo=UTC)


def _policy(capacity: int, *, workshop_places: int = 2, tour: int = 2) -> AdmissionPolicy:
    return AdmissionPolicy(
        capacity=capacity,
        groups=(GroupQuota("any", 0),),
        order="lottery",
        spread_cap=None,
        slots=(
            SlotSpec("day1", {"a": workshop_places, "b": workshop_places}, DAY1),
            SlotSpec("day2", {"c": workshop_places, "d": workshop_places}, DAY2),
        ),
        extras=(ExtraSpec("tour", tour, DAY1),),
        offer_ttl=timedelta(days=3),
    )


def _person(number: int, days: frozenset[date] = frozenset(), **fields: object) -> Applicant:
    defaults: dict[str, object] = {
        "application_id": f"R-{number:04d}",
        "group": "any",
        "submitted_at": SUBMITTED + timedelta(minutes=number),
        "spread_key": "",
        "rankings": {"day1": ("a", "b"), "day2": ("c", "d")},
        "extras_wanted": frozenset({"tour"}),
        "days": days,
    }
    defaults.update(fields)
    return Applicant(**defaults)  # type: ignore[arg-type]


def test_one_day_participants_get_workshops_and_extras_only_on_their_day() -> None:
    people = [
        _person(1),
        _person(2, frozenset({DAY1})),
        _person(3, frozenset({DAY2})),
        _person(4, frozenset({DAY1, DAY2})),
    ]
    result = allocate(people, _policy(4, tour=4), "seed", NOW)
    decisions = result.decisions
    assert all(d.status == "accepted" for d in decisions.values())
    assert set(decisions["R-0001"].workshops) == {"day1", "day2"}
    assert set(decisions["R-0002"].workshops) == {"day1"}
    assert set(decisions["R-0003"].workshops) == {"day2"}
    assert set(decisions["R-0004"].workshops) == {"day1", "day2"}
    # The tour is on day 1: the day-2-only participant is not offered it (no place, no
    # waiting-list place), though they asked for it.
    assert decisions["R-0003"].extras == {}
    assert decisions["R-0002"].extras == {"tour": "place"}
    assert result.stats.workshops["day1"] == {"a": 2, "b": 1}
    assert result.stats.workshops["day2"] == {"c": 2, "d": 1}


def test_a_slot_seats_only_its_day_so_its_capacity_holds_with_more_seats_than_places() -> None:
    """Four seats, but only three workshop places on day 2: fine when one person comes on
    day 1 only; every workshop stays within its capacity."""
    policy = AdmissionPolicy(
        capacity=4,
        groups=(GroupQuota("any", 0),),
        order="lottery",
        spread_cap=None,
        slots=(
            SlotSpec("day1", {"a": 2, "b": 2}, DAY1),
            SlotSpec("day2", {"c": 2, "d": 1}, DAY2),
        ),
        extras=(),
        offer_ttl=None,
    )
    people = [_person(n, extras_wanted=frozenset()) for n in range(1, 4)]
    people.append(_person(4, frozenset({DAY1}), extras_wanted=frozenset()))
    result = allocate(people, policy, "seed", NOW)
    assert sum(result.stats.workshops["day2"].values()) == 3
    assert result.stats.workshops["day2"]["d"] <= 1
    assert "day2" not in result.decisions["R-0004"].workshops


def test_the_tour_waiting_list_holds_only_people_there_that_day() -> None:
    people = [_person(n, frozenset({DAY2}) if n % 2 else frozenset()) for n in range(1, 7)]
    result = allocate(people, _policy(6, workshop_places=3, tour=1), "seed", NOW)
    for decision in result.decisions.values():
        day2_only = int(decision.application_id[-1]) % 2 == 1
        assert (decision.extras == {}) == day2_only
    assert result.stats.extras["tour"] == {"capacity": 1, "place": 1, "waitlist": 2}


def _after_deadline_run(people: list[Applicant]) -> list[Applicant]:
    """People as a later run sees them: the deadline run seated R-0001 and R-0002."""
    return [
        _person(
            int(p.application_id[2:]),
            state=p.state,
            late=p.late,
            workshops={"day1": "a", "day2": "c"} if p.state == "accepted" else {},
            extras={"tour": "place"} if p.state == "accepted" else {},
        )
        for p in people
    ]


def test_a_late_applicant_waits_while_a_timely_one_is_waiting() -> None:
    people = _after_deadline_run(
        [
            _person(1, state="declined"),  # a freed seat
            _person(2, state="accepted"),
            _person(3, state="waitlisted"),
            _person(4, state="late", late=True),
        ]
    )
    decisions = allocate(people, _policy(2), "seed", NOW).decisions
    assert decisions["R-0003"].status == "offered"
    # Still waiting, behind everybody timely: no decision, so nothing changes or is sent.
    assert "R-0004" not in decisions


def test_a_late_applicant_gets_a_seat_nobody_timely_needs_whatever_the_lottery_says() -> None:
    seeds = [f"seed-{n}" for n in range(12)]
    for seed in seeds:
        people = _after_deadline_run(
            [
                _person(1, state="declined"),
                _person(2, state="declined"),
                _person(3, state="accepted"),
                _person(4, state="waitlisted"),
                _person(5, state="late", late=True),
                _person(6, state="late", late=True),
            ]
        )
        decisions = allocate(people, _policy(3), seed, NOW).decisions
        assert decisions["R-0004"].status == "offered", seed  # timely first, always
        late = [decisions.get(f"R-000{n}") for n in (5, 6)]
        offered = [d for d in late if d is not None and d.status == "offered"]
        assert len(offered) == 1 and offered[0].waitlist_position is None
        assert set(offered[0].workshops) == {"day1", "day2"}


def test_when_the_waiting_list_closes_a_late_applicant_is_told_there_is_no_seat() -> None:
    people = _after_deadline_run(
        [_person(1, state="accepted"), _person(2, state="late", late=True)]
    )
    closed_policy = dataclasses.replace(_policy(1), waitlist_open=False)
    decisions = allocate(people, closed_policy, "seed", NOW).decisions
    assert decisions["R-0002"].status == "not_admitted"


def test_a_seat_reserved_for_its_group_does_not_put_a_late_applicant_before_a_timely_one() -> None:
    """Mayors have two seats held and hold one: still the timely administrator on the
    waiting list gets the freed seat, not the late mayor."""
    policy = dataclasses.replace(
        _policy(2), groups=(GroupQuota("mayor", 2), GroupQuota("administration", 0))
    )
    people = [
        _person(1, group="mayor", state="accepted", workshops={"day1": "a", "day2": "c"}),
        _person(2, group="administration", state="declined"),
        _person(3, group="administration", state="waitlisted", queue_place=1),
        _person(4, group="mayor", state="late", late=True),
    ]
    result = allocate(people, policy, "seed", NOW, first_run=False)
    assert result.decisions["R-0003"].status == "offered"
    assert "R-0004" not in result.decisions  # still waiting, no queue place given
