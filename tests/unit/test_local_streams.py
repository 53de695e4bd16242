"""The local stack's stream event source mapping: filters as Lambda applies them, or refused."""

from __future__ import annotations

import pytest

from registrar_local.infra import template as tpl
from registrar_local.streams import StreamPump, UnsupportedEventSource, matches

INSERT_ONLY = {"eventName": ["INSERT"]}


def _record(name: str) -> dict[str, object]:
    return {"eventName": name, "dynamodb": {"Keys": {"event_id": {"S": "e"}}}}


def test_an_exact_value_pattern_lets_only_those_values_through() -> None:
    assert matches(INSERT_ONLY, _record("INSERT"))
    assert not matches(INSERT_ONLY, _record("MODIFY"))
    assert not matches(INSERT_ONLY, {})
    nested = {"dynamodb": {"Keys": {"event_id": {"S": ["e", "f"]}}}}
    assert matches(nested, _record("MODIFY"))
    assert not matches({"dynamodb": {"Keys": {"event_id": {"S": ["g"]}}}}, _record("INSERT"))


@pytest.mark.parametrize(
    "pattern",
    [
        {"eventName": [{"prefix": "INS"}]},  # content filters are not emulated
        {"eventName": "INSERT"},  # not a list: Lambda would refuse it too
        # behind a key that already decides the match: refused all the same
        {"eventName": ["INSERT"], "dynamodb": {"Keys": {"event_id": {"S": [{"prefix": "k"}]}}}},
    ],
)
def test_patterns_the_local_stack_cannot_emulate_are_refused_up_front(
    pattern: dict[str, object],
) -> None:
    with pytest.raises(UnsupportedEventSource):
        matches(pattern, _record("INSERT"))
    source = tpl.StreamEventSourceSpec("S", "F", "T", 100, "TRIM_HORIZON", [pattern], True)
    with pytest.raises(UnsupportedEventSource):
        StreamPump({"S": source}, {"T": "arn"}, client=None)


def test_only_trim_horizon_is_emulated() -> None:
    source = tpl.StreamEventSourceSpec("S", "F", "T", 100, "LATEST", [], True)
    with pytest.raises(UnsupportedEventSource, match="LATEST"):
        StreamPump({"S": source}, {"T": "arn"}, client=None)


def test_the_templates_receipts_source_reads_inserts_of_the_applications_table() -> None:
    template = tpl.load_template()
    (source,) = tpl.stream_event_sources(template).values()
    assert (source.function_logical_id, source.table_logical_id) == (
        "ReceiptsFunction",
        "ApplicationsTable",
    )
    assert source.filters == [INSERT_ONLY] and source.report_batch_item_failures
    # Keys only: nothing personal travels on the stream.
    assert tpl.tables(template)["ApplicationsTable"].stream_view_type == "KEYS_ONLY"
