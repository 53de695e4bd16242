"""Sending one queued mail request exactly once in practice.

The order of steps is the guarantee: (1) re-read the application and drop requests that a
later decision superseded; (2) claim the message id with a conditional write, so redelivered
or duplicated requests stop here; (3) send through SES; (4) record SES's message id.
Remaining crash window: if the process dies after the claim and before SES answers, the
message stays ``claimed`` without a provider id and is not retried automatically (a retry
could send it twice). Such claims are listed by ``registrar mail failures`` for a person to
resend. The window is one SES call long.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import quote

from registrar.application import Application
from registrar.clock import Clock
from registrar.conference import Conference
from registrar.mail.compose import Links, compose
from registrar.mail.mime import build_mime
from registrar.mail_queue import MailKind, MailRequest
from registrar.ses import SendRefused
from registrar.store.interfaces import ApplicationRepository, OutboxRepository
from registrar.tokens import TokenClaims, TokenSigner

Outcome = Literal["sent", "duplicate", "superseded", "undeliverable", "gone"]
_DECISION_KINDS: dict[MailKind, frozenset[str]] = {
    "accepted": frozenset({"accepted"}),
    "offered": frozenset({"offered"}),
    "waitlisted": frozenset({"waitlisted"}),
    "not_admitted": frozenset({"not_admitted"}),
    "offer_expired": frozenset({"expired"}),
    "declined": frozenset({"declined"}),
    "withdrawn": frozenset({"withdrawn"}),
}
MESSAGE_RECORD_RETENTION = dt.timedelta(days=400)


class DecisionNotYetStored(Exception):
    """The request is newer than the stored decision: the run is still writing; retry."""


class MailSender(Protocol):
    def send_raw(self, raw: bytes, *, recipient: str, tags: dict[str, str]) -> str:
        """Send a MIME message; return the provider's message id."""
        ...


@dataclass(frozen=True, slots=True)
class MailerConfig:
    public_base_url: str
    sender_address: str


def signed_links(
    application: Application, conference: Conference, signer: TokenSigner, base_url: str
) -> Links:
    """Links for one applicant: confirm until the deadline, manage until the event ends."""

    def link(path: str, purpose: Literal["confirm", "manage"], until: dt.datetime) -> str:
        token = signer.issue(TokenClaims(purpose, conference.id, application.applicant_key, until))
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
    ) -> None:
        self._conference = conference
        self._applications = applications
        self._outbox = outbox
        self._sender = sender
        self._signer = signer
        self._clock = clock
        self._config = config

    def deliver(self, request: MailRequest) -> Outcome:
        application = self._applications.get(request.event_id, request.applicant_key)
        if application is None or application.erased:
            return "gone"
        expected = _DECISION_KINDS.get(request.kind)
        if expected is not None:
            if application.decision_version < request.version:
                raise DecisionNotYetStored(request.message_id)
            if application.decision_version > request.version or application.status not in expected:
                return "superseded"
        if application.undeliverable:
            return "undeliverable"
        now = self._clock.now()
        if not self._outbox.claim(
            request.message_id, request.kind, now, now + MESSAGE_RECORD_RETENTION
        ):
            return "duplicate"
        try:
            raw = self._render(request.kind, application, request.message_id, now)
        except Exception:
            self._outbox.release(request.message_id)  # nothing was sent
            raise
        try:
            provider_id = self._sender.send_raw(
                raw,
                recipient=application.email,
                tags={"kind": request.kind, "event": request.event_id},
            )
        except SendRefused:
            # SES answered and refused (throttled, unavailable): nothing went out, so the
            # queue's retry may claim and send it again.
            self._outbox.release(request.message_id)
            raise
        self._outbox.mark_sent(request.message_id, provider_id, self._clock.now())
        return "sent"

    def _render(
        self, kind: MailKind, application: Application, message_id: str, now: dt.datetime
    ) -> bytes:
        links = signed_links(
            application, self._conference, self._signer, self._config.public_base_url
        )
        mail = compose(kind, application, self._conference, links, now)
        return build_mime(
            mail,
            sender=self._config.sender_address,
            reply_to=self._conference.organiser.contact_email,
            message_id=message_id,
            domain=self._config.sender_address.rpartition("@")[2],
            now=now,
            headers={"X-Registrar-Kind": kind, "Content-Language": mail.language},
        )
