"""Jinja templates compiled when the code is built, loaded in that form while it is current.

Compiling a template (lexing, parsing, generating Python) cost a start about 25 ms for a
receipt and 60 ms for the application form, on every cold start. ``registrar.prebuilt``
(run by ``make build`` and the make targets that run the code) writes each template
folder's compiled form beside it (``compiled_templates/``: Jinja's
``Environment.compile_templates``, loaded with Jinja's ``ModuleLoader``), with Jinja's
version and the SHA-256 of each source it was made from (``sources.json``). A template
whose source was edited since, or a folder compiled by another Jinja, is compiled from its
source as written: never an older form. Compiled and source templates use one environment's
settings (whitespace control is applied when compiling, escaping when rendering).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, MutableMapping
from pathlib import Path

import jinja2
from jinja2 import BaseLoader, Environment, FileSystemLoader, ModuleLoader, Template

from registrar.prebuilt import source_digest

MANIFEST = "sources.json"  # the Jinja version and each compiled template's source digest
_EXTENSION = "j2"


def compiled_dir(templates: Path) -> Path:
    """Where the compiled form of the template folder ``templates`` is kept."""
    return templates.with_name("compiled_templates")


class CompiledLoader(BaseLoader):
    """A template's compiled form where it was made from its source as it is now, by this
    Jinja; else the source itself."""

    def __init__(self, templates: Path, compiled: Path | None = None) -> None:
        compiled = compiled or compiled_dir(templates)
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
        if self._digests.get(name) == source_digest(source):
            return self._modules.load(environment, name, globals)
        return super().load(environment, name, globals)


def _compiled_digests(compiled: Path) -> dict[str, str]:
    try:
        manifest = json.loads((compiled / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("jinja2") != jinja2.__version__:
        return {}
    return {str(name): str(digest) for name, digest in manifest["templates"].items()}


def compile_templates(sources: Environment, target: Path) -> list[Path]:
    """Write every template of ``sources`` (an environment loading the sources with the
    settings used to render them), compiled, into ``target``, replacing what it held.

    A compiled file whose content is unchanged is left as it was: rewriting it would give
    it a new time, and Python would then compile it again at every import where it may
    not write bytecode (Lambda's read-only disk aside, ``PYTHONDONTWRITEBYTECODE``)."""
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".compiling-") as scratch:
        fresh = Path(scratch)
        sources.compile_templates(fresh, extensions=[_EXTENSION], zip=None, ignore_errors=False)
        assert sources.loader is not None
        names = sources.list_templates(extensions=[_EXTENSION])
        digests = {
            name: source_digest(sources.loader.get_source(sources, name)[0]) for name in names
        }
        manifest = {"jinja2": jinja2.__version__, "templates": digests}
        (fresh / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        made = {path.name for path in fresh.glob("tmpl_*.py")}
        for stale in target.glob("tmpl_*.py"):
            if stale.name not in made:
                stale.unlink()
        for name in [*sorted(made), MANIFEST]:
            _replace_if_changed(fresh / name, target / name)
    return sorted(target.glob("tmpl_*.py"))


def _replace_if_changed(fresh: Path, target: Path) -> None:
    try:
        unchanged = target.read_bytes() == fresh.read_bytes()
    except OSError:
        unchanged = False
    if not unchanged:
        os.replace(fresh, target)
