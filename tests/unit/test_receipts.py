"""Receipts are queued from the table's stream: in order, once per application, resumable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from registrar.application import Application
from registrar.conference import Conference
from registrar.mail.compose import sample_application
from registrar.mail_queue import MailQueueUnavailable, MailRequest
from registrar.services.receipts import NewApplication, queue_receipts, receipt_version
from registrar.store.interfaces import ApplicationKey, ManyApplications
from tests.fakes import MemoryApplications, MemoryQueue

NOW = dt.datetime(2023, 4, 1, 9, 30, tzinfo=dt.UTC)


def _stored(conference: Conference, count: int) -> tuple[MemoryApplications, list[NewApplication]]:
    store = MemoryApplications()
    records = []
    for n in range(count):
        application = sample_application(conference, "de", NOW, kind="receipt").model_copy(
            update={"applicant_key": f"key{n:03d}", "submitted_at": NOW + dt.timedelta(seconds=n)}
        )
        store.add(application)
        records.append(NewApplication(str(100 + n), conference.id, f"key{n:03d}"))
    return store, records


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


def test_each_new_application_gets_one_receipt_request_in_stream_order(
    conference: Conference,
) -> None:
    store, records = _stored(conference, 23)
    queue = MemoryQueue()
    outcome = queue_receipts(records, store, queue)
    assert (outcome.queued, outcome.retry_from) == (23, None)
    assert [r.applicant_key for r in queue.sent] == [f"key{n:03d}" for n in range(23)]
    assert {r.kind for r in queue.sent} == {"receipt"}
    first = store.get(conference.id, "key000")
    assert first is not None
    assert queue.sent[0] == MailRequest.create(
        "receipt", conference.id, "key000", receipt_version(first)
    )


def test_the_receipt_id_is_fixed_per_application_not_per_write(conference: Conference) -> None:
    store, records = _stored(conference, 1)
    first, again = MemoryQueue(), MemoryQueue()
    queue_receipts(records, store, first)
    # The same item written back later (a restore copied in): a new stream record.
    queue_receipts([NewApplication("9100", conference.id, "key000")], store, again)
    assert again.sent == first.sent  # the mailer sends that id once
    # The address registers again after an erasure: a new application, a new receipt.
    stored = store.items[(conference.id, "key000")]
    store.items[(conference.id, "key000")] = stored.model_copy(
        update={"submitted_at": NOW + dt.timedelta(days=3)}
    )
    later = MemoryQueue()
    queue_receipts([NewApplication("9200", conference.id, "key000")], store, later)
    assert later.sent[0].message_id != first.sent[0].message_id


@pytest.mark.parametrize(("good_batches", "queued", "retry_from"), [(0, 0, "100"), (2, 20, "120")])
def test_a_failing_queue_answers_the_first_record_not_queued(
    conference: Conference, good_batches: int, queued: int, retry_from: str
) -> None:
    store, records = _stored(conference, 25)
    queue = FailingAfter(good_batches)
    outcome = queue_receipts(records, store, queue)
    assert (outcome.queued, outcome.retry_from) == (queued, retry_from)
    assert len(queue.sent) == queued
    # The retry (Lambda resends from that record on) completes the rest.
    rest = [r for r in records if int(r.sequence_number) >= int(retry_from)]
    again = MemoryQueue()
    assert queue_receipts(rest, store, again).retry_from is None
    assert [r.applicant_key for r in queue.sent + again.sent] == [f"key{n:03d}" for n in range(25)]


def test_tombstones_and_applications_gone_since_get_no_receipt(conference: Conference) -> None:
    store, records = _stored(conference, 3)
    erased: Application = store.items[(conference.id, "key001")]
    store.items[(conference.id, "key001")] = erased.model_copy(update={"erased": True})
    del store.items[(conference.id, "key002")]  # expired by TTL before the record came
    tombstone = NewApplication("7", conference.id, "erased-" + "0" * 32)
    queue = MemoryQueue()
    outcome = queue_receipts([tombstone, *records], store, queue)
    assert outcome.queued == 1
    assert [r.applicant_key for r in queue.sent] == ["key000"]


def test_an_item_that_is_no_application_is_skipped_not_retried(conference: Conference) -> None:
    class WithJunk(MemoryApplications):
        def get_many(self, keys: Iterable[ApplicationKey]) -> ManyApplications:
            keys = list(keys)
            junk = {key for key in keys if key[1] == "key001"}  # e.g. written by hand
            found = super().get_many(k for k in keys if k not in junk)
            return ManyApplications(found.applications, frozenset(junk))

    store, records = _stored(conference, 3)
    junk = WithJunk()
    junk.items = store.items
    queue = MemoryQueue()
    outcome = queue_receipts(records, junk, queue)
    assert (outcome.queued, outcome.retry_from, outcome.unreadable) == (2, None, 1)
    assert [r.applicant_key for r in queue.sent] == ["key000", "key002"]


def test_a_substitute_and_a_submitters_record_get_no_receipt(conference: Conference) -> None:
    """The colleague who took over a seat gets the acceptance (queued with the seat), not
    a receipt that speaks of the lottery; an office's record of whom it registered is no
    application at all."""
    store, records = _stored(conference, 2)
    substitute: Application = store.items[(conference.id, "key001")]
    store.items[(conference.id, "key001")] = substitute.model_copy(
        update={"seat_taken_over_from": "R-ORIG-INAL", "status": "accepted"}
    )
    record = NewApplication("9", conference.id, "#by-" + "0" * 32)
    queue = MemoryQueue()
    outcome = queue_receipts([record, *records], store, queue)
    assert (outcome.queued, outcome.unreadable) == (1, 0)
    assert [r.applicant_key for r in queue.sent] == ["key000"]
