"""``registrar keys``: rotating the key that signs the links in applicants' emails.

The link keys live in the stack's ``TokenSecret`` (Secrets Manager; the local stack has the
same secret on moto). A rotation writes a keyring: a new key, which signs links from
``KEY_ACTIVATION_DELAY`` on (every function has read it by then), and the key signing now,
which keeps opening the links it signed for the grace period. Links signed before the
grace period ends keep working until then; later, their pages say the link has expired.
The applicant-key secret is another secret and is never rotated (README).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

import typer

from registrar.tokens import KEY_ACTIVATION_DELAY, KeyringError, LinkKeyring
from registrar_cli import wiring
from registrar_cli.context import CommandFailed, JsonOption, confirm, console, emit, guarded, target
from registrar_cli.text import local_time

app = typer.Typer(no_args_is_help=True, help="The keys that sign the links in emails.")
DEFAULT_GRACE_DAYS = 14
NEW_KEY_BYTES = 48


@app.command("rotate")
@guarded
def rotate(
    grace_days: Annotated[
        int,
        typer.Option(
            "--grace-days",
            min=0,
            max=365,
            help="Days the previous key keeps opening the links it signed (0: a leaked key).",
        ),
    ] = DEFAULT_GRACE_DAYS,
    yes: Annotated[bool, typer.Option("--yes", help="Rotate without asking.")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """A new link key; links signed before keep working for the grace period, no longer."""
    stack = target()
    client = stack.client("secretsmanager")
    secret_id = stack.outputs["TokenSecretArn"]
    now = wiring.clock(stack).now()
    try:
        keyring = LinkKeyring.parse(client.get_secret_value(SecretId=secret_id)["SecretString"])
        rotated = keyring.rotated(
            secrets.token_urlsafe(NEW_KEY_BYTES),
            now=now,
            activation_delay=KEY_ACTIVATION_DELAY,
            grace=dt.timedelta(days=grace_days),
        )
    except KeyringError as unusable:
        raise CommandFailed(f"The stored link keys cannot be used: {unusable}.") from None
    new, previous = rotated.keys[0], rotated.signing_key(now)
    event = wiring.services(stack).conference
    confirm(
        f"Rotate the link key: key {new.key_id} signs from {local_time(new.active_from, event)}; "
        f"links signed with key {previous.key_id} stop working at "
        f"{local_time(previous.valid_until, event)}. Go ahead?",
        yes,
    )
    client.put_secret_value(SecretId=secret_id, SecretString=rotated.dump())
    data: dict[str, Any] = {
        "key_id": new.key_id,
        "signs_from": _iso(new.active_from),
        "previous_key_id": previous.key_id,
        "previous_valid_until": _iso(previous.valid_until),
        "keys": [key.key_id for key in rotated.keys],
    }

    def render(d: dict[str, Any]) -> None:
        console.print(
            f"Key {d['key_id']} signs links from {local_time(d['signs_from'], event)}; "
            f"links signed with key {d['previous_key_id']} work until "
            f"{local_time(d['previous_valid_until'], event)}.",
            markup=False,
            highlight=False,
        )
        if grace_days == 0:
            console.print(
                "People who still need a link get a new one with "
                "`registrar mail resend EMAIL|REF KIND`.",
                markup=False,
                highlight=False,
            )

    emit(data, as_json, render)


def _iso(instant: dt.datetime | None) -> str:
    return "" if instant is None else instant.isoformat()
