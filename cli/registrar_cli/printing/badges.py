"""Name badges: 90 × 55 mm, ten to an A4 sheet (two across, five down), with cut lines.

Each badge shows the event, the person's academic title (when known), name, function (when
known), organisation and Kommune, and their workshops and city-tour place in small print.
Text never runs over the edge: the name shrinks until it fits on one line, or splits into
given and family name on two; other lines shrink, then wrap, then end with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import cast

from fpdf import FPDF

from registrar.conference import Conference
from registrar.i18n import language
from registrar_cli.printing.attendees import Attendee
from registrar_cli.printing.fonts import FAMILY, add_fonts

BADGE_WIDTH_MM = 90
BADGE_HEIGHT_MM = 55
COLUMNS, ROWS = 2, 5
PADDING_MM = 5
NAME_SIZES_PT = (20, 8)  # largest, smallest for the name
ACCENT = (0, 84, 135)  # the badge's band: dark blue, legible when printed in grey
_PAGE_WIDTH, _PAGE_HEIGHT = 210, 297
_LEFT = (_PAGE_WIDTH - COLUMNS * BADGE_WIDTH_MM) / 2
_TOP = (_PAGE_HEIGHT - ROWS * BADGE_HEIGHT_MM) / 2
_PT = 0.3528  # one point in millimetres


def write_badges(
    attendees: Sequence[Attendee], conference: Conference, lang: str, output: Path
) -> Path:
    """Write one badge per attendee, in the order given, into an A4 PDF."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    add_fonts(pdf)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    per_page = COLUMNS * ROWS
    for index, person in enumerate(attendees):
        if index % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf)
        row, column = divmod(index % per_page, COLUMNS)
        _badge(
            pdf,
            person,
            conference,
            lang,
            _LEFT + column * BADGE_WIDTH_MM,
            _TOP + row * BADGE_HEIGHT_MM,
        )
    if not attendees:
        pdf.add_page()
    pdf.output(str(output))
    return output


def _cut_lines(pdf: FPDF) -> None:
    """Dashed lines along every badge edge, running to the sheet's edge for the cutter."""
    pdf.set_draw_color(160, 160, 160)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    for column in range(COLUMNS + 1):
        x = _LEFT + column * BADGE_WIDTH_MM
        pdf.line(x, 0, x, _PAGE_HEIGHT)
    for row in range(ROWS + 1):
        y = _TOP + row * BADGE_HEIGHT_MM
        pdf.line(0, y, _PAGE_WIDTH, y)
    pdf.set_dash_pattern()


def _badge(
    pdf: FPDF, person: Attendee, conference: Conference, lang: str, x: float, y: float
) -> None:
    inner = BADGE_WIDTH_MM - 2 * PADDING_MM
    left = x + PADDING_MM
    # The band with the event's name and dates.
    pdf.set_fill_color(*ACCENT)
    pdf.rect(x, y, BADGE_WIDTH_MM, 9, style="F")
    pdf.set_text_color(255, 255, 255)
    short = conference.organiser.short_name or conference.title
    band = f"{conference.text(short, lang)} · {language(lang).date_span(conference.dates)}"
    _fit_line(pdf, band, left, y + 2.2, inner, 8, 5.5, bold=True)
    pdf.set_text_color(0, 0, 0)

    top = y + 13
    if person.salutation:
        _fit_line(pdf, person.salutation, left, top, inner, 8, 6)
        top += 4
    top = _name(pdf, person, left, top, inner)
    if person.function:
        top = _wrapped(pdf, person.function, left, top + 1, inner, 9, 7, lines=1)
    if person.affiliation:
        _wrapped(pdf, person.affiliation, left, top + 1, inner, 9, 7, lines=2)
    _small_print(pdf, person, conference, lang, left, y + BADGE_HEIGHT_MM - PADDING_MM, inner)


def _name(pdf: FPDF, person: Attendee, left: float, top: float, width: float) -> float:
    """The name on one line, as large as fits; else given and family name on two."""
    largest, smallest = NAME_SIZES_PT
    size = _fitting_size(pdf, person.name, width, largest, smallest, bold=True)
    if size is not None:
        _fit_line(pdf, person.name, left, top, width, size, size, bold=True)
        return top + size * _PT * 1.25
    first = " ".join(part for part in (person.title, person.given_name) if part)
    lines = [line for line in (first, person.family_name) if line]
    size = min(
        _fitting_size(pdf, line, width, largest - 4, smallest, bold=True) or smallest
        for line in lines
    )
    for line in lines:
        _fit_line(pdf, line, left, top, width, size, size, bold=True)
        top += size * _PT * 1.2
    return top


def _small_print(
    pdf: FPDF,
    person: Attendee,
    conference: Conference,
    lang: str,
    left: float,
    bottom: float,
    width: float,
) -> None:
    """The person's workshops (and city-tour place), in the last lines above the bottom edge."""
    day = language(lang).day_month
    lines = [
        " · ".join(
            part for part in (f"{day(w.date)} {w.start}", w.title.split(":")[0], w.room) if part
        )
        for w in person.workshops
    ]
    for extra_id in person.extras:
        extra = conference.extra(extra_id)  # noqa: S610  (not Django)
        title = conference.text(extra.title, lang).split(":")[0]
        lines.append(f"{day(extra.date)} {extra.start} · {title}")
    size = 6.5
    line_height = size * _PT * 1.3
    top = bottom - len(lines) * line_height
    for line in lines:
        _fit_line(pdf, line, left, top, width, size, 5)
        top += line_height


def _fitting_size(
    pdf: FPDF, text: str, width: float, largest: float, smallest: float, *, bold: bool = False
) -> float | None:
    """The largest size (half-point steps) at which ``text`` fits ``width``, if any."""
    pdf.set_font(FAMILY, "B" if bold else "", largest)
    natural = pdf.get_string_width(text)
    if natural <= width:
        return largest
    size = largest * width / natural  # string width grows linearly with the size
    size = int(size * 2) / 2
    return size if size >= smallest else None


def _fit_line(
    pdf: FPDF,
    text: str,
    left: float,
    top: float,
    width: float,
    largest: float,
    smallest: float,
    *,
    bold: bool = False,
) -> None:
    """One line, shrunk to fit; at the smallest size, cut with an ellipsis."""
    size = _fitting_size(pdf, text, width, largest, smallest, bold=bold)
    if size is None:
        size = smallest
        pdf.set_font(FAMILY, "B" if bold else "", size)
        while text and pdf.get_string_width(text + "…") > width:
            text = text[:-1]
        text = text.rstrip() + "…"
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_xy(left, top)
    pdf.cell(width, size * _PT * 1.2, text)


def _wrapped(
    pdf: FPDF,
    text: str,
    left: float,
    top: float,
    width: float,
    largest: float,
    smallest: float,
    *,
    lines: int,
) -> float:
    """Up to ``lines`` lines, shrinking first; returns where the next line starts."""
    size = largest
    while True:
        pdf.set_font(FAMILY, "", size)
        lines_out = pdf.multi_cell(width, size * _PT * 1.2, text, dry_run=True, output="LINES")
        wrapped = cast("list[str]", lines_out)
        if len(wrapped) <= lines or size <= smallest:
            break
        size -= 0.5
    for number, line in enumerate(wrapped[:lines]):
        last = number == lines - 1 and len(wrapped) > lines
        shown = " ".join(wrapped[number:]) if last else line
        _fit_line(pdf, shown, left, top, width, size, size)
        top += size * _PT * 1.2
    return top
