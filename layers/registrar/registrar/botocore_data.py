"""One botocore session per process, and one data loader for any other session.

Every new botocore session registers its ~370 event handlers (about 12 ms) and, with its
own loader, parses botocore's endpoint, partition and service JSON again (about 45 ms more:
a second client from a fresh session 51 ms, sharing the loader 12 ms). The functions' clients
(pynamodb's DynamoDB, SQS, SES, Secrets Manager) are all made from ``session()``; sessions
made elsewhere (boto3 in the CLI and the tests) share the loader at least, which holds
read-only data, the same for all. ``share()`` is idempotent and runs when
``registrar.runtime`` is imported, before any client exists.

It replaces ``botocore.session.create_loader`` and pynamodb's ``get_session`` (the name its
connections call for a session), neither documented: written for the versions below; a
unit test fails when another one is installed.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any, Final

import botocore.session
import pynamodb.connection.base
from botocore.loaders import Loader, create_loader

WRITTEN_FOR: Final = {"botocore": "1.44.8", "pynamodb": "6.1.0"}


@cache
def shared_loader(search_path: str | None) -> Loader:
    """The process's loader for one search path (botocore's ``data_path`` setting)."""
    return create_loader(search_path)


class _SharedSession(botocore.session.Session):
    """A session whose clients are made one at a time: botocore's sessions are not
    thread-safe (the admissions run's threads may each make their first client at once);
    the clients are, and they are what the threads share after that."""

    def __init__(self) -> None:
        super().__init__()
        self._making = threading.Lock()

    def create_client(self, *args: Any, **kwargs: Any) -> Any:
        with self._making:
            return super().create_client(*args, **kwargs)


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
