"""An admissions run for people: who moves (reference and name), from what to what.

``person_changes`` is the list ``admissions run --json`` prints as ``changes``, in the same
shape for a dry run and an applied one: one object per person with ``ref``, ``name``,
``from`` and ``to`` (statuses), the tour and other extras that change, and the workshops
they hold afterwards. ``changes_table`` shows it within 80 columns, tour changes as such
("city tour: waiting list → place") and workshops by title.

``numbered_runs`` lists the applied runs as ``admissions history`` (and the demo's summary)
name them: ``#1`` the first (the deadline's), then in the order they ran, each with its
trigger and start on the event's clock (``runs_table``). Pure: records or dicts in, table out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich import box
from rich.table import Table

from registrar.application import Application
from registrar.conference import Conference
from registrar.runs import AdmissionRun
from registrar_cli.labels import workshop_label
from registrar_cli.text import event_day, local_time, plural, shown
from registrar_cli.views import table as plain_table

EXTRA_STATES = {"place": "place", "waitlist": "waiting list", "": "none"}


def person_changes(
    run: Mapping[str, Any], before: Mapping[str, Application]
) -> list[dict[str, Any]]:
    """Each recorded change with the person's name and their extras before and after."""
    changes = []
    for change in run["changes"]:
        prior = before.get(change["public_id"])
        held_before = dict(prior.extras) if prior is not None and prior.holds_seat else {}
        extras = {
            extra_id: {"from": held_before.get(extra_id, ""), "to": state}
            for extra_id, state in change["extras"].items()
            if held_before.get(extra_id, "") != state
        }
        extras.update(
            {
                extra_id: {"from": state, "to": ""}
                for extra_id, state in held_before.items()
                if extra_id not in change["extras"]
            }
        )
        changes.append(
            {
                "ref": change["public_id"],
                "name": prior.display_name if prior is not None else "",
                "from": change["before"],
                "to": change["after"],
                "extras": extras,
                "workshops": dict(change["workshops"]),
            }
        )
    return changes


def change_text(change: Mapping[str, Any], conference: Conference) -> str:
    """``waitlisted → offered; city tour: waiting list → place; 11.05. WS II, 12.05. WS I``."""
    parts = []
    if change["from"] != change["to"]:
        parts.append(f"{change['from']} → {change['to']}")
    for extra_id, states in change["extras"].items():
        label = extra_id.replace("_", " ")
        parts.append(f"{label}: {EXTRA_STATES[states['from']]} → {EXTRA_STATES[states['to']]}")
    if change["to"] in {"accepted", "offered"} and change["workshops"]:
        parts.append(
            ", ".join(
                f"{event_day(slot.date, conference)} "
                + workshop_label(conference, slot.id, change["workshops"][slot.id], room=False)
                for slot in conference.workshop_slots
                if change["workshops"].get(slot.id)
            )
        )
    return "; ".join(parts) or "details changed"


def changes_table(
    changes: Sequence[Mapping[str, Any]], conference: Conference, *, limit: int | None = None
) -> Table:
    """Who moves: reference, name and what changes for them (the first ``limit`` rows)."""
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        title=f"Who moves ({plural(len(changes), 'person', 'people')})",
        title_justify="left",
    )
    table.add_column("ref", no_wrap=True, min_width=11)
    table.add_column("name", ratio=1, overflow="fold")
    table.add_column("change", ratio=2, overflow="fold")
    for change in list(changes)[:limit]:
        table.add_row(
            shown(change["ref"]), shown(change["name"]), shown(change_text(change, conference))
        )
    return table


def applied_in_order(runs: Iterable[AdmissionRun]) -> list[AdmissionRun]:
    """Applied admission runs in the order they ran (dry runs are no part of the record)."""
    return sorted((r for r in runs if not r.dry_run), key=lambda r: r.started_at)


def numbered_runs(runs: Iterable[AdmissionRun]) -> list[dict[str, Any]]:
    """Each applied run as ``admissions history --json`` lists it: its record without the
    changes, the changes counted, and its ``number`` (1 for the first)."""
    return [
        run.model_dump(mode="json", exclude={"changes"})
        | {"changes": sum(run.change_counts.values()) or len(run.changes), "number": number}
        for number, run in enumerate(applied_in_order(runs), start=1)
    ]


def runs_table(title: str, runs: Sequence[Mapping[str, Any]], conference: Conference) -> Table:
    """``#2``, its trigger, its start on the event's clock, what it changed and sent."""
    table = plain_table(title)
    for header, style in (
        ("run", {"no_wrap": True}),
        ("trigger", {}),
        ("started", {"no_wrap": True}),
        ("changes", {"justify": "right"}),
        ("emails", {"justify": "right"}),
        ("seats", {"justify": "right"}),
        ("reason", {"overflow": "fold"}),
    ):
        table.add_column(header, **style)
    for run in runs:
        table.add_row(
            f"#{run['number']}",
            shown(run["trigger"]),
            local_time(run["started_at"], conference),
            str(run["changes"]),
            str(sum(run["emails_queued"].values())),
            str(run["stats"].get("seats_taken", "")),
            shown(run["reason"]),
        )
    return table
