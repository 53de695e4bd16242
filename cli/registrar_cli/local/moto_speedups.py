"""Make moto's SQS keep constant cost per message, so the local stack scales like SQS does.

moto 5 answers every ``SendMessage`` by building the queue's whole attribute dictionary,
approximate message counts included, which walks every message in the queue; each walk
asks every message for the time through ``datetime`` arithmetic. Enqueuing n messages
therefore costs O(n²): 10,000 acceptance emails took ten minutes locally, where SQS takes
seconds. Two behaviour-preserving changes, applied once when a local stack starts:

- ``Queue.attributes`` becomes a read-only mapping that computes each value only when it
  is read, so a send that reads ``ContentBasedDeduplication`` no longer counts messages;
  ``GetQueueAttributes`` still sees every attribute with the value moto computes.
- the SQS model's millisecond clock reads ``time.time()`` directly (the same number moto
  derives from ``utcnow()`` minus the epoch).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from moto.core.utils import camelcase_to_underscores
from moto.sqs import models

_moto_queue_attributes = vars(models.Queue)["attributes"]
_moto_unix_time_millis: Callable[..., float] = vars(models)["unix_time_millis"]


class LazyQueueAttributes(Mapping[str, Any]):
    """The attributes moto's ``Queue.attributes`` returns, each computed when it is read."""

    def __init__(self, queue: models.Queue) -> None:
        self._queue = queue
        self._readers: dict[str, Callable[[], Any]] = {}
        names = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            names += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:  # type: ignore[attr-defined]
            names += queue.KMS_ATTRIBUTES
        for name in names:
            self._readers[name] = self._reader(camelcase_to_underscores(name))
        if queue.policy:
            self._readers["Policy"] = lambda: queue.policy
        if queue.redrive_policy:
            self._readers["RedrivePolicy"] = lambda: json.dumps(queue.redrive_policy)

    def _reader(self, attribute: str) -> Callable[[], Any]:
        def read() -> Any:
            value = getattr(self._queue, attribute)
            return str(value).lower() if isinstance(value, bool) else value

        return read

    def __getitem__(self, name: str) -> Any:
        return self._readers[name]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._readers)

    def __len__(self) -> int:
        return len(self._readers)

    def __contains__(self, name: object) -> bool:
        return name in self._readers


def _unix_time_millis(value: Any = None) -> float:
    if value is None:
        return time.time() * 1000.0
    return _moto_unix_time_millis(value)


def apply() -> None:
    """Install both changes (idempotent; moto's server runs in this process)."""
    if vars(models.Queue)["attributes"].fget is LazyQueueAttributes:
        return
    models.unix_time_millis = _unix_time_millis  # type: ignore[attr-defined,assignment]
    models.Queue.attributes = property(LazyQueueAttributes)  # type: ignore[assignment,method-assign]
