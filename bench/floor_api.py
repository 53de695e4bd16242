"""The floor for the api function: the least a handler on this project's chosen stack can be.

What #3 and DESIGN.md require of ``POST /applications``, and nothing of registrar: Powertools'
HTTP API resolver validating the JSON body with a pydantic model, Powertools' Logger on the
handler, and the application written through a pynamodb model with the condition that no
application exists yet under its key. No conference, no domain checks, no pages, no
settings, no start-up tuning.

The benchmark runs it beside the api and the boto3 reference, cold and warm, on the same moto
server: the api's ratio to this floor is what registrar's own code costs, and this floor's
ratio to the reference is what the chosen libraries cost before any of it.
"""

from __future__ import annotations

import os
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import BaseModel, ConfigDict, Field
from pynamodb.attributes import UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

logger = Logger(service="floor")
app = APIGatewayHttpResolver(enable_validation=True)


class ApplicationItem(Model):
    class Meta:
        table_name = os.environ["APPLICATIONS_TABLE"]

    event_id = UnicodeAttribute(hash_key=True)
    applicant_key = UnicodeAttribute(range_key=True)
    data = UnicodeAttribute()
    version = VersionAttribute()  # first save: conditional on the key not existing


class ApplicationRequest(BaseModel):
    """The form's fields with their types and bounds (as the api's request model has them)."""

    model_config = ConfigDict(extra="forbid", str_max_length=2000)

    salutation: str = ""
    title: str = ""
    given_name: str = ""
    family_name: str = ""
    function: str = ""
    email: str = ""
    organisation: str = ""
    municipality: str = ""
    region: str = ""
    group: str = ""
    days: str = ""
    accessibility: list[str] = Field(default_factory=list, max_length=20)
    accessibility_note: str = ""
    dietary: str = ""
    dietary_note: str = ""
    consent: bool = False
    on_behalf: bool = False
    submitter_email: str = ""
    submitter_copy: str = ""
    language: str = ""
    website: str = ""
    ranking_day1: list[str] = Field(default_factory=list, max_length=3)
    ranking_day2: list[str] = Field(default_factory=list, max_length=3)
    extra_city_tour: bool = False


@app.post("/applications")
def submit(application: Annotated[ApplicationRequest, Body()]) -> Response[str]:
    key = application.email.strip().lower()
    try:
        ApplicationItem("floor", key, data=application.model_dump_json()).save()
    except PutError:
        logger.info("already registered")
    return Response(202, "application/json", '{"stored": true}')


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
