"""The admission run on in-memory repositories: decisions, emails, stability, safety."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import RunInProgress
from registrar.lottery import seed as lottery_seed
from registrar.services.admissions import AdmissionsService, RegistrationStillOpen
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

APPLICANTS = 220


@pytest.fixture
def world(
    conference: Conference,
) -> tuple[MemoryApplications, MemoryRuns, MemoryQueue, SettableClock]:
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(conference.deadline - dt.timedelta(days=5))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(3), APPLICANT_KEYS
    )
    for number in range(APPLICANTS):
        submission = validate_submission(
            valid_request(
                conference,
                number,
                group=conference.group_ids[number % len(conference.group_ids)],
                organisation=f"Org {number % 90}",
            ),
            conference,
        )
        submit_and_register(registration, submission)
        if number % 10 != 9:  # every tenth never confirms
            registration.confirm(
                applicant_key(conference.id, f"erika.mustermann+{number}@example.org")
            )
    queue.sent.clear()
    clock.set(conference.closes_at)
    return store, runs, queue, clock


def _service(
    conference: Conference, world: tuple[MemoryApplications, MemoryRuns, MemoryQueue, SettableClock]
) -> AdmissionsService:
    store, runs, queue, clock = world
    return AdmissionsService(conference, store, runs, queue, clock, random.Random(9))


def _by_status(store: MemoryApplications, conference: Conference) -> dict[str, int]:
    counts: dict[str, int] = {}
    for application in store.list(conference.id):
        counts[application.status] = counts.get(application.status, 0) + 1
    return counts


def test_no_run_before_the_deadline(conference: Conference, world: tuple) -> None:  # type: ignore[type-arg]
    world[3].set(conference.deadline)
    with pytest.raises(RegistrationStillOpen):
        _service(conference, world).run("deadline", dry_run=False)


def test_before_the_deadline_a_dry_run_previews_as_if_it_had_closed(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    clock.set(conference.deadline - dt.timedelta(days=2))
    service = _service(conference, world)
    with pytest.raises(RegistrationStillOpen):
        service.run("organiser", dry_run=False, as_if_closed=True)  # never applied early
    with pytest.raises(RegistrationStillOpen):
        service.run("organiser", dry_run=True)  # and asked for by name
    preview = service.run("organiser", dry_run=True, as_if_closed=True)
    confirmed = APPLICANTS - APPLICANTS // 10
    assert preview.eligible == confirmed and preview.dry_run
    assert preview.change_counts.get("new→accepted") == conference.admission.capacity
    assert runs.list(conference.id) == [] and queue.sent == []  # nothing written or sent
    assert {a.status for a in store.list(conference.id)} == {"new"}


def test_deadline_run_decides_every_confirmed_applicant_and_mails_each_once(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, _ = world
    run = _service(conference, world).run("deadline", dry_run=False)
    counts = _by_status(store, conference)
    confirmed = APPLICANTS - APPLICANTS // 10
    assert counts["accepted"] <= conference.admission.capacity
    assert counts["accepted"] + counts["waitlisted"] == confirmed
    assert counts["new"] == APPLICANTS // 10  # unconfirmed: not eligible, no decision
    assert len(queue.sent) == confirmed
    assert len({m.message_id for m in queue.sent}) == confirmed
    for application in store.list(conference.id):
        if application.status == "accepted":
            assert set(application.workshops) == {"day1", "day2"}
    assert runs.runs == [run] and run.eligible == confirmed
    drawn = runs.lotteries[conference.id].drawn
    assert run.seed == lottery_seed(drawn.secret, None)  # the committed secret decides
    assert run.stats["seats_taken"] == counts["accepted"]


def test_a_rerun_with_nothing_changed_writes_nothing_and_sends_nothing(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    first = service.run("deadline", dry_run=False)
    writes, sent = store.writes, len(queue.sent)
    clock.advance(dt.timedelta(days=1))
    again = service.run("daily", dry_run=False)
    assert store.writes == writes and len(queue.sent) == sent
    assert again.changes == [] and again.seed == first.seed


def test_a_decline_moves_the_first_waitlisted_up_with_an_offer(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    service.run("deadline", dry_run=False)
    accepted = next(a for a in store.list(conference.id) if a.status == "accepted")
    waitlisted = sorted(
        (a for a in store.list(conference.id) if a.status == "waitlisted"),
        key=lambda a: a.waitlist_position or 0,
    )
    before = {a.public_id: a.workshops for a in store.list(conference.id) if a.status == "accepted"}
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    registration.decline(accepted.applicant_key)
    sent = len(queue.sent)
    dry = service.run("organiser", dry_run=True)
    assert len(queue.sent) == sent  # a dry run sends nothing
    run = service.run("organiser", dry_run=False, reason="decline")
    moved = [c for c in run.changes if c.before == "waitlisted" and c.after == "offered"]
    assert len(moved) == 1 and [c.public_id for c in dry.changes] == [
        c.public_id for c in run.changes
    ]
    promoted = store.get(
        conference.id,
        next(a.applicant_key for a in waitlisted if a.public_id == moved[0].public_id),
    )
    assert promoted is not None and promoted.offer_expires_at is not None
    assert promoted.group == accepted.group or any(
        g.reserved == 0 for g in conference.attendee_groups if g.id == accepted.group
    )
    after = {a.public_id: a.workshops for a in store.list(conference.id) if a.status == "accepted"}
    assert all(after[pid] == workshops for pid, workshops in before.items() if pid in after)
    assert "offered" in [m.kind for m in queue.sent[sent:]]


def test_a_decline_during_a_run_is_not_overwritten(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    target: Application = next(a for a in store.list(conference.id) if a.confirmed)
    original_save = store.save

    def racing_save(application: Application) -> Application:
        if application.applicant_key == target.applicant_key:
            store.written_by_another((conference.id, target.applicant_key), status="withdrawn")
        return original_save(application)

    store.save = racing_save  # type: ignore[method-assign]
    service.run("deadline", dry_run=False)
    assert store.items[(conference.id, target.applicant_key)].status == "withdrawn"


def test_two_runs_at_once_cannot_happen(conference: Conference, world: tuple) -> None:  # type: ignore[type-arg]
    store, runs, queue, clock = world
    assert runs.acquire_lock(conference.id, "someone-else", clock.now(), dt.timedelta(minutes=15))
    with pytest.raises(RunInProgress, match=r"^An admissions run is in progress; try again"):
        _service(conference, world).run("deadline", dry_run=False)
    clock.advance(dt.timedelta(minutes=16))  # the other run died; its lock expired
    assert _service(conference, world).run("deadline", dry_run=False).changes


def test_a_run_that_crashed_half_way_is_completed_by_the_next_without_double_mail(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    reference = MemoryApplications()
    reference.items = {key: app.model_copy(deep=True) for key, app in store.items.items()}
    reference_runs = MemoryRuns()
    _service(conference, world).run("deadline", dry_run=True)  # draws it
    reference_runs.lotteries = dict(runs.lotteries)  # the same committed lottery
    AdmissionsService(
        conference, reference, reference_runs, MemoryQueue(), clock, random.Random(1)
    ).run("deadline", dry_run=False)
    service = _service(conference, world)
    original_save = store.save
    calls = {"n": 0}

    def crashing_save(application: Application) -> Application:
        calls["n"] += 1
        if calls["n"] == 50:
            raise RuntimeError("Lambda timed out")
        return original_save(application)

    store.save = crashing_save  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.run("deadline", dry_run=False)
    store.save = original_save  # type: ignore[method-assign]
    runs.lock = None  # the crashed run's lock expires
    service.run("deadline", dry_run=False)

    def statuses(repository: MemoryApplications) -> dict[str, str]:
        return {a.applicant_key: a.status for a in repository.list(conference.id)}

    assert statuses(store) == statuses(reference)
    # Both runs queued the decision mail; the ids are equal, so the mailer sends it once.
    decision_ids: dict[str, set[str]] = {}
    for message in queue.sent:
        decision_ids.setdefault(message.applicant_key, set()).add(message.message_id)
    decided = [a for a in store.list(conference.id) if a.status != "new"]
    assert decided and all(len(decision_ids[a.applicant_key]) == 1 for a in decided)


def test_when_the_waitlist_closes_everyone_still_waiting_hears_no_place_is_left(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    service.run("deadline", dry_run=False)
    waiting = _by_status(store, conference)["waitlisted"]
    closes = conference.admission.waitlist_closes_at
    assert closes is not None and waiting > 0
    clock.set(conference.local(closes) - dt.timedelta(minutes=1))
    assert service.run("daily", dry_run=False).changes == []
    sent = len(queue.sent)
    clock.set(conference.local(closes) + dt.timedelta(hours=18))
    run = service.run("daily", dry_run=False)
    assert _by_status(store, conference).get("waitlisted", 0) == 0
    assert _by_status(store, conference)["not_admitted"] == waiting
    assert [m.kind for m in queue.sent[sent:]] == ["not_admitted"] * waiting
    assert len(run.changes) == waiting
    clock.advance(dt.timedelta(days=1))
    assert service.run("daily", dry_run=False).changes == []


def test_a_crashed_first_run_leaves_its_seed_so_the_retry_draws_the_same_lottery(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    original_save = store.save

    def crash(application: Application) -> Application:
        raise RuntimeError("Lambda timed out")

    store.save = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.run("deadline", dry_run=False)
    store.save = original_save  # type: ignore[method-assign]
    (crashed,) = runs.runs
    assert crashed.finished_at is None
    runs.lock = None
    finished = _service(conference, world).run("deadline", dry_run=False)
    assert finished.seed == crashed.seed
    assert {a.status for a in store.list(conference.id) if a.confirmed} == {
        "accepted",
        "waitlisted",
    }


def test_a_run_record_stays_small_however_many_decisions_change(
    conference: Conference,
    world: tuple,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[type-arg]
) -> None:
    import registrar.services.admissions as admissions

    monkeypatch.setattr(admissions, "MAX_RECORDED_CHANGES", 10)
    run = _service(conference, world).run("deadline", dry_run=False)
    assert len(run.changes) == 10 and run.changes_truncated
    assert sum(run.change_counts.values()) == APPLICANTS - APPLICANTS // 10
    assert set(run.change_counts) == {"new→accepted", "new→waitlisted"}


def _waitlist(store: MemoryApplications, conference: Conference) -> dict[str, int]:
    """Public id -> current waiting-list position, as stored."""
    return {
        a.public_id: a.waitlist_position
        for a in store.list(conference.id)
        if a.status == "waitlisted" and a.waitlist_position is not None
    }


def test_a_withdrawal_before_the_deadline_leaves_the_deadline_run_the_first_run(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    registration.withdraw(applicant_key(conference.id, "erika.mustermann+0@example.org"))
    run = _service(conference, world).run("deadline", dry_run=False)
    capacity = conference.admission.capacity
    assert run.stats["first_allocation"] is True
    assert run.stats["statuses"]["accepted"] == capacity
    assert run.stats["statuses"]["offered"] == 0
    assert run.change_counts["new→accepted"] == capacity
    assert "offered" not in [m.kind for m in queue.sent]


def test_the_deadline_run_stores_the_queue_and_later_runs_only_move_people_forward(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    service.run("deadline", dry_run=False)
    places = {a.public_id: a.queue_place for a in store.list(conference.id) if a.queue_place}
    before = _waitlist(store, conference)
    assert sorted(before.values()) == list(range(1, len(before) + 1))
    assert all(places[ref] == position for ref, position in before.items())
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    participants = sorted(a.applicant_key for a in store.list(conference.id) if a.holds_seat)
    for step, key in enumerate(participants[:6]):
        registration.decline(key)
        clock.advance(dt.timedelta(days=1))
        run = service.run("daily", dry_run=False)
        after = _waitlist(store, conference)
        assert all(after[ref] <= before[ref] for ref in after), f"step {step}"
        head = next(ref for ref, position in before.items() if position == 1)
        offered = [c.public_id for c in run.changes if c.after == "offered"]
        passed = {p.public_id: p.reason for p in run.passed_over}
        assert len(offered) == 1 and (offered == [head] or head in passed)
        before = after
    # Places never change; positions are the current ones, 1..n.
    assert all(
        places[a.public_id] == a.queue_place for a in store.list(conference.id) if a.queue_place
    )
    assert sorted(before.values()) == list(range(1, len(before) + 1))


def test_after_the_waiting_list_closes_nobody_new_is_offered_a_seat(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    service.run("deadline", dry_run=False)
    closes = conference.admission.waitlist_closes_at
    assert closes is not None
    clock.set(conference.local(closes) + dt.timedelta(hours=1))
    service.run("daily", dry_run=False)
    told_no = _by_status(store, conference)["not_admitted"]
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(4), APPLICANT_KEYS
    )
    participant = next(a for a in store.list(conference.id) if a.status == "accepted")
    registration.decline(participant.applicant_key)
    sent = len(queue.sent)
    clock.advance(dt.timedelta(days=1))
    run = service.run("daily", dry_run=False)
    # The decliner's tour place may go to another participant; nobody's status changes.
    assert [c for c in run.changes if c.before != c.after] == []
    assert {m.kind for m in queue.sent[sent:]} <= {"extra_place"}  # told by its own email
    assert _by_status(store, conference)["not_admitted"] == told_no
    assert "offered" not in _by_status(store, conference)
    assert run.stats["seats_free"] == 1


def test_completing_a_crashed_first_run_keeps_an_organisers_decision_made_in_between(
    conference: Conference,
    world: tuple,  # type: ignore[type-arg]
) -> None:
    store, runs, queue, clock = world
    service = _service(conference, world)
    original_save = store.save
    calls = {"n": 0}

    def crashing_save(application: Application) -> Application:
        calls["n"] += 1
        if calls["n"] == 120:
            raise RuntimeError("Lambda timed out")
        return original_save(application)

    store.save = crashing_save  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        service.run("deadline", dry_run=False)
    store.save = original_save  # type: ignore[method-assign]
    runs.lock = None
    waiting = next(a for a in store.list(conference.id) if a.status == "waitlisted")
    waiting.decide(clock.now(), "accepted", "organiser", "from waitlisted: speaker")
    store.save(waiting)
    service.run("deadline", dry_run=False)
    kept = store.get(conference.id, waiting.applicant_key)
    assert kept is not None and kept.status == "accepted"


def test_the_run_registers_submissions_still_waiting_before_it_decides(
    conference: Conference,
) -> None:
    # No confirmation asked: every application counts as it is stored.
    open_registration = conference.registration.model_copy(update={"require_confirmation": False})
    event = conference.model_copy(update={"registration": open_registration})
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(event.deadline - dt.timedelta(days=1))
    registration = RegistrationService(event, store, queue, clock, random.Random(5), APPLICANT_KEYS)
    for number in range(10):
        submit_and_register(registration, validate_submission(valid_request(event, number), event))
    # Two submissions answered at the deadline, the stream not yet through: a new address
    # and a repeat of a registered one.
    clock.set(event.deadline)
    for number in (10, 0):
        registration.submit(validate_submission(valid_request(event, number), event))
    assert len(store.received(event.id)) == 2
    clock.set(event.closes_at)
    run = AdmissionsService(event, store, runs, queue, clock, random.Random(9)).run(
        "deadline", dry_run=False
    )
    assert store.received(event.id) == []
    assert run.eligible == 11  # the new one was registered before the run read
    new = store.get(event.id, applicant_key(event.id, "erika.mustermann+10@example.org"))
    assert new is not None and new.status == "accepted"  # 11 people, 150 seats
    # The repeat's notice was queued, once; the new one's receipt comes from the stream.
    assert [m.kind for m in queue.sent].count("already_registered") == 1
