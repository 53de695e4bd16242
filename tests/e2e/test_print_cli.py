"""Print material and the report through the command line, on the embedded local stack.

One stack for the module: fake applicants seeded through the HTTP API and confirmed, the
clock moved past the deadline so the deadline run has decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from click.testing import Result
from PIL import Image
from pypdf import PdfReader

from registrar_local.stack import LocalStack
from tests.support.local_cli import cli, seeded_stack_past_deadline

pytestmark = pytest.mark.e2e
APPLICANTS = 170  # capacity 150: some wait


@dataclass
class Local:
    stack: LocalStack


def one_sentence(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def listed(status: str) -> list[dict[str, Any]]:
    result = cli("applications", "list", "--status", status, "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Local]:
    with seeded_stack_past_deadline(tmp_path_factory.mktemp("print"), APPLICANTS) as seeded:
        yield Local(seeded[0])


def written(result_output: str, expected: Path) -> Path:
    assert result_output.strip() == str(expected)
    assert expected.is_file()
    return expected


def test_qr_png_decodes_to_the_local_form(local: Local, tmp_path: Path) -> None:
    result = cli("qr", "--output", str(tmp_path / "qr.png"))
    assert result.exit_code == 0, result.output
    path = written(result.stdout, tmp_path / "qr.png")
    codes = zxingcpp.read_barcodes(Image.open(path))
    assert [c.text for c in codes] == [f"{local.stack.api_url}/"]


def test_qr_svg_with_a_given_url(local: Local, tmp_path: Path) -> None:
    result = cli("qr", "--url", "https://anmeldung.example.org/", "-o", str(tmp_path / "q.svg"))
    assert result.exit_code == 0, result.output
    assert "<svg" in written(result.stdout, tmp_path / "q.svg").read_text(encoding="utf-8")


def test_a_missing_folder_is_one_sentence_and_nothing_is_written(
    local: Local, tmp_path: Path
) -> None:
    target = tmp_path / "nowhere" / "badges.pdf"
    sentence = one_sentence(cli("applications", "badges", "--output", str(target)))
    assert "does not exist" in sentence
    assert not target.exists()


def test_badges_for_every_accepted_participant(local: Local, tmp_path: Path) -> None:
    accepted = listed("accepted")
    result = cli("applications", "badges", "--output", str(tmp_path / "badges.pdf"))
    assert result.exit_code == 0, result.output
    reader = PdfReader(written(result.stdout, tmp_path / "badges.pdf"))
    assert len(reader.pages) == -(-len(accepted) // 10)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(row["name"].split()[-1] in text for row in accepted)


def test_signin_lists_for_one_day_and_by_workshop(local: Local, tmp_path: Path) -> None:
    accepted = listed("accepted")
    result = cli("applications", "signin", "--day", "2023-05-11", "-o", str(tmp_path / "d.pdf"))
    assert result.exit_code == 0, result.output
    reader = PdfReader(written(result.stdout, tmp_path / "d.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # the first day's list holds those who come that day (some come on the 12th only)
    first_day = [row for row in accepted if "2023-05-11" in row["days"]]
    assert 0 < len(first_day) < len(accepted)
    assert f"{len(first_day)} Teilnehmende" in text and "Unterschrift" in text
    assert "Freitag" not in text
    result = cli("applications", "signin", "--by-workshop", "-o", str(tmp_path / "w.pdf"))
    assert result.exit_code == 0, result.output
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "w.pdf").pages)
    # no rooms set (the announcement names none): the workshop and its time, no room
    assert "12:30–14:45 Uhr" in text and "Raum" not in text and "None" not in text


def test_signin_for_a_day_outside_the_event_is_one_sentence(local: Local, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    sentence = one_sentence(cli("applications", "signin", "--day", "2023-05-13", "-o", str(target)))
    assert "13.05.2023 is not a day of the event" in sentence
    assert not target.exists()


def test_the_report_in_both_languages(local: Local, tmp_path: Path) -> None:
    result = cli("admissions", "report", "--output", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    page = written(result.stdout, tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Zulassungsbericht" in page
    assert "<script" not in page and "http" not in page
    result = cli("admissions", "report", "--lang", "en", "-o", str(tmp_path / "r-en.html"))
    assert result.exit_code == 0, result.output
    assert "Admissions report" in (tmp_path / "r-en.html").read_text(encoding="utf-8")


def test_the_report_of_an_unknown_run_is_one_sentence(local: Local, tmp_path: Path) -> None:
    sentence = one_sentence(cli("admissions", "report", "nope", "-o", str(tmp_path / "r.html")))
    assert "No applied run 'nope'" in sentence
