"""SnapStart and the token secret: the api's start fetches no secret, and a secret fetched
before a snapshot is not what a restored instance uses (it fetches it again)."""

from __future__ import annotations

import boto3

from registrar import runtime, snapstart
from registrar.store.models import ApplicationItem
from registrar_local.functions import load_handler
from registrar_local.infra import template as tpl
from tests.support.stack import REGION, Deployed


def _rotate(deployed: Deployed, value: str) -> str:
    arn = deployed.stack.function_environment("ApiFunction")["TOKEN_SECRET_ARN"]
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(
        SecretId=arn, SecretString=value
    )
    return arn


def test_the_api_starts_without_fetching_the_token_secret_or_making_a_client(
    deployed: Deployed,
) -> None:
    runtime.reset()
    spec = tpl.functions(deployed.stack.template)["ApiFunction"]
    load_handler(spec, tpl.template_path())  # the api's initialisation: what a snapshot holds
    assert runtime.cached_secrets() == 0
    # No AWS client either, so no credentials resolved before a snapshot.
    assert ApplicationItem._connection is None
    assert "mail_queue" not in vars(runtime.current())


def test_a_secret_cached_before_the_snapshot_is_fetched_again_after_restore(
    deployed: Deployed,
) -> None:
    arn = _rotate(deployed, "secret-at-publish-time-0123456789abcdef")
    runtime.reset()
    assert runtime.secret(arn) == "secret-at-publish-time-0123456789abcdef"  # kept
    _rotate(deployed, "secret-rotated-since-then-0123456789abcdef")
    assert runtime.secret(arn) == "secret-at-publish-time-0123456789abcdef"
    snapstart.before_snapshot()
    assert runtime.cached_secrets() == 0  # nothing secret in the snapshot
    snapstart.after_restore()
    assert runtime.secret(arn) == "secret-rotated-since-then-0123456789abcdef"
    assert runtime.cached_secrets() == 1  # the new value, kept for at most the max age
