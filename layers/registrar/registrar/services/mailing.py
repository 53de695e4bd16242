"""Sending one queued mail request exactly once in practice.

The order of steps is the guarantee: (1) re-read the application and drop requests that a
later decision superseded or that no longer apply; (2) render the message and wait for the
pacer; (3) claim the message id with a conditional write, so redelivered or duplicated
requests stop here; (4) send through SES; (5) record SES's message id.
Remaining crash window: if the process dies after the claim and before SES answers, the
message stays ``claimed`` without a provider id and is not retried automatically (a retry
could send it twice). Such claims are listed by ``registrar mail failures`` for a person to
resend. The window is one conditional write and one SES call long: rendering and pacing
happen before the claim.

A mail with a copy to whoever registered the person (``Recipients.copy_to``) is two SES
messages, the person's and the copy, each to one address, with its own message id, claim
and pacer slot, sent in turn by the same steps: a retry after one of them went out finds
its claim and sends only the other.

Pacing and retries: the SES call waits for the instance's pacer (``Pacer``, a token bucket
at this instance's share of the account's rate), and a request that failed for a reason
that passes (throttling, SES unavailable, a decision still being written) is hidden on the
queue for an exponentially growing time (``retry_delay``); anything else is tried again
after a short pause and, after the queue's few receives, lands in the dead-letter queue.

Bounces and complaints come back as SES events (``DeliveryFeedback``): they mark the
application undeliverable, and ``deliver`` sends nothing more to it. An address that SES
cannot be given at all (``registrar.address``, the rule the form applies too, so only an
application stored before that rule meets this) is not retried into the dead-letter
queue: the message is claimed and marked ``skipped`` with the reason, once.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol
from urllib.parse import quote

from registrar.address import UndeliverableAddress, deliverable_address
from registrar.application import Application
from registrar.clock import Clock
from registrar.mail.recipients import recipients
from registrar.mail_queue import (
    DECISION_MAIL_STATES,
    STATE_BOUND_MAIL_STATES,
    MailKind,
    MailRequest,
)
from registrar.pacing import backoff_seconds
from registrar.ses import SendRefused
from registrar.store.interfaces import ApplicationRepository, OutboxRepository
from registrar.store.updates import update_application
from registrar.tokens import TokenClaims, TokenSigner

# Rendering (Jinja, the mail context, the MIME encoder) and substitution are imported
# where a message is first written: a request that ends before (gone, superseded, already
# undeliverable) costs the mailer's cold start none of them, nor does the feedback function.
if TYPE_CHECKING:
    from registrar.conference import Conference
    from registrar.mail.compose import OutgoingMail
    from registrar.mail.views import Links, LotteryView
    from registrar.services.lottery import LotteryService
    from registrar.ses import SesEvent

Outcome = Literal["sent", "duplicate", "superseded", "stale", "undeliverable", "skipped", "gone"]
FeedbackOutcome = Literal["marked", "already_marked", "noted", "not_ours", "unknown"]
MESSAGE_RECORD_RETENTION = dt.timedelta(days=400)
# The ``recipient`` tag of a message to the submitter: the mail sent to it alone
# (``Recipients.to_submitter``), or its copy of the person's (``Recipients.copy_to``).
SUBMITTER_TAG = "submitter"


class DecisionNotYetStored(Exception):
    """The request is newer than the stored decision: the run is still writing; retry."""


class MailSender(Protocol):
    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        """Send a MIME message to ``recipient`` alone; return the provider's id."""
        ...


class Pacer(Protocol):
    def acquire(self) -> float:
        """Wait until one more message may go out; return the seconds waited."""
        ...

    def refund(self) -> None:
        """The acquired message made no SES call: its slot goes to the next one."""
        ...


class RetryPolicy(NamedTuple):
    base_seconds: int
    max_seconds: int


def retry_delay(
    error: BaseException, receive_count: int, policy: RetryPolicy, jitter: float
) -> int:
    """Seconds to hide a failed request before the queue hands it out again.

    Throttling and transient SES errors, and a decision not yet written, pass with time:
    back off exponentially on the number of receives. Anything else (SES refusing the
    message itself, a rendering error) will not pass by waiting: a short pause per try, so
    that after the queue's few receives it reaches the dead-letter queue, where organisers
    see it, soon.
    """
    passing = isinstance(error, DecisionNotYetStored) or (
        isinstance(error, SendRefused) and error.retryable
    )
    if not passing:
        return policy.base_seconds
    return backoff_seconds(
        receive_count, base=policy.base_seconds, cap=policy.max_seconds, jitter=jitter
    )


class _Message(NamedTuple):
    """One SES message of a mail request: its own id, claim and single recipient."""

    message_id: str
    to: str  # as stored
    tags: dict[str, str]


class MailerConfig(NamedTuple):
    public_base_url: str
    sender_address: str


def signed_links(
    application: Application,
    conference: Conference,
    signer: TokenSigner,
    base_url: str,
    now: dt.datetime,
) -> Links:
    """Links for one application: confirm until the deadline, manage until the event ends."""
    from registrar.mail.views import Links

    def link(path: str, purpose: Literal["confirm", "manage"], until: dt.datetime) -> str:
        claims = TokenClaims(
            purpose, conference.id, application.applicant_key, application.public_id, until
        )
        token = signer.issue(claims, now=now)
        return f"{base_url.rstrip('/')}/{path}?token={quote(token)}"

    lang = f"?lang={application.language}"
    return Links(
        confirm=(
            None
            if application.confirmed
            else link("confirm", "confirm", conference.deadline + dt.timedelta(days=1))
        ),
        manage=link("manage", "manage", conference.last_day_end),
        form=f"{base_url.rstrip('/')}/{lang}",
    )


class MailerService:
    def __init__(
        self,
        conference: Conference,
        applications: ApplicationRepository,
        outbox: OutboxRepository,
        sender: MailSender,
        signer: TokenSigner,
        clock: Clock,
        config: MailerConfig,
        *,
        lottery: LotteryService,
    ) -> None:
        self._conference = conference
        self._lottery = lottery
        self._applications = applications
        self._outbox = outbox
        self._sender = sender
        self._signer = signer
        self._clock = clock
        self._config = config
        self._pacer: Pacer | None = None

    def paced_by(self, pacer: Pacer) -> MailerService:
        """This service with every SES call waiting for ``pacer`` first."""
        self._pacer = pacer
        return self

    def deliver(self, request: MailRequest) -> Outcome:
        application = self._applications.get(request.event_id, request.applicant_key)
        if application is None or application.erased:
            return "gone"
        if request.kind == "already_registered" and request.submission == application.public_id:
            return "superseded"  # this very submission stored the application: no repeat
        now = self._clock.now()
        expected = DECISION_MAIL_STATES.get(request.kind)
        if expected is not None:
            if application.decision_version < request.version:
                raise DecisionNotYetStored(request.message_id)
            if application.decision_version > request.version or application.status not in expected:
                return "superseded"
        bound = STATE_BOUND_MAIL_STATES.get(request.kind)
        if bound is not None and application.status not in bound:
            return "superseded"
        if request.kind == "substitute_confirm":
            return self._deliver_to_colleague(request, application, now)
        if request.kind == "confirm_reminder":
            # Confirmed since it was queued, or too late to be of use: say nothing.
            if application.confirmed:
                return "superseded"
            if now > self._conference.deadline:
                return "stale"
        if application.undeliverable:
            return "undeliverable"
        links = signed_links(
            application, self._conference, self._signer, self._config.public_base_url, now
        )
        # The applicant key (a keyed hash: nobody without the stack's secret can tie it to
        # an address) lets a bounce or complaint find its application again
        # (DeliveryFeedback).
        tags = {"kind": request.kind, "event": request.event_id}
        return self._send(
            request, application, links, now, tags | {"applicant": application.applicant_key}
        )

    def _deliver_to_colleague(
        self, request: MailRequest, original: Application, now: dt.datetime
    ) -> Outcome:
        """The link that lets the colleague named as substitute take over the seat.

        Sent to the colleague's address (from the nomination, which a newer one replaces):
        rendered as their application will be, with the seat's workshops. No applicant tag:
        a bounce of the colleague's address says nothing about the participant's.
        """
        from registrar.mail.views import Links
        from registrar.services.substitution import (
            colleague_application,
            link_subject,
            may_name_substitute,
        )

        nomination = original.substitute
        if nomination is None or nomination.applicant_key != request.submission:
            return "superseded"
        if not may_name_substitute(original, self._conference, now):
            return "stale"
        colleague = colleague_application(original, nomination, self._conference, now)
        base_url = self._config.public_base_url.rstrip("/")
        subject = link_subject(original.applicant_key, nomination.applicant_key)
        token = self._signer.issue(
            TokenClaims(
                "substitute",
                self._conference.id,
                subject,
                original.public_id,
                self._conference.substitutes_until,
            ),
            now=now,
        )
        link = f"{base_url}/substitute?token={quote(token)}"
        # No manage link yet: the colleague's application exists once they take over.
        links = Links(
            confirm=link,
            manage=link,
            form=f"{base_url}/?lang={colleague.language}",
        )
        tags = {"kind": request.kind, "event": request.event_id}
        return self._send(request, colleague, links, now, tags, seat_holder=original)

    def _send(
        self,
        request: MailRequest,
        application: Application,
        links: Links,
        now: dt.datetime,
        tags: dict[str, str],
        *,
        seat_holder: Application | None = None,
    ) -> Outcome:
        addressed = recipients(request.kind, application)
        # Bounces and complaints name no address (DeliveryFeedback): the tag tells the
        # submitter's messages from the person's.
        to_submitter = tags | {"recipient": SUBMITTER_TAG}
        first = _Message(
            request.message_id, addressed.to, to_submitter if addressed.to_submitter else tags
        )
        messages = [first]
        if addressed.copy_to is not None:
            messages.append(_Message(request.copy_message_id, addressed.copy_to, to_submitter))
        mail: OutgoingMail | None = None
        outcomes: list[Outcome] = []
        for message in messages:
            try:
                # SES takes only ASCII addresses: an international domain in punycode.
                address = deliverable_address(message.to)
            except UndeliverableAddress as refused:
                outcomes.append(self._skip(request.kind, message, refused, now))
                continue
            if mail is None:
                mail = self._compose(request.kind, application, links, now, seat_holder)
            outcomes.append(self._send_one(request.kind, message, address, mail, now))
        if "sent" in outcomes:
            return "sent"
        return "duplicate" if set(outcomes) == {"duplicate"} else "skipped"

    def _skip(
        self, kind: MailKind, message: _Message, refused: UndeliverableAddress, now: dt.datetime
    ) -> Outcome:
        """Retrying cannot change the address: recorded once, never dead-lettered."""
        if not self._outbox.claim(message.message_id, kind, now, now + MESSAGE_RECORD_RETENTION):
            return "duplicate"
        self._outbox.mark_skipped(message.message_id, f"address {refused.problem}", now)
        return "skipped"

    def _send_one(
        self,
        kind: MailKind,
        message: _Message,
        address: str,
        mail: OutgoingMail,
        now: dt.datetime,
    ) -> Outcome:
        # Build and wait for the pacer before claiming: the claim is held, unrecoverable if
        # the process dies, only for the claim write and the SES call.
        raw = self._mime(mail._replace(to=message.to), message.message_id, now)
        if self._pacer is not None:
            self._pacer.acquire()
        if not self._outbox.claim(message.message_id, kind, now, now + MESSAGE_RECORD_RETENTION):
            if self._pacer is not None:
                self._pacer.refund()
            return "duplicate"
        try:
            provider_id = self._sender.send_raw(raw, recipient=address, tags=message.tags)
        except SendRefused:
            # SES answered and refused (throttled, unavailable): nothing went out, so the
            # queue's retry may claim and send it again.
            self._outbox.release(message.message_id)
            raise
        self._outbox.mark_sent(message.message_id, provider_id, self._clock.now())
        return "sent"

    def _lottery_view(self, kind: MailKind, application: Application) -> LotteryView | None:
        """Ticket and commitment for the kinds that tell them (read once per process)."""
        from registrar.mail.context import NEEDS
        from registrar.mail.views import LotteryView

        if "lottery" not in NEEDS[kind]:
            return None
        base_url = self._config.public_base_url.rstrip("/")
        return LotteryView(
            ticket=self._lottery.ticket(application.public_id),
            commitment=self._lottery.commitment(),
            check_url=f"{base_url}/lottery?lang={application.language}",
        )

    def _compose(
        self,
        kind: MailKind,
        application: Application,
        links: Links,
        now: dt.datetime,
        seat_holder: Application | None,
    ) -> OutgoingMail:
        from registrar.mail.compose import compose

        return compose(
            kind,
            application,
            self._conference,
            links,
            now,
            self._lottery_view(kind, application),
            seat_holder=seat_holder,
        )

    def _mime(self, mail: OutgoingMail, message_id: str, now: dt.datetime) -> bytes:
        from registrar.mail.mime import build_mime

        return build_mime(
            mail,
            sender=self._config.sender_address,
            reply_to=self._conference.organiser.contact_email,
            message_id=message_id,
            domain=self._config.sender_address.rpartition("@")[2],
            now=now,
            headers={"X-Registrar-Kind": mail.kind, "Content-Language": mail.language},
        )


class DeliveryFeedback:
    """SES reported on a sent message: a hard bounce or a complaint stops mail to the address.

    The application is found by the message's ``event`` and ``applicant`` tags. The events
    name no address, and every message goes to one address alone: a message tagged as the
    submitter's (the mail to it alone, or its copy) marks the submitter's address (mails
    then go to the person alone); any other marks the person's, which stops all mail for
    the application (the submitter's copies too), and leaves the submitter's address
    unmarked. Marking is idempotent (SES may report twice) and conditional on the version
    read, like every other change to an application.
    """

    def __init__(
        self, conference: Conference, applications: ApplicationRepository, clock: Clock
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._clock = clock

    def record(self, event: SesEvent) -> FeedbackOutcome:
        reason = event.undeliverable_reason
        if reason is None:
            return "noted"
        event_id, key = event.tag("event"), event.tag("applicant")
        if event_id != self._conference.id or not key:
            return "not_ours"
        kind = event.tag("kind") or "unknown"

        def mark(application: Application) -> bool:
            if event.tag("recipient") == SUBMITTER_TAG and application.submitted_by:
                # Sent to the office that registered the person, and to nobody else: no more
                # mail to it; the person's own address is not in question (recipients()
                # then sends to the person alone).
                if application.submitter_undeliverable:
                    return False
                application.submitter_undeliverable = True
                application.record(
                    self._clock.now(), "submitter_undeliverable", "ses", f"{reason} ({kind})"
                )
                return True
            if application.undeliverable:
                return False
            application.undeliverable = True
            application.record(self._clock.now(), "undeliverable", "ses", f"{reason} ({kind})")
            return True

        result = update_application(self._applications, event_id, key, mark)
        if result is None:
            return "unknown"
        return "marked" if result.changed else "already_marked"
