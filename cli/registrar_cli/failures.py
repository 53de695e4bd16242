"""Mail that did not go out: requests in the dead-letter queue, and claims never completed.

After the cause is fixed (an SES outage, a sending pause), ``redrive_dead_letters`` puts
the dead-lettered requests back on the mail queue; the mailer's claim on each message id
keeps any that did go out from going out twice.

Dead letters are read without consuming them: received with a short visibility timeout and
made visible again at once, so looking does not change what the queue holds (though SQS
counts each look as a receive, so the count shown leaves our own look out). A claim still
``claimed`` after 15 minutes is the mailer's documented crash window: SES may or may not
have sent it, so a person decides whether to resend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

from pydantic import ValidationError

from registrar.application import Application
from registrar.mail_queue import COPY_SUFFIX, MAIL_KINDS, MailRequest
from registrar.store.interfaces import ClaimedMessage

STUCK_AFTER: Final = dt.timedelta(minutes=15)
_PEEK_VISIBILITY_SECONDS: Final = 30
_MAX_PEEKED: Final = 2000


def peek_dead_letters(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """Every message in the queue (up to a limit), left in the queue afterwards."""
    seen: dict[str, dict[str, Any]] = {}
    try:
        while len(seen) < _MAX_PEEKED:
            received = sqs.receive_message(
                QueueUrl=queue_url,
                MaxNumberOfMessages=10,
                VisibilityTimeout=_PEEK_VISIBILITY_SECONDS,
                WaitTimeSeconds=1,  # long polling asks every server, not a sample
                AttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
            ).get("Messages", [])
            fresh = [m for m in received if m["MessageId"] not in seen]
            if not fresh:
                break
            seen.update((m["MessageId"], m) for m in fresh)
    finally:
        for message in seen.values():
            sqs.change_message_visibility(
                QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )
    return list(seen.values())


def describe_dead_letters(
    messages: Iterable[Mapping[str, Any]],
    by_key: Mapping[str, Application],
    *,
    show_addresses: bool,
) -> list[dict[str, Any]]:
    described = []
    for message in messages:
        attributes = message.get("Attributes", {})
        entry: dict[str, Any] = {
            "queue_message_id": message["MessageId"],
            "kind": "unreadable",
            "public_id": "",
            "receive_count": max(0, int(attributes.get("ApproximateReceiveCount", "1")) - 1),
            "queued_at": _from_millis(attributes.get("SentTimestamp")),
        }
        try:
            request = MailRequest.model_validate_json(message["Body"])
        except ValidationError:
            described.append(entry)
            continue
        application = by_key.get(request.applicant_key)
        entry.update(
            kind=request.kind,
            message_id=request.message_id,
            public_id=application.public_id if application else "(erased or gone)",
        )
        if show_addresses:
            entry["email"] = application.email if application else ""
        described.append(entry)
    return described


def describe_stuck_claims(
    claims: Iterable[ClaimedMessage],
    applications: Iterable[Application],
    event_id: str,
    *,
    show_addresses: bool,
) -> list[dict[str, Any]]:
    """Claims with the applicant they were for, where the message id can be traced back.

    Ids are hashes of (event, applicant, kind, version); decision-versioned ones are found
    by trying each applicant's versions, and a copy to whoever registered the person by its
    mail's id (``copy``: true). Resent mails (time-based versions) stay unknown.
    """
    claims = list(claims)
    wanted = {claim.message_id for claim in claims}
    kinds = [kind for kind in MAIL_KINDS if any(claim.kind == kind for claim in claims)]
    owner: dict[str, Application] = {}
    for application in applications if wanted else ():
        for kind in kinds:
            for version in range(application.decision_version + 1):
                request = MailRequest.create(kind, event_id, application.applicant_key, version)
                for message_id in (request.message_id, request.copy_message_id):
                    if message_id in wanted:
                        owner[message_id] = application
    described = []
    for claim in claims:
        traced = owner.get(claim.message_id)
        copy = claim.message_id.endswith(COPY_SUFFIX)
        entry: dict[str, Any] = {
            "message_id": claim.message_id,
            "kind": claim.kind,
            "copy": copy,
            "claimed_at": claim.claimed_at.isoformat(),
            "public_id": traced.public_id if traced else "",
        }
        if show_addresses:
            # A copy went to whoever registered the person, not to the person.
            address = traced and (traced.submitted_by if copy else traced.email)
            entry["email"] = address or ""
        described.append(entry)
    return described


def _from_millis(value: str | None) -> str:
    if not value:
        return ""
    return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC).isoformat()


def redrive_dead_letters(sqs: Any, dead_letter_url: str, queue_url: str) -> tuple[int, int]:
    """Move every readable mail request back to the mail queue; return (moved, kept).

    Each batch is sent before it is deleted, so a failure in between leaves a copy in
    both queues, which the mailer's claim makes harmless. Unreadable messages stay in the
    dead-letter queue for a person to look at (they would only fail again), as do requests
    the mail queue refused this time. A message kept comes round again once its visibility
    timeout lapses (a long redrive): it is known by its id, counted once and not retried.
    """
    moved = 0
    kept: dict[str, str] = {}  # message id -> its latest receipt handle
    try:
        while True:
            received = sqs.receive_message(
                QueueUrl=dead_letter_url,
                MaxNumberOfMessages=10,
                VisibilityTimeout=_PEEK_VISIBILITY_SECONDS,
                WaitTimeSeconds=1,
            ).get("Messages", [])
            fresh = [m for m in received if m["MessageId"] not in kept]
            kept.update((m["MessageId"], m["ReceiptHandle"]) for m in received if m not in fresh)
            if not fresh:
                break
            readable = [m for m in fresh if _is_mail_request(m["Body"])]
            kept.update((m["MessageId"], m["ReceiptHandle"]) for m in fresh if m not in readable)
            if not readable:
                continue
            answer = sqs.send_message_batch(
                QueueUrl=queue_url,
                Entries=[{"Id": str(n), "MessageBody": m["Body"]} for n, m in enumerate(readable)],
            )
            sent = {entry["Id"] for entry in answer.get("Successful", [])}
            done = [(str(n), m) for n, m in enumerate(readable) if str(n) in sent]
            kept.update(
                (m["MessageId"], m["ReceiptHandle"])
                for n, m in enumerate(readable)
                if str(n) not in sent
            )
            if done:
                sqs.delete_message_batch(
                    QueueUrl=dead_letter_url,
                    Entries=[{"Id": n, "ReceiptHandle": m["ReceiptHandle"]} for n, m in done],
                )
            moved += len(done)
    finally:
        for handle in kept.values():
            sqs.change_message_visibility(
                QueueUrl=dead_letter_url, ReceiptHandle=handle, VisibilityTimeout=0
            )
    return moved, len(kept)


def _is_mail_request(body: str) -> bool:
    try:
        MailRequest.model_validate_json(body)
    except ValidationError:
        return False
    return True
