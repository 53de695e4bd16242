"""The benchmark's least mailer (``bench/floor_mailer.py``) does the job it is compared on.

``make bench`` starts it cold beside the mailer with the mailer's first event and compares
the two: a floor that sent nothing (a missing attribute, a wrong table, a secret it cannot
read) would be a cheap process and flatter the mailer. Here it sends a real receipt from the
mailer's own queue message, on the template's resources, and reports a record it cannot
send as failed, as the mailer does.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from registrar.conference import Conference
from tests.support.mail import (
    failed_ids,
    records_event,
    request_for,
    sent_messages,
    store_application,
)
from tests.support.stack import Deployed

FLOOR_MAILER = Path(__file__).resolve().parents[2] / "bench" / "floor_mailer.py"


class _Context:
    function_name = "floor-mailer"
    memory_limit_in_mb = 512
    aws_request_id = "test"
    invoked_function_arn = "arn:aws:lambda:eu-central-1:000000000000:function:floor-mailer"


def _floor_mailer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("floor_mailer", FLOOR_MAILER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # its clients are made now: inside moto
    return module


def _send(module: ModuleType, event: dict[str, Any]) -> dict[str, Any]:
    response: dict[str, Any] = module.lambda_handler(event, _Context())
    return response


def test_the_floor_sends_the_receipt_the_mailer_is_asked_for(
    deployed: Deployed, conference: Conference
) -> None:
    now = conference.deadline - dt.timedelta(days=3)
    german = store_application(conference, "receipt", 1, now, language="de")
    english = store_application(conference, "receipt", 2, now, language="en")
    event = records_event([request_for("receipt", german), request_for("receipt", english)])

    assert failed_ids(_send(_floor_mailer(), event)) == set()

    by_recipient = {str(message["To"]): message for message in sent_messages()}
    assert set(by_recipient) == {german.email, english.email}
    german_text = by_recipient[german.email].get_body(("plain",))
    english_html = by_recipient[english.email].get_body(("html",))
    assert german_text is not None and english_html is not None
    assert "Guten Tag Jörg Müller-Weiß" in german_text.get_content()
    assert german.public_id in german_text.get_content()
    assert "/confirm?token=" in english_html.get_content()
    assert "Dear Jörg Müller-Weiß" in english_html.get_content()


def test_a_record_the_floor_cannot_send_is_reported_failed(
    deployed: Deployed, conference: Conference
) -> None:
    now = conference.deadline - dt.timedelta(days=3)
    stored = store_application(conference, "receipt", 3, now)
    unknown = request_for("receipt", stored.model_copy(update={"applicant_key": "0" * 32}))
    event = records_event([unknown, request_for("receipt", stored)])

    response = _send(_floor_mailer(), event)

    assert failed_ids(response) == {event["Records"][0]["messageId"]}
    assert [str(message["To"]) for message in sent_messages()] == [stored.email]
