"""Requests from this process to the local moto server skip the socket, not the server.

The handlers run in the same process as moto's server. Sent over loopback, every AWS
request pays for a TCP connection (moto's werkzeug server closes each one), a new server
thread and HTTP parsing on both sides: about as much again as moto's own work, and the
reason one local mailer could not reach its configured sending rate. This botocore
``before-send`` hook hands a request addressed to the local server straight to the same
WSGI application the server runs, with the request exactly as botocore prepared it
(method, path, query, headers, signed body), and returns moto's answer as botocore's
response. Requests to any other address, and every request from other processes (the
CLI, a browser), still go over HTTP.

The hook joins botocore's list of built-in handlers and answers with moto's own WSGI
application and raw response class, none of them documented: written for the versions
below; a unit test fails when others are installed.
"""

from __future__ import annotations

import time
from typing import Any, Final
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.botocore_stubber import MockRawResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.test import EnvironBuilder, run_wsgi_app

WRITTEN_FOR: Final = {"botocore": "1.44.8", "moto": "5.2.5"}


class InProcessTransport:
    """Answers requests for ``endpoint_url`` in process while one is set."""

    def __init__(self) -> None:
        self.endpoint_url: str | None = None
        self._app: DomainDispatcherApplication | None = None
        # Time spent answering as AWS (moto's work), so benchmarks can tell it apart from
        # the caller's own; a sum over all threads.
        self.serving_seconds = 0.0

    def serve(self, endpoint_url: str) -> None:
        self._app = self._app or DomainDispatcherApplication(create_backend_app)
        self.endpoint_url = endpoint_url.rstrip("/")

    def stop(self) -> None:
        self.endpoint_url = None

    def __call__(self, request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
        endpoint, app = self.endpoint_url, self._app
        if endpoint is None or app is None or not request.url.startswith(endpoint + "/"):
            return None
        url = urlsplit(request.url)
        body = _bytes(request.body)
        environ = EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}",
            path=url.path or "/",
            query_string=url.query,
            headers=[(name, _text(value)) for name, value in request.headers.items()],
            data=body,
        ).get_environ()
        started = time.perf_counter()
        chunks, status, headers = run_wsgi_app(app, environ, buffered=True)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        self.serving_seconds += time.perf_counter() - started
        return AWSResponse(
            request.url,
            int(status.split(" ", 1)[0]),
            dict(headers.items()),  # type: ignore[arg-type]  # botocore wraps it in HeadersDict
            MockRawResponse(content),
        )


def _bytes(body: Any) -> bytes:
    """The body botocore prepared: bytes, text or a file-like object (or nothing)."""
    if body is None:
        return b""
    if hasattr(body, "read"):
        body = body.read()
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _text(value: str | bytes) -> str:
    """Header values as HTTP would carry them (botocore keeps some, signed ones, as bytes)."""
    return value.decode("latin-1") if isinstance(value, bytes) else value


transport = InProcessTransport()
# Every botocore session created from now on carries the hook (moto registers its own
# stubber the same way); it does nothing until a local stack calls ``serve``.
BUILTIN_HANDLERS.append(("before-send", transport))
