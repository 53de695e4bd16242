"""The deployed layers carry exactly the Powertools the code was tested with."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from registrar_local.infra import template as tpl

ROOT = Path(__file__).resolve().parents[2]


def _pinned_powertools() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in project["project"]["dependencies"] if d.startswith("aws-lambda-powertools")]
    assert len(pins) == 1, pins
    match = re.search(r"==([\d.]+)$", pins[0])
    assert match, f"Powertools must be pinned exactly, not {pins[0]!r}"
    return match.group(1)


def test_powertools_layer_is_resolved_for_the_pinned_release() -> None:
    template = tpl.load_template(tpl.template_path())
    parameter = template["Parameters"]["PowertoolsLayerArn"]
    assert parameter["Type"] == "AWS::SSM::Parameter::Value<String>"
    assert parameter["Default"] == (
        f"/aws/service/powertools/python/arm64/python3.12/{_pinned_powertools()}"
    )
    assert template["Globals"]["Function"]["Architectures"] == ["arm64"]
    assert template["Globals"]["Function"]["Runtime"] == "python3.12"


def test_every_function_gets_the_powertools_layer_and_the_project_layer() -> None:
    template = tpl.load_template(tpl.template_path())
    layers = template["Globals"]["Function"]["Layers"]
    assert {"Ref": "PowertoolsLayerArn"} in layers
    assert {"Ref": "RegistrarLayer"} in layers
    for function_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            assert "Layers" not in resource["Properties"], function_id  # Globals apply
