"""The stored items as DynamoDB returns them, read by the models without AWS."""

from __future__ import annotations

import datetime as dt

import pytest

from registrar.conference import Conference
from registrar.mail.sample import sample_application
from registrar.store.dynamo import _received_from_items, _received_item
from registrar.store.interfaces import ReceivedSubmission
from registrar.store.models import ApplicationItem, MessageItem, ReceivedItem


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


def _received(conference: Conference, submitter_key: str | None) -> ReceivedSubmission:
    application = sample_application(conference, "de", conference.closes_at, kind="receipt")
    return ReceivedSubmission(conference.id, "#received-" + "7" * 32, application, submitter_key)


@pytest.mark.parametrize("submitter_key", [None, "ab" * 32])
def test_a_received_submission_is_stored_in_four_attributes_and_reads_back_whole(
    conference: Conference, submitter_key: str | None
) -> None:
    submission = _received(conference, submitter_key)
    raw = _received_item(submission).serialize()
    assert set(raw) == {"event_id", "applicant_key", "data", "expires_at"}
    (read,) = _received_from_items([ReceivedItem.from_raw_data(raw)])
    assert read == submission


def test_a_submission_received_before_the_lean_item_still_reads(conference: Conference) -> None:
    # Written as an application item (marked "#received" in public id, status and group,
    # with a version) by the code before the lean model: still registered after an update.
    submission = _received(conference, None)
    old = ApplicationItem(
        conference.id,
        submission.key,
        public_id="#received",
        status="#received",
        group="#received",
        data={
            "application": submission.application.model_dump(mode="json", exclude_defaults=True),
            "submitter_key": None,
        },
        expires_at=submission.application.expires_at,
        version=1,
    ).serialize()
    (read,) = _received_from_items([ReceivedItem.from_raw_data(old)])
    assert read == submission


@pytest.mark.parametrize(
    "data", ["", "not json", "[]", '{"submitter_key": null}', '{"application": {"x": 1}}']
)
def test_a_received_item_that_holds_no_submission_is_left_alone(
    conference: Conference, data: str
) -> None:
    item = ReceivedItem(conference.id, "#received-" + "8" * 32, data=data)
    assert list(_received_from_items([item])) == []
