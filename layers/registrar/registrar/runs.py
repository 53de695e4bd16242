"""An admission run's audit record: what triggered it, what it read, what it decided."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_RECORDED_CHANGES = 1000
Trigger = Literal["deadline", "daily", "organiser"]


class Change(BaseModel):
    """One application's decision changing in a run (ids only, no personal data)."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    before: str
    after: str
    workshops: dict[str, str] = Field(default_factory=dict)
    extras: dict[str, str] = Field(default_factory=dict)


class PassOver(BaseModel):
    """Someone ahead in the waiting list who stayed while a later one was seated, and why."""

    model_config = ConfigDict(frozen=True)

    public_id: str
    reason: Literal["organisation_cap", "reserved_seat"]
    group: str = ""  # reserved_seat: the group whose unfilled reservation took the seat


class AdmissionRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    event_id: str
    run_id: str
    trigger: Trigger
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    dry_run: bool = False
    seed: str
    inputs_digest: str
    eligible: int
    stats: dict[str, Any]
    # At most MAX_RECORDED_CHANGES, so the record stays well inside DynamoDB's 400 KB item
    # limit; every change is also in the history of its application, and all are counted.
    changes: list[Change]
    change_counts: dict[str, int] = Field(default_factory=dict)  # "waitlisted→offered": n
    changes_truncated: bool = False
    # Later runs: everyone passed over in the waiting list's order (at most
    # MAX_RECORDED_CHANGES), each with the reason.
    passed_over: list[PassOver] = Field(default_factory=list)
    emails_queued: dict[str, int] = Field(default_factory=dict)
    reason: str = ""
    expires_at: dt.datetime
