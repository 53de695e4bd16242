"""Every organiser command end to end: typer's runner, the embedded local stack, its outbox.

One stack for the module: 165 fake applicants (capacity 150, so some wait) seeded through
the HTTP API, confirmed by their receipt links, the clock moved past the deadline. Each
test picks the people it needs by status, so a test reads on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import io
import json
import os
import re
import stat
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import Result

from registrar import runtime
from registrar.conference import Conference
from registrar.mail_queue import MailRequest
from registrar.store.dynamo import DynamoApplications, DynamoOutbox
from registrar_local.outbox import copy_message_id
from registrar_local.stack import LocalStack
from tests.support.keys import applicant_key
from tests.support.local_cli import cli, seeded_stack_past_deadline
from tests.support.mail import SesSpy

pytestmark = pytest.mark.e2e
APPLICANTS = 165
_MANAGE_LINK = re.compile(r"(https?://\S+/manage\?token=[A-Za-z0-9_.%\-]+)")


@dataclass
class Local:
    stack: LocalStack
    conference: Conference
    workdir: Path
    before_deadline: Result
    applied_before_deadline: Result
    published_before_deadline: Result

    def outbox(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = json.loads(
            (self.workdir / "outbox" / "index.json").read_text(encoding="utf-8")
        )
        return entries

    def mails_to(self, address: str, kind: str) -> list[dict[str, Any]]:
        return [
            e for e in self.outbox() if e["kind"] == kind and address in e["recipient"].split(", ")
        ]


def ok_json(*args: str, input: str | None = None) -> Any:
    result = cli(*args, "--json", input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def one_sentence(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def listed(status: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok_json("applications", "list", "--status", status)
    return rows


def reading_own_mail(local: Local, status: str) -> list[dict[str, Any]]:
    """Those with ``status`` ("accepted", "waitlisted") whose mail of that name reached their
    own address. A mayor's office may have chosen to receive the mails instead (the seed
    registers some through offices; only the receipt always goes to the person), and who
    is admitted changes with each lottery."""
    return [p for p in listed(status) if local.mails_to(p["email"], status)]


def mails_for(local: Local, reference: str, kind: str) -> list[dict[str, Any]]:
    """The ``kind`` mails about one application, wherever they went: to the person, or to
    the office that registered them and chose to receive the mails instead."""
    shown = ok_json("applications", "show", reference)
    only_office = shown["submitted_by"] and shown["submitter_copy"] == "only"
    return local.mails_to(shown["submitted_by"] if only_office else shown["email"], kind)


def is_copy(entry: dict[str, Any]) -> bool:
    """The office's copy of a person's mail: a message of its own, its id the person's
    message's with "-copy"."""
    return bool(entry["message_id"].partition("@")[0].endswith("-copy"))


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Local]:
    workdir = tmp_path_factory.mktemp("cli")

    def before_deadline() -> tuple[Result, Result, Result]:
        return (
            cli("admissions", "run"),
            cli("admissions", "run", "--apply", "--yes"),
            cli("admissions", "lottery", "publish", "--output", str(workdir / "early.json")),
        )

    with seeded_stack_past_deadline(workdir, APPLICANTS, before_deadline) as seeded:
        stack, conference, (early, early_apply, early_publish) = seeded
        yield Local(stack, conference, workdir, early, early_apply, early_publish)


def decline_through_manage_link(local: Local, address: str) -> None:
    """What an applicant does: open the link in their acceptance email, decline."""
    accepted = local.mails_to(address, "accepted")[-1]
    message = email.message_from_bytes(
        (local.workdir / "outbox" / accepted["file"]).read_bytes(), policy=email.policy.default
    )
    body: Any = message.get_body(preferencelist=("plain",))
    link = _MANAGE_LINK.search(body.get_content())
    assert link is not None
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(link.group(1)).query)["token"][0]
    form = urllib.parse.urlencode(
        {"token": token, "action": "decline", "lang": "de", "confirmed": "true"}
    ).encode()
    with urllib.request.urlopen(
        urllib.request.Request(f"{local.stack.api_url}/manage", data=form, method="POST")
    ) as response:
        assert response.status == 200


# -- status, list, show ------------------------------------------------------------------


def test_status_counts_the_deadline_run(local: Local) -> None:
    status = ok_json("status")
    assert status["registration"] == "closed"
    assert status["seats_taken"] == local.conference.admission.capacity
    assert status["by_status"]["waitlisted"] == APPLICANTS - status["seats_taken"]
    assert status["last_run"]["trigger"] == "deadline"


def test_before_the_deadline_a_run_is_previewed_and_never_applied(local: Local) -> None:
    preview = local.before_deadline
    assert preview.exit_code == 0, preview.output
    assert "Preview as if the deadline were now" in preview.stdout
    assert "Nothing was written" in preview.stdout and "who applies may still" in preview.stdout
    refused = one_sentence(local.applied_before_deadline)
    assert "Registration is open until 10.04.2023 23:59" in refused
    assert "a run can be applied only after the deadline" in refused
    status = ok_json("status")
    assert status["last_run"]["trigger"] == "deadline"  # the preview wrote no run


def test_list_filters_by_status_and_group(local: Local) -> None:
    waiting = listed("waitlisted")
    assert waiting and {r["status"] for r in waiting} == {"waitlisted"}
    assert [r["waitlist_position"] for r in waiting] == sorted(
        r["waitlist_position"] for r in waiting
    )
    mayors = ok_json("applications", "list", "--group", "mayor")
    assert mayors and {r["group"] for r in mayors} == {"mayor"}
    table = cli("applications", "list", "--status", "accepted")
    assert table.exit_code == 0 and "applications" in table.stdout
    assert cli("applications", "list", "--status", "maybe").exit_code == 2
    assert cli("applications", "list", "--group", "pirates").exit_code == 2


def test_show_by_address_or_public_id_with_history(local: Local) -> None:
    by_address = ok_json("applications", "show", "applicant00001@example.org")
    by_id = ok_json("applications", "show", by_address["public_id"].lower())
    assert by_id == by_address
    assert [h["action"] for h in by_address["history"]][:2] == ["submitted", "confirmed"]
    table = cli("applications", "show", by_address["public_id"])
    assert "History" in table.stdout and by_address["public_id"] in table.stdout
    missing = one_sentence(cli("applications", "show", "R-NONE-NONE"))
    assert "No application R-NONE-NONE" in missing


def rename(local: Local, public_id: str, **fields: str) -> None:
    """Store text as an applicant could have typed it (the form's rules aside)."""
    repository = DynamoApplications()
    found = repository.find_by_public_id(local.conference.id, public_id)
    assert found is not None
    for name, value in fields.items():
        setattr(found, name, value)
    repository.save(found)


def test_stored_markup_is_printed_as_typed(local: Local) -> None:
    hostile = ("[/]", "[link=https://evil.example]Klick[/link]")
    people = listed("accepted")[-2:]
    for person, name in zip(people, hostile, strict=True):
        rename(local, person["public_id"], family_name=name)
    table = cli("applications", "list", "--status", "accepted", "--wide")
    assert table.exit_code == 0, table.output
    assert all(name in table.stdout for name in hostile)
    for person, name in zip(people, hostile, strict=True):
        shown = cli("applications", "show", person["public_id"])
        assert shown.exit_code == 0, shown.output
        assert name in shown.stdout
        assert ok_json("applications", "show", person["public_id"])["family_name"] == name
    names = {r["name"] for r in listed("accepted")}
    assert all(any(name in n for n in names) for name in hostile)


def test_status_and_list_fit_80_columns(local: Local) -> None:
    """The interface other tools check: no line longer than 80 characters."""
    person = listed("waitlisted")[1]
    rename(
        local,
        person["public_id"],
        given_name="Maria-Magdalena Friederike",
        family_name="Schönhausen-Wittgenstein-Übermorgenland",
        organisation="Zweckverband für interkommunale Zusammenarbeit im Landkreis Kassel",
        municipality="Hann. Münden-Hedemünden-Oberode-Wiershausen",
    )
    registrar = Path(sys.executable).with_name("registrar")
    for args in (["status"], ["applications", "list"]):
        done = subprocess.run(
            [str(registrar), "--local", *args],
            cwd=local.workdir,
            env={**os.environ, "COLUMNS": "80"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) > 5 and max(len(line) for line in lines) <= 80, done.stdout
        assert "Traceback" not in done.stderr


# -- admissions --------------------------------------------------------------------------


def test_a_decline_shows_in_the_dry_run_and_is_applied_after_confirmation(local: Local) -> None:
    leaving = reading_own_mail(local, "accepted")[0]
    decline_through_manage_link(local, leaving["email"])
    first_waiting = listed("waitlisted")[0]

    preview = ok_json("admissions", "run")
    assert preview["applied"] is False
    moved = preview["preview"]["moved_up"]
    assert len(moved) == 1 and moved[0]["to"] == "offered"
    # a workshop in each slot on the days the person comes (some come on one day only)
    days = next(w["days"] for w in listed("waitlisted") if w["public_id"] == moved[0]["public_id"])
    slots = {"2023-05-11": "day1", "2023-05-12": "day2"}
    assert moved[0]["name"] and set(moved[0]["workshops"]) == {slots[day] for day in days}
    # The seat may free a tour place too: a participant moving up the tour's waiting list
    # is told by its own short email.
    tour_moves = [t for t in preview["preview"]["tour"] if t["from"] == "waitlist"]
    expected = {"offered": 1} | ({"extra_place": len(tour_moves)} if tour_moves else {})
    assert preview["preview"]["emails"] == expected
    assert listed("waitlisted")[0] == first_waiting  # a dry run writes nothing

    by_ref = {c["ref"]: c for c in preview["changes"]}
    assert (by_ref[moved[0]["public_id"]]["from"], by_ref[moved[0]["public_id"]]["to"]) == (
        "waitlisted",
        "offered",
    )
    assert by_ref[moved[0]["public_id"]]["name"] == moved[0]["name"]
    shown = cli("admissions", "run")
    assert "Who moves (" in shown.stdout and moved[0]["public_id"] in shown.stdout
    assert "waitlisted → offered" in shown.stdout
    said = " ".join(shown.stdout.split())  # the line may wrap at 80 columns
    assert "Emails it would send:" in said and "Platzangebot (offered): 1" in said
    unattended = cli("admissions", "run", "--apply")
    assert unattended.exit_code == 2 and "add --yes" in unattended.stderr
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("registrar_cli.context.stdin_is_terminal", lambda: True)
        refused = cli("admissions", "run", "--apply", input="n\n")
    assert refused.exit_code == 1 and not listed("offered")

    applied = ok_json("admissions", "run", "--apply", "--yes", "--reason", "first declines")
    assert applied["applied"] is True and applied["run"]["moved_up"] == moved
    assert [(c["ref"], c["from"], c["to"]) for c in applied["changes"]] == [
        (c["ref"], c["from"], c["to"]) for c in preview["changes"]
    ]  # the same shape for a dry run and an applied one
    offered = listed("offered")
    assert [o["public_id"] for o in offered] == [moved[0]["public_id"]]
    assert mails_for(local, offered[0]["public_id"], "offered")
    # The seat went to the head of the queue, unless the run names why it was skipped.
    skipped = {p["public_id"] for p in applied["run"]["passed_over"]}
    assert moved[0]["public_id"] == first_waiting["public_id"] or first_waiting["ref"] in skipped
    waiting = listed("waitlisted")
    assert [w["waitlist_position"] for w in waiting] == list(range(1, len(waiting) + 1))
    assert all(w["ref"] == w["public_id"] and w["status"] == "waitlisted" for w in waiting)
    assert all(o["waitlist_position"] is None for o in offered)

    history = ok_json("admissions", "history")
    assert [r["trigger"] for r in history["runs"]] == ["deadline", "organiser"]
    assert [r["number"] for r in history["runs"]] == [1, 2]
    listed_runs = cli("admissions", "history").stdout
    assert "#1" in listed_runs and "#2" in listed_runs and "11.04.2023" in listed_runs
    assert history["runs"][-1]["reason"] == "first declines"
    run_id = applied["run"]["run_id"]
    shown_run = ok_json("admissions", "show", run_id[:20])
    assert shown_run["run_id"] == run_id and shown_run["changes"]
    assert ok_json("admissions", "show", "#2")["run_id"] == run_id
    shown_text = cli("admissions", "show", "2").stdout
    assert "Run #2 (organiser)" in shown_text and "Workshops" in shown_text
    assert "Selbstverwaltung" in shown_text  # workshops by title, not by id
    assert moved[0]["public_id"] in shown_text
    assert "No run" in one_sentence(cli("admissions", "show", "1999"))


def test_a_seed_cannot_be_chosen_once_the_lottery_is_committed(local: Local) -> None:
    before = ok_json("admissions", "history")
    for args in (("--seed", "announced-seed"), ("--seed", "x", "--apply", "--yes")):
        refused = one_sentence(cli("admissions", "run", *args), code=2)
        assert refused.startswith("--seed is refused: the lottery is committed (SHA-256 ")
    assert ok_json("admissions", "history") == before  # nothing ran
    # Two previews and the deadline run drew the same lottery: the committed one.
    first, second = ok_json("admissions", "run"), ok_json("admissions", "run")
    assert first["preview"]["seed"] == second["preview"]["seed"] == before["runs"][0]["seed"]


# -- the published lottery ----------------------------------------------------------------


def test_the_lottery_is_published_without_personal_data_and_anyone_can_check_it(
    local: Local,
) -> None:
    early = one_sentence(local.published_before_deadline)
    assert early.startswith("The lottery's secret is revealed by the deadline run")
    assert not (local.workdir / "early.json").exists()
    published = local.workdir / "lottery.json"
    written = ok_json("admissions", "lottery", "publish", "--output", str(published))
    document = json.loads(published.read_text(encoding="utf-8"))
    assert written["tickets"] == document["ticket_count"] == APPLICANTS
    commitment = document["commitment"]
    status = ok_json("admissions", "lottery", "status")
    assert status["commitment"] == commitment and status["revealed_at"]
    # The form showed this commitment until the deadline; the lottery page shows it since.
    with urllib.request.urlopen(f"{local.stack.api_url}/lottery") as page:
        assert commitment in page.read().decode()
    text = published.read_text(encoding="utf-8")
    for person in listed("accepted")[:5] + listed("waitlisted")[:5]:
        for personal in (person["public_id"], person["email"], person["name"]):
            assert personal not in text
        shown = ok_json("applications", "show", person["public_id"])
        (row,) = [t for t in document["tickets"] if t["ticket"] == shown["ticket"]]
        expected = {"accepted": "admitted", "waitlisted": "waitlisted"}[person["status"]]
        assert row["outcome"] == expected
        assert row["waitlist_position"] == shown["waitlist_position"]
    checked = cli("lottery", "verify", str(published), "--commitment", commitment)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("All holds: the secret matches the commitment")
    # The standalone file, alone and isolated, as a journalist runs it.
    program = local.workdir / "verify_lottery.py"
    with urllib.request.urlopen(f"{local.stack.api_url}/lottery/verify_lottery.py") as served:
        program.write_bytes(served.read())
    alone = subprocess.run(
        [sys.executable, "-I", str(program), str(published), "--commitment", commitment],
        capture_output=True,
        text=True,
        check=False,
        cwd=local.workdir,
    )
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.startswith("All holds: the secret matches the commitment")
    # One place swapped: both say so, in one sentence.
    rows = document["tickets"]
    rows[0]["place"], rows[1]["place"] = rows[1]["place"], rows[0]["place"]
    tampered = local.workdir / "tampered.json"
    tampered.write_text(json.dumps(document), encoding="utf-8")
    caught = one_sentence(cli("lottery", "verify", str(tampered)))
    assert caught == f"Ticket {rows[0]['ticket']} is at place 2, but its draw puts it at place 1."
    alone = subprocess.run(
        [sys.executable, "-I", str(program), str(tampered)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (alone.returncode, alone.stderr.strip()) == (1, caught)


def test_the_receipt_told_each_applicant_the_ticket_that_the_draw_lists(local: Local) -> None:
    person = listed("waitlisted")[0]
    ticket = ok_json("applications", "show", person["public_id"])["ticket"]
    (receipt,) = local.mails_to(person["email"], "receipt")
    message = email.message_from_bytes(
        (local.workdir / "outbox" / receipt["file"]).read_bytes(), policy=email.policy.default
    )
    body: Any = message.get_body(preferencelist=("plain",))
    assert ticket in body.get_content()


# -- changes by hand ---------------------------------------------------------------------


def test_cancel_needs_a_reason_and_records_it(local: Local) -> None:
    participant = listed("accepted")[1]
    assert cli("applications", "cancel", participant["email"]).exit_code == 2
    asked = cli("applications", "cancel", participant["email"], "--reason", "rief an")
    assert asked.exit_code == 2 and "add --yes" in asked.stderr  # no terminal to ask on
    assert listed("accepted")[1] == participant  # nothing changed
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("registrar_cli.context.stdin_is_terminal", lambda: True)
        declined = cli("applications", "cancel", participant["email"], "--reason", "x", input="n\n")
    assert declined.exit_code == 1 and "cancellation email" in declined.stderr
    result = cli(
        "applications", "cancel", participant["email"], "--reason", "rief an", "--yes", "--json"
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    assert (outcome["status_before"], outcome["status"]) == ("accepted", "cancelled")
    assert [m["kind"] for m in outcome["mails"]] == ["cancelled"]
    assert "waiting list" in result.stderr
    shown = ok_json("applications", "show", participant["public_id"])
    last = shown["history"][-1]
    assert (last["actor"], last["detail"]) == ("organiser", "from accepted: rief an")
    again = one_sentence(
        cli("applications", "cancel", participant["email"], "--reason", "x", "--yes"), 0
    )
    assert "cancelled before" in again


def test_a_cancellation_is_confirmed_by_email(local: Local) -> None:
    participant = reading_own_mail(local, "accepted")[2]
    ok_json("applications", "cancel", participant["public_id"], "--reason", "Krankheit", "--yes")
    assert local.mails_to(participant["email"], "cancelled")


def test_accept_by_hand_assigns_workshops_and_mails(local: Local) -> None:
    waiting = listed("waitlisted")[-1]
    result = cli(
        "applications", "accept", waiting["public_id"], "--reason", "Vorstand", "--yes", "--json"
    )
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout)
    slots = {"2023-05-11": "day1", "2023-05-12": "day2"}
    assert outcome["status"] == "accepted"
    assert set(outcome["workshops"]) == {slots[day] for day in waiting["days"]}
    assert mails_for(local, waiting["public_id"], "accepted")
    assert "Vorstand" in ok_json("applications", "show", waiting["email"])["history"][-1]["detail"]


def test_erasure_removes_the_person_and_keeps_the_counts(local: Local) -> None:
    person = listed("waitlisted")[0]
    before = ok_json("status")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("registrar_cli.context.stdin_is_terminal", lambda: True)
        kept = cli("applications", "erase", person["email"], input="n\n")
    assert kept.exit_code == 1 and ok_json("applications", "show", person["email"])
    theirs = [e for e in local.outbox() if person["email"] in e["recipient"].split(", ")]
    assert theirs  # the receipt and the waiting-list mail, at least
    # and the copies of them to an office that registered the person (messages of their own)
    copies = {copy_message_id(e["message_id"]) for e in theirs}
    theirs += [e for e in local.outbox() if e["message_id"] in copies]
    erased = ok_json("applications", "erase", person["email"], "--yes")
    assert erased["erased"] is True and erased["public_id"] == person["public_id"]
    # The local outbox keeps nothing sent to them: no index entry, no file.
    assert erased["outbox_messages_removed"] == len(theirs)
    folder = local.workdir / "outbox"
    assert not any((folder / e["file"]).exists() for e in theirs)
    filed = "".join(p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir())
    assert person["email"] not in filed
    assert "No application with that email address" in one_sentence(
        cli("applications", "show", person["email"])
    )
    after = ok_json("status")
    assert after["erased"] == before["erased"] + 1
    event = local.conference.id
    assert DynamoApplications().get(event, applicant_key(event, person["email"])) is None
    tombstones = [a for a in DynamoApplications().list(event) if a.erased]
    assert person["public_id"] in {t.public_id for t in tombstones}
    dumped = "".join(t.model_dump_json() for t in tombstones)
    assert person["email"] not in dumped and person["organisation"] not in dumped


def _manage_token(local: Local, entry: dict[str, Any]) -> str:
    message = email.message_from_bytes(
        (local.workdir / "outbox" / entry["file"]).read_bytes(), policy=email.policy.default
    )
    body: Any = message.get_body(preferencelist=("plain",))
    link = _MANAGE_LINK.search(body.get_content())
    assert link is not None
    return urllib.parse.parse_qs(urllib.parse.urlsplit(link.group(1)).query)["token"][0]


def _opens(local: Local, token: str) -> int:
    query = urllib.parse.urlencode({"token": token})
    with urllib.request.urlopen(f"{local.stack.api_url}/manage?{query}") as response:
        return int(response.status)


def test_the_link_key_rotates_on_the_local_stack(local: Local) -> None:
    person = reading_own_mail(local, "waitlisted")[-1]
    (before,) = local.mails_to(person["email"], "waitlisted")
    old_token = _manage_token(local, before)
    assert old_token.startswith("1.")

    rotated = ok_json("keys", "rotate", "--grace-days", "365", "--yes")

    assert (rotated["key_id"], rotated["previous_key_id"]) == ("2", "1")
    moved = cli("local", "clock", "--to", rotated["signs_from"])
    assert moved.exit_code == 0, moved.output
    ok_json("mail", "resend", person["email"], "waitlisted")
    *_, again = local.mails_to(person["email"], "waitlisted")
    new_token = _manage_token(local, again)
    assert new_token.startswith("2.")
    assert _opens(local, new_token) == 200
    assert _opens(local, old_token) == 200  # within the grace period


# -- export ------------------------------------------------------------------------------


def test_export_is_a_csv_excel_opens_with_umlauts(local: Local, tmp_path: Path) -> None:
    result = cli("applications", "export")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:7] == [
        "Nr. / No.",
        "Vorgangsnummer / Reference number",
        "Anrede / Form of address",
        "Titel / Title",
        "Nachname / Family name",
        "Vorname / Given name",
        "Amt, Funktion / Office, position",
    ]
    # the seeded applicants' functions and roles reach the list
    assert "Bürgermeisterin" in result.stdout or "Leiterin Stabsstelle Ehrenamt" in result.stdout
    # no rooms set, so no room column; the days each participant comes on
    assert "Workshop 11.05." in header and "Tage / Days" in header and "Status" not in header
    assert not any(column.startswith("Raum") for column in header)
    assert len(body) == len(listed("accepted"))
    text = result.stdout
    assert "Räume" in text or "Selbstverwaltung" in text  # workshop titles, umlauts intact
    written = tmp_path / "teilnehmende.csv"
    saved = cli("applications", "export", "--output", str(written), "--all")
    assert saved.exit_code == 0, saved.output
    raw = written.read_bytes()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # health and dietary notes inside
    assert raw.startswith(b"\xef\xbb\xbf")
    everyone = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert "Status" in everyone[0] and len(everyone) - 1 > len(body)
    as_json = tmp_path / "teilnehmende.json"
    summary = ok_json("applications", "export", "--format", "json", "--output", str(as_json))
    assert summary["rows"] == len(body)
    assert json.loads(as_json.read_text(encoding="utf-8"))[0]["public_id"]
    assert cli("applications", "export", "--json").exit_code == 2


# -- mail --------------------------------------------------------------------------------


def test_programme_mailing_sends_once(local: Local) -> None:
    plan = ok_json("mail", "program")
    participants = len(listed("accepted"))
    assert plan == {
        "applied": False,
        "participants": participants,
        "to_queue": participants,
        "already_mailed": 0,
    }
    done = ok_json("mail", "program", "--apply", "--yes")
    assert done["queued"] == participants
    programmes = [e for e in local.outbox() if e["kind"] == "program" and not is_copy(e)]
    assert len(programmes) == participants  # one each (an office's copy is a message too)
    message = email.message_from_bytes(
        (local.workdir / "outbox" / programmes[0]["file"]).read_bytes(),
        policy=email.policy.default,
    )
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())
    assert ok_json("mail", "program")["to_queue"] == 0


def test_resend_sends_a_new_message(local: Local) -> None:
    participant = reading_own_mail(local, "accepted")[3]
    before = len(local.mails_to(participant["email"], "accepted"))
    resent = ok_json("mail", "resend", participant["email"], "accepted", "--reason", "Spam")
    assert resent["kind"] == "accepted"
    assert len(local.mails_to(participant["email"], "accepted")) == before + 1
    refused = one_sentence(cli("mail", "resend", participant["email"], "waitlisted"))
    assert "does not fit" in refused
    assert cli("mail", "resend", participant["email"], "postcard").exit_code == 2


def test_failures_lists_dead_letters_and_stuck_sends_without_addresses(local: Local) -> None:
    event = local.conference.id
    person = listed("accepted")[4]
    key = applicant_key(event, person["email"])
    sqs = boto3.client("sqs", region_name="eu-central-1")
    assert local.stack.stack is not None
    url = local.stack.stack.outputs["MailDeadLetterQueueUrl"]
    request = MailRequest.create("accepted", event, key, 99)
    sqs.send_message(QueueUrl=url, MessageBody=request.model_dump_json())
    sqs.send_message(QueueUrl=url, MessageBody="not a mail request")
    # A send that died between claim and SES: never sent, so this id is free to claim.
    stuck = MailRequest.create("offer_expired", event, key, 1)
    long_ago = local.stack.clock.now() - dt.timedelta(hours=1)
    claimed = DynamoOutbox().claim(stuck.message_id, stuck.kind, long_ago, long_ago)
    assert claimed

    result = cli("mail", "failures", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert "@" not in result.stdout
    kinds = sorted(d["kind"] for d in found["dead_letters"])
    assert kinds == ["accepted", "unreadable"]
    assert person["public_id"] in {d["public_id"] for d in found["dead_letters"]}
    assert [(s["kind"], s["public_id"]) for s in found["stuck_claims"]] == [
        ("offer_expired", person["public_id"])
    ]
    again = ok_json("mail", "failures", "--show-addresses")
    assert len(again["dead_letters"]) == 2  # looking did not consume them
    assert person["email"] in {d.get("email") for d in again["dead_letters"]}
    assert "Dead-lettered emails (2)" in cli("mail", "failures").stdout


def test_redrive_sends_dead_lettered_mail_once_the_cause_is_fixed(
    local: Local, monkeypatch: pytest.MonkeyPatch
) -> None:
    sqs = boto3.client("sqs", region_name="eu-central-1")
    assert local.stack.stack is not None
    sqs.purge_queue(QueueUrl=local.stack.stack.outputs["MailDeadLetterQueueUrl"])
    person = reading_own_mail(local, "accepted")[5]
    before = len(local.mails_to(person["email"], "accepted"))
    refusing = SesSpy(runtime.current()._sesv2, refuse="MessageRejected")
    with monkeypatch.context() as patch:
        patch.setattr(runtime.current(), "_sesv2", refusing)
        ok_json("mail", "resend", person["email"], "accepted", "--reason", "Lost in spam")
    assert refusing.calls == 5  # tried on each of the queue's five receives, then dead
    dead = ok_json("mail", "failures")["dead_letters"]
    assert [(d["kind"], d["public_id"]) for d in dead] == [("accepted", person["public_id"])]
    assert "mail redrive" in cli("mail", "failures").stdout

    assert ok_json("mail", "redrive") == {"moved": 1, "unreadable_kept": 0}
    assert len(local.mails_to(person["email"], "accepted")) == before + 1
    assert ok_json("mail", "failures")["dead_letters"] == []
    assert ok_json("mail", "redrive") == {"moved": 0, "unreadable_kept": 0}
    assert len(local.mails_to(person["email"], "accepted")) == before + 1


def test_preview_writes_a_file_and_prints_its_path(local: Local, tmp_path: Path) -> None:
    result = cli("mail", "preview", "accepted", "--lang", "en")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.name == "preview-accepted-en.eml" and path.is_file()
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Registrar-Kind"] == "accepted" and message["Subject"]
    html = tmp_path / "offered.html"
    written = ok_json("mail", "preview", "offered", "--output", str(html))
    assert written["path"] == str(html.resolve()) and "<html" in html.read_text(encoding="utf-8")
    assert cli("mail", "preview", "accepted", "--lang", "fr").exit_code == 2
