"""The local gateway takes many connections at once, as API Gateway does."""

from __future__ import annotations

import socket
from types import SimpleNamespace
from typing import Any

from registrar_local.gateway import Gateway

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
