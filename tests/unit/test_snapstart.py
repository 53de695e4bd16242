"""SnapStart's hooks: a restored instance draws its own random numbers, and the hooks are
registered with Lambda's runtime where it exists (``snapshot_restore_py``)."""

from __future__ import annotations

import random
import sys
import types
from collections.abc import Callable

import pytest

from registrar import snapstart


def test_without_the_hook_every_restored_instance_would_draw_the_same_numbers() -> None:
    random.seed(2023)  # whatever state initialisation left in the snapshot
    frozen = random.getstate()
    first_instance = [random.random() for _ in range(3)]
    random.setstate(frozen)  # a second instance resumed from the same snapshot
    assert [random.random() for _ in range(3)] == first_instance


def test_after_restore_each_instance_draws_its_own_numbers() -> None:
    random.seed(2023)
    frozen = random.getstate()
    draws = []
    for _ in range(2):  # two instances resumed from the same snapshot
        random.setstate(frozen)
        snapstart.after_restore()
        draws.append([random.random() for _ in range(3)])
    assert draws[0] != draws[1]


def test_outside_lambda_nothing_is_registered() -> None:
    assert "snapshot_restore_py" not in sys.modules
    assert snapstart.register() is False


def test_in_lambda_both_hooks_are_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    registered: dict[str, Callable[[], None]] = {}
    runtime_module = types.ModuleType("snapshot_restore_py")  # as Lambda's runtime has it
    runtime_module.register_before_snapshot = lambda hook: registered.setdefault("before", hook)  # type: ignore[attr-defined]
    runtime_module.register_after_restore = lambda hook: registered.setdefault("after", hook)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", runtime_module)
    assert snapstart.register() is True
    assert registered == {"before": snapstart.before_snapshot, "after": snapstart.after_restore}
