"""What an admissions run changes, in an organiser's terms: who moves up, tour places, workshops.

A run record lists each changed decision (status before and after, workshops and extras
after); set beside the applications as they were before the run, it says who moved up
from the waiting list, who lost a seat, whose tour place or workshop changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from registrar.application import HOLDS_SEAT, IN_THE_RUNNING, Actor, Application, targets

# Passed over by an earlier run and still in the running: a seat now means moving up.
_WAITING = IN_THE_RUNNING & frozenset(targets(Actor.ADMISSIONS))


def snapshot(applications: Iterable[Application]) -> dict[str, Application]:
    return {a.public_id: a for a in applications if not a.erased}


def describe(run: Mapping[str, Any], before: Mapping[str, Application]) -> dict[str, Any]:
    """The run's diff against ``before`` (empty when the prior state is not known)."""
    moved_up: list[dict[str, Any]] = []
    lost_seat: list[dict[str, Any]] = []
    tour: list[dict[str, Any]] = []
    workshops: list[dict[str, Any]] = []
    transitions: Counter[str] = Counter()
    for change in run["changes"]:
        prior = before.get(change["public_id"])
        person = {
            "public_id": change["public_id"],
            "name": prior.display_name if prior else "",
            "group": prior.group if prior else "",
        }
        was, now = change["before"], change["after"]
        transitions[f"{was} -> {now}"] += 1
        if was in _WAITING and now in HOLDS_SEAT:
            moved_up.append(
                {
                    **person,
                    "from": was,
                    "to": now,
                    "workshops": change["workshops"],
                    "extras": change["extras"],
                }
            )
        if was in HOLDS_SEAT and now not in HOLDS_SEAT:
            lost_seat.append({**person, "from": was, "to": now})
        if now not in HOLDS_SEAT:
            continue
        held = prior is not None and prior.holds_seat
        old_extras = prior.extras if prior is not None and held else {}
        for extra_id, state in change["extras"].items():
            if old_extras.get(extra_id) != state:
                tour.append(
                    {**person, "extra": extra_id, "from": old_extras.get(extra_id, ""), "to": state}
                )
        if prior is not None and held:
            for slot_id, workshop in change["workshops"].items():
                if prior.workshops.get(slot_id) != workshop:
                    workshops.append(
                        {
                            **person,
                            "slot": slot_id,
                            "from": prior.workshops.get(slot_id, ""),
                            "to": workshop,
                        }
                    )
    stats = run.get("stats", {})
    return {
        "run_id": run["run_id"],
        "dry_run": run["dry_run"],
        "trigger": run["trigger"],
        "seed": run["seed"],
        "eligible": run["eligible"],
        "seats": {
            "capacity": stats.get("capacity"),
            "taken": stats.get("seats_taken"),
            "free": stats.get("seats_free"),
        },
        # All transitions are counted in the record even when its list of changes is capped.
        "transitions": {k.replace("→", " -> "): n for k, n in run.get("change_counts", {}).items()}
        or dict(transitions.most_common()),
        "changes_truncated": run.get("changes_truncated", False),
        "moved_up": moved_up,
        "lost_seat": lost_seat,
        "tour": tour,
        "workshop_changes": workshops,
        "emails": dict(run.get("emails_queued", {})),
        "choices": stats.get("choices", {}),
        # Ahead in the waiting list yet not seated while someone behind was, and why.
        "passed_over": [dict(p) for p in run.get("passed_over", [])],
    }
