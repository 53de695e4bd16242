"""``registrar``: the organisers' command line, for the deployed stack and the local one."""

from __future__ import annotations

import importlib.util
import logging
from typing import Annotated, Any

import typer
from rich.table import Table

from registrar_cli.commands import admissions, applications, bulk, keys, lottery, mail, printing
from registrar_cli.context import console, emit, guarded, options, print_table
from registrar_cli.context import now as stack_now
from registrar_cli.context import target as resolve_target

app = typer.Typer(no_args_is_help=True, help="Run registration and admissions for an event.")
app.add_typer(applications.app, name="applications")
app.add_typer(admissions.app, name="admissions")
app.add_typer(mail.app, name="mail")
app.add_typer(keys.app, name="keys")
app.add_typer(lottery.app, name="lottery")
admissions.app.add_typer(lottery.admissions_app, name="lottery")
printing.register(app, applications=applications.app, admissions=admissions.app)
bulk.register(applications.app)
LOCAL_EXTRA_MISSING = (
    "The embedded local stack is not installed: install the extra with "
    "pip install 'registrar[local]' (make demo does it)."
)


def _add_local_stack_commands() -> None:
    """``demo`` and ``local`` come with the ``local`` extra; without it they say so."""
    if importlib.util.find_spec("moto") is not None:
        from registrar_local.commands import register

        register(app)
        return

    def missing(ctx: typer.Context) -> None:
        typer.echo(LOCAL_EXTRA_MISSING)
        raise typer.Exit(2)

    settings = {"allow_extra_args": True, "ignore_unknown_options": True}
    help_text = "The embedded local stack: not installed (it comes with the extra 'local')."
    app.command("demo", context_settings=settings, help=help_text)(missing)
    app.command("local", context_settings=settings, help=help_text)(missing)


_add_local_stack_commands()
# The definition's unset values are listed by `registrar status`; the loader's warning about
# them is for the functions' logs, not for every command an organiser types.
logging.getLogger("registrar.conference").setLevel(logging.ERROR)


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
def status(
    wide: Annotated[
        bool, typer.Option("--wide", help="One table of every group by every status.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Deadline, applications per status and group, seats, last run, mail, unset values."""
    from registrar.conference import load_conference
    from registrar_cli.status import collect_status, status_view

    target = resolve_target()
    data = collect_status(target, stack_now(target))

    def render(d: dict[str, Any]) -> None:
        for part in status_view(d, load_conference(d["event"]), wide=wide):
            if wide and isinstance(part, Table):
                print_table(part, wide=True)
            else:
                console.print(part)

    emit(data, as_json, render)
