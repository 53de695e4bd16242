"""One botocore session per process, and one data loader for any other session.

Every new botocore session registers its ~370 event handlers (about 12 ms) and, with its
own loader, parses botocore's endpoint, partition and service JSON again (about 45 ms more:
a second client from a fresh session 51 ms, sharing the loader 12 ms). The functions' clients
(pynamodb's DynamoDB, SQS, SES, Secrets Manager) are all made from ``session()``; sessions
made elsewhere (boto3 in the CLI and the tests) share the loader at least, which holds
read-only data, the same for all. ``share()`` is idempotent and runs when
``registrar.runtime`` is imported, before any client exists.

The process's session reads botocore's data through a lean copy first, where the build
made one (``write_lean_data``, run by ``registrar.prebuilt``): the five services' models
without their documentation (DynamoDB's 500 KB of JSON become 120 KB) and an endpoints file
naming only those services (1.25 MB become 32 KB). Every start parsed both in full, about
30 ms; what a client does with them is the same (a test compares). It is used only when made
by the installed botocore; a client for another service is refused, as the lean endpoints
do not name it. Knowing that, its loader does not list botocore's whole data folder (about
450 services, twice, about 20 ms of each process's first client) to check that a service
it is asked for exists: it looks for the five alone.

It replaces ``botocore.session.create_loader`` and pynamodb's ``get_session`` (the name its
connections call for a session), neither documented: written for the versions below; a
unit test fails when another one is installed.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import Any, Final

import botocore
import botocore.session
import pynamodb.connection.base
from botocore.exceptions import DataNotFoundError
from botocore.loaders import Loader, create_loader

WRITTEN_FOR: Final = {"botocore": "1.44.8", "pynamodb": "6.1.0"}


@cache
def shared_loader(search_path: str | None) -> Loader:
    """The process's loader for one search path (botocore's ``data_path`` setting)."""
    return create_loader(search_path)


# The services the functions make clients for (pynamodb's DynamoDB among them).
SERVICES: Final = ("dynamodb", "lambda", "secretsmanager", "sesv2", "sqs")
LEAN_DIR: Final = Path(__file__).with_name("botocore_lean")
_MADE_BY = "made-by-botocore"
_DOCUMENTATION = frozenset({"documentation", "documentationUrl"})


class _LeanLoader(Loader):
    """botocore's loader, the lean copy first on its search path, for ``SERVICES`` alone."""

    def list_available_services(self, type_name: str) -> list[str]:
        """Those of ``SERVICES`` that have a ``type_name`` file (botocore's own answer,
        restricted to them, without listing every service's folder)."""
        found = []
        for service in SERVICES:
            try:
                self.list_api_versions(service, type_name)
            except DataNotFoundError:
                continue
            found.append(service)
        return found


@cache
def lean_loader() -> Loader:
    """botocore's data, read from the build's lean copy first when this botocore made it."""
    try:
        made_by = (LEAN_DIR / _MADE_BY).read_text(encoding="utf-8")
    except OSError:
        made_by = ""
    if made_by != botocore.__version__:
        return shared_loader(None)
    return _LeanLoader(extra_search_paths=[str(LEAN_DIR)])


def _without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_documentation(v) for k, v in value.items() if k not in _DOCUMENTATION}
    if isinstance(value, list):
        return [_without_documentation(v) for v in value]
    return value


def lean_service_model(loader: Loader, service: str) -> dict[str, Any]:
    """The service's latest model as botocore has it, without its documentation."""
    model: dict[str, Any] = loader.load_service_model(service, "service-2")
    return dict(_without_documentation(model))


def lean_endpoints(loader: Loader) -> dict[str, Any]:
    """botocore's endpoints file with each partition naming only ``SERVICES``."""
    endpoints: dict[str, Any] = json.loads(json.dumps(loader.load_data("endpoints")))
    for partition in endpoints["partitions"]:
        partition["services"] = {
            name: entry for name, entry in partition["services"].items() if name in SERVICES
        }
    return endpoints


def write_lean_data(target: Path) -> list[Path]:
    """Write the lean copy into ``target`` (the build's ``registrar/botocore_lean``)."""
    loader = create_loader(None)
    written = []
    for service in SERVICES:
        version = loader.determine_latest_version(service, "service-2")
        path = target / service / version / "service-2.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(lean_service_model(loader, service)), encoding="utf-8")
        written.append(path)
    written.append(target / "endpoints.json")
    written[-1].write_text(json.dumps(lean_endpoints(loader)), encoding="utf-8")
    (target / _MADE_BY).write_text(botocore.__version__, encoding="utf-8")
    return written


class _SharedSession(botocore.session.Session):
    """A session whose clients are made one at a time: botocore's sessions are not
    thread-safe (the admissions run's threads may each make their first client at once);
    the clients are, and they are what the threads share after that.

    A client asked for again with the same arguments is the one already made: pynamodb
    makes one client per model (four for three tables, each 3–6 ms of a cold start and its
    own connection pool) where one serves them all. pynamodb registers its ``before-send``
    hook on the client it is given; each adds the headers of its model's ``Meta`` (none
    here), so sharing changes no request.
    """

    def __init__(self) -> None:
        super().__init__()
        self._making = threading.Lock()
        self._clients: dict[str, Any] = {}
        self.register_component("data_loader", lean_loader())

    def create_client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:
        if service_name not in SERVICES:
            raise ValueError(f"{service_name}: not a service of the functions (SERVICES)")
        key = _client_key(service_name, args, kwargs)
        with self._making:
            made = self._clients.get(key)
            if made is None or not _has_credentials(made):
                made = self._clients[key] = super().create_client(service_name, *args, **kwargs)
            return made


def _client_key(service_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """What makes two clients alike: the service, region, endpoint and the options set."""
    config = kwargs.get("config")
    options = sorted((config._user_provided_options if config else {}).items())
    rest = sorted((k, v) for k, v in kwargs.items() if k != "config")
    return repr((service_name, args, rest, options))


def _has_credentials(client: Any) -> bool:
    """False for a client that found no credentials (botocore keeps that answer): a new one
    is made, as pynamodb does for its own."""
    signer = client._request_signer
    return signer is None or bool(signer._credentials)


_session: list[_SharedSession] = []
_session_lock = threading.Lock()


def session(env_vars: Any = None) -> botocore.session.Session:
    """The process's botocore session, made on first use (``env_vars``: botocore's
    ``get_session`` signature, which pynamodb calls; never passed)."""
    with _session_lock:
        if not _session:
            _session.append(_SharedSession())
        return _session[0]


def forget_session() -> None:
    """The next client comes from a new session (tests and the local stack, whose
    environment names another endpoint or account after a restart)."""
    with _session_lock:
        _session.clear()


def share() -> None:
    """Make every botocore session created from now on use the shared loader, and
    pynamodb's connections use the process's session."""
    botocore.session.create_loader = shared_loader
    pynamodb.connection.base.get_session = session  # type: ignore[attr-defined]
