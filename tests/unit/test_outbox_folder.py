"""The demo's outbox never deletes a folder it did not make (`--outbox .` once removed the checkout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from registrar_local.outbox import MARKER, Outbox, OutboxFolderRefused, prepare_folder


def test_a_folder_with_other_files_is_refused_and_left_whole(tmp_path: Path) -> None:
    (tmp_path / "thesis.tex").write_text("years of work", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data.csv").write_text("1;2", encoding="utf-8")

    with pytest.raises(OutboxFolderRefused, match="not empty and is no earlier outbox"):
        prepare_folder(tmp_path)

    assert (tmp_path / "thesis.tex").read_text(encoding="utf-8") == "years of work"
    assert (tmp_path / "sub" / "data.csv").exists()
    assert not (tmp_path / MARKER).exists()


def test_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(OutboxFolderRefused, match="is a file"):
        prepare_folder(target)
    assert target.read_text(encoding="utf-8") == "keep"


def test_a_new_or_empty_folder_becomes_an_outbox(tmp_path: Path) -> None:
    new = tmp_path / "new" / "outbox"
    prepare_folder(new)
    assert (new / MARKER).is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    Outbox(empty)
    assert (empty / MARKER).is_file()


def test_an_earlier_outbox_loses_only_its_own_messages(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path)
    outbox.add(b"Subject: hi\r\nX-Registrar-Kind: receipt\r\n\r\nbody", ["a@example.org"])
    outbox.write_index()
    (tmp_path / "my-notes.txt").write_text("mine", encoding="utf-8")
    assert (tmp_path / "00001-receipt.eml").exists()

    Outbox(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [MARKER, "my-notes.txt"]
