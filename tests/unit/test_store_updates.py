"""The one read-change-write loop every use case shares: decided on a fresh read, retried."""

from __future__ import annotations

import random

import pytest

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.registration import RegistrationService
from registrar.store.interfaces import ConcurrentUpdate
from registrar.store.updates import update_application
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    applicant_key,
    submit_and_register,
)

EMAIL = "erika.mustermann+1@example.org"


class Counting(MemoryApplications):
    """Counts reads; the first ``lose`` saves lose to another writer (who bumps the item)."""

    def __init__(self, lose: int = 0) -> None:
        super().__init__()
        self.reads = 0
        self.lose = lose

    def get(self, event_id: str, applicant_key: str) -> Application | None:
        self.reads += 1
        return super().get(event_id, applicant_key)

    def save(self, application: Application) -> Application:
        if self.lose:
            self.lose -= 1
            self.written_by_another(
                (application.event_id, application.applicant_key), language="en"
            )
        return super().save(application)


@pytest.fixture
def store(conference: Conference, open_clock: SettableClock) -> Counting:
    store = Counting()
    service = RegistrationService(
        conference, store, MemoryQueue(), open_clock, random.Random(1), APPLICANT_KEYS
    )
    submit_and_register(
        service, validate_submission(valid_request(conference, 1, email=EMAIL), conference)
    )
    store.reads = store.writes = 0  # what the submission did
    return store


def _note(application: Application) -> bool:
    application.dietary_note = "changed"
    return True


def test_a_change_is_written_on_the_version_read(store: Counting, conference: Conference) -> None:
    key = applicant_key(conference.id, EMAIL)
    result = update_application(store, conference.id, key, _note)
    assert result is not None and result.changed and result.application.version == 2
    assert store.reads == 1 and store.writes == 1  # this change, on the version read


def test_nothing_to_do_writes_nothing_and_returns_what_was_read(
    store: Counting, conference: Conference
) -> None:
    key = applicant_key(conference.id, EMAIL)
    result = update_application(store, conference.id, key, lambda a: False)
    assert result is not None and not result.changed and result.application.version == 1
    assert store.writes == 0


def test_what_the_caller_read_is_tried_first_and_a_lost_race_reads_again(
    store: Counting, conference: Conference
) -> None:
    key = applicant_key(conference.id, EMAIL)
    listed = store.get(conference.id, key)
    store.reads, store.lose = 0, 1
    seen: list[str] = []

    def change(application: Application) -> bool:
        seen.append(application.language)
        return _note(application)

    result = update_application(store, conference.id, key, change, current=listed)
    assert result is not None and result.changed
    assert seen == ["de", "en"]  # decided again on the other writer's state
    assert store.reads == 1  # only the retry read


def test_a_missing_or_erased_application_is_none_and_endless_races_raise(
    store: Counting, conference: Conference
) -> None:
    assert update_application(store, conference.id, "nobody", _note) is None
    key = applicant_key(conference.id, EMAIL)
    store.lose = 3
    with pytest.raises(ConcurrentUpdate):
        update_application(store, conference.id, key, _note)
    stored = store.items[(conference.id, key)]
    store.items[(conference.id, key)] = stored.model_copy(update={"erased": True})
    assert update_application(store, conference.id, key, _note) is None
