"""Pacing: a token bucket that keeps one sender under its share of a rate, and retry backoff.

Pure: the clock and the sleep are handed in, so tests drive time without waiting. Lambda
runs up to the SQS event source's maximum concurrency of mailer instances, each with its
own bucket; giving each the account's SES rate divided by that concurrency keeps their
sum under the account's rate without any shared state.
"""

from __future__ import annotations

import math
from collections.abc import Callable

# Far beyond any real cap; keeps 2**n from growing without bound on absurd receive counts.
_MAX_EXPONENT = 30
# An instance may save up a tenth of a second's sending (never less than one message): a
# message that took longer than its slot is made up by the next quick ones instead of
# being lost to the rate for good. SES accepts short bursts above the sending rate.
BURST_SECONDS = 0.1


class TokenBucket:
    """``rate`` tokens per second, at most ``capacity`` saved up; one token per message.

    A capacity of one (the default) spaces messages evenly at 1/rate; a larger capacity
    lets an instance that was idle send a short burst. One bucket belongs to one process
    (a Lambda instance handles one batch at a time); it is not shared between threads.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        capacity: float = 1.0,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be positive, not {rate!r}")
        if capacity < 1:
            raise ValueError(f"capacity must be at least one token, not {capacity!r}")
        self._rate = rate
        self._capacity = capacity
        self._clock = clock
        self._sleep = sleep
        self._tokens = capacity
        self._updated = clock()

    @property
    def rate(self) -> float:
        return self._rate

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
        self._updated = now

    def acquire(self) -> float:
        """Take one token, sleeping until one is there; return the seconds slept."""
        self._refill()
        slept = 0.0
        if self._tokens < 1:
            slept = (1 - self._tokens) / self._rate
            self._sleep(slept)
            self._refill()
            # The sleep was exactly what was missing: rounding in the clock's arithmetic
            # must not send it back to sleep for a sliver (or forever, on a coarse clock).
            self._tokens = max(self._tokens, 1.0)
        self._tokens -= 1
        return slept

    def refund(self) -> None:
        """Give back the token of a message that did not go out after all (a duplicate)."""
        self._refill()
        self._tokens = min(self._capacity, self._tokens + 1)


def instance_rate(account_rate: float, max_concurrency: int) -> float:
    """One mailer instance's share of the account's sending rate (messages per second)."""
    if not account_rate > 0:
        raise ValueError(f"account_rate must be positive, not {account_rate!r}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be at least 1, not {max_concurrency!r}")
    return account_rate / max_concurrency


def burst_capacity(rate: float) -> float:
    """How many tokens an instance sending at ``rate`` per second may save up."""
    return max(1.0, rate * BURST_SECONDS)


def backoff_seconds(receive_count: int, *, base: float, cap: float, jitter: float) -> int:
    """How long a failed message stays hidden before its next try, in whole seconds.

    Doubles with each receive (``base`` after the first, ``2 * base`` after the second,
    ...) up to ``cap``. ``jitter`` in [0, 1) picks a point in the upper half of that delay
    ("equal jitter"), so a burst of throttled messages does not come back all at once.
    """
    if base <= 0 or cap <= 0:
        raise ValueError("base and cap must be positive")
    if not 0 <= jitter < 1:
        raise ValueError(f"jitter must be in [0, 1), not {jitter!r}")
    exponent = min(max(receive_count, 1) - 1, _MAX_EXPONENT)
    delay = min(cap, base * (1 << exponent))
    return max(1, math.ceil(delay * (1 + jitter) / 2))
