"""The stored items as DynamoDB returns them, read by the models without AWS."""

from __future__ import annotations

import datetime as dt

from registrar.store.models import MessageItem


def test_a_message_stored_with_attributes_since_dropped_still_reads() -> None:
    # Claims written before `attempts` (always 1) and `skipped` (never set) were dropped
    # still carry both; the model reads such an item and ignores them.
    raw = {
        "message_id": {"S": "m-1"},
        "kind": {"S": "accepted"},
        "state": {"S": "sent"},
        "claimed_at": {"S": "2023-04-11T00:05:00.000000+0000"},
        "provider_id": {"S": "ses-1"},
        "attempts": {"N": "1"},
        "skipped": {"BOOL": False},
        "expires_at": {"N": "1715000000"},
    }
    item = MessageItem.from_raw_data(raw)
    assert (item.message_id, item.kind, item.state, item.provider_id) == (
        "m-1",
        "accepted",
        "sent",
        "ses-1",
    )
    assert item.claimed_at == dt.datetime(2023, 4, 11, 0, 5, tzinfo=dt.UTC)
    assert not hasattr(item, "attempts") and not hasattr(item, "skipped")
