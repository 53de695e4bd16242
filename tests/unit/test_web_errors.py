"""Each failure gets the HTTP status a client can act on, and its message in one sentence."""

from __future__ import annotations

import json

import pytest

from registrar.conference import Conference
from registrar.errors import (
    ApplicationNotFound,
    DomainError,
    RegistrationClosed,
    RegistrationNotOpen,
    TransitionNotAllowed,
)
from registrar.submission import FieldError
from registrar.tokens import InvalidToken
from registrar.web import errors


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("expired", 410),
        ("revoked", 410),
        ("signature", 400),
        ("malformed", 400),
        ("purpose", 400),
    ],
)
def test_an_expired_or_revoked_link_is_gone_and_any_other_bad_link_is_a_bad_request(
    reason: str, status: int
) -> None:
    assert errors.token_status(InvalidToken(reason)) == (status, f"token_{reason}")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (RegistrationClosed(), 403),
        (RegistrationNotOpen(), 403),
        (ApplicationNotFound(), 404),
        (TransitionNotAllowed(), 409),
        (DomainError(), 400),
    ],
)
def test_domain_failures_map_to_their_status(error: DomainError, status: int) -> None:
    assert errors.domain_status(error) == status


def test_validation_details_become_field_errors_with_the_limit() -> None:
    details = [
        {"loc": ("body", "given_name"), "type": "string_too_long", "ctx": {"max_length": 100}},
        {"loc": ("body", "email"), "type": "string_type"},
        {"loc": ("body",), "type": "model_attributes_type"},
    ]
    assert errors.validation_field_errors(details) == [
        FieldError("given_name", "too_long", {"max": 100}),
        FieldError("email", "invalid", {}),
        FieldError("body", "invalid", {}),
    ]


def test_a_json_client_gets_the_closed_message_with_the_deadline_in_its_language(
    conference: Conference,
) -> None:
    event = {"headers": {"content-type": "application/json"}, "body": "{}"}
    response = errors.problem(conference, event, 403, "registration_closed", "de")
    body = json.loads(response.body)
    assert response.status_code == 403
    assert body["error"] == "registration_closed"
    assert str(conference.deadline.astimezone(conference.zone).year) in body["message"]


def test_a_browser_gets_a_page_with_the_title_of_the_failure(conference: Conference) -> None:
    event = {"headers": {"accept": "text/html"}, "body": ""}
    response = errors.problem(conference, event, 403, "registration_closed", "en")
    assert response.status_code == 403
    assert response.content_type.startswith("text/html")
    assert "<html" in response.body
    assert "Pre-registration is closed" in response.body
