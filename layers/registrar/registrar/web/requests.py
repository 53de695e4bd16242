"""What the api accepts, validated with pydantic: query strings, form posts, the submission;
and what it answers a JSON client that submitted (``Accepted``).

Each route names a pydantic model and gets it filled from the request or an exception the
api maps to HTTP in one place: ``InvalidRequest`` (pydantic's error details, which become
the form's field errors or a 400 page) or ``UnsupportedMediaType`` (415). The submission
takes JSON or a form post; the other POSTs are forms. Unknown query parameters and form
fields are ignored (the manage form carries its rankings beside the declared fields);
the submission model itself refuses unknown fields.

The api's OpenAPI document is written from the same models (``registrar.web.openapi``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from registrar.web import http
from registrar.web.manage import ManageAction

MAX_LANG = 5
MAX_TOKEN = 512


class Accepted(BaseModel):
    """The answer to a JSON client: the same whether or not the address was new.

    It names no reference number: a repeated address has none of its own (and the answer
    must not tell who registered). The email that follows carries the real one: the
    receipt, or the notice to an address already registered.
    """

    status: Literal["received"] = "received"
    detail: str  # what happens next, in the applicant's language (the thank-you page's words)


class InvalidRequest(Exception):
    """The request does not fit the route's model; ``errors`` are pydantic's details."""

    def __init__(self, errors: list[ErrorDetails]) -> None:
        super().__init__(f"{len(errors)} invalid values")
        self.errors = errors


class UnsupportedMediaType(Exception):
    """A body in a type the route does not read."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class LanguageQuery(_Lenient):
    lang: str | None = Field(default=None, max_length=MAX_LANG)


class TokenQuery(LanguageQuery):
    token: str = Field(max_length=MAX_TOKEN)


class ConfirmForm(_Lenient):
    token: str = Field(max_length=MAX_TOKEN)
    lang: str = Field(default="", max_length=MAX_LANG)


class ManageForm(ConfirmForm):
    action: ManageAction
    confirmed: bool = False


class ThanksQuery(LanguageQuery):
    """``for=other``: someone registered another person, whose own address confirms."""

    for_: str | None = Field(default=None, alias="for", max_length=MAX_LANG)


class SubstituteForm(ConfirmForm):
    """The colleague's take-over: ``consent`` is the privacy notice's box."""

    consent: bool = False


def query[M: BaseModel](event: Mapping[str, Any], model: type[M]) -> M:
    """The query string as ``model`` (API Gateway joins a repeated parameter's values)."""
    return _validated(model, dict(event.get("queryStringParameters") or {}))


def form[M: BaseModel](event: Mapping[str, Any], model: type[M]) -> M:
    """A form post as ``model``, each field its first value (as ``http.form_values``)."""
    if http.media_type(event) != http.FORM:
        raise UnsupportedMediaType
    return _validated(model, {k: v[0] for k, v in _form_lists(event).items()})


def submission[M: BaseModel](event: Mapping[str, Any], model: type[M]) -> M:
    """The submission, from JSON or from the form (whose fields arrive as lists of values)."""
    kind = http.media_type(event)
    if kind == http.JSON:
        try:
            return model.model_validate_json(http.body_bytes(event))
        except ValidationError as error:
            raise InvalidRequest(error.errors()) from None
    if kind == http.FORM:
        return _validated(model, _form_lists(event))
    raise UnsupportedMediaType


def _form_lists(event: Mapping[str, Any]) -> dict[str, list[str]]:
    try:
        text = http.body_bytes(event).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest(
            [{"type": "unicode_error", "loc": (), "msg": "not UTF-8", "input": None}]
        ) from None
    return parse_qs(text, keep_blank_values=True)


def _validated[M: BaseModel](model: type[M], values: Mapping[str, Any]) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise InvalidRequest(error.errors()) from None
