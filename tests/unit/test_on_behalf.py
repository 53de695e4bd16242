"""Registering on someone's behalf: each person their own application, at most three per
submitting address, the person's own address confirms, mails go where the form chose."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.mail.compose import compose, sample_links
from registrar.mail.mime import build_mime
from registrar.mail.recipients import recipients
from registrar.mail_queue import MAIL_KINDS
from registrar.services.organiser import OrganiserService
from registrar.services.registration import RegistrationService
from registrar.store.interfaces import SubmittedFor
from registrar.submission import ON_BEHALF_LIMIT, InvalidSubmission, validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    OrganiserApplications,
    applicant_key,
    submit_and_register,
)
from tests.support.people import stored

OFFICE = "buero.buergermeisterin@example.org"
NOW = dt.datetime(2023, 3, 1, 10, 0, tzinfo=dt.UTC)


def _behalf(conference: Conference, number: int, **kw: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "on_behalf": True,
        "submitter_email": OFFICE,
        "submitter_copy": "copy",
    }
    fields.update(kw)
    return valid_request(conference, number, **fields)


def _submit(service: RegistrationService, conference: Conference, number: int, **kw: object) -> str:
    """Submit on the office's behalf; the reference of the person's stored application."""
    submission = validate_submission(_behalf(conference, number, **kw), conference)
    submit_and_register(service, submission)
    return service.get(APPLICANT_KEYS.of(conference.id, submission.email)).public_id


def test_the_form_reads_who_registers_and_where_mails_go(conference: Conference) -> None:
    only = validate_submission(_behalf(conference, 1, submitter_copy="only"), conference)
    assert (only.submitted_by, only.submitter_copy) == (OFFICE, "only")
    # Form posts send "true"; an empty choice means the default: a copy to the submitter.
    form = validate_submission(
        _behalf(conference, 1, on_behalf="true", submitter_copy=""), conference
    )
    assert form.submitter_copy == "copy"
    # Without the box ticked, submitter fields left in the form are ignored.
    own = validate_submission(
        valid_request(conference, 1, submitter_email=OFFICE, submitter_copy="only"), conference
    )
    assert (own.submitted_by, own.submitter_copy) == ("", None)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"submitter_email": ""}, "submitter_email", "required"),
        ({"submitter_email": "kein-at-zeichen"}, "submitter_email", "email"),
        (
            {"submitter_email": "Erika.Mustermann+1@Example.org"},
            "submitter_email",
            "submitter_is_person",
        ),
        ({"submitter_copy": "bcc"}, "submitter_copy", "choice"),
        ({"submitter_email": "buero\u202e@example.org"}, "submitter_email", "control_characters"),
        ({"submitter_email": "b" * 250 + "@example.org"}, "submitter_email", "too_long"),
    ],
)
def test_a_wrong_submitter_is_refused_beside_its_field(
    conference: Conference, overrides: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(InvalidSubmission) as refused:
        validate_submission(_behalf(conference, 1, **overrides), conference)
    assert [(e.field, e.code) for e in refused.value.errors] == [(field, code)]


def test_each_person_is_an_application_of_their_own_keyed_by_their_address(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    _submit(service, conference, 1)
    _submit(service, conference, 2, submitter_copy="only")
    mayor = store.get(conference.id, applicant_key(conference.id, "erika.mustermann+1@example.org"))
    deputy = store.get(
        conference.id, applicant_key(conference.id, "erika.mustermann+2@example.org")
    )
    assert mayor is not None and deputy is not None
    assert (mayor.submitted_by, mayor.submitter_copy) == (OFFICE, "copy")
    assert (deputy.submitted_by, deputy.submitter_copy) == (OFFICE, "only")
    assert not mayor.confirmed and mayor.status == "new"  # the person's own address confirms
    # The history says it was on behalf, never whose address.
    assert "on behalf" in mayor.history[0].detail and OFFICE not in mayor.history[0].detail


def test_a_fourth_person_is_refused_and_nothing_is_stored(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    for number in range(1, ON_BEHALF_LIMIT + 1):
        _submit(service, conference, number)
    before = list(store.list(conference.id))
    with pytest.raises(InvalidSubmission) as refused:
        _submit(service, conference, 9, submitter_email=OFFICE.upper())  # same address
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("submitter_email", "on_behalf_limit")
    ]
    assert list(store.list(conference.id)) == before


def test_the_same_person_twice_is_one_application_and_takes_no_second_place(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    _submit(service, conference, 1)
    _submit(service, conference, 1)  # the same person again: answered as any duplicate
    _submit(service, conference, 2)
    _submit(service, conference, 3)  # still within three: the repeat took no place
    assert len(list(store.list(conference.id))) == ON_BEHALF_LIMIT
    record = store.submitted_for(conference.id, APPLICANT_KEYS.submitter(conference.id, OFFICE))
    assert record is not None and len(record.applicant_keys) == ON_BEHALF_LIMIT


def test_a_person_registered_already_on_their_own_frees_the_place_held_for_them(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    submit_and_register(service, validate_submission(valid_request(conference, 1), conference))
    _submit(service, conference, 1)  # the office registers someone who registered already
    (stored,) = store.list(conference.id)
    assert stored.submitted_by == ""  # theirs stays theirs: no copy to the office
    record = store.submitted_for(conference.id, APPLICANT_KEYS.submitter(conference.id, OFFICE))
    assert record is not None and record.applicant_keys == ()


def test_an_erased_person_no_longer_counts_against_the_submitter(
    conference: Conference, open_clock: SettableClock, queue: MemoryQueue
) -> None:
    store = OrganiserApplications()
    service = RegistrationService(
        conference, store, queue, open_clock, random.Random(1), APPLICANT_KEYS
    )
    organiser = OrganiserService(
        conference,
        store,
        MemoryRuns(),
        queue,
        open_clock,
        random.Random(5),
        applicant_keys=APPLICANT_KEYS,
    )
    ids = [_submit(service, conference, number) for number in range(1, ON_BEHALF_LIMIT + 1)]
    organiser.erase(ids[0])
    erased = next(a for a in store.list(conference.id) if a.erased)
    assert erased.submitted_by == "" and erased.submitter_copy is None
    _submit(service, conference, 7)  # the erased person's place is free again
    assert len([a for a in store.list(conference.id) if not a.erased]) == ON_BEHALF_LIMIT


def test_mails_about_the_persons_address_go_to_the_person_only(conference: Conference) -> None:

    copy = stored(conference, 1, submitted_by=OFFICE, submitter_copy="copy")
    only = stored(conference, 2, submitted_by=OFFICE, submitter_copy="only")
    for kind in ("receipt", "confirm_reminder", "already_registered"):
        assert recipients(kind, copy).all == (copy.email,)
        assert recipients(kind, only).all == (only.email,)
    assert recipients("accepted", copy).to == copy.email
    assert recipients("accepted", copy).copy_to == OFFICE  # a message of its own
    assert recipients("accepted", copy).all == (copy.email, OFFICE)
    assert recipients("accepted", only).all == (OFFICE,)
    assert recipients("accepted", only).copy_to is None
    # Only a mail to the submitter alone is tagged as theirs (bounces name no address).
    assert recipients("accepted", only).to_submitter
    assert not recipients("accepted", copy).to_submitter
    assert not recipients("receipt", only).to_submitter
    own = stored(conference, 3)
    assert all(recipients(kind, own).all == (own.email,) for kind in MAIL_KINDS)


def test_a_mail_with_a_copy_has_no_cc_and_says_so_in_both_languages(
    conference: Conference,
) -> None:

    for language, words in (("de", "in Kopie"), ("en", "in copy")):
        person = stored(
            conference, 1, submitted_by=OFFICE, submitter_copy="copy", language=language,
            status="accepted", decision_version=1,
        )  # fmt: skip
        mail = compose("accepted", person, conference, sample_links(), NOW)
        assert mail.to == person.email
        assert words in mail.text and OFFICE in mail.text and OFFICE in mail.html
        raw = build_mime(
            mail, sender="anmeldung@example.org", reply_to="info@example.org",
            message_id="abc", domain="example.org", now=NOW,
        )  # fmt: skip
        headers = raw.split(b"\r\n\r\n", 1)[0].decode()
        # The office's copy is a message of its own (the mailer sends it), never a Cc.
        assert f"To: {person.email}" in headers and "Cc:" not in headers


def test_the_receipt_tells_the_person_who_registered_them_and_only_they_confirm(
    conference: Conference,
) -> None:

    person = stored(conference, 1, submitted_by=OFFICE, submitter_copy="only", confirmed_at=None)
    for language, sentence in (
        ("de", "Nur Sie selbst können Ihre Adresse bestätigen."),
        ("en", "Only you can confirm your address."),
    ):
        mail = compose(
            "receipt", person.model_copy(update={"language": language}), conference,
            sample_links(), NOW,
        )  # fmt: skip
        assert mail.to == person.email
        assert OFFICE in mail.text and sentence in mail.text and sentence in mail.html
        assert "/confirm" in mail.text


def test_a_mail_to_the_submitter_only_names_no_confirm_link(conference: Conference) -> None:
    person = stored(
        conference, 1, submitted_by=OFFICE, submitter_copy="only", confirmed_at=None,
        status="not_admitted", decision_version=1,
    )  # fmt: skip
    mail = compose("not_admitted", person, conference, sample_links(), NOW)
    assert mail.to == OFFICE
    assert "/confirm" not in mail.text and "/confirm" not in mail.html


class _RacedByAnotherSubmission(MemoryApplications):
    """Another submission from the same office takes the last place between our read of
    the office's record and our write of it."""

    def __init__(self, conference: Conference) -> None:
        super().__init__()
        self.conference = conference
        self.raced = False

    def save_submitted_for(self, record: SubmittedFor) -> SubmittedFor:
        if not self.raced and len(record.applicant_keys) == ON_BEHALF_LIMIT:
            self.raced = True
            theirs = record._replace(applicant_keys=(*record.applicant_keys[:-1], "their-key"))
            super().save_submitted_for(theirs)
            rival = stored(self.conference, 99, applicant_key="their-key", submitted_by=OFFICE)
            self.items[(self.conference.id, "their-key")] = rival
        return super().save_submitted_for(record)


def test_two_submissions_at_once_cannot_both_take_the_last_place(
    conference: Conference, queue: MemoryQueue, open_clock: SettableClock
) -> None:
    store = _RacedByAnotherSubmission(conference)
    service = RegistrationService(
        conference, store, queue, open_clock, random.Random(1), APPLICANT_KEYS
    )
    for number in range(1, ON_BEHALF_LIMIT):
        _submit(service, conference, number)
    with pytest.raises(InvalidSubmission) as refused:
        _submit(service, conference, ON_BEHALF_LIMIT)  # the write finds the record changed
    assert refused.value.errors[0].code == "on_behalf_limit"
    assert store.raced
    mine = applicant_key(conference.id, f"erika.mustermann+{ON_BEHALF_LIMIT}@example.org")
    assert store.get(conference.id, mine) is None  # nothing stored for the refused one


def test_once_the_office_address_is_undeliverable_mails_go_to_the_person(
    conference: Conference,
) -> None:
    for mode in ("copy", "only"):
        person = stored(
            conference, 1, submitted_by=OFFICE, submitter_copy=mode, submitter_undeliverable=True
        )
        assert recipients("accepted", person).all == (person.email,)


def test_the_reminder_does_not_say_the_person_registered_themselves(
    conference: Conference,
) -> None:
    person = stored(conference, 1, submitted_by=OFFICE, submitter_copy="copy", confirmed_at=None)
    for language, own in (("de", "Sie haben sich"), ("en", "You have pre-registered")):
        mail = compose(
            "confirm_reminder", person.model_copy(update={"language": language}), conference,
            sample_links(), NOW,
        )  # fmt: skip
        assert mail.to == person.email
        assert OFFICE in mail.text and OFFICE in mail.html
        assert own not in mail.text and own not in mail.html


def test_people_received_but_not_yet_registered_still_count_against_the_limit(
    service: RegistrationService, conference: Conference, store: MemoryApplications
) -> None:
    # A bot posting faster than the stream registers: the places held for submissions still
    # waiting are theirs, so the fourth person is refused all the same.
    for number in range(1, ON_BEHALF_LIMIT + 1):
        service.submit(validate_submission(_behalf(conference, number), conference))
    assert list(store.list(conference.id)) == []
    with pytest.raises(InvalidSubmission) as refused:
        service.submit(validate_submission(_behalf(conference, 9), conference))
    assert refused.value.errors[0].code == "on_behalf_limit"
    assert len(store.received(conference.id)) == ON_BEHALF_LIMIT
