"""HTTP plumbing shared by the api function: size and type guards, responses, form bodies.

Guards run on the raw Lambda event before the resolver parses anything, so a huge or
deeply nested body is refused with 413 without being parsed.
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aws_lambda_powertools.event_handler import Response

from registrar.web.pages import SECURITY_HEADERS

MAX_BODY_BYTES = 16 * 1024
# A submission nests two levels (the object, its lists); anything far deeper is hostile.
MAX_JSON_DEPTH = 32
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Fields that repeat by design: a ranking's positions and the accessibility checkboxes.
# ``accessibility`` is matched exactly: ``accessibility_note`` is a single text field.
MULTI_VALUED_PREFIXES = ("ranking_",)
MULTI_VALUED_FIELDS = frozenset({"accessibility"})
# Browsers reaching the site over HTTPS use nothing else for a year (they ignore it over
# plain http, so the local stack is unaffected).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# The public entry (CloudFront, behind the firewall) sends this header with the value of
# the stack's OriginVerifySecret to the API; requests without it went around the entry.
ORIGIN_VERIFY_HEADER = "x-origin-verify"


def header(event: Mapping[str, Any], name: str) -> str:
    headers = event.get("headers") or {}
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return ""


def media_type(event: Mapping[str, Any]) -> str:
    return header(event, "content-type").split(";")[0].strip().lower()


def body_bytes(event: Mapping[str, Any]) -> bytes:
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=False)
        except ValueError:
            return b""
    return str(body).encode("utf-8", "surrogatepass")


def wants_json(event: Mapping[str, Any]) -> bool:
    """JSON clients send JSON; browsers post forms and accept HTML."""
    if media_type(event) == JSON:
        return True
    accept = header(event, "accept")
    return JSON in accept and "text/html" not in accept


def html(
    body: str, status: int = 200, extra_headers: Mapping[str, str] | None = None
) -> Response[str]:
    headers = {**SECURITY_HEADERS, **(extra_headers or {})}
    return Response(status, "text/html; charset=utf-8", body, headers)


def python_file(source: str, filename: str) -> Response[str]:
    """A Python program to download (never run by the browser: nosniff, attachment)."""
    return Response(
        200,
        "text/x-python; charset=utf-8",
        source,
        {
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "public, max-age=3600",
        },
    )


def json_response(payload: object, status: int) -> Response[str]:
    return Response(
        status,
        "application/json",
        json.dumps(payload, ensure_ascii=False),
        {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


def redirect(location: str) -> Response[str]:
    """303 See Other: after a POST the browser GETs the result page (no resubmission)."""
    return Response(303, "text/plain", "", {**SECURITY_HEADERS, "Location": location})


def cross_site(event: Mapping[str, Any], public_base_url: str) -> bool:
    """Whether a browser says this request comes from another site's page.

    ``Sec-Fetch-Site: cross-site``, or an ``Origin`` that is neither the public base URL's
    origin nor the host the request was sent to. Requests without either header (curl,
    old browsers) are not cross-site: the signed tokens still protect them.
    """
    if header(event, "sec-fetch-site").strip().lower() == "cross-site":
        return True
    origin = header(event, "origin").strip().lower()
    if origin in {"", "null"}:  # "null": sent with Referrer-Policy no-referrer, says nothing
        return False
    own = {_origin_of(public_base_url)} if public_base_url else set()
    # Behind the public entry, Host names the API's origin; X-Forwarded-Host (set by the
    # entry itself, never taken from the browser) names the host the browser sent to.
    for name in ("host", "x-forwarded-host"):
        host = header(event, name).strip().lower()
        if host:
            own |= {f"https://{host}", f"http://{host}"}
    return origin not in own


def from_public_entry(event: Mapping[str, Any], origin_verify_value: str) -> bool:
    """Whether the request came through the public entry: it carries the entry's secret
    header value (compared in constant time, so its bytes are not guessed one by one)."""
    sent = header(event, ORIGIN_VERIFY_HEADER).encode("utf-8", "surrogatepass")
    expected = origin_verify_value.encode("utf-8", "surrogatepass")
    return bool(expected) and hmac.compare_digest(sent, expected)


def forbidden() -> dict[str, Any]:
    """What API Gateway answers a request it refuses: 403, nothing about why."""
    return {
        "statusCode": 403,
        "headers": {"Content-Type": "application/json", "X-Content-Type-Options": "nosniff"},
        "body": '{"message":"Forbidden"}',
        "isBase64Encoded": False,
    }


def _origin_of(url: str) -> str:
    parts = urlsplit(url.strip().lower())
    return f"{parts.scheme}://{parts.netloc}"


def transport_secured(result: dict[str, Any]) -> dict[str, Any]:
    """Every answer of the api, pages, JSON, redirects and refusals alike, carries HSTS."""
    headers = result.setdefault("headers", {})
    headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return result


def form_values(raw: bytes) -> dict[str, Any]:
    """Form fields as the page shows them again: lists where a field repeats by design."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    values: dict[str, Any] = {}
    for key, items in parse_qs(text, keep_blank_values=True).items():
        if key in MULTI_VALUED_FIELDS or key.startswith(MULTI_VALUED_PREFIXES):
            values[key] = items
        else:
            values[key] = items[0]
    return values


def guard(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Refuse oversized bodies (413) and unknown body types (415) before the resolver."""
    method = str((event.get("requestContext") or {}).get("http", {}).get("method", "GET"))
    body = event.get("body") or ""
    if len(body) > MAX_BODY_BYTES * 4 // 3 + 4:
        return _raw(413, "body_too_large")
    raw = body_bytes(event)
    if len(raw) > MAX_BODY_BYTES:
        return _raw(413, "body_too_large")
    if method != "POST":
        return None
    kind = media_type(event)
    if kind not in {FORM, JSON}:
        return _raw(415, "unsupported_media_type")
    return _unreadable_json(raw) if kind == JSON else None


def _unreadable_json(raw: bytes) -> dict[str, Any] | None:
    """JSON the parser should never see: not UTF-8 (415) or nested too deep (413).

    Both would escape the resolver as exceptions (a 500); malformed JSON is left to the
    resolver, which answers it with field errors.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _raw(415, "unsupported_media_type")
    if nesting_exceeds(text, MAX_JSON_DEPTH):
        return _raw(413, "body_too_large")
    return None


def nesting_exceeds(text: str, limit: int) -> bool:
    """Whether arrays/objects in JSON ``text`` nest deeper than ``limit``, in one pass.

    Brackets inside strings do not count; the text need not be valid JSON (a bracket
    that never closes still counts as opened). Depth cannot exceed the number of opening
    brackets, so a real submission (a handful) is answered without the scan.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _raw(status: int, code: str) -> dict[str, Any]:
    from registrar.i18n import available_languages, translate

    # Before the request is read there is no language to negotiate: every shipped one.
    message = " / ".join(translate(lang, f"errors.{code}") for lang in available_languages())
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", "X-Content-Type-Options": "nosniff"},
        "body": json.dumps({"error": code, "message": message}, ensure_ascii=False),
        "isBase64Encoded": False,
    }
