"""The api's request models: what each route takes from a query string, a form or a body."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from registrar.conference import Conference
from registrar.submission import build_request_model
from registrar.web import requests
from tests.conftest import valid_request


def _event(
    *, query: dict[str, str] | None = None, body: str = "", content_type: str = ""
) -> dict[str, Any]:
    headers = {"content-type": content_type} if content_type else {}
    return {"queryStringParameters": query, "headers": headers, "body": body}


def test_a_query_string_keeps_the_declared_values_and_ignores_the_rest() -> None:
    event = _event(query={"token": "t.sig", "lang": "en", "utm_source": "newsletter"})
    link = requests.query(event, requests.TokenQuery)
    assert (link.token, link.lang) == ("t.sig", "en")


@pytest.mark.parametrize("query", [{}, {"token": "x" * 513}, {"token": "t", "lang": "deutsch"}])
def test_a_link_without_its_token_or_with_values_too_long_is_invalid(
    query: dict[str, str],
) -> None:
    with pytest.raises(requests.InvalidRequest):
        requests.query(_event(query=query), requests.TokenQuery)


def test_a_manage_form_takes_its_fields_and_leaves_the_rankings_to_the_page() -> None:
    body = urlencode(
        [("token", "t"), ("action", "withdraw"), ("confirmed", "true"), ("ranking_day1", "a")]
    )
    posted = requests.form(
        _event(body=body, content_type="application/x-www-form-urlencoded"), requests.ManageForm
    )
    assert (posted.action, posted.confirmed, posted.lang) == ("withdraw", True, "")


def test_an_unknown_manage_action_is_invalid() -> None:
    body = urlencode([("token", "t"), ("action", "delete_everyone")])
    with pytest.raises(requests.InvalidRequest):
        requests.form(
            _event(body=body, content_type="application/x-www-form-urlencoded"),
            requests.ManageForm,
        )


def test_forms_must_be_posted_as_forms() -> None:
    with pytest.raises(requests.UnsupportedMediaType):
        requests.form(
            _event(body='{"token": "t"}', content_type="application/json"), requests.ConfirmForm
        )


def test_the_submission_is_read_from_json_or_from_the_form_alike(conference: Conference) -> None:
    model = build_request_model(conference)
    body = valid_request(conference, 1)
    from_json = requests.submission(
        _event(body=json.dumps(body), content_type="application/json"), model
    )
    pairs = [
        (k, v) for k, value in body.items() for v in (value if isinstance(value, list) else [value])
    ]
    form_body = urlencode([(k, "on" if v is True else v) for k, v in pairs if v is not False])
    from_form = requests.submission(
        _event(body=form_body, content_type="application/x-www-form-urlencoded"), model
    )
    assert from_json == from_form


@pytest.mark.parametrize("body", ["{not json", "[]", "null", '{"is_admin": true}'])
def test_a_submission_that_is_not_the_model_is_invalid(conference: Conference, body: str) -> None:
    with pytest.raises(requests.InvalidRequest):
        requests.submission(
            _event(body=body, content_type="application/json"), build_request_model(conference)
        )


def test_a_submission_in_another_type_is_unsupported(conference: Conference) -> None:
    with pytest.raises(requests.UnsupportedMediaType):
        requests.submission(
            _event(body="<xml/>", content_type="application/xml"), build_request_model(conference)
        )
