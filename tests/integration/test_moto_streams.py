"""moto's stream numbers every record once, also when writes come from several threads.

The admissions run writes decisions in flight together; a record numbered twice made the
local stack's stream pump read the same record forever (registrar_local.moto_streams).
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from moto.dynamodb.models import table

from registrar_local import moto_streams


class _Table:
    def __init__(self) -> None:
        self.stream_specification = {"StreamViewType": "NEW_IMAGE"}
        self.lambda_event_source_mappings: dict[str, Any] = {}


class _Item:
    def to_json(self) -> dict[str, Any]:
        return {"Attributes": {}}

    def describe_attrs(self, attributes: Any) -> dict[str, Any]:
        return {"Item": {}}


def _shard() -> Any:
    shard = table.StreamShard.__new__(table.StreamShard)
    shard.table = _Table()
    shard.account_id = "000000000000"
    shard.starting_sequence_number = 1000
    shard.items = []
    return shard


def test_records_written_from_many_threads_each_get_their_own_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(table.StreamShard, "add", vars(table.StreamShard)["add"])
    moto_streams.apply()
    monkeypatch.setattr(table, "StreamRecord", lambda *args: args[-1])  # keeps the number
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    shard = _shard()

    def write() -> None:
        for _ in range(2_000):
            shard.add(None, _Item())

    threads = [threading.Thread(target=write) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    numbers = shard.items
    assert len(numbers) == 16_000
    assert numbers == list(range(1000, 1000 + 16_000))  # unique, in the order added
