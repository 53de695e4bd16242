"""Organisers' use cases on in-memory repositories: cancel, accept, erase, resend, programme."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import RunInProgress
from registrar.services.admissions import AdmissionsService
from registrar.services.intake import register
from registrar.services.organiser import (
    NotAllowed,
    NotFound,
    OrganiserService,
    ReasonRequired,
)
from registrar.services.registration import RegistrationService
from registrar.store.interfaces import ConcurrentUpdate
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryQueue,
    MemoryRuns,
    OrganiserApplications,
    applicant_key,
    submit_and_register,
)

APPLICANTS = 170  # capacity 150: some wait


@dataclass
class World:
    conference: Conference
    store: OrganiserApplications
    runs: MemoryRuns
    queue: MemoryQueue
    clock: SettableClock

    def organiser(self) -> OrganiserService:
        return OrganiserService(
            self.conference,
            self.store,
            self.runs,
            self.queue,
            self.clock,
            random.Random(5),
            applicant_keys=APPLICANT_KEYS,
        )

    def registration(self) -> RegistrationService:
        return RegistrationService(
            self.conference,
            self.store,
            self.queue,
            self.clock,
            random.Random(len(self.store.items)),
            APPLICANT_KEYS,
        )

    def admissions(self) -> AdmissionsService:
        return AdmissionsService(
            self.conference, self.store, self.runs, self.queue, self.clock, random.Random(9)
        )

    def with_status(self, status: str) -> list[Application]:
        return [a for a in self.store.list(self.conference.id) if a.status == status]


def email(number: int) -> str:
    return f"erika.mustermann+{number}@example.org"


@pytest.fixture
def world(conference: Conference) -> World:
    w = World(
        conference,
        OrganiserApplications(),
        MemoryRuns(),
        MemoryQueue(),
        SettableClock(conference.deadline - dt.timedelta(days=5)),
    )
    registration = w.registration()
    for number in range(APPLICANTS):
        body = valid_request(conference, number, organisation=f"Org {number}")
        submit_and_register(registration, validate_submission(body, conference))
        if number != 0:  # number 0 never confirms
            registration.confirm(applicant_key(conference.id, email(number)))
    w.clock.set(conference.closes_at)
    w.admissions().run("deadline", dry_run=False)
    w.queue.sent.clear()
    return w


def test_find_by_address_or_public_id(world: World) -> None:
    organiser = world.organiser()
    by_address = organiser.find(email(3).upper())
    assert organiser.find(by_address.public_id.lower()) == by_address
    with pytest.raises(NotFound):
        organiser.find("R-NONE-XXXX")
    with pytest.raises(NotFound):
        organiser.find("nobody@example.org")


def test_cancelling_a_participant_records_the_reason_and_mails_once(world: World) -> None:
    participant = world.with_status("accepted")[0]
    outcome = world.organiser().cancel(participant.public_id, "  called:  ill ")
    stored = world.store.get(world.conference.id, participant.applicant_key)
    assert stored is not None and stored.status == "cancelled"
    assert stored.decision_version == participant.decision_version + 1
    entry = stored.history[-1]
    assert (entry.action, entry.actor, entry.detail) == (
        "cancelled",
        "organiser",
        "from accepted: called: ill",
    )
    assert [(m.kind, m.version) for m in world.queue.sent] == [
        ("cancelled", stored.decision_version)
    ]
    assert outcome.warnings and "waiting list" in outcome.warnings[0]
    again = world.organiser().cancel(participant.public_id, "twice")
    assert not again.changed and len(world.queue.sent) == 1


def test_cancelling_a_waitlisted_applicant_sends_the_cancellation_email(world: World) -> None:
    waiting = world.with_status("waitlisted")[0]
    world.organiser().cancel(waiting.public_id, "asked by phone")
    assert world.queue.kinds() == ["cancelled"]


def test_cancel_needs_a_reason_and_an_allowed_status(world: World) -> None:
    participant = world.with_status("accepted")[0]
    writes = world.store.writes
    with pytest.raises(ReasonRequired):
        world.organiser().cancel(participant.public_id, "   ")
    world.registration().decline(participant.applicant_key)
    writes = world.store.writes
    with pytest.raises(NotAllowed, match="declined"):
        world.organiser().cancel(participant.public_id, "reason")
    assert world.store.writes == writes


def test_a_cancelled_seat_goes_down_the_waitlist_at_the_next_run(world: World) -> None:
    first_waiting = min(world.with_status("waitlisted"), key=lambda a: a.waitlist_position or 0)
    world.organiser().cancel(world.with_status("accepted")[0].public_id, "cancelled by phone")
    run = world.admissions().run("organiser", dry_run=False)
    moved = world.store.get(world.conference.id, first_waiting.applicant_key)
    assert moved is not None and moved.status == "offered"
    assert any(c.public_id == first_waiting.public_id for c in run.changes)


def test_force_accept_assigns_workshops_and_mails_with_capacity_warning(world: World) -> None:
    waiting = world.with_status("waitlisted")[0]
    outcome = world.organiser().force_accept(waiting.public_id, "keynote speaker's colleague")
    stored = world.store.get(world.conference.id, waiting.applicant_key)
    assert stored is not None and stored.status == "accepted"
    assert set(stored.workshops) == {s.id for s in world.conference.workshop_slots}
    assert stored.waitlist_position is None
    assert stored.history[-1].actor == "organiser"
    assert "keynote" in stored.history[-1].detail
    assert [(m.kind, m.version) for m in world.queue.sent] == [
        ("accepted", stored.decision_version)
    ]
    capacity = world.conference.admission.capacity
    assert f"{capacity + 1} seats taken of {capacity}" in outcome.warnings[0]
    assert any("over capacity: 51 of 50" in warning for warning in outcome.warnings[1:])
    assert not world.organiser().force_accept(waiting.public_id, "again").changed


def test_force_accept_gives_a_one_day_participant_that_days_workshop_and_extras_only(
    world: World,
) -> None:
    day2 = world.conference.workshop_slots[1]
    waiting = world.with_status("waitlisted")[0]
    world.store.save(
        waiting.model_copy(update={"days": [day2.date], "extras_wanted": ["city_tour"]})
    )
    outcome = world.organiser().force_accept(waiting.public_id, "board decision")
    assert set(outcome.application.workshops) == {day2.id}
    assert outcome.application.extras == {}  # the tour is on the other day


def test_force_accept_takes_the_places_that_are_free(world: World) -> None:
    slot = world.conference.workshop_slots[0]
    waiting = world.with_status("waitlisted")[0]
    favourite = waiting.rankings[slot.id][0]
    # Every workshop place is taken (capacities add up to the seats): one cancellation
    # frees one place per slot, outside the favourite, and that is where they go.
    leaving = next(a for a in world.with_status("accepted") if a.workshops[slot.id] != favourite)
    world.organiser().cancel(leaving.public_id, "moved away")
    outcome = world.organiser().force_accept(waiting.public_id, "board decision")
    assert outcome.application.workshops == leaving.workshops
    assert outcome.warnings == ()


def test_force_accept_confirms_an_unconfirmed_address(world: World) -> None:
    unconfirmed = world.organiser().find(email(0))
    assert not unconfirmed.confirmed and unconfirmed.status == "new"
    world.organiser().force_accept(email(0), "confirmed by phone")
    stored = world.organiser().find(email(0))
    assert stored.confirmed and stored.status == "accepted"
    assert [e.action for e in stored.history[-2:]] == ["confirmed", "accepted"]


def test_erasure_leaves_a_tombstone_and_frees_the_address(world: World) -> None:
    participant = world.organiser().find(email(7))
    outcome = world.organiser().erase(email(7))
    tombstone = outcome.application
    assert tombstone.erased and tombstone.applicant_key != participant.applicant_key
    assert (tombstone.status, tombstone.group) == (participant.status, participant.group)
    assert world.store.get(world.conference.id, participant.applicant_key) is None
    stored = world.store.get(world.conference.id, tombstone.applicant_key)
    assert stored is not None
    dumped = stored.model_dump_json()
    for personal in (participant.email, "Mustermann", "Erika", participant.organisation):
        assert personal not in dumped
    assert stored.history[-1].action == "erased"
    assert len(list(world.store.list(world.conference.id))) == APPLICANTS
    with pytest.raises(NotFound):
        world.organiser().find(email(7))
    # The address may register again, as a new application.
    world.clock.set(world.conference.deadline - dt.timedelta(days=1))
    body = valid_request(world.conference, 7)
    submit_and_register(world.registration(), validate_submission(body, world.conference))
    assert world.organiser().find(email(7)).public_id != participant.public_id


def test_erasure_deletes_a_submission_of_theirs_still_waiting(world: World) -> None:
    # They sent the form again at the deadline, then asked to be erased before the
    # stream registered it.
    world.clock.set(world.conference.deadline)
    registration = world.registration()
    body = valid_request(world.conference, 7)
    registration.submit(validate_submission(body, world.conference))
    other = valid_request(world.conference, APPLICANTS + 1)
    registration.submit(validate_submission(other, world.conference))
    assert len(world.store.received(world.conference.id)) == 2
    world.clock.set(world.conference.closes_at)
    world.organiser().erase(email(7))
    (left,) = world.store.received(world.conference.id)
    assert left.application.email == other["email"]  # someone else's waits on
    register([left], world.store, world.queue)
    with pytest.raises(NotFound):
        world.organiser().find(email(7))  # nothing of theirs comes back


def test_erasure_removes_what_names_them_from_the_history_and_the_run_records(
    world: World,
) -> None:
    organiser = world.organiser()
    participant = organiser.find(email(7))
    reason = "Frau Mustermann hat abgesagt (Tel. 0561 123456, erika@example.org)"
    organiser.cancel(email(7), reason)
    moved_up = world.admissions().run(
        "organiser", dry_run=False, reason=f"Nachrücken nach Absage von {participant.public_id}"
    )
    runs_before = {run.run_id: run for run in world.runs.list(world.conference.id)}
    deadline_run = next(r for r in runs_before.values() if r.trigger == "deadline")
    assert participant.public_id in {c.public_id for c in deadline_run.changes}

    outcome = organiser.erase(participant.public_id)

    assert outcome.run_records_cleaned == 2
    stored = world.store.get(world.conference.id, outcome.application.applicant_key)
    assert stored is not None
    everything = stored.model_dump_json() + "".join(
        run.model_dump_json() for run in world.runs.list(world.conference.id)
    )
    for personal in ("Mustermann", "0561", "erika@example.org", participant.email):
        assert personal not in everything
    # What happened and when stays, in order; the free text goes.
    assert [e.action for e in stored.history[:-1]] == [e.action for e in participant.history] + [
        "cancelled"
    ]
    assert all(e.detail == "" for e in stored.history[:-1])
    # The run records still count every change, and say who else moved.
    for run in world.runs.list(world.conference.id):
        before = runs_before[run.run_id]
        assert run.change_counts == before.change_counts
        assert [(c.before, c.after) for c in run.changes] == [
            (c.before, c.after) for c in before.changes
        ]
        assert participant.public_id not in run.model_dump_json()
    moved = next(r for r in world.runs.list(world.conference.id) if r.run_id == moved_up.run_id)
    assert moved.reason == "" and moved.changes == moved_up.changes  # others keep their ids


def test_erasure_leaves_run_records_that_never_named_them_alone(world: World) -> None:
    organiser = world.organiser()
    never_admitted = organiser.find(email(0))  # never confirmed: in no run's changes
    before = world.runs.list(world.conference.id)
    assert organiser.erase(email(0)).run_records_cleaned == 0
    assert world.runs.list(world.conference.id) == before
    assert never_admitted.public_id not in "".join(r.model_dump_json() for r in before)


def test_erasure_blanks_other_applications_history_entries_that_name_them(
    world: World,
) -> None:
    organiser = world.organiser()
    erased = organiser.find(email(7))
    status_before = organiser.find(email(3)).status
    organiser.cancel(email(3), f"tauscht den Platz mit {erased.public_id}")
    other_before = organiser.find(email(3))

    outcome = organiser.erase(email(7))

    assert outcome.other_histories_cleaned == 1
    other = organiser.find(email(3))
    assert erased.public_id not in other.model_dump_json()
    changed = [
        (b.detail, a.detail)
        for b, a in zip(other_before.history, other.history, strict=True)
        if b != a
    ]
    assert changed == [(f"from {status_before}: tauscht den Platz mit {erased.public_id}", "")]
    assert other.status == other_before.status == "cancelled"


def test_erasure_waits_for_a_running_admission_and_changes_nothing(world: World) -> None:
    now = world.clock.now()
    assert world.runs.acquire_lock(world.conference.id, "a-run", now, dt.timedelta(minutes=5))
    before = world.runs.list(world.conference.id)
    with pytest.raises(RunInProgress):
        world.organiser().erase(email(7))
    assert world.organiser().find(email(7)).erased is False
    assert world.runs.list(world.conference.id) == before
    world.runs.release_lock(world.conference.id, "a-run")
    assert world.organiser().erase(email(7)).application.erased
    assert world.runs.lock is None  # the erasure gave the lock back


def test_erasure_retries_when_the_application_changed_meanwhile(world: World) -> None:
    class Racing(OrganiserApplications):
        raced = False

        def replace(self, current: Application, replacement: Application) -> None:
            if not self.raced:
                self.raced = True
                raise ConcurrentUpdate(current.public_id)
            super().replace(current, replacement)

    racing = Racing()
    racing.items = world.store.items
    organiser = OrganiserService(
        world.conference,
        racing,
        world.runs,
        world.queue,
        world.clock,
        applicant_keys=APPLICANT_KEYS,
    )
    assert organiser.erase(email(9)).application.erased and racing.raced


def test_resend_uses_a_new_message_id(world: World) -> None:
    participant = world.with_status("accepted")[0]
    original = [
        r
        for r in world.queue.sent
        if r.applicant_key == participant.applicant_key and r.kind == "accepted"
    ]
    first = world.organiser().resend(participant.public_id, "accepted", "lost in spam")
    second = world.organiser().resend(participant.public_id, "accepted")
    ids = {m.message_id for m in (*original, *first.mails, *second.mails)}
    assert len(ids) == 2 + len(original)
    assert second.mails[0].version == second.application.decision_version
    assert second.application.status == "accepted"
    assert [e.detail for e in second.application.history[-2:]] == [
        "accepted: lost in spam",
        "accepted",
    ]
    receipt = world.organiser().resend(participant.public_id, "receipt")
    assert receipt.mails[0].kind == "receipt"
    with pytest.raises(NotAllowed, match="waitlisted email"):
        world.organiser().resend(participant.public_id, "waitlisted")
    with pytest.raises(NotAllowed, match="confirmed"):
        world.organiser().resend(participant.public_id, "confirm_reminder")


def test_programme_mailing_once_per_decision(world: World) -> None:
    organiser = world.organiser()
    accepted = len(world.with_status("accepted"))
    dry = organiser.programme_mailing(apply=False)
    assert (dry.participants, dry.to_queue, dry.applied) == (accepted, accepted, False)
    assert world.queue.sent == []
    seen: list[tuple[int, int]] = []
    done = organiser.programme_mailing(
        apply=True, progress=lambda n, total: seen.append((n, total))
    )
    assert done.to_queue == accepted and world.queue.kinds() == ["program"] * accepted
    assert seen[-1] == (accepted, accepted)
    assert organiser.programme_mailing(apply=True).to_queue == 0
    assert world.runs.lock is None
    # A changed decision (here: force-accepting someone) makes them due again; a new round
    # (after a room change) goes to everybody with new ids.
    organiser.force_accept(world.with_status("waitlisted")[0].public_id, "late addition")
    assert organiser.programme_mailing(apply=False).to_queue == 1
    before = {r.message_id for r in world.queue.sent}
    again = organiser.programme_mailing(apply=True, again=True)
    assert again.to_queue == accepted + 1
    assert not before & {r.message_id for r in world.queue.sent[-again.to_queue :]}


def test_programme_mailing_waits_for_a_running_admission(world: World) -> None:
    world.runs.acquire_lock(
        world.conference.id, "run-1", world.clock.now(), dt.timedelta(minutes=5)
    )
    with pytest.raises(RunInProgress, match=r"^An admissions run is in progress; try again"):
        world.organiser().programme_mailing(apply=True)
    assert world.queue.sent == []


def test_a_retried_change_looks_the_public_id_up_once(world: World) -> None:
    class Racing(OrganiserApplications):
        queries = 0
        lost = False

        def find_by_public_id(self, event_id: str, public_id: str) -> Application | None:
            self.queries += 1
            return super().find_by_public_id(event_id, public_id)

        def save(self, application: Application) -> Application:
            if not self.lost:  # another writer came first, once
                self.lost = True
                self.written_by_another((application.event_id, application.applicant_key))
            return super().save(application)

    racing = Racing()
    racing.items = world.store.items
    organiser = OrganiserService(
        world.conference,
        racing,
        world.runs,
        world.queue,
        world.clock,
        applicant_keys=APPLICANT_KEYS,
    )
    participant = world.with_status("accepted")[0]
    outcome = organiser.cancel(participant.public_id, "double booking")
    assert outcome.changed and outcome.application.status == "cancelled" and racing.lost
    assert racing.queries == 1  # the retry read the application by its key
    assert [m.kind for m in outcome.mails] == ["cancelled"]


def test_after_the_waiting_list_closes_a_cancelled_seat_is_said_to_stay_free(
    world: World,
) -> None:
    closes = world.conference.admission.waitlist_closes_at
    assert closes is not None
    world.clock.set(world.conference.local(closes) + dt.timedelta(minutes=1))
    outcome = world.organiser().cancel(world.with_status("accepted")[0].public_id, "ill")
    assert outcome.warnings == (
        "The seat stays free: the waiting list is closed, nobody new is offered one.",
    )
    world.admissions().run("organiser", dry_run=False)
    assert world.with_status("offered") == []
