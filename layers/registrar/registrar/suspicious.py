"""Bulk patterns among an event's applications, for organisers to look at.

A confirmed address is one ticket, but one person with a catch-all domain is many: a
script can register and confirm ``bot1@…``, ``bot2@…`` as fast as the firewall lets it.
What such a bulk leaves behind, and what is flagged here:

- many applications from one email domain in a short time (domains of public mail
  providers excluded: thousands of people share them, and their applications bunch near
  the deadline without anyone scripting them);
- many applications from one organisation (as the cap counts it,
  ``registrar.organisations``) in a short time;
- near-identical names: the same name once case, accents, digits, punctuation and the
  order of given and family name are set aside ("Test Bot 1" … "Test Bot 12");
- one mailbox under several addresses: ``erika+1@…`` and ``erika+2@…`` reach the same
  person (so do ``e.rika@gmail.com`` and ``erika@gmail.com``: Gmail ignores dots), yet
  each counts as an application of its own.

A finding is a reason to look, never a verdict: a town hall whose staff apply after one
internal circular looks like a burst too. Each finding says why, with the references of
the applications it concerns; nothing here changes an application. Pure: the
applications and thresholds are passed in; erased applications are left out.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from registrar.application import Application
from registrar.organisations import organisation_key

type FindingKind = Literal["email_domain", "organisation", "similar_names", "same_mailbox"]

# Mail providers anyone can get an address from: a domain shared by strangers.
PUBLIC_MAIL_PROVIDERS: Final = frozenset(
    {
        "aol.com", "arcor.de", "email.de", "freenet.de", "gmail.com", "gmx.at", "gmx.ch",
        "gmx.de", "gmx.net", "googlemail.com", "hotmail.com", "hotmail.de", "icloud.com",
        "kabelmail.de", "live.com", "live.de", "mail.de", "mailbox.org", "me.com", "msn.com",
        "online.de", "outlook.com", "outlook.de", "posteo.de", "proton.me",
        "protonmail.com", "t-online.de", "vodafone.de", "web.de", "yahoo.com", "yahoo.de",
    }
)  # fmt: skip


# Providers that deliver addresses differing only in dots before the @ to one mailbox.
DOTS_IGNORED: Final = frozenset({"gmail.com", "googlemail.com"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``at_least`` applications within ``window`` make a burst; ``similar`` names a group."""

    window: dt.timedelta = dt.timedelta(minutes=30)
    at_least: int = 5
    similar: int = 3


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    subject: str  # the domain, organisation or name the applications share
    why: str  # one sentence an organiser reads
    refs: tuple[str, ...]  # reference numbers, in the order they applied
    first: dt.datetime
    last: dt.datetime


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().casefold().rstrip(".")


def mailbox(address: str) -> str:
    """The mailbox an address reaches: no ``+tag``, no case, no dots where ignored."""
    local, _, domain = address.strip().casefold().rpartition("@")
    local = local.split("+", 1)[0]
    domain = domain.rstrip(".")
    if domain in DOTS_IGNORED:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def name_skeleton(given: str, family: str) -> str:
    """A name without case, accents, digits or punctuation, its words in sorted order."""
    text = unicodedata.normalize("NFKD", f"{given} {family}".casefold())
    letters = "".join(c if c.isalpha() else " " for c in text if not unicodedata.combining(c))
    return " ".join(sorted(letters.split()))


def find_bulk_patterns(
    applications: Iterable[Application], thresholds: Thresholds = Thresholds()
) -> list[Finding]:
    """Every finding, the largest first (then by when the first of them applied)."""
    present = sorted(
        (a for a in applications if not a.erased), key=lambda a: (a.submitted_at, a.public_id)
    )
    findings = [
        *_bursts(present, thresholds, "email_domain", _domain_of, _domain_sentence),
        *_bursts(present, thresholds, "organisation", _organisation_of, _organisation_sentence),
        *_similar_names(present, thresholds),
        *_shared_mailboxes(present),
    ]
    return sorted(findings, key=lambda f: (-len(f.refs), f.first, f.kind, f.subject))


def _domain_of(application: Application) -> tuple[str, str] | None:
    domain = email_domain(application.email)
    if not domain or domain in PUBLIC_MAIL_PROVIDERS:
        return None
    return domain, domain


def _organisation_of(application: Application) -> tuple[str, str] | None:
    key = organisation_key(application.organisation, application.municipality)
    return (key, application.organisation.strip()) if key else None


def _bursts(
    present: Sequence[Application],
    thresholds: Thresholds,
    kind: FindingKind,
    key_of: Callable[[Application], tuple[str, str] | None],
    sentence: Callable[[str, int, Thresholds, dt.timedelta], str],
) -> list[Finding]:
    grouped: dict[str, list[Application]] = defaultdict(list)
    shown: dict[str, str] = {}
    for application in present:
        found = key_of(application)
        if found is not None:
            grouped[found[0]].append(application)
            shown.setdefault(found[0], found[1])
    findings = []
    for key, members in grouped.items():
        burst = _in_bursts(members, thresholds)
        if burst:
            span = burst[-1].submitted_at - burst[0].submitted_at
            findings.append(
                Finding(
                    kind,
                    shown[key],
                    sentence(shown[key], len(burst), thresholds, span),
                    tuple(a.public_id for a in burst),
                    burst[0].submitted_at,
                    burst[-1].submitted_at,
                )
            )
    return findings


def _in_bursts(members: Sequence[Application], thresholds: Thresholds) -> list[Application]:
    """The members that lie in some window holding at least ``at_least`` of them."""
    flagged: set[int] = set()
    start = 0
    for end, application in enumerate(members):
        while members[start].submitted_at < application.submitted_at - thresholds.window:
            start += 1
        if end - start + 1 >= thresholds.at_least:
            flagged.update(range(start, end + 1))
    return [members[i] for i in sorted(flagged)]


def _minutes(span: dt.timedelta) -> str:
    minutes = max(1, round(span.total_seconds() / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def _limit(thresholds: Thresholds) -> str:
    return f"{thresholds.at_least} or more within {_minutes(thresholds.window)}"


def _domain_sentence(domain: str, count: int, thresholds: Thresholds, span: dt.timedelta) -> str:
    return (
        f"{count} applications from addresses at {domain} within {_minutes(span)} "
        f"({_limit(thresholds)}; not a public mail provider)."
    )


def _organisation_sentence(
    organisation: str, count: int, thresholds: Thresholds, span: dt.timedelta
) -> str:
    return (
        f"{count} applications naming the organisation {organisation!r} (however spelt) "
        f"within {_minutes(span)} ({_limit(thresholds)})."
    )


def _similar_names(present: Sequence[Application], thresholds: Thresholds) -> list[Finding]:
    grouped: dict[str, list[Application]] = defaultdict(list)
    for application in present:
        skeleton = name_skeleton(application.given_name, application.family_name)
        if skeleton:
            grouped[skeleton].append(application)
    findings = []
    for members in grouped.values():
        if len(members) < thresholds.similar:
            continue
        names = sorted({a.display_name for a in members})
        example = ", ".join(repr(n) for n in names[:3]) + (", …" if len(names) > 3 else "")
        findings.append(
            Finding(
                "similar_names",
                members[0].display_name,
                f"{len(members)} applications with near-identical names ({example}: the "
                "same once case, accents, digits and word order are set aside).",
                tuple(a.public_id for a in members),
                members[0].submitted_at,
                members[-1].submitted_at,
            )
        )
    return findings


def _shared_mailboxes(present: Sequence[Application]) -> list[Finding]:
    grouped: dict[str, list[Application]] = defaultdict(list)
    for application in present:
        grouped[mailbox(application.email)].append(application)
    findings = []
    for box, members in grouped.items():
        addresses = {a.email.strip().casefold() for a in members}
        if len(addresses) < 2:
            continue
        findings.append(
            Finding(
                "same_mailbox",
                box,
                f"{len(members)} applications from {len(addresses)} addresses that all "
                f"reach the mailbox {box} (a +tag, or dots Gmail ignores).",
                tuple(a.public_id for a in members),
                members[0].submitted_at,
                members[-1].submitted_at,
            )
        )
    return findings
