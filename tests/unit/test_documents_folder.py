"""The demo's documents folder: only ever the demo's own files are replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from registrar_local.documents import (
    FILES,
    MARKER,
    DocumentsFolderRefused,
    documents_folder,
    prepare_documents_folder,
)


def test_it_sits_beside_the_outbox(tmp_path: Path) -> None:
    assert documents_folder(tmp_path / "outbox") == tmp_path / "documents"


def test_a_new_folder_is_made_and_marked(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    prepare_documents_folder(folder)
    assert (folder / MARKER).is_file()


def test_a_folder_the_demo_did_not_make_is_refused_and_left_whole(tmp_path: Path) -> None:
    (tmp_path / "report.html").write_text("the board's own report", encoding="utf-8")
    with pytest.raises(DocumentsFolderRefused, match="not made by the demo"):
        prepare_documents_folder(tmp_path)
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == "the board's own report"
    assert not (tmp_path / MARKER).exists()


def test_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "documents"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(DocumentsFolderRefused, match="is a file"):
        prepare_documents_folder(target)
    assert target.read_text(encoding="utf-8") == "keep"


def test_a_second_demo_replaces_its_files_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    prepare_documents_folder(folder)
    for name in FILES.values():
        (folder / name).write_text("old", encoding="utf-8")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    prepare_documents_folder(folder)
    assert not any((folder / name).exists() for name in FILES.values())
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
