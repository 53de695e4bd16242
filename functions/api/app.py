"""API function: the hosted form, submissions, confirmation and the manage page.

Wiring only: each route parses its input, calls one service method and shapes the answer.
Failures reach HTTP through the exception handlers below, which ``registrar.web.errors``
maps to a status and an answer in the person's language.

What this function leaves out of its cold start, and why, is in docs/performance.md.
"""

# ruff: noqa: E402 - the collector is paused before the imports (docs/performance.md)
from __future__ import annotations

import gc

gc.disable()

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger

from registrar import lazy_packages

# Powertools' event handler and event classes import every resolver and event class they
# have (AppSync's asyncio among them): the api loads the one of each it uses.
lazy_packages.defer("aws_lambda_powertools.event_handler")
lazy_packages.defer("aws_lambda_powertools.utilities.data_classes")

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from registrar import runtime, snapstart
from registrar.errors import DomainError, RegistrationClosed, RegistrationNotOpen
from registrar.i18n import negotiate_language, translate
from registrar.lottery import source as lottery_source
from registrar.observability import handler_metrics
from registrar.submission import (
    HONEYPOT_FIELD,
    FieldError,
    InvalidSubmission,
    build_request_model,
    validate_submission,
)
from registrar.tokens import InvalidToken
from registrar.web import errors, http, requests
from registrar.web.manage import ApplicantPages
from registrar.web.openapi import path_for
from registrar.web.pages import render_form, render_lottery, render_message

logger = Logger()
metrics = handler_metrics()  # namespace: POWERTOOLS_METRICS_NAMESPACE
rt = runtime.current()
rt.read_secrets_together()  # nothing is fetched now (SnapStart): at the first request
conference = rt.conference
ApplicationRequest = build_request_model(conference)
# Requests are validated by pydantic models in the routes (registrar.web.requests), not by
# Powertools' OpenAPI middleware, whose import alone cost each cold start about 60 ms.
app = APIGatewayHttpResolver()


@cache
def _links() -> ApplicantPages:
    """The pages behind applicants' links, built when the first link is opened."""
    return ApplicantPages(conference, rt.registration, rt.links.verify, rt.clock, rt.substitution)


def _lang(requested: str | None = None) -> str:
    return negotiate_language(
        requested,
        app.current_event.headers.get("accept-language"),
        conference.languages,
        conference.default_language,
    )


def refuse_cross_site_posts(
    app: APIGatewayHttpResolver, next_middleware: NextMiddleware
) -> Response[Any]:
    """Every state-changing POST from another site's page is refused before its route runs.

    Defence in depth beside the signed links: a 403 page, and nothing changes.
    """
    event = app.current_event.raw_event
    if app.current_event.http_method == "POST" and http.cross_site(
        event, rt.settings.public_base_url
    ):
        return _problem(403, "cross_site")
    return next_middleware(app)


app.use(middlewares=[refuse_cross_site_posts])


def _query[M: BaseModel](model: type[M]) -> M:
    return requests.query(app.current_event.raw_event, model)


def _form[M: BaseModel](model: type[M]) -> M:
    return requests.form(app.current_event.raw_event, model)


@app.get("/")
def form() -> Response[str]:
    language = _lang(_query(requests.LanguageQuery).lang)
    try:
        rt.registration.check_open()
    except (RegistrationClosed, RegistrationNotOpen) as outside:
        # Outside the window the address still works: a notice instead of the form (200).
        return http.html(errors.registration_notice(conference, outside.code, language))
    commitment = rt.lottery.commitment() if conference.admission.order == "lottery" else None
    return http.html(render_form(conference, language, lottery_commitment=commitment))


@app.get("/lottery")
def lottery_page() -> Response[str]:
    language = _lang(_query(requests.LanguageQuery).lang)
    return http.html(render_lottery(conference, language, rt.lottery.commitment()))


@app.get("/lottery/verify_lottery.py")
def lottery_check_program() -> Response[str]:
    """The standalone check program (registrar.lottery), to download and read."""
    return http.python_file(lottery_source(), "verify_lottery.py")


@app.post("/applications")
def submit() -> Response[str]:
    application = requests.submission(app.current_event.raw_event, ApplicationRequest)
    data = application.model_dump()
    lang = conference.language_or_default(data.get("language"))
    submission = validate_submission(data, conference)
    rt.registration.submit(submission, is_bot=bool(data.get(HONEYPOT_FIELD)))
    metrics.add_metric(name="ApplicationsSubmitted", unit=MetricUnit.Count, value=1)
    if http.wants_json(app.current_event.raw_event):
        detail = " ".join(translate(lang, key) for key in ("ui.thanks_text", "ui.thanks_reference"))
        return http.json_response(requests.Accepted(detail=detail).model_dump(), 202)
    # No reference number on the page: a repeated address must get the same answer as a
    # new one (nobody learns who registered), and a repeat has no number of its own. The
    # receipt email (or the existing applicant's notice) carries the real one.
    if submission.submitted_by:
        return http.redirect(f"/thanks?lang={lang}&for=other")
    return http.redirect(f"/thanks?lang={lang}")


@app.get("/thanks")
def thanks() -> Response[str]:
    asked = _query(requests.ThanksQuery)
    language = _lang(asked.lang)
    text = "ui.thanks_behalf_text" if asked.for_ == "other" else "ui.thanks_text"
    page = render_message(
        conference,
        language,
        translate(language, "ui.thanks_title"),
        [translate(language, text), translate(language, "ui.thanks_reference")],
        path="/thanks",
        query="for=other" if asked.for_ == "other" else "",
    )
    return http.html(page)


@app.get("/confirm")
def confirm_page() -> Response[str]:
    """The confirmation link opens a page with one button: mail filters that open links
    in advance confirm nothing; the person's click (the POST below) does."""
    link = _query(requests.TokenQuery)
    return http.html(_links().confirm_page(link.token, link.lang))


@app.post("/confirm")
def confirm() -> Response[str]:
    posted = _form(requests.ConfirmForm)
    page = _links().confirm(posted.token, posted.lang or None)
    metrics.add_metric(name="ApplicationsConfirmed", unit=MetricUnit.Count, value=1)
    return http.html(page)


@app.get("/manage")
def manage() -> Response[str]:
    link = _query(requests.TokenQuery)
    return http.html(_links().manage_page(link.token, link.lang))


@app.post("/manage")
def manage_action() -> Response[str]:
    posted = _form(requests.ManageForm)
    # Rankings repeat a field name: read them with the application form's own form parsing.
    form = http.form_values(http.body_bytes(app.current_event.raw_event))
    result = _links().perform(
        posted.token, posted.action, posted.lang, confirmed=posted.confirmed, form=form
    )
    return http.html(result.body, result.status)


@app.get("/substitute")
def substitute_page() -> Response[str]:
    """A substitute's link opens a page with one button (link scanners change nothing)."""
    link = _query(requests.TokenQuery)
    return http.html(_links().substitute_page(link.token, link.lang))


@app.post("/substitute")
def take_over_seat() -> Response[str]:
    posted = _form(requests.SubstituteForm)
    result = _links().take_over(posted.token, posted.lang or None, consent=posted.consent)
    return http.html(result.body, result.status)


@cache
def _openapi_document() -> str:
    """Written at build time from the request model (``make openapi``), served as it is."""
    return path_for(conference.id).read_text(encoding="utf-8")


@app.get("/openapi.json")
def openapi() -> Response[str]:
    return Response(200, "application/json", _openapi_document())


# -- failures: registrar.web.errors maps each to HTTP --------------------------------------
def _request_lang() -> str:
    event = app.current_event.raw_event
    values = http.form_values(http.body_bytes(event)) if http.media_type(event) == http.FORM else {}
    # The application form posts "language"; the pages behind the links post "lang".
    posted = values.get("language") or values.get("lang")
    return _lang(posted or app.current_event.get_query_string_value("lang"))


def _problem(status: int, code: str) -> Response[str]:
    return errors.problem(conference, app.current_event.raw_event, status, code, _request_lang())


def _field_errors(fields: list[FieldError]) -> Response[str]:
    event = app.current_event.raw_event
    return errors.field_errors(conference, event, fields, _request_lang())


@app.exception_handler(InvalidSubmission)
def invalid_submission(error: InvalidSubmission) -> Response[str]:
    return _field_errors(error.errors)


@app.exception_handler(requests.InvalidRequest)
def invalid_request(error: requests.InvalidRequest) -> Response[str]:
    if app.current_event.path == "/applications":
        return _field_errors(errors.validation_field_errors(error.errors))
    return _problem(400, "invalid")


@app.exception_handler(requests.UnsupportedMediaType)
def unsupported_type(_: requests.UnsupportedMediaType) -> Response[str]:
    return _problem(415, "unsupported_media_type")


@app.exception_handler(InvalidToken)
def invalid_token(error: InvalidToken) -> Response[str]:
    return _problem(*errors.token_status(error))


@app.exception_handler(DomainError)
def domain_error(error: DomainError) -> Response[str]:
    return _problem(errors.domain_status(error), error.code)


@app.not_found
def not_found(_: Exception) -> Response[str]:
    return errors.not_found(conference, app.current_event.raw_event, _request_lang())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Around the public entry (the API's own URL) nothing is answered: the firewall
    # in front of the entry is the only way in.
    if not http.from_public_entry(event, rt.origin_verify_value()):
        return http.transport_secured(http.forbidden())
    refused = http.guard(event)
    return http.transport_secured(refused or app.resolve(event, context))


# With SnapStart (production), the snapshot is taken now: its hooks keep secrets and random
# state out of it (registrar.snapstart).
snapstart.register()
# Start-up is over: what it built is permanent, so no collection need look at it again.
gc.freeze()
gc.enable()
