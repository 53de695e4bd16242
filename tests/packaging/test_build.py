"""`sam build` of infra/template.yaml, and the built artifacts importing on their own.

The deployed build is arm64 (the template's architecture). Its layer carries an aarch64
``pydantic_core`` that cannot be loaded on an x86_64 machine, so the import check runs
against an x86_64 build of the *same* template (only the architecture changed, written to
``.aws-sam/import-check``): same requirements, same sources, same SAM builder.

Each handler module is imported in a fresh python3.12 started with ``-I -S`` (no
site-packages, no environment-driven paths) whose ``sys.path`` is, in Lambda's order:
the built function directory, the built layer's ``python/``, a stand-in for AWS's public
Powertools layer (``aws-lambda-powertools[parser,tracer]==3.37.0``) and a stand-in for the
runtime's own ``boto3``. Nothing from the project's venv is on it, so a dependency missing
from ``layers/registrar/requirements.txt`` fails here.

Builds use ``--cached`` under ``.aws-sam`` (gitignored): a repeated run takes seconds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from registrar.mail import render
from registrar.web import pages
from registrar_local.infra import template as tpl
from tests.fakes import SETTINGS_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
SAM = ROOT / ".tools" / "sam" / "bin" / "sam"
WORK = ROOT / ".aws-sam"
POWERTOOLS = "aws-lambda-powertools[parser,tracer]==3.37.0"
# What only the test/CLI side needs: none of it may be deployed.
NOT_DEPLOYED = ("pytest", "moto", "typer", "rich", "hypothesis", "boto3", "registrar_cli")
FUNCTIONS = sorted(tpl.functions(tpl.load_template()))

# Settings read at cold start; values only need the right shape (no AWS call at import).
ENVIRONMENT = {
    "AWS_REGION": "eu-central-1",
    "AWS_DEFAULT_REGION": "eu-central-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    **SETTINGS_ENVIRONMENT,
    "POWERTOOLS_SERVICE_NAME": "registrar",
    "POWERTOOLS_METRICS_NAMESPACE": "Registrar",
    "POWERTOOLS_TRACE_DISABLED": "true",
}

IMPORT_CHECK = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys
    sys.path[:0] = json.loads(sys.argv[1])
    module = importlib.import_module("app")
    assert callable(module.lambda_handler)
    # The build validated the definition and made the language files JSON: no start
    # reads YAML (registrar.prebuilt).
    assert "yaml" not in sys.modules, "a function start imported PyYAML"
    from registrar.i18n import translate
    assert translate("de", "ui.thanks_title") and "yaml" not in sys.modules
    import registrar
    # Modules the handlers import lazily (services, mail, web) must load too.
    for info in pkgutil.walk_packages(registrar.__path__, "registrar."):
        importlib.import_module(info.name)
    # ...and what they import only when first used (email-validator, at the first address).
    from registrar.address import deliverable_address
    assert deliverable_address("info@straße.de") == "info@xn--strae-oqa.de"
    # ...and Babel with its locale data, at the first date a page or mail shows.
    import datetime
    from registrar.i18n import language
    assert language("de").date(datetime.date(2023, 5, 11)) == "Donnerstag, 11. Mai 2023"
    assert language("en").date_span([datetime.date(2023, 5, 11), datetime.date(2023, 5, 12)]) == "11–12 May 2023"
    # ...and the mail templates, from the form the build compiled them into.
    from registrar.mail.render import environment
    assert environment().get_template("de/receipt.txt.j2").filename.endswith(".py")
    outside = [
        name for name, m in sys.modules.items()
        if getattr(m, "__file__", None) and not any(
            m.__file__.startswith(p) for p in json.loads(sys.argv[1]) + [sys.base_prefix]
        )
    ]
    assert not outside, outside
    print("ok", module.__file__)
    """
)


def python312() -> Path:
    """The real interpreter behind the venv (not a pyenv shim: `sam build` rejects those)."""
    for candidate in (Path(sys.base_prefix) / "bin" / "python3.12", shutil.which("python3.12")):
        if candidate and Path(candidate).exists():
            return Path(candidate)
    pytest.fail("python3.12 is needed on PATH for `sam build` (see README, Operations)")


def sam_build(template: Path, architecture: str) -> Path:
    """``make build`` (sam build, then bytecode) of ``template`` into its own folder."""
    if not SAM.exists():
        pytest.fail(f"{SAM} is missing: run `make validate` (it installs the SAM CLI)")
    build_dir = WORK / f"build-{architecture}"
    env = {**os.environ, "SAM_CLI_TELEMETRY": "0"}
    env.pop("PYENV_VERSION", None)
    result = subprocess.run(
        [
            "make", "--no-print-directory", "build", f"SAM_TEMPLATE={template}",
            f"SAM_BUILD_DIR={build_dir}", f"SAM_CACHE_DIR={WORK / f'cache-{architecture}'}",
            f"PYTHON={python312()}",
        ],
        cwd=ROOT, env=env, check=False, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return build_dir


def x86_64_template() -> Path:
    """The template with only its architecture changed and its code paths made absolute."""
    text = tpl.template_path().read_text(encoding="utf-8")
    text = text.replace("[arm64]", "[x86_64]").replace("BuildArchitecture: arm64", "")
    for key in ("CodeUri", "ContentUri"):
        text = text.replace(f"{key}: ../", f"{key}: {ROOT}/")
    target = WORK / "import-check" / "template.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def deployed_build() -> Path:
    return sam_build(tpl.template_path(), "arm64")


@pytest.fixture(scope="module")
def importable_build() -> Path:
    return sam_build(x86_64_template(), "x86_64")


@pytest.fixture(scope="module")
def lambda_provided() -> list[Path]:
    """Stand-ins for the public Powertools layer and the runtime's boto3, installed once."""
    paths = []
    for name, requirement in (("powertools", POWERTOOLS), ("runtime", "boto3")):
        target = WORK / "import-check" / name
        marker = target / f".installed-{requirement}"
        if not marker.exists():
            shutil.rmtree(target, ignore_errors=True)
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target),
                 "--python-version", "3.12", "--only-binary=:all:", requirement],
                check=True, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            marker.touch()
        paths.append(target)
    return paths


def test_deployed_layer_holds_the_package_and_its_dependencies_only(
    deployed_build: Path, tmp_path: Path
) -> None:
    layer = deployed_build / "RegistrarLayer" / "python"
    names = {p.name for p in layer.iterdir()}
    for needed in ("registrar", "pynamodb", "jinja2", "pydantic", "yaml"):
        assert needed in names, needed
    assert {"icalendar", "markupsafe"} <= names
    assert not [n for n in names if n.split("-")[0].lower() in NOT_DEPLOYED], names
    assert (layer / "registrar" / "conferences" / "kassel-2023.yaml").exists()
    for folder, compile_into in (
        ("mail", render.compile_templates),
        ("web", pages.compile_templates),
    ):
        compiled = layer / "registrar" / folder / "compiled_templates"
        shipped = {p.name: p.read_bytes() for p in compiled.glob("tmpl_*.py")}
        fresh = compile_into(tmp_path / folder)
        assert shipped == {p.name: p.read_bytes() for p in fresh}, folder
    assert (layer / "registrar" / "conferences" / "kassel-2023.validated.pickle").exists()
    assert (layer / "registrar" / "botocore_lean" / "endpoints.json").exists()
    assert {p.name for p in (layer / "registrar" / "locales").glob("*.yaml.json")} == {
        "de.yaml.json",
        "en.yaml.json",
    }
    # The event's dates, written in each language (registrar.prepared_dates).
    assert {p.name for p in (layer / "registrar" / "locales").glob("*.dates.json")} == {
        "de.dates.json",
        "en.dates.json",
    }
    assert list((layer / "pydantic_core").glob("*aarch64*.so")), "layer not built for arm64"
    built = tpl.load_template(deployed_build / "template.yaml")
    assert built["Globals"]["Function"]["Architectures"] == ["arm64"]
    for lid in FUNCTIONS:
        assert "Architectures" not in built["Resources"][lid]["Properties"], lid
        assert {p.name for p in (deployed_build / lid).iterdir()} == {"app.py", "__pycache__"}, lid


def _unchecked_hash_pyc(source: Path) -> bool:
    """Whether ``source`` has a CPython 3.12 .pyc that is used without checking the source."""
    cached = source.parent / "__pycache__" / f"{source.stem}.cpython-312.pyc"
    if not cached.exists():
        return False
    header = cached.read_bytes()[:16]
    flags = int.from_bytes(header[4:8], "little")
    # PEP 552: bit 0 hash-based, bit 1 check the source; and 3.12's magic number.
    return flags == 0b01 and header[:4] == importlib.util.MAGIC_NUMBER


def test_the_deployed_code_is_compiled_for_a_read_only_file_system(deployed_build: Path) -> None:
    # /opt and /var/task are read-only in Lambda: a module without a usable .pyc is
    # compiled again on every cold start (the api function took 1.4 s instead of 0.44 s).
    sources = list((deployed_build / "RegistrarLayer" / "python").rglob("*.py"))
    sources += [deployed_build / lid / "app.py" for lid in FUNCTIONS]
    assert len(sources) > 500
    missing = [str(s.relative_to(deployed_build)) for s in sources if not _unchecked_hash_pyc(s)]
    assert missing == []


@pytest.mark.parametrize("function_id", FUNCTIONS)
def test_handler_imports_from_the_built_artifacts_alone(
    importable_build: Path, lambda_provided: list[Path], function_id: str
) -> None:
    path = [importable_build / function_id, importable_build / "RegistrarLayer" / "python"]
    path += lambda_provided
    result = subprocess.run(
        [str(python312()), "-I", "-S", "-c", IMPORT_CHECK, json.dumps([str(p) for p in path])],
        check=False,
        env={**ENVIRONMENT, "PATH": "/usr/bin:/bin"},
        cwd=importable_build / function_id,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # A cold start may log first (the definition's values still marked "ORGANISERS: set").
    assert result.stdout.splitlines()[-1].startswith("ok ")
