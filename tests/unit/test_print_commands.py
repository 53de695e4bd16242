"""The print commands' own refusals: one sentence, exit 1, nothing written (no stack needed)."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from registrar_cli.main import app

FORM = "https://anmeldung.example.org/"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_qr_with_a_url_needs_no_stack_and_prints_the_path(tmp_path: Path) -> None:
    target = tmp_path / "einladung-qr.png"
    code, out, _ = run("qr", "--url", FORM, "--output", str(target))
    assert (code, out.strip()) == (0, str(target))
    assert [c.text for c in zxingcpp.read_barcodes(Image.open(target))] == [FORM]


def test_a_wrong_suffix_is_refused_before_anything_is_done(tmp_path: Path) -> None:
    code, out, err = run("qr", "--url", FORM, "--output", str(tmp_path / "qr.jpg"))
    assert (code, out) == (1, "")
    assert "Name a .png or .svg file, not 'qr.jpg'." in err
    assert list(tmp_path.iterdir()) == []


def test_a_file_the_system_refuses_is_one_sentence(tmp_path: Path) -> None:
    target = tmp_path / ("x" * 300 + ".svg")  # longer than any file system allows
    code, out, err = run("qr", "--url", FORM, "--output", str(target))
    assert (code, out) == (1, "")
    assert "cannot be written (File name too long)" in err
    assert "Traceback" not in err


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    code, _, err = run("applications", "badges", "--output", str(tmp_path))
    assert code == 1
    assert "Name a .pdf file" in err or "is a folder" in err


def test_a_date_that_is_no_date_is_one_sentence(tmp_path: Path) -> None:
    code, _, err = run(
        "applications", "signin", "--day", "11.05.2023", "-o", str(tmp_path / "l.pdf")
    )
    assert code == 1
    assert "'11.05.2023' is not a date: write it as 2023-05-11." in err


def test_a_language_without_its_file_is_a_usage_error(tmp_path: Path) -> None:
    commands = {".pdf": ["applications", "badges"], ".html": ["admissions", "report"]}
    commands[".csv"] = ["applications", "export"]
    for suffix, command in commands.items():
        target = tmp_path / f"out{suffix}"
        code, out, err = run(*command, "--output", str(target), "--lang", "fr")
        assert (code, out) == (2, "")
        assert "'fr': the languages are de, en." in " ".join(err.split())
        assert not target.exists()
