"""Scripted bulks: ``applications suspicious``, ``merge-organisations`` and
``merged-organisations``.

``suspicious`` lists bulk patterns (``registrar.suspicious``) for an organiser to look at:
each finding says why, with the references of the applications. ``merge-organisations``
counts two organisation names as one for the per-organisation cap, with a reason
(``registrar.services.organisation_merges``). Parses, calls the domain, prints.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Annotated, Any

import typer

from registrar.suspicious import Finding, Thresholds, find_bulk_patterns
from registrar_cli import wiring
from registrar_cli.context import (
    CommandFailed,
    JsonOption,
    confirm,
    console,
    emit,
    guarded,
    json_local_time,
    target,
)
from registrar_cli.text import local_time, plural

_INDENT = "  "
_KIND_LABELS = {
    "email_domain": "Email domain",
    "organisation": "Organisation",
    "similar_names": "Similar names",
    "same_mailbox": "Same mailbox",
}


def register(applications: typer.Typer) -> None:
    """Add the commands to ``registrar applications``."""
    applications.command("suspicious")(suspicious)
    applications.command("merge-organisations")(merge_organisations)
    applications.command("merged-organisations")(merged_organisations)


@guarded
def suspicious(
    window: Annotated[
        int, typer.Option("--window", min=1, max=7 * 24 * 60, help="Burst window in minutes.")
    ] = 30,
    at_least: Annotated[
        int, typer.Option("--at-least", min=2, help="Applications in one window that flag it.")
    ] = 5,
    similar: Annotated[
        int, typer.Option("--similar", min=2, help="Near-identical names that flag them.")
    ] = 3,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Bulk patterns to look at: bursts from one email domain or organisation, look-alike
    names, one mailbox under several addresses. Each says why, with the references;
    nothing is changed."""
    thresholds = Thresholds(dt.timedelta(minutes=window), at_least, similar)
    services = wiring.services(target())
    conference = services.conference
    findings = find_bulk_patterns(services.applications.list(conference.id), thresholds)
    data = {
        "window_minutes": window,
        "at_least": at_least,
        "similar": similar,
        "findings": [finding_json(f, conference.zone) for f in findings],
    }
    emit(data, as_json, lambda d: _print_findings(d["findings"], conference.default_language))


def finding_json(finding: Finding, zone: Any) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "subject": finding.subject,
        "why": finding.why,
        "count": len(finding.refs),
        "refs": list(finding.refs),
        "first": json_local_time(finding.first, zone),
        "last": json_local_time(finding.last, zone),
    }


def findings_text(findings: list[dict[str, Any]], width: int, language: str) -> list[str]:
    """Findings (as ``finding_json`` gives them) in lines of at most ``width`` characters:
    each says why, when (as the event's ``language`` writes times), and the references."""
    if not findings:
        return ["No bulk patterns found."]
    lines: list[str] = []
    for finding in findings:
        label = _KIND_LABELS[finding["kind"]]
        first, last = (_wall_clock(finding[end], language) for end in ("first", "last"))
        times = f"{first} – {last}"
        lines += textwrap.wrap(f"{label}: {finding['why']} Applied {times}.", width)
        lines += textwrap.wrap(
            "Refs: " + ", ".join(finding["refs"]),
            width,
            initial_indent=_INDENT,
            subsequent_indent=_INDENT * 2,
            break_on_hyphens=False,
        )
    lines += textwrap.wrap(
        f"{plural(len(findings), 'finding')}: reasons to look, not verdicts. Merge "
        "spellings of one organisation with `registrar applications merge-organisations`.",
        width,
    )
    return lines


def _wall_clock(json_time: str, language: str) -> str:
    """``2023-04-06 10:59`` (JSON, already the event's wall clock) as people read it."""
    from registrar.i18n import language as event_language

    wall = dt.datetime.strptime(json_time, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    return event_language(language).date_time_short(wall, dt.UTC)


def _print_findings(findings: list[dict[str, Any]], language: str) -> None:
    width = max(40, min(console.width, 80))
    # Applicants' text (names, organisations) is printed as typed, never as markup.
    text = "\n".join(findings_text(findings, width, language))
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@guarded
def merge_organisations(
    merged: Annotated[str, typer.Argument(metavar="NAME", help="Organisation to merge.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="Organisation it counts as.")],
    reason: Annotated[str, typer.Option("--reason", help="Why; recorded with the merge.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking (for scripts).")] = False,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Count two organisation names as one for the per-organisation cap (recorded with
    the reason; used by every later admission run)."""
    from registrar.store.interfaces import ConcurrentUpdate

    merges = wiring.services(target()).organisation_merges
    plan = merges.plan(merged, into)
    confirm(
        f"Count {merged!r} ({plural(plan.moving, 'application')}) as {into!r} "
        f"({plural(plan.joined, 'application')}) for the per-organisation cap from the next "
        f"admission run on, for the reason {reason!r}?",
        yes,
    )
    try:
        done = merges.merge(merged, into, reason)
    except ConcurrentUpdate:
        raise CommandFailed(
            "Someone merged organisations at the same time; run the command again."
        ) from None
    data = {
        "merged": done.merged,
        "into": done.into,
        "keys": sorted(done.keys),
        "target": done.target,
        "applications_moved": done.moving,
        "applications_joined": done.joined,
        "reason": " ".join(reason.split()),
    }
    emit(
        data,
        as_json,
        lambda _: console.print(
            f"{merged!r} now counts as {into!r}: {plural(done.moving + done.joined, 'application')}"
            " share one cap from the next admission run on.",
            markup=False,
            highlight=False,
        ),
    )


@guarded
def merged_organisations(as_json: Annotated[bool, JsonOption] = False) -> None:
    """The organisation names merged for the cap so far: when, which, into what, why."""
    services = wiring.services(target())
    conference = services.conference
    merges = services.organisation_merges.current().merges
    data = [
        {
            "at": json_local_time(merge.at, conference.zone),
            "merged": merge.merged,
            "into": merge.into,
            "keys": list(merge.keys),
            "target": merge.target,
            "reason": merge.reason,
        }
        for merge in merges
    ]

    def render(rows: list[dict[str, Any]]) -> None:
        width = max(40, min(console.width, 80))
        lines = [] if rows else ["No organisations merged."]
        for row, merge in zip(rows, merges, strict=True):
            lines += textwrap.wrap(
                f"{local_time(merge.at, conference)}: {row['merged']!r} counts as "
                f"{row['into']!r}, because: {row['reason']}",
                width,
                subsequent_indent=_INDENT,
            )
        console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)

    emit(data, as_json, render)
