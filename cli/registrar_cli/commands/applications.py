"""``registrar applications``: list, show, export, cancel, accept, erase.

Parses, calls the domain (``registrar.services.organiser``), prints; nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.table import Table

from registrar.application import STATUSES, Application, Status
from registrar.conference import Conference
from registrar.services.organiser import OrganiserService, Outcome
from registrar_cli import wiring
from registrar_cli.context import (
    JsonOption,
    console,
    emit,
    guarded,
    local_time,
    settle,
    target,
    warn,
)
from registrar_cli.labels import workshop_label
from registrar_cli.progress import progress_bar

app = typer.Typer(no_args_is_help=True, help="Look at applications and change them by hand.")
Reference = Annotated[
    str,
    typer.Argument(metavar="EMAIL|REF", help="Email address or reference number (R-XXXX-XXXX)."),
]
Reason = Annotated[str, typer.Option("--reason", help="Why; recorded with the change.")]
StatusChoice = Status  # typer offers exactly the statuses the domain knows


def summary(application: Application, conference: Conference) -> dict[str, Any]:
    """One application as the list and JSON show it."""
    return {
        "public_id": application.public_id,
        "name": application.display_name,
        "salutation": application.salutation,
        "title": application.title,
        "function": application.function,
        "email": application.email,
        "organisation": application.organisation,
        "municipality": application.municipality,
        "group": application.group,
        "status": application.status,
        "confirmed": application.confirmed,
        "workshops": dict(application.workshops),
        "extras": dict(application.extras),
        "waitlist_position": application.waitlist_position,
        "submitted_at": local_time(application.submitted_at, conference.zone),
    }


@app.command("list")
@guarded
def list_applications(
    status: Annotated[StatusChoice | None, typer.Option(help="Only this status.")] = None,
    group: Annotated[str | None, typer.Option(help="Only this attendee group (its id).")] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Applications with status, workshops and tour, waiting list first in its order."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    if group is not None and group not in conference.group_ids:
        raise typer.BadParameter(
            f"{group!r} is not a group; use one of {', '.join(conference.group_ids)}",
            param_hint="--group",
        )
    found = [
        a
        for a in services.applications.list(conference.id)
        if not a.erased
        and (status is None or a.status == status)
        and (group is None or a.group == group)
    ]
    order = {s: i for i, s in enumerate(STATUSES)}
    found.sort(
        key=lambda a: (order[a.status], a.waitlist_position or 0, a.family_name, a.given_name)
    )
    rows = [summary(a, conference) for a in found]

    def render(rows: list[dict[str, Any]]) -> None:
        table = Table(title=f"{len(rows)} applications", title_justify="left")
        table.add_column("ref", no_wrap=True)
        table.add_column("name")
        table.add_column("organisation", max_width=28, overflow="ellipsis")
        table.add_column("group", overflow="ellipsis")
        table.add_column("status", no_wrap=True)
        table.add_column("conf.")
        for slot in conference.workshop_slots:
            table.add_column(f"{slot.date:%d.%m.}", no_wrap=True)
        for extra in conference.extras:
            table.add_column(extra.id, overflow="ellipsis")
        for r in rows:
            status_text = r["status"]
            if r["waitlist_position"]:
                status_text += f" #{r['waitlist_position']}"
            table.add_row(
                r["public_id"],
                r["name"],
                r["organisation"],
                r["group"],
                status_text,
                "yes" if r["confirmed"] else "no",
                *(
                    workshop_label(conference, s.id, r["workshops"].get(s.id), room=False)
                    for s in conference.workshop_slots
                ),
                *(r["extras"].get(e.id, "") for e in conference.extras),
            )
        console.print(table)

    emit(rows, as_json, render)


@app.command("show")
@guarded
def show(reference: Reference, as_json: Annotated[bool, JsonOption] = False) -> None:
    """One application with everything it holds and its history."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    application = services.organiser.find(reference)
    # ``confirmed`` is derived (an address is confirmed once it has a time): said outright.
    data = {**application.model_dump(mode="json"), "confirmed": application.confirmed}

    def render(_: Any) -> None:
        a = application
        console.print(f"[bold]{a.public_id}[/bold] {a.display_name} <{a.email}>", highlight=False)
        facts = [
            ("salutation", a.salutation),
            ("title", a.title),
            ("function", a.function),
            ("organisation", f"{a.organisation}, {a.municipality} ({a.region})"),
            ("group", f"{a.group} (role {a.role})" if a.role and a.role != a.group else a.group),
            ("status", a.status + (f" #{a.waitlist_position}" if a.waitlist_position else "")),
            ("confirmed", local_time(a.confirmed_at, conference.zone) or "no"),
            ("submitted", local_time(a.submitted_at, conference.zone)),
            ("language", a.language),
            ("offer expires", local_time(a.offer_expires_at, conference.zone)),
        ]
        for slot in conference.workshop_slots:
            ranking = ", ".join(a.rankings.get(slot.id, []))
            held = workshop_label(conference, slot.id, a.workshops.get(slot.id))
            facts.append((f"workshop {slot.date:%d.%m.}", f"{held or '-'}  (ranked {ranking})"))
        for extra in conference.extras:
            wanted = extra.id in a.extras_wanted
            facts.append((extra.id, a.extras.get(extra.id, "wanted" if wanted else "not wanted")))
        needs = ", ".join(a.accessibility) + (
            f" ({a.accessibility_note})" if a.accessibility_note else ""
        )
        facts += [("accessibility", needs), ("dietary", f"{a.dietary} {a.dietary_note}".strip())]
        facts.append(("undeliverable", "yes") if a.undeliverable else ("", ""))
        for name, value in facts:
            if name and value:
                console.print(f"  {name:<16}{value}", highlight=False)
        history = Table("at", "action", "by", "detail", title="History", title_justify="left")
        for entry in a.history:
            history.add_row(
                local_time(entry.at, conference.zone), entry.action, entry.actor, entry.detail
            )
        console.print(history)

    emit(data, as_json, render)


@app.command("export")
@guarded
def export(
    format: Annotated[Literal["csv", "json"], typer.Option(help="File format.")] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write here instead of standard output.")
    ] = None,
    include_all: Annotated[
        bool, typer.Option("--all", help="Everyone not erased, with status, not just participants.")
    ] = False,
    delimiter: Annotated[
        str, typer.Option(help="CSV separator; ';' is what German Excel expects.")
    ] = ";",
    lang: Annotated[
        Literal["de", "en"], typer.Option(help="Language of group, workshop and tour values.")
    ] = "de",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """The participants list for name badges and room lists (accepted people, A-Z)."""
    from registrar_cli import export as participants_export

    if len(delimiter) != 1:
        raise typer.BadParameter("give one character, e.g. ';' or ','", param_hint="--delimiter")
    if as_json and output is None:
        raise typer.BadParameter("--json prints a summary: give --output for the file")
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    read: list[Application] = []
    with progress_bar("Reading applications", None, hidden=as_json) as advance:
        for application in services.applications.list(conference.id):
            read.append(application)
            advance(len(read))
    people = participants_export.participants(read, include_all)
    cols = participants_export.columns(conference, with_status=include_all)
    rows = participants_export.build_rows(people, conference, lang)
    if format == "csv":
        text = participants_export.to_csv(rows, cols, delimiter)
    else:
        import json

        keys = [key for key, _ in cols]
        text = json.dumps([{k: r.get(k) for k in keys} for r in rows], ensure_ascii=False, indent=1)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8", newline="")
    data = {"rows": len(rows), "output": str(output), "format": format}
    emit(data, as_json, lambda d: console.print(f"{d['rows']} rows written to {d['output']}"))


def _print_outcome(outcome: Outcome, before: str, as_json: bool) -> None:
    a = outcome.application
    data = {
        "public_id": a.public_id,
        "status_before": before,
        "status": a.status,
        "changed": outcome.changed,
        "erased": a.erased,
        "workshops": dict(a.workshops),
        "extras": dict(a.extras),
        "mails": [{"kind": m.kind, "message_id": m.message_id} for m in outcome.mails],
        "warnings": list(outcome.warnings),
    }

    def render(d: dict[str, Any]) -> None:
        if a.erased:
            change = f"personal data erased (status {d['status']} kept for the counts)"
        elif d["changed"]:
            change = f"{d['status_before']} -> {d['status']}"
        else:
            change = "unchanged"
        console.print(f"{d['public_id']}: {change}", highlight=False)
        for mail in d["mails"]:
            console.print(f"  queued email: {mail['kind']} ({mail['message_id'][:12]})")

    emit(data, as_json, render)
    for warning in outcome.warnings:
        warn(warning)


@app.command("cancel")
@guarded
def cancel(
    reference: Reference, reason: Reason, as_json: Annotated[bool, JsonOption] = False
) -> None:
    """Cancel on someone's behalf; their seat goes to the waiting list at the next run."""
    _decide_by_hand(reference, as_json, lambda organiser: organiser.cancel(reference, reason))


@app.command("accept")
@guarded
def accept(
    reference: Reference, reason: Reason, as_json: Annotated[bool, JsonOption] = False
) -> None:
    """Admit someone by hand (recorded with the reason); warns if capacity is exceeded."""
    _decide_by_hand(reference, as_json, lambda organiser: organiser.force_accept(reference, reason))


def _decide_by_hand(
    reference: str, as_json: bool, decide: Callable[[OrganiserService], Outcome]
) -> None:
    stack = target()
    organiser = wiring.services(stack).organiser
    before = organiser.find(reference).status
    outcome = decide(organiser)
    settle(stack)
    _print_outcome(outcome, before, as_json)


@app.command("erase")
@guarded
def erase(
    reference: Reference,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Right to erasure: remove the person's data; status and group stay for the counts."""
    stack = target()
    organiser = wiring.services(stack).organiser
    found = organiser.find(reference)
    if not yes:
        typer.confirm(
            f"Erase {found.public_id} ({found.display_name})? This cannot be undone",
            abort=True,
            err=True,
        )
    outcome = organiser.erase(reference)
    _print_outcome(outcome, found.status, as_json)
