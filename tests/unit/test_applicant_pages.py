"""The pages behind applicants' links, built from what they use (no runtime, no AWS).

Confirm and manage check their tokens through the same verifier: a link made for one
purpose opens nothing else, and a refused link changes nothing.
"""

from __future__ import annotations

import random

import pytest

from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.registration import RegistrationService
from registrar.services.substitution import SubstitutionService
from registrar.submission import validate_submission
from registrar.tokens import InvalidToken, LinkVerifier, Purpose, TokenClaims, TokenSigner
from registrar.web.manage import ApplicantPages
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    applicant_key,
    submit_and_register,
)

SIGNER = TokenSigner("s" * 48)
EMAIL = "erika.mustermann+1@example.org"


@pytest.fixture
def pages(
    conference: Conference,
    service: RegistrationService,
    store: MemoryApplications,
    open_clock: SettableClock,
) -> ApplicantPages:
    submit_and_register(service, validate_submission(valid_request(conference, 1), conference))
    links = LinkVerifier(lambda: SIGNER, conference.id, open_clock)
    substitution = SubstitutionService(
        conference, store, MemoryQueue(), open_clock, random.Random(2), APPLICANT_KEYS
    )
    return ApplicantPages(conference, service, links.verify, open_clock, substitution)


def _token(conference: Conference, purpose: Purpose, store: MemoryApplications) -> str:
    """A link as the mailer writes it for the application stored under ``EMAIL``."""
    key = applicant_key(conference.id, EMAIL)
    stored = store.get(conference.id, key)
    assert stored is not None
    claims = TokenClaims(purpose, conference.id, key, stored.public_id, conference.last_day_end)
    return SIGNER.issue(claims, now=conference.opens_at)


def test_a_confirmation_link_confirms_and_says_so_in_the_language_asked_for(
    pages: ApplicantPages, conference: Conference, store: MemoryApplications
) -> None:
    token = _token(conference, "confirm", store)
    # opening the link (a GET, as mail filters do) shows the button and changes nothing
    opened = pages.confirm_page(token, "en")
    assert "<h1>Confirm your email address</h1>" in opened
    assert '<form method="post" action="/confirm">' in opened
    waiting = store.get(conference.id, applicant_key(conference.id, EMAIL))
    assert waiting is not None and not waiting.confirmed
    page = pages.confirm(token, "en")
    assert "Email address confirmed" in page
    stored = store.get(conference.id, applicant_key(conference.id, EMAIL))
    assert stored is not None and stored.confirmed
    assert stored.public_id in page
    assert "Email address confirmed" in pages.confirm_page(token, "en")  # once done, says so


def test_a_manage_link_does_not_confirm_and_a_confirmation_link_does_not_manage(
    pages: ApplicantPages, conference: Conference, store: MemoryApplications, queue: MemoryQueue
) -> None:
    with pytest.raises(InvalidToken, match="purpose"):
        pages.confirm(_token(conference, "manage", store), "de")
    with pytest.raises(InvalidToken, match="purpose"):
        pages.confirm_page(_token(conference, "manage", store), "de")
    with pytest.raises(InvalidToken, match="purpose"):
        pages.manage_page(_token(conference, "confirm", store), "de")
    with pytest.raises(InvalidToken, match="purpose"):
        pages.perform(
            _token(conference, "confirm", store), "withdraw", "de", confirmed=True, form={}
        )
    stored = store.get(conference.id, applicant_key(conference.id, EMAIL))
    assert stored is not None and not stored.confirmed and stored.status == "new"
    assert queue.sent == []


def test_the_manage_page_offers_and_carries_out_what_the_table_allows(
    pages: ApplicantPages, conference: Conference, store: MemoryApplications
) -> None:
    token = _token(conference, "manage", store)
    page = pages.manage_page(token, "en")
    assert 'value="withdraw"' in page and 'value="decline"' not in page
    done = pages.perform(token, "withdraw", "en", confirmed=True, form={})
    assert done.status == 200 and "withdrawn" in done.body.lower()
    stored = store.get(conference.id, applicant_key(conference.id, EMAIL))
    assert stored is not None and stored.status == "withdrawn"


def test_links_of_an_application_replaced_by_a_new_registration_open_nothing(
    pages: ApplicantPages,
    conference: Conference,
    store: MemoryApplications,
    service: RegistrationService,
    queue: MemoryQueue,
) -> None:
    old_confirm, old_manage = (_token(conference, p, store) for p in ("confirm", "manage"))
    key = applicant_key(conference.id, EMAIL)
    # Erased (the tombstone moves to another key), then the same address registers again.
    del store.items[(conference.id, key)]
    submit_and_register(service, validate_submission(valid_request(conference, 1), conference))
    renewed = store.get(conference.id, key)
    assert renewed is not None
    queued = len(queue.sent)
    for attempt in (
        lambda: pages.confirm_page(old_confirm, "de"),
        lambda: pages.confirm(old_confirm, "de"),
        lambda: pages.manage_page(old_manage, "de"),
        lambda: pages.perform(old_manage, "withdraw", "de", confirmed=True, form={}),
    ):
        with pytest.raises(InvalidToken) as refused:
            attempt()
        assert refused.value.reason == "revoked"
    after = store.get(conference.id, key)
    assert after == renewed  # not confirmed, not withdrawn: nothing changed
    assert len(queue.sent) == queued
    # The new application's own links work.
    assert "Email address confirmed" in pages.confirm(_token(conference, "confirm", store), "en")


def test_the_decline_button_promises_the_seat_to_the_waiting_list_only_while_it_is_open(
    pages: ApplicantPages,
    conference: Conference,
    store: MemoryApplications,
    open_clock: SettableClock,
) -> None:
    application = store.get(conference.id, applicant_key(conference.id, EMAIL))
    assert application is not None
    application.status = "accepted"
    store.save(application)
    token = _token(conference, "manage", store)
    open_clock.set(conference.closes_at)
    assert "your place then goes to someone on the waiting list" in pages.manage_page(token, "en")
    closes = conference.admission.waitlist_closes_at
    assert closes is not None
    open_clock.set(conference.local(closes))
    page = pages.manage_page(token, "en")
    assert "waiting list" not in page
    assert "If you cannot take part after all, please decline. Declining cannot be undone." in page
    assert "Ihr Platz geht" not in pages.manage_page(token, "de")
