"""Substitution (Vertretung): a participant passes the seat to a colleague, who confirms."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from registrar.application import FINAL, HOLDS_SEAT, Application
from registrar.clock import SettableClock
from registrar.conference import Conference, parse_conference
from registrar.errors import TransitionNotAllowed
from registrar.mail.compose import compose, sample_links
from registrar.services.registration import RegistrationService
from registrar.services.substitution import (
    NominationReplaced,
    SubstituteAlreadyRegistered,
    SubstitutionClosed,
    SubstitutionService,
    colleague_application,
    link_subject,
)
from registrar.submission import InvalidSubmission, validate_submission
from registrar.tokens import InvalidToken, TokenClaims
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    applicant_key,
    submit_and_register,
)

COLLEAGUE = "max.beispiel@example.org"
COLLEAGUE_FORM = {
    "salutation": "herr",
    "title": "Dr.",
    "given_name": "Max",
    "family_name": "Beispiel",
    "function": "Erster Beigeordneter",
    "email": COLLEAGUE,
}


@pytest.fixture
def clock(conference: Conference) -> SettableClock:
    return SettableClock(conference.deadline + dt.timedelta(days=3))


@pytest.fixture
def substitution(
    conference: Conference, store: MemoryApplications, queue: MemoryQueue, clock: SettableClock
) -> SubstitutionService:
    return SubstitutionService(conference, store, queue, clock, random.Random(7), APPLICANT_KEYS)


def _participant(
    conference: Conference, store: MemoryApplications, number: int = 1, status: str = "accepted"
) -> Application:
    """An application as a run left it: confirmed, with a seat, workshops and the tour."""
    at = conference.deadline - dt.timedelta(days=2)
    registration = RegistrationService(
        conference, store, MemoryQueue(), SettableClock(at), random.Random(number), APPLICANT_KEYS
    )
    body = valid_request(conference, number)
    submit_and_register(registration, validate_submission(body, conference))
    key = applicant_key(conference.id, body["email"])
    registration.confirm(key)
    store.written_by_another(
        (conference.id, key),
        status=status,
        decision_version=1,
        workshops={s.id: s.workshop_ids[0] for s in conference.workshop_slots},
        extras={e.id: "place" for e in conference.extras},
    )
    found = store.get(conference.id, key)
    assert found is not None
    return found


def _colleague_key(conference: Conference) -> str:
    return applicant_key(conference.id, COLLEAGUE)


def _link(conference: Conference, original: Application) -> TokenClaims:
    """The claims of the link the colleague named by ``original`` gets (as the mailer signs)."""
    subject = link_subject(original.applicant_key, _colleague_key(conference))
    return TokenClaims(
        "substitute", conference.id, subject, original.public_id, conference.substitutes_until
    )


def test_naming_a_colleague_moves_nothing_and_sends_them_a_link(
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
    substitution: SubstitutionService,
) -> None:
    original = _participant(conference, store)
    named = substitution.nominate(original.applicant_key, COLLEAGUE_FORM, "en")
    assert named.status == "accepted" and named.workshops == original.workshops
    assert named.substitute is not None and named.substitute.email == COLLEAGUE
    assert named.substitute.language == "en"
    assert store.get(conference.id, _colleague_key(conference)) is None
    (request,) = queue.sent
    assert (request.kind, request.applicant_key) == ("substitute_confirm", original.applicant_key)
    assert request.submission == _colleague_key(conference)
    assert named.history[-1].action == "substitute_named"
    assert COLLEAGUE not in named.history[-1].detail  # the history names no address


def test_the_colleague_confirms_and_the_seat_moves_with_workshops_and_extras(
    conference: Conference,
    store: MemoryApplications,
    queue: MemoryQueue,
    substitution: SubstitutionService,
) -> None:
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    subject = _link(conference, original)
    colleague = substitution.take_over(subject, consent=True)

    before = store.get(conference.id, original.applicant_key)
    assert before is not None
    assert before.status == "substituted" and not before.holds_seat
    assert before.seat_passed_to == colleague.public_id and before.substitute is None
    assert before.workshops == {} and before.extras == {}
    stored = store.get(conference.id, _colleague_key(conference))
    assert stored is not None and stored.public_id == colleague.public_id
    assert stored.status == "accepted" and stored.confirmed
    assert (stored.given_name, stored.title, stored.email) == ("Max", "Dr.", COLLEAGUE)
    assert stored.workshops == original.workshops and stored.extras == original.extras
    assert (stored.organisation, stored.group, stored.role) == (
        original.organisation, original.group, original.role,
    )  # fmt: skip
    assert stored.seat_taken_over_from == original.public_id
    assert stored.consent_version == conference.privacy_notice_version
    assert [(r.kind, r.applicant_key) for r in queue.sent[1:]] == [
        ("substituted", original.applicant_key),
        ("accepted", stored.applicant_key),
    ]
    seats = [a for a in store.list(conference.id) if a.status in HOLDS_SEAT]
    assert len(seats) == 1  # one seat before, one seat after


def test_taking_over_needs_the_privacy_consent_and_changes_nothing_without(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    with pytest.raises(InvalidSubmission):
        substitution.take_over(_link(conference, original), consent=False)
    assert store.get(conference.id, original.applicant_key).status == "accepted"  # type: ignore[union-attr]
    assert store.get(conference.id, _colleague_key(conference)) is None


def test_a_colleague_already_registered_cannot_be_named(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    original = _participant(conference, store)
    other = _participant(conference, store, number=2, status="waitlisted")
    for email, code in (
        (other.email, "substitute_registered"),
        (original.email, "substitute_is_you"),
    ):
        with pytest.raises(InvalidSubmission) as refused:
            substitution.nominate(original.applicant_key, {**COLLEAGUE_FORM, "email": email})
        assert [(e.field, e.code) for e in refused.value.errors] == [("email", code)]
    assert store.get(conference.id, original.applicant_key).substitute is None  # type: ignore[union-attr]


def test_the_colleagues_fields_are_checked_like_the_forms(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    original = _participant(conference, store)
    with pytest.raises(InvalidSubmission) as refused:
        substitution.nominate(
            original.applicant_key,
            {**COLLEAGUE_FORM, "given_name": "", "family_name": "www.spam.example", "email": "x@"},
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("given_name", "required"),
        ("family_name", "no_addresses"),
        ("email", "email"),
    ]


def test_an_address_registered_before_the_colleague_confirms_keeps_the_seat_where_it_is(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    late = RegistrationService(
        conference,
        store,
        MemoryQueue(),
        SettableClock(conference.deadline),
        random.Random(3),
        APPLICANT_KEYS,
    )
    submit_and_register(
        late, validate_submission(valid_request(conference, 5, email=COLLEAGUE), conference)
    )
    with pytest.raises(SubstituteAlreadyRegistered):
        substitution.take_over(_link(conference, original), consent=True)
    assert store.get(conference.id, original.applicant_key).status == "accepted"  # type: ignore[union-attr]


def test_naming_someone_else_makes_the_first_link_useless(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    substitution.nominate(
        original.applicant_key, {**COLLEAGUE_FORM, "email": "erika.beispiel@example.org"}
    )
    with pytest.raises(NominationReplaced):
        substitution.take_over(_link(conference, original), consent=True)
    assert store.get(conference.id, _colleague_key(conference)) is None


def test_after_the_cutoff_nobody_is_named_and_no_seat_moves(
    conference: Conference,
    store: MemoryApplications,
    substitution: SubstitutionService,
    clock: SettableClock,
) -> None:
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    clock.set(conference.substitutes_until + dt.timedelta(seconds=1))
    with pytest.raises(SubstitutionClosed):
        substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    with pytest.raises(SubstitutionClosed):
        substitution.take_over(_link(conference, original), consent=True)
    assert store.get(conference.id, original.applicant_key).status == "accepted"  # type: ignore[union-attr]


@pytest.mark.parametrize("status", ["new", "waitlisted", "offered", "declined"])
def test_only_a_confirmed_seat_can_be_passed_on(
    conference: Conference,
    store: MemoryApplications,
    substitution: SubstitutionService,
    status: str,
) -> None:
    original = _participant(conference, store, status=status)
    with pytest.raises(TransitionNotAllowed):
        substitution.nominate(original.applicant_key, COLLEAGUE_FORM)


def test_a_link_subject_without_both_keys_is_refused(
    conference: Conference, substitution: SubstitutionService
) -> None:
    claims = TokenClaims(
        "substitute", conference.id, "only-one-key", "R-AAAA-AAAA", conference.substitutes_until
    )
    with pytest.raises(InvalidToken):
        substitution.offer(claims)


def test_a_link_for_an_earlier_application_of_the_same_address_opens_no_seat(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    """After an erasure the address registered again: the old colleague link, bound to the
    erased application's reference, neither shows nor takes over the new one's seat."""
    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    stale = _link(conference, original.model_copy(update={"public_id": "R-OLD0-0000"}))
    with pytest.raises(InvalidToken) as refused:
        substitution.offer(stale)
    assert refused.value.reason == "revoked"
    with pytest.raises(InvalidToken):
        substitution.take_over(stale, consent=True)
    stored = store.get(conference.id, original.applicant_key)
    assert stored is not None and stored.status == "accepted"


def test_the_substituted_status_is_final_and_holds_no_seat() -> None:
    assert "substituted" in FINAL and "substituted" not in HOLDS_SEAT


def test_the_definition_refuses_a_cutoff_after_the_start(conference: Conference) -> None:
    from pathlib import Path

    import registrar

    path = Path(registrar.__file__).parent / "conferences" / "kassel-2023.yaml"
    text = path.read_text(encoding="utf-8")
    assert conference.substitutes_until == dt.datetime(2023, 5, 10, 12, 0, tzinfo=conference.zone)
    with pytest.raises(ValueError, match="substitute_until"):
        parse_conference(
            text.replace(
                "substitute_until: 2023-05-10T12:00:00", "substitute_until: 2023-05-12T12:00:00"
            )
        )
    with pytest.raises(ValueError, match="substitute_until"):
        parse_conference(
            text.replace(
                "substitute_until: 2023-05-10T12:00:00", "substitute_until: 2023-04-01T12:00:00"
            )
        )


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_colleagues_mail_names_the_seat_its_workshops_and_the_cutoff(
    conference: Conference, store: MemoryApplications, language: str
) -> None:
    original = _participant(conference, store)
    named = original.model_copy(update={"title": "Prof.", "substitute": None})
    from registrar.application import SubstituteNomination

    nomination = SubstituteNomination(
        applicant_key=_colleague_key(conference),
        public_id="R-COLL-EAG1",
        email=COLLEAGUE,
        given_name="Max",
        family_name="Beispiel",
        salutation="herr",
        language=language,
        nominated_at=conference.deadline,
    )
    now = conference.deadline + dt.timedelta(days=1)
    colleague = colleague_application(named, nomination, conference, now)
    mail = compose(
        "substitute_confirm", colleague, conference, sample_links(), now, seat_holder=named
    )
    assert mail.to == COLLEAGUE
    assert f"Prof. {named.display_name}" in mail.text and named.organisation in mail.text
    assert "/confirm" in mail.text  # the link the mailer signs for the colleague
    until = "10. Mai 2023, 12:00 Uhr" if language == "de" else "10 May 2023"
    assert until in mail.text and until in mail.html
    assert "Herr Dr." not in mail.text and "Beispiel" in mail.text  # greets the colleague
    workshop = conference.workshop_slots[0].workshops[0].title[language]
    assert workshop in mail.text
    assert "R-COLL-EAG1" in mail.text  # the reference they will have
    substituted = compose(
        "substituted", named.model_copy(update={"status": "substituted"}), conference,
        sample_links(), now,
    )  # fmt: skip
    assert substituted.to == named.email and "/manage" not in substituted.text


def test_the_colleagues_seat_counts_in_every_later_run(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    """Runs consider applications submitted in time: the taken-over seat keeps its time,
    so no later run gives it away a second time."""
    from registrar.services.admissions import is_eligible

    original = _participant(conference, store)
    substitution.nominate(original.applicant_key, COLLEAGUE_FORM)
    colleague = substitution.take_over(_link(conference, original), consent=True)
    assert colleague.submitted_at == original.submitted_at
    assert is_eligible(colleague, conference)


def test_a_one_day_seat_passes_on_as_a_one_day_seat(
    conference: Conference, store: MemoryApplications, substitution: SubstitutionService
) -> None:
    """The colleague takes the seat for the original's days: no later run gives them a
    workshop (and a second acceptance) on a day the seat never had."""
    at = conference.deadline - dt.timedelta(days=2)
    registration = RegistrationService(
        conference, store, MemoryQueue(), SettableClock(at), random.Random(1), APPLICANT_KEYS
    )
    body = valid_request(conference, 1, days="2023-05-12")
    submit_and_register(registration, validate_submission(body, conference))
    key = applicant_key(conference.id, body["email"])
    registration.confirm(key)
    original = store.get(conference.id, key)
    assert original is not None
    store.written_by_another(
        (conference.id, key),
        status="accepted",
        decision_version=1,
        workshops={s.id: s.workshop_ids[0] for s in conference.slots_on(original.days)},
    )
    original = store.get(conference.id, key)
    assert original is not None and len(conference.attended_days(original.days)) == 1
    substitution.nominate(key, COLLEAGUE_FORM)
    colleague = substitution.take_over(_link(conference, original), consent=True)
    assert colleague.days == original.days
    assert {s.id for s in conference.slots_on(colleague.days)} == set(colleague.workshops)
