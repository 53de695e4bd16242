"""``registrar mail``: the programme mailing, resending one email, failures, previews."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from registrar.mail_queue import MailKind
from registrar_cli import wiring
from registrar_cli.context import (
    CommandFailed,
    JsonOption,
    confirm,
    console,
    emit,
    guarded,
    now,
    settle,
    shipped_language,
    target,
    warn,
)
from registrar_cli.progress import progress_bar
from registrar_cli.text import local_time, plural, shown, span

app = typer.Typer(no_args_is_help=True, help="Emails: programme mailing, resend, failures.")
PREVIEW_SENDER = "anmeldung@example.org"


@app.command("program")
@guarded
def programme(
    apply: Annotated[bool, typer.Option("--apply", help="Queue the emails.")] = False,
    again: Annotated[
        bool, typer.Option("--again", help="A new round to everyone, e.g. after a room change.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Queue without asking.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """The programme with each participant's workshops and tour (and an .ics), once each."""
    stack = target()
    services = wiring.services(stack)
    organiser = services.organiser
    organiser_conference = services.conference
    plan = organiser.programme_mailing(apply=False, again=again)
    if not apply or plan.to_queue == 0:
        data = {
            "applied": False,
            "participants": plan.participants,
            "to_queue": plan.to_queue,
            "already_mailed": plan.already_mailed,
        }
        hint = " Add --apply to queue them." if plan.to_queue else ""
        emit(
            data,
            as_json,
            lambda d: console.print(
                f"{plural(d['participants'], 'participant')}: {d['to_queue']} would get the "
                f"programme email, {d['already_mailed']} already have it.{hint}"
            ),
        )
        return
    scheduled = organiser_conference.programme_mail_at
    question = f"Queue the programme email for {plural(plan.to_queue, 'participant')} now?"
    if scheduled is not None and now(stack) < scheduled:
        when = local_time(scheduled, organiser_conference)
        question = (
            f"The programme email is scheduled for {when} "
            f"(in {span(scheduled - now(stack))}). {question}"
        )
    confirm(question, yes)
    with progress_bar("Queueing programme emails", plan.to_queue, hidden=as_json) as advance:
        done = organiser.programme_mailing(
            apply=True, again=again, progress=lambda count, _total: advance(count)
        )
    settle(stack)
    data = {
        "applied": True,
        "participants": done.participants,
        "queued": done.to_queue,
        "already_mailed": done.already_mailed,
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            f"Queued the programme email for {d['queued']} of "
            f"{plural(d['participants'], 'participant')}."
        ),
    )


@app.command("resend")
@guarded
def resend(
    reference: Annotated[
        str,
        typer.Argument(
            metavar="EMAIL|REF", help="Email address or reference number (R-XXXX-XXXX)."
        ),
    ],
    kind: Annotated[
        MailKind, typer.Argument(metavar="KIND", help="Which email, e.g. accepted or program.")
    ],
    reason: Annotated[str, typer.Option(help="Recorded with the resend.")] = "",
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Send one email again (a new message id, so it is not taken for a duplicate)."""
    stack = target()
    outcome = wiring.services(stack).organiser.resend(reference, kind, reason)
    settle(stack)
    mail = outcome.mails[0]
    data = {
        "public_id": outcome.application.public_id,
        "kind": mail.kind,
        "message_id": mail.message_id,
        "version": mail.version,
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            f"Queued {d['kind']} for {d['public_id']} again (message {d['message_id'][:12]}).",
            highlight=False,
        ),
    )


@app.command("failures")
@guarded
def failures(
    show_addresses: Annotated[
        bool, typer.Option("--show-addresses", help="Include email addresses.")
    ] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Emails in the dead-letter queue, and sends that never recorded a result."""
    from registrar_cli import failures as found

    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    applications = list(services.applications.list(conference.id))
    by_key = {a.applicant_key: a for a in applications}
    dead = found.describe_dead_letters(
        found.peek_dead_letters(stack.client("sqs"), stack.outputs["MailDeadLetterQueueUrl"]),
        by_key,
        show_addresses=show_addresses,
    )
    claims = services.outbox.claimed_before(now(stack) - found.STUCK_AFTER)
    stuck = found.describe_stuck_claims(
        claims, applications, conference.id, show_addresses=show_addresses
    )
    data = {"dead_letters": dead, "stuck_claims": stuck}

    def render(d: dict[str, Any]) -> None:
        if not d["dead_letters"] and not d["stuck_claims"]:
            console.print("No failed emails: the dead-letter queue is empty, no send is stuck.")
            return
        extra = ("email",) if show_addresses else ()
        dead_table = Table(
            "ref",
            "kind",
            "receives",
            "queued",
            *extra,
            title=f"Dead-lettered emails ({len(d['dead_letters'])})",
            title_justify="left",
        )
        for e in d["dead_letters"]:
            dead_table.add_row(
                shown(e["public_id"]),
                e["kind"],
                str(e["receive_count"]),
                local_time(e["queued_at"], conference),
                *(shown(e.get("email", "")),)[: len(extra)],
            )
        console.print(dead_table)
        stuck_table = Table(
            "ref",
            "kind",
            "claimed",
            "message",
            *extra,
            title=f"Sends without a result for 15+ minutes ({len(d['stuck_claims'])})",
            title_justify="left",
        )
        for e in d["stuck_claims"]:
            stuck_table.add_row(
                shown(e["public_id"] or "?"),
                f"{e['kind']} (copy)" if e["copy"] else e["kind"],
                local_time(e["claimed_at"], conference),
                e["message_id"][:12],
                *(shown(e.get("email", "")),)[: len(extra)],
            )
        console.print(stuck_table)
        if d["dead_letters"]:
            console.print(
                "Fix the cause, then `registrar mail redrive` sends the dead-lettered emails "
                "again (none that went out goes out twice)."
            )
        if d["stuck_claims"]:
            console.print(
                "A stuck send may have gone out: check with the person, then "
                "`registrar mail resend EMAIL|REF KIND`."
            )

    emit(data, as_json, render)


@app.command("redrive")
@guarded
def redrive(as_json: Annotated[bool, JsonOption] = False) -> None:
    """Send the dead-lettered emails again, once their cause is fixed."""
    from registrar_cli import failures as found

    stack = target()
    moved, kept = found.redrive_dead_letters(
        stack.client("sqs"),
        stack.outputs["MailDeadLetterQueueUrl"],
        stack.outputs["MailQueueUrl"],
    )
    settle(stack)
    emit(
        {"moved": moved, "unreadable_kept": kept},
        as_json,
        lambda d: console.print(
            f"Moved {plural(d['moved'], 'email')} back to the mail queue"
            + (
                f"; {plural(d['unreadable_kept'], 'unreadable message')} stay in the "
                "dead-letter queue."
                if d["unreadable_kept"]
                else "."
            ),
            highlight=False,
        ),
    )


@app.command("preview")
@guarded
def preview(
    kind: Annotated[MailKind, typer.Argument(metavar="KIND", help="Which email, e.g. accepted.")],
    lang: Annotated[
        str | None,
        typer.Option(help="Language (default: the event's).", callback=shipped_language),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="File to write: .eml (default) or .html.")
    ] = None,
    conference_id: Annotated[
        str | None,
        typer.Option("--conference", help="Conference definition id, instead of a stack's."),
    ] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Render an email from the templates with sample data into a file; print its path."""
    from registrar.conference import load_conference
    from registrar.mail.compose import compose, sample_application, sample_links, sample_lottery
    from registrar.mail.mime import build_mime
    from registrar.mail.sample import sample_seat_holder

    conference = load_conference(conference_id or target().outputs["ConferenceId"])
    lang = lang or conference.default_language
    at = dt.datetime.now(dt.UTC)
    # A substitute's mail offers someone else's seat: a second sample person holds it.
    holder = sample_seat_holder(conference, lang, at) if kind == "substitute_confirm" else None
    mail = compose(
        kind,
        sample_application(conference, lang, at, kind=kind),
        conference,
        sample_links(),
        at,
        sample_lottery(),  # a sample ticket and commitment, as the receipt shows them
        seat_holder=holder,
    )
    if output is None:  # not into the current folder (a checkout, say): a new folder of its own
        path = Path(tempfile.mkdtemp(prefix="registrar-preview-")) / f"preview-{kind}-{lang}.eml"
    else:
        path = output
    if path.suffix.lower() in {".html", ".htm"}:
        content = mail.html.encode()
    else:
        content = build_mime(
            mail,
            sender=PREVIEW_SENDER,
            reply_to=conference.organiser.contact_email,
            message_id=f"preview-{kind}-{lang}",
            domain=PREVIEW_SENDER.rpartition("@")[2],
            now=at,
            headers={"X-Registrar-Kind": kind, "Content-Language": mail.language},
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as error:
        raise CommandFailed(
            f"The preview cannot be written to {path} ({error.strerror or error})."
        ) from None
    if mail.language != lang:
        warn(
            f"The event offers no {lang!r} with its texts shipped: rendered in "
            f"{mail.language}, its default language."
        )
    data = {
        "path": str(path.resolve()),
        "kind": kind,
        "language": mail.language,
        "subject": mail.subject,
    }
    emit(data, as_json, lambda d: console.print(shown(d["path"]), highlight=False, soft_wrap=True))
