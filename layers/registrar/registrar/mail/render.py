"""Rendering a mail's templates: ``<lang>/<kind>.txt.j2`` and ``<lang>/<kind>.html.j2``.

The text template extends ``layout.txt.j2``, whose first line is ``Subject: …``; that line
becomes the subject (made header-safe) and is handed to the HTML template as ``subject``.
Autoescaping is on for ``*.html.j2`` only; undefined names raise (``StrictUndefined``).

The mailer renders from the templates as Jinja compiled them when the code was built
(``registrar.compiled_templates``): a cold start that sends mail neither lexes, parses nor
generates code for its templates (25–45 ms of a first receipt). A template edited since is
rendered from its source, as written; the sources stay the templates to read and edit.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from registrar import compiled_templates
from registrar.compiled_templates import CompiledLoader
from registrar.mail.text import single_line

TEMPLATES_DIR = Path(__file__).parent / "templates"
COMPILED_DIR = compiled_templates.compiled_dir(TEMPLATES_DIR)
_SUBJECT_PREFIX = "Subject:"
_SIGNATURE = "-- "  # RFC 3676: mail clients fold what follows


class TemplateShapeError(ValueError):
    """A text template did not start with a ``Subject:`` line."""


class Rendered(NamedTuple):
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


def mail_environment(templates: Path = TEMPLATES_DIR, compiled: Path = COMPILED_DIR) -> Environment:
    """Templates from ``templates``, each in its compiled form from ``compiled`` if current."""
    return _configured(CompiledLoader(templates, compiled))


@cache
def environment() -> Environment:
    """The environment mail is rendered with: the templates compiled at build time."""
    return mail_environment()


@cache
def source_environment() -> Environment:
    """The same settings on the template sources: what the compiled templates come from."""
    return _configured(FileSystemLoader(TEMPLATES_DIR))


def compile_templates(target: Path, templates: Path = TEMPLATES_DIR) -> list[Path]:
    """Write every mail template in ``templates``, compiled, into ``target``."""
    return compiled_templates.compile_templates(_configured(FileSystemLoader(templates)), target)


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
