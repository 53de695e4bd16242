"""Applicants' use cases: submit, confirm, view, change preferences, decline, withdraw, accept.

Every change follows one shape: read, check the transition is allowed, write conditionally
on the version read, record a history entry, queue the email it implies. A submission is
the one exception: it is kept as received, and whether the address was new is decided
after the answer (``services.intake``); the receipt follows from the table's stream
(``services.receipts``). A change asked
for through a link names the application the link was sent for: another application under
the same applicant key (the address registered again after an erasure) is not touched.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence

from registrar.application import (
    PREFERENCES_OPEN,
    STATES,
    Actor,
    Application,
    Status,
    SubmitterCopy,
    can_transition,
    require_transition,
)
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.errors import (
    ApplicationNotFound,
    RegistrationClosed,
    RegistrationNotOpen,
    TransitionNotAllowed,
)
from registrar.identity import ApplicantKeys, new_public_id, normalise_email, received_key
from registrar.mail_queue import MailQueue, MailRequest
from registrar.store.interfaces import (
    ConcurrentUpdate,
    ReceivedSubmission,
    RegistrationRepository,
    SubmittedFor,
)
from registrar.store.updates import Change, update_application
from registrar.submission import (
    ON_BEHALF_LIMIT,
    FieldError,
    InvalidSubmission,
    Preferences,
    Submission,
    for_days,
    preference_errors,
)
from registrar.tokens import InvalidToken, TokenClaims

# Whom a change is for: an applicant key (trusted callers), or a link's claims, which also
# name the application the link was sent for.
Applicant = str | TokenClaims

_RETRIES = 5
_SUBMITTER_MAILS: Mapping[SubmitterCopy, str] = {
    "copy": "to the person, in copy to the submitter",
    "only": "to the submitter only",
}


class ActingForApplicants:
    """What the services acting for applicants (this one, substitution) are built from."""

    def __init__(
        self,
        conference: Conference,
        applications: RegistrationRepository,
        mail_queue: MailQueue,
        clock: Clock,
        rng: random.Random,
        applicant_keys: ApplicantKeys,
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._mail = mail_queue
        self._clock = clock
        self._rng = rng
        self._keys = applicant_keys


class RegistrationService(ActingForApplicants):
    def check_open(self) -> None:
        state = self._conference.registration_state(self._clock.now())
        if state == "not_open":
            raise RegistrationNotOpen
        if state == "closed":
            raise RegistrationClosed

    def submit(self, submission: Submission, *, is_bot: bool = False) -> None:
        """Keep the submission to be registered (a new application, or a notice to the
        applicant registered); the same answer, after the same one write.

        Nothing comes back: whether the address was new is not known here (it is decided
        after the answer, ``services.intake``), so no reference number can be named
        truthfully. The receipt carries the new one, the notice to an existing applicant
        theirs. Both follow from the table's stream, so a stored submission always gets
        its mail.
        """
        self.check_open()
        public_id = new_public_id(self._rng)
        if is_bot:
            return
        now = self._clock.now()
        conference = self._conference
        application = Application(
            event_id=conference.id,
            applicant_key=self._keys.of(conference.id, submission.email),
            public_id=public_id,
            email=submission.email,
            salutation=submission.salutation,
            title=submission.title,
            given_name=submission.given_name,
            family_name=submission.family_name,
            function=submission.function,
            organisation=submission.organisation,
            municipality=submission.municipality,
            region=submission.region,
            group=submission.group,
            role=submission.role,
            days=list(submission.days),
            rankings=submission.rankings,
            extras_wanted=submission.extras_wanted,
            accessibility=submission.accessibility,
            accessibility_note=submission.accessibility_note,
            dietary=submission.dietary,
            dietary_note=submission.dietary_note,
            language=submission.language,
            consent_version=conference.privacy_notice_version,
            submitted_at=now,
            confirmed_at=None if conference.registration.require_confirmation else now,
            expires_at=conference.retention_until(),
            submitted_by=submission.submitted_by,
            submitter_copy=submission.submitter_copy,
        )
        submitter_key = None
        key = received_key(self._rng)
        if submission.submitted_by:
            # The submitter's address is personal data: the history says only that it was.
            mails = _SUBMITTER_MAILS[submission.submitter_copy or "copy"]
            detail = f"consent {application.consent_version}; on behalf, mails {mails}"
            application.record(now, "submitted", "submitter", detail)
            submitter_key = self._hold_place_for(application, key)
        else:
            application.record(
                now, "submitted", "applicant", f"consent {application.consent_version}"
            )
        # One write, the same whether the address is new or not, so that neither the answer
        # nor its timing tells: the submission as received, under a key of its own. Whether
        # it becomes the application or a notice to the one registered is decided after the
        # answer (``services.intake``).
        self._applications.receive(
            ReceivedSubmission(conference.id, key, application, submitter_key)
        )

    def _hold_place_for(self, application: Application, received_key: str) -> str:
        """Count the person against the submitter's limit before storing them; return the
        key of the submitter's record.

        Raises InvalidSubmission (nothing stored) when the submitter already registered
        ``ON_BEHALF_LIMIT`` people who are still registered by them. The record is written
        first, conditionally: two submissions at once cannot both take the last place. A
        place held for an application that was then not stored (a crash, or the person
        was registered already) is found and freed when the limit is next reached.
        """
        event_id = self._conference.id
        key = self._keys.submitter(event_id, application.submitted_by)
        for _ in range(_RETRIES):
            record = self._applications.submitted_for(event_id, key) or SubmittedFor(
                event_id, key, (), application.expires_at
            )
            keys = record.applicant_keys
            if application.applicant_key in keys:
                return key  # registered by them before: the duplicate is answered as any other
            if len(keys) >= ON_BEHALF_LIMIT:
                keys = self._still_theirs(record, application.submitted_by)
            if len(keys) >= ON_BEHALF_LIMIT:
                raise InvalidSubmission(
                    [FieldError("submitter_email", "on_behalf_limit", {"max": ON_BEHALF_LIMIT})]
                )
            waiting = {k: r for k, r in record.received_keys.items() if k in keys}
            updated = record._replace(
                applicant_keys=(*keys, application.applicant_key),
                received_keys={**waiting, application.applicant_key: received_key},
            )
            try:
                self._applications.save_submitted_for(updated)
            except ConcurrentUpdate:
                continue
            return key
        raise ConcurrentUpdate(key)

    def _still_theirs(self, record: SubmittedFor, submitter: str) -> tuple[str, ...]:
        """The keys whose application is still registered by ``submitter``: stored, or
        received from them and still waiting to be registered."""
        event_id = self._conference.id
        mine = normalise_email(submitter)

        def theirs(key: str) -> bool:
            application = self._applications.get(event_id, key)
            if application is None:
                received = record.received_keys.get(key)
                return received is not None and self._applications.is_waiting(event_id, received)
            return not application.erased and normalise_email(application.submitted_by) == mine

        return tuple(key for key in record.applicant_keys if theirs(key))

    def get(self, key: Applicant) -> Application:
        application = self._applications.get(self._conference.id, applicant_key_of(key))
        if application is None or application.erased:
            raise ApplicationNotFound
        require_linked(key, application)
        return application

    def confirm(self, key: Applicant) -> Application:
        """Record that the address is the applicant's. After the deadline the confirmation
        still counts, as a late one: the application waits behind every timely one."""
        now = self._clock.now()
        late = now > self._conference.deadline

        def confirm(application: Application) -> bool:
            if application.confirmed:
                return False
            application.confirmed_at = now
            application.record(now, "confirmed", "applicant", "after the deadline" if late else "")
            if late and can_transition(application.status, "late", Actor.APPLICANT):
                application.decide(now, "late", "applicant", f"from {application.status}")
            return True

        return self._change(key, confirm).application

    def update_preferences(
        self,
        key: Applicant,
        rankings: dict[str, list[str]],
        extras_wanted: list[str],
        days: Sequence[dt.date] | None = None,
    ) -> Application:
        """Change the days attended (None: as they are), the workshop rankings and extras:
        until the deadline, before any decision.

        Checked with the form's own rules; an unchanged choice writes nothing.
        """
        self.check_open()
        # Extras in the definition's order, as a submission stores them; unknown ones stay
        # in the list so that the check below names them.
        order = [e.id for e in self._conference.extras]
        extras = [e for e in order if e in extras_wanted] + sorted(set(extras_wanted) - set(order))
        submitted = Preferences({slot: list(r) for slot, r in rankings.items()}, extras)
        now = self._clock.now()

        def change(application: Application) -> bool:
            if application.status not in PREFERENCES_OPEN:
                raise TransitionNotAllowed("Preferences change only before a decision.")
            # Only the days the person attends count: their slots ranked, their extras.
            attending = list(application.days if days is None else days)
            preferences = for_days(submitted, self._conference, attending)
            errors = preference_errors(preferences, self._conference, attending)
            if errors:
                raise InvalidSubmission(errors)
            conference = self._conference
            days_before = conference.attended_days(application.days)
            days_after = conference.attended_days(attending)
            parts = []
            if days_before != days_after:
                parts.append(f"days: {_iso(days_before)} → {_iso(days_after)}")
            if (
                application.rankings != preferences.rankings
                or application.extras_wanted != preferences.extras_wanted
            ):
                parts.append(
                    preferences_change(
                        application.rankings,
                        application.extras_wanted,
                        preferences.rankings,
                        preferences.extras_wanted,
                    )
                )
            if not parts:
                return False
            detail = "; ".join(parts)
            application.days = attending
            application.rankings = preferences.rankings
            application.extras_wanted = preferences.extras_wanted
            application.record(now, "preferences_changed", "applicant", detail)
            return True

        return self._change(key, change).application

    def decline(self, key: Applicant) -> Application:
        """Give back a seat (or an offer); the next run moves the waitlist up."""
        return self._transition(key, "declined")

    def withdraw(self, key: Applicant) -> Application:
        """Withdraw before a decision, or leave the waiting list."""
        return self._transition(key, "withdrawn")

    def accept_offer(self, key: Applicant) -> Application:
        now = self._clock.now()

        def accept(application: Application) -> bool:
            require_transition(application.status, "accepted", Actor.APPLICANT)
            expires = application.offer_expires_at
            if expires is not None and now >= expires:
                raise TransitionNotAllowed("The offer has lapsed.")
            application.status = "accepted"
            application.offer_expires_at = None
            application.record(now, "offer_accepted", "applicant")
            return True

        return self._change(key, accept).application

    def _transition(self, key: Applicant, target: Status) -> Application:
        """Move to ``target`` as the applicant, if the table allows it; tell them by email."""
        now = self._clock.now()

        def move(application: Application) -> bool:
            if application.status == target:
                return False
            require_transition(application.status, target, Actor.APPLICANT)
            application.decide(now, target, "applicant", f"from {application.status}")
            return True

        result = self._change(key, move)
        mail = STATES[target].mail
        if result.changed and mail is not None:
            version = result.application.decision_version
            request = MailRequest.create(mail, self._conference.id, applicant_key_of(key), version)
            self._mail.enqueue([request])
        return result.application

    def _change(self, key: Applicant, mutate: Callable[[Application], bool]) -> Change:
        """The application comes back as stored: written, or as read when nothing changed
        (so a caller never reads it again). A link's change is checked against the
        application as read, in the same conditional write."""

        def linked(application: Application) -> bool:
            require_linked(key, application)
            return mutate(application)

        event = self._conference.id
        result = update_application(self._applications, event, applicant_key_of(key), linked)
        if result is None:
            raise ApplicationNotFound
        return result


def applicant_key_of(key: Applicant) -> str:
    return key.applicant_key if isinstance(key, TokenClaims) else key


def require_linked(key: Applicant, application: Application) -> None:
    """A link opens only the application it was sent for: not a later registration of the
    same address (after an erasure), and not an erased one."""
    if isinstance(key, TokenClaims) and (
        application.erased or application.public_id != key.application
    ):
        raise InvalidToken("revoked")


def _iso(days: Sequence[dt.date]) -> str:
    return ", ".join(day.isoformat() for day in days)


def preferences_change(
    rankings_before: Mapping[str, list[str]],
    extras_before: list[str],
    rankings_after: Mapping[str, list[str]],
    extras_after: list[str],
) -> str:
    """What changed, for the history (ids only, no personal data).

    E.g. ``day1: d1-ws2 > d1-ws1 > d1-ws3 → d1-ws1 > d1-ws2 > d1-ws3; city_tour: wanted → not
    wanted``: each slot whose ranking changed, each extra wanted or no longer wanted.
    """
    parts = []
    for slot in sorted(set(rankings_before) | set(rankings_after)):
        before, after = rankings_before.get(slot, []), rankings_after.get(slot, [])
        if before != after:
            parts.append(f"{slot}: {' > '.join(before) or '-'} → {' > '.join(after) or '-'}")
    for extra in [*extras_before, *(e for e in extras_after if e not in extras_before)]:
        was, now = extra in extras_before, extra in extras_after
        if was != now:
            parts.append(
                f"{extra}: {'wanted' if was else 'not wanted'} → "
                + ("wanted" if now else "not wanted")
            )
    return "; ".join(parts) or "preferences changed"
