"""The pages render from their templates as Jinja compiled them at build time, alike.

``registrar.prebuilt`` compiles them (``make build`` in the layer, the other make targets
beside the sources); here they are compiled into a folder of the test's own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader

from registrar.compiled_templates import CompiledLoader
from registrar.conference import Conference, load_conference
from registrar.submission import FieldError
from registrar.web import pages

COMMITMENT = "0" * 64


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("compiled_templates")
    written = pages.compile_templates(target)
    assert len(written) == len(list(pages._TEMPLATES.rglob("*.j2")))
    return target


def _with(loader: FileSystemLoader | CompiledLoader, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "_environment", lambda: pages.page_environment(loader))


PAGES: dict[str, Callable[[Conference, str], str]] = {
    "form": lambda c, lang: pages.render_form(c, lang, lottery_commitment=COMMITMENT),
    "form with errors": lambda c, lang: pages.render_form(
        c,
        lang,
        values={"given_name": "<b>Erika</b>", "email": "erika@example"},
        errors=[FieldError("email", "email", {})],
    ),
    "lottery": lambda c, lang: pages.render_lottery(c, lang, COMMITMENT),
    "message": lambda c, lang: pages.render_message(c, lang, "Titel <i>", ["Ein Satz & mehr."]),
    "confirm": lambda c, lang: pages.render_confirm(c, lang, "token-1"),
}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_reads_the_same_from_its_compiled_templates_as_from_the_sources(
    page: str, language: str, compiled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conference = load_conference("kassel-2023")
    _with(CompiledLoader(pages._TEMPLATES, compiled), monkeypatch)
    assert pages._environment().get_template("form.html.j2").filename.endswith(".py")
    from_compiled = PAGES[page](conference, language)
    _with(FileSystemLoader(pages._TEMPLATES), monkeypatch)
    from_sources = PAGES[page](conference, language)
    assert from_compiled == from_sources
    assert "<b>Erika</b>" not in from_compiled and "</html>" in from_compiled


def test_the_pages_load_from_the_folder_the_build_compiles_into() -> None:
    loader = pages._environment().loader
    assert isinstance(loader, CompiledLoader)
