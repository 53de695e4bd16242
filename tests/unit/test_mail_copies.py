"""The office's copy of a person's mail: a message of its own, sent once, its bounce its own.

A mayor's office registered the mayor and chose a copy of every mail. The copy goes to the
office in a message of its own (``To:`` the office, nobody in ``Cc:``), tagged as the
submitter's, with its own claim: a retry after one of the two went out sends only the
other. SES's bounce events name no address, so the tag alone tells which address bounced.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import random
from email.message import EmailMessage

import pytest

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.mail_queue import MailKind, MailRequest
from registrar.services.lottery import LotteryService
from registrar.services.mailing import DeliveryFeedback, MailerConfig, MailerService
from registrar.ses import SendRefused, SesEvent
from registrar.store.interfaces import ClaimedMessage
from registrar.tokens import TokenSigner
from registrar_cli.failures import describe_stuck_claims
from tests.fakes import MemoryApplications, MemoryOutbox, MemoryRuns, MemorySender, SentMessage
from tests.support.people import stored

OFFICE = "buero.buergermeisterin@example.org"


class CountingPacer:
    def __init__(self) -> None:
        self.acquired = 0
        self.refunded = 0

    def acquire(self) -> float:
        self.acquired += 1
        return 0.0

    def refund(self) -> None:
        self.refunded += 1


class ProcessDied(Exception):
    """The Lambda's process ended (a timeout, the sandbox recycled) at this point."""


class DiesBeforeClaiming(MemoryOutbox):
    """The process dies once, just before it claims ``message_id``."""

    def __init__(self, message_id: str) -> None:
        super().__init__()
        self.fatal = message_id

    def claim(self, message_id: str, kind: str, now: dt.datetime, expires_at: dt.datetime) -> bool:
        if message_id == self.fatal:
            self.fatal = ""
            raise ProcessDied(message_id)
        return super().claim(message_id, kind, now, expires_at)


class ThrottlesOnce(MemorySender):
    """SES refuses (throttled) the first message to ``address``, then accepts."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        if recipient == self.address:
            self.address = ""
            raise SendRefused("Throttling", retryable=True)
        return super().send_raw(raw, recipient=recipient, tags=tags)


class Setup:
    def __init__(
        self,
        conference: Conference,
        mode: str = "copy",
        *,
        outbox: MemoryOutbox | None = None,
        sender: MemorySender | None = None,
    ) -> None:
        self.now = conference.deadline + dt.timedelta(days=2)
        self.conference = conference
        self.applications = MemoryApplications()
        person = stored(
            conference, 1, submitted_by=OFFICE, submitter_copy=mode, status="accepted",
            decision_version=1,
        )  # fmt: skip
        self.applications.add(person)
        self.outbox = outbox or MemoryOutbox()
        self.sender = sender or MemorySender()
        self.pacer = CountingPacer()
        clock = SettableClock(self.now)
        self.mailer = MailerService(
            conference,
            self.applications,
            self.outbox,
            self.sender,
            TokenSigner("s" * 40),
            clock,
            MailerConfig("https://registrar.example.org", "anmeldung@example.org"),
            lottery=LotteryService(conference, MemoryRuns(), clock, random.Random(1)),
        ).paced_by(self.pacer)
        self.feedback = DeliveryFeedback(conference, self.applications, clock)

    @property
    def application(self) -> Application:
        found = self.applications.get(self.conference.id, "key-1")
        assert found is not None
        return found

    def request(self, kind: MailKind = "accepted", version: int = 1) -> MailRequest:
        return MailRequest.create(kind, self.conference.id, "key-1", version)

    def bounce(self, message: SentMessage) -> str:
        """SES's permanent bounce of ``message``, as the feedback rule hands it over: its
        tags, no address."""
        event = SesEvent.model_validate(
            {
                "eventType": "Bounce",
                "mail": {
                    "messageId": "ses-id",
                    "tags": {name: [value] for name, value in message.tags.items()},
                },
                "bounce": {"bounceType": "Permanent", "bounceSubType": "General"},
            }
        )
        return self.feedback.record(event)


def parsed(message: SentMessage) -> EmailMessage:
    parsed = email.message_from_bytes(message.raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_of(message: SentMessage) -> str:
    body = parsed(message).get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_with_a_copy_the_office_gets_its_own_message_and_nobody_is_in_cc(
    conference: Conference,
) -> None:
    setup = Setup(conference)
    person = setup.application
    request = setup.request()

    assert setup.mailer.deliver(request) == "sent"

    to_person, to_office = setup.sender.sent
    assert (to_person.recipient, to_office.recipient) == (person.email, OFFICE)
    for message, address in ((to_person, person.email), (to_office, OFFICE)):
        headers = parsed(message)
        assert str(headers["To"]) == address and headers["Cc"] is None
        assert headers["X-Registrar-Kind"] == "accepted"
    # The same mail, told in the same words (the footer names the copy to the office).
    assert parsed(to_person)["Subject"] == parsed(to_office)["Subject"]
    assert text_of(to_person) == text_of(to_office)
    assert "in Kopie" in text_of(to_office) and OFFICE in text_of(to_office)
    assert parsed(to_person)["Message-ID"] != parsed(to_office)["Message-ID"]
    # Only the office's message says it is the office's: a bounce names no address.
    assert "recipient" not in to_person.tags
    assert to_office.tags == to_person.tags | {"recipient": "submitter"}
    assert to_person.tags["applicant"] == person.applicant_key
    # Two SES messages, two slots of the account's sending rate, two records sent.
    assert setup.pacer.acquired == 2
    assert setup.outbox.states == {request.message_id: "sent", request.copy_message_id: "sent"}

    # The queue hands the request out again: neither goes out twice.
    assert setup.mailer.deliver(request) == "duplicate"
    assert len(setup.sender.sent) == 2
    assert (setup.pacer.acquired, setup.pacer.refunded) == (4, 2)


def test_only_the_office_gets_the_mail_when_that_was_chosen(conference: Conference) -> None:
    setup = Setup(conference, "only")
    request = setup.request()

    assert setup.mailer.deliver(request) == "sent"

    (to_office,) = setup.sender.sent
    assert to_office.recipient == OFFICE and parsed(to_office)["Cc"] is None
    assert to_office.tags["recipient"] == "submitter"
    assert setup.outbox.states == {request.message_id: "sent"}
    assert setup.pacer.acquired == 1


def test_a_process_that_dies_between_the_two_sends_sends_each_once_on_retry(
    conference: Conference,
) -> None:
    request = Setup(conference).request()
    setup = Setup(conference, outbox=DiesBeforeClaiming(request.copy_message_id))

    with pytest.raises(ProcessDied):
        setup.mailer.deliver(request)
    assert [m.recipient for m in setup.sender.sent] == [setup.application.email]

    assert setup.mailer.deliver(request) == "sent"  # the queue's redelivery
    assert [m.recipient for m in setup.sender.sent] == [setup.application.email, OFFICE]
    assert setup.outbox.states == {request.message_id: "sent", request.copy_message_id: "sent"}
    assert setup.mailer.deliver(request) == "duplicate"
    assert len(setup.sender.sent) == 2


def test_a_throttled_copy_is_retried_alone(conference: Conference) -> None:
    setup = Setup(conference, sender=ThrottlesOnce(OFFICE))
    request = setup.request()

    with pytest.raises(SendRefused):
        setup.mailer.deliver(request)
    # The person's message went out; the copy's claim was given back for the retry.
    assert setup.outbox.states == {request.message_id: "sent"}

    assert setup.mailer.deliver(request) == "sent"
    assert [m.recipient for m in setup.sender.sent] == [setup.application.email, OFFICE]


def test_a_throttled_persons_message_sends_neither_until_the_retry(
    conference: Conference,
) -> None:
    setup = Setup(conference, sender=ThrottlesOnce(stored(conference, 1).email))

    with pytest.raises(SendRefused):
        setup.mailer.deliver(setup.request())
    assert setup.outbox.states == {} and setup.sender.sent == []

    assert setup.mailer.deliver(setup.request()) == "sent"
    assert [m.recipient for m in setup.sender.sent] == [setup.application.email, OFFICE]


def test_a_bounce_of_the_offices_copy_marks_only_the_office_and_mail_goes_on_to_the_person(
    conference: Conference,
) -> None:
    setup = Setup(conference)
    assert setup.mailer.deliver(setup.request()) == "sent"
    _, to_office = setup.sender.sent

    assert setup.bounce(to_office) == "marked"

    application = setup.application
    assert application.submitter_undeliverable and not application.undeliverable
    assert application.history[-1].action == "submitter_undeliverable"
    assert OFFICE not in application.history[-1].detail
    # The programme goes to the person alone now.
    assert setup.mailer.deliver(setup.request("program", 0)) == "sent"
    program = setup.sender.sent[-1]
    assert program.recipient == application.email and "recipient" not in program.tags
    assert len(setup.sender.sent) == 3
    assert setup.bounce(to_office) == "already_marked"


def test_a_bounce_of_the_persons_message_marks_the_persons_address_not_the_office(
    conference: Conference,
) -> None:
    setup = Setup(conference)
    assert setup.mailer.deliver(setup.request()) == "sent"
    to_person, _ = setup.sender.sent

    assert setup.bounce(to_person) == "marked"

    application = setup.application
    assert application.undeliverable and not application.submitter_undeliverable
    assert application.history[-1].action == "undeliverable"


def test_an_office_address_ses_cannot_take_skips_the_copy_not_the_persons_mail(
    conference: Conference,
) -> None:
    setup = Setup(conference)
    request = setup.request()
    # Stored before the form applied the address rule: SES takes no such local part.
    setup.applications.items[(conference.id, "key-1")] = setup.application.model_copy(
        update={"submitted_by": "büro@example.org"}
    )

    assert setup.mailer.deliver(request) == "sent"

    (to_person,) = setup.sender.sent
    assert to_person.recipient == setup.application.email
    assert setup.outbox.states == {request.message_id: "sent", request.copy_message_id: "skipped"}
    assert setup.mailer.deliver(request) == "duplicate"


def test_a_stuck_copy_is_traced_to_its_person_and_shows_the_offices_address(
    conference: Conference,
) -> None:
    """``registrar mail failures``: a send left ``claimed`` (the documented crash window)
    may be the office's copy; the listing says so and names the address it went to."""
    setup = Setup(conference)
    request = setup.request()
    claimed = dt.datetime(2023, 5, 1, 9, 0, tzinfo=dt.UTC)
    claims = [
        ClaimedMessage(request.message_id, "accepted", claimed),
        ClaimedMessage(request.copy_message_id, "accepted", claimed),
    ]

    own, copy = describe_stuck_claims(
        claims, [setup.application], conference.id, show_addresses=True
    )

    assert (own["public_id"], own["copy"], own["email"]) == (
        setup.application.public_id, False, setup.application.email,
    )  # fmt: skip
    assert (copy["public_id"], copy["copy"], copy["email"]) == (
        setup.application.public_id, True, OFFICE,
    )  # fmt: skip
