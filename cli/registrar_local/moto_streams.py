"""One sequence number per record in moto's DynamoDB streams, also under concurrent writes.

moto numbers a stream record by the shard's length when it is added (``StreamShard.add``:
read the length, then append), unguarded. The admissions run writes its decisions from
several threads at once, and moto's server answers each on a thread of its own: two writes
could read the same length, so two records got one sequence number, the second one placed
after it. An iterator ``AFTER_SEQUENCE_NUMBER`` that number then starts at that second
record again and again: the local stack's stream pump read it forever (seen as a CI run
that never ended). DynamoDB numbers every record uniquely and in order; with ``add`` under
a lock, so does moto.

It wraps a piece of moto's inside: written for the version below; a unit test fails when
another one is installed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from moto.dynamodb.models import table

WRITTEN_FOR: Final = {"moto": "5.2.5"}

_LOCK = threading.Lock()
_moto_add: Callable[..., None] = vars(table.StreamShard)["add"]


@wraps(_moto_add)
def _add_in_turn(self: Any, old: Any, new: Any) -> None:
    with _LOCK:
        _moto_add(self, old, new)


def apply() -> None:
    """Number each stream record on its own (idempotent)."""
    table.StreamShard.add = _add_in_turn  # type: ignore[method-assign]
