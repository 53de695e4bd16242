"""Settings come from the template's variables; a missing or malformed one fails at start."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from registrar.settings import Settings
from tests.fakes import SETTINGS_ENVIRONMENT

ENVIRONMENT = {
    **SETTINGS_ENVIRONMENT,
    "PUBLIC_BASE_URL": "",
    "SES_SENDING_RATE": "14.5",
    "AWS_REGION": "eu-central-1",  # other variables are ignored
}


def test_every_field_is_read_from_its_variable_and_typed() -> None:
    settings = Settings.from_environment(ENVIRONMENT)
    assert settings.conference_id == "kassel-2023" and settings.public_base_url == ""
    assert settings.ses_sending_rate == 14.5 and settings.mail_max_concurrency == 2


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("MAIL_QUEUE_URL", None, "mail_queue_url"),
        ("CONFERENCE_ID", "", "conference_id"),
        ("MAIL_MAX_CONCURRENCY", "two", "mail_max_concurrency"),
        ("SES_SENDING_RATE", "0", "ses_sending_rate"),
    ],
)
def test_a_missing_or_malformed_variable_is_named(
    variable: str, value: str | None, named: str
) -> None:
    environment = {k: v for k, v in ENVIRONMENT.items() if k != variable}
    if value is not None:
        environment[variable] = value
    with pytest.raises(ValidationError, match=named):
        Settings.from_environment(environment)
