"""An admission run's audit record: what triggered it, what it read, what it decided, and
how it reads after one of the people it names is erased."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


ERASED_REFERENCE = "(erased)"


def without_person(
    run: AdmissionRun, public_id: str, mentions: Callable[[str], bool]
) -> AdmissionRun | None:
    """``run`` as it reads once the person behind ``public_id`` is erased, or None if it
    never named them.

    Their change entries stay (the counts and each before → after remain true) but name
    nobody and keep no workshops or extras; so do their pass-overs (the reason stays); a run
    reason that mentions them (``mentions``: their name, address or reference) is blanked.
    """
    changes = [
        Change(public_id=ERASED_REFERENCE, before=change.before, after=change.after)
        if change.public_id == public_id
        else change
        for change in run.changes
    ]
    passed_over = [
        passed.model_copy(update={"public_id": ERASED_REFERENCE})
        if passed.public_id == public_id
        else passed
        for passed in run.passed_over
    ]
    reason = "" if run.reason and mentions(run.reason) else run.reason
    if changes == run.changes and passed_over == run.passed_over and reason == run.reason:
        return None
    return run.model_copy(update={"changes": changes, "passed_over": passed_over, "reason": reason})
