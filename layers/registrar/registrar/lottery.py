"""The lottery anyone can check: its rules and the check, in one standalone file.

This file uses Python's standard library only. Anyone can check a published draw with it,
without installing registrar: ``python3 -I lottery.py published-lottery.json`` (Python
3.10 or newer). registrar draws its lottery with these same functions, so the check cannot
drift from the lottery it checks.

The rules (format ``registrar-lottery/1``):

- The **secret** is 64 lowercase hexadecimal digits (32 random bytes), drawn before
  registration opens and kept hidden until the deadline run.
- Its **commitment** is SHA-256 of the secret (as ASCII), 64 lowercase hexadecimal digits.
  It is shown on the form and in every receipt, before anybody can know who wins.
- The **seed** is HMAC-SHA256 with the secret as key of ``"registrar lottery seed\\n"``
  followed by the **public value**, a value nobody knew before the deadline (for example a
  published lottery draw) that the organisers enter after it; without one, the text ends
  after the line break.
- Each application has a **ticket**: ten characters of base32 (``A``-``Z``, ``2``-``7``)
  in two groups of five. It is derived from the application with a key that is never
  published, so a ticket cannot be linked to a person without that key.
- A ticket's **draw** is HMAC-SHA256 with the seed as key of the ticket, as lowercase
  hexadecimal. The **lottery order** sorts tickets by draw (ties, which practically never
  happen, by ticket); a ticket's **place** is its 1-based position in that order.

Because the seed follows from the committed secret and a value drawn after the deadline,
nobody, organisers included, can choose it, and every place follows from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

FORMAT = "registrar-lottery/1"
SEED_LABEL = "registrar lottery seed\n"
HEX64 = re.compile(r"[0-9a-f]{64}")
TICKET = re.compile(r"[A-Z2-7]{5}-[A-Z2-7]{5}")


def commitment(secret: str) -> str:
    """SHA-256 of the secret, as 64 lowercase hexadecimal digits."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def seed(secret: str, public_value: str | None) -> str:
    """The lottery's seed: the secret and, where there is one, the public value."""
    message = SEED_LABEL + (public_value or "")
    return hmac.digest(secret.encode("ascii"), message.encode("utf-8"), hashlib.sha256).hex()


def ticket(ticket_key: str, application_id: str) -> str:
    """The application's ticket, e.g. ``"K7QXA-3MZPD"``: unlinkable without ``ticket_key``."""
    digest = hmac.digest(ticket_key.encode("ascii"), application_id.encode(), hashlib.sha256)
    code = base64.b32encode(digest).decode("ascii")[:10]
    return f"{code[:5]}-{code[5:]}"


def lottery_place(seed: str, entry: str) -> str:
    """The entry's draw (its ticket): HMAC-SHA256(key=seed, msg=entry), lowercase hex.

    Lower draws come first; each draw depends only on the seed and the entry itself, so
    adding or removing applications never reorders anybody else.
    """
    return hmac.digest(seed.encode(), entry.encode(), hashlib.sha256).hex()


def lottery_order(seed: str, tickets: Sequence[str]) -> list[str]:
    """The tickets in lottery order: by draw, ties by ticket."""
    return sorted(tickets, key=lambda t: (lottery_place(seed, t), t))


def first_discrepancy(
    document: Mapping[str, Any], *, expected_commitment: str | None = None
) -> str | None:
    """The first thing in a published draw that does not hold, as one sentence; else None.

    Checks, in this order: the format; the commitment against ``expected_commitment``
    (the one shown before the draw, if given); the revealed secret against the commitment;
    the public value the rules ask for; the seed; each ticket's form, uniqueness and draw;
    the places, one per ticket from 1 on, in lottery order.
    """
    if document.get("format") != FORMAT:
        return f"This is not a published registrar lottery (format {FORMAT!r} expected)."
    committed, secret = document.get("commitment"), document.get("secret")
    if not isinstance(committed, str) or not HEX64.fullmatch(committed):
        return "The commitment is not 64 lowercase hexadecimal digits."
    if expected_commitment is not None and committed != expected_commitment.strip().lower():
        return (
            f"The file's commitment {committed} is not the one published before the draw "
            f"({expected_commitment.strip().lower()})."
        )
    if not isinstance(secret, str) or not HEX64.fullmatch(secret):
        return "The revealed secret is not 64 lowercase hexadecimal digits."
    if commitment(secret) != committed:
        return (
            f"The revealed secret does not match the commitment: its SHA-256 is "
            f"{commitment(secret)}, the commitment is {committed}."
        )
    public_value = document.get("public_value")
    if public_value is not None and not isinstance(public_value, str):
        return "The public value is not text."
    rules = document.get("rules")
    wants_public_value = isinstance(rules, Mapping) and rules.get("public_value") == "required"
    if wants_public_value and not public_value:
        return "The rules require a public value, but the file has none."
    derived = seed(secret, public_value)
    if document.get("seed") != derived:
        return f"The seed does not follow from the secret and the public value (it is {derived})."
    entries = document.get("tickets")
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        return "The file has no list of tickets."
    return _tickets_discrepancy(derived, entries, document.get("ticket_count"))


def _tickets_discrepancy(
    derived_seed: str, entries: list[Mapping[str, Any]], ticket_count: object
) -> str | None:
    if ticket_count != len(entries):
        return f"The file says {ticket_count} tickets took part but lists {len(entries)}."
    seen: set[str] = set()
    for entry in entries:
        code = entry.get("ticket")
        if not isinstance(code, str) or not TICKET.fullmatch(code):
            return f"{code!r} is not a ticket (two groups of five characters A-Z, 2-7)."
        if code in seen:
            return f"Ticket {code} appears more than once."
        seen.add(code)
        draw = lottery_place(derived_seed, code)
        if entry.get("draw") != draw:
            return f"Ticket {code}'s draw is {draw}, not {entry.get('draw')}."
    order = lottery_order(derived_seed, [str(e["ticket"]) for e in entries])
    places = {str(e["ticket"]): e.get("place") for e in entries}
    for place, code in enumerate(order, start=1):
        if places[code] != place:
            return (
                f"Ticket {code} is at place {places[code]}, but its draw puts it at place {place}."
            )
    listed = [str(e["ticket"]) for e in entries]
    if listed != order:
        at = next(i for i, (a, b) in enumerate(zip(listed, order, strict=True)) if a != b)
        return f"The list is not in lottery order: place {at + 1} should be ticket {order[at]}."
    return None


def look_up(document: Mapping[str, Any], code: str) -> tuple[bool, str]:
    """One ticket in a checked draw: (listed, a sentence with its place and outcome)."""
    wanted = code.strip().upper()
    for entry in document["tickets"]:
        if entry["ticket"] == wanted:
            return True, (
                f"Ticket {wanted}: place {entry['place']} of {len(document['tickets'])}, "
                f"group {entry.get('group')}, outcome {entry.get('outcome')}."
            )
    return False, f"Ticket {wanted} is not in the draw."


def verify_file(
    path: str, *, expected_commitment: str | None = None, ticket_code: str | None = None
) -> tuple[bool, str]:
    """Read and check a published draw: (all holds, one sentence saying so or what fails).

    With ``ticket_code``, once all holds: that ticket's place and outcome, or that it is
    missing (which fails).
    """
    try:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
    except OSError as error:
        return False, f"{path} cannot be read ({error.strerror or error})."
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False, f"{path} is not a JSON file."
    if not isinstance(document, dict):
        return False, f"{path} is not a published registrar lottery."
    problem = first_discrepancy(document, expected_commitment=expected_commitment)
    if problem is not None:
        return False, problem
    if ticket_code is not None:
        return look_up(document, ticket_code)
    tickets = len(document["tickets"])
    with_value = " and the public value" if document.get("public_value") else ""
    return True, (
        f"All holds: the secret matches the commitment {document['commitment']}, and the "
        f"places of all {tickets} tickets follow from it{with_value}."
    )


def source() -> str:
    """This file's own text, which the form's lottery page offers for download."""
    with open(__file__, encoding="utf-8") as file:
        return file.read()


def main(argv: Sequence[str] | None = None) -> int:
    import argparse  # only the program needs it, not registrar's functions

    parser = argparse.ArgumentParser(
        description="Check a published registrar lottery: exit 0 when all holds, 1 otherwise."
    )
    parser.add_argument("file", help="the published JSON file")
    parser.add_argument(
        "--commitment",
        help="the commitment shown on the form or in your receipt, to compare with the file's",
    )
    parser.add_argument(
        "--ticket", help="your ticket from the receipt: its place and outcome, once all holds"
    )
    arguments = parser.parse_args(argv)
    holds, sentence = verify_file(
        arguments.file, expected_commitment=arguments.commitment, ticket_code=arguments.ticket
    )
    print(sentence, file=sys.stdout if holds else sys.stderr)
    return 0 if holds else 1


if __name__ == "__main__":
    sys.exit(main())
