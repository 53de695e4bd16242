"""State-changing POSTs from another site's page are refused (403), whatever their token.

Defence in depth beside the signed links: a browser says where a request comes from
(``Sec-Fetch-Site``, ``Origin``); a page on another site that makes the applicant's browser
post to the form, the confirmation or the manage page changes nothing. Clients that send
neither header (curl, old browsers) are served as before.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from tests.conftest import valid_request
from tests.support.keys import applicant_key
from tests.support.mail import link_token
from tests.support.stack import Deployed, load_event

EMAIL = "erika.mustermann+7@example.org"
OWN_ORIGIN = "https://registrar.example.org"  # the stack's public base URL in these tests

CROSS_SITE = [
    {"sec-fetch-site": "cross-site"},
    {"origin": "https://evil.example"},
    {"origin": "https://evil.example", "sec-fetch-site": "cross-site"},
    {"origin": "https://registrar.example.org.evil.example"},
]
SAME_SITE = [
    {},  # curl, old browsers
    {"origin": OWN_ORIGIN, "sec-fetch-site": "same-origin"},
    # Our pages send Referrer-Policy: no-referrer, so browsers post their forms with
    # Origin: null; Sec-Fetch-Site still says where the request comes from.
    {"origin": "null", "sec-fetch-site": "same-origin"},
    {"sec-fetch-site": "none"},  # typed or bookmarked
]


def _form_submission(headers: dict[str, str]) -> dict[str, Any]:
    event = load_event("api-post-application-form")  # a complete, valid form
    event["headers"].update(headers)
    return event


def _stored(conference: Conference) -> list[Any]:
    return list(DynamoApplications().list(conference.id))


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_submission_gets_a_403_page_and_nothing_is_stored(
    deployed: Deployed, conference: Conference, headers: dict[str, str]
) -> None:
    response = deployed.call("ApiFunction", _form_submission(headers))
    assert response["statusCode"] == 403
    assert "fremden Webseite" in response["body"]
    assert "Es wurde nichts geändert" in response["body"]
    assert _stored(conference) == []
    assert deployed.queued() == []


def test_a_cross_site_json_submission_gets_a_json_403(
    deployed: Deployed, conference: Conference
) -> None:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, email=EMAIL))
    event["headers"]["origin"] = "https://evil.example"
    response = deployed.call("ApiFunction", event)
    assert response["statusCode"] == 403
    assert json.loads(response["body"])["error"] == "cross_site"
    assert _stored(conference) == []


@pytest.mark.parametrize("headers", SAME_SITE)
def test_the_sites_own_and_headerless_submissions_are_served(
    deployed: Deployed, conference: Conference, headers: dict[str, str]
) -> None:
    response = deployed.call("ApiFunction", _form_submission(headers))
    assert response["statusCode"] == 303
    deployed.pump_streams()  # registered after the answer, from the table's stream
    assert len(_stored(conference)) == 1


def _manage_post(fields: list[tuple[str, str]], headers: dict[str, str]) -> dict[str, Any]:
    event = load_event("api-post-application-form")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/manage"
    event["body"] = urlencode(fields)
    event["headers"].update(headers)
    return event


def test_a_cross_site_withdrawal_with_a_valid_link_changes_nothing(
    deployed: Deployed, conference: Conference
) -> None:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, email=EMAIL))
    assert deployed.call("ApiFunction", event)["statusCode"] == 202
    deployed.pump_streams()  # registered after the answer, from the table's stream
    key = applicant_key(conference.id, EMAIL)
    token = link_token(deployed, "manage", conference.id, key, conference.last_day_end)
    fields = [
        ("token", token),
        ("action", "withdraw"),
        ("confirmed", "true"),
    ]
    refused = deployed.call("ApiFunction", _manage_post(fields, {"sec-fetch-site": "cross-site"}))
    assert refused["statusCode"] == 403
    application = DynamoApplications().get(conference.id, key)
    assert application is not None and application.status == "new"
    own = {"origin": "null", "sec-fetch-site": "same-origin"}
    assert deployed.call("ApiFunction", _manage_post(fields, own))["statusCode"] == 200
    application = DynamoApplications().get(conference.id, key)
    assert application is not None and application.status == "withdrawn"


def test_a_cross_site_confirmation_with_a_valid_link_confirms_nothing(
    deployed: Deployed, conference: Conference
) -> None:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(valid_request(conference, 1, email=EMAIL))
    assert deployed.call("ApiFunction", event)["statusCode"] == 202
    deployed.pump_streams()  # registered after the answer, from the table's stream
    key = applicant_key(conference.id, EMAIL)
    token = link_token(deployed, "confirm", conference.id, key, conference.last_day_end)
    fields = [("token", token)]
    confirm = _manage_post(fields, {"origin": "https://evil.example"})
    confirm["rawPath"] = confirm["requestContext"]["http"]["path"] = "/confirm"
    assert deployed.call("ApiFunction", confirm)["statusCode"] == 403
    application = DynamoApplications().get(conference.id, key)
    assert application is not None and not application.confirmed
    confirm["headers"]["origin"] = OWN_ORIGIN
    assert deployed.call("ApiFunction", confirm)["statusCode"] == 200
    application = DynamoApplications().get(conference.id, key)
    assert application is not None and application.confirmed
