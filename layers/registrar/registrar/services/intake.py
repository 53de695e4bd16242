"""Intake: a received submission becomes the application, or a notice to the one registered.

The API answers a submission after one write: the submission as received, under a key of
its own (``identity.received_key``), the same work whether the address is new or not. Here,
after the answer, it is registered: stored under the applicant's key by a write conditional
on that key being free. If it was free, the application exists, and the table's stream
brings its receipt (``services.receipts``). If another submission had stored it, that
applicant is told by email (at most one notice per address per ``DUPLICATE_NOTICE_INTERVAL``;
the mailer sends it to the address registered, so the repeat learns nothing), and a place
held on a submitter's list for the repeat is freed. Then the received submission is deleted.

The receipts function registers each received submission from the table's stream, within a
second; the admissions run registers any still waiting before it reads the applications,
so a submission accepted before the deadline is never left out. Both may meet the same one:
every step is safe to repeat (a second registration finds the application its own, by its
public id, and does nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import suppress
from typing import NamedTuple

from registrar.application import Application
from registrar.identity import normalise_email
from registrar.mail_queue import MailQueue, MailQueueUnavailable, MailRequest
from registrar.store.interfaces import ConcurrentUpdate, IntakeRepository, ReceivedSubmission

DUPLICATE_NOTICE_INTERVAL = dt.timedelta(minutes=10)
# An application found stored and then gone before it could be read (erased in between):
# the key is free again, and registering is tried again this often (then ConcurrentUpdate:
# the record is delivered again).
_ATTEMPTS = 3


class IntakeOutcome(NamedTuple):
    registered: int  # new applications stored
    repeats: int  # submissions for an address registered already (a notice queued)
    stopped_at: ReceivedSubmission | None = None  # the first not done: the queue failed


def register(
    submissions: Iterable[ReceivedSubmission], applications: IntakeRepository, queue: MailQueue
) -> IntakeOutcome:
    """Register each submission in order; stop at the first whose notice the queue refused
    (it stays received, and is registered again later)."""
    registered = repeats = 0
    for submission in submissions:
        stored = _store(submission, applications)
        if stored is None:
            registered += 1
        elif stored.public_id != submission.application.public_id:  # a repeat
            try:
                queue.enqueue([notice_for(submission)])
            except MailQueueUnavailable:
                return IntakeOutcome(registered, repeats, submission)
            repeats += 1
            _give_back_place(submission, stored, applications)
        applications.forget_received(submission)
    return IntakeOutcome(registered, repeats)


def _store(submission: ReceivedSubmission, applications: IntakeRepository) -> Application | None:
    """Store the application; None if stored now, else the application found under its key
    (this very submission's, stored before, or another's: a repeat)."""
    application = submission.application
    for _ in range(_ATTEMPTS):
        if applications.add(application):
            return None
        stored = applications.get(application.event_id, application.applicant_key)
        if stored is not None:
            return stored
    raise ConcurrentUpdate(application.applicant_key)


def notice_for(submission: ReceivedSubmission) -> MailRequest:
    """The notice to the applicant already registered: one per address per interval,
    whichever repeat asked (the interval is part of its id)."""
    application = submission.application
    interval = int(
        application.submitted_at.timestamp() // DUPLICATE_NOTICE_INTERVAL.total_seconds()
    )
    return MailRequest.create(
        "already_registered",
        application.event_id,
        application.applicant_key,
        interval,
        application.public_id,
    )


def _give_back_place(
    submission: ReceivedSubmission, existing: Application, applications: IntakeRepository
) -> None:
    """The person was registered already (``existing``): a place held for them on the
    submitter's list is freed (once; should it fail, the submission frees it when the limit
    is next reached)."""
    application = submission.application
    key = submission.submitter_key
    if key is None:
        return
    record = applications.submitted_for(application.event_id, key)
    if record is None or application.applicant_key not in record.applicant_keys:
        return
    if normalise_email(existing.submitted_by) == normalise_email(application.submitted_by):
        return  # that person is on the list rightly: registered by them before
    kept = tuple(k for k in record.applicant_keys if k != application.applicant_key)
    with suppress(ConcurrentUpdate):
        applications.save_submitted_for(record._replace(applicant_keys=kept))
