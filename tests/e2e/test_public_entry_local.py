"""The embedded local stack behind its public entry: a script at one address meets the
firewall's POST limit (read from infra/waf.yaml), real applicants at theirs do not, and
`applications suspicious` names what got through."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator

import pytest

from registrar import runtime
from registrar.conference import Conference, load_conference
from registrar.store.dynamo import DynamoApplications
from registrar_cli.local_control import post_json
from registrar_cli.target import write_local_state
from registrar_local.demo import start_local
from registrar_local.edge import post_limit, waf_template_path
from registrar_local.infra.template import load_template
from registrar_local.seed import fake_client, scripted_fake
from registrar_local.stack import LocalStack
from tests.support.local_cli import cli

pytestmark = pytest.mark.e2e
RULE = post_limit(load_template(waf_template_path()))


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalStack, Conference]]:
    saved = dict(os.environ)
    workdir = tmp_path_factory.mktemp("entry")
    conference = load_conference("kassel-2023")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        stack, gateway = start_local(
            workdir / "outbox", conference.opens_at + dt.timedelta(days=1), 0, None
        )
        try:
            write_local_state(stack.state())
            yield stack, conference
        finally:
            gateway.stop()
            stack.stop()
            os.environ.clear()
            os.environ.update(saved)
            runtime.reset()


def test_a_script_at_one_address_is_stopped_at_the_limit_and_the_rest_is_flagged(
    local: tuple[LocalStack, Conference],
) -> None:
    stack, conference = local
    script = {"X-Forwarded-For": fake_client("one script")}
    statuses = [
        post_json(
            f"{stack.api_url}/applications",
            scripted_fake(conference, number),
            extra_headers=script,
        )[0]
        for number in range(1, RULE.limit + 6)
    ]

    assert statuses == [202] * RULE.limit + [403] * 5
    stack.pump_streams()  # the submissions answered are registered after the answer
    stored = list(DynamoApplications().list(conference.id))
    assert len(stored) == RULE.limit  # refused requests never reached the api
    # Someone else, at their own address, still gets in.
    other = scripted_fake(conference, 999) | {
        "email": "erika@beispiel.example",
        "given_name": "Erika",
        "family_name": "Musterfrau",
        "organisation": "Gemeinde Beispieldorf",
    }
    headers = {"X-Forwarded-For": fake_client("a real applicant")}
    assert post_json(f"{stack.api_url}/applications", other, extra_headers=headers)[0] == 202

    flagged = json.loads(cli("applications", "suspicious", "--json").stdout)["findings"]
    kinds = {f["kind"]: f["count"] for f in flagged}
    assert kinds["email_domain"] == kinds["similar_names"] == RULE.limit
