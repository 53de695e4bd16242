"""DynamoDB streams to functions, as Lambda's event source mapping for a stream does it.

For each ``DynamoDB`` event in the template: read the table's stream shard by shard in
order, keep the records the event's ``FilterCriteria`` let through, and hand them to the
function in batches (``{"Records": [...]}`` with ``eventSourceARN``, as Lambda does). A
batch answered with ``batchItemFailures`` is retried later from the first failed record;
a handler that raises stops the pump with the same position kept (Lambda would retry the
batch; locally the error should be seen).

Only what the template uses is emulated: ``StartingPosition: TRIM_HORIZON`` and filter
patterns that list exact values. Anything else is refused rather than misread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.config import Config

from registrar_local.infra import template as tpl
from registrar_local.infra.provision import ProvisionedStack

Invoke = Callable[[str, dict[str, Any]], Any]
# Streams' endpoint in AWS names the account (``<account>.streams-ddb...``); moto answers
# only the regional name, so the local event source mapping asks for that one.
CLIENT_CONFIG = Config(account_id_endpoint_mode="disabled")


class UnsupportedEventSource(tpl.TemplateError):
    """The template asks for stream behaviour the local stack does not emulate."""


def _exact_values(pattern: Mapping[str, Any], expected: Any) -> list[Any]:
    """A pattern leaf: a list of exact values, the only kind emulated here."""
    if not isinstance(expected, list):
        raise UnsupportedEventSource(f"filter {pattern!r}: values must be lists")
    if any(isinstance(option, (Mapping, list)) for option in expected):
        raise UnsupportedEventSource(
            f"filter {pattern!r}: only lists of exact values are emulated locally"
        )
    return expected


def check_pattern(pattern: Mapping[str, Any]) -> None:
    """Refuse, as a whole, a filter pattern this emulation cannot apply."""
    for expected in pattern.values():
        if isinstance(expected, Mapping):
            check_pattern(expected)
        else:
            _exact_values(pattern, expected)


def matches(pattern: Mapping[str, Any], data: Mapping[str, Any]) -> bool:
    """Whether ``data`` matches an event filter pattern made of exact values only."""
    for key, expected in pattern.items():
        value = data.get(key)
        if isinstance(expected, Mapping):
            if not isinstance(value, Mapping) or not matches(expected, value):
                return False
        elif value not in _exact_values(pattern, expected):
            return False
    return True


def _lambda_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda delivers it (JSON numbers, and the source ARN)."""
    stream = dict(record["dynamodb"])
    created = stream.get("ApproximateCreationDateTime")
    if isinstance(created, dt.datetime):
        stream["ApproximateCreationDateTime"] = int(created.timestamp())
    return {**record, "dynamodb": stream, "eventSourceARN": stream_arn}


@dataclass
class StreamPump:
    """The event source mappings of one stack's DynamoDB stream events."""

    sources: dict[str, tpl.StreamEventSourceSpec]
    stream_arns: dict[str, str]  # table logical id -> its stream's ARN
    client: Any  # a dynamodbstreams client (made with CLIENT_CONFIG)
    # (event source, shard id) -> (iterator type, sequence number) to resume from
    _positions: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for source in self.sources.values():
            if source.starting_position != "TRIM_HORIZON":
                raise UnsupportedEventSource(
                    f"{source.logical_id}: StartingPosition {source.starting_position}"
                )
            for pattern in source.filters:
                check_pattern(pattern)  # refused now, not mid-run

    def pump(self, invoke: Invoke) -> int:
        """Deliver every record written since the last pump; return how many were handed on."""
        delivered = 0
        for source in self.sources.values():
            arn = self.stream_arns[source.table_logical_id]
            shards = self.client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
            for shard in shards:
                delivered += self._pump_shard(source, arn, shard["ShardId"], invoke)
        return delivered

    def _iterator(self, arn: str, key: tuple[str, str]) -> str:
        kind, sequence = self._positions.get(key, ("TRIM_HORIZON", ""))
        extra = {"SequenceNumber": sequence} if sequence else {}
        answer = self.client.get_shard_iterator(
            StreamArn=arn, ShardId=key[1], ShardIteratorType=kind, **extra
        )
        return str(answer["ShardIterator"])

    def _pump_shard(
        self, source: tpl.StreamEventSourceSpec, arn: str, shard_id: str, invoke: Invoke
    ) -> int:
        key = (source.logical_id, shard_id)
        iterator = self._iterator(arn, key)
        delivered = 0
        while True:
            answer = self.client.get_records(ShardIterator=iterator, Limit=source.batch_size)
            records = answer.get("Records", [])
            if not records:
                return delivered
            chosen = [
                _lambda_record(r, arn)
                for r in records
                if not source.filters or any(matches(p, r) for p in source.filters)
            ]
            if chosen:
                response = invoke(source.function_logical_id, {"Records": chosen})
                failures = (response or {}).get("batchItemFailures", [])
                if failures and source.report_batch_item_failures:
                    # Retried from the first failed record, next time (as Lambda does).
                    first = min(int(f["itemIdentifier"]) for f in failures)
                    self._positions[key] = ("AT_SEQUENCE_NUMBER", str(first))
                    delivered += sum(int(r["dynamodb"]["SequenceNumber"]) < first for r in chosen)
                    return delivered
                delivered += len(chosen)
            self._positions[key] = (
                "AFTER_SEQUENCE_NUMBER",
                str(records[-1]["dynamodb"]["SequenceNumber"]),
            )
            iterator = answer["NextShardIterator"]


def stream_pump(stack: ProvisionedStack, session: Any, endpoint_url: str | None) -> StreamPump:
    """The stack's stream event sources, reading moto's streams through ``session``."""
    sources = tpl.stream_event_sources(stack.template)
    return StreamPump(
        sources,
        {
            s.table_logical_id: stack.getatts[(s.table_logical_id, "StreamArn")]
            for s in sources.values()
        },
        session.client("dynamodbstreams", endpoint_url=endpoint_url, config=CLIENT_CONFIG),
    )
