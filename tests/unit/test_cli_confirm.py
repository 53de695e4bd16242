"""Changes that email people ask first; with no terminal to answer on they need --yes."""

from __future__ import annotations

import io

import pytest
import typer

from registrar_cli import context


def test_yes_answers_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "stdin_is_terminal", lambda: False)
    context.confirm("Cancel R-TEST-0001?", yes=True)  # neither asks nor refuses


def test_without_a_terminal_it_refuses_with_a_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(context, "stdin_is_terminal", lambda: False)
    with pytest.raises(typer.Exit) as exited:
        context.confirm("Cancel R-TEST-0001?", yes=False)
    assert exited.value.exit_code == 2
    assert "add --yes" in capsys.readouterr().err


def test_at_a_terminal_no_means_no(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(context, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    with pytest.raises(typer.Abort):
        context.confirm("Cancel R-TEST-0001?", yes=False)
