"""Hand-written hostile requests: each must get a 4xx with a message and store nothing.

A case is a request; ``stored_as_literal`` marks data that is valid as data (a name that
looks like SQL or a template): it may be accepted, but must then be stored exactly as sent
and never evaluated. Bodies are built from a valid request so that each case differs from
a good submission in the one way it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from registrar.conference import Conference
from tests.conftest import valid_request

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    status: frozenset[int] = frozenset()  # empty: any 4xx
    stored_as_literal: dict[str, str] | None = None  # fields to compare if accepted


INJECTIONS = [
    "'; DROP TABLE applications; --",
    '" OR "1"="1',
    "1; SELECT * FROM users WHERE 't'='t",
    "{{7*7}}",
    "{% for x in range(9) %}x{% endfor %}",
    "${7*7}",
    "#{7*7}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(document.cookie)>',
    "javascript:alert(1)",
    "{{ config.__class__.__init__.__globals__ }}",
]
TEXT_FIELDS = ["given_name", "family_name", "organisation", "municipality"]
HEADER_INJECTIONS = [
    "Erika\r\nBcc: victim@example.org",
    "Erika\nSubject: you won",
    "Erika\rX-Injected: 1",
    "Erika%0d%0aBcc: victim@example.org",
]
BAD_EMAILS = [
    "erika@example.org\r\nBcc: victim@example.org",
    "erika@example.org\nCc: victim@example.org",
    "erika@example.org, victim@example.org",
    "Erika <erika@example.org>",
    "<script>@example.org",
    "'; DROP TABLE x;--@example.org",
    "erika@",
    "@example.org",
    "erika@@example.org",
    "erika@example",
    "erika@" + "a" * 250 + ".org",
    "a" * 65 + "@example.org",
    "erika@exa mple.org",
    "erika@example.org\u202e",
    "",
]


def _json(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def _post(name: str, body: bytes, headers: dict[str, str] | None = None, **kw: Any) -> Case:
    return Case(name, "POST", "/applications", body, headers or JSON_HEADERS, **kw)


def submission_cases(conference: Conference, start: int) -> Iterator[Case]:
    """Cases against POST /applications; every body uses its own address."""
    number = start

    def base(**overrides: Any) -> dict[str, Any]:
        nonlocal number
        number += 1
        fields: dict[str, Any] = {"email": f"hostile{number:04d}@example.org", **overrides}
        return valid_request(conference, number, **fields)

    # Valid as an address (RFC 5322 allows these characters): stored as data, never run.
    for local_part in ("{{7*7}}", "${7*7}", "o'brien", "x+{%raw%}"):
        body = base(email=f"{local_part}@example.org")
        yield _post(
            f"template-like address {local_part!r}",
            _json(body),
            stored_as_literal={"email": body["email"]},
        )
    for field_name in TEXT_FIELDS:
        for text in INJECTIONS:
            body = base(**{field_name: text})
            yield _post(
                f"injection {field_name} {text[:20]!r}",
                _json(body),
                stored_as_literal={field_name: text, "email": body["email"]},
            )
    for text in HEADER_INJECTIONS:
        for field_name in ("given_name", "family_name", "organisation"):
            body = base(**{field_name: text})
            literal = {field_name: text, "email": body["email"]} if "%0d" in text else None
            yield _post(
                f"header injection {field_name} {text[:16]!r}",
                _json(body),
                stored_as_literal=literal,
            )
    for address in BAD_EMAILS:
        yield _post(
            f"bad email {address[:24]!r}", _json(base(email=address)), status=frozenset({422})
        )
    # Oversized fields (within the body limit: field errors) and bodies (413 before parsing).
    for field_name, size in [
        ("given_name", 101),
        ("family_name", 500),
        ("organisation", 201),
        ("municipality", 121),
        ("accessibility_note", 501),
        ("dietary_note", 2001),
    ]:
        yield _post(
            f"oversized {field_name}",
            _json(base(**{field_name: "x" * size})),
            status=frozenset({422}),
        )
    yield _post("body over 16 KiB", _json(base(organisation="x" * 17_000)), status=frozenset({413}))
    yield _post(
        "body of 1 MiB", b'{"given_name": "' + b"x" * 1_048_576 + b'"}', status=frozenset({413})
    )
    yield _post(
        "form body over 16 KiB",
        b"given_name=" + b"x" * 17_000,
        FORM_HEADERS,
        status=frozenset({413}),
    )
    # Deeply nested JSON.
    yield _post("nested arrays 100k", b"[" * 100_000 + b"]" * 100_000)
    yield _post("nested arrays 5k", b"[" * 5_000 + b"]" * 5_000)
    yield _post("nested objects 2k", b'{"a":' * 2_000 + b"1" + b"}" * 2_000)
    nested = base()
    nested["given_name"] = {"a": {"b": {"c": ["Erika"]}}}
    yield _post("nested value in a field", _json(nested), status=frozenset({422}))
    # Wrong encodings and invalid unicode.
    latin1 = json.dumps(base(given_name="Jürgen", family_name="Müßig"), ensure_ascii=False)
    yield _post("latin-1 bytes declared utf-8", latin1.encode("latin-1"))
    yield _post(
        "latin-1 form declared utf-8",
        b"given_name=J%FCrgen&family_name=M%FC%DFig&email=x%40example.org",
        {**FORM_HEADERS, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    yield _post(
        "raw latin-1 form bytes", b"given_name=J\xfcrgen&email=j%40example.org", FORM_HEADERS
    )
    yield _post(
        "invalid utf-8 percent-encoded in form",
        b"given_name=%ff%fe&email=%c3%28%40x.org",
        FORM_HEADERS,
    )
    yield _post("invalid utf-8 bytes", b'{"given_name": "\xff\xfe\xfd"}')
    yield _post("utf-16 body declared utf-8", _json(base()).decode().encode("utf-16"))
    for field_name in ("given_name", "family_name", "organisation", "email"):
        body = _json(base()).decode().replace(f'"{field_name}": "', f'"{field_name}": "\\ud800', 1)
        yield _post(f"lone surrogate in {field_name}", body.encode())
    yield _post(
        "lone low surrogate",
        _json(base()).decode().replace('"Erika"', '"\\udc00Erika"', 1).encode(),
    )
    yield _post("NUL in a name", _json(base(given_name="Eri\u0000ka")))
    yield _post("bidi override in a name", _json(base(family_name="\u202eMustermann")))
    yield _post("only whitespace in names", _json(base(given_name="   ", family_name="\t")))
    yield _post("zero-width only", _json(base(given_name="\u200b\u200b")), status=frozenset({422}))
    yield _post(
        "zero-width joiner only", _json(base(family_name="\u200d\ufeff")), status=frozenset({422})
    )
    # Wrong types.
    for field_name, value in [
        ("given_name", 123),
        ("given_name", None),
        ("consent", "maybe"),
        ("consent", False),
        ("email", ["a@example.org", "b@example.org"]),
        ("group", 7),
        ("region", {"id": "HE"}),
        ("language", 1.5),
        ("dietary", True),
    ]:
        yield _post(f"wrong type {field_name}={value!r}", _json(base(**{field_name: value})))
    for slot in conference.workshop_slots:
        yield _post(f"ranking {slot.id} as string", _json(base(**{f"ranking_{slot.id}": "ws1"})))
        yield _post(
            f"ranking {slot.id} unknown ids", _json(base(**{f"ranking_{slot.id}": ["nope", "x"]}))
        )
    for raw in (
        b"[]",
        b"null",
        b'"a string"',
        b"42",
        b"true",
        b"",
        b"{",
        b"{'single': 'quotes'}",
        b"{}",
        b'{"given_name": "Erika"}',
    ):
        yield _post(f"not an application: {raw[:12]!r}", raw)
    yield _post("NaN in json", _json(base()).replace(b'"consent": true', b'"consent": NaN'))
    # Unknown fields.
    for extra in (
        {"admin": True},
        {"status": "accepted"},
        {"public_id": "R-AAAA-BBBB"},
        {"__proto__": {"admin": True}},
        {"confirmed_at": "2023-01-01T00:00:00Z"},
    ):
        yield _post(f"unknown field {next(iter(extra))}", _json(base(**extra)))
    duplicate = _json(base()).decode().rstrip("}") + ', "email": "second@example.org"}'
    yield _post(
        "duplicate key", duplicate.encode(), stored_as_literal={"email": "second@example.org"}
    )
    # Wrong content types (415).
    for content_type in (
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/json-patch+json",
        "text/html",
        "",
    ):
        headers = {"Accept": "application/json"} | (
            {"Content-Type": content_type} if content_type else {}
        )
        yield _post(
            f"content type {content_type or 'missing'!r}",
            _json(base()),
            headers,
            status=frozenset({415}),
        )


def token_cases(tokens: dict[str, str]) -> Iterator[Case]:
    """Cases against /confirm and /manage; ``tokens`` holds signed tokens made by the test."""
    good_confirm = tokens["confirm"]
    key_id, body, signature = good_confirm.split(".")
    payload = f"{key_id}.{body}"
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    variants = {
        "garbage": "garbage",
        "empty": "",
        "three dots": f"{payload}.{signature}.x",
        "no key id": f"{body}.{signature}",
        "unknown key id": f"9.{body}.{signature}",
        "key id with markup": f"<b>1</b>.{body}.{signature}",
        "tampered signature": f"{payload}.{flipped}",
        "tampered payload": f"{payload[:-2]}xx.{signature}",
        "signature only": f"..{signature}",
        "non-ascii": f"{payload}ä.{signature}",
        "too long": "a" * 600 + "." + "b" * 10,
        "expired": tokens["expired"],
        "other event": tokens["other_event"],
        "unknown applicant": tokens["unknown_applicant"],
    }
    for name, token in variants.items():
        for path in ("/confirm", "/manage"):
            yield Case(
                f"{path} token {name}",
                "GET",
                f"{path}?token={_quote(token)}",
                headers={"Accept": "text/html"},
            )
    yield Case("/confirm with a manage token", "GET", f"/confirm?token={_quote(tokens['manage'])}")
    yield Case("/manage with a confirm token", "GET", f"/manage?token={_quote(good_confirm)}")
    yield Case("/confirm without token", "GET", "/confirm")
    for name, token in (
        ("tampered", f"{payload}.{flipped}"),
        ("confirm purpose", good_confirm),
        ("expired", tokens["expired"]),
    ):
        form = f"token={_quote(token)}&action=withdraw&confirmed=true".encode()
        yield Case(f"POST /manage {name}", "POST", "/manage", form, FORM_HEADERS)
    form = f"token={_quote(tokens['manage'])}&action=delete_everything".encode()
    yield Case("POST /manage unknown action", "POST", "/manage", form, FORM_HEADERS)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")
