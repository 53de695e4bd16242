"""Receipts: every new application gets its receipt email, queued from the table's stream.

The API stores an application with one conditional write and nothing else; the table's
stream (keys only) brings each new item here, and this queues its receipt. So a receipt
cannot be lost between the write and the queue, and an applicant's request waits for one
AWS call, not two. Records arrive in stream order; if the queue fails part-way, the answer
is the first record not queued, and Lambda retries the batch from there (a receipt queued
twice is still sent once: its request id is fixed per stream record). An erased
application's tombstone is inserted under a new key too; it gets no receipt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import batched

from registrar.identity import is_tombstone_key
from registrar.mail_queue import MailQueueUnavailable, MailRequest
from registrar.services.registration import MailQueue

_QUEUE_BATCH = 10  # SqsMailQueue's batch: a failure loses no more than one of these


@dataclass(frozen=True, slots=True)
class NewApplication:
    """One stream record of an inserted application: where it is in the stream, its keys."""

    sequence_number: str
    event_id: str
    applicant_key: str

    @property
    def receipt_version(self) -> int:
        """What makes this insert's receipt distinct: its place in the stream.

        Stable when Lambda delivers the record again (so the receipt goes out once), new
        when the same address registers again after its application was erased (the key
        is the address's, so a fixed version would make that receipt a "duplicate").
        """
        return int(self.sequence_number)


@dataclass(frozen=True, slots=True)
class ReceiptsOutcome:
    queued: int
    retry_from: str | None  # the sequence number of the first record not queued


def queue_receipts(new: Sequence[NewApplication], queue: MailQueue) -> ReceiptsOutcome:
    """Queue each new application's receipt, in stream order, until the queue fails."""
    queued = 0
    applicants = [a for a in new if not is_tombstone_key(a.applicant_key)]
    for chunk in batched(applicants, _QUEUE_BATCH):
        requests = [
            MailRequest.create("receipt", a.event_id, a.applicant_key, a.receipt_version)
            for a in chunk
        ]
        try:
            queue.enqueue(requests)
        except MailQueueUnavailable:
            return ReceiptsOutcome(queued, chunk[0].sequence_number)
        queued += len(chunk)
    return ReceiptsOutcome(queued, None)
