"""Secrets Manager values, fetched when first asked for and kept a few minutes.

The functions read up to three secrets: the link keyring, the applicant-key secret and the
value the public entry sends (X-Origin-Verify). Each is fetched with one GetSecretValue on
first use and kept for ``max_age_seconds``, so that a rotated value takes effect within
that time. Powertools' parameters utility does the same, but importing it (boto3 and four
providers) cost every api cold start about 50 ms before its first request was answered;
this asks a botocore client of the process's shared session (``botocore_data``) directly.

A function that reads several secrets names them with ``read_together``: the first one
it asks for is fetched with the others in one BatchGetSecretValue (the api's first request
needs two of them at once; one round trip less on every cold start).

``forget()`` empties the cache (SnapStart's hooks: no secret may be frozen into a
snapshot; the local stack when its clock jumps past the age).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

_BATCH_LIMIT = 20  # BatchGetSecretValue's SecretIdList


class SecretValues:
    """Secret values by id (ARN or name), each kept ``max_age_seconds`` after its fetch."""

    def __init__(
        self,
        client: Callable[[], Any],
        max_age_seconds: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._make_client = client
        self._client: Any = None
        self._max_age = max_age_seconds
        self._monotonic = monotonic
        self._values: dict[str, tuple[str, float]] = {}
        self._together: tuple[str, ...] = ()
        self._lock = threading.Lock()  # the admissions run signs links from several threads

    def read_together(self, secret_ids: Sequence[str]) -> None:
        """Fetch these (at most 20) in one request whenever one of them is fetched."""
        if len(secret_ids) > _BATCH_LIMIT:
            raise ValueError(f"at most {_BATCH_LIMIT} secrets are read in one request")
        self._together = tuple(dict.fromkeys(secret_ids))

    def get(self, secret_id: str) -> str:
        """The secret's current string value, fetched again once it is older than the age."""
        with self._lock:
            now = self._monotonic()
            kept = self._values.get(secret_id)
            if kept is not None and now - kept[1] < self._max_age:
                return kept[0]
            if self._client is None:
                self._client = self._make_client()
            if secret_id in self._together:
                due = [s for s in self._together if s == secret_id or not self._fresh(s, now)]
                if len(due) > 1:
                    self._fetch_batch(due, now)
            if secret_id not in self._values or not self._fresh(secret_id, now):
                answer = self._client.get_secret_value(SecretId=secret_id)
                self._values[secret_id] = (str(answer["SecretString"]), now)
            return self._values[secret_id][0]

    def _fresh(self, secret_id: str, now: float) -> bool:
        kept = self._values.get(secret_id)
        return kept is not None and now - kept[1] < self._max_age

    def _fetch_batch(self, secret_ids: list[str], now: float) -> None:
        """Keep what one BatchGetSecretValue returns; a secret it could not read (its
        ``Errors``) is left to GetSecretValue, whose error then says why."""
        answer = self._client.batch_get_secret_value(SecretIdList=secret_ids)
        for entry in answer.get("SecretValues", []):
            for secret_id in secret_ids:
                if secret_id in (entry.get("ARN"), entry.get("Name")):
                    self._values[secret_id] = (str(entry["SecretString"]), now)

    def forget(self) -> None:
        """Drop every kept value: each is fetched again when next asked for."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        """How many values are kept now."""
        return len(self._values)
