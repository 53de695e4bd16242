"""`registrar mail preview`: never into the current folder unasked, never a traceback."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from registrar_cli.main import app


def preview(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["mail", "preview", *args, "--conference", "kassel-2023"])
    return result.exit_code, result.stdout, result.stderr


def test_without_output_it_writes_into_a_new_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = preview("accepted", "--lang", "en", "--json")
    assert code == 0
    path = Path(json.loads(out)["path"])
    assert list(tmp_path.iterdir()) == []  # nothing in the current folder
    assert path.name == "preview-accepted-en.eml" and path.parent.name.startswith("registrar-")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["X-Registrar-Kind"] == "accepted"
    again = Path(json.loads(preview("accepted", "--lang", "en", "--json")[1])["path"])
    assert again.parent != path.parent  # a folder of its own each time


def test_output_into_a_missing_folder_creates_it(tmp_path: Path) -> None:
    target = tmp_path / "neu" / "ordner" / "offered.html"
    code, out, _ = preview("offered", "--output", str(target))
    assert code == 0
    assert out.strip() == str(target.resolve())
    assert "<html" in target.read_text(encoding="utf-8")


def test_an_output_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, out, err = preview("accepted", "--output", str(blocker / "inside.eml"))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert (
        err.strip().startswith("The preview cannot be written to")
        and len(err.strip().splitlines()) == 1
    )


def test_the_default_language_is_the_events_and_an_unknown_one_is_refused(
    tmp_path: Path,
) -> None:
    code, out, _ = preview("receipt", "--output", str(tmp_path / "r.eml"), "--json")
    assert code == 0 and json.loads(out)["language"] == "de"  # Kassel's default
    code, out, err = preview("receipt", "--output", str(tmp_path / "fr.eml"), "--lang", "fr")
    assert (code, out) == (2, "")
    assert "'fr': the languages are de, en." in " ".join(err.split())
    assert not (tmp_path / "fr.eml").exists()
