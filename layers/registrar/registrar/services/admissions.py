"""The admission run: read one event's applications, allocate, write decisions, queue emails.

Safe to repeat: the lottery seed follows from the committed secret (and the public value,
where the definition asks for one), the same for every run, dry or applied, and the
allocation is stable (kept seats stay), so a re-run after a crash reaches the same
decisions; the first applied run reveals the secret. Emails are
queued *before* the decision is written, with ids derived from the decision version: if the
run dies in between, the re-run writes the same decision and queues the same ids, which
the mailer sends once. A decision is only written if the application is unchanged since it
was read, so a decline that arrives during a run is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from registrar.allocation import (
    AdmissionPolicy,
    Applicant,
    Decision,
    ExtraSpec,
    GroupQuota,
    SlotSpec,
    allocate,
)
from registrar.application import HOLDS_SEAT, STATES, Application
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.errors import RunInProgress, TransitionNotAllowed
from registrar.mail_queue import MailKind, MailQueue, MailRequest
from registrar.organisations import (
    NO_ALIASES,
    OrganisationAliases,
    organisation_key,
    place_key,
)
from registrar.runs import MAX_RECORDED_CHANGES, AdmissionRun, Change, PassOver, Trigger
from registrar.services.lottery import LotteryService
from registrar.store.interfaces import ApplicationRepository, ConcurrentUpdate, RunRepository
from registrar.working_days import offer_deadline

LOCK_TTL = dt.timedelta(minutes=15)


class RegistrationStillOpen(TransitionNotAllowed):
    code = "registration_open"


def admission_policy(conference: Conference, now: dt.datetime) -> AdmissionPolicy:
    admission = conference.admission
    return AdmissionPolicy(
        capacity=admission.capacity,
        groups=tuple(GroupQuota(g.id, g.reserved) for g in conference.attendee_groups),
        order=admission.order,
        spread_cap=admission.spread_cap,
        slots=tuple(
            SlotSpec(s.id, {w.id: w.capacity for w in s.workshops}, s.date)
            for s in conference.workshop_slots
        ),
        extras=tuple(ExtraSpec(e.id, e.capacity, e.date) for e in conference.extras),
        offer_ttl=offer_ttl(conference, now),
        waitlist_open=conference.waitlist_open_at(now),
        precedence=admission.precedence,
    )


def offer_ttl(conference: Conference, now: dt.datetime) -> dt.timedelta | None:
    """How long an offer made by a run at ``now`` stays open (None: no offers, seats go
    straight to whoever moves up). Working days end at 23:59 of the Nth one, so the time
    is counted from ``now`` to that end."""
    admission = conference.admission
    if admission.offer_working_days is not None:
        venue = conference.venue
        until = offer_deadline(
            now, admission.offer_working_days, conference.zone, venue.country, venue.state
        )
        return until - now
    if admission.offer_ttl_hours is not None:
        return dt.timedelta(hours=admission.offer_ttl_hours)
    return None


def spread_key(application: Application, aliases: OrganisationAliases = NO_ALIASES) -> str:
    """Applicants from the same organisation in the same municipality share a cap.

    The organisation as ``registrar.organisations`` folds it (spelling does not make a
    second one), counted as the organisation organisers merged it into.
    """
    key = organisation_key(application.organisation, application.municipality)
    if not key:
        return ""
    return f"{aliases.resolve(key)}|{place_key(application.municipality)}"


def is_eligible(application: Application, conference: Conference) -> bool:
    if application.erased or application.submitted_at > conference.deadline:
        return False
    return application.confirmed or not conference.registration.require_confirmation


def to_applicant(
    application: Application,
    ticket: str,
    aliases: OrganisationAliases = NO_ALIASES,
    *,
    replay: bool = False,
) -> Applicant:
    """The application as the allocation sees it, with its lottery ticket; ``aliases``:
    the organisations organisers merged, for the cap; ``replay``: as before the first run.

    A first run that crashed half way left some of its decisions written; the run that
    completes it decides again from the start (the same lottery gives the same result),
    because a seat written early would otherwise count as kept and shift the stages.
    """
    if replay and _last_decided_by_a_run(application):
        application = application.model_copy(
            update={
                "status": "new",
                "workshops": {},
                "extras": {},
                "offer_expires_at": None,
                "queue_place": None,
            }
        )
    return Applicant(
        application_id=application.public_id,
        ticket=ticket,
        group=application.group,
        submitted_at=application.submitted_at,
        spread_key=spread_key(application, aliases),
        rankings={slot: tuple(ranking) for slot, ranking in application.rankings.items()},
        extras_wanted=frozenset(application.extras_wanted),
        state=application.status,
        workshops=dict(application.workshops),
        extras=dict(application.extras),
        offer_expires_at=application.offer_expires_at,
        queue_place=application.queue_place,
        days=frozenset(application.days),
        late=application.was_late,
    )


def _last_decided_by_a_run(application: Application) -> bool:
    """Whether its status is an admissions run's decision (not an applicant's or organiser's)."""
    decisions = (entry for entry in reversed(application.history) if entry.action in STATES)
    last = next(decisions, None)
    return last is not None and last.actor.startswith("admissions:")


def inputs_digest(applicants: list[Applicant]) -> str:
    """A digest of everything the allocation read, to verify a run independently."""
    canonical = [
        [
            a.application_id,
            a.group,
            a.submitted_at.isoformat(),
            a.spread_key,
            {slot: list(r) for slot, r in sorted(a.rankings.items())},
            sorted(a.extras_wanted),
            a.state,
            a.queue_place,
            sorted(day.isoformat() for day in a.days),
            a.late,
        ]
        for a in sorted(applicants, key=lambda a: a.application_id)
    ]
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One application's new decision, with what it was before (captured at planning)."""

    application: Application
    decision: Decision
    mail: MailKind | None
    before: str
    decision_changed: bool

    @classmethod
    def of(
        cls, application: Application, decision: Decision, mail: MailKind | None
    ) -> PlannedChange:
        changed = (
            application.status != decision.status
            or application.workshops != dict(decision.workshops)
            or application.extras != dict(decision.extras)
            or application.offer_expires_at != decision.offer_expires_at
        )
        return cls(application, decision, mail, application.status, changed)

    def as_change(self) -> Change:
        return Change(
            public_id=self.application.public_id,
            before=self.before,
            after=self.decision.status,
            workshops=dict(self.decision.workshops),
            extras=dict(self.decision.extras),
        )


def _only_new_extra_places(application: Application, decision: Decision) -> bool:
    """Whether a decision only gives places in extras the application waited for."""
    before, after = application.extras, decision.extras
    gained = [e for e, state in after.items() if state == "place" and before.get(e) == "waitlist"]
    return (
        bool(gained)
        and application.workshops == dict(decision.workshops)
        and application.offer_expires_at == decision.offer_expires_at
        and all(after.get(e) == "place" for e, state in before.items() if state == "place")
    )


class AdmissionsService:
    def __init__(
        self,
        conference: Conference,
        applications: ApplicationRepository,
        runs: RunRepository,
        mail_queue: MailQueue,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._runs = runs
        self._mail = mail_queue
        self._clock = clock
        self._lottery = LotteryService(conference, runs, clock, rng)

    def run(
        self,
        trigger: Trigger,
        *,
        dry_run: bool,
        reason: str = "",
        as_if_closed: bool = False,
    ) -> AdmissionRun:
        """Decide (or, ``dry_run``, only say what would be decided).

        Before registration closes only a dry run ``as_if_closed`` is allowed: a preview of
        the deadline run as if the deadline were now, with the committed lottery (who
        applies may still change). Raises PublicValueMissing while the definition's public
        value has not been entered.
        """
        conference = self._conference
        started = self._clock.now()
        if started < conference.closes_at and not (dry_run and as_if_closed):
            raise RegistrationStillOpen
        run_id = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(3)}"
        if not dry_run and not self._runs.acquire_lock(conference.id, run_id, started, LOCK_TTL):
            raise RunInProgress
        try:
            return self._run(run_id, trigger, started, dry_run=dry_run, reason=reason)
        finally:
            if not dry_run:
                self._runs.release_lock(conference.id, run_id)

    def _run(
        self,
        run_id: str,
        trigger: Trigger,
        started: dt.datetime,
        *,
        dry_run: bool,
        reason: str,
    ) -> AdmissionRun:
        conference = self._conference
        history = self._runs.list(conference.id)
        # The deadline run admits directly; only a *finished* applied run makes later
        # admissions offers, so a crashed first run is completed as the first run.
        initial = not any(not run.dry_run and run.finished_at for run in history)
        lottery = self._lottery.state()
        run_seed = self._lottery.seed(lottery)
        eligible = [a for a in self._applications.list(conference.id) if is_eligible(a, conference)]
        if initial:
            # The deadline run decides among those who confirmed in time; late ones wait
            # for the seats that free up after it.
            eligible = [a for a in eligible if not a.was_late]
        aliases = self._runs.organisation_aliases(conference.id)
        applicants = [
            to_applicant(a, self._lottery.ticket(a.public_id), aliases, replay=initial)
            for a in eligible
        ]
        policy = admission_policy(conference, started)
        result = allocate(applicants, policy, run_seed, started, first_run=initial)
        plan = self._plan(eligible, result.decisions)
        mails = [
            MailRequest.create(
                change.mail,
                conference.id,
                change.application.applicant_key,
                change.application.decision_version + 1,
            )
            for change in plan
            if change.mail is not None
        ]
        record = AdmissionRun(
            event_id=conference.id,
            run_id=run_id,
            trigger=trigger,
            started_at=started,
            finished_at=None,
            dry_run=dry_run,
            seed=run_seed,
            inputs_digest=inputs_digest(applicants),
            eligible=len(applicants),
            stats=result.stats.to_dict(),
            changes=[],
            passed_over=[
                PassOver(public_id=p.application_id, reason=p.reason, group=p.group)
                for p in result.passed_over[:MAX_RECORDED_CHANGES]
            ],
            emails_queued=dict(Counter(m.kind for m in mails)),
            reason=reason,
            # Run records name applications by reference: kept as long as the applications
            # (the definition's retention after the event), then TTL deletes them.
            expires_at=conference.retention_until(),
        )
        shown = plan
        if not dry_run:
            self._runs.put(record)  # the seed is on record before anything is written
            self._mail.enqueue(mails)
            shown = self._write(plan, run_id, started)
        changes = [c.as_change() for c in shown if c.decision_changed]
        run = record.model_copy(
            update={
                "finished_at": self._clock.now(),
                "changes": changes[:MAX_RECORDED_CHANGES],
                "change_counts": dict(Counter(f"{c.before}→{c.after}" for c in changes)),
                "changes_truncated": len(changes) > MAX_RECORDED_CHANGES,
            }
        )
        if not dry_run:
            self._runs.put(run)
            self._lottery.reveal()  # the seed is on record and applied: the secret is public
        return run

    def _plan(
        self, eligible: list[Application], by_id: Mapping[str, Decision]
    ) -> list[PlannedChange]:
        plan: list[PlannedChange] = []
        for application in eligible:
            decision = by_id.get(application.public_id)
            if decision is None:
                continue
            change = PlannedChange.of(application, decision, None)
            # A changed decision is told: a new status, or a participant whose workshops or
            # extra places changed. A place in an extra that freed up (moved up from its
            # waiting list) gets its own short email; anything else the whole decision.
            if application.status != decision.status:
                change = PlannedChange.of(application, decision, STATES[decision.status].mail)
            elif change.decision_changed and decision.status in HOLDS_SEAT:
                mail: MailKind | None = STATES[decision.status].mail
                if _only_new_extra_places(application, decision):
                    mail = "extra_place"
                change = PlannedChange.of(application, decision, mail)
            if (
                change.decision_changed
                or application.waitlist_position != decision.waitlist_position
                or application.queue_place != decision.queue_place
            ):
                plan.append(change)
        return plan

    def _write(
        self, plan: list[PlannedChange], run_id: str, now: dt.datetime
    ) -> list[PlannedChange]:
        written: list[PlannedChange] = []
        for change in plan:
            application = change.application
            decision = change.decision
            if change.decision_changed:
                application.record(
                    now, decision.status, f"admissions:{run_id}", f"from {application.status}"
                )
                application.decision_version += 1
            application.status = decision.status
            application.workshops = dict(decision.workshops)
            application.extras = dict(decision.extras)
            application.waitlist_position = decision.waitlist_position
            application.queue_place = decision.queue_place
            application.offer_expires_at = decision.offer_expires_at
            application.decided_by_run = run_id
            try:
                self._applications.save(application)
            except ConcurrentUpdate:
                # Changed since we read it (a decline, a confirmation): theirs wins; the
                # next run sees the new state.
                continue
            written.append(change)
        return written
