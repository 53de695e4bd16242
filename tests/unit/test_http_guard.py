"""The api's guards refuse hostile bodies from the raw event, before any parser runs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registrar.web.http import MAX_JSON_DEPTH, guard, nesting_exceeds


def _post(body: str | bytes, media: str = "application/json") -> dict[str, Any]:
    text = body.decode("utf-8", "surrogateescape") if isinstance(body, bytes) else body
    return {
        "requestContext": {"http": {"method": "POST"}},
        "headers": {"content-type": media},
        "body": text,
    }


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\\\ab'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\\\ab', max_size=3), children, max_size=3)
    ),
    max_leaves=40,
)


@given(json_values, st.integers(min_value=0, max_value=8))
def test_the_scanner_measures_nesting_as_the_parser_does(value: Any, limit: int) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert nesting_exceeds(text, limit) == (_depth(value) > limit)


def test_brackets_inside_strings_and_escaped_quotes_do_not_count() -> None:
    assert not nesting_exceeds(json.dumps({"name": '[[[[{{{{\\"[[[['}), 1)
    assert nesting_exceeds('{"a": "\\\\"' + "[" * 3, 3)  # the string ends before the brackets


def test_deep_nesting_is_refused_with_413_without_parsing() -> None:
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * (MAX_JSON_DEPTH + 1) + "1"):
        refused = guard(_post(body))
        assert refused is not None
        assert refused["statusCode"] == 413
        assert json.loads(refused["body"])["error"] == "body_too_large"


def test_ordinary_and_merely_malformed_json_is_left_to_the_resolver() -> None:
    assert guard(_post(json.dumps({"given_name": {"a": {"b": ["Erika"]}}}))) is None
    assert guard(_post('{"given_name": ')) is None  # the resolver answers with field errors


@pytest.mark.parametrize("raw", [b'{"given_name": "\xff\xfe"}', b"\xc3\x28"])
def test_json_that_is_not_utf8_is_refused_with_415(raw: bytes) -> None:
    refused = guard(_post(raw))
    assert refused is not None
    assert refused["statusCode"] == 415
