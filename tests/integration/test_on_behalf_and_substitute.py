"""On behalf and substitutes through the real handlers on moto, every call checked against
the function's role: the form, the limit, who gets which mail (the person, a copy to the
office as a message of its own, or the office alone), the CLI's view,
and a seat passed to a colleague through the links in the mails."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import unquote, urlencode

import boto3
import pytest
from typer.testing import CliRunner

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar.submission import extra_field, ranking_field
from registrar.tokens import TokenClaims
from registrar_cli.main import app as cli_app
from registrar_local.infra.provision import register_stack_outputs
from tests.conftest import valid_request
from tests.support.keys import applicant_key
from tests.support.mail import drain, sent_messages, token_signer
from tests.support.stack import REGION, Deployed, load_event

OFFICE = "buero.buergermeisterin@example.org"
COLLEAGUE = "max.beispiel@example.org"


def _form(conference: Conference, number: int, **overrides: Any) -> list[tuple[str, str]]:
    body = valid_request(conference, number, **overrides)
    fields: list[tuple[str, str]] = []
    for name, value in body.items():
        if isinstance(value, list):
            fields += [(name, str(item)) for item in value]
        elif isinstance(value, bool):
            if value:
                fields.append((name, "true"))
        else:
            fields.append((name, str(value)))
    return fields


def _post(deployed: Deployed, path: str, fields: list[tuple[str, str]]) -> Any:
    event = load_event("api-post-application-form")
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["body"] = urlencode(fields)
    answer = deployed.call("ApiFunction", event)
    if path == "/applications":
        deployed.pump_streams()  # a submission is registered after the answer (the stream)
    return answer


def _get(deployed: Deployed, path: str, query: dict[str, str]) -> Any:
    event = load_event("api-get-form")
    event["rawPath"] = path
    event["requestContext"]["http"]["path"] = path
    event["rawQueryString"] = urlencode(query)
    event["queryStringParameters"] = query
    return deployed.call("ApiFunction", event)


def _behalf(conference: Conference, number: int, copy: str) -> list[tuple[str, str]]:
    return _form(
        conference,
        number,
        on_behalf=True,
        submitter_email=OFFICE,
        submitter_copy=copy,
        organisation="Stadt Musterstadt",
    )


def _stored(conference: Conference, email: str) -> Any:
    return DynamoApplications().get(conference.id, applicant_key(conference.id, email))


def _email(number: int) -> str:
    return f"erika.mustermann+{number}@example.org"


def _confirm(deployed: Deployed, conference: Conference, email: str) -> None:
    stored = _stored(conference, email)
    claims = TokenClaims(
        "confirm", conference.id, stored.applicant_key, stored.public_id, conference.last_day_end
    )
    token = token_signer(deployed).issue(claims, now=deployed.clock.now())
    assert _post(deployed, "/confirm", [("token", token)])["statusCode"] == 200


def test_an_office_registers_three_people_a_fourth_is_refused_and_mails_go_as_chosen(
    deployed: Deployed, conference: Conference
) -> None:
    for number, copy in ((1, "copy"), (2, "only"), (3, "copy")):
        answer = _post(deployed, "/applications", _behalf(conference, number, copy))
        assert answer["statusCode"] == 303
        assert answer["headers"]["Location"].endswith("&for=other")
    thanks = _get(deployed, "/thanks", {"lang": "de", "for": "other"})["body"]
    assert "selbst bestätigen" in thanks

    refused = _post(deployed, "/applications", _behalf(conference, 4, "copy"))
    assert refused["statusCode"] == 422
    assert "bereits 3 Personen angemeldet" in refused["body"]
    assert 'value="erika.mustermann+4@example.org"' in refused["body"]  # kept as entered
    assert _stored(conference, _email(4)) is None
    assert len(list(DynamoApplications().list(conference.id))) == 3  # the record is no applicant

    drain(deployed)
    receipts = [m for m in sent_messages() if m["X-Registrar-Kind"] == "receipt"]
    assert sorted(str(m["To"]) for m in receipts) == [_email(1), _email(2), _email(3)]
    assert all(m["Cc"] is None for m in receipts)  # only the person confirms their address

    for number in (1, 2, 3):
        _confirm(deployed, conference, _email(number))
    deployed.clock.set(conference.closes_at + dt.timedelta(minutes=5))
    assert deployed.call("AdmissionsFunction", load_event("scheduler-deadline"))
    drain(deployed)
    decided = [m for m in sent_messages() if m["X-Registrar-Kind"] != "receipt"]
    # Three people of one organisation under its cap of 2: all still get a decision mail.
    # With "copy" the office gets a message of its own (nobody in Cc: a bounce can then
    # tell the office's address from the person's); with "nur an mich" the office alone.
    assert sorted(str(m["To"]) for m in decided) == sorted(
        [_email(1), _email(3), OFFICE, OFFICE, OFFICE]
    )
    assert all(m["Cc"] is None for m in decided)
    for number in (1, 3):
        (own,) = [m for m in decided if str(m["To"]) == _email(number)]
        text = own.get_body(("plain",)).get_content()
        copies = [m for m in decided if m.get_body(("plain",)).get_content() == text]
        assert [str(m["To"]) for m in copies] == [_email(number), OFFICE]  # the person's first
        assert OFFICE in text
    assert _email(2) not in {str(m["To"]) for m in decided}

    register_stack_outputs(boto3.Session(region_name=REGION), "it", deployed.stack.outputs)
    for number in (1, 2):
        shown = CliRunner().invoke(
            cli_app,
            [
                "--stack-name",
                "it",
                "--region",
                REGION,
                "applications",
                "show",
                _email(number),
                "--json",
            ],
        )
        assert shown.exit_code == 0, shown.output
        data = json.loads(shown.stdout)
        assert data["email"] == _email(number) and data["submitted_by"] == OFFICE
        assert data["confirmed"] is True and data["status"] in {"accepted", "waitlisted"}


def _accepted_participant(deployed: Deployed, conference: Conference) -> str:
    answer = _post(deployed, "/applications", _form(conference, 1, organisation="Stadt Kassel"))
    assert answer["statusCode"] == 303
    _confirm(deployed, conference, _email(1))
    deployed.clock.set(conference.closes_at + dt.timedelta(minutes=5))
    assert deployed.call("AdmissionsFunction", load_event("scheduler-deadline"))
    assert _stored(conference, _email(1)).status == "accepted"
    drain(deployed)
    stored = _stored(conference, _email(1))
    claims = TokenClaims(
        "manage", conference.id, stored.applicant_key, stored.public_id, conference.last_day_end
    )
    return token_signer(deployed).issue(claims, now=deployed.clock.now())


def _substitute_link(kind_to: str) -> str:
    (mail,) = [
        m for m in sent_messages()
        if m["X-Registrar-Kind"] == "substitute_confirm" and str(m["To"]) == kind_to
    ]  # fmt: skip
    text = mail.get_body(("plain",)).get_content()
    match = re.search(r"/substitute\?token=(\S+)", text)
    assert match is not None
    return unquote(match.group(1))


def test_a_colleague_takes_over_the_seat_through_the_link_in_their_mail(
    deployed: Deployed, conference: Conference
) -> None:
    manage = _accepted_participant(deployed, conference)
    page = _get(deployed, "/manage", {"token": manage, "lang": "de"})["body"]
    assert "Platz an eine Vertretung weitergeben" in page
    assert "10. Mai 2023, 12:00" in page  # until when, in the event's zone

    form = [("token", manage), ("action", "substitute"), ("lang", "de")]
    tampered = [("token", manage[:-3] + "abc"), *form[1:], ("email", COLLEAGUE)]
    assert _post(deployed, "/manage", tampered)["statusCode"] == 400
    colleague = [
        ("salutation", "herr"), ("given_name", "Max"), ("family_name", "Beispiel"),
        ("email", COLLEAGUE),
    ]  # fmt: skip
    refused = _post(deployed, "/manage", [*form, *colleague[:-1], ("email", _email(1))])
    assert refused["statusCode"] == 422 and "Ihre eigene Adresse" in refused["body"]
    assert _stored(conference, _email(1)).substitute is None  # refused: nothing changed
    named = _post(deployed, "/manage", form + colleague)
    assert named["statusCode"] == 200 and "Max Beispiel" in named["body"]
    drain(deployed)
    token = _substitute_link(COLLEAGUE)

    offer = _get(deployed, "/substitute", {"token": token})
    assert offer["statusCode"] == 200 and "Platz übernehmen" in offer["body"]
    assert _stored(conference, COLLEAGUE) is None  # a GET changes nothing
    tampered = _post(deployed, "/substitute", [("token", token[:-2] + "xx"), ("consent", "true")])
    assert tampered["statusCode"] == 400
    no_consent = _post(deployed, "/substitute", [("token", token)])
    assert no_consent["statusCode"] == 422 and _stored(conference, COLLEAGUE) is None

    taken = _post(deployed, "/substitute", [("token", token), ("consent", "true")])
    assert taken["statusCode"] == 200 and "Sie haben den Platz übernommen" in taken["body"]
    original, substitute = _stored(conference, _email(1)), _stored(conference, COLLEAGUE)
    assert original.status == "substituted" and original.seat_passed_to == substitute.public_id
    assert substitute.status == "accepted" and substitute.confirmed
    assert substitute.organisation == "Stadt Kassel" and substitute.workshops
    again = _post(deployed, "/substitute", [("token", token), ("consent", "true")])
    assert again["statusCode"] == 200  # pressed twice: the seat is theirs, nothing changes
    assert _stored(conference, COLLEAGUE).version == substitute.version
    # Opened again (or in the other language), the link says the seat is theirs now.
    reopened = _get(deployed, "/substitute", {"token": token, "lang": "en"})
    assert reopened["statusCode"] == 200
    assert "You have taken over the place" in reopened["body"]

    drain(deployed)
    kinds = {(str(m["X-Registrar-Kind"]), str(m["To"])) for m in sent_messages()}
    assert ("substituted", _email(1)) in kinds and ("accepted", COLLEAGUE) in kinds
    assert ("receipt", COLLEAGUE) not in kinds  # the acceptance is their first mail


def test_after_the_cutoff_the_manage_page_offers_no_substitute_and_refuses_one(
    deployed: Deployed, conference: Conference
) -> None:
    manage = _accepted_participant(deployed, conference)
    deployed.clock.set(conference.substitutes_until + dt.timedelta(minutes=1))
    page = _get(deployed, "/manage", {"token": manage, "lang": "en"})["body"]
    assert "Pass your place to a substitute" not in page
    refused = _post(
        deployed,
        "/manage",
        [("token", manage), ("action", "substitute"), ("lang", "en"),
         ("given_name", "Max"), ("family_name", "Beispiel"), ("email", COLLEAGUE)],
    )  # fmt: skip
    assert refused["statusCode"] == 409
    # in the language of the page it came from
    assert "until Wednesday, 10 May 2023, 12:00" in refused["body"]
    assert _stored(conference, _email(1)).substitute is None


@pytest.mark.parametrize("field", [ranking_field("day1"), extra_field("city_tour")])
def test_fields_used_by_the_form_exist(conference: Conference, field: str) -> None:
    # guards the helper above against a renamed slot or extra
    assert field in {ranking_field(s.id) for s in conference.workshop_slots} | {
        extra_field(e.id) for e in conference.extras
    }
