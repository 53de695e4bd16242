"""The api's OpenAPI document, written from the request model the api validates with.

Made when the code is built, not when the api starts: ``make openapi`` writes it beside
each conference definition (``conferences/<id>.openapi.json``, the submission's fields
depend on the event's workshops and extras), and the api serves that file as it is. A test
keeps every file equal to what ``document`` makes of the code, so the document describes
exactly what the api accepts. Only the submission is an API; the pages are for browsers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from registrar.conference import Conference
from registrar.submission import build_request_model
from registrar.web.requests import Accepted

CONFERENCES = Path(__file__).resolve().parents[1] / "conferences"
_COMPONENTS = "#/components/schemas/{model}"


def path_for(conference_id: str) -> Path:
    return CONFERENCES / f"{conference_id}.openapi.json"


def document(conference: Conference) -> dict[str, Any]:
    schema = build_request_model(conference).model_json_schema(ref_template=_COMPONENTS)
    schemas: dict[str, Any] = schema.pop("$defs", {})
    name = str(schema["title"])
    schemas[name] = schema
    schemas["Accepted"] = Accepted.model_json_schema(ref_template=_COMPONENTS)
    schemas["FieldErrors"] = {
        "title": "FieldErrors",
        "type": "object",
        "properties": {
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "field": {"type": "string"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                    "required": ["field", "code", "message"],
                },
            }
        },
        "required": ["errors"],
    }
    body = {"schema": {"$ref": _COMPONENTS.format(model=name)}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "registrar", "version": "1"},
        "paths": {
            "/applications": {
                "post": {
                    "summary": "Submit an application",
                    "operationId": "submit_applications_post",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": body,
                            "application/x-www-form-urlencoded": body,
                        },
                    },
                    "responses": {
                        "202": {
                            "description": "Stored (or already registered: same answer)",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": _COMPONENTS.format(model="Accepted")}
                                }
                            },
                        },
                        "303": {"description": "A form post: on to the thank-you page"},
                        "422": {
                            "description": "Invalid fields, each with a sentence",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": _COMPONENTS.format(model="FieldErrors")}
                                }
                            },
                        },
                    },
                }
            }
        },
        "components": {"schemas": schemas},
    }


def render(conference: Conference) -> str:
    """The document as the file holds it (and the api serves it)."""
    return json.dumps(document(conference), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_all() -> list[Path]:
    """Write the document of every conference definition (``make openapi``)."""
    from registrar.conference import load_conference

    written = []
    for definition in sorted(CONFERENCES.glob("*.yaml")):
        target = path_for(definition.stem)
        target.write_text(render(load_conference(definition.stem)), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for written in write_all():
        print(written.name)
