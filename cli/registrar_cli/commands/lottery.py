"""The committed lottery from the command line: status, public value, publish, verify.

``registrar admissions lottery …`` works on a stack (the organisers'); ``registrar lottery
verify FILE`` needs no stack, no AWS and no local extra: it is the standalone check
(``registrar.lottery``) that anyone can also run as a single file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from registrar import lottery as lottery_rules
from registrar.services.admissions import is_eligible
from registrar.services.lottery import publication, published_tickets
from registrar_cli import wiring
from registrar_cli.context import (
    JsonOption,
    confirm,
    console,
    emit,
    err_console,
    guarded,
    print_json,
    target,
)
from registrar_cli.text import local_time, plural, shown

admissions_app = typer.Typer(
    no_args_is_help=True,
    help="The committed lottery: its commitment, the public value, the published draw.",
)
app = typer.Typer(no_args_is_help=True, help="Check a published lottery (no stack needed).")


@admissions_app.command("status")
@guarded
def status(as_json: Annotated[bool, JsonOption] = False) -> None:
    """The commitment (drawn now if nobody drew it yet), the public value, the reveal."""
    services = wiring.services(target())
    conference = services.conference
    state = services.lottery.state()
    data = {
        "commitment": state.drawn.commitment,
        "committed_at": state.drawn.committed_at.isoformat(),
        "public_value_rule": conference.admission.lottery.public_value,
        "public_value": None if state.public_value is None else state.public_value.value,
        "revealed_at": None if state.revealed_at is None else state.revealed_at.isoformat(),
    }

    def render(d: dict[str, Any]) -> None:
        console.print(
            f"Commitment {d['commitment']} (since {local_time(d['committed_at'], conference)}).",
            highlight=False,
            soft_wrap=True,
        )
        if d["public_value_rule"] == "required":
            value = d["public_value"]
            console.print(
                f"Public value: {shown(value)}."
                if value is not None
                else "Public value: not entered yet (after the deadline: "
                "`registrar admissions lottery public-value VALUE`).",
                highlight=False,
            )
        revealed = d["revealed_at"]
        console.print(
            f"Secret revealed by the deadline run, {local_time(revealed, conference)}: "
            "`registrar admissions lottery publish --output FILE` writes the draw."
            if revealed
            else "Secret not revealed yet: the deadline run reveals it.",
            highlight=False,
        )

    emit(data, as_json, render)


@admissions_app.command("public-value")
@guarded
def public_value(
    value: Annotated[
        str, typer.Argument(help="The value nobody knew before the deadline, exactly as published.")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Enter it without asking.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Enter the lottery's public value, once, after the deadline (it cannot be changed)."""
    services = wiring.services(target())
    confirm(f"Enter {value!r} as the lottery's public value? It cannot be changed.", yes)
    state = services.lottery.enter_public_value(value)
    entered = state.public_value
    data = {"public_value": None if entered is None else entered.value}
    emit(
        data,
        as_json,
        lambda d: console.print(
            f"Public value {shown(d['public_value'])} entered; the next run draws the lottery "
            "with it.",
            highlight=False,
        ),
    )


@admissions_app.command("publish")
@guarded
def publish(
    output: Annotated[Path, typer.Option(help="The JSON file to write (for the event's website).")],
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """The draw, without personal data: commitment, secret, rules, every ticket's place."""
    services = wiring.services(target())
    conference = services.conference
    state = services.lottery.state()
    taking_part = [
        a for a in services.applications.list(conference.id) if is_eligible(a, conference)
    ]
    document = publication(conference, state, published_tickets(taking_part, state.drawn))
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    data = {
        "output": str(output),
        "tickets": document["ticket_count"],
        "commitment": document["commitment"],
    }
    emit(
        data,
        as_json,
        lambda d: console.print(
            f"Wrote {shown(d['output'])}: {plural(d['tickets'], 'ticket')}, commitment "
            f"{d['commitment']}. Anyone checks it with `registrar lottery verify FILE` or "
            "the standalone verify_lottery.py.",
            highlight=False,
            soft_wrap=True,
        ),
    )


@app.command("verify")
def verify(
    file: Annotated[Path, typer.Argument(help="The published lottery (JSON).")],
    commitment: Annotated[
        str | None,
        typer.Option(help="The commitment shown before the draw (form, receipt) to compare."),
    ] = None,
    ticket: Annotated[
        str | None,
        typer.Option(help="A ticket from a receipt: its place and outcome, once all holds."),
    ] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Recompute the commitment, every place and the order: exit 0 if all holds, else 1."""
    holds, sentence = lottery_rules.verify_file(
        str(file), expected_commitment=commitment, ticket_code=ticket
    )
    if as_json:
        print_json({"holds": holds, "sentence": sentence})
        if not holds:
            raise typer.Exit(1)
        return
    if holds:
        console.print(sentence, highlight=False, markup=False, soft_wrap=True)
        return
    err_console.print(sentence, style="red", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)
