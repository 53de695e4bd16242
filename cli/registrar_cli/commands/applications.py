"""``registrar applications``: list, show, export, cancel, accept, erase (``suspicious`` and
``merge-organisations`` are in ``bulk``).

Parses, calls the domain (``registrar.services.organiser``), prints; nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from registrar import personal_text
from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import choose_language
from registrar.services.organiser import OrganiserService, Outcome
from registrar_cli import views, wiring
from registrar_cli.context import (
    CommandFailed,
    JsonOption,
    confirm,
    console,
    emit,
    guarded,
    json_local_time,
    print_table,
    settle,
    shipped_language,
    target,
    warn,
)
from registrar_cli.labels import mail_kind_label
from registrar_cli.progress import progress_bar
from registrar_cli.target import Target
from registrar_cli.text import plural, shown
from registrar_cli.views import SortKey, StatusFilter

app = typer.Typer(no_args_is_help=True, help="Look at applications and change them by hand.")
Reference = Annotated[
    str,
    typer.Argument(metavar="EMAIL|REF", help="Email address or reference number (R-XXXX-XXXX)."),
]
Reason = Annotated[str, typer.Option("--reason", help="Why; recorded with the change.")]


def summary(application: Application, conference: Conference) -> dict[str, Any]:
    """One application as the list and JSON show it."""
    return {
        "ref": application.public_id,
        "public_id": application.public_id,
        "name": application.display_name,
        "salutation": application.salutation,
        "title": application.title,
        "function": application.function,
        "email": application.email,
        "organisation": application.organisation,
        "municipality": application.municipality,
        "group": application.group,
        # the event days attended (ISO dates), every day for items stored before the choice
        "days": [day.isoformat() for day in conference.attended_days(application.days)],
        "status": application.status,
        "confirmed": application.confirmed,
        "workshops": dict(application.workshops),
        "extras": dict(application.extras),
        # 1-based, current (the waiting list only moves forward); None unless waitlisted.
        "waitlist_position": application.waitlist_position,
        "submitted_at": json_local_time(application.submitted_at, conference.zone),
    }


@app.command("list")
@guarded
def list_applications(
    status: Annotated[
        StatusFilter | None,
        typer.Option(help="Only this status; 'unconfirmed': address not confirmed yet."),
    ] = None,
    group: Annotated[str | None, typer.Option(help="Only this attendee group (its id).")] = None,
    sort: Annotated[SortKey, typer.Option(help="Order of the list.")] = "status",
    columns: Annotated[
        str | None,
        typer.Option(help=f"Comma-separated, from: {', '.join(views.ALL_COLUMNS)}."),
    ] = None,
    wide: Annotated[bool, typer.Option("--wide", help="All columns, however wide.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Applications with status and tour (waiting list in its order); more with --wide."""
    try:
        shown_columns = views.parse_columns(columns) if columns else views.DEFAULT_COLUMNS
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--columns") from None
    if wide:
        shown_columns = views.ALL_COLUMNS
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    if group is not None and group not in conference.group_ids:
        raise typer.BadParameter(
            f"{group!r} is not a group; use one of {', '.join(conference.group_ids)}",
            param_hint="--group",
        )
    stored = services.applications.list(conference.id)
    found = views.ordered((a for a in stored if views.matches(a, status, group)), sort)
    emit(
        [summary(a, conference) for a in found],
        as_json,
        lambda _: print_table(
            views.applications_table(found, conference, shown_columns, wide=wide), wide
        ),
    )


@app.command("show")
@guarded
def show(reference: Reference, as_json: Annotated[bool, JsonOption] = False) -> None:
    """One application with everything it holds and its history."""
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    application = services.organiser.find(reference)
    # ``confirmed`` is derived (an address is confirmed once it has a time): said outright.
    data = {
        **application.model_dump(mode="json"),
        "confirmed": application.confirmed,
        # The lottery ticket the receipt told, which the published draw lists.
        "ticket": services.lottery.ticket(application.public_id),
    }

    def render(d: dict[str, Any]) -> None:
        numbers = {r.run_id: n for n, r in enumerate(wiring.applied_runs(services), start=1)}
        for part in views.application_view(application, conference, numbers):
            console.print(part, highlight=False)
        console.print(f"Lottery ticket: {d['ticket']}", highlight=False)

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
        str | None,
        typer.Option(
            help="Language of group, workshop and tour values (default: the event's).",
            callback=shipped_language,
        ),
    ] = None,
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
    rows = participants_export.build_rows(people, conference, lang or conference.default_language)
    if format == "csv":
        text = participants_export.to_csv(rows, cols, delimiter)
    else:
        import json

        keys = [key for key, _ in cols]
        text = json.dumps([{k: r.get(k) for k in keys} for r in rows], ensure_ascii=False, indent=1)
    if output is None:
        typer.echo(text, nl=False)
        return
    participants_export.write_private(output, text)
    data = {"rows": len(rows), "output": str(output), "format": format}
    emit(
        data,
        as_json,
        lambda d: console.print(f"{plural(d['rows'], 'row')} written to {shown(d['output'])}"),
    )


def _print_outcome(
    outcome: Outcome, before: str, as_json: bool, *, outbox_removed: int | None = None
) -> None:
    a = outcome.application
    data: dict[str, Any] = {
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
    if a.erased:
        data["run_records_cleaned"] = outcome.run_records_cleaned
        data["other_histories_cleaned"] = outcome.other_histories_cleaned
        if outbox_removed is not None:
            data["outbox_messages_removed"] = outbox_removed

    def render(d: dict[str, Any]) -> None:
        if a.erased:
            change = f"personal data erased (status {d['status']} kept for the counts)"
        elif d["changed"]:
            change = f"{d['status_before']} → {d['status']}"
        else:
            change = "unchanged"
        console.print(f"{d['public_id']}: {change}", highlight=False)
        if a.erased:
            console.print(
                f"  history: free text removed; run records that named them: "
                f"{d['run_records_cleaned']}; other applications' entries that named them: "
                f"{d['other_histories_cleaned']}",
                highlight=False,
            )
            if "outbox_messages_removed" in d:
                removed = plural(d["outbox_messages_removed"], "email")
                console.print(f"  local outbox: {removed} to them removed", highlight=False)
        for mail in d["mails"]:
            console.print(f"  queued email: {mail['kind']} ({mail['message_id'][:12]})")

    emit(data, as_json, render)
    for warning in outcome.warnings:
        warn(warning)


Yes = Annotated[bool, typer.Option("--yes", help="Do it without asking (for scripts).")]


@app.command("cancel")
@guarded
def cancel(
    reference: Reference,
    reason: Reason,
    yes: Yes = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Cancel on someone's behalf; they are emailed; a seat goes to the waiting list."""

    def plan(a: Application, language: str) -> str:
        return (
            f"Cancel {a.public_id} ({a.display_name}, now {a.status}) for the reason "
            f"{reason!r}: they get the cancellation email "
            f"({mail_kind_label('cancelled', language)}), "
            "and a seat they hold goes to the waiting list at the next run. Go ahead?"
        )

    _decide_by_hand(
        reference,
        reason,
        yes,
        as_json,
        plan,
        lambda organiser: organiser.cancel(reference, reason),
    )


@app.command("accept")
@guarded
def accept(
    reference: Reference,
    reason: Reason,
    yes: Yes = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Admit someone by hand (recorded with the reason); they are emailed."""

    def plan(a: Application, language: str) -> str:
        return (
            f"Accept {a.public_id} ({a.display_name}, now {a.status}) by hand for the reason "
            f"{reason!r}: workshops are assigned and they get the acceptance email "
            f"({mail_kind_label('accepted', language)}), even beyond the capacity. Go ahead?"
        )

    _decide_by_hand(
        reference,
        reason,
        yes,
        as_json,
        plan,
        lambda organiser: organiser.force_accept(reference, reason),
    )


def _decide_by_hand(
    reference: str,
    reason: str,
    yes: bool,
    as_json: bool,
    plan: Callable[[Application, str], str],
    decide: Callable[[OrganiserService], Outcome],
) -> None:
    """``plan`` says what will happen, naming the email in the language it is sent in."""
    stack = target()
    services = wiring.services(stack)
    organiser = services.organiser
    found = organiser.find(reference)
    _ask_about_personal_data(reason, found, yes)
    conference = services.conference
    language = choose_language(found.language, conference.languages, conference.default_language)
    confirm(plan(found, language), yes)
    outcome = decide(organiser)
    settle(stack)
    _print_outcome(outcome, found.status, as_json)


def _ask_about_personal_data(reason: str, application: Application, yes: bool) -> None:
    """A reason is kept in the history until the application is erased: say what in it
    looks like personal data, and ask whether to record it so."""
    found = personal_text.findings(reason, application)
    if not found:
        return
    warn(
        f"The reason seems to contain {' and '.join(found)}. It is kept in the history "
        "(shown by `applications show`) until the application is erased; a reason needs "
        "no one's name or contact details."
    )
    confirm("Record the reason as written?", yes)


@app.command("erase")
@guarded
def erase(
    reference: Reference,
    yes: Yes = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Right to erasure: remove the person's data; status and group stay for the counts."""
    stack = target()
    organiser = wiring.services(stack).organiser
    found = organiser.find(reference)
    confirm(f"Erase {found.public_id} ({found.display_name})? This cannot be undone", yes)
    outcome = organiser.erase(reference)
    outbox_removed = _forget_local_mail(stack, found.email)
    _print_outcome(outcome, found.status, as_json, outbox_removed=outbox_removed)


def _forget_local_mail(stack: Target, address: str) -> int | None:
    """On the local stack, the outbox folder keeps every email sent: an erased person's go
    too. (In AWS registrar keeps no copy of sent mail.)"""
    if not stack.local_api_url:
        return None
    from registrar_cli.local_control import post_json

    status, answer = post_json(
        f"{stack.local_api_url}/_local/forget-mail", {"address": address}, stack.local_token
    )
    if status != 200:
        raise CommandFailed(
            "The application is erased, but the local outbox could not be cleared "
            f"({answer.get('error', status)}): run the erasure again by reference."
        )
    return int(answer["removed"])
