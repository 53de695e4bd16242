"""Rendering a mail's templates: ``<lang>/<kind>.txt.j2`` and ``<lang>/<kind>.html.j2``.

The text template extends ``layout.txt.j2``, whose first line is ``Subject: …``; that line
becomes the subject (made header-safe) and is handed to the HTML template as ``subject``.
Autoescaping is on for ``*.html.j2`` only; undefined names raise (``StrictUndefined``).

The mailer renders from the templates as Jinja compiles them, made when the code is built
(``make mail-templates`` writes ``compiled_templates/``, Jinja's ``ModuleLoader`` loads
them, the build compiles them to bytecode): a cold start that sends mail neither lexes,
parses nor generates code for its templates (about 25 ms for a receipt). Beside them, the
digest of each source they were made from: a template edited since (or a Jinja other than
the one that compiled it) is rendered from its source, as written, never from an older
compiled form. A test keeps the compiled files equal to what the sources compile to; the
sources stay the templates to read and edit.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    ModuleLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)

from registrar.mail.text import single_line

TEMPLATES_DIR = Path(__file__).parent / "templates"
COMPILED_DIR = Path(__file__).parent / "compiled_templates"
_TEMPLATE_EXTENSION = "j2"
MANIFEST = "sources.json"  # the Jinja version and each compiled template's source digest
_SUBJECT_PREFIX = "Subject:"
_SIGNATURE = "-- "  # RFC 3676: mail clients fold what follows


class TemplateShapeError(ValueError):
    """A text template did not start with a ``Subject:`` line."""


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


class _MailEnvironment(Environment):
    """Resolves ``./name`` against the including template's folder, so a language folder
    can be copied to start a new language without rewriting its includes."""

    def join_path(self, template: str, parent: str) -> str:
        if template.startswith("./"):
            return posixpath.join(posixpath.dirname(parent), template.removeprefix("./"))
        return template


class _CompiledLoader(BaseLoader):
    """A template's compiled form where it was made from its source as it is now, by this
    Jinja; else the source itself."""

    def __init__(self, templates: Path, compiled: Path) -> None:
        self._sources = FileSystemLoader(templates)
        self._modules = ModuleLoader(compiled)
        self._digests = _compiled_digests(compiled)

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self._sources.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self._sources.list_templates()

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, object] | None = None,
    ) -> Template:
        source, _, _ = self.get_source(environment, name)
        if self._digests.get(name) == _digest(source):
            return self._modules.load(environment, name, globals)
        return super().load(environment, name, globals)


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _compiled_digests(compiled: Path) -> dict[str, str]:
    try:
        manifest = json.loads((compiled / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if manifest.get("jinja2") != jinja2.__version__:
        return {}
    return {str(name): str(digest) for name, digest in manifest["templates"].items()}


def mail_environment(templates: Path = TEMPLATES_DIR, compiled: Path = COMPILED_DIR) -> Environment:
    """Templates from ``templates``, each in its compiled form from ``compiled`` if current."""
    return _configured(_CompiledLoader(templates, compiled))


@cache
def environment() -> Environment:
    """The environment mail is rendered with: the templates compiled at build time."""
    return mail_environment()


@cache
def source_environment() -> Environment:
    """The same settings on the template sources: what the compiled templates come from."""
    return _configured(FileSystemLoader(TEMPLATES_DIR))


def compile_templates(target: Path) -> list[Path]:
    """Write every template, compiled, into ``target`` (replacing what it held)."""
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("tmpl_*.py"):
        stale.unlink()
    sources = source_environment()
    sources.compile_templates(
        target, extensions=[_TEMPLATE_EXTENSION], zip=None, ignore_errors=False
    )
    assert sources.loader is not None
    names = sources.list_templates(extensions=[_TEMPLATE_EXTENSION])
    digests = {name: _digest(sources.loader.get_source(sources, name)[0]) for name in names}
    manifest = {"jinja2": jinja2.__version__, "templates": digests}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return sorted(target.glob("tmpl_*.py"))


def _configured(loader: BaseLoader) -> Environment:
    # Whitespace control is applied when a template is compiled, escaping and undefined
    # names when it renders: the sources and their compiled form use the same settings.
    return _MailEnvironment(
        loader=loader,
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",), disabled_extensions=("txt.j2",)
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )


def template_names(language: str, kind: str) -> tuple[str, str]:
    return f"{language}/{kind}.txt.j2", f"{language}/{kind}.html.j2"


def render(language: str, kind: str, context: Mapping[str, object]) -> Rendered:
    text_name, html_name = template_names(language, kind)
    env = environment()
    first_line, _, body = env.get_template(text_name).render(context).partition("\n")
    if not first_line.startswith(_SUBJECT_PREFIX):
        raise TemplateShapeError(f"{text_name}: the first line must be 'Subject: …'")
    subject = single_line(first_line.removeprefix(_SUBJECT_PREFIX))
    html = env.get_template(html_name).render({**context, "subject": subject})
    return Rendered(subject=subject, text=_tidy(body), html=html.strip() + "\n")


def _tidy(text: str) -> str:
    """Trailing spaces off (but the signature separator's), no double blank lines."""
    lines = [line if line == _SIGNATURE else line.rstrip() for line in text.splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy).strip("\n") + "\n"


if __name__ == "__main__":
    print(f"{len(compile_templates(COMPILED_DIR))} templates compiled into {COMPILED_DIR.name}/")
