"""The committed lottery on in-memory repositories: one secret, no re-roll, reveal, publish."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from registrar import lottery
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.admissions import AdmissionsService
from registrar.services.lottery import (
    InvalidPublicValue,
    LotteryNotRevealed,
    LotteryService,
    PublicValueAlreadyEntered,
    PublicValueMissing,
    PublicValueNotConfigured,
    PublicValueTooEarly,
    publication,
    published_tickets,
)
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    applicant_key,
    submit_and_register,
)

World = tuple[MemoryApplications, MemoryRuns, MemoryQueue, SettableClock]


def variant(conference: Conference, **admission: Any) -> Conference:
    """The definition with other admission rules (no reservations unless asked)."""
    lottery_rules = admission.pop("lottery", None)
    reserved = admission.pop("reserved", False)
    rules = conference.admission.model_copy(update=admission)
    if lottery_rules is not None:
        rules = rules.model_copy(update={"lottery": rules.lottery.model_copy(update=lottery_rules)})
    groups = [
        g if reserved else g.model_copy(update={"reserved": 0}) for g in conference.attendee_groups
    ]
    return conference.model_copy(update={"admission": rules, "attendee_groups": groups})


def registered(conference: Conference, applicants: int, *, withdrawn: int = 0) -> World:
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(conference.deadline - dt.timedelta(days=5))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(3), APPLICANT_KEYS
    )
    for number in range(applicants):
        submission = validate_submission(
            valid_request(
                conference,
                number,
                group=conference.group_ids[number % len(conference.group_ids)],
                organisation=f"Org {number % 23}",
            ),
            conference,
        )
        submit_and_register(registration, submission)
        registration.confirm(applicant_key(conference.id, f"erika.mustermann+{number}@example.org"))
    queue.sent.clear()
    clock.set(conference.closes_at)
    return store, runs, queue, clock


def admissions(conference: Conference, world: World, rng: int = 9) -> AdmissionsService:
    store, runs, queue, clock = world
    return AdmissionsService(conference, store, runs, queue, clock, random.Random(rng))


def changes(run: Any) -> list[dict[str, Any]]:
    return [change.model_dump() for change in run.changes]


def test_exactly_one_secret_exists_however_many_draw(conference: Conference) -> None:
    runs, clock = MemoryRuns(), SettableClock(conference.deadline - dt.timedelta(days=30))
    first = LotteryService(conference, runs, clock, random.Random(1))
    second = LotteryService(conference, runs, clock, random.Random(2))
    commitment = first.commitment()
    assert second.commitment() == commitment
    assert lottery.HEX64.fullmatch(commitment)
    drawn = runs.lotteries[conference.id].drawn
    assert lottery.commitment(drawn.secret) == commitment
    assert drawn.committed_at == clock.now()


class DrawnReadTooEarly(MemoryRuns):
    """Reads the draw as it was before another process stored its own (the race)."""

    blind = False

    def drawn(self, event_id: str) -> Any:
        if self.blind:
            self.blind = False
            return None
        return super().drawn(event_id)


def test_a_process_that_loses_the_race_to_draw_uses_the_stored_secret(
    conference: Conference,
) -> None:
    runs, clock = DrawnReadTooEarly(), SettableClock(conference.deadline - dt.timedelta(days=30))
    winner = LotteryService(conference, runs, clock, random.Random(1)).commitment()
    runs.blind = True
    loser = LotteryService(conference, runs, clock, random.Random(2))
    assert loser.commitment() == winner
    assert lottery.commitment(runs.lotteries[conference.id].drawn.secret) == winner


def test_tickets_are_fixed_and_unlinkable_without_the_key(conference: Conference) -> None:
    runs, clock = MemoryRuns(), SettableClock(conference.deadline - dt.timedelta(days=30))
    service = LotteryService(conference, runs, clock, random.Random(1))
    code = service.ticket("R-ABCD-1234")
    assert lottery.TICKET.fullmatch(code)
    assert LotteryService(conference, runs, clock, random.Random(5)).ticket("R-ABCD-1234") == code
    key = runs.lotteries[conference.id].drawn.ticket_key
    assert lottery.ticket(key, "R-ABCD-1234") == code
    assert lottery.ticket("0" * 64, "R-ABCD-1234") != code


def test_every_dry_run_uses_the_committed_seed_so_the_preview_is_what_apply_does(
    conference: Conference,
) -> None:
    small = variant(conference, capacity=40, spread_cap=2)
    world = registered(small, 90)
    first = admissions(small, world, rng=1).run("organiser", dry_run=True)
    again = admissions(small, world, rng=2).run("organiser", dry_run=True)
    applied = admissions(small, world, rng=3).run("deadline", dry_run=False)
    assert first.seed == again.seed == applied.seed
    assert changes(first) == changes(again) == changes(applied)
    assert first.emails_queued == applied.emails_queued


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    applicants=st.integers(min_value=3, max_value=45),
    capacity=st.integers(min_value=1, max_value=30),
    cap=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
    leaving=st.lists(st.integers(min_value=0, max_value=44), max_size=6, unique=True),
    rng=st.integers(min_value=0, max_value=2**32),
)
def test_property_preview_equals_apply_at_the_deadline_and_after_withdrawals(
    conference: Conference,
    applicants: int,
    capacity: int,
    cap: int | None,
    leaving: list[int],
    rng: int,
) -> None:
    small = variant(conference, capacity=capacity, spread_cap=cap)
    world = registered(small, applicants)
    store, _, _, clock = world
    preview = admissions(small, world, rng=rng).run("organiser", dry_run=True)
    applied = admissions(small, world, rng=rng + 1).run("deadline", dry_run=False)
    assert changes(preview) == changes(applied)
    for number in leaving:
        if number < applicants:
            key = applicant_key(small.id, f"erika.mustermann+{number}@example.org")
            application = store.get(small.id, key)
            assert application is not None
            application.status = "withdrawn"
            store.save(application)
    clock.advance(dt.timedelta(days=1))
    preview = admissions(small, world, rng=rng + 2).run("organiser", dry_run=True)
    applied = admissions(small, world, rng=rng + 3).run("daily", dry_run=False)
    assert changes(preview) == changes(applied)


def test_the_applied_run_reveals_the_secret_and_only_then_the_draw_can_be_published(
    conference: Conference,
) -> None:
    small = variant(conference, capacity=20)
    world = registered(small, 50)
    store, runs, _, clock = world
    service = LotteryService(small, runs, clock, random.Random(1))
    admissions(small, world).run("organiser", dry_run=True)
    state = service.state()
    assert state.revealed_at is None
    with pytest.raises(LotteryNotRevealed):
        publication(small, state, published_tickets(store.list(small.id), state.drawn))
    admissions(small, world).run("deadline", dry_run=False)
    assert service.state().revealed_at == clock.now()
    clock.advance(dt.timedelta(days=1))
    admissions(small, world).run("daily", dry_run=False)
    assert service.state().revealed_at == clock.now() - dt.timedelta(days=1)  # the first stays


def test_the_published_draw_holds_names_nobody_and_is_the_order_that_seated_people(
    conference: Conference,
) -> None:
    small = variant(conference, capacity=20, spread_cap=None)  # the pure lottery
    world = registered(small, 50)
    store, runs, _, clock = world
    admissions(small, world).run("deadline", dry_run=False)
    service = LotteryService(small, runs, clock, random.Random(1))
    state = service.state()
    people = list(store.list(small.id))
    document = publication(small, state, published_tickets(people, state.drawn))
    assert lottery.first_discrepancy(document, expected_commitment=service.commitment()) is None
    text = json.dumps(document, ensure_ascii=False)
    for person in people:
        for personal in (person.email, person.public_id, person.family_name, person.organisation):
            assert personal not in text
    outcomes = {row["ticket"]: row["outcome"] for row in document["tickets"]}
    for person in people:
        expected = "admitted" if person.status == "accepted" else person.status
        assert outcomes[service.ticket(person.public_id)] == expected
    # No reservations, no cap: the first 20 places got the 20 seats, the rest wait in order.
    assert [row["outcome"] for row in document["tickets"]] == ["admitted"] * 20 + [
        "waitlisted"
    ] * 30
    assert document["rules"]["capacity"] == 20
    assert not any(row["late"] for row in document["tickets"])  # all confirmed in time
    assert {g["id"] for g in document["rules"]["groups"]} == set(small.group_ids)


def test_with_a_public_value_no_run_happens_until_it_is_entered_after_the_deadline(
    conference: Conference,
) -> None:
    small = variant(conference, capacity=20, lottery={"public_value": "required"})
    world = registered(small, 30)
    _, runs, _, clock = world
    service = LotteryService(small, runs, clock, random.Random(1))
    clock.set(small.deadline - dt.timedelta(hours=1))
    with pytest.raises(PublicValueTooEarly):
        service.enter_public_value("3 9 21 30 41 44")
    with pytest.raises(PublicValueMissing):
        admissions(small, world).run("organiser", dry_run=True, as_if_closed=True)
    clock.set(small.closes_at)
    with pytest.raises(PublicValueMissing):
        admissions(small, world).run("deadline", dry_run=False)
    with pytest.raises(InvalidPublicValue):
        service.enter_public_value("   ")
    service.enter_public_value("3 9 21 30 41 44")
    with pytest.raises(PublicValueAlreadyEntered):
        service.enter_public_value("1 2 3 4 5 6")  # another value would draw again
    run = admissions(small, world).run("deadline", dry_run=False)
    secret = runs.lotteries[small.id].drawn.secret
    assert run.seed == lottery.seed(secret, "3 9 21 30 41 44") != lottery.seed(secret, None)


def test_a_public_value_the_definition_does_not_ask_for_is_refused(
    conference: Conference,
) -> None:
    runs, clock = MemoryRuns(), SettableClock(conference.closes_at)
    with pytest.raises(PublicValueNotConfigured):
        LotteryService(conference, runs, clock, random.Random(1)).enter_public_value("42")


def test_a_seed_written_into_the_definition_is_refused_with_a_sentence(
    conference: Conference,
) -> None:
    data = conference.model_dump(mode="json")
    data["admission"]["lottery_seed"] = "chosen-by-someone"
    with pytest.raises(ValidationError, match=r"admission\.lottery_seed: a seed written into"):
        Conference.model_validate(data)
