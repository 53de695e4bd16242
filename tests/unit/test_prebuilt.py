"""The build's ready-to-load package data: used only when made from the very text beside it.

``registrar.prebuilt`` (run by ``make build`` on the layer) writes each conference definition
validated (``conference_cache``) and each language file as JSON. A start reads those
instead of YAML; an edited file, other model code, another pydantic, or a file that names
classes a definition is not made of, all mean the YAML is read as before.
"""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from registrar import conference_cache, prebuilt
from registrar.conference import (
    DEFINITIONS_DIR,
    ConferenceDefinitionError,
    load_conference,
    parse_definition,
)
from registrar.i18n import LOCALES_DIR, Locales

KASSEL = DEFINITIONS_DIR / "kassel-2023.yaml"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package's definitions and language files, made ready as the build does."""
    shutil.copytree(DEFINITIONS_DIR, tmp_path / "conferences")
    shutil.copytree(LOCALES_DIR, tmp_path / "locales")
    for made in [*tmp_path.glob("conferences/*.pickle"), *tmp_path.glob("locales/*.json")]:
        made.unlink()  # what a development checkout may hold from an earlier build
    written = prebuilt.write(tmp_path)
    assert {p.name for p in written} >= {
        "kassel-2023.validated.pickle",
        "de.yaml.json",
        "en.yaml.json",
        "endpoints.json",  # botocore's, lean (tests/unit/test_botocore_data.py)
    }
    return tmp_path


def test_the_kept_definition_is_what_validating_the_yaml_gives(package: Path) -> None:
    definition = package / "conferences" / "kassel-2023.yaml"
    kept = conference_cache.read(definition, definition.read_text(encoding="utf-8"))
    assert kept is not None
    validated, unset = parse_definition(KASSEL.read_text(encoding="utf-8"), KASSEL.name)
    assert kept == (validated, unset)
    assert kept[0] == load_conference("kassel-2023")
    assert "admission.capacity" in kept[1]  # the start-up warning's keys come along


def test_an_edited_definition_is_read_from_its_yaml_not_from_the_build(package: Path) -> None:
    definition = package / "conferences" / "kassel-2023.yaml"
    edited = definition.read_text(encoding="utf-8").replace("capacity: 150", "capacity: 151", 1)
    assert conference_cache.read(definition, edited) is None


def test_a_kept_definition_from_other_model_code_or_pydantic_is_not_used(
    package: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    definition = package / "conferences" / "kassel-2023.yaml"
    text = definition.read_text(encoding="utf-8")
    changed_models = tmp_path / "conference.py"
    changed_models.write_text("# the models, changed since the build\n", encoding="utf-8")
    monkeypatch.setattr(conference_cache, "_MODELS_SOURCE", changed_models)
    assert conference_cache.read(definition, text) is None
    monkeypatch.undo()
    import pydantic

    monkeypatch.setattr(pydantic, "VERSION", "0.0.1")
    assert conference_cache.read(definition, text) is None


def test_a_kept_file_naming_any_other_class_is_refused_and_runs_nothing(
    package: Path, tmp_path: Path
) -> None:
    definition = package / "conferences" / "kassel-2023.yaml"
    witness = tmp_path / "ran"

    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str, ...]]:
            return (subprocess.call, (["touch", str(witness)],))

    conference_cache.cache_path(definition).write_bytes(pickle.dumps({"stamp": Hostile()}))
    assert conference_cache.read(definition, definition.read_text(encoding="utf-8")) is None
    assert not witness.exists()
    conference_cache.cache_path(definition).write_bytes(b"not a pickle at all")
    assert conference_cache.read(definition, definition.read_text(encoding="utf-8")) is None


def test_a_definition_whose_id_is_not_its_file_name_is_not_kept(package: Path) -> None:
    other = package / "conferences" / "other-event.yaml"
    shutil.copy(package / "conferences" / "kassel-2023.yaml", other)
    with pytest.raises(ConferenceDefinitionError, match="must be 'other-event'"):
        conference_cache.write(other)
    assert not conference_cache.cache_path(other).exists()


def test_language_files_read_from_json_are_the_yaml_files(package: Path) -> None:
    from_json, from_yaml = Locales(package / "locales"), Locales(LOCALES_DIR)
    assert from_json.available == from_yaml.available == ("de", "en")
    for code in from_json.available:
        built, source = from_json.language(code), from_yaml.language(code)
        assert built.texts == source.texts and built.formats == source.formats


def test_an_edited_language_file_is_read_from_its_yaml(package: Path) -> None:
    path = package / "locales" / "de.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ui:\n", "ui:\n  brand_new: Neu\n", 1), encoding="utf-8")
    assert Locales(package / "locales").language("de").text("ui.brand_new") == "Neu"


def test_yaml_that_json_cannot_hold_exactly_gets_no_twin(tmp_path: Path) -> None:
    path = tmp_path / "dated.yaml"
    path.write_text("when: 2023-05-11\n", encoding="utf-8")
    with pytest.raises(TypeError):  # a YAML date is not JSON data
        prebuilt.write_yaml_twin(path)
    assert not (tmp_path / "dated.yaml.json").exists()


def test_the_build_step_names_its_folder_or_says_how_to_call_it(package: Path) -> None:
    def run(folder: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "registrar.prebuilt", str(folder)]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    done = run(package)
    assert done.returncode == 0 and "kassel-2023.validated.pickle" in done.stdout
    wrong = run(package / "nowhere")
    assert wrong.returncode == 2 and "usage" in wrong.stdout
