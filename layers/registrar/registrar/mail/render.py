"""Rendering a mail's templates: ``<lang>/<kind>.txt.j2`` and ``<lang>/<kind>.html.j2``.

The text template extends ``layout.txt.j2``, whose first line is ``Subject: …``; that line
becomes the subject (made header-safe) and is handed to the HTML template as ``subject``.
Autoescaping is on for ``*.html.j2`` only; undefined names raise (``StrictUndefined``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from registrar.mail.text import single_line

TEMPLATES_DIR = Path(__file__).parent / "templates"
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


@cache
def environment() -> Environment:
    return _MailEnvironment(
        loader=FileSystemLoader(TEMPLATES_DIR),
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
