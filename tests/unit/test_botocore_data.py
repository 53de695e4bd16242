"""Every botocore session in the process reads botocore's data through one loader."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.loaders import Loader, create_loader
from botocore.model import ServiceModel, Shape
from botocore.regions import EndpointResolver

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


def _model(loader: Loader, service: str) -> ServiceModel:
    return ServiceModel(loader.load_service_model(service, "service-2"), service)


@pytest.fixture
def lean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loader]:
    """The build's lean copy of botocore's data, written to a folder of its own."""
    botocore_data.write_lean_data(tmp_path)
    monkeypatch.setattr(botocore_data, "LEAN_DIR", tmp_path)
    botocore_data.lean_loader.cache_clear()
    yield botocore_data.lean_loader()
    botocore_data.lean_loader.cache_clear()


@pytest.mark.parametrize("service", botocore_data.SERVICES)
def test_the_lean_models_make_the_same_requests_as_botocores_own(
    lean: Loader, service: str
) -> None:
    full, slim = _model(create_loader(None), service), _model(lean, service)
    assert slim.operation_names == full.operation_names
    assert slim.api_version == full.api_version and slim.protocol == full.protocol
    for name in full.operation_names:
        ours, theirs = slim.operation_model(name), full.operation_model(name)
        for shape in ("input_shape", "output_shape"):
            assert _structure(getattr(ours, shape)) == _structure(getattr(theirs, shape)), name
    assert "documentation" not in json.dumps(lean.load_service_model(service, "service-2"))


def _structure(shape: Shape | None, depth: int = 0) -> Any:
    """A shape's type, constraints and members, as far down as a request can nest."""
    if shape is None or depth > 8:
        return None
    members = getattr(shape, "members", None) or {}
    inner = [getattr(shape, part, None) for part in ("member", "key", "value")]
    return (
        shape.type_name,
        sorted((k, v) for k, v in shape.serialization.items()),
        sorted((k, str(v)) for k, v in shape.metadata.items()),
        {name: _structure(member, depth + 1) for name, member in members.items()},
        [_structure(part, depth + 1) for part in inner if isinstance(part, Shape)],
    )


@pytest.mark.parametrize(
    "type_name", ["service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2", "examples-1"]
)
def test_the_lean_loader_knows_the_functions_services_as_botocore_does(
    lean: Loader, type_name: str
) -> None:
    # It answers without listing botocore's ~450 service folders (about 20 ms a process).
    full = create_loader(None).list_available_services(type_name)
    assert lean.list_available_services(type_name) == [
        service for service in full if service in botocore_data.SERVICES
    ]


def test_a_dynamodb_put_is_serialised_alike_from_the_lean_model(lean: Loader) -> None:
    from botocore.serialize import create_serializer

    item = {"event_id": {"S": "kassel-2023"}, "rankings": {"M": {"d1": {"L": [{"S": "ws"}]}}}}
    params = {"TableName": "t", "Item": item, "ConditionExpression": "attribute_not_exists(k)"}
    requests = [
        create_serializer("json").serialize_to_request(
            params, _model(loader, "dynamodb").operation_model("PutItem")
        )
        for loader in (create_loader(None), lean)
    ]
    assert requests[0] == requests[1]


@pytest.mark.parametrize("region", ["eu-central-1", "us-east-1", "cn-north-1", "us-gov-west-1"])
def test_the_lean_endpoints_resolve_the_functions_services_alike(lean: Loader, region: str) -> None:
    full = EndpointResolver(create_loader(None).load_data("endpoints"))
    slim = EndpointResolver(lean.load_data("endpoints"))
    assert len(json.dumps(lean.load_data("endpoints"))) < 100_000  # botocore's: 1.25 MB
    for service in botocore_data.SERVICES:
        assert slim.construct_endpoint(service, region) == full.construct_endpoint(service, region)
        assert slim.get_partition_for_region(region) == full.get_partition_for_region(region)


def test_the_process_session_reads_the_lean_copy_and_refuses_other_services(
    lean: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    botocore_data.forget_session()
    try:
        assert botocore_data.session().get_component("data_loader") is lean
        with pytest.raises(ValueError, match="s3: not a service of the functions"):
            botocore_data.session().create_client("s3")
    finally:
        botocore_data.forget_session()


def test_a_lean_copy_made_by_another_botocore_is_not_read(
    lean: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    (botocore_data.LEAN_DIR / "made-by-botocore").write_text("1.0.0", encoding="utf-8")
    botocore_data.lean_loader.cache_clear()
    assert botocore_data.lean_loader() is botocore_data.shared_loader(None)


def test_every_table_s_model_shares_one_dynamodb_client(monkeypatch: pytest.MonkeyPatch) -> None:
    # pynamodb makes a client per model: one serves them all (a cold start makes one).
    from registrar.store import models

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    botocore_data.share()
    botocore_data.forget_session()
    models.bind_tables(applications="a", runs="r", messages="m")
    tables = (
        models.ApplicationItem,
        models.ReceivedItem,
        models.RunItem,
        models.OrganisationAliasesItem,
        models.MessageItem,
    )
    clients = {id(model._get_connection().connection.client) for model in tables}
    assert len(clients) == 1
    botocore_data.forget_session()


def test_a_client_asked_for_with_other_settings_or_without_credentials_is_a_new_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from botocore.config import Config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    botocore_data.forget_session()
    session = botocore_data.session()

    def client(**kwargs: Any) -> Any:
        return session.create_client("sqs", region_name="eu-central-1", **kwargs)

    first = client(config=Config(max_pool_connections=32))
    assert client(config=Config(max_pool_connections=32)) is first
    assert client(config=Config(max_pool_connections=10)) is not first
    assert client(config=Config(max_pool_connections=32), endpoint_url="http://x") is not first
    assert session.create_client("sqs", region_name="eu-west-1") is not first
    # botocore keeps a client's missing credentials: pynamodb then asks for a new client.
    monkeypatch.setattr(first._request_signer, "_credentials", None)
    assert client(config=Config(max_pool_connections=32)) is not first
    botocore_data.forget_session()
