"""The organiser's overview of one event: counts, seats, last run, mail, what is still unset.

``collect_status`` reads the stack; ``status_view`` turns its answer into what a person reads
(pure, so its width and wording are tested without a stack).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from registrar.application import HOLDS_SEAT, STATUSES, Application
from registrar.conference import Conference, unset_by_organisers
from registrar_cli import wiring
from registrar_cli.target import Target
from registrar_cli.text import local_time, plural, shown, until


def collect_status(target: Target, now: dt.datetime) -> dict[str, Any]:
    services = wiring.services(target)  # points the models at this stack's tables
    conference = services.conference
    applications = list(services.applications.list(conference.id))
    by_status: Counter[str] = Counter()
    by_group: dict[str, Counter[str]] = {g: Counter() for g in conference.group_ids}
    by_group_split: dict[str, Counter[str]] = {g: Counter() for g in conference.group_ids}
    unconfirmed = 0
    for application in applications:
        if application.erased:
            continue
        if not application.confirmed:
            unconfirmed += 1
        by_status[application.status] += 1
        by_group.setdefault(application.group, Counter())[application.status] += 1
        by_group_split.setdefault(application.group, Counter())[split_status(application)] += 1
    seats_taken = sum(by_status[status] for status in HOLDS_SEAT)
    runs = services.runs.list(conference.id)
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
        "closes_at": conference.closes_at.isoformat(),
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
        # "new" split by whether the address is confirmed; the other statuses as they are
        "by_group_split": {
            group: {column: counts[column] for column in SPLIT_COLUMNS if counts[column]}
            for group, counts in by_group_split.items()
            if counts
        },
        "undeliverable": sum(1 for a in applications if a.undeliverable),
        "last_run": applied[-1].model_dump(mode="json", exclude={"changes"}) if applied else None,
        "mail_queue": depth(target.outputs["MailQueueUrl"]),
        "mail_failed": depth(target.outputs["MailDeadLetterQueueUrl"]),
        "runs_applied": len(applied),
        "reserved": {g.id: g.reserved for g in conference.attendee_groups},
        "unset_by_organisers": unset_by_organisers(conference.id),
    }


SPLIT_COLUMNS: tuple[str, ...] = ("new_unconfirmed", "new_confirmed", *STATUSES[1:])
_HEADERS = {
    "new_unconfirmed": "new, not confirmed",
    "new_confirmed": "new, confirmed",
    "waitlisted": "waiting list",
    "not_admitted": "not admitted",
    "expired": "offer expired",
    "late": "confirmed late",
}


def split_status(application: Application) -> str:
    if application.status != "new":
        return application.status
    return "new_confirmed" if application.confirmed else "new_unconfirmed"


def status_view(
    d: dict[str, Any], event: Conference, *, wide: bool = False
) -> list[RenderableType]:
    """The overview as sentences and tables with total rows, within 80 characters.

    Ten statuses by eight groups cannot fit 80 columns: by default one table counts the
    statuses, another the groups (seats against their reservation, waiting list); ``wide``
    shows the whole group-by-status table.
    """
    now = dt.datetime.fromisoformat(d["now"])
    deadline = dt.datetime.fromisoformat(d["deadline"])
    closes = dt.datetime.fromisoformat(d["closes_at"])
    if d["registration"] == "not_open":
        registration = f"Registration has not opened; deadline {local_time(deadline, event)}"
    elif d["registration"] == "open":
        registration = f"Registration open until {until(deadline, closes, now, event)}"
    else:
        registration = f"Registration {until(deadline, closes, now, event)}"
    parts: list[RenderableType] = [
        Text.assemble((d["title"], "bold"), f" ({d['event']})"),
        Text(f"{registration}. Clock: {local_time(now, event)}."),
        Text(
            f"Seats: {d['seats_taken']} of {d['capacity']} taken "
            f"({d['by_status'].get('accepted', 0)} accepted, "
            f"{d['by_status'].get('offered', 0)} offered), {d['seats_free']} free."
        ),
    ]
    split = d["by_group_split"]
    columns = [c for c in SPLIT_COLUMNS if any(counts.get(c) for counts in split.values())]
    totals = {c: sum(counts.get(c, 0) for counts in split.values()) for c in columns}
    title = f"{plural(d['applications'], 'application')} ({d['erased']} erased, not counted)"
    parts.append(Text(f"{title}:"))
    if wide:
        parts.append(_matrix(split, columns, totals))
    else:
        parts += [_by_status(totals), _by_group(split, d.get("reserved", {}))]
    run = d["last_run"]
    parts.append(
        Text(
            f"Last run: #{d['runs_applied']} ({run['trigger']}), "
            f"{local_time(run['started_at'], event)}."
            if run
            else "Last run: none yet."
        )
    )
    parts.append(
        Text(
            f"Mail: {plural(d['mail_queue'], 'email')} queued, {d['mail_failed']} failed; "
            f"{plural(d['undeliverable'], 'address', 'addresses')} undeliverable."
        )
    )
    unset = d["unset_by_organisers"]
    if unset:
        parts.append(
            Text(
                f"Still marked 'ORGANISERS: set' in the definition ({len(unset)}): "
                + ", ".join(unset)
                + "."
            )
        )
    return parts


def _table(title: str | None = None) -> Table:
    return Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        show_footer=True,
        title=title,
        title_justify="left",
    )


def _by_status(totals: dict[str, int]) -> Table:
    table = _table()
    table.add_column("status", footer="total", no_wrap=True)
    table.add_column("count", justify="right", footer=str(sum(totals.values())))
    for column, count in totals.items():
        table.add_row(_HEADERS.get(column, column.replace("_", " ")), str(count))
    return table


def _by_group(split: dict[str, dict[str, int]], reserved: dict[str, int]) -> Table:
    table = _table("By group: seats (accepted + offered) against the reserved seats")
    headers = ("applications", "seats", "reserved", "waiting list", "new, not confirmed")
    rows = []
    for group, counts in split.items():
        seats = counts.get("accepted", 0) + counts.get("offered", 0)
        values = (
            sum(counts.values()),
            seats,
            reserved.get(group, 0),
            counts.get("waitlisted", 0),
            counts.get("new_unconfirmed", 0),
        )
        rows.append((group, values))
    table.add_column("group", footer="total", no_wrap=True)
    for index, header in enumerate(headers):
        table.add_column(
            header, justify="right", footer=str(sum(values[index] for _, values in rows))
        )
    for group, values in rows:
        table.add_row(shown(group.replace("_", " ")), *map(str, values))
    return table


def _matrix(split: dict[str, dict[str, int]], columns: list[str], totals: dict[str, int]) -> Table:
    table = _table()
    table.add_column("group", footer="total", no_wrap=True)
    for column in columns:
        table.add_column(_HEADERS.get(column, column), justify="right", footer=str(totals[column]))
    table.add_column("total", justify="right", footer=str(sum(totals.values())))
    for group, counts in split.items():
        table.add_row(
            shown(group.replace("_", " ")),
            *(str(counts.get(c, 0)) for c in columns),
            str(sum(counts.values())),
        )
    return table
