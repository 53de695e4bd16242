"""The lottery's rules and the check anyone can run (registrar.lottery, stdlib only)."""

from __future__ import annotations

import ast
import copy
import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path

import pytest

from registrar import lottery
from registrar.lottery import (
    commitment,
    first_discrepancy,
    lottery_order,
    lottery_place,
    seed,
    ticket,
    verify_file,
)
from tests.support.lottery import SECRET, TICKET_KEY, genuine

IDS = [f"app-{i:03d}" for i in range(200)]
STANDALONE = Path(lottery.__file__)


def test_place_is_hmac_sha256_of_the_id_keyed_by_the_seed() -> None:
    expected = hmac.new(b"s3cret", b"app-001", hashlib.sha256).hexdigest()
    assert lottery_place("s3cret", "app-001") == expected


def test_the_same_seed_and_id_always_give_the_same_place() -> None:
    assert lottery_place("seed", "x") == lottery_place("seed", "x")


def test_every_application_gets_its_own_place() -> None:
    assert len({lottery_place("seed", app_id) for app_id in IDS}) == len(IDS)


def test_different_seeds_give_different_places() -> None:
    assert lottery_place("seed-a", "x") != lottery_place("seed-b", "x")


def test_the_commitment_is_sha256_of_the_secret_as_anyone_computes_it() -> None:
    # What `printf %s SECRET | sha256sum` prints.
    assert commitment(SECRET) == hashlib.sha256(SECRET.encode()).hexdigest()
    assert len(commitment(SECRET)) == 64


def test_the_seed_follows_from_the_secret_and_the_public_value() -> None:
    expected = hmac.new(SECRET.encode(), b"registrar lottery seed\n12 17 23", hashlib.sha256)
    assert seed(SECRET, "12 17 23") == expected.hexdigest()
    assert seed(SECRET, None) == seed(SECRET, "") != seed(SECRET, "12 17 23")
    assert seed(SECRET, None) != seed("6" * 64, None)


def test_a_ticket_is_ten_base32_characters_in_two_groups_and_needs_the_key() -> None:
    tickets = {ticket(TICKET_KEY, app_id) for app_id in IDS}
    assert len(tickets) == len(IDS)
    assert all(lottery.TICKET.fullmatch(code) for code in tickets)
    assert ticket(TICKET_KEY, "app-001") == ticket(TICKET_KEY, "app-001")
    assert ticket("b" * 64, "app-001") != ticket(TICKET_KEY, "app-001")


def test_the_order_sorts_by_draw() -> None:
    tickets = [ticket(TICKET_KEY, app_id) for app_id in IDS]
    order = lottery_order("seed", tickets)
    draws = [lottery_place("seed", code) for code in order]
    assert draws == sorted(draws)
    assert sorted(order) == sorted(tickets)


def test_a_genuine_draw_holds() -> None:
    assert first_discrepancy(genuine()) is None
    assert first_discrepancy(genuine("Lotto 6aus49, 15.04.2023: 3 9 21 30 41 44")) is None


def test_two_swapped_places_are_caught() -> None:
    document = genuine()
    first, second = document["tickets"][3], document["tickets"][4]
    first["place"], second["place"] = second["place"], first["place"]
    assert first_discrepancy(document) == (
        f"Ticket {first['ticket']} is at place 5, but its draw puts it at place 4."
    )


def test_two_swapped_entries_are_caught_even_with_their_places_kept() -> None:
    document = genuine()
    rows = document["tickets"]
    rows[3], rows[4] = rows[4], rows[3]
    rows[3]["place"], rows[4]["place"] = 4, 5
    problem = first_discrepancy(document)
    assert problem is not None and "is at place 5, but its draw puts it at place 4" in problem


def test_a_dropped_ticket_is_caught() -> None:
    document = genuine()
    dropped = document["tickets"].pop(7)
    assert first_discrepancy(document) == "The file says 30 tickets took part but lists 29."
    document["ticket_count"] = 29  # the count mended too: the places now skip one
    follower = document["tickets"][7]["ticket"]
    assert first_discrepancy(document) == (
        f"Ticket {follower} is at place 9, but its draw puts it at place 8."
    )
    assert dropped["ticket"] not in json.dumps(document)


def test_a_wrong_secret_is_caught() -> None:
    document = genuine()
    document["secret"] = "6" * 64
    assert first_discrepancy(document) == (
        f"The revealed secret does not match the commitment: its SHA-256 is "
        f"{commitment('6' * 64)}, the commitment is {commitment(SECRET)}."
    )


def test_a_wrong_commitment_is_caught() -> None:
    document = genuine()
    document["commitment"] = "0" * 64
    problem = first_discrepancy(document)
    assert problem is not None and problem.startswith(
        "The revealed secret does not match the commitment"
    )


def test_a_secret_and_commitment_both_replaced_differ_from_the_one_shown_before() -> None:
    document = genuine()
    document["secret"], document["commitment"] = "6" * 64, commitment("6" * 64)
    # Without what the form showed, the draws give it away (the seed no longer fits) …
    assert first_discrepancy(document) == (
        f"The seed does not follow from the secret and the public value "
        f"(it is {seed('6' * 64, None)})."
    )
    # … and with it, the commitment itself.
    assert first_discrepancy(document, expected_commitment=commitment(SECRET)) == (
        f"The file's commitment {commitment('6' * 64)} is not the one published before the "
        f"draw ({commitment(SECRET)})."
    )


def test_a_changed_public_value_is_caught() -> None:
    document = genuine("3 9 21 30 41 44")
    document["public_value"] = "3 9 21 30 41 45"
    problem = first_discrepancy(document)
    assert problem is not None and problem.startswith("The seed does not follow")


def test_a_missing_public_value_the_rules_require_is_caught() -> None:
    document = genuine("3 9 21 30 41 44")
    document["public_value"] = None
    assert first_discrepancy(document) == (
        "The rules require a public value, but the file has none."
    )


def test_a_changed_draw_and_a_repeated_ticket_are_caught() -> None:
    document = genuine()
    row = document["tickets"][0]
    row["draw"] = "0" * 64
    assert first_discrepancy(document) == (
        f"Ticket {row['ticket']}'s draw is {lottery_place(document['seed'], row['ticket'])}, "
        f"not {'0' * 64}."
    )
    document = genuine()
    document["tickets"][1]["ticket"] = document["tickets"][0]["ticket"]
    assert first_discrepancy(document) == (
        f"Ticket {document['tickets'][0]['ticket']} appears more than once."
    )


def test_no_personal_data_fits_in_a_ticket() -> None:
    document = genuine()
    document["tickets"][0]["ticket"] = "erika.mustermann@example.org"
    assert first_discrepancy(document) == (
        "'erika.mustermann@example.org' is not a ticket (two groups of five characters A-Z, 2-7)."
    )


def test_a_file_that_is_not_a_draw_gets_one_sentence(tmp_path: Path) -> None:
    broken = tmp_path / "draw.json"
    broken.write_text("{not json", encoding="utf-8")
    assert verify_file(str(broken)) == (False, f"{broken} is not a JSON file.")
    other = tmp_path / "other.json"
    other.write_text("[]", encoding="utf-8")
    assert verify_file(str(other)) == (False, f"{other} is not a published registrar lottery.")
    assert verify_file(str(tmp_path / "missing.json"))[0] is False


def test_the_check_program_uses_the_standard_library_only() -> None:
    tree = ast.parse(STANDALONE.read_text(encoding="utf-8"))
    imported = {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported <= sys.stdlib_module_names | {"__future__"}


def run_standalone(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The file on its own, as a journalist runs it: isolated from any installed registrar."""
    copied = path.parent / "verify_lottery.py"
    copied.write_text(STANDALONE.read_text(encoding="utf-8"), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-I", str(copied), str(path), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )


@pytest.mark.parametrize("public_value", [None, "3 9 21 30 41 44"])
def test_the_standalone_file_passes_a_genuine_draw(
    tmp_path: Path, public_value: str | None
) -> None:
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(genuine(public_value)), encoding="utf-8")
    result = run_standalone(published, "--commitment", commitment(SECRET))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("All holds: the secret matches the commitment")


def test_the_standalone_file_names_the_first_discrepancy(tmp_path: Path) -> None:
    document = genuine()
    tampered = copy.deepcopy(document)
    tampered["secret"] = "6" * 64
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(tampered), encoding="utf-8")
    result = run_standalone(published)
    assert result.returncode == 1
    assert result.stderr.strip() == first_discrepancy(tampered)
    assert result.stdout == ""


def test_an_applicant_looks_up_their_ticket_once_the_draw_holds(tmp_path: Path) -> None:
    document = genuine()
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(document), encoding="utf-8")
    third = document["tickets"][2]
    assert verify_file(str(published), ticket_code=third["ticket"].lower()) == (
        True,
        f"Ticket {third['ticket']}: place 3 of 30, group mayor, outcome admitted.",
    )
    assert verify_file(str(published), ticket_code="AAAAA-AAAAA") == (
        False,
        "Ticket AAAAA-AAAAA is not in the draw.",
    )
    result = run_standalone(published, "--ticket", third["ticket"])
    assert (result.returncode, result.stdout.strip()) == (
        0,
        f"Ticket {third['ticket']}: place 3 of 30, group mayor, outcome admitted.",
    )


def test_the_organisers_command_says_the_same_with_json_too(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from registrar_cli.main import app

    document = genuine()
    document["secret"] = "6" * 64
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["lottery", "verify", str(published), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"holds": False, "sentence": first_discrepancy(document)}
    caught = CliRunner().invoke(app, ["lottery", "verify", str(published)])
    assert (caught.exit_code, caught.stderr.strip()) == (1, first_discrepancy(document))
