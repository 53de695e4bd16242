"""The local API Gateway: HTTP requests in, HTTP API v2 events to the api function, out again.

Paths under ``/_local/`` are the local stack's own controls (clock, invoke, drain, state,
forget-mail) for the ``registrar --local`` commands; they do not exist in the cloud. Any
web page the organiser has open can send requests to loopback, so a control request must
name this server's own loopback host and port (no DNS rebinding) and carry the per-start
token that only the local state file holds (no cross-origin POSTs).

Every other method, OPTIONS and TRACE included, goes to the api function as API Gateway
would send it: routes that do not exist get the api's 404, never a 5xx from the gateway.
Before that, the gateway plays the public entry in front of the API (``edge``): a client
over the firewall's POST limit gets its 403 page, and the api sees the viewer's host in
X-Forwarded-Host, as CloudFront sends it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import json
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from registrar_cli.local_control import LOCAL_TOKEN_HEADER
from registrar_local.edge import PostLimiter, client_address
from registrar_local.events import http_api_event
from registrar_local.stack import LocalStack

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
CONTROL_PATHS = ("/_local/clock", "/_local/drain", "/_local/state", "/_local/forget-mail")
CONTROL_PREFIXES = ("/_local/invoke/",)
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def _handler_class(stack: LocalStack, limiter: PostLimiter) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "registrar-local"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # request lines carry tokens; keep them out of the console

        def _body(self) -> bytes | None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_REQUEST_BYTES:
                self._send(413, {"Content-Type": "text/plain"}, b"Request Entity Too Large")
                return None
            return self.rfile.read(length) if length else b""

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _dispatch(self) -> None:
            body = self._body()
            if body is None:
                return
            parts = urlsplit(self.path)
            if parts.path.startswith("/_local/"):
                self._control(parts.path, body)
                return
            client = client_address(self.client_address[0], self.headers.get("X-Forwarded-For"))
            if not limiter.allows(self.command, client):
                rule = limiter.rule
                page = rule.page.encode()
                self._send(rule.status, {"Content-Type": rule.content_type}, page)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "x-forwarded-host"}
            headers["X-Forwarded-Host"] = self.headers.get("Host", "")
            event = http_api_event(
                self.command,
                parts.path,
                parts.query,
                headers,
                body,
                source_ip=client,
                now=stack.clock.now(),
            )
            try:
                result = stack.handle_http(event)
            except Exception:
                traceback.print_exc()
                self._send(
                    500,
                    {"Content-Type": "application/json"},
                    b'{"message":"Internal Server Error"}',
                )
                return
            payload = result.get("body") or ""
            data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
            headers = {k: str(v) for k, v in (result.get("headers") or {}).items()}
            for cookie in result.get("cookies") or []:
                headers.setdefault("Set-Cookie", cookie)
            self._send(int(result.get("statusCode", 200)), headers, data)

        def _control_refusal(self, path: str) -> tuple[int, str] | None:
            """Why this control request is refused (status, sentence), or None to serve it."""
            if path not in CONTROL_PATHS and not path.startswith(CONTROL_PREFIXES):
                return 404, "not_found"
            served = {f"{name}:{stack.port}" for name in LOOPBACK_NAMES}
            if self.headers.get("Host", "") not in served:
                return 403, "The local controls answer only to this machine's loopback address."
            sent = self.headers.get(LOCAL_TOKEN_HEADER, "")
            if not hmac.compare_digest(sent.encode(), stack.control_token.encode()):
                return 403, "The local controls need this start's token (from the state file)."
            return None

        def _control(self, path: str, body: bytes) -> None:
            refusal = self._control_refusal(path)
            if refusal is not None:
                status, reason = refusal
                message = json.dumps({"error": reason}).encode()
                self._send(status, {"Content-Type": "application/json"}, message)
                return
            try:
                request = json.loads(body or b"{}")
                if path == "/_local/clock" and self.command == "POST":
                    target = dt.datetime.fromisoformat(request["to"])
                    fired = stack.advance_to(target)
                    answer: Any = {
                        "now": stack.clock.now().isoformat(),
                        "fired": [
                            {"schedule": f.schedule, "at": f.at.isoformat(), "result": f.result}
                            for f in fired
                        ],
                    }
                elif path.startswith("/_local/invoke/") and self.command == "POST":
                    function_id = path.removeprefix("/_local/invoke/")
                    answer = stack.invoke(function_id, request)
                    stack.drain_mail()
                elif path == "/_local/drain" and self.command == "POST":
                    # Organiser commands queue mail; this sends it now, as Lambda's SQS
                    # trigger would a moment later.
                    answer = {"handled": stack.drain_mail()}
                elif path == "/_local/forget-mail" and self.command == "POST":
                    # An erasure: the outbox keeps nothing sent to the erased address.
                    answer = {"removed": stack.forget_mail(str(request["address"]))}
                elif path == "/_local/state":
                    answer = stack.state()
                else:
                    self._send(404, {"Content-Type": "application/json"}, b'{"error":"not_found"}')
                    return
            except (KeyError, ValueError) as error:
                message = json.dumps({"error": str(error)}).encode()
                self._send(400, {"Content-Type": "application/json"}, message)
                return
            self._send(200, {"Content-Type": "application/json"}, json.dumps(answer).encode())

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch
        do_OPTIONS = do_TRACE = _dispatch

    return Handler


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog of 5 resets connections when a few dozen clients
    # connect at once (seen under the load test); API Gateway takes them all.
    request_queue_size = 128


class Gateway:
    def __init__(self, stack: LocalStack, limiter: PostLimiter | None = None) -> None:
        self.limiter = limiter or PostLimiter.from_template()
        self.server = _Server(("127.0.0.1", stack.port), _handler_class(stack, self.limiter))
        self.server.daemon_threads = True
        stack.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
