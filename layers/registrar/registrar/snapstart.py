"""SnapStart's runtime hooks: nothing unique or secret is frozen into the api's snapshot.

With SnapStart (the api function's published versions in production, infra/template.yaml)
Lambda runs the function's initialisation once, when a version is published, snapshots the
memory and resumes every new instance from that snapshot. Whatever the snapshot holds,
every instance shares, for as long as the version lives. So:

- before the snapshot, kept secrets are forgotten (``registrar.secret_values``, which
  holds a secret once fetched; nothing else keeps one) and garbage is collected.
  Initialisation answers no request, so no applicant's data is in memory at that moment;
- after each restore, the ``random`` module is re-seeded from the operating system (else
  every instance would draw the same sequence) and the secret caches are emptied again,
  so the token secret is fetched by the instance that uses it and kept at most
  ``runtime.TOKEN_SECRET_MAX_AGE_SECONDS``.

Ids, tokens and lottery seeds never come from ``random``'s state: they are drawn from the
operating system at each call (``secrets``). No AWS client is made at initialisation, so no
credentials are resolved before the snapshot; under SnapStart Lambda hands them to the SDK
through the container credentials endpoint, which botocore reads when a client first asks.

``snapshot_restore_py`` exists only in the Lambda runtime: elsewhere (tests, the local
stack) nothing registers the hooks, and tests call them directly.
"""

from __future__ import annotations

import gc
import random
import sys


def forget_secrets() -> None:
    """Empty the kept secret values and the link keyrings parsed from them, if any."""
    runtime = sys.modules.get("registrar.runtime")
    if runtime is not None:
        runtime.forget_secrets()


def before_snapshot() -> None:
    forget_secrets()
    gc.collect()


def after_restore() -> None:
    random.seed()  # from os.urandom: each restored instance draws its own sequence
    forget_secrets()


def register() -> bool:
    """Register the hooks with Lambda's runtime; False where there is no such runtime."""
    try:
        from snapshot_restore_py import (  # type: ignore[import-not-found]  # Lambda only
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:
        return False
    register_before_snapshot(before_snapshot)
    register_after_restore(after_restore)
    return True
