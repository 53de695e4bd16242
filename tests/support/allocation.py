"""Allocation test helpers: people, policies and the lottery's order as the tests build them.

Shared by the allocation tests and the admission-policy tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from registrar.allocation import (
    AdmissionPolicy,
    AllocationResult,
    Applicant,
    ApplicantState,
    GroupQuota,
    allocate,
)
from registrar.lottery import lottery_place

SEED = "test-seed"
SUBMITTED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(days=3)
SEATED = {"accepted", "offered"}
WAITING = {"waitlisted", "not_admitted"}
GONE: list[ApplicantState] = ["declined", "cancelled", "withdrawn"]


def person(
    app_id: str,
    group: str = "public",
    *,
    minute: int = 0,
    spread: str = "",
    rankings: dict[str, tuple[str, ...]] | None = None,
    wants: frozenset[str] = frozenset(),
) -> Applicant:
    return Applicant(
        application_id=app_id,
        group=group,
        submitted_at=SUBMITTED + timedelta(minutes=minute),
        spread_key=spread,
        rankings=rankings or {},
        extras_wanted=wants,
    )


def policy(capacity: int, **overrides: object) -> AdmissionPolicy:
    base = AdmissionPolicy(
        capacity=capacity,
        groups=(GroupQuota("public", 0),),
        order="lottery",
        spread_cap=None,
        slots=(),
        extras=(),
        offer_ttl=None,
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def statuses(result: AllocationResult) -> dict[str, str]:
    return {app_id: d.status for app_id, d in result.decisions.items()}


def drawn(ids: list[str]) -> list[str]:
    """The ids in the order the lottery draws them: lowest place first."""
    return sorted(ids, key=lambda app_id: lottery_place(SEED, app_id))


def waitlist_order(ids: list[str], seed: str = SEED) -> list[str]:
    """Who waits in which place when nobody gets a seat: the lottery's order as allocate sees it."""
    result = allocate([person(i) for i in ids], policy(0), seed, NOW)
    positions = {d.waitlist_position: app_id for app_id, d in result.decisions.items()}
    return [positions[place] for place in range(1, len(ids) + 1)]


def feed_back(applicants: list[Applicant], result: AllocationResult) -> list[Applicant]:
    """Store each decision as the applicant's state, as the service does between runs."""

    def stored(a: Applicant) -> Applicant:
        d = result.decisions.get(a.application_id)
        if d is None:
            return a
        return replace(
            a,
            state=d.status,
            workshops=d.workshops,
            extras=d.extras,
            offer_expires_at=d.offer_expires_at,
            queue_place=d.queue_place,
        )

    return [stored(a) for a in applicants]


def set_state(applicants: list[Applicant], app_id: str, state: ApplicantState) -> list[Applicant]:
    return [replace(a, state=state) if a.application_id == app_id else a for a in applicants]
