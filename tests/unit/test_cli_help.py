"""Help shows flags as flags: ``--local``, never ``--local <bool>`` (typer 0.29's rich panels)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from registrar_cli.main import app


def command_paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's words, from the top (typer vendors click: duck-typed groups)."""
    yield path
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from command_paths(sub, (*path, name))


ALL_COMMANDS = list(command_paths(typer.main.get_command(app)))


def test_every_command_is_checked() -> None:
    assert ("applications", "list") in ALL_COMMANDS and ("admissions", "run") in ALL_COMMANDS


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(p) or "registrar")
def test_help_names_flags_without_a_value(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert "--help" in result.output


def test_the_top_level_help_lists_local_as_a_flag() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    line = next(line for line in result.output.splitlines() if "--local" in line)
    assert "<" not in line
