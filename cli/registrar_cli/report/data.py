"""What the admissions report says, gathered as a pure function of its inputs.

Seats, regions, groups, workshops and the city tour are counted from the applications as
they stand; the changes and the lottery come from one applied run's record (the latest by
default) and the one before it. Only public ids (refs) identify people: the report goes
to a board and to funders, and names are not needed there.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from registrar.application import HOLDS_SEAT, HOLDS_WAITLIST_PLACE, Application
from registrar.conference import Conference
from registrar.organisations import NO_ALIASES, OrganisationAliases
from registrar.runs import AdmissionRun
from registrar.services.admissions import is_eligible, spread_key

SEATED = HOLDS_SEAT
UNSEATED = HOLDS_WAITLIST_PLACE | {"not_admitted"}  # decided by a run, without a seat


class ReportError(ValueError):
    """The report cannot be made as asked; the message is one sentence for the organiser."""


@dataclass(frozen=True, slots=True)
class GroupRow:
    group_id: str
    reserved: int
    eligible: int
    seated: int
    waitlisted: int


@dataclass(frozen=True, slots=True)
class RoleRow:
    role_id: str  # "" for applications stored before roles were asked
    eligible: int
    seated: int


@dataclass(frozen=True, slots=True)
class RegionRow:
    region_id: str
    eligible: int
    seated: int


@dataclass(frozen=True, slots=True)
class PassedOver:
    """Someone waiting while their organisation already holds as many seats as the cap."""

    ref: str
    organisation: str
    municipality: str
    seats_held: int
    waitlist_position: int | None


@dataclass(frozen=True, slots=True)
class WorkshopRow:
    workshop_id: str
    capacity: int
    participants: int


@dataclass(frozen=True, slots=True)
class SlotReport:
    slot_id: str
    date: dt.date
    workshops: tuple[WorkshopRow, ...]
    choices: tuple[int, ...]  # participants who got their 1st, 2nd, ... choice
    greedy_choices: tuple[int, ...]  # the same people choosing first come, first served


@dataclass(frozen=True, slots=True)
class ExtraReport:
    extra_id: str
    capacity: int
    places: int
    waiting: int


@dataclass(frozen=True, slots=True)
class RunSummary:
    number: int  # 1 = the first applied run
    run_id: str
    trigger: str
    started_at: dt.datetime
    seed: str
    inputs_digest: str
    eligible: int
    change_counts: dict[str, int]
    changes: tuple[tuple[str, str, str], ...]  # (ref, before, after)
    changes_truncated: bool


@dataclass(frozen=True, slots=True)
class ReportData:
    statuses: dict[str, int]
    applications: int  # not erased
    eligible: int
    capacity: int
    seated: int
    groups: tuple[GroupRow, ...]
    roles: tuple[RoleRow, ...]
    regions: tuple[RegionRow, ...]
    spread_cap: int | None
    passed_over: tuple[PassedOver, ...]
    slots: tuple[SlotReport, ...]
    extras: tuple[ExtraReport, ...]
    waitlist: tuple[tuple[int, str, str], ...]  # (position, ref, group)
    run: RunSummary | None
    previous_run: RunSummary | None
    runs_with_changes: tuple[RunSummary, ...]  # every applied run that changed something
    runs_applied: int
    order: str


def gather(
    applications: Iterable[Application],
    runs: Sequence[AdmissionRun],
    conference: Conference,
    run_id: str | None = None,
    aliases: OrganisationAliases = NO_ALIASES,
) -> ReportData:
    """Everything the report shows; ``run_id`` picks the run (or its unique beginning);
    ``aliases``: the organisations organisers merged, as the runs' cap counted them."""
    present = [a for a in applications if not a.erased]
    eligible = [a for a in present if is_eligible(a, conference)]
    seated = [a for a in present if a.status in SEATED]
    applied = sorted((r for r in runs if not r.dry_run), key=lambda r: r.started_at)
    chosen = _choose_run(applied, run_id)
    summaries = [_summary(r, number) for number, r in enumerate(applied, start=1)]
    run = previous = None
    if chosen is not None:
        index = applied.index(chosen)
        run = summaries[index]
        previous = summaries[index - 1] if index > 0 else None
    return ReportData(
        statuses=dict(Counter(a.status for a in present)),
        applications=len(present),
        eligible=len(eligible),
        capacity=conference.admission.capacity,
        seated=len(seated),
        groups=_groups(conference, eligible, present),
        roles=_roles(conference, eligible, seated),
        regions=_regions(conference, eligible, seated),
        spread_cap=conference.admission.spread_cap,
        passed_over=_passed_over(conference, present, seated, aliases),
        slots=_slots(conference, seated),
        extras=_extras(conference, seated),
        waitlist=tuple(
            (a.waitlist_position, a.public_id, a.group)
            for a in sorted(present, key=lambda a: a.waitlist_position or 0)
            if a.status == "waitlisted" and a.waitlist_position is not None
        ),
        run=run,
        previous_run=previous,
        runs_with_changes=tuple(r for r in summaries if r.change_counts),
        runs_applied=len(applied),
        order=conference.admission.order,
    )


def _choose_run(applied: list[AdmissionRun], run_id: str | None) -> AdmissionRun | None:
    if run_id is None:
        return applied[-1] if applied else None
    matches = [r for r in applied if r.run_id == run_id] or [
        r for r in applied if r.run_id.startswith(run_id)
    ]
    if len(matches) != 1:
        problem = "No applied run" if not matches else "More than one run starts with"
        raise ReportError(f"{problem} {run_id!r}; `registrar admissions history` lists them.")
    return matches[0]


def _summary(run: AdmissionRun, number: int) -> RunSummary:
    return RunSummary(
        number=number,
        run_id=run.run_id,
        trigger=run.trigger,
        started_at=run.started_at,
        seed=run.seed,
        inputs_digest=run.inputs_digest,
        eligible=run.eligible,
        change_counts=dict(run.change_counts)
        or dict(Counter(f"{c.before}→{c.after}" for c in run.changes)),
        changes=tuple((c.public_id, c.before, c.after) for c in run.changes),
        changes_truncated=run.changes_truncated,
    )


def _groups(
    conference: Conference, eligible: list[Application], present: list[Application]
) -> tuple[GroupRow, ...]:
    eligible_by = Counter(a.group for a in eligible)
    seated_by = Counter(a.group for a in present if a.status in SEATED)
    waiting_by = Counter(a.group for a in present if a.status == "waitlisted")
    return tuple(
        GroupRow(g.id, g.reserved, eligible_by[g.id], seated_by[g.id], waiting_by[g.id])
        for g in conference.attendee_groups
    )


def _roles(
    conference: Conference, eligible: list[Application], seated: list[Application]
) -> tuple[RoleRow, ...]:
    eligible_by = Counter(a.role for a in eligible)
    seated_by = Counter(a.role for a in seated)
    known = [r.id for r in conference.roles]
    others = sorted((eligible_by.keys() | seated_by.keys()) - set(known))
    return tuple(RoleRow(r, eligible_by[r], seated_by[r]) for r in [*known, *others])


def _regions(
    conference: Conference, eligible: list[Application], seated: list[Application]
) -> tuple[RegionRow, ...]:
    eligible_by = Counter(a.region for a in eligible)
    seated_by = Counter(a.region for a in seated)
    known = [c.id for c in conference.form_options.regions]
    others = sorted((eligible_by.keys() | seated_by.keys()) - set(known))
    return tuple(RegionRow(r, eligible_by[r], seated_by[r]) for r in [*known, *others])


def _passed_over(
    conference: Conference,
    present: list[Application],
    seated: list[Application],
    aliases: OrganisationAliases,
) -> tuple[PassedOver, ...]:
    cap = conference.admission.spread_cap
    if cap is None:
        return ()
    held = Counter(key for a in seated if (key := spread_key(a, aliases)))
    waiting = [
        a
        for a in present
        if a.status in UNSEATED and (key := spread_key(a, aliases)) and held[key] >= cap
    ]
    waiting.sort(key=lambda a: (a.waitlist_position is None, a.waitlist_position or 0, a.public_id))
    return tuple(
        PassedOver(
            a.public_id,
            a.organisation,
            a.municipality,
            held[spread_key(a, aliases)],
            a.waitlist_position,
        )
        for a in waiting
    )


def _rank(ranking: Sequence[str], workshop: str) -> int:
    """0-based rank; unranked workshops share the rank after the last ranked one."""
    return ranking.index(workshop) if workshop in ranking else len(ranking)


def _slots(conference: Conference, seated: list[Application]) -> tuple[SlotReport, ...]:
    reports = []
    first_come = sorted(seated, key=lambda a: (a.submitted_at, a.public_id))
    for slot in conference.workshop_slots:
        width = len(slot.workshops)
        fill = Counter(a.workshops.get(slot.id) for a in seated)
        choices = [0] * width
        for a in seated:
            if slot.id in a.workshops:
                choices[_rank(a.rankings.get(slot.id, []), a.workshops[slot.id])] += 1
        reports.append(
            SlotReport(
                slot_id=slot.id,
                date=slot.date,
                workshops=tuple(WorkshopRow(w.id, w.capacity, fill[w.id]) for w in slot.workshops),
                choices=tuple(choices),
                greedy_choices=greedy_first_come(
                    [a.rankings.get(slot.id, []) for a in first_come if slot.id in a.workshops],
                    {w.id: w.capacity for w in slot.workshops},
                ),
            )
        )
    return tuple(reports)


def greedy_first_come(
    rankings: Sequence[Sequence[str]], capacities: dict[str, int]
) -> tuple[int, ...]:
    """Counts of 1st, 2nd, ... choices if people chose one by one, in the order given.

    Each takes their best-ranked workshop with a place left, else any workshop with a
    place (counted at the rank after their last ranked one), as a first-come sign-up
    sheet would; people nobody could seat are not counted.
    """
    left = dict(capacities)
    counts = [0] * len(capacities)
    for ranking in rankings:
        ranked = [w for w in ranking if left.get(w, 0) > 0]
        if ranked:
            taken = ranked[0]
        else:
            taken = next((w for w, places in left.items() if places > 0), "")
            if not taken:
                continue
        left[taken] -= 1
        counts[min(_rank(ranking, taken), len(counts) - 1)] += 1
    return tuple(counts)


def _extras(conference: Conference, seated: list[Application]) -> tuple[ExtraReport, ...]:
    return tuple(
        ExtraReport(
            e.id,
            e.capacity,
            sum(1 for a in seated if a.extras.get(e.id) == "place"),
            sum(1 for a in seated if a.extras.get(e.id) == "waitlist"),
        )
        for e in conference.extras
    )
