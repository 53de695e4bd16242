"""Failures as HTTP answers: which status each failure gets and how it is shown.

One place for the api function: a JSON client gets ``{"error", "message"}`` (or the field
errors), a browser gets the page again or a message page, always in the person's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import Response

from registrar.conference import Conference
from registrar.errors import DomainError, RegistrationClosed, RegistrationNotOpen
from registrar.i18n import language, translate
from registrar.submission import FieldError
from registrar.tokens import InvalidToken
from registrar.web import http
from registrar.web.pages import render_form, render_message

# Message pages whose title says more than "error".
_TITLES = {
    "registration_closed": "ui.registration_closed_title",
    "registration_not_open": "ui.registration_not_open_title",
}


def token_status(error: InvalidToken) -> tuple[int, str]:
    """410 Gone for an expired or revoked link (it did work once), 400 for any other."""
    gone = error.reason in {"expired", "revoked"}
    return (410 if gone else 400), f"token_{error.reason}"


def domain_status(error: DomainError) -> int:
    if isinstance(error, RegistrationClosed | RegistrationNotOpen):
        return 403
    return {"not_found": 404, "not_allowed": 409}.get(error.code, 400)


def validation_field_errors(details: Iterable[Mapping[str, Any]]) -> list[FieldError]:
    """Powertools' request-validation details as the form's field errors."""
    fields: list[FieldError] = []
    for detail in details:
        location = [str(part) for part in detail.get("loc", ()) if part != "body"]
        name = location[0] if location else "body"
        if detail.get("type") == "string_too_long":
            fields.append(
                FieldError(name, "too_long", {"max": detail.get("ctx", {}).get("max_length", 0)})
            )
        else:
            fields.append(FieldError(name, "invalid", {}))
    return fields


def field_errors(
    conference: Conference,
    event: Mapping[str, Any],
    errors: list[FieldError],
    lang: str,
) -> Response[str]:
    """422 with the errors beside their fields: JSON for clients, the form for browsers."""
    if http.wants_json(event):
        payload = {
            "errors": [
                {
                    "field": e.field,
                    "code": e.code,
                    "message": translate(lang, f"errors.{e.code}", **e.params),
                }
                for e in errors
            ]
        }
        return http.json_response(payload, 422)
    values = http.form_values(http.body_bytes(event))
    return http.html(render_form(conference, lang, values=values, errors=errors), 422)


def _sentence(conference: Conference, code: str, lang: str) -> str:
    """The failure's sentence, with the event's dates where the text names them."""
    dates = {"opens": conference.opens_at, "deadline": conference.deadline}
    formatted = {k: language(lang).datetime(v, conference.zone) for k, v in dates.items()}
    return translate(lang, f"errors.{code}", **formatted)


def problem(
    conference: Conference, event: Mapping[str, Any], status: int, code: str, lang: str
) -> Response[str]:
    """One failure in one sentence; the page leads back to the form."""
    message = _sentence(conference, code, lang)
    if http.wants_json(event):
        return http.json_response({"error": code, "message": message}, status)
    title = translate(lang, _TITLES.get(code, "ui.error_title"))
    page = render_message(conference, lang, title, [message], form_link=True)
    return http.html(page, status)


def registration_notice(conference: Conference, code: str, lang: str) -> str:
    """The form's address outside the registration window: why, and whom to ask."""
    contact = translate(lang, "ui.closed_contact", contact=conference.organiser.contact_email)
    title = translate(lang, _TITLES[code])
    # Once closed, people come back to check the draw: the lottery's page is one link away.
    drawn = code == "registration_closed" and conference.admission.order == "lottery"
    paragraphs = [_sentence(conference, code, lang), contact]
    return render_message(conference, lang, title, paragraphs, lottery_link=drawn)


def not_found(conference: Conference, event: Mapping[str, Any], lang: str) -> Response[str]:
    if http.wants_json(event):
        return http.json_response({"error": "not_found"}, 404)
    title = translate(lang, "ui.page_not_found")
    message = translate(lang, "ui.page_not_found_text")
    page = render_message(conference, lang, title, [message], form_link=True)
    return http.html(page, 404)
