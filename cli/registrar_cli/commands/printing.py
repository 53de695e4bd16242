"""Print material and the admissions report: ``qr``, ``applications badges`` and ``signin``,
``admissions report``.

Each command reads what it needs from the stack, hands it to a pure module
(``registrar_cli.printing``, ``registrar_cli.report``) that writes one file, and prints
the file's path on standard output, so scripts can pick it up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from registrar_cli import wiring
from registrar_cli.context import CommandFailed, guarded, now, shipped_language, target

LangOption = typer.Option(
    "--lang",
    help="Language of the printed text (default: the event's language).",
    callback=shipped_language,
)


def register(app: typer.Typer, applications: typer.Typer, admissions: typer.Typer) -> None:
    """Add the commands to the organisers' command line."""
    app.command("qr")(qr)
    applications.command("badges")(badges)
    applications.command("signin")(signin)
    admissions.command("report")(report)


def _writable(output: Path, suffixes: tuple[str, ...]) -> Path:
    """Refuse, with a sentence, a file the command cannot write, before any work is done."""
    if output.suffix.lower() not in suffixes:
        raise CommandFailed(f"Name a {' or '.join(suffixes)} file, not {output.name!r}.")
    try:
        is_folder, parent_exists = output.is_dir(), output.parent.is_dir()
    except OSError as error:  # e.g. a name longer than the file system allows
        raise CommandFailed(f"{output} cannot be written ({error.strerror or error}).") from None
    if is_folder:
        raise CommandFailed(f"{output} is a folder: name a file in it.")
    if not parent_exists:
        raise CommandFailed(f"The folder {output.parent} does not exist.")
    return output


def _write(output: Path, write: Callable[[Path], Path]) -> None:
    """Write the file and print its path; a file system refusal is one sentence."""
    try:
        path = write(output)
    except OSError as error:
        raise CommandFailed(f"{output} cannot be written ({error.strerror or error}).") from None
    typer.echo(str(path))


@guarded
def qr(
    output: Annotated[Path, typer.Option("--output", "-o", help="A .png or .svg file.")] = Path(
        "qr.svg"
    ),
    url: Annotated[
        str | None, typer.Option(help="Encode this address instead of the stack's form.")
    ] = None,
) -> None:
    """The QR code of the registration form, for the printed invitation."""
    from registrar_cli.printing.qr import QrError, form_url, write_qr

    _writable(output, (".png", ".svg"))
    try:
        address = url if url is not None else form_url(target().outputs)
        _write(output, lambda path: write_qr(address, path))
    except QrError as error:
        raise CommandFailed(str(error)) from None


@guarded
def badges(
    output: Annotated[Path, typer.Option("--output", "-o", help="A .pdf file.")] = Path(
        "badges.pdf"
    ),
    lang: Annotated[str | None, LangOption] = None,
) -> None:
    """Name badges (90 × 55 mm, ten per A4 sheet) for every accepted participant."""
    from registrar_cli.printing.attendees import attendees
    from registrar_cli.printing.badges import write_badges

    _writable(output, (".pdf",))
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    lang = lang or conference.default_language
    people = attendees(services.applications.list(conference.id), conference, lang)
    _write(output, lambda path: write_badges(people, conference, lang, path))


@guarded
def signin(
    output: Annotated[Path, typer.Option("--output", "-o", help="A .pdf file.")] = Path(
        "signin.pdf"
    ),
    day: Annotated[
        str | None, typer.Option(help="Only this day of the event (YYYY-MM-DD).")
    ] = None,
    by_workshop: Annotated[
        bool, typer.Option("--by-workshop", help="One list per workshop and room.")
    ] = False,
    lang: Annotated[str | None, LangOption] = None,
) -> None:
    """Sign-in lists per day (or per workshop), by family name, with a signature column."""
    from registrar_cli.printing.attendees import attendees
    from registrar_cli.printing.signin import (
        SigninError,
        day_lists,
        workshop_lists,
        write_signin,
    )

    _writable(output, (".pdf",))
    chosen = _day(day)
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    lang = lang or conference.default_language
    people = attendees(services.applications.list(conference.id), conference, lang)
    try:
        lists = (
            workshop_lists(people, conference, chosen, lang)
            if by_workshop
            else day_lists(people, conference, chosen)
        )
    except SigninError as error:
        raise CommandFailed(str(error)) from None
    _write(output, lambda path: write_signin(lists, conference, lang, path))


@guarded
def report(
    run: Annotated[
        str | None,
        typer.Argument(
            metavar="[RUN]",
            help="The run whose changes and lottery record are shown (default: the latest).",
        ),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="An .html file.")] = Path(
        "report.html"
    ),
    lang: Annotated[str | None, LangOption] = None,
) -> None:
    """The admissions report for the board and funders: one self-contained HTML file."""
    from registrar_cli.report.data import ReportError, gather
    from registrar_cli.report.render import write_report

    _writable(output, (".html", ".htm"))
    stack = target()
    services = wiring.services(stack)
    conference = services.conference
    lang = lang or conference.default_language
    try:
        data = gather(
            services.applications.list(conference.id),
            services.runs.list(conference.id),
            conference,
            run,
            services.runs.organisation_aliases(conference.id),
        )
    except ReportError as error:
        raise CommandFailed(str(error)) from None
    generated_at = now(stack)
    _write(output, lambda path: write_report(data, conference, lang, generated_at, path))


def _day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandFailed(f"{text!r} is not a date: write it as 2023-05-11.") from None
