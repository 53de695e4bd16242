"""`registrar admissions run --apply` on a run that goes on in a new invocation."""

from __future__ import annotations

from registrar_cli.commands.admissions import continuing_note


def test_a_run_stopped_at_a_checkpoint_is_said_to_go_on_by_itself() -> None:
    stopped = {
        "dry_run": False,
        "finished_at": None,
        "change_counts": {"new→accepted": 700, "new→waitlisted": 300},
    }
    note = continuing_note(stopped)
    assert note is not None
    assert note.startswith("1000 decisions written so far.")
    assert "goes on by itself in a new invocation" in note
    assert "registrar admissions history" in note


def test_a_finished_run_or_a_preview_needs_no_note() -> None:
    assert continuing_note({"dry_run": False, "finished_at": "2023-04-10T22:00:05Z"}) is None
    assert continuing_note({"dry_run": True, "finished_at": None}) is None
