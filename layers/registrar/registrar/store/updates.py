"""Optimistic updates of one application: read, change, write on the version read, retry.

Every use case that changes a stored application goes through ``update_application``: the
change is decided on what was read, the write succeeds only if nobody wrote in between
(``ConcurrentUpdate`` otherwise), and then it is decided again on a fresh read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from registrar.application import Application
from registrar.store.interfaces import ApplicationRepository, ConcurrentUpdate

ATTEMPTS = 3


class Change(NamedTuple):
    """The application as stored afterwards (written, or as read); whether it was written."""

    application: Application
    changed: bool


def update_application(
    applications: ApplicationRepository,
    event_id: str,
    key: str,
    mutate: Callable[[Application], bool],
    *,
    current: Application | None = None,
) -> Change | None:
    """Apply ``mutate`` (False: nothing to do) and write; None if there is no such application.

    ``current``: the application as the caller already read it, used for the first try
    (a retry always reads again). Erased applications count as none. Raises
    ``ConcurrentUpdate`` when every attempt lost to another writer.
    """
    application = current
    for _ in range(ATTEMPTS):
        if application is None:
            application = applications.get(event_id, key)
        if application is None or application.erased:
            return None
        if not mutate(application):
            return Change(application, changed=False)
        try:
            return Change(applications.save(application), changed=True)
        except ConcurrentUpdate:
            application = None  # decide again on what the other writer left
    raise ConcurrentUpdate(key)
