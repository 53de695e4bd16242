"""The organiser CLI against one embedded local stack, seeded and past the deadline.

The e2e modules of the command line share this: a stack started in a work folder, fake
applicants seeded and confirmed through the HTTP API, what a test wants done before the
deadline, then the clock moved five minutes past it so the deadline run has decided.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from registrar import runtime
from registrar.conference import Conference, load_conference
from registrar_cli.main import app
from registrar_cli.target import write_local_state
from registrar_local.demo import start_local
from registrar_local.stack import LocalStack


def cli(*args: str, input: str | None = None) -> Result:
    """``registrar --local ARGS`` in this process."""
    return CliRunner().invoke(app, ["--local", *args], input=input)


@contextmanager
def seeded_stack_past_deadline(
    workdir: Path,
    applicants: int,
    before_deadline: Callable[[], Any] = lambda: None,
) -> Iterator[tuple[LocalStack, Conference, Any]]:
    """The stack, its conference and what ``before_deadline`` returned; torn down after."""
    saved = dict(os.environ)
    conference = load_conference("kassel-2023")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(workdir)
        stack, gateway = start_local(
            workdir / "outbox", conference.opens_at + dt.timedelta(days=1), 0, None
        )
        try:
            write_local_state(stack.state())
            seeded = cli("local", "seed", "--applicants", str(applicants), "--json")
            assert json.loads(seeded.stdout)["confirmed"] == applicants, seeded.output
            early = before_deadline()
            after = (conference.closes_at + dt.timedelta(minutes=5)).isoformat()
            moved = cli("local", "clock", "--to", after)
            assert moved.exit_code == 0, moved.output
            yield stack, conference, early
        finally:
            gateway.stop()
            stack.stop()
            os.environ.clear()
            os.environ.update(saved)
            runtime.reset()
