"""Synthetic applicants for the local stack: clearly fake, reproducible from a seed.

They go through the real HTTP API as JSON clients, and confirm through the link in the
receipt email in the outbox, exactly as a person would: the link opens a page, and the
button on it (a form POST) confirms. Each person sends from an address of their own
(``fake_client``), as real applicants do: the local gateway, like the firewall in front of
the deployed API, limits the POSTs of one address (``registrar_local.edge``). A few pairs
are registered by a mayor's office on their behalf (``as_an_office_would``); each person
still confirms their own address.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import ipaddress
import random
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from registrar.conference import Conference
from registrar.salutation import SALUTATIONS
from registrar.submission import (
    OTHER_DIETARY,
    chosen_days,
    day_choices,
    extra_field,
    ranking_field,
)
from registrar_cli.local_control import post_json

_GIVEN = (
    "Erika", "Max", "Jana", "Lukas", "Aylin", "Jonas", "Mira", "Tobias", "Leyla", "Paul",
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jakob",
    "Katrin", "Leon", "Maja", "Nils", "Olga", "Pia", "Rainer", "Sophie", "Timo", "Yasemin",
)  # fmt: skip
# Family names are made of placeholder words ("Mustermann", "Probehuber", "Platzhalter-
# Beispielfeld"): clearly fake, and varied enough that three people of one name are as rare
# as among real applicants (``applications suspicious`` flags look-alike names).
_FAMILY_STEMS = ("Muster", "Beispiel", "Probe", "Platzhalter", "Testweg", "Exempel", "Modell")
_FAMILY_ENDINGS = (
    "mann", "frau", "", "er", "meier", "huber", "berger", "bauer", "hofer", "schmidt", "feld",
)  # fmt: skip
_TOWN_STEMS = ("Muster", "Beispiel", "Probe", "Test", "Platzhalter", "Exempel", "Modell")
_TOWN_ENDINGS = ("stadt", "dorf", "hausen", "ingen", "berg", "feld", "heim", "bach", "burg", "au")
_ORGS = ("Stadtverwaltung", "Gemeinde", "Landkreis", "Verein Engagiert e. V.", "Beispiel GmbH")
# Roles by id; mayors and administrations apply most. Roles not named here weigh 1.
_ROLE_WEIGHTS = {"mayor": 4, "district_administrator": 1, "administration": 5, "council": 2}
_ROLE_WEIGHTS |= {"civil_society": 4}
_FUNCTIONS = {
    "mayor": "Bürgermeisterin",
    "district_administrator": "Landrat",
    "administration": "Leiterin Stabsstelle Ehrenamt",
    "council": "Mitglied des Gemeinderats",
    "civil_society": "Vorstand",
}
# Every OFFICE_EVERY-th pair of applicants is registered by one office (a mayor's office
# registering the mayor and a deputy): the same submitting address and organisation,
# mails in copy to the office for one pair, to the office only for the next.
OFFICE_EVERY = 25
_CONFIRM_LINK = re.compile(r"(https?://\S+/confirm\?token=[A-Za-z0-9_.%\-]+)")
_SUBSTITUTE_LINK = re.compile(r"(https?://\S+/substitute\?token=[A-Za-z0-9_.%\-]+)")
_MANAGE_LINK = re.compile(r"(https?://\S+/manage\?token=[A-Za-z0-9_.%\-]+)")


# IPv6's documentation prefix (RFC 3849): addresses that belong to nobody.
_DOCUMENTATION_NETWORK = ipaddress.IPv6Network("2001:db8::/32")


def fake_client(key: str) -> str:
    """A documentation address of one fake person's device, the same for the same key."""
    host = int.from_bytes(hashlib.sha256(key.encode()).digest()[:12])
    return str(_DOCUMENTATION_NETWORK[host])


def _from(key: str) -> dict[str, str]:
    return {"X-Forwarded-For": fake_client(key)}


@dataclass(frozen=True)
class SeedResult:
    submitted: int
    confirmed: int
    refused: int


# Every single family name the seed gives (a double name joins two with a hyphen).
FAMILY_NAMES = tuple(stem + ending for stem in _FAMILY_STEMS for ending in _FAMILY_ENDINGS)


def fake_family_name(rng: random.Random) -> str:
    parts = 2 if rng.random() < 0.3 else 1
    return "-".join(rng.choice(_FAMILY_STEMS) + rng.choice(_FAMILY_ENDINGS) for _ in range(parts))


def fake_applicant(conference: Conference, rng: random.Random, number: int) -> dict[str, Any]:
    roles = list(conference.role_ids)
    role = rng.choices(roles, weights=[_ROLE_WEIGHTS.get(r, 1) for r in roles])[0]
    town = rng.choice(_TOWN_STEMS) + rng.choice(_TOWN_ENDINGS)
    dietary = rng.choice(conference.form_options.dietary).id
    body: dict[str, Any] = {
        "salutation": rng.choices(SALUTATIONS, weights=(45, 45, 2, 8))[0],
        "title": rng.choices(("", "Dr.", "Prof. Dr."), weights=(75, 20, 5))[0],
        "given_name": rng.choice(_GIVEN),
        "family_name": fake_family_name(rng),
        "function": _FUNCTIONS.get(role, ""),
        "email": f"applicant{number:05d}@example.org",
        "organisation": f"{rng.choice(_ORGS)} {town}",
        "municipality": town,
        "region": rng.choice(conference.form_options.regions).id,
        "group": role,
        "dietary": dietary,
        # "other" says what is needed (a submission without the note is refused)
        "dietary_note": "glutenfrei" if dietary == OTHER_DIETARY else "",
        "consent": True,
        "language": "en" if rng.random() < 0.2 else conference.default_language,
    }
    # Most come on every day; every tenth only on the first day, every tenth only on the
    # last (by number, so the other answers stay as the seed draws them).
    days = day_choices(conference)
    answer = days[0] if days else ""
    if days and number % 10 == 3:
        answer = days[1]
    elif days and number % 10 == 7:
        answer = days[-1]
    if answer:
        body["days"] = answer
    attended = chosen_days(answer, conference)
    for slot in conference.workshop_slots:
        ranking = list(slot.workshop_ids)
        rng.shuffle(ranking)
        if slot.date in attended:  # only the days they come on are ranked
            body[ranking_field(slot.id)] = ranking
    for extra in conference.extras:
        wanted = rng.random() < 0.4
        body[extra_field(extra.id)] = wanted and extra.date in attended
    return body


def as_an_office_would(body: dict[str, Any], number: int) -> dict[str, Any]:
    """Applicant ``number`` as registered by a mayor's office, if one registers them (the
    first two of every OFFICE_EVERY: one office, one organisation); else ``body``."""
    if number % OFFICE_EVERY not in (1, 2):
        return body
    office = number // OFFICE_EVERY
    town = _TOWN_STEMS[office % len(_TOWN_STEMS)] + _TOWN_ENDINGS[office % len(_TOWN_ENDINGS)]
    return body | {
        "on_behalf": True,
        "submitter_email": f"buergermeisterbuero{office:03d}@example.org",
        "submitter_copy": "copy" if office % 2 == 0 else "only",
        "organisation": f"Stadtverwaltung {town}",
        "municipality": town,
    }


class _Forms(HTMLParser):
    """The forms of a page: each one's action and its fields (hidden inputs included)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append((attributes.get("action") or "", {}))
        elif tag == "input" and self.forms and attributes.get("name"):
            self.forms[-1][1][str(attributes["name"])] = attributes.get("value") or ""


def confirm(link: str, client_key: str | None = None) -> int:
    """Open a confirmation link and press the page's button, as a browser does (a box on
    the page, such as a substitute's privacy consent, ticked).

    The status of the POST (200: confirmed); the page's status if it has no form. Sent
    from the fake address of ``client_key`` (default: the link's own person).
    """
    client_key = client_key or link
    opened = urllib.request.Request(link, headers=_from(client_key))  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(opened, timeout=30) as response:  # noqa: S310 - loopback
            page = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code
    parser = _Forms()
    parser.feed(page)
    if not parser.forms:
        return 0
    action, fields = parser.forms[0]
    return post_form(urllib.parse.urljoin(link, action), fields, client_key=client_key)


def confirm_links(outbox_dir: Path, files: list[str]) -> list[str]:
    """The confirmation links in the given receipt emails."""
    return links_in(outbox_dir, files, _CONFIRM_LINK)


def substitute_links(outbox_dir: Path, files: list[str]) -> list[str]:
    """The links in the given emails that let a colleague take over a seat."""
    return links_in(outbox_dir, files, _SUBSTITUTE_LINK)


def manage_links(outbox_dir: Path, files: list[str]) -> list[str]:
    """The manage links in the given emails."""
    return links_in(outbox_dir, files, _MANAGE_LINK)


def post_form(url: str, fields: dict[str, str], client_key: str | None = None) -> int:
    """POST a form as a browser does; the status after no redirects.

    Sent from the fake address of ``client_key`` (default: the form's token, i.e. the
    person whose link it is).
    """
    key = client_key or fields.get("token") or url
    request = urllib.request.Request(  # noqa: S310 - the local stack's http URL
        url,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **_from(key)},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def links_in(outbox_dir: Path, files: list[str], pattern: re.Pattern[str]) -> list[str]:
    links = []
    for name in files:
        message = email.message_from_bytes(
            (outbox_dir / name).read_bytes(), policy=email.policy.default
        )
        part: Any = message.get_body(preferencelist=("plain",))
        found = pattern.search(part.get_content() if part is not None else "")
        if found:
            links.append(found.group(1))
    return links


def seed_applicants(
    conference: Conference,
    api_url: str,
    count: int,
    seed: int,
    *,
    progress: Callable[[int], None] | None = None,
    before_each: Callable[[int], None] | None = None,
    offices: bool = True,
) -> tuple[SeedResult, list[dict[str, Any]]]:
    """Submit ``count`` fake applicants; ``before_each(number)`` runs before each (the demo
    moves its clock there, so that applications arrive over weeks, as real ones do).
    ``offices``: some are registered by a mayor's office (False: each by themselves)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not security
    refused = 0
    bodies = []
    for number in range(1, count + 1):
        if before_each:
            before_each(number)
        body = fake_applicant(conference, rng, number)
        if offices:
            body = as_an_office_would(body, number)
        status, _ = post_json(
            f"{api_url}/applications", body, extra_headers=_from(str(body["email"]))
        )
        if status != 202:
            refused += 1
        bodies.append(body)
        if progress:
            progress(number)
    return SeedResult(submitted=count - refused, confirmed=0, refused=refused), bodies


# -- a scripted bulk ---------------------------------------------------------------------
# Clearly marked scripted fakes, standing in for a bot that floods the form: one catch-all
# domain, one client address, numbered names, seconds apart. Few enough to pass under the
# firewall's POST limit, as a careful script would; `registrar applications suspicious`
# is what shows them to organisers.
BULK_DOMAIN = "bulk.example"
BULK_SIZE = 12
BULK_ORGANISATION = "Bulk Testverein"


def scripted_fake(conference: Conference, number: int) -> dict[str, Any]:
    """The ``number``-th application of the scripted bulk (a complete, valid form)."""
    body = fake_applicant(conference, random.Random(number), number)  # noqa: S311 - fake data
    body |= {
        "given_name": "Test",
        "family_name": f"Bot {number}",
        "email": f"bot{number}@{BULK_DOMAIN}",
        "organisation": BULK_ORGANISATION,
        "municipality": "Musterstadt",
    }
    return body


def submit_scripted_bulk(
    conference: Conference,
    api_url: str,
    count: int = BULK_SIZE,
    *,
    before_each: Callable[[int], None] | None = None,
) -> SeedResult:
    """Submit the scripted bulk, every request from the one address of the script."""
    script = _from(BULK_DOMAIN)
    refused = 0
    for number in range(1, count + 1):
        if before_each:
            before_each(number)
        body = scripted_fake(conference, number)
        status, _ = post_json(f"{api_url}/applications", body, extra_headers=script)
        refused += status != 202
    return SeedResult(submitted=count - refused, confirmed=0, refused=refused)
