"""Every botocore session in the process reads botocore's data through one loader."""

from __future__ import annotations

import boto3
import botocore.session
import pytest

from registrar import botocore_data, runtime


def test_sessions_made_after_the_runtime_loads_share_one_loader() -> None:
    assert runtime.TOKEN_SECRET_MAX_AGE_SECONDS  # importing the runtime shares the loader
    first, second = botocore.session.get_session(), botocore.session.get_session()
    assert first is not second
    assert first.get_component("data_loader") is second.get_component("data_loader")
    assert boto3.Session()._session.get_component("data_loader") is first.get_component(
        "data_loader"
    )


def test_a_different_data_path_gets_its_own_loader() -> None:
    botocore_data.share()
    default = botocore_data.shared_loader(None)
    other = botocore_data.shared_loader("/nonexistent/models")
    assert other is not default
    assert "/nonexistent/models" in other.search_paths


def test_clients_from_sessions_sharing_the_loader_keep_their_own_service_models() -> None:
    botocore_data.share()
    sqs = botocore.session.get_session().create_client("sqs", region_name="eu-central-1")
    dynamodb = boto3.client("dynamodb", region_name="eu-central-1")
    assert sqs.meta.service_model.service_name == "sqs"
    assert dynamodb.meta.service_model.service_name == "dynamodb"
    assert "SendMessageBatch" in sqs.meta.service_model.operation_names


def test_pynamodb_and_the_functions_clients_come_from_one_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pynamodb.connection.base

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    botocore_data.share()
    botocore_data.forget_session()
    connection = pynamodb.connection.base.Connection(region="eu-central-1")
    assert connection.session is botocore_data.session()
    assert runtime.aws_client("sqs").meta.service_model.service_name == "sqs"
    botocore_data.forget_session()
    assert botocore_data.session() is not connection.session  # a restarted stack's new one
