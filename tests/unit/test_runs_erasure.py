"""A run record after one of the people it names is erased: their entries name nobody,
every count and every other person's entry stays as it was."""

from __future__ import annotations

import datetime as dt

from registrar.runs import ERASED_REFERENCE, AdmissionRun, Change, PassOver, without_person

AT = dt.datetime(2023, 4, 11, 0, 5, tzinfo=dt.UTC)
ERASED, OTHER = "R-ERAS-ED22", "R-OTHE-R333"


def _run(reason: str = "") -> AdmissionRun:
    return AdmissionRun(
        event_id="kassel-2023",
        run_id="20230411T000500000000Z-abc123",
        trigger="daily",
        started_at=AT,
        seed="s",
        inputs_digest="d",
        eligible=2,
        stats={},
        changes=[
            Change(public_id=ERASED, before="waitlisted", after="offered", workshops={"d1": "w1"}),
            Change(public_id=OTHER, before="waitlisted", after="offered"),
        ],
        change_counts={"waitlisted→offered": 2},
        passed_over=[PassOver(public_id=ERASED, reason="reserved_seat", group="mayors")],
        reason=reason,
        expires_at=AT + dt.timedelta(days=400),
    )


def test_their_entries_name_nobody_and_the_counts_and_others_stay() -> None:
    run = _run("Nachrücken nach Absage von Frau Beispiel")
    redacted = without_person(run, ERASED, lambda text: "Beispiel" in text)
    assert redacted is not None
    assert redacted.changes == [
        Change(public_id=ERASED_REFERENCE, before="waitlisted", after="offered"),
        run.changes[1],
    ]
    assert redacted.passed_over == [
        PassOver(public_id=ERASED_REFERENCE, reason="reserved_seat", group="mayors")
    ]
    assert redacted.change_counts == run.change_counts and redacted.reason == ""
    assert ERASED not in redacted.model_dump_json()


def test_a_record_that_never_named_them_is_left_alone() -> None:
    assert without_person(_run("daily"), "R-NONE-XIST", lambda text: False) is None


def test_a_reason_naming_someone_else_stays() -> None:
    redacted = without_person(_run("nach Absage von R-OTHE-R333"), ERASED, lambda t: False)
    assert redacted is not None and redacted.reason == "nach Absage von R-OTHE-R333"
