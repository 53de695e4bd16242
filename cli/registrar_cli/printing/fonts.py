"""The typeface of the PDFs: DejaVu Sans, as it ships inside matplotlib.

DejaVu covers German (ä, ö, ü, ß) and the rest of Latin, Greek and Cyrillic, is free to
embed, and comes with matplotlib (a dependency already), so no font file lives in the
repository and no system package is needed.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fpdf import FPDF

FAMILY = "DejaVu"


def _font_file(name: str) -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def add_fonts(pdf: FPDF) -> None:
    """Register regular and bold DejaVu Sans as ``FAMILY`` in ``pdf``."""
    pdf.add_font(FAMILY, "", str(_font_file("DejaVuSans.ttf")))
    pdf.add_font(FAMILY, "B", str(_font_file("DejaVuSans-Bold.ttf")))
