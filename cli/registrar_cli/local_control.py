"""The running local stack's control endpoints (``/_local/...``), spoken to over HTTP.

The ``--local`` commands use them to read and move the stack's clock and to hand queued
mail to the mailer; they need no part of the stack itself installed in this process.
Each request carries the token the stack wrote into its state file when it started.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

# Moving the clock runs what falls due (a deadline run, its mail) before it answers: on a
# busy machine that takes minutes, not seconds.
WORK_TIMEOUT = 600.0
LOCAL_TOKEN_HEADER = "X-Registrar-Local-Token"  # noqa: S105 - a header name


def post_json(
    url: str,
    body: dict[str, Any],
    token: str | None = None,
    timeout: float = 30,
    extra_headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST JSON; ``token`` (the local state file's) opens the ``/_local/`` controls.

    A refusal that is no JSON (the firewall's 403 page) comes back as its status and {}.
    """
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    headers |= extra_headers or {}
    if token:
        headers[LOCAL_TOKEN_HEADER] = token
    request = urllib.request.Request(  # noqa: S310 - the local stack's http URL
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        refusal = error.read()
        if error.headers.get_content_type() != "application/json":
            return error.code, {}
        return error.code, json.loads(refusal or b"{}")
