"""A confirmation after the deadline, through the services with a settable clock.

It is recorded and the application becomes ``late``: the deadline run leaves it out, later
runs seat it only after every timely applicant, and the pages and emails it gets say so
(never "moved up from the waiting list", where it never was).
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from registrar.application import Application, HistoryEntry
from registrar.clock import SettableClock
from registrar.conference import AttendeeGroup, Conference
from registrar.mail.compose import Links, compose, sample_application
from registrar.services.admissions import AdmissionsService
from registrar.services.registration import RegistrationService
from registrar.services.substitution import SubstitutionService
from registrar.submission import validate_submission
from registrar.tokens import LinkVerifier, Purpose, TokenClaims, TokenSigner
from registrar.web.manage import ApplicantPages
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    applicant_key,
    submit_and_register,
)

CAPACITY = 2
SIGNER = TokenSigner("s" * 48)
LINKS = Links(
    confirm="https://anmeldung.example.org/confirm?t=c.SIG",
    manage="https://anmeldung.example.org/manage?t=m.SIG",
    form="https://anmeldung.example.org/",
)


@pytest.fixture
def small(conference: Conference) -> Conference:
    """Two seats, nothing reserved, no cap: who gets a seat depends on time alone."""
    groups = [AttendeeGroup(id=g.id, label=g.label, reserved=0) for g in conference.attendee_groups]
    admission = conference.admission.model_copy(update={"capacity": CAPACITY, "spread_cap": None})
    return conference.model_copy(update={"admission": admission, "attendee_groups": groups})


class World:
    def __init__(self, conference: Conference) -> None:
        self.conference = conference
        self.store, self.runs, self.queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
        self.clock = SettableClock(conference.deadline - dt.timedelta(days=3))
        self.registration = RegistrationService(
            conference, self.store, self.queue, self.clock, random.Random(1), APPLICANT_KEYS
        )
        self.admissions = AdmissionsService(
            conference, self.store, self.runs, self.queue, self.clock, random.Random(2)
        )
        verifier = LinkVerifier(lambda: SIGNER, conference.id, self.clock)
        substitution = SubstitutionService(
            conference, self.store, self.queue, self.clock, random.Random(3), APPLICANT_KEYS
        )
        self.pages = ApplicantPages(
            conference, self.registration, verifier.verify, self.clock, substitution
        )

    def key(self, number: int) -> str:
        return applicant_key(self.conference.id, f"erika.mustermann+{number}@example.org")

    def get(self, number: int) -> Application:
        application = self.store.get(self.conference.id, self.key(number))
        assert application is not None
        return application

    def token(self, purpose: Purpose, number: int) -> str:
        """A link as the mailer writes it for applicant ``number``'s application."""
        claims = TokenClaims(
            purpose,
            self.conference.id,
            self.key(number),
            self.get(number).public_id,
            self.conference.last_day_end,
        )
        return SIGNER.issue(claims, now=self.clock.now())

    def confirm_token(self, number: int) -> str:
        return self.token("confirm", number)

    def mails(self) -> list[tuple[str, str]]:
        """(kind, applicant key) of every mail queued so far, then forgotten."""
        sent = [(m.kind, m.applicant_key) for m in self.queue.sent]
        self.queue.sent.clear()
        return sent


@pytest.fixture
def world(small: Conference) -> World:
    """Four applicants register in time; 1-3 confirm in time, 4 does not (yet)."""
    world = World(small)
    for number in range(1, 5):
        submit_and_register(
            world.registration, validate_submission(valid_request(small, number), small)
        )
    for number in range(1, 4):
        world.registration.confirm(world.key(number))
    world.queue.sent.clear()
    return world


def test_a_confirmation_after_the_deadline_is_recorded_and_makes_the_application_late(
    world: World,
) -> None:
    world.clock.set(world.conference.deadline + dt.timedelta(seconds=1))
    opened = world.pages.confirm_page(world.confirm_token(4), "de")
    assert "Die Frist für die Voranmeldung ist am Montag, 10. April 2023" in opened
    assert world.get(4).status == "new" and not world.get(4).confirmed  # a GET changes nothing

    page = world.pages.confirm(world.confirm_token(4), "de")

    late = world.get(4)
    assert late.status == "late" and late.confirmed
    assert [(e.action, e.detail) for e in late.history[-2:]] == [
        ("confirmed", "after the deadline"),
        ("late", "from new"),
    ]
    assert "E-Mail-Adresse nach dem Anmeldeschluss bestätigt" in page
    assert "nimmt an der Platzvergabe zum Anmeldeschluss nicht teil" in page
    assert "Nach dem Anmeldeschluss erhalten Sie Nachricht" not in page  # the timely text
    english = world.pages.confirm(world.confirm_token(4), "en")  # opened again: said again
    assert "confirmed after the deadline" in english
    assert world.mails() == []


def test_a_confirmation_in_the_last_minute_is_timely(world: World) -> None:
    world.clock.set(world.conference.deadline)
    world.registration.confirm(world.key(4))
    assert world.get(4).status == "new"


def test_the_deadline_run_leaves_a_late_application_out_and_later_runs_put_it_last(
    world: World,
) -> None:
    conference = world.conference
    world.clock.set(conference.deadline + dt.timedelta(seconds=30))
    world.registration.confirm(world.key(4))
    world.clock.set(conference.closes_at)

    deadline_run = world.admissions.run("deadline", dry_run=False)

    assert deadline_run.eligible == 3
    statuses = {n: world.get(n).status for n in range(1, 5)}
    assert sorted(statuses.values()) == ["accepted", "accepted", "late", "waitlisted"]
    assert world.get(4).decision_version == 1  # the confirmation's move; no run touched it
    assert world.key(4) not in {key for _, key in world.mails()}

    # A seat frees up: it goes to the timely applicant on the waiting list, not to 4.
    seated = [n for n, s in statuses.items() if s == "accepted"]
    waiting = next(n for n, s in statuses.items() if s == "waitlisted")
    world.clock.advance(dt.timedelta(days=1))
    world.registration.decline(world.key(seated[0]))
    world.mails()
    world.admissions.run("daily", dry_run=False)
    assert world.get(waiting).status == "offered"
    assert world.get(4).status == "late"
    assert world.key(4) not in {key for _, key in world.mails()}

    # Another one frees up with nobody timely waiting: now the late applicant's turn.
    world.clock.advance(dt.timedelta(days=1))
    world.registration.decline(world.key(seated[1]))
    world.mails()
    world.admissions.run("daily", dry_run=False)
    offered = world.get(4)
    assert offered.status == "offered" and offered.waitlist_position is None
    assert ("offered", world.key(4)) in world.mails()

    for language, says, never in (
        ("de", "nach dem Anmeldeschluss ein Platz frei geworden", "von der Warteliste nachgerückt"),
        ("en", "after the deadline a place", "moved up from the waiting list"),
    ):
        mail = compose(
            "offered",
            offered.model_copy(update={"language": language}),
            conference,
            LINKS,
            world.clock.now(),
        )
        assert says in mail.text and says in mail.html
        assert never not in mail.text and never not in mail.html
        opening = mail.text.split("\n\n")[1]  # the greeting, then this paragraph alone
        assert says in opening and opening.count("\n") == 0


def test_a_late_application_is_told_no_seat_is_left_when_the_waiting_list_closes(
    world: World,
) -> None:
    conference = world.conference
    world.clock.set(conference.deadline + dt.timedelta(hours=1))
    world.registration.confirm(world.key(4))
    world.clock.set(conference.closes_at)
    world.admissions.run("deadline", dry_run=False)
    closes = conference.admission.waitlist_closes_at
    assert closes is not None
    world.clock.set(conference.local(closes) + dt.timedelta(hours=1))
    world.mails()

    world.admissions.run("daily", dry_run=False)

    told = world.get(4)
    assert told.status == "not_admitted"
    assert ("not_admitted", world.key(4)) in world.mails()
    for language, says, never in (
        ("de", "erst nach dem Anmeldeschluss bestätigt", "mehr Voranmeldungen eingegangen"),
        ("en", "only after the deadline", "more pre-registrations than"),
    ):
        mail = compose(
            "not_admitted",
            told.model_copy(update={"language": language}),
            conference,
            LINKS,
            world.clock.now(),
        )
        assert says in mail.text and says in mail.html
        assert never not in mail.text


def test_the_manage_page_of_a_late_application_says_it_comes_after_every_timely_one(
    world: World,
) -> None:
    world.clock.set(world.conference.deadline + dt.timedelta(days=1))
    world.registration.confirm(world.key(4))
    token = world.token("manage", 4)
    page = world.pages.manage_page(token, "de")
    assert "Nach dem Anmeldeschluss bestätigt" in page
    assert "Voranmeldung zurückziehen" in page  # a late applicant may still withdraw


def test_only_a_late_confirmation_makes_the_emails_say_late(conference: Conference) -> None:
    """An address confirmed after the deadline by an organiser's acceptance (or a preview's
    sample) is no late application: its acceptance says nothing about a freed seat."""
    now = conference.deadline + dt.timedelta(days=2)
    accepted = sample_application(conference, "de", now, kind="accepted")
    assert accepted.confirmed_at is not None and accepted.confirmed_at > conference.deadline
    plain = compose("accepted", accepted, conference, LINKS, now)
    assert "nach dem Anmeldeschluss" not in plain.text
    late = accepted.model_copy(
        update={
            "history": [
                *accepted.history,
                HistoryEntry(at=now, action="late", actor="applicant", detail="from new"),
            ]
        }
    )
    told = compose("accepted", late, conference, LINKS, now)
    assert "Dieser Platz ist nach dem Anmeldeschluss frei geworden" in told.text
