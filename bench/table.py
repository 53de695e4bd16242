"""A benchmark's rows printed as a right-aligned plain-text table on the console."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def print_rows(rows: Sequence[dict[str, Any]]) -> None:
    columns = list(rows[0])
    widths = [max(len(c), 8) for c in columns]
    print("  ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).rjust(w) for c, w in zip(columns, widths, strict=True)))
