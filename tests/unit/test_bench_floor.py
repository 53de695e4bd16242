"""The benchmark's peer accepts what the form sends: the same fields as the api's model.

``make bench`` compares the api with ``bench/floor_api.py`` on the same fake submissions;
a form field the floor does not know makes every floor submission a 422, and the benchmark
stops. (That happened when the form gained its days and on-behalf fields.)
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from registrar.conference import load_conference
from registrar.submission import build_request_model

FLOOR = Path(__file__).resolve().parents[2] / "bench" / "floor_api.py"


def test_the_floor_takes_every_field_of_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APPLICATIONS_TABLE", "floor")
    spec = importlib.util.spec_from_file_location("floor_api", FLOOR)
    assert spec is not None and spec.loader is not None
    floor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(floor)
    api = build_request_model(load_conference("kassel-2023"))
    assert set(floor.ApplicationRequest.model_fields) == set(api.model_fields)
