"""The lottery: a reproducible, per-application place derived from a secret seed.

Each place depends only on the seed and the application's own id, so adding or removing
applications never reorders anybody else, and anyone holding the seed can re-derive the
order after the fact. Lower place = better.
"""

from __future__ import annotations

import hashlib
import hmac


def lottery_place(seed: str, application_id: str) -> str:
    """The application's place: HMAC-SHA256(key=seed, msg=application_id) as lowercase hex."""
    return hmac.digest(seed.encode(), application_id.encode(), hashlib.sha256).hex()
