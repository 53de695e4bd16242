"""What each function imports when it starts: only what it uses (docs/performance.md).

A fresh process per function, as Lambda starts one, with the variables the template gives.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.fakes import SETTINGS_ENVIRONMENT
from tests.support.fresh_process import output_lines

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def _loaded_at_start(function: str) -> set[str]:
    app = FUNCTIONS / function / "app.py"
    script = (
        "import importlib.util, json, sys\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(app)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "assert callable(module.lambda_handler)\n"
        "import gc, botocore.client\n"
        "assert gc.isenabled(), 'the collector was left paused after the start'\n"
        "gc.unfreeze()  # what a function froze after its start is listed too\n"
        "clients = [o for o in gc.get_objects() if isinstance(o, botocore.client.BaseClient)]\n"
        "print(len(clients))\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    environment = {
        **os.environ,
        **SETTINGS_ENVIRONMENT,
        "AWS_DEFAULT_REGION": "eu-central-1",
        "POWERTOOLS_SERVICE_NAME": "registrar",
    }
    *_, clients, modules = output_lines(script, env=environment, timeout=60)
    _clients_made[function] = int(clients)
    return set(json.loads(modules))


_clients_made: dict[str, int] = {}


@pytest.mark.parametrize("function", ["api", "admissions", "mailer", "receipts", "feedback"])
def test_no_function_makes_an_aws_client_before_its_first_event(function: str) -> None:
    # A client is made when first used, from the process's one session: a start that
    # makes one (Powertools' idempotency made a boto3 session and client of its own in
    # the admissions function) pays for it whether the event needs it or not.
    _loaded_at_start(function)
    assert _clients_made[function] == 0


@pytest.mark.parametrize("function", ["api", "admissions", "mailer", "receipts", "feedback"])
def test_no_function_starts_with_the_xray_sdk(function: str) -> None:
    # About 110 ms of every cold start; Lambda still traces each invocation.
    loaded = _loaded_at_start(function)
    assert "aws_lambda_powertools" in loaded
    assert not {m for m in loaded if m.partition(".")[0] == "aws_xray_sdk"}


def test_the_api_starts_without_powertools_openapi_validation() -> None:
    # Requests are validated by pydantic directly; the OpenAPI document is a built file.
    # (The resolver itself loads a few small parts of the openapi package: its types.)
    loaded = _loaded_at_start("api")
    openapi = "aws_lambda_powertools.event_handler.openapi"
    assert not {f"{openapi}.params", f"{openapi}.compat", f"{openapi}.models"} & loaded
    assert not {
        m for m in loaded if m.startswith("aws_lambda_powertools.event_handler.middlewares.openapi")
    }
    assert "registrar.web.requests" in loaded


@pytest.mark.parametrize("function", ["api", "admissions", "mailer", "receipts", "feedback"])
def test_no_function_starts_with_icalendar(function: str) -> None:
    # Only the programme mail carries a calendar: the mailer loads icalendar for the first
    # one it sends (about 75 ms), not at every start.
    loaded = _loaded_at_start(function)
    assert not {m for m in loaded if m.partition(".")[0] == "icalendar"}


def _packages(loaded: set[str], *names: str) -> set[str]:
    return {m for m in loaded if m.partition(".")[0] in names}


def test_the_mailer_starts_without_what_only_writing_a_message_needs() -> None:
    # A request that ends before a message is written (the application is gone, the
    # decision superseded) needs none of it; the first message written loads it.
    loaded = _loaded_at_start("mailer")
    assert "registrar.services.mailing" in loaded
    assert not _packages(loaded, "jinja2", "markupsafe", "babel", "email_validator", "yaml")
    assert (
        not {
            "registrar.mail.compose",
            "registrar.mail.context",
            "registrar.mail.render",
            "registrar.mail.mime",
            "registrar.services.substitution",
            "registrar.services.registration",
            "registrar.i18n",
        }
        & loaded
    )
    # Its records are read as Lambda's dictionaries: Powertools' batch utility imports
    # asyncio and every event source's class (about 25 ms).
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools.utilities.batch")}
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools.utilities.data_classes")}
    assert "asyncio" not in loaded


def test_the_receipts_function_starts_without_the_conference_or_mail_rendering() -> None:
    # It reads applications and queues requests: no definition, no template, no event
    # classes of Powertools (which load every event source's).
    loaded = _loaded_at_start("receipts")
    assert "registrar.services.receipts" in loaded
    assert not _packages(loaded, "jinja2", "babel", "email_validator", "yaml")
    assert not {m for m in loaded if m.startswith(("registrar.conference", "registrar.mail."))}
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools.utilities.data_classes")}


def test_the_feedback_function_starts_without_mail_rendering() -> None:
    # It marks addresses SES reported; it writes no mail.
    loaded = _loaded_at_start("feedback")
    assert not _packages(loaded, "jinja2", "babel")
    assert not {"registrar.mail.compose", "registrar.mail.mime"} & loaded


def test_the_api_starts_with_one_resolver_and_the_event_classes_it_uses() -> None:
    # Powertools' event handler package imports every resolver (AppSync's with asyncio),
    # its data classes every event source's: the api loads what its resolver uses
    # (registrar.lazy_packages).
    loaded = _loaded_at_start("api")
    handler = "aws_lambda_powertools.event_handler"
    assert f"{handler}.api_gateway" in loaded
    assert "asyncio" not in loaded
    assert (
        not {
            f"{handler}.{resolver}"
            for resolver in ("appsync", "bedrock_agent", "bedrock_agent_function", "vpc_lattice")
        }
        & loaded
    )
    events = {
        m.rpartition(".")[2]
        for m in loaded
        if m.startswith("aws_lambda_powertools.utilities.data_classes.")
    }
    assert "api_gateway_proxy_event" in events
    assert not {"sqs_event", "s3_event", "dynamo_db_stream_event", "kafka_event"} & events


@pytest.mark.parametrize("function", ["api", "mailer", "receipts"])
def test_only_the_admissions_function_starts_with_the_runs_records(function: str) -> None:
    # The store's repositories import the admission runs' and the organisation merges'
    # models where they read them: a submission, a mail or a receipt loads neither.
    loaded = _loaded_at_start(function)
    assert "registrar.store.dynamo" in loaded
    assert not {"registrar.runs", "registrar.organisations"} & loaded
    if function == "api":  # its first submission shows no lottery
        assert "registrar.lottery_state" not in loaded


def test_the_api_starts_without_jinja_yaml_or_email_validator() -> None:
    # A JSON submission renders no page; the form's first request loads Jinja, the first
    # submission email-validator; nothing reads YAML (registrar.prebuilt).
    loaded = _loaded_at_start("api")
    assert not _packages(loaded, "jinja2", "yaml", "email_validator", "boto3")


def test_the_admissions_function_starts_without_boto3_or_powertools_idempotency() -> None:
    # Powertools' idempotency utility imports boto3 and s3transfer (about 42 ms) whatever
    # persistence it is given; the trigger records are written through botocore
    # (registrar.store.idempotency).
    loaded = _loaded_at_start("admissions")
    assert "registrar.store.idempotency" in loaded
    assert not _packages(loaded, "boto3", "s3transfer")
    assert not {m for m in loaded if m.startswith("aws_lambda_powertools.utilities.idempotency")}
    # A trigger delivered again is answered from its record: no definition read for it.
    assert not {m for m in loaded if m.startswith("registrar.conference")}
