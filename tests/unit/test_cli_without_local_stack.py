"""The organiser's install: the CLI works without the local stack's extra (no moto)."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.support.lottery import genuine

ROOT = Path(__file__).resolve().parents[2]

# Runs the CLI in a fresh interpreter in which moto cannot be imported, as after
# `pip install registrar` without the `local` extra.
WITHOUT_MOTO = """
import sys
sys.modules["moto"] = None  # import moto fails, find_spec("moto") is None: as if not installed
sys.argv = ["registrar", *sys.argv[1:]]
from registrar_cli.main import app
app()
"""


def _registrar_without_moto(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_MOTO, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin"},
    )


def test_moto_is_no_dependency_of_the_plain_install() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("moto")]
    assert any(d.startswith("moto") for d in project["optional-dependencies"]["local"])


def test_help_and_other_commands_work_without_the_local_stack() -> None:
    helped = _registrar_without_moto("--help")
    assert helped.returncode == 0, helped.stderr
    assert "applications" in helped.stdout
    assert "not installed" in helped.stdout  # demo and local say what they need

    status_help = _registrar_without_moto("status", "--help")
    assert status_help.returncode == 0, status_help.stderr


def test_demo_and_local_name_the_extra_and_exit_2() -> None:
    for args in (("demo",), ("demo", "--applicants", "5"), ("local", "up", "--port", "0")):
        answer = _registrar_without_moto(*args)
        assert answer.returncode == 2, (args, answer.stdout, answer.stderr)
        assert "pip install 'registrar[local]'" in answer.stdout
        assert "Traceback" not in answer.stderr


def test_anyone_verifies_a_published_lottery_without_stack_or_local_extra(
    tmp_path: Path,
) -> None:
    published = tmp_path / "lottery.json"
    published.write_text(json.dumps(genuine()), encoding="utf-8")
    holds = _registrar_without_moto("lottery", "verify", str(published))
    assert holds.returncode == 0, holds.stderr
    assert holds.stdout.startswith("All holds: the secret matches the commitment")
    document = genuine()
    del document["tickets"][3]
    published.write_text(json.dumps(document), encoding="utf-8")
    caught = _registrar_without_moto("lottery", "verify", str(published))
    assert caught.returncode == 1
    assert caught.stderr.strip() == "The file says 30 tickets took part but lists 29."
    assert "Traceback" not in caught.stderr
