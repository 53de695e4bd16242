"""What the build reads and checks once so that no function start has to: the package's
data made ready to load (``python -m registrar.prebuilt PACKAGE_DIR``, run by ``make build``
on the layer's copy of the package, and by ``make demo``, ``make test`` and ``make bench``
beside the sources, so that they run what is deployed).

- each conference definition, validated (``conference_cache``);
- each language file, as JSON (``<code>.yaml.json``): the same data, which Python's json
  module reads in a fraction of a millisecond, where a start paid about 20 ms to import
  PyYAML and a few more to parse it;
- the events' own dates and times, written in each language (``prepared_dates``);
- botocore's data for the functions' services, lean (``botocore_data.write_lean_data``);
- the mail and page templates, compiled by Jinja (``compiled_templates``).

A file made ready is used only when it was made from the very text beside it (its SHA-256
is recorded; botocore's copy, by the installed botocore); otherwise the source is read as
before. So an edited file never goes stale, and a checkout without these files works the
same, only slower to start.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

_TWIN_SUFFIX = ".json"


def _twin(path: Path) -> Path:
    return path.with_name(path.name + _TWIN_SUFFIX)


def source_digest(text: str) -> str:
    """What a prepared file records of the source it was made from (SHA-256, hex)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_yaml_data(path: Path) -> Any:
    """The plain data of the YAML file at ``path``; from its JSON twin when made from it.

    Raises ``OSError`` if the file cannot be read, and what ``yaml_files.parse_yaml``
    raises if it is not YAML.
    """
    text = path.read_text(encoding="utf-8")
    try:
        twin = json.loads(_twin(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        twin = None
    if isinstance(twin, dict) and twin.get("source_sha256") == source_digest(text):
        return twin["data"]
    from registrar.yaml_files import parse_yaml

    return parse_yaml(text)


def write_yaml_twin(path: Path) -> Path:
    """Write the JSON twin of the YAML file at ``path`` (plain data only: a YAML date or
    anything JSON cannot hold is refused, so that the twin is exactly the data)."""
    from registrar.yaml_files import parse_yaml

    text = path.read_text(encoding="utf-8")
    data = parse_yaml(text)
    encoded = json.dumps({"source_sha256": source_digest(text), "data": data}, ensure_ascii=False)
    if json.loads(encoded)["data"] != data:
        raise ValueError(f"{path.name}: not plain JSON data")
    target = _twin(path)
    target.write_text(encoded, encoding="utf-8")
    return target


def write(package: Path) -> list[Path]:
    """Make the data of the package at ``package`` ready: definitions, language files,
    botocore's data, templates."""
    # Here, not at the top: a start reads language files through this module, and needs
    # neither the writers nor Jinja.
    from registrar import botocore_data, compiled_templates, conference_cache, prepared_dates
    from registrar.conference import parse_definition
    from registrar.mail import render
    from registrar.web import pages

    definitions = sorted(package.glob("conferences/*.yaml"))
    written = [conference_cache.write(p) for p in definitions]
    written += [write_yaml_twin(p) for p in sorted(package.glob("locales/*.yaml"))]
    conferences = [parse_definition(p.read_text(encoding="utf-8"), p.name)[0] for p in definitions]
    written += prepared_dates.write(package / "locales", conferences)
    written += botocore_data.write_lean_data(package / botocore_data.LEAN_DIR.name)
    for templates, compile_into in (
        ("mail", render.compile_templates),
        ("web", pages.compile_templates),
    ):
        source = package / templates / "templates"
        if source.is_dir():
            written += compile_into(compiled_templates.compiled_dir(source), source)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not (Path(argv[0]) / "conferences").is_dir():
        print("usage: python -m registrar.prebuilt PACKAGE_DIR (the registrar package)")
        return 2
    for path in write(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
