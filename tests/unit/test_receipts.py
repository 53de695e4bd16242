"""Receipts are queued from the table's stream: in order, once per application, resumable."""

from __future__ import annotations

import pytest

from registrar.mail_queue import MailQueueUnavailable, MailRequest
from registrar.services.receipts import NewApplication, queue_receipts
from tests.fakes import MemoryQueue


def _new(count: int, start: int = 0) -> list[NewApplication]:
    return [NewApplication(str(100 + n), "kassel-2023", f"key{n:03d}") for n in range(start, count)]


class FailingAfter(MemoryQueue):
    """Takes ``good`` batches, then refuses every batch, as SQS does when unavailable."""

    def __init__(self, good: int) -> None:
        super().__init__()
        self.good = good

    def enqueue(self, requests: list[MailRequest]) -> None:
        if self.good == 0:
            raise MailQueueUnavailable("mail queue unavailable (ServiceUnavailable)")
        self.good -= 1
        super().enqueue(requests)


def test_each_new_application_gets_one_receipt_request_in_stream_order() -> None:
    queue = MemoryQueue()
    outcome = queue_receipts(_new(23), queue)
    assert (outcome.queued, outcome.retry_from) == (23, None)
    assert [r.applicant_key for r in queue.sent] == [f"key{n:03d}" for n in range(23)]
    assert {r.kind for r in queue.sent} == {"receipt"}
    # The id follows the stream record: queued again after a retry, it is sent once; a
    # new insert for the same key (a registration after erasure) gets a new one.
    assert queue.sent[0] == MailRequest.create("receipt", "kassel-2023", "key000", 100)
    again = MemoryQueue()
    queue_receipts([NewApplication("100", "kassel-2023", "key000")], again)
    assert again.sent == queue.sent[:1]
    later = MemoryQueue()
    queue_receipts([NewApplication("9100", "kassel-2023", "key000")], later)
    assert later.sent[0].message_id != queue.sent[0].message_id


@pytest.mark.parametrize(("good_batches", "queued", "retry_from"), [(0, 0, "100"), (2, 20, "120")])
def test_a_failing_queue_answers_the_first_record_not_queued(
    good_batches: int, queued: int, retry_from: str
) -> None:
    queue = FailingAfter(good_batches)
    outcome = queue_receipts(_new(25), queue)
    assert (outcome.queued, outcome.retry_from) == (queued, retry_from)
    assert len(queue.sent) == queued
    # The retry (Lambda resends from that record on) completes the rest.
    rest = [a for a in _new(25) if int(a.sequence_number) >= int(retry_from)]
    again = MemoryQueue()
    assert queue_receipts(rest, again).retry_from is None
    assert [r.applicant_key for r in queue.sent + again.sent] == [f"key{n:03d}" for n in range(25)]


def test_an_erased_applications_tombstone_gets_no_receipt() -> None:
    queue = MemoryQueue()
    tombstone = NewApplication("7", "kassel-2023", "erased-" + "0" * 32)
    outcome = queue_receipts([tombstone, *_new(1)], queue)
    assert outcome.queued == 1
    assert queue.kinds() == ["receipt"] and queue.sent[0].applicant_key == "key000"
