"""One botocore data loader per process, shared by every botocore session.

pynamodb, boto3 and Powertools' parameters each build their own botocore session, and each
new session parses botocore's endpoint, partition and service JSON again: about 45 ms per
extra session on a cold start (measured: a second client from a fresh session 51 ms,
sharing the loader 12 ms). The data is read-only and the same for all of them, so one
loader (cached per search path) serves all sessions. ``share()`` is idempotent and runs
when ``registrar.runtime`` is imported, before any client exists.

It replaces ``botocore.session.create_loader``, which botocore does not document: written
for the version below; a unit test fails when another one is installed.
"""

from __future__ import annotations

from functools import cache
from typing import Final

import botocore.session
from botocore.loaders import Loader, create_loader

WRITTEN_FOR: Final = {"botocore": "1.44.8"}


@cache
def shared_loader(search_path: str | None) -> Loader:
    """The process's loader for one search path (botocore's ``data_path`` setting)."""
    return create_loader(search_path)


def share() -> None:
    """Make every botocore session created from now on use the shared loader."""
    botocore.session.create_loader = shared_loader
