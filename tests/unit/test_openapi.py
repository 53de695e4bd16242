"""The api's OpenAPI document: written at build time, equal to what the code accepts."""

from __future__ import annotations

import json

import pytest

from registrar.conference import load_conference
from registrar.submission import build_request_model
from registrar.web.openapi import CONFERENCES, document, path_for, render

DEFINITIONS = sorted(path.stem for path in CONFERENCES.glob("*.yaml"))


@pytest.mark.parametrize("conference_id", DEFINITIONS)
def test_each_conference_has_its_document_and_it_is_up_to_date(conference_id: str) -> None:
    stored = path_for(conference_id)
    assert stored.exists(), f"run `make openapi`: {stored.name} is missing"
    assert stored.read_text(encoding="utf-8") == render(load_conference(conference_id)), (
        f"run `make openapi`: {stored.name} no longer describes what the api accepts"
    )


@pytest.mark.parametrize("conference_id", DEFINITIONS)
def test_the_document_names_exactly_the_fields_the_submission_accepts(
    conference_id: str,
) -> None:
    conference = load_conference(conference_id)
    doc = json.loads(path_for(conference_id).read_text(encoding="utf-8"))
    operation = doc["paths"]["/applications"]["post"]
    for media_type in ("application/json", "application/x-www-form-urlencoded"):
        ref = operation["requestBody"]["content"][media_type]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert set(schema["properties"]) == set(build_request_model(conference).model_fields)
        assert schema["additionalProperties"] is False  # unknown fields are refused
    assert {"202", "422"} <= set(operation["responses"])
    assert doc == document(conference)
