"""SnapStart in the template: the api's published versions in production, off in dev."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from registrar_local.infra.template import load_template, parameter_defaults, template_path

TEMPLATE = load_template()
SAMCONFIG = tomllib.loads((Path(template_path()).parents[1] / "samconfig.toml").read_text())


def _api() -> dict[str, Any]:
    properties: dict[str, Any] = TEMPLATE["Resources"]["ApiFunction"]["Properties"]
    return properties


def _overrides(environment: str) -> dict[str, str]:
    pairs = SAMCONFIG[environment]["deploy"]["parameters"]["parameter_overrides"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_the_api_is_called_through_an_alias_on_a_published_version() -> None:
    # SnapStart snapshots published versions only; the HTTP API then calls the alias.
    assert _api()["AutoPublishAlias"] == "live"


def test_snapstart_follows_the_parameter_on_by_default() -> None:
    assert _api()["SnapStart"] == {
        "ApplyOn": {"Fn::If": ["ApiUsesSnapStart", "PublishedVersions", "None"]}
    }
    assert TEMPLATE["Conditions"]["ApiUsesSnapStart"] == {
        "Fn::Equals": [{"Ref": "ApiSnapStart"}, "true"]
    }
    assert parameter_defaults(TEMPLATE)["ApiSnapStart"] == "true"


def test_production_keeps_snapstart_and_dev_switches_it_off() -> None:
    assert "ApiSnapStart" not in _overrides("prod")  # the default: on
    assert _overrides("dev")["ApiSnapStart"] == "false"


def test_snapstart_runs_on_a_runtime_that_supports_it() -> None:
    # Python SnapStart needs python3.12 or later; it excludes provisioned concurrency,
    # EFS and ephemeral storage above 512 MB.
    runtime = _api().get("Runtime") or TEMPLATE["Globals"]["Function"]["Runtime"]
    assert runtime in {"python3.12", "python3.13"}
    assert "ProvisionedConcurrencyConfig" not in _api()
    assert "FileSystemConfigs" not in _api()
    assert _api().get("EphemeralStorage", {"Size": 512})["Size"] <= 512
