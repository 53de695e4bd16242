"""The committed lottery on moto, through the functions' roles: form, page, receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from registrar import lottery
from registrar.conference import Conference
from registrar.lottery_state import DrawnLottery
from registrar.store.dynamo import DynamoApplications, DynamoRuns
from registrar.store.models import RunItem
from tests.support.mail import drain, sent_messages
from tests.support.stack import Deployed, load_event

HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def _get(deployed: Deployed, path: str, query: str = "") -> dict[str, Any]:
    event = load_event("api-get-form")
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["routeKey"] = f"GET {path}"
    event["rawQueryString"] = query
    event["queryStringParameters"] = dict([query.split("=")]) if query else None
    response: dict[str, Any] = deployed.call("ApiFunction", event)
    return response


def _lottery_items(conference: Conference) -> list[RunItem]:
    return [i for i in RunItem.query(conference.id) if i.run_id.startswith("#lottery")]


def test_the_form_shows_one_commitment_drawn_once_and_stored(
    deployed: Deployed, conference: Conference
) -> None:
    first = _get(deployed, "/")
    assert first["statusCode"] == 200
    (shown,) = HEX64.findall(first["body"])
    assert HEX64.findall(_get(deployed, "/", "lang=en")["body"]) == [shown]
    (drawn,) = _lottery_items(conference)
    assert drawn.data is not None
    assert hashlib.sha256(drawn.data["secret"].encode()).hexdigest() == shown
    assert drawn.data["commitment"] == shown


def test_the_lottery_page_and_the_check_program_are_served(deployed: Deployed) -> None:
    page = _get(deployed, "/lottery", "lang=en")
    assert page["statusCode"] == 200
    (shown,) = set(HEX64.findall(page["body"]))
    assert shown in _get(deployed, "/")["body"]
    program = _get(deployed, "/lottery/verify_lottery.py")
    assert program["statusCode"] == 200
    headers = {k.lower(): v for k, v in program["headers"].items()}
    assert headers["content-type"].startswith("text/x-python")
    assert headers["content-disposition"] == 'attachment; filename="verify_lottery.py"'
    assert headers["x-content-type-options"] == "nosniff"
    body = program["body"]
    if program.get("isBase64Encoded"):
        import base64

        body = base64.b64decode(body).decode()
    assert "def first_discrepancy(" in body and 'if __name__ == "__main__":' in body


def test_the_receipt_carries_the_ticket_and_the_commitment_the_form_shows(
    deployed: Deployed, conference: Conference
) -> None:
    response = deployed.call("ApiFunction", load_event("api-post-application-json"))
    assert response["statusCode"] == 202
    deployed.pump_streams()  # registered after the answer, from the table's stream
    (stored,) = DynamoApplications().list(conference.id)  # the answer names no reference
    public_id = stored.public_id
    drain(deployed)
    (receipt,) = sent_messages()
    text = receipt.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    (drawn,) = _lottery_items(conference)  # the mailer drew it: nobody had opened the form
    assert drawn.data is not None
    ticket = lottery.ticket(drawn.data["ticket_key"], public_id)
    assert ticket in text
    assert drawn.data["commitment"] in text
    assert drawn.data["commitment"] in _get(deployed, "/")["body"]
    assert drawn.data["secret"] not in text


def test_each_lottery_record_is_written_once_and_never_read_as_a_run(
    deployed: Deployed, conference: Conference
) -> None:
    runs = DynamoRuns()
    at = dt.datetime(2023, 4, 11, 9, tzinfo=dt.UTC)
    assert runs.lottery(conference.id) is None
    drawn = DrawnLottery(
        event_id=conference.id,
        secret="1" * 64,
        ticket_key="2" * 64,
        commitment=lottery.commitment("1" * 64),
        committed_at=at,
    )
    assert runs.add_drawn(drawn)
    assert not runs.add_drawn(drawn.model_copy(update={"secret": "3" * 64}))
    assert runs.drawn(conference.id) == drawn
    assert runs.add_public_value(conference.id, "3 9 21 30 41 44", at)
    assert not runs.add_public_value(conference.id, "1 2 3 4 5 6", at)
    assert runs.add_reveal(conference.id, at)
    assert not runs.add_reveal(conference.id, at + dt.timedelta(days=1))
    state = runs.lottery(conference.id)
    assert state is not None and state.drawn == drawn
    assert state.public_value is not None and state.public_value.value == "3 9 21 30 41 44"
    assert state.revealed_at == at
    assert runs.list(conference.id) == []  # the records beside the runs are no runs
