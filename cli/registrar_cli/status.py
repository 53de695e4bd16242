"""The organiser's overview of one event: counts, seats, last run, mail."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from registrar.application import HOLDS_SEAT, STATUSES
from registrar.conference import load_conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar_cli.target import Target


def collect_status(target: Target, now: dt.datetime) -> dict[str, Any]:
    target.bind()
    conference = load_conference(target.outputs["ConferenceId"])
    applications = list(DynamoApplications().list(conference.id))
    by_status: Counter[str] = Counter()
    by_group: dict[str, Counter[str]] = {g: Counter() for g in conference.group_ids}
    unconfirmed = 0
    for application in applications:
        if application.erased:
            continue
        if not application.confirmed:
            unconfirmed += 1
        by_status[application.status] += 1
        by_group.setdefault(application.group, Counter())[application.status] += 1
    seats_taken = sum(by_status[status] for status in HOLDS_SEAT)
    runs = DynamoRuns().list(conference.id)
    applied = [run for run in runs if not run.dry_run]
    sqs = target.client("sqs")

    def depth(url: str) -> int:
        attributes = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        return sum(int(v) for v in attributes.values())

    return {
        "event": conference.id,
        "title": conference.text(conference.title, conference.default_language),
        "now": now.isoformat(),
        "deadline": conference.deadline.isoformat(),
        "registration": conference.registration_state(now),
        "seconds_to_deadline": max(0, int((conference.deadline - now).total_seconds())),
        "capacity": conference.admission.capacity,
        "seats_taken": seats_taken,
        "seats_free": conference.admission.capacity - seats_taken,
        "applications": sum(by_status.values()),
        "unconfirmed": unconfirmed,
        "erased": sum(1 for a in applications if a.erased),
        "by_status": {status: by_status[status] for status in STATUSES if by_status[status]},
        "by_group": {
            group: dict(sorted(counts.items())) for group, counts in by_group.items() if counts
        },
        "undeliverable": sum(1 for a in applications if a.undeliverable),
        "last_run": applied[-1].model_dump(mode="json", exclude={"changes"}) if applied else None,
        "mail_queue": depth(target.outputs["MailQueueUrl"]),
        "mail_failed": depth(target.outputs["MailDeadLetterQueueUrl"]),
    }
