"""Unit fixtures: the registration service on in-memory repositories."""

from __future__ import annotations

import random

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.registration import RegistrationService
from tests.fakes import APPLICANT_KEYS, MemoryApplications, MemoryQueue


@pytest.fixture
def store() -> MemoryApplications:
    return MemoryApplications()


@pytest.fixture
def queue() -> MemoryQueue:
    return MemoryQueue()


@pytest.fixture
def service(
    conference: Conference, store: MemoryApplications, queue: MemoryQueue, open_clock: SettableClock
) -> RegistrationService:
    return RegistrationService(
        conference, store, queue, open_clock, random.Random(1), APPLICANT_KEYS
    )
