"""Faults: SES throttles a fifth of calls and fails on another fifth, the queue redelivers.

Ground truth is the list of requests queued (with duplicates and superseded ones mixed
in); in the end every request that should go out was sent exactly once and nothing else.
The queue is moto's, with the template's redrive policy; Lambda's event source mapping is
played by a pump that, at random, puts a record twice into one batch and "loses" the
delete of a handled one (so SQS hands it out again), and that lets the mailer's backoff
pass without waiting. What the dead-letter queue collects is redriven, as an organiser
would after a bad hour at SES.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from registrar.conference import Conference
from registrar.mail.recipients import PERSON_ONLY
from registrar.mail_queue import MailRequest, SqsMailQueue
from registrar.store.models import MessageItem
from tests.support.mail import (
    FakeTime,
    failed_ids,
    invoke_with,
    message_id_of,
    queue_urls,
    receive,
    request_for,
    sent_messages,
    spy_on_ses,
    spy_on_visibility,
    store_application,
)
from tests.support.stack import Deployed

APPLICANTS = 48
OFFICE = "buero.buergermeisterin@example.org"
SEED = 20230511


def ground_truth(
    conference: Conference, deployed: Deployed, rng: random.Random
) -> tuple[list[MailRequest], set[str]]:
    """Requests to queue (in a shuffled order) and the message ids that must go out."""
    now = deployed.clock.now()
    queued: list[MailRequest] = []
    expected: set[str] = set()
    kinds = ["receipt", "accepted", "waitlisted", "not_admitted", "program", "confirm_reminder"]
    for number in range(1, APPLICANTS + 1):
        kind = kinds[number % len(kinds)]
        # Every fourth registered by an office that gets a copy: two messages, each once.
        office = {"submitted_by": OFFICE, "submitter_copy": "copy"} if number % 4 == 0 else {}
        application = store_application(
            conference, kind, number, now, "de" if number % 3 else "en", decision_version=2,
            **office,
        )  # fmt: skip
        current = request_for(kind, application)
        queued.append(current)
        expected.add(current.message_id)
        if office and kind not in PERSON_ONLY:
            expected.add(current.copy_message_id)
        if rng.random() < 0.3:
            queued.append(current)  # queued twice (a run that crashed and was repeated)
        if kind in {"accepted", "waitlisted", "not_admitted"}:
            queued.append(request_for(kind, application, version=1))  # superseded
    rng.shuffle(queued)
    return queued, expected


def test_every_message_is_sent_once_and_only_once_despite_faults(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(SEED)
    url, dead_letters = queue_urls(deployed)
    sqs = deployed.sqs()
    ses = spy_on_ses(monkeypatch, rng=random.Random(SEED + 1), throttle=0.2, transient=0.2)
    visibility = spy_on_visibility(deployed, monkeypatch)
    queued, expected = ground_truth(conference, deployed, rng)
    SqsMailQueue(lambda: sqs, url).enqueue(queued)

    stats: Counter[str] = Counter()
    for _ in range(500):
        messages = receive(deployed, url)
        if not messages:
            dead = receive(deployed, dead_letters)
            if not dead:
                break
            for message in dead:  # the organiser redrives the dead-letter queue
                sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
                sqs.delete_message(QueueUrl=dead_letters, ReceiptHandle=message["ReceiptHandle"])
                stats["redriven"] += 1
            continue
        batch = list(messages)
        for message in messages:
            if rng.random() < 0.2:
                batch.insert(rng.randrange(len(batch) + 1), message)  # delivered twice
                stats["doubled"] += 1
        failed = failed_ids(invoke_with(deployed, batch))
        for message in messages:
            handle = message["ReceiptHandle"]
            if message["MessageId"] in failed:
                assert visibility.delays.get(handle), "a failed message must be hidden"
                stats["failed"] += 1
                make_visible = True
            elif rng.random() < 0.15:
                stats["delete_lost"] += 1  # handled, but SQS will hand it out again
                make_visible = True
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
                make_visible = False
            if make_visible:  # the backoff (or visibility timeout) has passed
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0
                )
    else:
        pytest.fail(f"the queue did not drain: {stats}")

    sent = Counter(message_id_of(message) for message in sent_messages())
    assert set(sent) == expected
    assert set(sent.values()) == {1}, [mid for mid, count in sent.items() if count > 1]
    copies = [m for m in sent_messages() if message_id_of(m).endswith("-copy")]
    assert len(copies) >= 5 and all(str(m["To"]) == OFFICE for m in copies)
    for message_id in expected:
        assert MessageItem.get(message_id).state == "sent"
    # The faults really happened, or this test proves nothing.
    assert ses.failures["Throttling"] >= 5 and ses.failures["ServiceUnavailable"] >= 5
    assert stats["doubled"] >= 10 and stats["delete_lost"] >= 5 and stats["failed"] >= 15
    assert ses.calls == len(expected) + sum(ses.failures.values())
    assert not receive(deployed, url) and not receive(deployed, dead_letters)
