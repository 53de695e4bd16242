"""The whole cycle on the embedded stack in one process, as people would live through it.

Applicants register through the HTTP API over the weeks before the reminder (a few pairs
registered by a mayor's office); most confirm at once, some only after the reminder; a
script submits a small, clearly marked bulk of fakes (``seed.scripted_fake``), which
``applications suspicious`` flags; the deadline run decides; a few participants decline
through their manage links, one passes the seat to a colleague who confirms; the daily run
offers their seats to the waiting list; one offer is accepted, the others expire and move
on; the programme goes out a week before the event. Every email lands in the outbox, so it
holds each kind a person meets in the cycle.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

from registrar.application import HOLDS_SEAT, STATUSES, Application
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar.suspicious import find_bulk_patterns
from registrar_cli.commands.bulk import finding_json
from registrar_cli.runview import numbered_runs
from registrar_local.gateway import Gateway
from registrar_local.seed import (
    BULK_DOMAIN,
    confirm,
    confirm_links,
    manage_links,
    post_form,
    seed_applicants,
    submit_scripted_bulk,
    substitute_links,
)
from registrar_local.stack import LocalStack


def start_local(
    outbox: Path, now: dt.datetime, port: int, seed: int | None
) -> tuple[LocalStack, Gateway]:
    stack = LocalStack(outbox_dir=outbox, now=now, port=port, seed=seed)
    gateway = Gateway(stack)  # binds first: the stack needs the port for its links
    stack.start()
    gateway.start()
    return stack, gateway


LATE_CONFIRMERS = 20  # one applicant in this many confirms only after the reminder
DECLINES = 3  # participants who give their seat back after the deadline run
# The participant (after those who decline) who passes the seat to a colleague.
SUBSTITUTE = {
    "salutation": "frau",
    "given_name": "Jana",
    "family_name": "Probe",
    "function": "Stellvertretende Bürgermeisterin",
    "email": "vertretung001@example.org",
}


def seed_and_confirm(
    stack: LocalStack, conference: Conference, count: int, seed: int
) -> dict[str, int]:
    """Register ``count`` applicants over the weeks before the reminder; all but every
    LATE_CONFIRMERS-th confirm right away."""
    before = len(stack.outbox.entries)
    start = stack.clock.now()
    step = (_seeding_ends(conference) - start) / count

    def arrives(number: int) -> None:
        stack.clock.set(start + step * (number - 1))

    result, bodies = seed_applicants(conference, stack.api_url, count, seed, before_each=arrives)
    stack.drain_mail()
    receipts = [e.file for e in stack.outbox.entries[before:] if e.kind == "receipt"]
    links = confirm_links(stack.outbox_dir, receipts)
    prompt = [link for i, link in enumerate(links) if (i + 1) % LATE_CONFIRMERS != 0]
    confirmed = sum(1 for link in prompt if confirm(link) == 200)
    stack.drain_mail()
    return {
        "submitted": result.submitted,
        "on_behalf": sum(1 for body in bodies if body.get("on_behalf")),
        "refused": result.refused,
        "confirmed": confirmed,
    }


def _seeding_ends(conference: Conference) -> dt.datetime:
    """Applicants arrive until an hour before the reminder (or a day before the deadline)."""
    if conference.reminder_at is not None:
        return conference.reminder_at - dt.timedelta(hours=1)
    return conference.closes_at - dt.timedelta(days=1)


def scripted_bulk(stack: LocalStack, conference: Conference) -> dict[str, int]:
    """A script submits the clearly marked bulk of fakes (``seed.scripted_fake``), 20
    seconds apart from one address, and confirms each address at once."""
    before = len(stack.outbox.entries)
    start = stack.clock.now()

    def next_one(number: int) -> None:
        stack.clock.set(start + dt.timedelta(seconds=20 * number))

    result = submit_scripted_bulk(conference, stack.api_url, before_each=next_one)
    stack.drain_mail()
    receipts = [e.file for e in stack.outbox.entries[before:] if e.kind == "receipt"]
    links = confirm_links(stack.outbox_dir, receipts)
    confirmed = sum(1 for link in links if confirm(link, client_key=BULK_DOMAIN) == 200)
    stack.drain_mail()
    return {"submitted": result.submitted, "refused": result.refused, "confirmed": confirmed}


def confirm_after_reminder(stack: LocalStack) -> int:
    reminders = [e.file for e in stack.outbox.entries if e.kind == "confirm_reminder"]
    confirmed = sum(
        1 for link in confirm_links(stack.outbox_dir, reminders) if confirm(link) == 200
    )
    stack.drain_mail()
    return confirmed


def act_on_manage_links(stack: LocalStack, kind: str, action: str, count: int) -> int:
    """Follow the manage link of the first ``count`` emails of a kind and take an action."""
    files = [e.file for e in stack.outbox.entries if e.kind == kind][:count]
    done = 0
    for link in manage_links(stack.outbox_dir, files):
        token = urllib.parse.unquote(link.split("token=", 1)[1])
        fields = {"token": token, "action": action, "confirmed": "true"}
        done += post_form(f"{stack.api_url}/manage", fields) == 200
    stack.drain_mail()
    return done


def pass_a_seat(stack: LocalStack) -> int:
    """One participant names a colleague on the manage page; the colleague takes the seat
    over through the link in their email. 1 if the seat moved."""
    files = [e.file for e in stack.outbox.entries if e.kind == "accepted"]
    links = manage_links(stack.outbox_dir, files[DECLINES : DECLINES + 1])
    if not links:
        return 0
    token = urllib.parse.unquote(links[0].split("token=", 1)[1])
    fields = {"token": token, "action": "substitute", **SUBSTITUTE}
    if post_form(f"{stack.api_url}/manage", fields) != 200:
        return 0
    stack.drain_mail()
    offers = [e.file for e in stack.outbox.entries if e.kind == "substitute_confirm"]
    moved = sum(1 for link in substitute_links(stack.outbox_dir, offers) if confirm(link) == 200)
    stack.drain_mail()
    return moved


def live_through_the_cycle(
    stack: LocalStack, conference: Conference, applicants: int, seed: int
) -> dict[str, int]:
    seeded = seed_and_confirm(stack, conference, applicants, seed)
    seeded_bulk = scripted_bulk(stack, conference)
    seeded["scripted"] = seeded_bulk["submitted"]
    seeded["scripted_confirmed"] = seeded_bulk["confirmed"]
    if conference.reminder_at is not None:
        stack.advance_to(conference.reminder_at + dt.timedelta(hours=1))
        seeded["confirmed"] += confirm_after_reminder(stack)
    stack.advance_to(conference.closes_at + dt.timedelta(minutes=1))
    seeded["declined"] = act_on_manage_links(stack, "accepted", "decline", DECLINES)
    seeded["substituted"] = pass_a_seat(stack)
    # The next daily run offers the freed seats; one person accepts, the others let it lapse.
    stack.advance_to(conference.closes_at + dt.timedelta(days=1, hours=8))
    seeded["offers_accepted"] = act_on_manage_links(stack, "offered", "accept_offer", 1)
    programme = conference.programme_mail_at
    end = (programme or conference.closes_at + dt.timedelta(days=5)) + dt.timedelta(hours=1)
    stack.advance_to(end)
    return seeded


def tally(applications: list[Application], capacity: int) -> dict[str, Any]:
    """Counts that add up: each status on its own; seats taken are accepted plus offered."""
    kept = [a for a in applications if not a.erased]
    by_status = Counter(a.status for a in kept)
    by_group: dict[str, Counter[str]] = {}
    for application in kept:
        by_group.setdefault(application.group, Counter())[application.status] += 1
    seats_taken = sum(by_status[s] for s in HOLDS_SEAT)
    return {
        "capacity": capacity,
        "by_status": {s: by_status[s] for s in STATUSES if by_status[s]},
        "by_group": {g: dict(sorted(c.items())) for g, c in sorted(by_group.items())},
        "accepted": by_status["accepted"],
        "offered": by_status["offered"],
        "waitlisted": by_status["waitlisted"],
        "seats_taken": seats_taken,
        "seats_free": capacity - seats_taken,
    }


def summary(stack: LocalStack, conference: Conference, seeded: dict[str, int]) -> dict[str, Any]:
    applications = list(DynamoApplications().list(conference.id))
    runs = numbered_runs(DynamoRuns().list(conference.id))
    return {
        "event": conference.id,
        "applicants": seeded,
        **tally(applications, conference.admission.capacity),
        # What `registrar applications suspicious --json` says after the cycle.
        "suspicious": suspicious_findings(applications, conference),
        # Named as `registrar admissions history` names them (#1, its trigger, its start);
        # daily runs that changed nothing are counted, not listed.
        "runs": [
            _without(run, _NOT_SUMMARISED)
            for run in runs
            if run["trigger"] != "daily" or run["changes"]
        ],
        "daily_runs": sum(1 for run in runs if run["trigger"] == "daily"),
        "emails_by_kind": stack.outbox.count_by_kind(),
        "outbox": str(stack.outbox_dir / "index.html"),
    }


def suspicious_findings(applications: list[Application], conference: Conference) -> list[Any]:
    return [finding_json(f, conference.zone) for f in find_bulk_patterns(applications)]


# What `admissions show` tells of a run, not its summary: a run id differs from one demo to
# the next (the same seed gives the same summary); the lists are long.
_NOT_SUMMARISED = frozenset({"run_id", "passed_over", "change_counts", "expires_at"})


def _without(run: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in run.items() if key not in keys}


def run_demo(
    outbox: Path, applicants: int, seed: int, port: int, conference_id: str
) -> tuple[LocalStack, Gateway, dict[str, Any]]:
    from registrar.conference import load_conference

    conference = load_conference(conference_id)
    start = conference.opens_at + dt.timedelta(days=1)
    stack, gateway = start_local(outbox, start, port, seed)
    seeded = live_through_the_cycle(stack, conference, applicants, seed)
    return stack, gateway, summary(stack, conference, seeded)
