"""The whole cycle on the embedded stack in one process: seed, deadline, admissions, mail."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar_cli.local.gateway import Gateway
from registrar_cli.local.seed import confirm_links, get, seed_applicants
from registrar_cli.local.stack import LocalStack


def start_local(
    outbox: Path, now: dt.datetime, port: int, seed: int | None
) -> tuple[LocalStack, Gateway]:
    stack = LocalStack(outbox_dir=outbox, now=now, port=port, seed=seed)
    gateway = Gateway(stack)  # binds first: the stack needs the port for its links
    stack.start()
    gateway.start()
    return stack, gateway


def seed_and_confirm(
    stack: LocalStack, conference: Conference, count: int, seed: int
) -> dict[str, int]:
    before = len(stack.outbox.entries)
    result, _ = seed_applicants(conference, stack.api_url, count, seed)
    stack.drain_mail()
    receipts = [e.file for e in stack.outbox.entries[before:] if e.kind == "receipt"]
    confirmed = sum(1 for link in confirm_links(stack.outbox_dir, receipts) if get(link) == 200)
    stack.drain_mail()
    return {"submitted": result.submitted, "refused": result.refused, "confirmed": confirmed}


def summary(stack: LocalStack, conference: Conference, seeded: dict[str, int]) -> dict[str, Any]:
    applications = list(DynamoApplications().list(conference.id))
    by_status = Counter(a.status for a in applications)
    by_group: dict[str, Counter[str]] = {}
    for application in applications:
        by_group.setdefault(application.group, Counter())[application.status] += 1
    return {
        "event": conference.id,
        "capacity": conference.admission.capacity,
        "applicants": seeded,
        "by_status": dict(sorted(by_status.items())),
        "by_group": {g: dict(sorted(c.items())) for g, c in sorted(by_group.items())},
        "accepted": by_status["accepted"] + by_status["offered"],
        "runs": [
            {
                "schedule": fired.schedule,
                "at": fired.at.isoformat(),
                "changes": len(fired.result.get("run", {}).get("changes", [])),
                "seed": fired.result.get("run", {}).get("seed"),
            }
            for fired in stack.fired
            if isinstance(fired.result, dict)
        ],
        "emails_by_kind": stack.outbox.count_by_kind(),
        "outbox": str(stack.outbox_dir / "index.html"),
    }


def run_demo(
    outbox: Path, applicants: int, seed: int, port: int, conference_id: str
) -> tuple[LocalStack, Gateway, dict[str, Any]]:
    from registrar.conference import load_conference

    conference = load_conference(conference_id)
    start = conference.opens_at + dt.timedelta(days=1)
    stack, gateway = start_local(outbox, start, port, seed)
    seeded = seed_and_confirm(stack, conference, applicants, seed)
    stack.advance_to(conference.closes_at + dt.timedelta(minutes=1))
    return stack, gateway, summary(stack, conference, seeded)
