"""Make moto's SQS keep constant cost per message, so the local stack scales like SQS does.

moto 5 answers every ``SendMessage`` by building the queue's whole attribute dictionary,
approximate message counts included, which walks every message in the queue; each walk
asks every message for the time through ``datetime`` arithmetic. Enqueuing n messages
therefore costs O(n²): 10,000 acceptance emails took ten minutes locally, where SQS takes
seconds. Behaviour-preserving changes, applied once when a local stack starts:

- ``Queue.attributes`` becomes a read-only mapping that computes each value only when it
  is read, so a send that reads ``ContentBasedDeduplication`` no longer counts messages;
  ``GetQueueAttributes`` still sees every attribute with the value moto computes.
- the SQS model's millisecond clock reads ``time.time()`` directly (the same number moto
  derives from ``utcnow()`` minus the epoch).
- the server's list of moto's service folders, which it reads from disk on every request
  (about a hundred ``stat`` calls, 0.9 ms) to find the service, is read once.

They matter where moto does the work of AWS at scale: the benchmarks and the test suite.
Each replaces a piece of moto's inside: written for the version below; a unit test fails
when another one is installed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from typing import Any, Final

from moto import backends
from moto.core.utils import camelcase_to_underscores
from moto.sqs import models

WRITTEN_FOR: Final = {"moto": "5.2.5"}

_moto_queue_attributes = vars(models.Queue)["attributes"]
_moto_unix_time_millis: Callable[..., float] = vars(models)["unix_time_millis"]
_moto_modules: Callable[[], Iterable[str]] = vars(backends)["list_of_moto_modules"]


class LazyQueueAttributes(Mapping[str, Any]):
    """The attributes moto's ``Queue.attributes`` returns, each computed when it is read."""

    def __init__(self, queue: models.Queue) -> None:
        self._queue = queue
        names = list(queue.BASE_ATTRIBUTES)
        if queue.fifo_queue:
            names += queue.FIFO_ATTRIBUTES
        if queue.kms_master_key_id:  # type: ignore[attr-defined]
            names += queue.KMS_ATTRIBUTES
        self._names = dict.fromkeys(names)  # in order, with quick membership

    def __getitem__(self, name: str) -> Any:
        if name not in self._names:
            raise KeyError(name)
        if name == "RedrivePolicy":  # a base attribute: None when unset, else as JSON
            policy = self._queue.redrive_policy
            return json.dumps(policy) if policy else policy
        value = getattr(self._queue, _python_name(name))
        return str(value).lower() if isinstance(value, bool) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:  # without computing the value
        return name in self._names


_python_name = cache(camelcase_to_underscores)


def _unix_time_millis(value: Any = None) -> float:
    if value is None:
        return time.time() * 1000.0
    return _moto_unix_time_millis(value)


@cache
def moto_modules() -> tuple[str, ...]:
    """moto's service folders, as moto lists them: the installed package does not change."""
    return tuple(_moto_modules())


def apply() -> None:
    """Install the changes (idempotent; moto's server runs in this process)."""
    if vars(models.Queue)["attributes"].fget is LazyQueueAttributes:
        return
    backends.list_of_moto_modules = moto_modules
    models.unix_time_millis = _unix_time_millis  # type: ignore[attr-defined,assignment]
    models.Queue.attributes = property(LazyQueueAttributes)  # type: ignore[assignment,method-assign]
