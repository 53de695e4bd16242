"""The package's YAML is read by libyaml when present: same data, and still a safe loader."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import registrar
from registrar import yaml_files
from registrar.yaml_files import YAMLError, parse_yaml

PACKAGE = Path(registrar.__file__).parent


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    # PyYAML's wheels (the deployed layer's too) carry libyaml; without it cold starts
    # spend ~20 ms more parsing the conference definition.
    assert yaml.__with_libyaml__
    assert yaml_files._Loader is yaml.CSafeLoader


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.yaml")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_every_yaml_file_of_the_package_reads_as_pyyaml_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['true']",
        "!!python/name:os.system",
        "a: [unclosed",
    ],
)
def test_tags_that_build_objects_and_broken_yaml_are_refused(text: str) -> None:
    with pytest.raises(YAMLError):
        parse_yaml(text)
