"""``registrar admissions``: run (dry-run first, then --apply), history, show.

A run is always the admissions function's work, invoked on the stack (``registrar_cli.invoker``);
the CLI only shows what it would change or changed.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

import typer
from rich.table import Table

from registrar.conference import Conference
from registrar.runs import AdmissionRun
from registrar.services.factory import Services
from registrar_cli import invoker as invokers
from registrar_cli import wiring
from registrar_cli.context import (
    CommandFailed,
    JsonOption,
    confirm,
    console,
    emit,
    err_console,
    guarded,
    now,
    print_json,
    refusal,
    target,
)
from registrar_cli.invoker import FunctionInvoker
from registrar_cli.labels import mail_kind_label
from registrar_cli.rundiff import describe, snapshot
from registrar_cli.runview import changes_table, numbered_runs, person_changes, runs_table
from registrar_cli.text import event_day, local_time, plural, shown
from registrar_cli.views import history_detail
from registrar_cli.views import table as plain_table

app = typer.Typer(no_args_is_help=True, help="Admission runs: re-run after changes, audit.")
SHOWN_ROWS = 25


def _invoke(
    invoker: FunctionInvoker,
    conference: Conference,
    *,
    dry_run: bool,
    reason: str,
    as_if_closed: bool = False,
) -> dict[str, Any]:
    payload: dict[str, Any] = {"trigger": "organiser", "dry_run": dry_run, "reason": reason}
    if as_if_closed:
        payload["as_if_closed"] = True
    answer = invoker.invoke(payload)
    if not answer.get("ok"):
        code = str(answer.get("error", "unknown"))
        if code == "registration_open":
            raise CommandFailed(_still_open(conference))
        raise CommandFailed(refusal(code) or f"The admissions function refused ({code}).")
    run: dict[str, Any] = answer["run"]
    return run


def _still_open(conference: Conference) -> str:
    deadline = local_time(conference.deadline, conference)
    return (
        f"Registration is open until {deadline}: a run can be applied only after the "
        "deadline (without --apply you see a preview as if the deadline were now)."
    )


def render_diff(
    diff: dict[str, Any], changes: list[dict[str, Any]], conference: Conference
) -> None:
    if diff.get("as_if_closed"):
        label = "Preview as if the deadline were now"
    elif diff["dry_run"]:
        label = "Dry run"
    else:
        label = "Applied run"
    console.print(
        f"[bold]{label}[/bold]: {plural(diff['eligible'], 'eligible application')}, "
        f"lottery seed {shown(diff['seed'][:16])}",
        highlight=False,
    )
    seats = diff["seats"]
    console.print(
        f"Seats: {seats['taken']} of {seats['capacity']} taken, {seats['free']} free.",
        highlight=False,
    )
    if not diff["transitions"]:
        console.print("Nothing changes.")
    else:
        counts = ", ".join(
            f"{k.replace(' -> ', ' → ')}: {v}" for k, v in diff["transitions"].items()
        )
        console.print(f"Changes: {shown(counts)}", highlight=False)
    if changes:
        console.print(changes_table(changes, conference, limit=SHOWN_ROWS))
        if len(changes) > SHOWN_ROWS:
            console.print(f"  … and {len(changes) - SHOWN_ROWS} more (--json lists all)")
    passed_over = Counter(
        "over the organisation cap"
        if p["reason"] == "organisation_cap"
        else f"seat reserved for group {p['group']}"
        for p in diff.get("passed_over", [])
    )
    if passed_over:
        reasons = ", ".join(f"{why}: {n}" for why, n in passed_over.items())
        console.print(
            f"Passed over in the waiting list ({reasons}); --json names them.", highlight=False
        )
    emails = ", ".join(
        f"{mail_kind_label(k, conference.default_language)} ({k}): {v}"
        for k, v in sorted(diff["emails"].items())
    )
    verb = "Emails it would send" if diff["dry_run"] else "Emails queued"
    console.print(f"{verb}: {emails or 'none'}", highlight=False)


@app.command("run")
@guarded
def run(
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the decisions and send the emails.")
    ] = False,
    seed: Annotated[
        str | None,
        typer.Option(
            help="Refused: the seed follows from the committed lottery secret, never chosen."
        ),
    ] = None,
    reason: Annotated[str, typer.Option(help="Recorded with the run.")] = "",
    yes: Annotated[bool, typer.Option("--yes", help="Apply without asking.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Who would move where (dry run; before the deadline, as if it were now); --apply does it."""
    stack = target()
    services = wiring.services(stack)
    if seed is not None:
        err_console.print(
            "--seed is refused: the lottery is committed (SHA-256 "
            f"{services.lottery.commitment()}), so its seed follows from the committed secret"
            " and nobody can choose or re-roll it; every dry run and --apply use that seed.",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    conference = services.conference
    before_deadline = now(stack) < conference.closes_at
    if apply and before_deadline:
        raise CommandFailed(_still_open(conference))
    repository = services.applications
    invoker = invokers.admissions_invoker(stack)
    before = snapshot(repository.list(conference.id))
    preview_run = _invoke(
        invoker, conference, dry_run=True, reason=reason, as_if_closed=before_deadline
    )
    preview = describe(preview_run, before) | {"as_if_closed": before_deadline}
    preview_changes = person_changes(preview_run, before)
    if not as_json:
        render_diff(preview, preview_changes, conference)
    if not apply:
        if as_json:
            print_json({"applied": False, "preview": preview, "changes": preview_changes})
        elif before_deadline:
            console.print(
                "Nothing was written. Registration is still open: who applies may still "
                "change, so who gets a seat may differ; --apply works after "
                f"{local_time(conference.deadline, conference)}.",
                highlight=False,
            )
        else:
            console.print("Nothing was written. Add --apply to write it and send the emails.")
        return
    emails = sum(preview["emails"].values())
    confirm(f"Apply this run and send {plural(emails, 'email')}?", yes)
    before = snapshot(repository.list(conference.id))  # as it is now, for the applied diff
    applied_run = _invoke(invoker, conference, dry_run=False, reason=reason)
    applied = describe(applied_run, before)  # locally, the mail is handed on as SQS would
    applied_changes = person_changes(applied_run, before)
    if as_json:
        print_json(
            {"applied": True, "preview": preview, "run": applied, "changes": applied_changes}
        )
        return
    still_running = continuing_note(applied_run)
    if still_running:
        console.print(still_running, highlight=False)
    elif applied["transitions"] != preview["transitions"]:
        console.print("Applications changed since the dry run; this is what was applied:")
        render_diff(applied, applied_changes, conference)
    console.print(f"Applied as run {shown(applied['run_id'])}.", highlight=False)


def continuing_note(run: dict[str, Any]) -> str | None:
    """What to say of an applied run that stopped at a checkpoint and goes on by itself."""
    if run.get("dry_run") or run.get("finished_at") is not None:
        return None
    written = sum(run.get("change_counts", {}).values())
    return (
        f"{plural(written, 'decision')} written so far. The run stopped at a checkpoint to "
        "stay inside the function's time limit and goes on by itself in a new invocation; "
        "`registrar admissions history` shows it finished."
    )


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
    """Applied runs (#1, #2, … in order) and the organisers' changes by hand."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    data = {
        "runs": numbered_runs(services.runs.list(conference.id)),
        "organiser_actions": _organiser_actions(services),
    }

    def render(d: dict[str, Any]) -> None:
        title = f"{plural(len(d['runs']), 'admission run')} applied"
        console.print(runs_table(title, d["runs"], conference))
        if not d["organiser_actions"]:
            console.print("No changes by organisers.")
            return
        manual = plain_table(f"Changes by organisers ({len(d['organiser_actions'])})")
        manual.add_column("at", no_wrap=True)
        manual.add_column("ref", no_wrap=True)
        manual.add_column("what")
        manual.add_column("detail", overflow="fold")
        for action in d["organiser_actions"]:
            manual.add_row(
                local_time(action["at"], conference),
                shown(action["public_id"]),
                shown(action["action"]),
                shown(history_detail(action["detail"], conference)),
            )
        console.print(manual)

    emit(data, as_json, render)


def _find_run(runs: list[AdmissionRun], wanted: str) -> tuple[int, AdmissionRun]:
    """By number (``#2`` or ``2``, as history numbers them) or by run id or its beginning."""
    numbered = list(enumerate(runs, start=1))
    number = wanted.removeprefix("#")
    if number.isdigit() and (wanted.startswith("#") or len(number) <= 3):
        matches = [(n, r) for n, r in numbered if n == int(number)]
    else:
        matches = [(n, r) for n, r in numbered if r.run_id == wanted] or [
            (n, r) for n, r in numbered if r.run_id.startswith(wanted)
        ]
    if len(matches) != 1:
        problem = "No run" if not matches else "More than one run starts with"
        raise CommandFailed(f"{problem} {wanted!r}; `registrar admissions history` lists them.")
    return matches[0]


@app.command("show")
@guarded
def show(
    run_id: Annotated[
        str, typer.Argument(metavar="RUN", help="Run number (#2, as history shows) or run id.")
    ],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """One run: trigger, seed, inputs digest, counts, workshop fill, every change."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    number, found = _find_run(wiring.applied_runs(services), run_id)
    data = found.model_dump(mode="json") | {"number": number}
    names = {a.public_id: a.display_name for a in services.applications.list(conference.id)}

    def render(d: dict[str, Any]) -> None:
        console.print(
            f"[bold]Run #{number}[/bold] ({shown(d['trigger'])}), "
            f"{local_time(d['started_at'], conference)}",
            highlight=False,
        )
        stats = d["stats"]
        statuses = ", ".join(f"{k}: {v}" for k, v in stats.get("statuses", {}).items() if v)
        facts = Table.grid(padding=(0, 2))
        facts.add_column(no_wrap=True)
        facts.add_column(overflow="fold")
        for name, value in (
            ("run id", d["run_id"]),
            ("seed", d["seed"]),
            ("inputs digest", d["inputs_digest"]),
            ("eligible", d["eligible"]),
            ("decisions", statuses),
            ("reason", d["reason"]),
        ):
            if value != "":
                facts.add_row(name, shown(value))
        console.print(facts)
        fill = plain_table("Workshops")
        fill.add_column("day", no_wrap=True)
        fill.add_column("workshop", overflow="fold")
        fill.add_column("room")
        fill.add_column("participants", justify="right")
        fill.add_column("capacity", justify="right")
        for slot in conference.workshop_slots:
            for workshop in slot.workshops:
                count = stats.get("workshops", {}).get(slot.id, {}).get(workshop.id, 0)
                title = conference.text(workshop.title, conference.default_language)
                fill.add_row(
                    event_day(slot.date, conference),
                    shown(title),
                    shown(workshop.room),
                    str(count),
                    str(workshop.capacity),
                )
        console.print(fill)
        for slot_id, counts in stats.get("choices", {}).items():
            ranks = ", ".join(f"{n}. choice: {c}" for n, c in enumerate(counts, start=1))
            console.print(f"  {event_day(conference.slot(slot_id).date, conference)}: {ranks}")
        for extra_id, counts in stats.get("extras", {}).items():
            places, waiting = counts.get("place", 0), counts.get("waitlist", 0)
            console.print(
                f"  {shown(extra_id.replace('_', ' '))}: {places} places of "
                f"{counts.get('capacity')}, {waiting} on its waiting list"
            )
        changes = [
            c | {"name": names.get(c["ref"], "")} for c in person_changes(d, {})
        ]  # tours as they were before the run are not recorded: shown as where they end
        if changes:
            console.print(changes_table(changes, conference, limit=SHOWN_ROWS))
        if d.get("changes_truncated"):
            console.print("  (the record keeps the first changes; every change is counted)")
        emails = ", ".join(
            f"{mail_kind_label(k, conference.default_language)} ({k}): {v}"
            for k, v in sorted(d["emails_queued"].items())
        )
        console.print(f"Emails queued: {emails or 'none'}", highlight=False)

    emit(data, as_json, render)
