"""Receipts: every new application gets its receipt email, queued from the table's stream.

The API keeps each submission as received (one write and nothing else); registering it
(``services.intake``) stores the application with a conditional write, and the table's
stream (keys only) brings each new application here, where its receipt is queued. So a
receipt cannot be lost between the write and the queue, and an applicant's request waits
for one AWS call, not two. Records arrive in stream order; if the queue fails part-way, the answer
is the first record not queued, and Lambda retries the batch from there (a receipt queued
twice is still sent once: its request id is fixed per application, see
``receipt_version``). An erased application's tombstone is inserted under a new key too;
it gets no receipt, nor does a submitter's record of whom they registered, nor a colleague
who took over a seat (their first mail is the acceptance, queued when the seat moved).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import batched
from typing import NamedTuple

from registrar.application import Application
from registrar.identity import is_submitter_key, is_tombstone_key
from registrar.mail_queue import SQS_BATCH, MailQueue, MailQueueUnavailable, MailRequest
from registrar.store.interfaces import ApplicationRepository


class NewApplication(NamedTuple):
    """One stream record of an inserted application: where it is in the stream, its keys."""

    sequence_number: str
    event_id: str
    applicant_key: str


class ReceiptsOutcome(NamedTuple):
    queued: int
    retry_from: str | None  # the sequence number of the first record not queued
    unreadable: int = 0  # items that are no application (skipped, never retried)


def receipt_version(application: Application) -> int:
    """What makes one application's receipt distinct from another's for the same address.

    The submission time (ms): the same however often the record is delivered, and however
    often the item is written back (a restore copied into the table), so the mailer sends
    that receipt once; new when the address registers again after an erasure.
    """
    return int(application.submitted_at.timestamp() * 1000)


def queue_receipts(
    new: Sequence[NewApplication], applications: ApplicationRepository, queue: MailQueue
) -> ReceiptsOutcome:
    """Queue each new application's receipt, in stream order, until the queue fails.

    The applications are read together (the stream carries keys only): one gone again
    since (erased, expired) gets nothing. An item that is no application at all (written
    by hand, or left from an older schema) is skipped and counted: retried, it would hold
    up every receipt behind it on the stream for a day.
    """
    queued = unreadable = 0
    applicants = [
        a
        for a in new
        if not is_tombstone_key(a.applicant_key) and not is_submitter_key(a.applicant_key)
    ]
    found = applications.get_many((a.event_id, a.applicant_key) for a in applicants)
    for chunk in batched(applicants, SQS_BATCH):  # a failure holds back one batch
        requests = []
        for record in chunk:
            key = (record.event_id, record.applicant_key)
            if key in found.unreadable:
                unreadable += 1
                continue
            application = found.applications.get(key)
            if application is None or application.erased:
                continue
            if application.seat_taken_over_from:
                continue  # a substitute: the acceptance, queued with the seat, is their first

            version = receipt_version(application)
            requests.append(
                MailRequest.create("receipt", record.event_id, record.applicant_key, version)
            )
        try:
            if requests:
                queue.enqueue(requests)
        except MailQueueUnavailable:
            return ReceiptsOutcome(queued, chunk[0].sequence_number, unreadable)
        queued += len(requests)
    return ReceiptsOutcome(queued, None, unreadable)
