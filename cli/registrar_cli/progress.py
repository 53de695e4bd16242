"""A progress bar on standard error for long work; silent when JSON or data go to stdout."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from registrar_cli.context import err_console


@contextmanager
def progress_bar(
    label: str, total: int | None, *, hidden: bool = False
) -> Iterator[Callable[[int], None]]:
    """Yields ``advance(done)``; ``total`` None when unknown (a count, no bar end).

    Shows nothing when ``hidden`` or there is nothing to do.
    """
    if hidden or total == 0:
        yield lambda _done: None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda done: progress.update(task, completed=done)
