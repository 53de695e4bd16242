"""Hostile input over HTTP: the hand-written corpus and late/early submissions.

Every case is answered 4xx with a message a person can act on, never 5xx, and the table
holds exactly what it held before, except data that is valid as data (a name that looks
like SQL or a template), which is stored literally and rendered escaped.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections import Counter
from typing import Any

import pytest

from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar.tokens import TokenClaims
from tests.conftest import valid_request
from tests.reliability.conftest import Local, Reply, count_applications, write_artifact
from tests.reliability.hostile_corpus import Case, submission_cases, token_cases
from tests.support.keys import applicant_key

pytestmark = pytest.mark.reliability

RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror", "<svg onload")


def has_message(reply: Reply) -> bool:
    content_type = reply.headers.get("Content-Type", "")
    if content_type.startswith("application/json"):
        payload = reply.json()
        if payload.get("message"):
            return True
        errors = payload.get("errors") or []
        return bool(errors) and all(e.get("message") for e in errors)
    text = reply.body.decode("utf-8", "replace")
    return content_type.startswith("text/html") and "<main" in text and "Traceback" not in text


def send(local: Local, case: Case) -> Reply:
    return local.request(case.method, case.path, case.body or None, case.headers)


@pytest.fixture(scope="module")
def tokens(open_stack: Local, conference: Conference) -> dict[str, str]:
    reply = open_stack.post_json("/applications", valid_request(conference, 9_999))
    assert reply.status == 202
    open_stack.stack.pump_streams()  # registered after the answer, from the table's stream
    key = applicant_key(conference.id, valid_request(conference, 9_999)["email"])
    signer = runtime.current().signer()
    now = open_stack.stack.clock.now()
    later = now + dt.timedelta(days=3)

    def issue(
        purpose: Any, event_id: str = conference.id, key: str = key, at: dt.datetime = later
    ) -> str:
        stored = DynamoApplications().get(conference.id, key)
        application = stored.public_id if stored is not None else "R-NONE-XIST"
        return signer.issue(TokenClaims(purpose, event_id, key, application, at), now=now)

    return {
        "key": key,
        "confirm": issue("confirm"),
        "manage": issue("manage"),
        "expired": issue("confirm", at=now - dt.timedelta(seconds=1)),
        "other_event": issue("confirm", event_id="another-event-2024"),
        "unknown_applicant": issue("confirm", key="0" * 32),
    }


def test_the_hostile_corpus_is_refused_and_changes_nothing(
    open_stack: Local, conference: Conference, tokens: dict[str, str]
) -> None:
    cases = [*submission_cases(conference, start=1_000), *token_cases(tokens)]
    assert len(cases) >= 100
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    literal_addresses: list[str] = []
    for case in cases:
        before = count_applications(conference)
        reply = send(open_stack, case)
        open_stack.stack.pump_streams()  # what was received, registered
        after = count_applications(conference)
        outcomes[str(reply.status)] += 1
        if reply.status >= 500:
            failures.append(f"{case.name}: {reply.status} {reply.body[:200]!r}")
            continue
        if case.stored_as_literal is not None and reply.status == 202:
            stored = DynamoApplications().get(
                conference.id, applicant_key(conference.id, case.stored_as_literal["email"])
            )
            if after != before + 1 or stored is None:
                failures.append(f"{case.name}: accepted but not stored once")
                continue
            for name, value in case.stored_as_literal.items():
                if getattr(stored, name) != value:
                    failures.append(f"{case.name}: {name} stored as {getattr(stored, name)!r}")
            literal_addresses.append(stored.email)
            continue
        if not 400 <= reply.status < 500:
            failures.append(f"{case.name}: answered {reply.status}, expected 4xx")
        elif case.status and reply.status not in case.status:
            failures.append(f"{case.name}: answered {reply.status}, expected {sorted(case.status)}")
        elif not has_message(reply):
            failures.append(f"{case.name}: {reply.status} without a message: {reply.body[:200]!r}")
        if after != before:
            failures.append(f"{case.name}: {after - before} item(s) stored")
    stored = DynamoApplications().get(conference.id, tokens["key"])
    assert stored is not None and not stored.confirmed, "a refused token changed the application"
    write_artifact(
        "hostile",
        {
            "cases": len(cases),
            "statuses": dict(sorted(outcomes.items())),
            "accepted_as_literal_data": len(literal_addresses),
        },
    )
    assert failures == [], "\n".join(failures)
    assert_rendered_escaped(open_stack, literal_addresses)


def assert_rendered_escaped(local: Local, addresses: list[str]) -> None:
    """Literal data reaches the receipt email escaped in HTML and unevaluated in text."""
    local.stack.drain_mail()
    wanted = set(addresses)
    seen = 0
    for entry in local.stack.outbox.entries:
        if entry.recipient not in wanted:
            continue
        seen += 1
        message = email.message_from_bytes(
            (local.stack.outbox_dir / entry.file).read_bytes(), policy=email.policy.default
        )
        html_part: Any = message.get_body(preferencelist=("html",))
        if html_part is not None:
            html = html_part.get_content()
            assert not any(markup in html for markup in RAW_MARKUP), entry.file
        for header in ("To", "Subject"):
            assert "\n" not in str(message[header] or "")
    assert seen == len(wanted)


@pytest.mark.parametrize("moment", ["before_opening", "after_deadline"])
@pytest.mark.parametrize("form", [False, True])
def test_early_and_late_submissions_are_refused(
    open_stack: Local, conference: Conference, moment: str, form: bool
) -> None:
    clock = open_stack.stack.clock
    back = clock.now()
    clock.set(
        conference.opens_at - dt.timedelta(minutes=1)
        if moment == "before_opening"
        else conference.closes_at + dt.timedelta(seconds=1)
    )
    try:
        before = count_applications(conference)
        body = valid_request(
            conference, 7_000 + int(form) + (2 if moment == "after_deadline" else 0)
        )
        if form:
            from urllib.parse import urlencode

            reply = open_stack.request(
                "POST",
                "/applications",
                urlencode(body, doseq=True).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
            )
        else:
            reply = open_stack.post_json("/applications", body)
        assert reply.status == 403, reply.body[:300]
        assert has_message(reply)
        assert count_applications(conference) == before
    finally:
        clock.set(back)
