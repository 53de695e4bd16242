"""The api function on moto, fed the same events/*.json that `sam local invoke -e` takes."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import gc
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from botocore.client import BaseClient

from registrar import runtime
from registrar.conference import Conference
from registrar.store.dynamo import DynamoApplications
from registrar.store.models import MessageItem
from tests.conftest import recorded_calls
from tests.fakes import SETTINGS_ENVIRONMENT
from tests.support.fresh_process import output_lines
from tests.support.mail import drain
from tests.support.stack import Deployed, load_event


def _json_event(body: Any) -> dict[str, Any]:
    event = load_event("api-post-application-json")
    event["body"] = json.dumps(body) if not isinstance(body, str) else body
    return event


def _stored(conference: Conference) -> list[Any]:
    return list(DynamoApplications().list(conference.id))


def test_the_form_is_served_in_german_with_security_headers(deployed: Deployed) -> None:
    response = deployed.call("ApiFunction", load_event("api-get-form"))
    assert response["statusCode"] == 200
    assert '<html lang="de">' in response["body"]
    assert "Voranmeldung" in response["body"]
    headers = {k.lower(): v for k, v in response["headers"].items()}
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_english_by_query_or_browser(deployed: Deployed) -> None:
    event = load_event("api-get-form")
    event["rawQueryString"] = "lang=en"
    event["queryStringParameters"] = {"lang": "en"}
    assert '<html lang="en">' in deployed.call("ApiFunction", event)["body"]
    event = load_event("api-get-form")
    event["headers"]["accept-language"] = "en-GB,en;q=0.9"
    assert '<html lang="en">' in deployed.call("ApiFunction", event)["body"]


def test_json_submission_is_stored_and_the_receipt_queued(
    deployed: Deployed, conference: Conference
) -> None:
    response = deployed.call("ApiFunction", load_event("api-post-application-json"))
    assert response["statusCode"] == 202
    # The answer waited for one write: the submission as received, nothing queued yet.
    assert _stored(conference) == [] and deployed.queued() == []
    (received,) = DynamoApplications().received(conference.id)
    # The table's stream brings it to the receipts function: registered, then (its own
    # insert on the stream) its receipt queued.
    assert deployed.pump_streams() == 2
    (stored,) = _stored(conference)
    assert stored.status == "new" and stored.public_id == received.application.public_id
    assert DynamoApplications().received(conference.id) == []
    (receipt,) = deployed.queued()
    assert (receipt["kind"], receipt["applicant_key"]) == ("receipt", stored.applicant_key)
    assert deployed.pump_streams() == 0  # each new application once


def test_form_submission_redirects_to_the_thank_you_page(
    deployed: Deployed, conference: Conference
) -> None:
    response = deployed.call("ApiFunction", load_event("api-post-application-form"))
    assert response["statusCode"] == 303
    location = response["headers"]["Location"]
    assert location == "/thanks?lang=de"
    deployed.pump_streams()  # registered after the answer, from the table's stream
    assert len(_stored(conference)) == 1


def test_a_form_with_mistakes_comes_back_with_errors_and_values_kept(
    deployed: Deployed, conference: Conference
) -> None:
    event = load_event("api-post-application-form")
    event["body"] = urlencode(
        [("given_name", "Erika"), ("family_name", ""), ("email", "kaputt"), ("language", "de")]
    )
    response = deployed.call("ApiFunction", event)
    assert response["statusCode"] == 422
    page = response["body"]
    assert 'class="error-summary"' in page and 'href="#family_name"' in page
    assert 'value="Erika"' in page and 'value="kaputt"' in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in page
    assert 'aria-invalid="true"' in page
    assert _stored(conference) == []


@pytest.mark.parametrize(
    ("address", "language", "sentence"),
    [
        ("jörg@example.org", "de", "Adressen mit Umlauten, ß oder Akzenten vor dem @"),
        ("jörg@example.org", "en", "We cannot deliver to addresses with umlauts"),
        ("vïctim@example.org", "de", "Adressen mit Umlauten, ß oder Akzenten vor dem @"),
        ("x..y@example.org", "de", "Bitte geben Sie eine gültige E-Mail-Adresse an"),
        ("x..y@example.org", "en", "Please enter a valid email address"),
        ("info@ｅｘａｍｐｌｅ．ｏｒｇ", "de", "Der Teil nach dem @ enthält Zeichen in Vollbreite"),
        ("info@ｅｘａｍｐｌｅ.org", "en", "The part after the @ contains full-width"),
    ],
)
def test_an_address_the_mailer_cannot_send_to_gets_a_422_with_a_sentence(
    deployed: Deployed, conference: Conference, address: str, language: str, sentence: str
) -> None:
    event = load_event("api-post-application-form")
    fields = [
        (name, address if name == "email" else language if name == "language" else value)
        for name, value in parse_qsl(event["body"])
    ]
    event["body"] = urlencode(fields)

    response = deployed.call("ApiFunction", event)

    assert response["statusCode"] == 422
    assert sentence in response["body"]
    assert f'<html lang="{language}"' in response["body"]
    assert _stored(conference) == []
    assert deployed.pump_streams() == 0


def test_an_international_domain_is_accepted(deployed: Deployed, conference: Conference) -> None:
    """straße.de is a real domain (IDNA 2008); the mailer sends to xn--strae-oqa.de."""
    body = {**json.loads(load_event("api-post-application-json")["body"])}
    body["email"] = "info@straße.de"

    response = deployed.call("ApiFunction", _json_event(body))

    assert response["statusCode"] == 202
    deployed.pump_streams()  # registered after the answer, from the table's stream
    (stored,) = _stored(conference)
    assert stored.email == "info@straße.de"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"given_name": 5}, 422),
        ({"consent": "maybe"}, 422),
        ({"ranking_day1": "d1-ws1"}, 422),
        ({"is_admin": True}, 422),
        ("{not json", 422),
        ("[]", 422),
        ("null", 422),
    ],
)
def test_malformed_json_is_a_422_with_field_errors_and_nothing_stored(
    deployed: Deployed, conference: Conference, body: Any, status: int
) -> None:
    response = deployed.call("ApiFunction", _json_event(body))
    assert response["statusCode"] == status
    assert "errors" in json.loads(response["body"])
    assert _stored(conference) == []


def test_oversized_and_deeply_nested_bodies_are_refused_before_parsing(
    deployed: Deployed, conference: Conference
) -> None:
    huge = _json_event({"given_name": "x" * 20_000})
    assert deployed.call("ApiFunction", huge)["statusCode"] == 413
    nested = _json_event("[" * 100_000 + "]" * 100_000)
    assert deployed.call("ApiFunction", nested)["statusCode"] == 413
    encoded = _json_event("")
    encoded["isBase64Encoded"] = True
    encoded["body"] = base64.b64encode(b"{" + b" " * 17_000 + b"}").decode()
    assert deployed.call("ApiFunction", encoded)["statusCode"] == 413
    assert _stored(conference) == []


def test_unknown_content_types_are_415(deployed: Deployed, conference: Conference) -> None:
    event = _json_event("<xml/>")
    event["headers"]["content-type"] = "application/xml"
    response = deployed.call("ApiFunction", event)
    assert response["statusCode"] == 415
    assert _stored(conference) == []


def test_after_the_deadline_submissions_are_refused_with_403(
    deployed: Deployed, conference: Conference
) -> None:
    deployed.clock.set(conference.closes_at)
    response = deployed.call("ApiFunction", load_event("api-post-application-form"))
    assert response["statusCode"] == 403
    assert "abgelaufen" in response["body"]
    response = deployed.call("ApiFunction", load_event("api-post-application-json"))
    assert json.loads(response["body"])["error"] == "registration_closed"
    assert _stored(conference) == []


def test_duplicate_submission_answers_like_the_first(
    deployed: Deployed, conference: Conference
) -> None:
    first = deployed.call("ApiFunction", load_event("api-post-application-json"))
    second = deployed.call("ApiFunction", copy.deepcopy(load_event("api-post-application-json")))
    assert first["statusCode"] == second["statusCode"] == 202
    assert json.loads(first["body"]).keys() == json.loads(second["body"]).keys()
    # Both received; after the answers, one is the application, the other a notice to it.
    assert deployed.pump_streams() == 3  # two submissions, one new application
    assert len(_stored(conference)) == 1
    assert sorted(m["kind"] for m in deployed.queued()) == ["already_registered", "receipt"]


def test_a_duplicate_does_the_same_aws_calls_and_gets_the_same_answer(
    deployed: Deployed, conference: Conference, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Timing must not tell whether an address is registered: the same calls on the request
    # path (one write), the notice decided after the answer (services.intake). The instance is warm: the
    # entry's origin-header value is read at its first request, whatever it asks for, and
    # with it, in the same request, the applicant-key and link secrets.
    calls = recorded_calls(monkeypatch, BaseClient, "_make_api_call")  # (client, operation, ..)
    deployed.call("ApiFunction", load_event("api-get-form"))
    first = [operation for _, operation, _ in calls]
    assert first.count("BatchGetSecretValue") == 1 and "GetSecretValue" not in first
    calls.clear()
    runtime.current().applicant_keys.of(conference.id, "warm-up@example.org")
    assert calls == []  # read with the others
    answers = []
    operations = []
    for _ in range(2):
        calls.clear()
        answers.append(deployed.call("ApiFunction", load_event("api-post-application-json")))
        operations.append([operation for _, operation, _ in calls])
    new, duplicate = answers
    assert operations[0] == operations[1] == ["PutItem"]
    assert new["statusCode"] == duplicate["statusCode"] == 202
    assert sorted(new["headers"]) == sorted(duplicate["headers"])
    # The same answer, and no reference number in it: a repeat has none of its own, and
    # the new one's is in its receipt.
    assert json.loads(new["body"]) == json.loads(duplicate["body"])
    assert json.loads(new["body"]) == {
        "status": "received",
        "detail": "Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihre Adresse über "
        "den Link darin, damit Ihre Voranmeldung berücksichtigt wird. Kommt keine E-Mail an, "
        "sehen Sie bitte auch im Spam-Ordner nach. Ihre Vorgangsnummer steht in dieser E-Mail. "
        "Bitte geben Sie sie bei Rückfragen an.",
    }
    assert not re.search(r"R-[A-Z0-9]{4}-[A-Z0-9]{4}", new["body"] + duplicate["body"])
    # After the answer: the existing applicant gets one notice, the new one a receipt.
    drain(deployed)
    outbox = sorted((item.kind, item.state) for item in MessageItem.scan())
    assert outbox == [("already_registered", "sent"), ("receipt", "sent")]


def test_a_repeated_address_gets_the_same_page_without_a_reference_number(
    deployed: Deployed, conference: Conference
) -> None:
    """The page names no number: a repeat has none of its own, and must not look different."""
    first = deployed.call("ApiFunction", load_event("api-post-application-form"))
    second = deployed.call("ApiFunction", load_event("api-post-application-form"))
    assert first["headers"]["Location"] == second["headers"]["Location"] == "/thanks?lang=de"
    event = load_event("api-get-form")
    event["rawPath"] = event["requestContext"]["http"]["path"] = "/thanks"
    event["queryStringParameters"] = {"lang": "de"}
    page = deployed.call("ApiFunction", event)["body"]
    assert "Ihre Vorgangsnummer steht in dieser E-Mail" in page
    assert not re.search(r"R-[A-Z0-9]{4}-[A-Z0-9]{4}", page)
    deployed.pump_streams()  # registered after the answer, from the table's stream
    (stored,) = _stored(conference)
    assert stored.public_id not in page


@pytest.mark.parametrize("token", ["", "abc", "a.b", "x" * 600])
def test_bad_confirmation_tokens_get_a_clear_page(deployed: Deployed, token: str) -> None:
    event = load_event("api-get-form")
    event["rawPath"] = "/confirm"
    event["requestContext"]["http"]["path"] = "/confirm"
    event["queryStringParameters"] = {"token": token}
    response = deployed.call("ApiFunction", event)
    assert 400 <= response["statusCode"] < 500
    assert "<h1>" in response["body"]


def test_openapi_document_describes_the_submission(deployed: Deployed) -> None:
    event = load_event("api-get-form")
    event["rawPath"] = "/openapi.json"
    event["requestContext"]["http"]["path"] = "/openapi.json"
    response = deployed.call("ApiFunction", event)
    document = json.loads(response["body"])
    assert document["openapi"] == "3.1.0"
    operation = document["paths"]["/applications"]["post"]
    assert "202" in operation["responses"]
    schema_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert {"email", "ranking_day1", "ranking_day2", "extra_city_tour", "consent"} <= set(
        schema["properties"]
    )


def test_after_the_deadline_the_form_page_says_so_instead_of_showing_a_form(
    deployed: Deployed, conference: Conference
) -> None:
    deployed.clock.set(conference.closes_at)
    response = deployed.call("ApiFunction", load_event("api-get-form"))
    assert response["statusCode"] == 200  # the address works; only the form is gone
    assert "<form" not in response["body"]
    assert "<h1>Die Voranmeldung ist geschlossen</h1>" in response["body"]
    assert "Die Frist für die Voranmeldung ist am Montag, 10. April 2023" in response["body"]
    contact = conference.organiser.contact_email
    assert f"erreichen Sie das Organisationsteam unter {contact}" in response["body"]


def test_before_registration_opens_the_form_page_says_when(
    deployed: Deployed, conference: Conference
) -> None:
    deployed.clock.set(conference.opens_at - dt.timedelta(minutes=1))
    event = load_event("api-get-form")
    event["queryStringParameters"] = {"lang": "en"}
    response = deployed.call("ApiFunction", event)
    assert response["statusCode"] == 200
    assert "<form" not in response["body"]
    assert "<h1>Pre-registration is not open yet</h1>" in response["body"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_error_and_not_found_pages_lead_back_to_the_form(deployed: Deployed, lang: str) -> None:
    for path, query, status in [
        ("/gibt-es-nicht", {"lang": lang}, 404),
        ("/manage", {"token": "abc", "lang": lang}, 400),
    ]:
        event = load_event("api-get-form")
        event["rawPath"] = event["requestContext"]["http"]["path"] = path
        event["queryStringParameters"] = query
        response = deployed.call("ApiFunction", event)
        assert response["statusCode"] == status
        assert f'<a href="/?lang={lang}">' in response["body"], path


def test_consent_stays_ticked_when_the_form_comes_back_with_errors(deployed: Deployed) -> None:
    event = load_event("api-post-application-form")
    event["body"] = urlencode([("given_name", "Erika"), ("consent", "true"), ("language", "de")])
    page = deployed.call("ApiFunction", event)["body"]
    assert 'name="consent" value="true" checked' in page


def test_the_collector_runs_again_once_the_function_has_started(deployed: Deployed) -> None:
    # The api module pauses the garbage collector while it starts (see its docstring).
    assert "ApiFunction" in deployed.handlers
    assert gc.isenabled()
    # ... and froze what it built, which the local stack's loader hands back to the
    # collector (one process there holds many stacks).
    assert gc.get_freeze_count() == 0


def test_the_api_starts_without_boto3_or_the_xray_sdk() -> None:
    # Every cold start of the function applicants wait for: it writes through pynamodb
    # (botocore alone); boto3 (about 18 ms) is for the functions nobody waits for, the
    # X-Ray SDK (about 110 ms) for none (tests/integration/test_function_imports.py).
    # A fresh process, as Lambda starts one.
    app = Path(__file__).resolve().parents[2] / "functions" / "api" / "app.py"
    script = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(app)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "assert callable(module.lambda_handler)\n"
        "print(json.dumps(sorted(m.partition('.')[0] for m in sys.modules)))\n"
    )
    environment = {
        **os.environ,
        **SETTINGS_ENVIRONMENT,
        "AWS_DEFAULT_REGION": "eu-central-1",
        "POWERTOOLS_SERVICE_NAME": "registrar",
    }
    loaded = set(json.loads(output_lines(script, env=environment, timeout=60)[-1]))
    assert {"pynamodb", "botocore", "pydantic", "aws_lambda_powertools"} <= loaded
    assert not loaded & {"boto3", "s3transfer", "aws_xray_sdk"}


def _headers(response: dict[str, Any]) -> dict[str, str]:
    return {k.lower(): v for k, v in (response.get("headers") or {}).items()}


def test_every_kind_of_answer_tells_browsers_to_keep_to_https(deployed: Deployed) -> None:
    hsts = "max-age=31536000; includeSubDomains"
    page = deployed.call("ApiFunction", load_event("api-get-form"))
    accepted = deployed.call("ApiFunction", load_event("api-post-application-json"))
    unsupported = load_event("api-post-application-json")
    unsupported["headers"]["content-type"] = "text/plain"
    refused = deployed.call("ApiFunction", unsupported)
    missing = load_event("api-get-form")
    missing["rawPath"] = missing["requestContext"]["http"]["path"] = "/nirgends"
    not_found = deployed.call("ApiFunction", missing)
    statuses = [r["statusCode"] for r in (page, accepted, refused, not_found)]
    assert statuses == [200, 202, 415, 404]
    for response in (page, accepted, refused, not_found):
        assert _headers(response)["strict-transport-security"] == hsts


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_options_and_trace_get_404_as_api_gateway_answers_them(
    deployed: Deployed, method: str
) -> None:
    # No CORS configuration and no such route: API Gateway answers 404, never a 5xx.
    event = load_event("api-get-form")
    event["requestContext"]["http"]["method"] = method
    response = deployed.call("ApiFunction", event)
    assert response["statusCode"] == 404
