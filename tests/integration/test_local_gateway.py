"""The local gateway: many connections at once, as API Gateway; controls for the CLI only."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from registrar.clock import SettableClock
from registrar_cli.local_control import LOCAL_TOKEN_HEADER, post_json
from registrar_local.gateway import Gateway
from registrar_local.stack import LocalStack

CLIENTS = 64


def test_sixty_four_clients_connecting_at_once_are_all_answered() -> None:
    # Not serving yet: every connection waits in the listen backlog, as under load when
    # the server is busy. socketserver's default backlog (5) dropped all but six of them.
    stack: Any = SimpleNamespace(port=0)
    gateway = Gateway(stack)
    clients: list[socket.socket] = []
    serving = False
    try:
        for _ in range(CLIENTS):
            client = socket.create_connection(("127.0.0.1", stack.port), timeout=2)
            clients.append(client)
        gateway.start()
        serving = True
        answers = []
        for client in clients:
            client.sendall(b"GET /_local/none HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n")
            client.settimeout(10)
            answers.append(client.recv(64).split(b"\r\n", 1)[0])
        assert answers == [b"HTTP/1.1 404 Not Found"] * CLIENTS
    finally:
        for client in clients:
            client.close()
        if serving:
            gateway.stop()
        else:
            gateway.server.server_close()


class _FakeStack:
    """Just enough of a LocalStack for the gateway: a port, a token, the state and the api."""

    def __init__(self) -> None:
        self.port = 0
        self.control_token = "per-start-token"
        self.api_calls: list[str] = []
        self.clock = SettableClock(dt.datetime(2023, 6, 1, 10, tzinfo=dt.UTC))

    def state(self) -> dict[str, Any]:
        return {"now": "2023-06-01T10:00:00+00:00"}

    def drain_mail(self) -> int:
        return 0

    def handle_http(self, event: dict[str, Any]) -> dict[str, Any]:
        self.api_calls.append(event["requestContext"]["http"]["method"])
        return {"statusCode": 404, "headers": {"Content-Type": "text/html"}, "body": "nicht da"}


@pytest.fixture
def served() -> Iterator[tuple[_FakeStack, int]]:
    stack = _FakeStack()
    gateway = Gateway(stack)  # type: ignore[arg-type]
    gateway.start()
    try:
        yield stack, stack.port
    finally:
        gateway.stop()


def _ask(
    port: int, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            method, path, body=b"{}" if method == "POST" else None, headers=headers or {}
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_control_post_without_the_per_start_token_is_refused(
    served: tuple[_FakeStack, int],
) -> None:
    # A web page the organiser has open can POST here (a "simple" cross-origin request);
    # it cannot read the token from the local state file.
    _, port = served
    status, body = _ask(port, "POST", "/_local/drain", {"Content-Type": "text/plain"})
    assert status == 403
    assert b"token" in body
    status, _ = _ask(port, "POST", "/_local/drain", {LOCAL_TOKEN_HEADER: "guessed"})
    assert status == 403


def test_a_control_post_with_the_token_is_served(served: tuple[_FakeStack, int]) -> None:
    stack, port = served
    status, body = _ask(port, "POST", "/_local/drain", {LOCAL_TOKEN_HEADER: stack.control_token})
    assert (status, json.loads(body)) == (200, {"handled": 0})


def test_a_control_request_for_another_host_name_is_refused(
    served: tuple[_FakeStack, int],
) -> None:
    # DNS rebinding: a page on evil.example resolves its name to 127.0.0.1 and calls here.
    stack, port = served
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1"):
        status, _ = _ask(
            port,
            "POST",
            "/_local/state",
            {"Host": host, LOCAL_TOKEN_HEADER: stack.control_token},
        )
        assert status == 403, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, _ = _ask(
            port, "POST", "/_local/state", {"Host": host, LOCAL_TOKEN_HEADER: stack.control_token}
        )
        assert status == 200, host


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_options_and_trace_are_answered_by_the_api_not_with_a_5xx(
    served: tuple[_FakeStack, int], method: str
) -> None:
    stack, port = served
    status, _ = _ask(port, method, "/")
    assert status == 404
    assert stack.api_calls == [method]


def test_the_token_is_new_on_every_start(tmp_path: Path) -> None:
    first = LocalStack(outbox_dir=tmp_path, now=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    second = LocalStack(outbox_dir=tmp_path, now=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    assert len(first.control_token) >= 32
    assert first.control_token != second.control_token


def test_the_cli_sends_the_token_from_the_state_file(served: tuple[_FakeStack, int]) -> None:
    stack, port = served
    status, answer = post_json(
        f"http://127.0.0.1:{port}/_local/drain", {}, token=stack.control_token
    )
    assert (status, answer) == (200, {"handled": 0})
    status, _ = post_json(f"http://127.0.0.1:{port}/_local/drain", {})
    assert status == 403
