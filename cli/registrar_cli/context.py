"""What every command shares: the chosen stack, the consoles, output, and failing politely.

Commands resolve the stack through ``target()``; a failure a person can act on becomes one
sentence on standard error and exit code 1 (``guarded``), never a traceback. JSON goes to
standard output only, so scripts can parse it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import typer
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from pynamodb.exceptions import PynamoDBException
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from registrar.errors import DomainError, RunInProgress
from registrar_cli.target import Target, TargetError, aws_target, local_target

console = Console()
err_console = Console(stderr=True)
JsonOption = typer.Option("--json", help="Print JSON for scripts.")


def shipped_language(value: str | None) -> str | None:
    """A ``--lang`` with a locale file (exit 2 otherwise); None: the event's default language."""
    from registrar.i18n import available_languages

    shipped = available_languages()
    if value is not None and value not in shipped:
        raise typer.BadParameter(f"{value!r}: the languages are {', '.join(shipped)}.")
    return value


class Options:
    local: bool = False
    stack_name: str | None = None
    region: str | None = None
    profile: str | None = None


options = Options()


class CommandFailed(Exception):
    """The operation failed; the message is one sentence for the organiser."""


_DOMAIN_SENTENCES = {
    "registration_open": "Registration is still open: admissions run after the deadline.",
    RunInProgress.code: str(RunInProgress()),
    "not_found": "No such application at this event.",
    "not_allowed": "That change does not apply to the application's current status.",
    "lottery_public_value_missing": (
        "The lottery waits for its public value (the definition says "
        "admission.lottery.public_value: required): enter it with `registrar admissions "
        "lottery public-value VALUE`; nothing was decided."
    ),
    "lottery_public_value_too_early": (
        "The public value can be entered only after the registration deadline, so that "
        "nobody can have known it while people applied."
    ),
    "lottery_public_value_entered": (
        "The lottery's public value was entered before and cannot be changed: another value "
        "would draw the lottery again."
    ),
    "lottery_public_value_not_configured": (
        "This event's lottery takes no public value (the definition's "
        "admission.lottery.public_value is not 'required')."
    ),
    "lottery_public_value_invalid": (
        "The public value must be one line of printable text, 1 to 200 characters."
    ),
    "lottery_not_revealed": (
        "The lottery's secret is revealed by the deadline run: publish after it has run "
        "(`registrar admissions run --apply` or the scheduled deadline run)."
    ),
}


def target() -> Target:
    try:
        if options.local:
            return local_target()
        return aws_target(options.stack_name, options.region, options.profile)
    except TargetError as error:
        fail(str(error))


def now(stack: Target) -> dt.datetime:
    """The stack's time: the local stack's settable clock, or the real one."""
    if stack.local_api_url:
        from registrar_cli.local_control import post_json

        status, state = post_json(f"{stack.local_api_url}/_local/state", {}, stack.local_token)
        if status == 200:
            return dt.datetime.fromisoformat(state["now"])
    return dt.datetime.now(dt.UTC)


def settle(stack: Target) -> None:
    """Locally, hand queued mail to the mailer now (Lambda's SQS trigger does it in AWS)."""
    if stack.local_api_url:
        from registrar_cli.local_control import WORK_TIMEOUT, post_json

        post_json(
            f"{stack.local_api_url}/_local/drain", {}, stack.local_token, timeout=WORK_TIMEOUT
        )


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=str))


def emit(data: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    if as_json:
        print_json(data)
    else:
        render(data)


def print_table(table: Table, wide: bool = False) -> None:
    """A table within the terminal's width (``COLUMNS``), or as wide as it needs (``wide``)."""
    if not wide:
        console.print(table)
        return
    needed = Measurement.get(console, console.options.update(width=10_000), table).maximum
    Console(width=max(console.width, needed)).print(table)  # Rich caps a print at its width


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def confirm(question: str, yes: bool) -> None:
    """Ask before a change that emails people or cannot be undone; ``--yes`` answers for you.

    Without a terminal to answer on (a script, a pipe), nothing is guessed: exit code 2 and
    a sentence naming ``--yes``. "No" exits with code 1 and changes nothing.
    """
    if yes:
        return
    if not stdin_is_terminal():
        err_console.print(
            "This change asks for confirmation and there is no terminal to answer on: "
            "add --yes to make it.",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    typer.confirm(question, abort=True, err=True)


def fail(message: str) -> NoReturn:
    # Messages may quote AWS or user text: printed as is, never read as markup.
    err_console.print(message, style="red", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def warn(message: str) -> None:
    err_console.print(message, style="yellow", markup=False, highlight=False, soft_wrap=True)


def refusal(code: str) -> str | None:
    """The sentence for a domain failure known only by its code (e.g. from a function)."""
    return _DOMAIN_SENTENCES.get(code)


def _sentence(error: Exception) -> str:
    if isinstance(error, (TargetError, CommandFailed)):
        return str(error)
    if isinstance(error, DomainError):
        text = str(error)
        return text if text else _DOMAIN_SENTENCES.get(error.code, f"Refused ({error.code}).")
    if isinstance(error, NoCredentialsError):
        return "No AWS credentials found: log in (e.g. `aws sso login`) first."
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code, said = details.get("Code", "Unknown"), details.get("Message", "")
        return f"AWS refused {error.operation_name} ({code}){': ' + said if said else '.'}"
    if isinstance(error, PynamoDBException):
        if isinstance(error.cause, NoCredentialsError):
            return _sentence(error.cause)
        code = error.cause_response_code or type(error.cause).__name__
        return f"The database refused the request ({code}); check your permissions."
    return f"AWS cannot be reached: {error}."


def guarded[**P, R](command: Callable[P, R]) -> Callable[P, R]:
    """Turn failures a person can act on into one sentence and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (
            TargetError,
            CommandFailed,
            DomainError,
            ClientError,
            BotoCoreError,
            PynamoDBException,
        ) as error:
            fail(_sentence(error))

    return wrapper


def json_local_time(instant: dt.datetime | str | None, zone: Any) -> str:
    """An instant on the event's wall clock for JSON, e.g. ``2023-04-11 00:01`` (sortable).

    What people read is ``registrar_cli.text.local_time`` (``11.04.2023 00:01``).
    """
    if instant is None or instant == "":
        return ""
    if isinstance(instant, str):
        instant = dt.datetime.fromisoformat(instant)
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")
