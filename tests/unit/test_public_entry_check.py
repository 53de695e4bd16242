"""The api's check that a request came through the public entry, and the same-site check
behind it: the entry's header, compared whole; the viewer's host from the entry."""

from __future__ import annotations

from typing import Any

import pytest

from registrar.web.http import cross_site, forbidden, from_public_entry

VALUE = "Zq8u2mV0c4nHk7TtR1aYxW3bLpE9sJ6d"


def _event(**headers: str) -> dict[str, Any]:
    return {"requestContext": {"http": {"method": "POST"}}, "headers": headers}


def test_the_entrys_header_lets_a_request_in() -> None:
    assert from_public_entry(_event(**{"x-origin-verify": VALUE}), VALUE)
    assert from_public_entry(_event(**{"X-Origin-Verify": VALUE}), VALUE)  # any case


@pytest.mark.parametrize(
    "sent", ["", VALUE[:-1], VALUE + "x", VALUE.lower(), f" {VALUE}", "ü" * 32]
)
def test_anything_else_is_refused(sent: str) -> None:
    assert not from_public_entry(_event(**{"x-origin-verify": sent}), VALUE)
    assert not from_public_entry(_event(), VALUE)


def test_an_empty_expected_value_lets_nothing_in() -> None:
    assert not from_public_entry(_event(**{"x-origin-verify": ""}), "")


def test_the_refusal_says_nothing_about_why() -> None:
    refusal = forbidden()
    assert refusal["statusCode"] == 403
    assert refusal["body"] == '{"message":"Forbidden"}'


def test_behind_the_entry_the_viewers_host_is_the_sites_own() -> None:
    behind = _event(
        host="abc123.execute-api.eu-central-1.amazonaws.com",
        **{"x-forwarded-host": "d111111abcdef8.cloudfront.net"},
        origin="https://d111111abcdef8.cloudfront.net",
    )
    assert not cross_site(behind, "")
    other = behind | {"headers": behind["headers"] | {"origin": "https://evil.example"}}
    assert cross_site(other, "")
