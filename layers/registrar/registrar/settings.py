"""Typed settings, read once at cold start from the environment the template sets.

Logic never reads ``os.environ``; it is handed a Settings. A missing variable fails loudly
at start, naming the variable, instead of surfacing later as a confusing AWS error.
(A plain pydantic model: pydantic-settings would add 15 ms to every cold start for
reading a flat set of variables.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Each field from the variable of its name in capitals (``CONFERENCE_ID``)."""
        present = {
            name: environ[name.upper()] for name in cls.model_fields if name.upper() in environ
        }
        return cls.model_validate(present)

    conference_id: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    applications_table: str = Field(min_length=1)
    runs_table: str = Field(min_length=1)
    messages_table: str = Field(min_length=1)
    idempotency_table: str = Field(min_length=1)
    mail_queue_url: str = Field(min_length=1)
    token_secret_arn: str = Field(min_length=1)
    # The value the public entry (CloudFront) sends the api in X-Origin-Verify.
    origin_verify_secret_arn: str = Field(min_length=1)
    applicant_key_secret_arn: str = Field(min_length=1)
    sender_address: str = Field(min_length=3)
    ses_configuration_set: str = Field(min_length=1)
    # Set for the functions that write links (mailer) or may (admissions); empty for the
    # api function, which takes its base URL from the request (the template cannot hand
    # the API's own URL to its integration without a cycle), and unused by the others.
    public_base_url: str
    # The account's SES rate is shared by at most mail_max_concurrency mailer instances
    # (the SQS event source's MaximumConcurrency): each paces itself at the quotient.
    ses_sending_rate: float = Field(gt=0)
    mail_max_concurrency: int = Field(ge=1)
    # A retryable failure hides the message for base * 2^(receives - 1), at most max.
    mail_retry_base_seconds: int = Field(ge=1, le=43_200)
    mail_retry_max_seconds: int = Field(ge=1, le=43_200)
    retention_days: int = Field(gt=0)
