"""The commands that need the embedded local stack: ``registrar demo`` and ``registrar local``.

They live beside the stack, in the ``local`` extra, so that an organiser who manages a
deployed stack installs neither moto nor the stack; ``registrar_cli.main`` adds them when
the extra is installed and otherwise answers with the sentence naming it.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from registrar_cli.commands.bulk import findings_text
from registrar_cli.context import console, emit
from registrar_cli.context import now as stack_now
from registrar_cli.labels import mail_kind_label
from registrar_cli.runview import runs_table
from registrar_cli.target import Target, TargetError, local_target
from registrar_cli.text import local_time, plural, shown
from registrar_local.outbox import OutboxFolderRefused, prepare_folder

if TYPE_CHECKING:
    from registrar.conference import Conference

DEFAULT_CONFERENCE = "kassel-2023"
local_app = typer.Typer(
    no_args_is_help=True, help="The embedded local stack (moto + the real handlers)."
)


def register(app: typer.Typer) -> None:
    """Add ``demo`` and ``local …`` to the organisers' command line."""
    app.command()(demo)
    app.add_typer(local_app, name="local")


def _serve_until_interrupted(stack: Any, gateway: Any) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.wait(0.5):
        stack.drain_mail()  # as Lambda's stream and SQS triggers would, a moment later
    gateway.stop()
    stack.stop()


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
    from registrar.conference import load_conference
    from registrar_cli.target import clear_local_state, write_local_state
    from registrar_local.demo import run_demo
    from registrar_local.documents import (
        DocumentsFolderRefused,
        documents_folder,
        prepare_documents_folder,
        write_documents,
    )

    documents = documents_folder(outbox)
    try:
        prepare_folder(outbox)
        prepare_documents_folder(documents)
    except (OutboxFolderRefused, DocumentsFolderRefused) as refused:
        console.print(f"[red]{shown(refused)}[/red]")
        raise typer.Exit(2) from None
    stack, gateway, result = run_demo(outbox, applicants, seed, port if serve else 0, conference)
    definition = load_conference(conference)
    result["documents"] = write_documents(
        documents, definition, f"{stack.api_url}/", stack.clock.now()
    )

    def render(d: dict[str, Any]) -> None:
        for part in summary_view(d, definition):
            console.print(part)
        console.print(f"Print material and the admissions report: {shown(str(documents))}")
        for path in d["documents"].values():
            console.print(f"  {shown(path)}", highlight=False)

    emit(result, as_json, render)
    if not serve:
        gateway.stop()
        stack.stop()
        return
    write_local_state(stack.state())
    console.print(
        f"Serving at [bold]{stack.api_url}/[/bold] "
        f"(clock {local_time(stack.clock.now(), definition)}, "
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


def summary_view(d: dict[str, Any], event: Conference) -> list[RenderableType]:
    """The demo's summary for people: sentences, decisions by group, emails by kind (their
    labels in the event's default language), the admission runs as history names them."""
    language = event.default_language
    seeded = d["applicants"]
    parts: list[RenderableType] = [
        Text.assemble(("registrar demo", "bold"), f": {d['event']}"),
        Text(
            f"Applicants: {plural(seeded['submitted'], 'application')} submitted "
            f"({seeded.get('on_behalf', 0)} by an office on someone's behalf), "
            f"{seeded['confirmed']} confirmed their address, "
            f"{seeded['refused']} refused by the form; "
            f"{seeded.get('declined', 0)} gave their seat back, "
            f"{seeded.get('substituted', 0)} passed it to a colleague, "
            f"{plural(seeded.get('offers_accepted', 0), 'offer')} accepted."
        ),
    ]
    if seeded.get("scripted"):
        parts.append(
            Text(
                f"A script added {plural(seeded['scripted'], 'clearly marked fake')} from one "
                f"address ({seeded.get('scripted_confirmed', 0)} confirmed), under the "
                "firewall's POST limit."
            )
        )
    parts += [
        Text(
            f"Seats: {d['seats_taken']} of {d['capacity']} taken "
            f"({d['accepted']} accepted, {d['offered']} offered, not yet answered), "
            f"{d['seats_free']} free; {d['waitlisted']} on the waiting list."
        ),
    ]
    statuses = list(d["by_status"])
    decisions = Table(title="Decisions by group", title_justify="left", show_footer=True)
    decisions.add_column("group", footer="total")
    for status_name in statuses:
        decisions.add_column(status_name, justify="right", footer=str(d["by_status"][status_name]))
    decisions.add_column("total", justify="right", footer=str(sum(d["by_status"].values())))
    for group, counts in d["by_group"].items():
        decisions.add_row(
            shown(group),
            *(str(counts.get(s, 0)) for s in statuses),
            str(sum(counts.values())),
        )
    parts.append(decisions)
    emails = d["emails_by_kind"]
    mail = Table(title="Emails sent", title_justify="left", show_footer=True)
    mail.add_column("kind", footer="total")
    mail.add_column("label")
    mail.add_column("count", justify="right", footer=str(sum(emails.values())))
    for kind, count in emails.items():
        mail.add_row(kind, mail_kind_label(kind, language), str(count))
    parts.append(mail)
    quiet = d["daily_runs"] - sum(1 for run in d["runs"] if run["trigger"] == "daily")
    parts.append(runs_table("Admission runs", d["runs"], event))
    parts.append(
        Text(
            "Numbered as `registrar admissions history` numbers them; "
            f"{plural(d['daily_runs'], 'daily run')} in all, {quiet} changed nothing (not listed)."
        )
    )
    if "suspicious" in d:
        parts.append(Text("Bulk patterns (registrar applications suspicious):", style="bold"))
        parts.append(Text("\n".join(findings_text(d["suspicious"], 80, language))))
    parts.append(Text(f"Outbox: {d['outbox']}"))
    return parts


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
    from registrar_cli.target import clear_local_state, write_local_state
    from registrar_local.demo import start_local

    definition = load_conference(conference)
    start = _parse_instant(now) if now else definition.opens_at + dt.timedelta(days=1)
    try:
        prepare_folder(outbox)
    except OutboxFolderRefused as refused:
        console.print(f"[red]{shown(refused)}[/red]")
        raise typer.Exit(2) from None
    stack, gateway = start_local(outbox, start, port, seed)
    write_local_state(stack.state())
    console.print(
        f"Local stack up: form at [bold]{stack.api_url}/[/bold], "
        f"clock {local_time(start, definition)}, "
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
    from registrar_cli.local_control import WORK_TIMEOUT, post_json
    from registrar_local.seed import confirm, confirm_links, seed_applicants

    target = local_target_or_exit()
    conference = load_conference(target.outputs["ConferenceId"])
    api = target.local_api_url or ""
    result, bodies = seed_applicants(conference, api, applicants, seed)
    clock = {"to": stack_now(target).isoformat()}
    post_json(f"{api}/_local/clock", clock, target.local_token, timeout=WORK_TIMEOUT)  # drains
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
        1 for link in confirm_links(Path(target_state_outbox()), receipts) if confirm(link) == 200
    )
    data = {"submitted": result.submitted, "refused": result.refused, "confirmed": confirmed}
    emit(
        data,
        as_json,
        lambda d: console.print(
            f"Seeded {plural(d['submitted'], 'application')} ({d['refused']} refused); "
            f"{d['confirmed']} confirmed their address.",
            markup=False,
        ),
    )


@local_app.command("clock")
def local_clock(
    to: Annotated[str, typer.Option(help="Move the clock here (ISO 8601); fires what is due.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Move the local clock, run what falls due, return when the mail queue is drained."""
    from registrar.conference import load_conference
    from registrar_cli.local_control import WORK_TIMEOUT, post_json

    target = local_target_or_exit()
    status_code, answer = post_json(
        f"{target.local_api_url}/_local/clock",
        {"to": _parse_instant(to).isoformat()},
        target.local_token,
        timeout=WORK_TIMEOUT,
    )
    if status_code != 200:
        console.print(f"[red]The clock did not move: {answer.get('error')}[/red]")
        raise typer.Exit(1)
    event = load_conference(target.outputs["ConferenceId"])
    emit(answer, as_json, lambda d: console.print(clock_sentence(d, event), markup=False))


def clock_sentence(answer: dict[str, Any], event: Conference) -> str:
    """``Clock at 11.04.2023 00:05 (Europe/Berlin); ran: AdmissionsFunctionDeadlineRun.``"""
    fired = ", ".join(f["schedule"] for f in answer["fired"]) or "nothing was due"
    return f"Clock at {local_time(answer['now'], event)} ({event.zone}); ran: {fired}."


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
