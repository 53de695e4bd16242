"""Patches of a library's inside hold only for the version they were written for.

Each module that replaces or subclasses a library's undocumented parts says which version
it was written for (``WRITTEN_FOR``); once another version is installed, this test fails
and the patch has to be read again against the new code before the pin moves.
"""

from __future__ import annotations

import ast
import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "layers" / "registrar" / "registrar", ROOT / "cli", ROOT / "tests"]
# The patches known today; a new one adds its module here and its WRITTEN_FOR there.
KNOWN_PATCHES = {
    "layers/registrar/registrar/botocore_data.py",
    "layers/registrar/registrar/observability.py",
    "layers/registrar/registrar/store/models.py",
    "cli/registrar_local/moto_speedups.py",
    "cli/registrar_local/moto_streams.py",
    "cli/registrar_local/inprocess.py",
    "tests/support/stack.py",
}


def _assigned_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _written_for() -> dict[str, dict[str, str]]:
    """Every module's WRITTEN_FOR, read from its source (importing would apply patches)."""
    found: dict[str, dict[str, str]] = {}
    for folder in SOURCES:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if _assigned_name(node) == "WRITTEN_FOR":
                    assert isinstance(node, ast.AnnAssign | ast.Assign) and node.value
                    found[path.relative_to(ROOT).as_posix()] = ast.literal_eval(node.value)
    return found


DECLARED = _written_for()
PINS = [
    (module, library, version)
    for module, libraries in DECLARED.items()
    for library, version in libraries.items()
]


def test_every_known_patch_names_its_library_versions() -> None:
    assert set(DECLARED) == KNOWN_PATCHES
    assert all(DECLARED.values())


@pytest.mark.parametrize(("module", "library", "version"), PINS)
def test_the_installed_library_is_the_version_the_patch_was_written_for(
    module: str, library: str, version: str
) -> None:
    installed = importlib.metadata.version(library)
    assert installed == version, (
        f"{module} patches {library} {version}, but {installed} is installed: read the patch "
        f"against {library} {installed}, then update WRITTEN_FOR and the pin in pyproject.toml"
    )


@pytest.mark.parametrize(("module", "library", "version"), PINS)
def test_pyproject_pins_each_patched_library_exactly(
    module: str, library: str, version: str
) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [
        Requirement(line)
        for line in [
            *project["dependencies"],
            *(line for extra in project["optional-dependencies"].values() for line in extra),
        ]
    ]
    pins = {str(r.specifier) for r in requirements if r.name.lower() == library.lower()}
    assert pins == {f"=={version}"}, module
