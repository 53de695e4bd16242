"""The application state table: its invariants, and that the code moves only as it allows.

The services, the allocation, the manage page and the mail queue all read the one table in
``registrar.application``; these tests hold them to it: every move the code makes is in
the table (observed over random sequences of everything applicants, runs and organisers
do), every move outside it is refused with the domain error and changes nothing, and the
statuses that hold a seat are exactly the ones that count against the capacity.
"""

from __future__ import annotations

import datetime as dt
import random
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registrar.allocation import DECISION_STATUSES, AdmissionPolicy, Applicant, GroupQuota, allocate
from registrar.application import (
    FINAL,
    HOLDS_SEAT,
    HOLDS_WAITLIST_PLACE,
    IN_THE_RUNNING,
    PREFERENCES_OPEN,
    STATES,
    STATUSES,
    Actor,
    Application,
    StateRule,
    Status,
    _checked,
    can_transition,
    require_transition,
    targets,
)
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import TransitionNotAllowed
from registrar.mail.sample import SAMPLE_APPLICANT_KEY, SAMPLE_PUBLIC_ID, sample_application
from registrar.mail_queue import DECISION_MAIL_STATES, MAIL_KINDS
from registrar.services.admissions import AdmissionsService
from registrar.services.organiser import NotAllowed, OrganiserService
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from registrar.web.manage import allowed_actions
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryQueue,
    MemoryRuns,
    OrganiserApplications,
    applicant_key,
    submit_and_register,
)

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
MOVES = [(s, t) for s in STATUSES for t in STATUSES]


# -- the table itself ---------------------------------------------------------------------
def test_every_status_has_one_row_and_the_table_holds_its_invariants() -> None:
    assert tuple(STATES) == STATUSES
    assert {"accepted", "offered"} == HOLDS_SEAT
    assert {"waitlisted"} == HOLDS_WAITLIST_PLACE
    assert {"declined", "cancelled", "withdrawn", "substituted"} == FINAL
    assert {"new", "waitlisted"} == PREFERENCES_OPEN
    assert {"new", "waitlisted", "late"} == IN_THE_RUNNING  # "not admitted" is never taken back
    for status in STATUSES:
        assert not can_transition(status, status, Actor.ORGANISER)  # staying is no move
    with pytest.raises(TypeError):
        STATES["new"].moves["expired"] = frozenset(Actor)  # type: ignore[index]


def test_a_final_status_is_left_only_by_an_organisers_override() -> None:
    for status in FINAL:
        for actor in (Actor.APPLICANT, Actor.ADMISSIONS):
            assert not any(can_transition(status, t, actor) for t in STATUSES)
        assert can_transition(status, "accepted", Actor.ORGANISER)


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ({s: r for s, r in STATES.items() if s != "expired"}, "expired: no row"),
        ({**STATES, "stale": StateRule(moves={})}, "stale: not a status"),
        ({**STATES, "new": StateRule(moves={"new": frozenset({Actor.ADMISSIONS})})}, "itself"),
        (
            {**STATES, "declined": StateRule(final=True, moves={"new": frozenset(Actor)})},
            "final",
        ),
        ({**STATES, "accepted": StateRule(seat=True, final=True, moves={})}, "seat"),
        ({**STATES, "expired": StateRule(moves={"accepted": frozenset(Actor)})}, "no email"),
    ],
)
def test_a_table_that_breaks_an_invariant_is_refused_when_built(
    broken: dict[Status, StateRule], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        _checked(broken)


def test_every_status_a_run_sets_is_told_by_its_own_decision_email() -> None:
    assert set(DECISION_STATUSES) == set(targets(Actor.ADMISSIONS))
    for status in targets(Actor.ADMISSIONS):
        mail = STATES[status].mail
        assert mail in MAIL_KINDS
        assert DECISION_MAIL_STATES[mail] == {status}


def test_a_refusal_says_what_is_allowed_and_names_no_person() -> None:
    with pytest.raises(TransitionNotAllowed) as refused:
        require_transition("declined", "cancelled", Actor.ORGANISER, "R-ABCD-EFGH")
    assert str(refused.value) == (
        "R-ABCD-EFGH is declined: only new, accepted, offered, waitlisted or late applications "
        "can be cancelled by an organiser."
    )
    with pytest.raises(TransitionNotAllowed, match="is new: no applications can be new"):
        require_transition("new", "new", Actor.APPLICANT)


# -- the manage page offers exactly what the table allows the applicant -------------------
@pytest.mark.parametrize("status", STATUSES)
def test_the_manage_page_offers_the_applicants_moves_of_the_table(
    status: Status, conference: Conference
) -> None:
    application = _stored(conference, status)
    actions = allowed_actions(application, registration_open=False)
    moves = {
        "accept_offer": "accepted",
        "decline": "declined",
        "withdraw": "withdrawn",
        "substitute": "substituted",
    }
    # Becoming late is the confirmation link's move (after the deadline), not the page's.
    assert {moves[a] for a in actions} == {
        t for t in STATUSES if can_transition(status, t, Actor.APPLICANT) and t != "late"
    }
    opened = allowed_actions(application, registration_open=True)
    assert ("update_preferences" in opened) == (status in PREFERENCES_OPEN)


# -- the services refuse every move outside the table -------------------------------------
APPLICANT_MOVES = {"decline": "declined", "withdraw": "withdrawn", "accept_offer": "accepted"}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", sorted(APPLICANT_MOVES))
def test_the_registration_service_refuses_what_the_table_does_not_allow_the_applicant(
    status: Status, action: str, conference: Conference
) -> None:
    target = APPLICANT_MOVES[action]
    store, queue, clock = (
        OrganiserApplications(),
        MemoryQueue(),
        SettableClock(conference.closes_at),
    )
    store.add(_stored(conference, status))
    service = RegistrationService(conference, store, queue, clock, random.Random(1), APPLICANT_KEYS)
    before = store.get(conference.id, KEY)
    if can_transition(status, target, Actor.APPLICANT):
        assert getattr(service, action)(KEY).status == target
        return
    if status == target and action != "accept_offer":  # asked twice: nothing more to do
        getattr(service, action)(KEY)
        assert store.get(conference.id, KEY) == before
        return
    with pytest.raises(TransitionNotAllowed):
        getattr(service, action)(KEY)
    assert store.get(conference.id, KEY) == before and queue.sent == []


@pytest.mark.parametrize("status", STATUSES)
def test_the_organiser_service_cancels_only_what_the_table_allows(
    status: Status, conference: Conference
) -> None:
    store, queue = OrganiserApplications(), MemoryQueue()
    store.add(_stored(conference, status))
    service = _organiser(conference, store, queue, SettableClock(conference.closes_at))
    before = store.get(conference.id, KEY)
    if status == "cancelled" or can_transition(status, "cancelled", Actor.ORGANISER):
        assert service.cancel(PUBLIC_ID, "ill").application.status == "cancelled"
        return
    with pytest.raises(NotAllowed, match=f"{PUBLIC_ID} is {status.replace('_', ' ')}"):
        service.cancel(PUBLIC_ID, "ill")
    assert store.get(conference.id, KEY) == before and queue.sent == []


# -- the seat-holding statuses are the ones that count against the capacity ---------------
@pytest.mark.parametrize("status", STATUSES)
def test_exactly_the_seat_holding_statuses_count_against_the_capacity(status: Status) -> None:
    one_seat = AdmissionPolicy(1, (GroupQuota("g", 0),), "lottery", None, (), (), None)
    holder = Applicant("holder", "g", NOW, "", {}, frozenset(), state=status)
    newcomer = Applicant("newcomer", "g", NOW, "", {}, frozenset())
    decisions = allocate([holder, newcomer], one_seat, "seed", NOW).decisions
    seated = {a for a, d in decisions.items() if d.status in HOLDS_SEAT}
    if status in HOLDS_SEAT:
        assert seated == {"holder"} and decisions["holder"].status == status
    elif status in IN_THE_RUNNING:
        assert len(seated) == 1  # the two compete for the one seat
    else:
        assert seated == {"newcomer"}


@settings(max_examples=150, deadline=None)
@given(
    states=st.lists(st.sampled_from(STATUSES), min_size=1, max_size=12),
    lapsed=st.lists(st.booleans(), min_size=12, max_size=12),
    capacity=st.integers(0, 6),
    offer_ttl=st.sampled_from([None, dt.timedelta(days=2)]),
)
def test_a_run_moves_only_as_the_table_allows_and_never_beyond_the_capacity(
    states: list[Status], lapsed: list[bool], capacity: int, offer_ttl: dt.timedelta | None
) -> None:
    policy = AdmissionPolicy(capacity, (GroupQuota("g", 0),), "lottery", None, (), (), offer_ttl)
    applicants = [
        Applicant(
            f"a{i}",
            "g",
            NOW,
            "",
            {},
            frozenset(),
            state=state,
            offer_expires_at=NOW + dt.timedelta(hours=-1 if lapsed[i] else 1),
        )
        for i, state in enumerate(states)
    ]
    held = sum(a.state in HOLDS_SEAT for a in applicants)
    result = allocate(applicants, policy, "seed", NOW)
    for applicant in applicants:
        decision = result.decisions.get(applicant.application_id)
        if decision is None:  # out of the running, or late and still waiting behind all
            assert applicant.state in FINAL or applicant.state == "late"
        elif decision.status != applicant.state:
            assert can_transition(applicant.state, decision.status, Actor.ADMISSIONS)
    seated = sum(d.status in HOLDS_SEAT for d in result.decisions.values())
    assert seated <= max(capacity, held)


# -- random lives: everything the services do stays inside the table ----------------------
APPLICANTS = 8
CAPACITY = 3

Step = tuple[str, int]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("run"), st.just(0)),
        st.tuples(st.just("wait"), st.integers(1, 96)),
        st.tuples(
            st.sampled_from(["decline", "withdraw", "accept_offer", "cancel", "force_accept"]),
            st.integers(0, APPLICANTS - 1),
        ),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_whatever_happens_every_move_is_in_the_table_and_seats_stay_within_what_was_allowed(
    steps: list[Step], conference: Conference
) -> None:
    small = conference.model_copy(
        update={"admission": conference.admission.model_copy(update={"capacity": CAPACITY})}
    )
    store, runs, queue = OrganiserApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(small.deadline - dt.timedelta(days=2))
    registration = RegistrationService(small, store, queue, clock, random.Random(5), APPLICANT_KEYS)
    for number in range(APPLICANTS):
        submit_and_register(registration, validate_submission(valid_request(small, number), small))
        registration.confirm(_key(small, number))
    clock.set(small.closes_at)
    admissions = AdmissionsService(small, store, runs, queue, clock, random.Random(6))
    organiser = _organiser(small, store, queue, clock)
    allowed_seats = CAPACITY
    for action, number in steps:
        before = {a.public_id: a.status for a in store.list(small.id)}
        actor = _perform(action, number, small, registration, admissions, organiser, clock)
        after = {a.public_id: a.status for a in store.list(small.id)}
        for public_id, status in after.items():
            if status != before[public_id]:
                assert actor is not None
                assert can_transition(before[public_id], status, actor), (action, number)
        seats = sum(status in HOLDS_SEAT for status in after.values())
        if action == "force_accept":
            allowed_seats = max(allowed_seats, seats)  # an organiser may overbook, warned
        assert seats <= allowed_seats


def _perform(
    action: str,
    number: int,
    conference: Conference,
    registration: RegistrationService,
    admissions: AdmissionsService,
    organiser: OrganiserService,
    clock: SettableClock,
) -> Actor | None:
    """Do one step; the actor whose move it was (None: time passing moves nobody)."""
    if action == "wait":
        clock.advance(dt.timedelta(hours=number))
        return None
    if action == "run":
        admissions.run("daily", dry_run=False)
        return Actor.ADMISSIONS
    key = _key(conference, number)
    try:
        if action in ("cancel", "force_accept"):
            reference = registration.get(key).public_id
            getattr(organiser, action)(reference, "a reason")
            return Actor.ORGANISER
        getattr(registration, action)(key)
    except TransitionNotAllowed:
        return None  # refused: nothing may have moved
    return Actor.APPLICANT


# -- helpers ------------------------------------------------------------------------------
KEY = SAMPLE_APPLICANT_KEY  # the sample application's key
PUBLIC_ID = SAMPLE_PUBLIC_ID


def _key(conference: Conference, number: int) -> str:
    return applicant_key(conference.id, f"erika.mustermann+{number}@example.org")


def _stored(conference: Conference, status: Status) -> Application:
    sample = sample_application(conference, "de", conference.closes_at)
    return sample.model_copy(update={"status": status})


def _organiser(
    conference: Conference, store: OrganiserApplications, queue: MemoryQueue, clock: SettableClock
) -> OrganiserService:
    return OrganiserService(
        conference,
        store,
        MemoryRuns(),
        queue,
        clock,
        random.Random(2),
        applicant_keys=APPLICANT_KEYS,
    )
