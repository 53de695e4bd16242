"""Shared fixtures: the Kassel definition, clocks at the moments that matter, sample input,
and a recorder of the calls a method gets."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference, load_conference
from registrar.submission import extra_field, ranking_field


def recorded_calls(
    monkeypatch: pytest.MonkeyPatch, owner: object, name: str
) -> list[tuple[Any, ...]]:
    """The positional arguments of every call of ``owner.name`` from now on (still made)."""
    calls: list[tuple[Any, ...]] = []
    original = getattr(owner, name)

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recording)
    return calls


@pytest.fixture(scope="session")
def conference() -> Conference:
    return load_conference("kassel-2023")


@pytest.fixture
def open_clock(conference: Conference) -> SettableClock:
    """Registration is open: a week before the deadline (summer time in Berlin)."""
    return SettableClock(conference.deadline - dt.timedelta(days=7))


def valid_request(conference: Conference, number: int = 1, **overrides: Any) -> dict[str, Any]:
    """A complete, valid request body for a clearly fake applicant."""
    body: dict[str, Any] = {
        "given_name": "Erika",
        "family_name": "Mustermann",
        "email": f"erika.mustermann+{number}@example.org",
        "organisation": "Stadtverwaltung Musterstadt",
        "municipality": "Musterstadt",
        "region": "HE",
        "group": "administration",
        "days": "all",
        "accessibility": [],
        "accessibility_note": "",
        "dietary": "vegetarian",
        "dietary_note": "",
        "consent": True,
        "language": "de",
        "website": "",
    }
    rng = random.Random(number)
    for slot in conference.workshop_slots:
        ranking = list(slot.workshop_ids)
        rng.shuffle(ranking)
        body[ranking_field(slot.id)] = ranking
    for extra in conference.extras:
        body[extra_field(extra.id)] = number % 2 == 0
    body.update(overrides)
    return body
