"""The whole cycle as `registrar demo` runs it: a fresh process, the real HTTP API, moto."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
APPLICANTS = 300
DECISION_KINDS = {"accepted", "waitlisted", "not_admitted", "offered"}


def _demo(workdir: Path, seed: int) -> tuple[dict[str, Any], str]:
    registrar = Path(sys.executable).with_name("registrar")
    completed = subprocess.run(
        [
            str(registrar),
            "demo",
            "--applicants",
            str(APPLICANTS),
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
    assert summary["applicants"]["confirmed"] == APPLICANTS
    assert 0 < summary["accepted"] <= summary["capacity"]
    assert sum(summary["by_status"].values()) == APPLICANTS
    assert [run["schedule"] for run in summary["runs"]] == [
        "AdmissionsFunctionReminderRun",
        "AdmissionsFunctionDeadlineRun",
    ]


def test_every_applicant_has_exactly_one_decision_email(
    cycle: tuple[dict[str, Any], str, Path],
) -> None:
    summary, _, outbox = cycle
    index = json.loads((outbox / "index.json").read_text(encoding="utf-8"))
    decisions = Counter(entry["recipient"] for entry in index if entry["kind"] in DECISION_KINDS)
    receipts = Counter(entry["recipient"] for entry in index if entry["kind"] == "receipt")
    assert len(decisions) == APPLICANTS and set(decisions.values()) == {1}
    assert len(receipts) == APPLICANTS and set(receipts.values()) == {1}
    assert summary["emails_by_kind"]["accepted"] == summary["by_status"]["accepted"]
    accepted = next(entry for entry in index if entry["kind"] == "accepted")
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
    for name in ("Mustermann", "Musterfrau", "Platzhalter", "Beispiel GmbH"):
        assert name not in logs


def test_the_same_seed_gives_the_same_summary(
    cycle: tuple[dict[str, Any], str, Path], tmp_path: Path
) -> None:
    summary, _, _ = cycle
    again, _ = _demo(tmp_path, seed=11)
    for result in (summary, again):
        result.pop("outbox")
    assert again == summary
