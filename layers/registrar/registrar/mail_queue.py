"""Mail requests: the message put on the SQS mail queue, and the queue client.

A request names what to send, not how it reads: the mailer renders it from the application
at send time. Its id is deterministic (event, applicant, kind, decision version), so a kind
is sent to an applicant at most once per decision however often it is queued.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from itertools import batched
from typing import TYPE_CHECKING, Final, Literal, Protocol, get_args

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import BaseModel, ConfigDict

from registrar.application import ATTENDS, HOLDS_SEAT, STATES, Status

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

MailKind = Literal[
    "receipt",
    "already_registered",
    "confirm_reminder",
    "accepted",
    "offered",
    "waitlisted",
    "not_admitted",
    "offer_expired",
    "withdrawn",
    "declined",
    "cancelled",
    "program",
    "substitute_confirm",
    "substituted",
    "extra_place",
]
MAIL_KINDS: tuple[MailKind, ...] = get_args(MailKind)
# A decision mail speaks for one decision: it is sent only while the application is still in
# the status that it tells (the state table's ``mail``) at the version it was queued for
# (otherwise it was superseded).
DECISION_MAIL_STATES: dict[MailKind, frozenset[Status]] = {
    rule.mail: frozenset({status}) for status, rule in STATES.items() if rule.mail is not None
}
# Other kinds that only make sense in some states, checked at send time.
STATE_BOUND_MAIL_STATES: dict[MailKind, frozenset[Status]] = {
    "program": ATTENDS,
    "extra_place": HOLDS_SEAT,  # a place in an extra that freed up, for a participant
}


def states_for(kind: MailKind) -> frozenset[Status] | None:
    """The statuses a kind of mail is written for; None: any status."""
    return DECISION_MAIL_STATES.get(kind) or STATE_BOUND_MAIL_STATES.get(kind)


# The copy of a mail to whoever registered the person is a message of its own, with its
# own claim: its id is the request's with this suffix.
COPY_SUFFIX: Final = "-copy"


class MailRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    message_id: str
    kind: MailKind
    event_id: str
    applicant_key: str
    version: int  # the decision version, or another counter that makes a resend distinct
    # already_registered: the public id of the repeated submission it answers (queued when
    # registering found the address stored, services.intake); the mailer sends it only if
    # another submission stored the application.
    # Not part of the message id: one notice per counter, whichever submission asked.
    # substitute_confirm: the colleague's applicant key (a newer nomination supersedes it).
    submission: str | None = None

    @property
    def copy_message_id(self) -> str:
        """The id of the copy to the submitter: claimed and sent once, like the mail."""
        return f"{self.message_id}{COPY_SUFFIX}"

    @classmethod
    def create(
        cls,
        kind: MailKind,
        event_id: str,
        applicant_key: str,
        version: int,
        submission: str | None = None,
    ) -> MailRequest:
        raw = f"{event_id}\n{applicant_key}\n{kind}\n{version}".encode()
        return cls(
            message_id=hashlib.sha256(raw).hexdigest()[:40],
            kind=kind,
            event_id=event_id,
            applicant_key=applicant_key,
            version=version,
            submission=submission,
        )


SQS_BATCH = 10  # SQS's limit per SendMessageBatch: the queue sends requests in these


class MailQueue(Protocol):
    """Where use cases put mail requests; ``SqsMailQueue`` in the cloud, a list in tests."""

    def enqueue(self, requests: list[MailRequest]) -> None: ...


class MailQueueUnavailable(Exception):
    """The queue did not take every request of a batch (they may be queued again)."""


class SqsMailQueue:
    """Sends requests to the mail queue in batches of ten (SQS's limit), in order.

    A batch the queue did not wholly take raises ``MailQueueUnavailable``; the batches
    before it are queued. Queuing a request again is harmless (its id decides what is sent).
    The client is made on first use: the form and the pages queue nothing. Batches may be
    sent from several threads at once (the admissions run does): the client is made once.
    """

    def __init__(self, make_client: Callable[[], SQSClient], queue_url: str) -> None:
        self._make_client = make_client
        self._queue_url = queue_url
        self._made: SQSClient | None = None
        self._making = threading.Lock()

    @property
    def _client(self) -> SQSClient:
        if self._made is None:
            with self._making:
                if self._made is None:
                    self._made = self._make_client()
        return self._made

    def enqueue(self, requests: Sequence[MailRequest]) -> None:
        for batch in batched(requests, SQS_BATCH):
            try:
                response = self._client.send_message_batch(
                    QueueUrl=self._queue_url,
                    Entries=[
                        {"Id": str(index), "MessageBody": request.model_dump_json()}
                        for index, request in enumerate(batch)
                    ],
                )
            except (ClientError, BotoCoreError) as error:
                raise MailQueueUnavailable(f"mail queue unavailable ({error})") from error
            failed = response.get("Failed", [])
            if failed:
                codes = ", ".join(sorted({entry["Code"] for entry in failed}))
                raise MailQueueUnavailable(f"mail queue refused {len(failed)} messages ({codes})")
