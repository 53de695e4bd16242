"""Secrets Manager values, fetched when first asked for and kept a few minutes.

The functions read up to three secrets: the link keyring, the applicant-key secret and the
value the public entry sends (X-Origin-Verify). Each is fetched with one GetSecretValue on
first use and kept for ``max_age_seconds``, so that a rotated value takes effect within
that time. Powertools' parameters utility does the same, but importing it (boto3 and four
providers) cost every api cold start about 50 ms before its first request was answered;
this asks a botocore client of the process's shared session (``botocore_data``) directly.

``forget()`` empties the cache (SnapStart's hooks: no secret may be frozen into a
snapshot; the local stack when its clock jumps past the age).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


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
        self._lock = threading.Lock()  # the admissions run signs links from several threads

    def get(self, secret_id: str) -> str:
        """The secret's current string value, fetched again once it is older than the age."""
        with self._lock:
            kept = self._values.get(secret_id)
            now = self._monotonic()
            if kept is not None and now - kept[1] < self._max_age:
                return kept[0]
            if self._client is None:
                self._client = self._make_client()
            value = str(self._client.get_secret_value(SecretId=secret_id)["SecretString"])
            self._values[secret_id] = (value, now)
            return value

    def forget(self) -> None:
        """Drop every kept value: each is fetched again when next asked for."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        """How many values are kept now."""
        return len(self._values)
