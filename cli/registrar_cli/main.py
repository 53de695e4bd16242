"""``registrar``: the organisers' command line, for the deployed stack and the local one."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import signal
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from registrar_cli.commands import admissions, applications, mail
from registrar_cli.context import console, emit, guarded, options
from registrar_cli.context import now as stack_now
from registrar_cli.context import target as resolve_target
from registrar_cli.target import Target, TargetError, local_target

app = typer.Typer(no_args_is_help=True, help="Run registration and admissions for an event.")
local_app = typer.Typer(
    no_args_is_help=True, help="The embedded local stack (moto + the real handlers)."
)
app.add_typer(applications.app, name="applications")
app.add_typer(admissions.app, name="admissions")
app.add_typer(mail.app, name="mail")
app.add_typer(local_app, name="local")
DEFAULT_CONFERENCE = "kassel-2023"


@app.callback()
def main(
    local: Annotated[
        bool, typer.Option("--local", help="Target the embedded local stack.")
    ] = False,
    stack_name: Annotated[
        str | None, typer.Option(help="CloudFormation stack (or REGISTRAR_STACK).")
    ] = None,
    region: Annotated[str | None, typer.Option(help="AWS region.")] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile.")] = None,
) -> None:
    options.local, options.stack_name, options.region, options.profile = (
        local,
        stack_name,
        region,
        profile,
    )


@app.command()
@guarded
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Deadline, applications per status and group, seats, last run, mail."""
    from registrar_cli.status import collect_status

    target = resolve_target()
    data = collect_status(target, stack_now(target))

    def render(d: dict[str, Any]) -> None:
        console.print(f"[bold]{d['title']}[/bold] ({d['event']})")
        left = dt.timedelta(seconds=d["seconds_to_deadline"])
        console.print(f"Registration {d['registration']}; deadline {d['deadline']} ({left} left)")
        console.print(f"Seats: {d['seats_taken']} taken, {d['seats_free']} free of {d['capacity']}")
        table = Table(
            "group",
            *d["by_status"].keys(),
            title=f"{d['applications']} applications ({d['unconfirmed']} unconfirmed, "
            f"{d['erased']} erased not counted)",
        )
        for group, counts in d["by_group"].items():
            table.add_row(group, *(str(counts.get(s, 0)) for s in d["by_status"]))
        console.print(table)
        run = d["last_run"]
        console.print(
            f"Last run: {run['run_id']} ({run['trigger']})" if run else "Last run: none yet"
        )
        console.print(
            f"Mail queue: {d['mail_queue']}; failed: {d['mail_failed']}; "
            f"undeliverable: {d['undeliverable']}"
        )

    emit(data, as_json, render)


def _serve_until_interrupted(stack: Any, gateway: Any) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.wait(0.5):
        stack.drain_mail()  # as Lambda's stream and SQS triggers would, a moment later
    gateway.stop()
    stack.stop()


@app.command()
def demo(
    applicants: Annotated[int, typer.Option(min=1, max=20_000)] = 300,
    seed: Annotated[
        int, typer.Option(help="Makes applicants, ids and the lottery reproducible.")
    ] = 2023,
    outbox: Annotated[Path, typer.Option(help="Folder for the emails sent.")] = Path("outbox"),
    port: Annotated[int, typer.Option(help="Port of the local API (0: any free port).")] = 8000,
    serve: Annotated[bool, typer.Option(help="Keep serving the form after the cycle.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    conference: Annotated[str, typer.Option(help="Conference definition id.")] = DEFAULT_CONFERENCE,
) -> None:
    """The whole cycle on the embedded stack: seed, deadline, admissions, emails."""
    from registrar_cli.demo import run_demo
    from registrar_cli.target import clear_local_state, write_local_state

    if outbox.exists():
        shutil.rmtree(outbox)
    stack, gateway, result = run_demo(outbox, applicants, seed, port if serve else 0, conference)

    def render(d: dict[str, Any]) -> None:
        console.print(f"[bold]registrar demo[/bold]: {d['event']}, capacity {d['capacity']}")
        console.print(f"Applicants: {d['applicants']}")
        table = Table("group", "status", "count", title="Decisions")
        for group, counts in d["by_group"].items():
            for status_name, count in counts.items():
                table.add_row(group, status_name, str(count))
        console.print(table)
        console.print(f"Accepted: {d['accepted']} of {d['capacity']} seats")
        console.print(f"Emails sent: {d['emails_by_kind']}")
        console.print(f"Outbox: {d['outbox']}")

    emit(result, as_json, render)
    if not serve:
        gateway.stop()
        stack.stop()
        return
    write_local_state(stack.state())
    console.print(
        f"Serving at [bold]{stack.api_url}/[/bold] (clock {stack.clock.now().isoformat()}, "
        "after the deadline: the form says registration is closed). Ctrl-C stops."
    )
    console.print(
        "Try a participant's view: open an acceptance email in the outbox and follow its link "
        "to decline. To fill in the form yourself, run `.venv/bin/registrar local up`."
    )
    try:
        _serve_until_interrupted(stack, gateway)
    finally:
        clear_local_state()


@local_app.command("up")
def local_up(
    port: Annotated[int, typer.Option()] = 8000,
    now: Annotated[str | None, typer.Option(help="Start the clock here (ISO 8601).")] = None,
    outbox: Annotated[Path, typer.Option()] = Path("outbox"),
    seed: Annotated[
        int | None, typer.Option(help="Seed ids and the lottery (reproducible).")
    ] = None,
    conference: Annotated[str, typer.Option()] = DEFAULT_CONFERENCE,
) -> None:
    """Start the local stack and serve the API until Ctrl-C."""
    from registrar.conference import load_conference
    from registrar_cli.demo import start_local
    from registrar_cli.target import clear_local_state, write_local_state

    definition = load_conference(conference)
    start = _parse_instant(now) if now else definition.opens_at + dt.timedelta(days=1)
    stack, gateway = start_local(outbox, start, port, seed)
    write_local_state(stack.state())
    console.print(
        f"Local stack up: form at [bold]{stack.api_url}/[/bold], clock {start.isoformat()}, "
        f"outbox {outbox}/index.html"
    )
    try:
        _serve_until_interrupted(stack, gateway)
    finally:
        clear_local_state()


@local_app.command("seed")
def local_seed(
    applicants: Annotated[int, typer.Option(min=1, max=20_000)] = 100,
    seed: Annotated[int, typer.Option()] = 1,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Submit N clearly fake applicants through the HTTP API and confirm them."""
    from registrar.conference import load_conference
    from registrar_cli.local.seed import confirm_links, get, post_json, seed_applicants

    target = local_target_or_exit()
    conference = load_conference(target.outputs["ConferenceId"])
    api = target.local_api_url or ""
    result, bodies = seed_applicants(conference, api, applicants, seed)
    post_json(f"{api}/_local/clock", {"to": stack_now(target).isoformat()})  # drains the mail
    state = json.loads(
        Path(target_state_outbox()).joinpath("index.json").read_text(encoding="utf-8")
    )
    emails = {b["email"] for b in bodies}
    receipts = [
        e["file"]
        for e in state
        if e["kind"] == "receipt" and set(e["recipient"].split(", ")) & emails
    ]
    confirmed = sum(
        1 for link in confirm_links(Path(target_state_outbox()), receipts) if get(link) == 200
    )
    data = {"submitted": result.submitted, "refused": result.refused, "confirmed": confirmed}
    emit(data, as_json, lambda d: console.print(f"Seeded: {d}"))


@local_app.command("clock")
def local_clock(
    to: Annotated[str, typer.Option(help="Move the clock here (ISO 8601); fires what is due.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Move the local clock, run what falls due, return when the mail queue is drained."""
    from registrar_cli.local.seed import post_json

    target = local_target_or_exit()
    status_code, answer = post_json(
        f"{target.local_api_url}/_local/clock", {"to": _parse_instant(to).isoformat()}
    )
    if status_code != 200:
        console.print(f"[red]The clock did not move: {answer.get('error')}[/red]")
        raise typer.Exit(1)
    emit(
        answer,
        as_json,
        lambda d: console.print(
            f"Clock at {d['now']}; fired: {[f['schedule'] for f in d['fired']]}"
        ),
    )


def local_target_or_exit() -> Target:
    try:
        return local_target()
    except TargetError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None


def target_state_outbox() -> str:
    from registrar_cli.target import LOCAL_STATE_FILE

    return str(json.loads(LOCAL_STATE_FILE.read_text(encoding="utf-8"))["outbox"])


def _parse_instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not an ISO 8601 time, e.g. 2023-04-11T00:05:00+02:00"
        ) from None
    if instant.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. 2023-04-11T00:05:00+02:00")
    return instant
