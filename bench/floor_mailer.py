"""The floor for the mailer function: the least receipt mailer on this project's chosen stack.

What a receipt needs, and nothing of registrar: the queue message validated by a pydantic
model, the application read through a pynamodb model, the token secret read from Secrets
Manager to sign the confirmation link, the message rendered with Jinja (its templates
compiled when first used, as a team without a build step has them) in the applicant's
language, wrapped as MIME by the standard library and sent through SES v2, under
Powertools' Logger. No claim before sending and no mark after it (a message the queue
delivers twice is sent twice), no conference, no lottery, no pacing, no retry delays, no
start-up tuning.

The benchmark runs it beside the mailer and the boto3 reference, cold, on the same moto
server and with the same first event: the mailer's ratio to this floor is what registrar's
own code costs, this floor's ratio to the reference what the chosen libraries cost before
any of it (as ``floor_api.py`` is for the api).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from email.message import EmailMessage
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from jinja2 import DictLoader, Environment, select_autoescape
from pydantic import BaseModel, ConfigDict
from pynamodb.attributes import JSONAttribute, UnicodeAttribute
from pynamodb.models import Model

logger = Logger(service="floor-mailer")
ses = boto3.client("sesv2")
secrets = boto3.client("secretsmanager")
templates = Environment(
    loader=DictLoader(
        {
            "receipt.de.txt": (
                "Guten Tag {{ given_name }} {{ family_name }},\n\nwir haben Ihre Anmeldung "
                "{{ public_id }} erhalten. Bitte bestätigen Sie sie: {{ link }}\n"
            ),
            "receipt.de.html": (
                "<p>Guten Tag {{ given_name }} {{ family_name }},</p><p>wir haben Ihre "
                "Anmeldung {{ public_id }} erhalten. <a href='{{ link }}'>Bestätigen</a></p>"
            ),
            "receipt.en.txt": (
                "Dear {{ given_name }} {{ family_name }},\n\nwe received your application "
                "{{ public_id }}. Please confirm it: {{ link }}\n"
            ),
            "receipt.en.html": (
                "<p>Dear {{ given_name }} {{ family_name }},</p><p>we received your "
                "application {{ public_id }}. <a href='{{ link }}'>Confirm</a></p>"
            ),
        }
    ),
    autoescape=select_autoescape(["html"]),
)


class ApplicationItem(Model):
    class Meta:
        table_name = os.environ["APPLICATIONS_TABLE"]

    event_id = UnicodeAttribute(hash_key=True)
    applicant_key = UnicodeAttribute(range_key=True)
    public_id = UnicodeAttribute()
    data = JSONAttribute()


class MailRequest(BaseModel):
    """The queue message's fields a receipt needs."""

    model_config = ConfigDict(extra="ignore")

    message_id: str
    kind: str
    event_id: str
    applicant_key: str


def send(request: MailRequest) -> None:
    application = ApplicationItem.get(request.event_id, request.applicant_key)
    person = application.data
    secret = secrets.get_secret_value(SecretId=os.environ["TOKEN_SECRET_ARN"])["SecretString"]
    signature = hmac.new(secret.encode(), request.applicant_key.encode(), hashlib.sha256)
    values = {
        "given_name": person["given_name"],
        "family_name": person["family_name"],
        "public_id": application.public_id,
        "link": f"{os.environ['PUBLIC_BASE_URL']}/confirm?token={signature.hexdigest()}",
    }
    language = "de" if person.get("language") == "de" else "en"
    message = EmailMessage()
    message["Subject"] = application.public_id
    message["From"] = os.environ["SENDER_ADDRESS"]
    message["To"] = person["email"]
    message.set_content(templates.get_template(f"receipt.{language}.txt").render(values))
    message.add_alternative(
        templates.get_template(f"receipt.{language}.html").render(values), subtype="html"
    )
    ses.send_email(
        FromEmailAddress=os.environ["SENDER_ADDRESS"],
        Destination={"ToAddresses": [person["email"]]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )


@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failed = []
    for record in event["Records"]:
        try:
            send(MailRequest.model_validate_json(record["body"]))
        except Exception:
            logger.exception("mail not sent")
            failed.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failed}
