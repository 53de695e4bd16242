"""The public entry: the firewall's POST limit per client, and no way around the entry.

The local gateway applies the limit of infra/waf.yaml's rate-based rule (read from it), so
a flood meets here the 403 it meets in AWS; the api answers only requests that carry the
entry's origin header, so the API's own URL is no way around the firewall.
"""

from __future__ import annotations

import datetime as dt
import http.client
from collections.abc import Iterator
from typing import Any

import pytest

from registrar.clock import SettableClock
from registrar_local.edge import PostLimiter, post_limit, waf_template_path
from registrar_local.gateway import Gateway
from registrar_local.infra.template import load_template
from tests.support.stack import Deployed, load_event

RULE = post_limit(load_template(waf_template_path()))


class _Api:
    """Just enough of a LocalStack for the gateway: a port, a clock and the api."""

    def __init__(self) -> None:
        self.port = 0
        self.clock = SettableClock(dt.datetime(2023, 4, 1, 10, tzinfo=dt.UTC))
        self.seen: list[dict[str, Any]] = []

    def handle_http(self, event: dict[str, Any]) -> dict[str, Any]:
        self.seen.append(event)
        return {"statusCode": 202, "headers": {"Content-Type": "application/json"}, "body": "{}"}


class _Monotonic:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def entry() -> Iterator[tuple[_Api, int, _Monotonic]]:
    api, time = _Api(), _Monotonic()
    gateway = Gateway(api, PostLimiter(RULE, time))  # type: ignore[arg-type]
    gateway.start()
    try:
        yield api, api.port, time
    finally:
        gateway.stop()


def _send(port: int, method: str, client: str, host: str = "") -> tuple[int, str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"X-Forwarded-For": client, "Content-Type": "application/json"}
    if host:
        headers["Host"] = host
    try:
        connection.request(method, "/applications", b"{}" if method == "POST" else None, headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode()
    finally:
        connection.close()


def test_a_client_over_the_post_limit_gets_the_firewalls_403_page(
    entry: tuple[_Api, int, _Monotonic],
) -> None:
    api, port, _ = entry
    answers = [_send(port, "POST", "2001:db8::1")[0] for _ in range(RULE.limit)]
    status, content_type, page = _send(port, "POST", "2001:db8::1")

    assert answers == [202] * RULE.limit
    assert (status, content_type) == (403, "text/html; charset=utf-8")
    assert "Too many requests" in page and "Zu viele Anfragen" in page
    assert len(api.seen) == RULE.limit  # the refused request never reached the api


def test_the_limit_is_per_client_and_for_posts_only(
    entry: tuple[_Api, int, _Monotonic],
) -> None:
    _, port, _ = entry
    for _ in range(RULE.limit + 1):
        _send(port, "POST", "2001:db8::1")

    assert _send(port, "POST", "2001:db8::1")[0] == 403
    assert _send(port, "POST", "2001:db8::2")[0] == 202  # a colleague elsewhere
    assert _send(port, "GET", "2001:db8::1")[0] == 202  # reading the form still works


def test_a_client_that_pauses_for_a_window_may_post_again(
    entry: tuple[_Api, int, _Monotonic],
) -> None:
    _, port, time = entry
    for _ in range(RULE.limit + 5):
        _send(port, "POST", "2001:db8::1")

    time.seconds += RULE.window_seconds - 1
    assert _send(port, "POST", "2001:db8::1")[0] == 403  # refused requests count too
    time.seconds += RULE.window_seconds + 1
    assert _send(port, "POST", "2001:db8::1")[0] == 202


def test_the_api_sees_the_client_and_the_host_the_browser_sent_to(
    entry: tuple[_Api, int, _Monotonic],
) -> None:
    api, port, _ = entry
    _send(port, "POST", "2001:db8::7", host="anmeldung.example.org")

    (event,) = api.seen
    assert event["requestContext"]["http"]["sourceIp"] == "2001:db8::7"
    assert event["headers"]["x-forwarded-host"] == "anmeldung.example.org"


def test_a_browser_cannot_name_another_host_for_the_same_site_check(
    entry: tuple[_Api, int, _Monotonic],
) -> None:
    api, port, _ = entry
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "anmeldung.example.org", "X-Forwarded-Host": "evil.example"}
    try:
        connection.request("POST", "/applications", b"{}", headers)
        connection.getresponse().read()
    finally:
        connection.close()

    (event,) = api.seen
    assert event["headers"]["x-forwarded-host"] == "anmeldung.example.org"


# ---------------------------------------------------------------- around the entry


def test_a_submission_around_the_entry_is_refused_and_stores_nothing(deployed: Deployed) -> None:
    around = deployed.call("ApiFunction", load_event("api-post-application-json"), via_entry=False)
    forged = load_event("api-post-application-json")
    forged["headers"]["x-origin-verify"] = "guessed"
    guessed = deployed.call("ApiFunction", forged, via_entry=False)

    assert around["statusCode"] == guessed["statusCode"] == 403
    assert around["body"] == '{"message":"Forbidden"}'
    assert deployed.pump_streams() == 0  # nothing received, nothing stored
    assert deployed.queued() == []


def test_the_same_submission_through_the_entry_is_stored(deployed: Deployed) -> None:
    response = deployed.call("ApiFunction", load_event("api-post-application-json"))

    assert response["statusCode"] == 202
    deployed.pump_streams()  # registered, then its receipt queued
    assert [m["kind"] for m in deployed.queued()] == ["receipt"]


def test_a_page_opened_through_the_entry_posts_back_to_it(deployed: Deployed) -> None:
    # Behind CloudFront, Host names the API's origin; the browser's Origin is the entry's.
    event = load_event("api-post-application-json")
    event["headers"]["host"] = "abc123.execute-api.eu-central-1.amazonaws.com"
    event["headers"]["x-forwarded-host"] = "d111111abcdef8.cloudfront.net"
    event["headers"]["origin"] = "https://d111111abcdef8.cloudfront.net"
    event["headers"]["sec-fetch-site"] = "same-origin"

    assert deployed.call("ApiFunction", event)["statusCode"] == 202
