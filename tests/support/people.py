"""Clearly fake applications as stored, for tests of what the CLI prints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from registrar.application import Application
from registrar.conference import Conference


def stored(conference: Conference, number: int = 1, **overrides: Any) -> Application:
    """A confirmed, undecided application of a fake person; ``overrides`` set any field."""
    submitted = conference.deadline - dt.timedelta(days=10, minutes=number)
    fields: dict[str, Any] = {
        "event_id": conference.id,
        "applicant_key": f"key-{number}",
        "public_id": f"R-TEST-{number:04d}",
        "email": f"erika.mustermann+{number}@example.org",
        "given_name": "Erika",
        "family_name": f"Mustermann{number}",
        "organisation": "Stadtverwaltung Musterstadt",
        "municipality": "Musterstadt",
        "region": "HE",
        "group": "administration",
        "rankings": {s.id: list(s.workshop_ids) for s in conference.workshop_slots},
        "language": "de",
        "consent_version": "2023-01",
        "submitted_at": submitted,
        "confirmed_at": submitted + dt.timedelta(minutes=5),
        "expires_at": submitted + dt.timedelta(days=365),
    }
    fields.update(overrides)
    return Application(**fields)
