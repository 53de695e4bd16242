"""A published lottery draw as registrar writes it, for the tests that check one."""

from __future__ import annotations

from typing import Any

from registrar import lottery
from registrar.lottery import commitment, lottery_order, lottery_place, seed, ticket

SECRET = "5" * 64
TICKET_KEY = "a" * 64


def genuine(public_value: str | None = None, count: int = 30) -> dict[str, Any]:
    """A published draw as registrar writes it (registrar.services.lottery.publication)."""
    the_seed = seed(SECRET, public_value)
    order = lottery_order(the_seed, [ticket(TICKET_KEY, f"R-{n:04d}") for n in range(count)])
    return {
        "format": lottery.FORMAT,
        "commitment": commitment(SECRET),
        "secret": SECRET,
        "public_value": public_value,
        "seed": the_seed,
        "rules": {"public_value": "required" if public_value else "none"},
        "ticket_count": count,
        "tickets": [
            {
                "place": place,
                "ticket": code,
                "draw": lottery_place(the_seed, code),
                "group": "mayor",
                "outcome": "admitted" if place <= 10 else "waitlisted",
            }
            for place, code in enumerate(order, start=1)
        ],
    }
