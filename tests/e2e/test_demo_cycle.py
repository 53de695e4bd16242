"""The whole cycle as `registrar demo` runs it: a fresh process, the real HTTP API, moto."""

from __future__ import annotations

import email
import email.policy
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from registrar.lottery import verify_file
from registrar_local.seed import _GIVEN, BULK_DOMAIN, BULK_SIZE, FAMILY_NAMES, OFFICE_EVERY

pytestmark = pytest.mark.e2e
APPLICANTS = 300
EVERYONE = APPLICANTS + BULK_SIZE  # the people, and the script's clearly marked fakes
DEADLINE_DECISIONS = {"accepted", "waitlisted", "not_admitted"}
FOLLOW_UPS = {"offered", "offer_expired", "declined", "accepted", "program", "not_admitted"}


def _reference(path: Path) -> str:
    """The reference number a mail gives in its footer."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(r"R-[A-Z0-9]{4}-[A-Z0-9]{4}", text.rsplit("\n-- \n", 1)[-1])
    assert found, path.name
    return found.group(0)


def _demo(workdir: Path, seed: int, applicants: int = APPLICANTS) -> tuple[dict[str, Any], str]:
    workdir.mkdir(parents=True, exist_ok=True)
    registrar = Path(sys.executable).with_name("registrar")
    completed = subprocess.run(
        [
            str(registrar),
            "demo",
            "--applicants",
            str(applicants),
            "--seed",
            str(seed),
            "--outbox",
            str(workdir / "outbox"),
            "--no-serve",
            "--json",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    logs = completed.stderr + (workdir / ".registrar" / "functions.log").read_text(encoding="utf-8")
    return json.loads(completed.stdout), logs


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    workdir = tmp_path_factory.mktemp("demo")
    summary, logs = _demo(workdir, seed=11)
    return summary, logs, workdir / "outbox"


def test_accepted_never_exceed_capacity(cycle: tuple[dict[str, Any], str, Path]) -> None:
    summary, _, _ = cycle
    assert summary["applicants"]["submitted"] == APPLICANTS
    assert summary["applicants"]["confirmed"] == APPLICANTS  # some only after the reminder
    assert summary["applicants"]["declined"] == 3
    # pairs registered by a mayor's office; one seat passed to a colleague (one more person)
    assert summary["applicants"]["on_behalf"] == 2 * (APPLICANTS // OFFICE_EVERY)
    assert summary["applicants"]["substituted"] == 1
    assert 0 < summary["accepted"] <= summary["capacity"]
    assert (summary["applicants"]["scripted"], summary["applicants"]["scripted_confirmed"]) == (
        BULK_SIZE,
        BULK_SIZE,
    )
    assert sum(summary["by_status"].values()) == EVERYONE + 1  # and the colleague
    by_status = summary["by_status"]
    assert by_status["substituted"] == 1
    assert summary["accepted"] == by_status["accepted"]  # offered seats are not accepted ones
    assert summary["offered"] == by_status.get("offered", 0)
    assert summary["seats_taken"] == summary["accepted"] + summary["offered"]
    assert summary["seats_taken"] + summary["seats_free"] == summary["capacity"]
    # Runs as `registrar admissions history` numbers them: #1 the deadline's, daily runs
    # that changed nothing counted, not listed.
    runs = summary["runs"]
    assert (runs[0]["number"], runs[0]["trigger"]) == (1, "deadline")
    assert "daily" in [run["trigger"] for run in runs]  # freed seats were offered on
    assert all(run["changes"] for run in runs if run["trigger"] == "daily")
    assert [run["number"] for run in runs] == sorted({run["number"] for run in runs})
    assert sum(run["trigger"] == "daily" for run in runs) <= summary["daily_runs"]


def test_every_applicant_has_exactly_one_decision_email(
    cycle: tuple[dict[str, Any], str, Path],
) -> None:
    summary, _, outbox = cycle
    index = json.loads((outbox / "index.json").read_text(encoding="utf-8"))
    # One story per person, by the reference number in each mail: a person registered by
    # an office gets some mails sent to it alone, or copied to it in a message of its own
    # (its Message-ID the person's with "-copy": the story counts the person's).
    copies = [entry for entry in index if entry["message_id"].partition("@")[0].endswith("-copy")]
    assert copies and all(entry["recipient"].startswith("buergermeisterbuero") for entry in copies)
    stories: dict[str, list[str]] = {}
    for entry in index:
        if entry not in copies:
            stories.setdefault(_reference(outbox / entry["file"]), []).append(entry["kind"])
    assert len(stories) == EVERYONE + 1  # the colleague who took over a seat
    (colleague,) = [kinds for kinds in stories.values() if kinds[0] == "substitute_confirm"]
    assert colleague == ["substitute_confirm", "accepted", "program"]
    (passed_on,) = [kinds for kinds in stories.values() if "substituted" in kinds]
    assert passed_on[:2] == ["receipt", "accepted"] and "program" not in passed_on
    for kinds in stories.values():
        if kinds is colleague:
            continue
        assert kinds[0] == "receipt" and kinds.count("receipt") == 1
        decisions = [k for k in kinds if k in DEADLINE_DECISIONS | FOLLOW_UPS]
        # exactly one decision from the deadline run, then only follow-ups, none twice
        assert decisions[0] in DEADLINE_DECISIONS
        assert set(decisions[1:]) <= FOLLOW_UPS
        assert len(decisions) == len(set(decisions))
    kinds_sent = summary["emails_by_kind"]  # the offices' copies counted too: emails sent
    assert sum(kinds_sent.values()) == len(index)
    not_copies = [entry["kind"] for entry in index if entry not in copies]
    assert not_copies.count("program") == summary["by_status"]["accepted"]
    assert not_copies.count("declined") == 3
    offices = [entry for entry in index if "buergermeisterbuero" in entry["recipient"]]
    assert offices and all(entry["kind"] != "receipt" for entry in offices)
    assert {"confirm_reminder", "offered", "offer_expired"} <= set(kinds_sent)
    accepted = next(entry for entry in index if entry["kind"] == "accepted")
    # the index names each person (from their application: the To header holds the address)
    # (a mail to an office alone names nobody: the office is no applicant; nor does the
    # link to a colleague, whose application exists once they take the seat over)
    people = [entry for entry in index if not entry["recipient"].endswith(f"@{BULK_DOMAIN}")]
    assert len(people) < len(index)
    assert all(
        entry["name"].split()[-1].split("-")[0] in FAMILY_NAMES
        for entry in people
        if not entry["recipient"].startswith("buergermeisterbuero")
        and entry["kind"] != "substitute_confirm"
    )
    page = (outbox / "index.html").read_text(encoding="utf-8")
    assert html.escape(accepted["name"]) in page
    message = email.message_from_bytes(
        (outbox / accepted["file"]).read_bytes(), policy=email.policy.default
    )
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "/manage?token=" in text
    assert (outbox / "index.html").is_file()


def test_nothing_personal_in_the_logs(cycle: tuple[dict[str, Any], str, Path]) -> None:
    _, logs, outbox = cycle
    index = json.loads((outbox / "index.json").read_text(encoding="utf-8"))
    addresses = {entry["recipient"] for entry in index}
    assert addresses and logs
    leaked = [address for address in addresses if address in logs]
    assert leaked == []
    for name in ("Mustermann", "Musterfrau", "Platzhalter", "Testweg", "Beispiel GmbH"):
        assert name not in logs
    full_names = [f"{given} {family}" for given in _GIVEN for family in FAMILY_NAMES]
    assert [name for name in full_names if name in logs] == []


def test_the_same_seed_gives_the_same_summary(
    cycle: tuple[dict[str, Any], str, Path], tmp_path: Path
) -> None:
    # A smaller cycle twice keeps the test quick; the property does not depend on the size.
    first, _ = _demo(tmp_path / "one", seed=11, applicants=60)
    again, _ = _demo(tmp_path / "two", seed=11, applicants=60)
    for result in (first, again):
        result.pop("outbox")
        result.pop("documents")  # paths in each run's own folder
    assert again == first


def test_the_print_material_and_the_report_are_beside_the_outbox(
    cycle: tuple[dict[str, Any], str, Path],
) -> None:
    summary, _, outbox = cycle
    documents = {key: Path(path) for key, path in summary["documents"].items()}
    assert set(documents) >= {"report", "qr_png", "qr_svg", "badges", "signin", "lottery"}
    holds, sentence = verify_file(str(documents["lottery"]))
    assert holds, sentence
    assert all(path.parent == outbox.parent / "documents" for path in documents.values())
    assert all(path.is_file() and path.stat().st_size > 0 for path in documents.values())
    [code] = zxingcpp.read_barcodes(Image.open(documents["qr_png"]))
    assert code.text.startswith("http://127.0.0.1:") and code.text.endswith("/")
    badges = PdfReader(documents["badges"])
    assert len(badges.pages) == -(-summary["by_status"]["accepted"] // 10)
    report = documents["report"].read_text(encoding="utf-8")
    assert "Zulassungsbericht" in report and "<script" not in report


def test_the_scripted_bulk_is_what_suspicious_flags(
    cycle: tuple[dict[str, Any], str, Path],
) -> None:
    summary, _, outbox = cycle
    index = json.loads((outbox / "index.json").read_text(encoding="utf-8"))
    bulk = {e["recipient"] for e in index if e["recipient"].endswith(f"@{BULK_DOMAIN}")}
    findings = summary["suspicious"]

    assert len(bulk) == BULK_SIZE
    assert {f["kind"] for f in findings} == {"email_domain", "organisation", "similar_names"}
    assert all(f["count"] == BULK_SIZE and len(set(f["refs"])) == BULK_SIZE for f in findings)
    assert len({tuple(sorted(f["refs"])) for f in findings}) == 1  # the same twelve each time
    # 300 people arriving over weeks, with names of their own, raise nothing.
    assert len(findings) == 3
