"""The manage page through the api function on moto: preferences, decline, the stored language."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

import pytest

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar.submission import extra_field, ranking_field
from tests.conftest import recorded_calls, valid_request
from tests.support.keys import applicant_key
from tests.support.mail import (
    FakeTime,
    drain,
    link_token,
    sent_messages,
)
from tests.support.stack import Deployed, load_event

EMAIL = "erika.mustermann+1@example.org"


def _submit(deployed: Deployed, conference: Conference, language: str = "de") -> str:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, email=EMAIL, language=language))
    assert deployed.call("ApiFunction", event)["statusCode"] == 202
    deployed.pump_streams()  # registered after the answer, from the table's stream
    return applicant_key(conference.id, EMAIL)


def _token(deployed: Deployed, conference: Conference, key: str, purpose: Any = "manage") -> str:
    return link_token(deployed, purpose, conference.id, key, conference.last_day_end)


def _get(deployed: Deployed, path: str, query: dict[str, str]) -> Any:
    event = load_event("api-get-form")
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["rawQueryString"] = urlencode(query)
    event["queryStringParameters"] = query
    return deployed.call("ApiFunction", event)


def _post_to(deployed: Deployed, path: str, fields: list[tuple[str, str]]) -> Any:
    event = load_event("api-post-application-form")
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["body"] = urlencode(fields)
    return deployed.call("ApiFunction", event)


def _post(deployed: Deployed, fields: list[tuple[str, str]]) -> Any:
    return _post_to(deployed, "/manage", fields)


def _preferences_form(
    token: str, rankings: dict[str, list[str]], *, tour: bool, lang: str = "de"
) -> list[tuple[str, str]]:
    fields = [("token", token), ("action", "update_preferences"), ("lang", lang)]
    for slot_id, ranking in rankings.items():
        fields += [(ranking_field(slot_id), workshop) for workshop in ranking]
    if tour:
        fields.append((extra_field("city_tour"), "true"))
    return fields


def _stored(conference: Conference, key: str) -> Any:
    return DynamoApplications().get(conference.id, key)


def test_the_manage_page_offers_the_rankings_as_stored(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    response = _get(deployed, "/manage", {"token": _token(deployed, conference, key)})
    assert response["statusCode"] == 200
    page = response["body"]
    assert 'value="update_preferences"' in page and "Wünsche ändern" in page
    for slot_id, ranking in _stored(conference, key).rankings.items():
        assert f'<option value="{ranking[0]}" selected>' in page, slot_id


def test_changing_the_ranking_and_the_tour_is_stored_with_a_notice(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    before = _stored(conference, key)
    rankings = {slot: list(reversed(r)) for slot, r in before.rankings.items()}
    token = _token(deployed, conference, key)
    response = _post(deployed, _preferences_form(token, rankings, tour=True))
    assert response["statusCode"] == 200
    assert "Ihre Änderungen sind gespeichert." in response["body"]
    assert 'role="status"' in response["body"]
    after = _stored(conference, key)
    assert after.rankings == rankings and after.extras_wanted == ["city_tour"]
    assert after.history[-1].action == "preferences_changed"
    detail = after.history[-1].detail
    first_slot = sorted(rankings)[0]
    assert f"{first_slot}: {' > '.join(before.rankings[first_slot])} → " in detail
    assert "city_tour: not wanted → wanted" in detail or "city_tour" in before.extras_wanted
    assert after.version == before.version + 1


def test_a_broken_ranking_comes_back_in_the_applicants_language_with_values_kept(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference, language="en")
    before = _stored(conference, key)
    slot = conference.workshop_slots[1]
    twice = [slot.workshop_ids[0]] * len(slot.workshops)
    token = _token(deployed, conference, key)
    fields = _preferences_form(token, {**before.rankings, slot.id: twice}, tour=True, lang="")
    response = _post(deployed, fields)
    assert response["statusCode"] == 422
    page = response["body"]
    assert '<html lang="en">' in page
    assert f'id="{ranking_field(slot.id)}-error"' in page
    assert "each workshop only once" in page
    assert page.count(f'<option value="{slot.workshop_ids[0]}" selected>') >= len(twice)
    assert 'name="extra_city_tour" value="true" checked' in page
    assert _stored(conference, key) == before


def test_after_the_deadline_preferences_are_refused_and_not_offered(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    before = _stored(conference, key)
    token = _token(deployed, conference, key)
    deployed.clock.set(conference.closes_at)
    assert "update_preferences" not in _get(deployed, "/manage", {"token": token})["body"]
    rankings = {slot: list(reversed(r)) for slot, r in before.rankings.items()}
    response = _post(deployed, _preferences_form(token, rankings, tour=True))
    assert response["statusCode"] == 403
    assert _stored(conference, key) == before


def test_a_confirm_token_cannot_change_preferences(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    before = _stored(conference, key)
    token = _token(deployed, conference, key, purpose="confirm")
    response = _post(deployed, _preferences_form(token, before.rankings, tour=True))
    assert response["statusCode"] == 400
    assert _stored(conference, key) == before


def test_withdrawing_without_the_tick_is_a_422_and_changes_nothing(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    token = _token(deployed, conference, key)
    response = _post(deployed, [("token", token), ("action", "withdraw")])
    assert response["statusCode"] == 422
    assert "Bitte setzen Sie zur Bestätigung das Häkchen" in response["body"]
    assert _stored(conference, key).status == "new"


def test_the_language_switch_keeps_the_thank_you_page(
    deployed: Deployed,
) -> None:
    page = _get(deployed, "/thanks", {"lang": "de"})["body"]
    assert 'href="/thanks?lang=en"' in page


def test_the_language_switch_keeps_the_confirmation_page(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    token = _token(deployed, conference, key, purpose="confirm")
    page = _get(deployed, "/confirm", {"token": token})["body"]
    assert f'href="/confirm?{urlencode({"token": token})}&amp;lang=en"' in page
    english = _get(deployed, "/confirm", {"token": token, "lang": "en"})
    assert english["statusCode"] == 200 and "Confirm your email address" in english["body"]
    confirmed = _post_to(deployed, "/confirm", [("token", token), ("lang", "en")])
    assert confirmed["statusCode"] == 200 and "Email address confirmed" in confirmed["body"]
    # the switch on the confirmed page opens the link again: it says it is done
    german = _get(deployed, "/confirm", {"token": token, "lang": "de"})
    assert "<h1>E-Mail-Adresse bestätigt</h1>" in german["body"]


def test_opening_the_confirmation_link_confirms_nothing_the_button_does(
    deployed: Deployed, conference: Conference
) -> None:
    """Mail filters open links before people do: a GET shows a page with one button."""
    key = _submit(deployed, conference)
    token = _token(deployed, conference, key, purpose="confirm")
    for _ in range(3):
        page = _get(deployed, "/confirm", {"token": token})
        assert page["statusCode"] == 200
        assert "<h1>E-Mail-Adresse bestätigen</h1>" in page["body"]
        assert '<form method="post" action="/confirm">' in page["body"]
        assert f'name="token" value="{token}"' in page["body"]
    assert not _stored(conference, key).confirmed
    response = _post_to(deployed, "/confirm", [("token", token), ("lang", "de")])
    assert response["statusCode"] == 200
    assert "<h1>E-Mail-Adresse bestätigt</h1>" in response["body"]
    stored = _stored(conference, key)
    assert stored.confirmed and [h.action for h in stored.history] == ["submitted", "confirmed"]
    again = _post_to(deployed, "/confirm", [("token", token), ("lang", "de")])
    assert again["statusCode"] == 200
    assert [h.action for h in _stored(conference, key).history] == ["submitted", "confirmed"]


def test_a_manage_token_cannot_confirm_and_a_get_on_manage_changes_nothing(
    deployed: Deployed, conference: Conference
) -> None:
    key = _submit(deployed, conference)
    manage = _token(deployed, conference, key)
    refused = _post_to(deployed, "/confirm", [("token", manage)])
    assert refused["statusCode"] == 400
    query = {"token": manage, "action": "withdraw", "confirmed": "true"}
    assert _get(deployed, "/manage", query)["statusCode"] == 200
    stored = _stored(conference, key)
    assert not stored.confirmed and stored.status == "new"
    assert [h.action for h in stored.history] == ["submitted"]


def test_an_english_applicant_gets_english_emails_throughout(
    deployed: Deployed,
    conference: Conference,
    fake_time: FakeTime,
) -> None:
    """Receipt, acceptance and decline in English, although the pages were read in German."""
    key = _submit(deployed, conference, language="en")
    confirm = _token(deployed, conference, key, purpose="confirm")
    assert _post_to(deployed, "/confirm", [("token", confirm), ("lang", "de")])["statusCode"] == 200
    token = _token(deployed, conference, key)
    german = _get(deployed, "/manage", {"token": token, "lang": "de"})["body"]
    assert '<html lang="de">' in german
    rankings = {slot: list(reversed(r)) for slot, r in _stored(conference, key).rankings.items()}
    changed = _post(deployed, _preferences_form(token, rankings, tour=False, lang="de"))
    assert changed["statusCode"] == 200 and '<html lang="de">' in changed["body"]
    assert _stored(conference, key).language == "en"

    deployed.clock.set(conference.closes_at + dt.timedelta(minutes=5))
    assert deployed.call("AdmissionsFunction", load_event("scheduler-deadline"))
    assert _stored(conference, key).status == "accepted"
    drain(deployed)  # the acceptance goes out before the decline supersedes it
    declined = _post(deployed, [("token", token), ("action", "decline"), ("lang", "de")])
    assert declined["statusCode"] == 422  # no tick
    fields = [("token", token), ("action", "decline"), ("lang", "de"), ("confirmed", "true")]
    assert _post(deployed, fields)["statusCode"] == 200
    drain(deployed)

    sent = {str(m["X-Registrar-Kind"]): m for m in sent_messages()}
    assert {"receipt", "accepted", "declined"} <= set(sent)
    for kind, message in sent.items():
        assert message["Content-Language"] == "en", kind
    assert _stored(conference, key).language == "en"


@pytest.mark.parametrize("action", ["decline", "withdraw", "update_preferences"])
def test_unknown_applicants_get_a_clear_page(
    deployed: Deployed, conference: Conference, action: str
) -> None:
    token = _token(deployed, conference, applicant_key(conference.id, "nobody@example.org"))
    response = _post(deployed, [("token", token), ("action", action), ("confirmed", "true")])
    assert response["statusCode"] == 404
    assert "<h1>" in response["body"]


@pytest.mark.parametrize(
    ("fields", "status", "notice"),
    [
        ([("action", "withdraw"), ("confirmed", "true")], 200, "zurückgezogen"),
        ([("action", "withdraw")], 422, None),  # no tick: the page again, nothing changed
        ([("action", "update_preferences")], 200, "Ihre Änderungen sind gespeichert."),
        ([("action", "decline"), ("confirmed", "true")], 409, None),  # no seat to decline
    ],
)
def test_a_manage_action_reads_the_application_once_and_shows_what_it_stored(
    deployed: Deployed,
    conference: Conference,
    monkeypatch: pytest.MonkeyPatch,
    fields: list[tuple[str, str]],
    status: int,
    notice: str | None,
) -> None:
    key = _submit(deployed, conference)
    token = _token(deployed, conference, key)
    if fields[0][1] == "update_preferences":
        rankings = {s: list(reversed(r)) for s, r in _stored(conference, key).rankings.items()}
        fields = _preferences_form(token, rankings, tour=False)[1:]
    reads = recorded_calls(monkeypatch, DynamoApplications, "get")  # (self, event, applicant)
    response = _post(deployed, [("token", token), *fields])
    assert response["statusCode"] == status
    assert [applicant for _, _, applicant in reads] == [key]
    if notice is not None:
        assert notice in response["body"]
