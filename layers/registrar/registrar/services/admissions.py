"""The admission run: read one event's applications, allocate, write decisions, queue emails.

Safe to repeat: the lottery seed follows from the committed secret (and the public value,
where the definition asks for one), the same for every run, dry or applied, and the
allocation is stable (kept seats stay), so a re-run after a crash reaches the same
decisions; the first applied run reveals the secret. Emails are
queued *before* the decision is written, with ids derived from the decision version: if the
run dies in between, the re-run writes the same decision and queues the same ids, which
the mailer sends once. A decision is only written if the application is unchanged since it
was read, so a decline that arrives during a run is never overwritten.

Decisions are written in checkpoints of ``CHECKPOINT_EVERY``: the checkpoint's emails are
queued, then its decisions are written: ``DECISIONS_PER_WRITE`` in one request, each on its
own condition, ``WRITES_IN_FLIGHT`` requests at a time (they wait on the network, not on
each other). Between checkpoints the
run may stop (``time_is_short``): it records itself unfinished, keeps the run lock and is
continued under the same run id by a new invocation, which reads and allocates again and
finds left to write exactly what the stopped part had not written; the same path completes
a run that crashed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import secrets
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import batched

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
from registrar.errors import DomainError, RunInProgress, TransitionNotAllowed
from registrar.mail_queue import SQS_BATCH, MailKind, MailQueue, MailQueueUnavailable, MailRequest
from registrar.organisations import (
    NO_ALIASES,
    OrganisationAliases,
    organisation_key,
    place_key,
)
from registrar.runs import MAX_RECORDED_CHANGES, AdmissionRun, Change, PassOver, Trigger
from registrar.services.intake import register
from registrar.services.lottery import LotteryService
from registrar.store.interfaces import IntakeRepository, RunRepository
from registrar.working_days import offer_deadline

LOCK_TTL = dt.timedelta(minutes=15)
# Writes in flight at once. Each waits a few milliseconds on the network for DynamoDB's
# answer; 24 at a time overlap their waits (the applications table's connection pool,
# store.models, holds at least this many).
WRITES_IN_FLIGHT = 24
# Decisions sent in one write: a DynamoDB transaction of conditional puts, each on its own
# application's version (store.dynamo). A request's own work (building, signing, sending,
# parsing) is paid once for all of them: it, not the network, bounds a run's speed once
# writes are in flight together.
DECISIONS_PER_WRITE = 25
CHECKPOINT_EVERY = 1_000  # decisions between two chances to stop and continue later


class RegistrationStillOpen(TransitionNotAllowed):
    code = "registration_open"


class NothingToContinue(DomainError):
    """A continuation names a run that is not an applied, unfinished run of this event."""

    code = "nothing_to_continue"


def _never() -> bool:
    return False


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
        applications: IntakeRepository,
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
        time_is_short: Callable[[], bool] = _never,
    ) -> AdmissionRun:
        """Decide (or, ``dry_run``, only say what would be decided).

        Before registration closes only a dry run ``as_if_closed`` is allowed: a preview of
        the deadline run as if the deadline were now, with the committed lottery (who
        applies may still change). Raises PublicValueMissing while the definition's public
        value has not been entered.

        An applied run asks ``time_is_short`` at each checkpoint; when it says yes, the run
        stops there and returns its record unfinished (``finished_at`` None), still holding
        the run lock: ``continue_run`` with its id goes on.
        """
        conference = self._conference
        started = self._clock.now()
        if started < conference.closes_at and not (dry_run and as_if_closed):
            raise RegistrationStillOpen
        run_id = f"{started.strftime('%Y%m%dT%H%M%S%fZ')}-{secrets.token_hex(3)}"
        if dry_run:
            return self._run(run_id, trigger, started, dry_run=True, reason=reason)
        return self._locked(
            run_id,
            lambda: self._run(
                run_id,
                trigger,
                started,
                dry_run=False,
                reason=reason,
                time_is_short=time_is_short,
            ),
        )

    def continue_run(
        self, run_id: str, *, time_is_short: Callable[[], bool] = _never
    ) -> AdmissionRun:
        """Go on with an applied run that stopped at a checkpoint (or died), under its id.

        Its lottery, inputs and time are the stopped run's; what is left to write is found
        by reading and allocating again, so nothing it wrote is written twice.
        """
        stopped = next(
            (r for r in self._runs.list(self._conference.id) if r.run_id == run_id), None
        )
        if stopped is None or stopped.dry_run or stopped.finished_at is not None:
            raise NothingToContinue
        return self._locked(
            run_id,
            lambda: self._run(
                run_id,
                stopped.trigger,
                stopped.started_at,
                dry_run=False,
                reason=stopped.reason,
                time_is_short=time_is_short,
                stopped=stopped,
            ),
        )

    def _register_waiting_submissions(self) -> None:
        """Register the submissions accepted and not yet registered (the stream is seconds
        behind, or stopped), so that none is left out of the run; a preview too, so that
        it shows what the run will decide. Raises MailQueueUnavailable when a repeat's
        notice could not be queued (the rest wait: the run is tried again)."""
        waiting = self._applications.received(self._conference.id)
        stopped = register(waiting, self._applications, self._mail).stopped_at
        if stopped is not None:
            raise MailQueueUnavailable(stopped.key)

    def _locked(self, run_id: str, work: Callable[[], AdmissionRun]) -> AdmissionRun:
        # The lock is taken at the clock's now (a continuation starts later than its run).
        event = self._conference.id
        if not self._runs.acquire_lock(event, run_id, self._clock.now(), LOCK_TTL):
            raise RunInProgress
        try:
            run = work()
        except BaseException:
            self._runs.release_lock(event, run_id)
            raise
        if run.finished_at is not None:  # a stopped run keeps it for its continuation
            self._runs.release_lock(event, run_id)
        return run

    def _run(
        self,
        run_id: str,
        trigger: Trigger,
        started: dt.datetime,
        *,
        dry_run: bool,
        reason: str,
        time_is_short: Callable[[], bool] = _never,
        stopped: AdmissionRun | None = None,
    ) -> AdmissionRun:
        conference = self._conference
        history = self._runs.list(conference.id)
        # The deadline run admits directly; only a *finished* applied run makes later
        # admissions offers, so a crashed first run is completed as the first run.
        initial = not any(not run.dry_run and run.finished_at for run in history)
        lottery = self._lottery.state()
        run_seed = self._lottery.seed(lottery)
        self._register_waiting_submissions()
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
        mails = [mail for change in plan if (mail := self._mail_of(change)) is not None]
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
        if dry_run:
            return self._finish(record, [c.as_change() for c in plan if c.decision_changed])
        if stopped is None:
            # The seed is on record before anything is written; the emails as they are queued.
            record = record.model_copy(update={"emails_queued": {}})
            self._runs.put(record)
        else:
            record = stopped  # a continuation adds to the record of the run it continues
        written, queued, complete = self._write(plan, run_id, started, time_is_short)
        done = [c.as_change() for c in written if c.decision_changed]
        run = self._finish(
            record.model_copy(
                update={
                    "emails_queued": dict(
                        Counter(record.emails_queued) + Counter(m.kind for m in queued)
                    )
                }
            ),
            list(record.changes) + done,
            finished=complete,
            counts=Counter(record.change_counts) + Counter(f"{c.before}→{c.after}" for c in done),
        )
        self._runs.put(run)
        if complete:
            self._lottery.reveal()  # the seed is on record and applied: the secret is public
        return run

    def _finish(
        self,
        record: AdmissionRun,
        changes: list[Change],
        *,
        finished: bool = True,
        counts: Counter[str] | None = None,
    ) -> AdmissionRun:
        if counts is None:
            counts = Counter(f"{c.before}→{c.after}" for c in changes)
        return record.model_copy(
            update={
                "finished_at": self._clock.now() if finished else None,
                "changes": changes[:MAX_RECORDED_CHANGES],
                "change_counts": dict(counts),
                "changes_truncated": sum(counts.values()) > MAX_RECORDED_CHANGES,
            }
        )

    def _mail_of(self, change: PlannedChange) -> MailRequest | None:
        if change.mail is None:
            return None
        application = change.application
        return MailRequest.create(
            change.mail,
            self._conference.id,
            application.applicant_key,
            application.decision_version + 1,
        )

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
        self,
        plan: list[PlannedChange],
        run_id: str,
        now: dt.datetime,
        time_is_short: Callable[[], bool],
    ) -> tuple[list[PlannedChange], list[MailRequest], bool]:
        """Queue each checkpoint's emails, then write its decisions, several at a time.

        Returns what was written, what was queued, and whether the whole plan was done
        (False: time ran short at a checkpoint, the rest is left for a continuation).
        """
        written: list[PlannedChange] = []
        queued: list[MailRequest] = []
        with ThreadPoolExecutor(WRITES_IN_FLIGHT, thread_name_prefix="admissions") as pool:
            for checkpoint in batched(plan, CHECKPOINT_EVERY):
                if time_is_short():
                    return written, queued, False
                mails = [mail for change in checkpoint if (mail := self._mail_of(change))]
                _all_done(pool, self._mail.enqueue, [list(b) for b in batched(mails, SQS_BATCH)])
                queued.extend(mails)
                groups = list(batched(checkpoint, DECISIONS_PER_WRITE))
                answers = _all_done(
                    pool, lambda group: self._write_group(group, run_id, now), groups
                )
                written.extend(
                    change
                    for group, written_each in zip(groups, answers, strict=True)
                    for change, was_written in zip(group, written_each, strict=True)
                    if was_written
                )
        return written, queued, True

    def _write_group(
        self, group: Sequence[PlannedChange], run_id: str, now: dt.datetime
    ) -> tuple[bool, ...]:
        """Write each change's decision, each on its own condition (the application unchanged
        since it was read); False for one changed since (a decline, a confirmation): theirs
        wins, and the next run sees the new state."""
        return self._applications.save_each([self._decided(c, run_id, now) for c in group])

    @staticmethod
    def _decided(change: PlannedChange, run_id: str, now: dt.datetime) -> Application:
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
        return application


def _all_done[T, R](
    pool: ThreadPoolExecutor, work: Callable[[T], R], items: Sequence[T]
) -> list[R]:
    """``work`` on every item through the pool, results in order. If one fails, the ones
    not yet started are cancelled (those in flight finish) and its error is raised: the
    run stops as a crash would, and is completed by the next run."""
    futures = [pool.submit(work, item) for item in items]
    try:
        return [future.result() for future in futures]
    except BaseException:
        for future in futures:
            future.cancel()
        raise
