"""Bar charts for the report, drawn by matplotlib (Agg) as SVG to inline in the page.

Text stays text in the SVG (searchable, sharp in print, no embedded font); each chart gets
its own id salt so that clip paths and markers of several charts in one page never clash.
The page shows every chart's numbers as a table too: the chart is never the only source.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

LABEL_WIDTH = 36  # characters on one line of a category's label
PALETTE = ("#1f5f8b", "#a9c6de", "#e0a030")  # dark blue, light blue, amber: print in grey too
_STYLE: dict[Any, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def bar_chart(
    chart_id: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    horizontal: bool = False,
    share: Callable[[float], str] | None = None,
) -> str:
    """Grouped bars, one group per category and one bar per series; SVG markup.

    With ``share`` the values are fractions of 1, written by ``share`` (e.g. ``96 %``) on
    the bars and the axis."""
    with plt.rc_context(_STYLE | {"svg.hashsalt": chart_id}):
        labels_wrapped = [textwrap.fill(c, LABEL_WIDTH) for c in categories]
        # Each category's row is as tall as its bars or its longest wrapped label, whichever
        # needs more, so that a label of several lines never runs into the next one.
        lines = max((label.count("\n") + 1 for label in labels_wrapped), default=1)
        row = max(0.16 * max(1, len(series)), 0.15 * lines + 0.05)
        height = max(2.2, row * len(categories) + 0.8) if horizontal else 2.6
        figure, axes = plt.subplots(figsize=(7.2, height))
        positions = list(range(len(categories)))
        width = 0.8 / max(1, len(series))
        for index, (label, values) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            colour = PALETTE[index % len(PALETTE)]
            if horizontal:
                drawn = axes.barh(offsets, values, height=width, label=label, color=colour)
            else:
                drawn = axes.bar(offsets, values, width=width, label=label, color=colour)
            labels = [share(v) if share else f"{v:g}" for v in values]
            axes.bar_label(drawn, labels=labels, padding=2, fontsize=7)
        if horizontal:
            # Long labels (a group's full name) wrap, so the plot keeps its width.
            axes.set_yticks(positions, labels_wrapped)
            axes.invert_yaxis()
            axes.margins(x=0.12)
        else:
            axes.set_xticks(positions, list(categories))
            axes.margins(y=0.15)
        if share:
            axis = axes.xaxis if horizontal else axes.yaxis
            axis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: share(v)))
        if len(series) > 1:  # above the plot, where it never hides a bar
            axes.legend(
                frameon=False,
                fontsize=8,
                loc="lower left",
                bbox_to_anchor=(0, 1.0),
                ncols=len(series),
            )
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    return inline(buffer.getvalue())


def inline(svg: str) -> str:
    """The SVG as markup for an HTML page: no XML declaration, doctype or RDF metadata,
    and no namespace declarations (HTML's parser gives ``<svg>`` and ``xlink:href`` their
    namespaces itself), so the page names no other address at all."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    return re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
