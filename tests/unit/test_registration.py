"""Applicants' use cases on in-memory repositories: windows, duplicates, state changes."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.errors import RegistrationClosed, RegistrationNotOpen, TransitionNotAllowed
from registrar.identity import is_received_key
from registrar.mail_queue import MailQueueUnavailable, MailRequest
from registrar.services.intake import IntakeOutcome, register
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import MemoryApplications, MemoryQueue, applicant_key, submit_and_register


class RefusingQueue:
    def enqueue(self, requests: list[MailRequest]) -> None:
        raise MailQueueUnavailable("down")


def _submit(
    service: RegistrationService, conference: Conference, number: int = 1, **kw: object
) -> None:
    submission = validate_submission(valid_request(conference, number, **kw), conference)
    # Nothing comes back: whether the address was new is not known when the answer goes.
    # After the answer, the receipts function registers it (services.intake).
    submit_and_register(service, submission)


def test_a_submission_is_one_write_and_registered_after_the_answer(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
) -> None:
    submission = validate_submission(valid_request(conference, 1), conference)
    service.submit(submission)
    # The answer waits for one write: the submission as received, under a key of its own.
    assert store.writes == 1 and list(store.list(conference.id)) == []
    (received,) = store.received(conference.id)
    assert is_received_key(received.key) and queue.sent == []
    outcome = register([received], store, queue)
    assert (outcome.registered, outcome.repeats) == (1, 0)
    (stored,) = store.list(conference.id)
    assert stored.applicant_key == applicant_key(conference.id, submission.email)
    assert stored.public_id == received.application.public_id
    assert stored.status == "new" and not stored.confirmed
    assert stored.consent_version == conference.privacy_notice_version
    assert stored.expires_at > conference.last_day_end
    # Registered, it is no longer waiting; its receipt follows from the table's stream.
    assert store.received(conference.id) == [] and queue.sent == []
    # Registered again (the stream delivers a record twice, or the run meets it after a
    # crash): it finds the application its own, and nothing is written or mailed.
    writes = store.writes
    assert register([received], store, queue) == IntakeOutcome(0, 0)
    assert store.writes == writes and queue.sent == []


def test_a_second_submission_does_the_same_work_and_is_told_once_per_interval(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
    open_clock: SettableClock,
) -> None:
    writes = []
    for email in ("Erika@Example.org", "erika@example.ORG", "erika@example.org"):
        before = store.writes
        service.submit(validate_submission(valid_request(conference, 1, email=email), conference))
        writes.append(store.writes - before)
    assert writes == [1, 1, 1]  # the same work on the request path, new or not
    first, second, third = (r.application.public_id for r in store.received(conference.id))
    waiting = store.received(conference.id)
    outcome = register(waiting, store, queue)
    assert (outcome.registered, outcome.repeats) == (1, 2)
    (stored,) = store.list(conference.id)
    assert stored.public_id in {first, second, third}
    # A notice for each repeat, naming it; one message id for the interval, so the
    # mailer's outbox sends the existing applicant at most one notice in it.
    repeats = {r.application.public_id for r in waiting} - {stored.public_id}
    assert {r.submission for r in queue.sent} == repeats
    assert {r.kind for r in queue.sent} == {"already_registered"}
    assert len({r.message_id for r in queue.sent}) == 1
    open_clock.advance(dt.timedelta(minutes=11))
    _submit(service, conference, email="erika@example.org")
    assert len({r.message_id for r in queue.sent}) == 2
    assert store.received(conference.id) == []


def test_a_repeat_whose_notice_the_queue_refuses_stays_waiting(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
) -> None:
    _submit(service, conference)
    service.submit(validate_submission(valid_request(conference, 1), conference))
    (waiting,) = store.received(conference.id)
    outcome = register([waiting], store, RefusingQueue())
    assert outcome.stopped_at == waiting
    assert store.received(conference.id) == [waiting]  # registered again later


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (dt.timedelta(0), None),
        (dt.timedelta(microseconds=1), RegistrationClosed),
    ],
)
def test_the_deadline_is_inclusive_of_its_last_minute(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    open_clock: SettableClock,
    offset: dt.timedelta,
    expected: type[Exception] | None,
) -> None:
    open_clock.set(conference.deadline + offset)
    if expected is None:
        _submit(service, conference)
        assert len(list(store.list(conference.id))) == 1
    else:
        with pytest.raises(expected):
            _submit(service, conference)
        assert list(store.list(conference.id)) == []


def test_before_opening_nothing_is_stored(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    open_clock: SettableClock,
) -> None:
    open_clock.set(conference.opens_at - dt.timedelta(seconds=1))
    with pytest.raises(RegistrationNotOpen):
        _submit(service, conference)
    assert list(store.list(conference.id)) == []


def test_bots_filling_the_honeypot_get_the_normal_answer_and_nothing_is_stored(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
) -> None:
    submission = validate_submission(valid_request(conference), conference)
    assert service.submit(submission, is_bot=True) is None  # the same (empty) answer
    assert list(store.list(conference.id)) == [] and queue.sent == []


def test_confirm_is_idempotent_and_recorded(
    service: RegistrationService, conference: Conference
) -> None:
    _submit(service, conference)
    key = applicant_key(conference.id, "erika.mustermann+1@example.org")
    first = service.confirm(key)
    again = service.confirm(key)
    assert first.confirmed and again.confirmed_at == first.confirmed_at
    assert [entry.action for entry in again.history] == ["submitted", "confirmed"]


def test_decline_needs_a_seat_and_sends_one_confirmation(
    service: RegistrationService,
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
) -> None:
    _submit(service, conference)
    key = applicant_key(conference.id, "erika.mustermann+1@example.org")
    with pytest.raises(TransitionNotAllowed):
        service.decline(key)
    stored = store.items[(conference.id, key)]
    store.items[(conference.id, key)] = stored.model_copy(update={"status": "accepted"})
    declined = service.decline(key)
    service.decline(key)  # a second click changes nothing
    assert declined.status == "declined" and declined.decision_version == 1
    assert queue.kinds() == ["declined"]  # one, for the first click


def test_withdraw_before_the_decision(
    service: RegistrationService, conference: Conference, queue: MemoryQueue
) -> None:
    _submit(service, conference)
    key = applicant_key(conference.id, "erika.mustermann+1@example.org")
    assert service.withdraw(key).status == "withdrawn"
    assert queue.kinds()[-1] == "withdrawn"


def test_withdrawing_from_the_waiting_list_leaves_it_and_is_recorded(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    _submit(service, conference)
    key = applicant_key(conference.id, "erika.mustermann+1@example.org")
    stored = store.items[(conference.id, key)]
    store.items[(conference.id, key)] = stored.model_copy(
        update={"status": "waitlisted", "waitlist_position": 7, "decision_version": 1}
    )
    withdrawn = service.withdraw(key)
    assert withdrawn.status == "withdrawn"
    assert withdrawn.waitlist_position is None
    assert withdrawn.decision_version == 2
    assert (withdrawn.history[-1].action, withdrawn.history[-1].detail) == (
        "withdrawn",
        "from waitlisted",
    )
