"""Integration fixtures: moto with exactly the template's resources, and the real handlers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import boto3
import pytest
from botocore.client import BaseClient
from moto import mock_aws

from registrar import runtime
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.pacing import TokenBucket
from registrar_local.functions import load_handler
from registrar_local.infra import template as tpl
from registrar_local.infra.provision import provision
from registrar_local.streams import stream_pump
from tests.support.mail import FakeTime, mailer_module
from tests.support.stack import REGION, Deployed, recording_make_api_call


@pytest.fixture(autouse=True)
def _record_aws_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BaseClient, "_make_api_call", recording_make_api_call)


@pytest.fixture
def deployed(monkeypatch: pytest.MonkeyPatch, conference: Conference) -> Iterator[Deployed]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_TRACE_DISABLED": "true",
        # EMF lines on stdout would mix into the CLI's JSON output (as in the local stack).
        "POWERTOOLS_METRICS_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        template_file = tpl.template_path()
        stack = provision(
            tpl.load_template(template_file),
            boto3.Session(region_name=REGION),
            stack_name="it",
            endpoint_url=None,
            api_url="https://registrar.example.org",
        )
        for function_id in tpl.functions(stack.template):
            for name, value in stack.function_environment(function_id).items():
                monkeypatch.setenv(name, value)
        monkeypatch.setenv("PUBLIC_BASE_URL", "https://registrar.example.org")
        clock = SettableClock(conference.deadline - dt.timedelta(days=7))
        runtime.reset()
        runtime.use_clock(clock)
        deployed = Deployed(
            stack, clock, stream_pump(stack, boto3.Session(region_name=REGION), None)
        )
        for function_id, spec in tpl.functions(stack.template).items():
            deployed.handlers[function_id] = load_handler(spec, template_file)
        yield deployed
        runtime.reset()


@pytest.fixture
def fake_time(deployed: Deployed, monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """The mailer's pacer, at its configured rate, on a clock that does not really sleep."""
    time = FakeTime()
    module = mailer_module(deployed)
    rate = module.pacer.rate
    monkeypatch.setattr(module, "pacer", TokenBucket(rate, clock=time.clock, sleep=time.sleep))
    return time
