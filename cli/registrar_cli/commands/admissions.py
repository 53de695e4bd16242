"""``registrar admissions``: run (dry-run first, then --apply), history, show.

A run is always the admissions function's work, invoked on the stack (``registrar_cli.invoker``);
the CLI only shows what it would change or changed.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Column, Table

from registrar.conference import Conference
from registrar.runs import AdmissionRun
from registrar.services.factory import Services
from registrar_cli import invoker as invokers
from registrar_cli import wiring
from registrar_cli.context import (
    CommandFailed,
    JsonOption,
    console,
    emit,
    guarded,
    local_time,
    print_json,
    refusal,
    target,
    warn,
)
from registrar_cli.invoker import FunctionInvoker
from registrar_cli.labels import workshop_label
from registrar_cli.rundiff import describe, snapshot

app = typer.Typer(no_args_is_help=True, help="Admission runs: re-run after changes, audit.")
SHOWN_ROWS = 25


def _invoke(
    invoker: FunctionInvoker,
    conference: Conference,
    *,
    dry_run: bool,
    seed: str | None,
    reason: str,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"trigger": "organiser", "dry_run": dry_run, "reason": reason}
    if seed:
        payload["seed"] = seed
    answer = invoker.invoke(payload)
    if not answer.get("ok"):
        code = str(answer.get("error", "unknown"))
        if code == "registration_open":
            deadline = local_time(conference.deadline, conference.zone)
            raise CommandFailed(
                f"Registration is open until {deadline}; admissions run after the deadline."
            )
        raise CommandFailed(refusal(code) or f"The admissions function refused ({code}).")
    run: dict[str, Any] = answer["run"]
    return run


def _table(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    if not rows:
        return
    table = Table(*headers, title=f"{title} ({len(rows)})", title_justify="left")
    for row in rows[:SHOWN_ROWS]:
        table.add_row(*row)
    console.print(table)
    if len(rows) > SHOWN_ROWS:
        console.print(f"  … and {len(rows) - SHOWN_ROWS} more (--json lists all)")


def render_diff(diff: dict[str, Any], conference: Conference) -> None:
    label = "Dry run" if diff["dry_run"] else "Applied run"
    console.print(
        f"[bold]{label}[/bold] {diff['run_id']}: {diff['eligible']} eligible, "
        f"lottery seed {diff['seed'][:16]}",
        highlight=False,
    )
    seats = diff["seats"]
    console.print(f"Seats: {seats['taken']} taken, {seats['free']} free of {seats['capacity']}")
    if not diff["transitions"]:
        console.print("Nothing changes.")
    else:
        changes = ", ".join(f"{k}: {v}" for k, v in diff["transitions"].items())
        console.print(f"Changes: {changes}", highlight=False)

    def workshops(chosen: dict[str, str]) -> str:
        return ", ".join(
            workshop_label(conference, s.id, chosen[s.id])
            for s in conference.workshop_slots
            if s.id in chosen
        )

    _table(
        "Moved up from the waiting list",
        ("ref", "name", "group", "to", "workshops", "extras"),
        [
            (
                m["public_id"],
                m["name"],
                m["group"],
                m["to"],
                workshops(m["workshops"]),
                ", ".join(f"{k}: {v}" for k, v in m["extras"].items()),
            )
            for m in diff["moved_up"]
        ],
    )
    _table(
        "Losing their seat",
        ("ref", "name", "from", "to"),
        [(m["public_id"], m["name"], m["from"], m["to"]) for m in diff["lost_seat"]],
    )
    _table(
        "Tour and other extras",
        ("ref", "name", "extra", "from", "to"),
        [(t["public_id"], t["name"], t["extra"], t["from"] or "-", t["to"]) for t in diff["tour"]],
    )
    _table(
        "Workshop changes",
        ("ref", "name", "slot", "from", "to"),
        [
            (w["public_id"], w["name"], w["slot"], w["from"] or "-", w["to"])
            for w in diff["workshop_changes"]
        ],
    )
    emails = ", ".join(f"{k}: {v}" for k, v in sorted(diff["emails"].items())) or "none"
    verb = "Emails it would send" if diff["dry_run"] else "Emails queued"
    console.print(f"{verb}: {emails}", highlight=False)


@app.command("run")
@guarded
def run(
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the decisions and send the emails.")
    ] = False,
    seed: Annotated[
        str | None, typer.Option(help="Lottery seed for the first run (later runs keep theirs).")
    ] = None,
    reason: Annotated[str, typer.Option(help="Recorded with the run.")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Show what a run would change (dry run); with --apply, write it and send the emails."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    repository = services.applications
    invoker = invokers.admissions_invoker(stack)
    if seed:
        applied_before = [r for r in services.runs.list(conference.id) if not r.dry_run]
        if applied_before:
            fixed = applied_before[0].seed
            warn(f"The lottery seed was fixed by the first run ({fixed}); --seed is ignored.")
    before = snapshot(repository.list(conference.id))
    preview = describe(_invoke(invoker, conference, dry_run=True, seed=seed, reason=reason), before)
    if not as_json:
        render_diff(preview, conference)
    if not apply:
        if as_json:
            print_json({"applied": False, "preview": preview})
        else:
            console.print("Nothing was written. Add --apply to write it and send the emails.")
        return
    if not yes:
        emails = sum(preview["emails"].values())
        typer.confirm(f"Apply this run and send {emails} emails?", abort=True, err=True)
    before = snapshot(repository.list(conference.id))  # as it is now, for the applied diff
    applied = describe(
        _invoke(invoker, conference, dry_run=False, seed=seed, reason=reason), before
    )  # locally, the invocation also hands the queued mail to the mailer, as SQS would
    if as_json:
        print_json({"applied": True, "preview": preview, "run": applied})
        return
    if applied["transitions"] != preview["transitions"]:
        console.print("Applications changed since the dry run; this is what was applied:")
        render_diff(applied, conference)
    console.print(f"Applied as run {applied['run_id']}.", highlight=False)


def _organiser_actions(services: Services) -> list[dict[str, Any]]:
    actions = [
        {
            "at": entry.at.isoformat(),
            "public_id": application.public_id,
            "action": entry.action,
            "detail": entry.detail,
        }
        for application in services.applications.list(services.conference.id)
        for entry in application.history
        if entry.actor == "organiser"
    ]
    return sorted(actions, key=lambda a: a["at"])


@app.command("history")
@guarded
def history(as_json: Annotated[bool, JsonOption] = False) -> None:
    """Applied runs with their audit records, and organisers' changes by hand."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    runs = [r for r in services.runs.list(conference.id) if not r.dry_run]
    data = {
        "runs": [
            r.model_dump(mode="json", exclude={"changes"})
            | {"changes": sum(r.change_counts.values()) or len(r.changes)}
            for r in runs
        ],
        "organiser_actions": _organiser_actions(services),
    }

    def render(d: dict[str, Any]) -> None:
        table = Table(
            Column("run", no_wrap=True),
            "trigger",
            "started",
            "changes",
            "emails",
            "seats",
            "reason",
            title=f"{len(d['runs'])} admission runs",
            title_justify="left",
        )
        for r in d["runs"]:
            table.add_row(
                r["run_id"],
                r["trigger"],
                local_time(r["started_at"], conference.zone),
                str(r["changes"]),
                str(sum(r["emails_queued"].values())),
                str(r["stats"].get("seats_taken", "")),
                r["reason"],
            )
        console.print(table)
        if not d["organiser_actions"]:
            console.print("No changes by organisers.")
            return
        manual = Table(
            "at", "ref", "action", "detail", title="Changes by organisers", title_justify="left"
        )
        for a in d["organiser_actions"]:
            manual.add_row(
                local_time(a["at"], conference.zone), a["public_id"], a["action"], a["detail"]
            )
        console.print(manual)

    emit(data, as_json, render)


def _find_run(runs: list[AdmissionRun], run_id: str) -> AdmissionRun:
    matches = [r for r in runs if r.run_id == run_id] or [
        r for r in runs if r.run_id.startswith(run_id)
    ]
    if len(matches) != 1:
        problem = "No run" if not matches else "More than one run starts with"
        raise CommandFailed(f"{problem} {run_id!r}; `registrar admissions history` lists them.")
    return matches[0]


@app.command("show")
@guarded
def show(
    run_id: Annotated[str, typer.Argument(metavar="RUN", help="Run id (or its unique beginning).")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """One run: trigger, seed, inputs digest, counts, workshop fill, every change."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    found = _find_run(services.runs.list(conference.id), run_id)
    data = found.model_dump(mode="json")

    def render(d: dict[str, Any]) -> None:
        for name, value in (
            ("run", d["run_id"]),
            ("trigger", d["trigger"]),
            ("started", local_time(d["started_at"], conference.zone)),
            ("seed", d["seed"]),
            ("inputs digest", d["inputs_digest"]),
            ("eligible", d["eligible"]),
            ("reason", d["reason"]),
        ):
            console.print(f"  {name:<15}{value}", highlight=False)
        stats = d["stats"]
        statuses = ", ".join(f"{k}: {v}" for k, v in stats.get("statuses", {}).items() if v)
        console.print(f"  {'decisions':<15}{statuses}", highlight=False)
        fill = Table(
            "slot", "workshop", "participants", "capacity", title="Workshops", title_justify="left"
        )
        for slot in conference.workshop_slots:
            for workshop in slot.workshops:
                count = stats.get("workshops", {}).get(slot.id, {}).get(workshop.id, 0)
                fill.add_row(slot.id, workshop.id, str(count), str(workshop.capacity))
        console.print(fill)
        for slot_id, counts in stats.get("choices", {}).items():
            ranks = ", ".join(f"{n}. choice: {c}" for n, c in enumerate(counts, start=1))
            console.print(f"  {slot_id}: {ranks}")
        for extra_id, counts in stats.get("extras", {}).items():
            places, waiting = counts.get("place", 0), counts.get("waitlist", 0)
            console.print(
                f"  {extra_id}: {places} places of {counts.get('capacity')}, {waiting} waiting"
            )
        diff = describe(d, {})
        _table(
            "Changes",
            ("ref", "from", "to", "workshops", "extras"),
            [
                (
                    c["public_id"],
                    c["before"],
                    c["after"],
                    ", ".join(c["workshops"].values()),
                    ", ".join(f"{k}: {v}" for k, v in c["extras"].items()),
                )
                for c in d["changes"]
            ],
        )
        console.print(f"Emails queued: {diff['emails'] or 'none'}", highlight=False)

    emit(data, as_json, render)
