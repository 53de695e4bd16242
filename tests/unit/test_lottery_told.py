"""What applicants are told about the lottery: the form, its page, the receipt, the waitlist."""

from __future__ import annotations

import datetime as dt
import email
import random
import re
from email.message import Message

import pytest

from registrar import lottery
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.mail.compose import compose, sample_application, sample_links, sample_lottery
from registrar.mail_queue import MailRequest
from registrar.services.lottery import LotteryService
from registrar.services.mailing import MailerConfig, MailerService
from registrar.tokens import TokenSigner
from registrar.web.errors import registration_notice
from registrar.web.pages import render_form, render_lottery
from tests.fakes import MemoryApplications, MemoryRuns

COMMITMENT = lottery.commitment("7" * 64)
NOW = dt.datetime(2023, 4, 1, 10, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("lang", "sentence", "link"),
    [
        (
            "de",
            "Das Los ist im Voraus festgelegt",
            "Wie alle das Los prüfen können",
        ),
        ("en", "The lottery is fixed in advance", "How anyone checks the lottery"),
    ],
)
def test_the_form_shows_the_commitment_with_a_link_to_how_it_is_checked(
    conference: Conference, lang: str, sentence: str, link: str
) -> None:
    page = render_form(conference, lang, lottery_commitment=COMMITMENT)
    assert re.search(rf'<code class="commitment">{COMMITMENT}</code>', page)
    assert re.findall(r"\b[0-9a-f]{64}\b", page) == [COMMITMENT]
    assert sentence in page
    assert f'<a href="/lottery?lang={lang}">{link}</a>' in page
    assert "<script" not in page


def test_a_first_come_event_has_no_lottery_to_show(conference: Conference) -> None:
    first_come = conference.model_copy(
        update={"admission": conference.admission.model_copy(update={"order": "first_come"})}
    )
    assert COMMITMENT not in render_form(first_come, "de", lottery_commitment=COMMITMENT)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_lottery_page_explains_the_check_and_offers_the_program(
    conference: Conference, lang: str
) -> None:
    page = render_lottery(conference, lang, COMMITMENT)
    assert f'<code class="commitment" id="commitment">{COMMITMENT}</code>' in page
    assert 'href="/lottery/verify_lottery.py"' in page
    assert f"python3 -I verify_lottery.py published-lottery.json --commitment {COMMITMENT}" in page
    assert "<script" not in page
    # The Kassel definition asks for no public value: the page does not claim one.
    assert "nach dem Anmeldeschluss eintragen" not in page
    assert "enter after the deadline" not in page


@pytest.mark.parametrize(
    ("lang", "ticket_line", "commitment_line"),
    [
        ("de", "Ihre Losnummer: K7QXA-3MZPD", "Der SHA-256-Prüfwert seines Geheimnisses ist"),
        ("en", "Your lottery ticket: K7QXA-3MZPD", "the SHA-256 commitment of its secret is"),
    ],
)
def test_the_receipt_tells_ticket_commitment_and_where_to_check(
    conference: Conference, lang: str, ticket_line: str, commitment_line: str
) -> None:
    told = sample_lottery()
    mail = compose(
        "receipt",
        sample_application(conference, lang, NOW, kind="receipt"),
        conference,
        sample_links(),
        NOW,
        told,
    )
    for body in (mail.text, mail.html):
        assert told.ticket in body and told.commitment in body and told.check_url in body
    assert ticket_line in mail.text and commitment_line in mail.text
    assert commitment_line in mail.html


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("de", "Ihre Losnummer ist K7QXA-3MZPD"),
        ("en", "Your lottery ticket is K7QXA-3MZPD"),
    ],
)
def test_the_waitlist_email_names_the_ticket(conference: Conference, lang: str, line: str) -> None:
    application = sample_application(conference, lang, NOW, kind="waitlisted")
    mail = compose("waitlisted", application, conference, sample_links(), NOW, sample_lottery())
    assert line in mail.text
    assert "K7QXA-3MZPD" in mail.html


class _Outbox:
    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        return True

    def mark_sent(self, message_id: str, provider_id: str, now: dt.datetime) -> None:
        pass

    def release(self, message_id: str) -> None:
        pass

    def mark_skipped(self, message_id: str, reason: str, now: dt.datetime) -> None:
        pass


class _Sender:
    def __init__(self) -> None:
        self.raw: list[bytes] = []

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        self.raw.append(raw)
        return "ses-id"


def _text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def test_the_mailer_sends_each_applicant_their_own_ticket_and_the_stored_commitment(
    conference: Conference,
) -> None:
    applications, runs, sender = MemoryApplications(), MemoryRuns(), _Sender()
    clock = SettableClock(NOW)
    lottery_service = LotteryService(conference, runs, clock, random.Random(4))
    mailer = MailerService(
        conference,
        applications,
        _Outbox(),
        sender,
        TokenSigner("k" * 40),
        clock,
        MailerConfig("https://anmeldung.example.org", "anmeldung@example.org"),
        lottery=lottery_service,
    )
    application = sample_application(conference, "en", NOW, kind="receipt")
    applications.add(application)
    request = MailRequest.create("receipt", conference.id, application.applicant_key, 0)
    assert mailer.deliver(request) == "sent"
    text = _text(email.message_from_bytes(sender.raw[0]))
    drawn = runs.lotteries[conference.id].drawn
    assert f"Your lottery ticket: {lottery.ticket(drawn.ticket_key, application.public_id)}" in text
    assert drawn.commitment in text
    assert "https://anmeldung.example.org/lottery?lang=en" in text
    assert drawn.secret not in text and drawn.ticket_key not in text


def test_after_the_deadline_the_closed_notice_links_how_to_check_the_lottery(
    conference: Conference,
) -> None:
    closed = registration_notice(conference, "registration_closed", "en")
    assert '<a href="/lottery?lang=en">How anyone checks the lottery</a>' in closed
    not_yet = registration_notice(conference, "registration_not_open", "de")
    assert "/lottery" not in not_yet
