"""The mail templates the mailer renders from: compiled at build time, equal to the sources.

``registrar.prebuilt`` compiles them (``make build`` in the layer, the other make targets
beside the sources); here they are compiled into a folder of the test's own.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from registrar import i18n
from registrar.compiled_templates import MANIFEST, CompiledLoader
from registrar.conference import Conference, load_conference
from registrar.i18n import available_languages
from registrar.mail import render as render_module
from registrar.mail.compose import OutgoingMail, compose
from registrar.mail.context import MailInputs, build_context
from registrar.mail.render import (
    COMPILED_DIR,
    TEMPLATES_DIR,
    compile_templates,
    environment,
    mail_environment,
    source_environment,
)
from registrar.mail.sample import (
    sample_application,
    sample_links,
    sample_lottery,
    sample_seat_holder,
)
from registrar.mail_queue import MAIL_KINDS, MailKind

NOW = dt.datetime(2023, 4, 12, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("compiled_templates")
    written = compile_templates(target)
    assert len(written) == len(list(TEMPLATES_DIR.rglob("*.j2")))
    return target


def _is_compiled(filename: str | None) -> bool:
    """Loaded from a compiled module (``tmpl_….py``), not compiled from a ``.j2`` source."""
    assert filename is not None
    return Path(filename).name.startswith("tmpl_") and filename.endswith(".py")


def test_every_template_is_rendered_from_its_compiled_form(compiled: Path) -> None:
    sources = source_environment().list_templates(extensions=["j2"])
    assert len(sources) == len(list(TEMPLATES_DIR.rglob("*.j2")))
    env = mail_environment(TEMPLATES_DIR, compiled)
    for name in sources:
        assert _is_compiled(env.get_template(name).filename), name


def test_the_mailer_renders_from_the_package_folder_the_build_compiles_into() -> None:
    assert TEMPLATES_DIR.with_name("compiled_templates") == COMPILED_DIR
    loader = environment().loader
    assert isinstance(loader, CompiledLoader)


@pytest.fixture
def edited_sources(tmp_path: Path) -> Path:
    """A copy of the sources whose German receipt was edited after the last compilation."""
    sources = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, sources)
    receipt = sources / "de" / "receipt.txt.j2"
    text = receipt.read_text(encoding="utf-8")
    receipt.write_text(text.replace("{% block body %}", "{% block body %}\nNEU", 1))
    assert receipt.read_text(encoding="utf-8") != text
    return sources


def test_a_template_edited_since_it_was_compiled_is_rendered_as_written(
    edited_sources: Path, compiled: Path
) -> None:
    env = mail_environment(edited_sources, compiled)
    edited = env.get_template("de/receipt.txt.j2")
    assert not _is_compiled(edited.filename)
    assert "NEU" in edited.render(_context())
    # the others are still the compiled ones
    assert _is_compiled(env.get_template("en/receipt.txt.j2").filename)
    assert _is_compiled(env.get_template("layout.txt.j2").filename)


def test_compiling_again_leaves_unchanged_templates_untouched(tmp_path: Path) -> None:
    # A rewritten file gets a new time: Python would compile it again at every import
    # where it may not write bytecode (PYTHONDONTWRITEBYTECODE), as the benchmark's did.
    sources = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, sources)
    target = tmp_path / "compiled"
    first = compile_templates(target, sources)
    times = {path.name: path.stat().st_mtime_ns for path in [*first, target / MANIFEST]}
    contents = {path.name: path.read_bytes() for path in first}
    receipt = sources / "de" / "receipt.txt.j2"
    text = receipt.read_text(encoding="utf-8")
    receipt.write_text(text.replace("{% block body %}", "{% block body %}\nNEU", 1))
    (sources / "en" / "receipt.txt.j2").unlink()

    second = compile_templates(target, sources)

    changed = {p.name for p in second if p.read_bytes() != contents.get(p.name)}
    assert len(changed) == 1  # the edited receipt's, under its own name
    assert len(second) == len(first) - 1  # the deleted template's compiled file went too
    assert sorted(p.name for p in target.iterdir()) == sorted([*(p.name for p in second), MANIFEST])
    for path in second:
        if path.name not in changed:
            assert path.stat().st_mtime_ns == times[path.name], path.name
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert "en/receipt.txt.j2" not in manifest["templates"]
    env = mail_environment(sources, target)
    assert _is_compiled(env.get_template("de/receipt.txt.j2").filename)


def test_templates_compiled_by_another_jinja_are_not_used(tmp_path: Path, compiled: Path) -> None:
    other = tmp_path / "compiled"
    shutil.copytree(compiled, other)
    manifest = json.loads((other / MANIFEST).read_text(encoding="utf-8"))
    (other / MANIFEST).write_text(json.dumps({**manifest, "jinja2": "2.11.3"}))
    env = mail_environment(TEMPLATES_DIR, other)
    assert not _is_compiled(env.get_template("de/receipt.txt.j2").filename)


def _context() -> dict[str, object]:
    conference = load_conference("kassel-2023")
    application = sample_application(conference, "de", NOW, kind="receipt")
    language = i18n.language("de")
    inputs = MailInputs(
        "receipt", application, conference, sample_links(), NOW, language, sample_lottery()
    )
    return build_context(inputs)


def _compose(conference: Conference, kind: MailKind, language: str) -> OutgoingMail:
    application = sample_application(conference, language, NOW, kind=kind)
    holder = sample_seat_holder(conference, language, NOW) if kind == "substitute_confirm" else None
    return compose(
        kind, application, conference, sample_links(), NOW, sample_lottery(), seat_holder=holder
    )


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_a_mail_reads_the_same_from_its_compiled_templates_as_from_the_sources(
    conference: Conference,
    kind: MailKind,
    language: str,
    monkeypatch: pytest.MonkeyPatch,
    compiled: Path,
) -> None:
    monkeypatch.setattr(render_module, "environment", lambda: mail_environment(compiled=compiled))
    from_compiled = _compose(conference, kind, language)
    monkeypatch.setattr(render_module, "environment", source_environment)
    from_sources = _compose(conference, kind, language)

    assert from_compiled == from_sources
    assert from_compiled.subject and from_compiled.text.strip() and "</html>" in from_compiled.html
