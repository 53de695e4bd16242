"""Substitution (Vertretung): a participant passes their seat to a colleague.

A participant whose seat is confirmed (``accepted``) names a colleague on the manage page:
name, office and address. The organisation, role and group are the participant's own (the
seat was given within them), and so are the workshops and extras. Nothing moves yet: the
colleague gets a link at their own address, and only when they open it, agree to the
privacy notice and confirm does the seat move, in one transaction: the participant's
application becomes ``substituted`` (final, no seat), the colleague's is stored
``accepted`` and confirmed, with the same workshops and extras. Both get an email; each
side's history names the other's reference number, never an address.

Naming someone else replaces the earlier name, and the earlier link stops working (the
link names the colleague's key). An address that already has an application at the event
cannot take over a seat: one person, one application. All of it only until the definition's
``admission.substitute_until`` (else the programme's start).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from registrar.application import (
    Actor,
    Application,
    SubstituteNomination,
    can_transition,
    require_transition,
)
from registrar.conference import Conference
from registrar.errors import ApplicationNotFound, DomainError, TransitionNotAllowed
from registrar.identity import new_public_id
from registrar.mail_queue import MailRequest
from registrar.services.registration import (
    ActingForApplicants,
    Applicant,
    applicant_key_of,
    require_linked,
)
from registrar.store.interfaces import ConcurrentUpdate
from registrar.store.updates import update_application
from registrar.submission import FieldError, InvalidSubmission, validate_colleague
from registrar.tokens import InvalidToken, TokenClaims

NOMINATED = "substitute_named"
TAKEN_OVER = "seat_taken_over"
_SEPARATOR = "."


class SubstitutionClosed(DomainError):
    """Too late: the definition's time for naming a substitute has passed."""

    code = "substitution_closed"


class SubstituteAlreadyRegistered(DomainError):
    """The colleague's address has an application of its own at this event."""

    code = "substitute_registered"


class NominationReplaced(DomainError):
    """The link names a colleague who is no longer the one named (or the seat is gone)."""

    code = "substitute_link_replaced"


def link_subject(original_key: str, colleague_key: str) -> str:
    """What the colleague's signed link names: the seat's application and the colleague."""
    return f"{original_key}{_SEPARATOR}{colleague_key}"


def split_link_subject(subject: str) -> tuple[str, str]:
    original, separator, colleague = subject.partition(_SEPARATOR)
    if not separator or not original or not colleague:
        raise InvalidToken("malformed")
    return original, colleague


def _require_seat_of(claims: TokenClaims, original: Application) -> None:
    """A colleague's link opens only the seat of the application that named them: not a
    later registration of the same address (after an erasure)."""
    if original.public_id != claims.application:
        raise InvalidToken("revoked")


def nominations(application: Application) -> int:
    """How often a colleague was named: each naming's email is a message of its own."""
    return sum(1 for entry in application.history if entry.action == NOMINATED)


def may_name_substitute(application: Application, conference: Conference, now: dt.datetime) -> bool:
    return (
        can_transition(application.status, "substituted", Actor.APPLICANT)
        and now <= conference.substitutes_until
    )


def colleague_application(
    original: Application,
    nomination: SubstituteNomination,
    conference: Conference,
    now: dt.datetime,
) -> Application:
    """The colleague's application: the seat (its days, workshops and extras), in their
    name."""
    colleague = Application(
        event_id=original.event_id,
        applicant_key=nomination.applicant_key,
        public_id=nomination.public_id,
        email=nomination.email,
        salutation=nomination.salutation,
        title=nomination.title,
        given_name=nomination.given_name,
        family_name=nomination.family_name,
        function=nomination.function,
        organisation=original.organisation,
        municipality=original.municipality,
        region=original.region,
        group=original.group,
        role=original.role,
        # The seat is for the days the original attends: the colleague's workshops and
        # extras are theirs, and no run gives the colleague a day the seat never had.
        days=list(original.days),
        rankings={slot: list(ranking) for slot, ranking in original.rankings.items()},
        extras_wanted=list(original.extras_wanted),
        language=nomination.language,
        consent_version=conference.privacy_notice_version,
        # The seat's own: admissions runs count only applications submitted in time, and
        # this seat was (the take-over's time is in the history).
        submitted_at=original.submitted_at,
        confirmed_at=now,
        status="accepted",
        decision_version=1,
        workshops=dict(original.workshops),
        extras=dict(original.extras),
        expires_at=original.expires_at,
        seat_taken_over_from=original.public_id,
    )
    colleague.record(
        now,
        TAKEN_OVER,
        "applicant",
        f"from {original.public_id}; consent {colleague.consent_version}",
    )
    return colleague


class Offer(NamedTuple):
    """What the colleague's link shows: whose seat, and what comes with it."""

    original: Application
    nomination: SubstituteNomination


class SubstitutionService(ActingForApplicants):
    def nominate(self, key: Applicant, form: Mapping[str, Any], language: str = "") -> Application:
        """Name a colleague (the manage page's form); raises InvalidSubmission, and
        TransitionNotAllowed or SubstitutionClosed when the seat cannot be passed on."""
        conference = self._conference
        now = self._clock.now()
        colleague = validate_colleague(form)
        colleague_key = self._keys.of(conference.id, colleague.email)
        if colleague_key == applicant_key_of(key):
            raise InvalidSubmission([FieldError("email", "substitute_is_you")])
        if self._applications.get(conference.id, colleague_key) is not None:
            raise InvalidSubmission([FieldError("email", "substitute_registered")])
        nomination = SubstituteNomination(
            applicant_key=colleague_key,
            public_id=new_public_id(self._rng),
            email=colleague.email,
            salutation=colleague.salutation,
            title=colleague.title,
            given_name=colleague.given_name,
            family_name=colleague.family_name,
            function=colleague.function,
            language=conference.language_or_default(language),
            nominated_at=now,
        )

        def name(application: Application) -> bool:
            require_linked(key, application)
            require_transition(application.status, "substituted", Actor.APPLICANT)
            if now > conference.substitutes_until:
                raise SubstitutionClosed
            # The colleague's mails are in the language the page was used in, else the
            # participant's.
            application.substitute = nomination.model_copy(
                update={
                    "language": conference.language_or_default(language or application.language)
                }
            )
            application.record(now, NOMINATED, "applicant", f"colleague {nomination.public_id}")
            return True

        result = update_application(self._applications, conference.id, applicant_key_of(key), name)
        if result is None:
            raise ApplicationNotFound
        named = result.application
        self._mail.enqueue(
            [
                MailRequest.create(
                    "substitute_confirm",
                    conference.id,
                    named.applicant_key,
                    nominations(named),
                    submission=colleague_key,
                )
            ]
        )
        return named

    def offer(self, claims: TokenClaims) -> Offer:
        """The seat a colleague's link offers; NominationReplaced if it no longer does."""
        original_key, colleague_key = split_link_subject(claims.applicant_key)
        original = self._applications.get(self._conference.id, original_key)
        if original is None or original.erased:
            raise ApplicationNotFound
        _require_seat_of(claims, original)
        nomination = original.substitute
        if nomination is None or nomination.applicant_key != colleague_key:
            raise NominationReplaced
        if not can_transition(original.status, "substituted", Actor.APPLICANT):
            raise NominationReplaced
        return Offer(original, nomination)

    def taken_over(self, claims: TokenClaims) -> Application | None:
        """The colleague's application, if this link's seat has moved to them already."""
        original_key, colleague_key = split_link_subject(claims.applicant_key)
        colleague = self._applications.get(self._conference.id, colleague_key)
        original = self._applications.get(self._conference.id, original_key)
        if colleague is None or original is None or colleague.erased:
            return None
        _require_seat_of(claims, original)
        return colleague if colleague.seat_taken_over_from == original.public_id else None

    def take_over(self, claims: TokenClaims, *, consent: bool) -> Application:
        """The colleague confirms: the seat moves (one transaction); both are told."""
        conference = self._conference
        for _ in range(3):
            offer = self.offer(claims)
            now = self._clock.now()
            if now > conference.substitutes_until:
                raise SubstitutionClosed
            if not consent:
                raise InvalidSubmission([FieldError("consent", "consent")])
            original = offer.original
            colleague = colleague_application(original, offer.nomination, conference, now)
            original.decide(
                now, "substituted", "applicant", f"seat passed to {colleague.public_id}"
            )
            original.substitute = None
            original.seat_passed_to = colleague.public_id
            original.workshops = {}
            original.extras = {}
            try:
                self._applications.pass_seat(original, colleague)
            except ConcurrentUpdate:
                if self._applications.get(conference.id, colleague.applicant_key) is not None:
                    raise SubstituteAlreadyRegistered from None
                continue  # the original changed meanwhile: read it again
            self._mail.enqueue(
                [
                    MailRequest.create(
                        "substituted",
                        conference.id,
                        original.applicant_key,
                        original.decision_version,
                    ),
                    MailRequest.create(
                        "accepted",
                        conference.id,
                        colleague.applicant_key,
                        colleague.decision_version,
                    ),
                ]
            )
            return colleague
        raise TransitionNotAllowed("The seat changed while it was being passed on; try again.")
