"""Sign-in lists (Teilnahmelisten): one per event day, or one per workshop and room.

Each list is A4 portrait with the event's title, the day (and workshop, room and time),
the number of participants, and one row per participant sorted by family name as German
lists sort (see ``attendees``), with an empty column to sign in. The header row repeats
on every page; the footer numbers the pages of the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from registrar.conference import Conference
from registrar.i18n import language
from registrar_cli.printing.attendees import Attendee
from registrar_cli.printing.fonts import FAMILY, add_fonts

ROW_HEIGHT_MM = 11  # room for a signature


class SigninError(ValueError):
    """The lists cannot be made as asked; the message is one sentence for the organiser."""


@dataclass(frozen=True, slots=True)
class SigninList:
    """One list: a heading, the people on it, and whether it shows their workshop."""

    day: dt.date
    subtitle: str  # the workshop and room, or "" for the whole day
    people: tuple[Attendee, ...]
    show_workshop: bool


def event_days(conference: Conference, day: dt.date | None) -> list[dt.date]:
    """The event's days, or the one asked for if it is one of them."""
    if day is None:
        return list(conference.dates)
    if day not in conference.dates:
        words = language(conference.default_language)  # the CLI's dates: the event's
        known = ", ".join(words.date_short(d) for d in conference.dates)
        raise SigninError(f"{words.date_short(day)} is not a day of the event ({known}).")
    return [day]


def day_lists(
    attendees: Sequence[Attendee], conference: Conference, day: dt.date | None
) -> list[SigninList]:
    """Everybody accepted, once per event day: on each day's list those who attend it."""
    slot_days = {slot.date for slot in conference.workshop_slots}
    return [
        SigninList(d, "", tuple(a for a in attendees if a.attends(d)), show_workshop=d in slot_days)
        for d in event_days(conference, day)
    ]


def workshop_lists(
    attendees: Sequence[Attendee], conference: Conference, day: dt.date | None, lang: str
) -> list[SigninList]:
    """One list per workshop on the chosen days, with its room and time."""
    words = language(lang)
    lists: list[SigninList] = []
    for d in event_days(conference, day):
        for slot in (s for s in conference.workshop_slots if s.date == d):
            for workshop in slot.workshops:
                booked = (slot.id, workshop.id)
                people = tuple(
                    a
                    for a in attendees
                    if booked in {(w.slot_id, w.workshop_id) for w in a.workshops}
                )
                when = words.time_range(slot.start, slot.end)
                room = (
                    words.text("signin.room", room=workshop.room, when=when)
                    if workshop.room
                    else words.text("signin.time", when=when)
                )
                heading = f"{conference.text(workshop.title, lang)}\n{room}"
                lists.append(SigninList(d, heading, people, show_workshop=False))
    return lists


class _SigninPdf(FPDF):
    def __init__(self, page_label: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._page_label = page_label
        add_fonts(self)
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        label = self._page_label.format(page=self.page_no(), pages="{nb}")
        self.cell(0, 5, label, align="R")


def write_signin(
    lists: Sequence[SigninList], conference: Conference, lang: str, output: Path
) -> Path:
    """Write the lists, each starting on a new page, into one PDF."""
    words = language(lang)
    text = words.section("signin")
    pdf = _SigninPdf(text["page"])
    for signin in lists:
        pdf.add_page()
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 4.5, conference.text(conference.title, lang), align="L", new_x="LMARGIN")
        pdf.set_font(FAMILY, "B", 15)
        heading = f"{text['list']} · {words.date(signin.day)}"
        pdf.multi_cell(0, 8, heading, align="L", new_x="LMARGIN")
        if signin.subtitle:
            pdf.set_font(FAMILY, "B", 11)
            pdf.multi_cell(0, 6, signin.subtitle, align="L", new_x="LMARGIN")
        pdf.set_font(FAMILY, size=10)
        pdf.cell(
            0, 7, text["participants"].format(n=len(signin.people)), new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(2)
        if not signin.people:
            pdf.cell(0, 7, text["none"], new_x="LMARGIN", new_y="NEXT")
            continue
        _table(pdf, signin, text)
    pdf.output(str(output))
    return output


def _table(pdf: FPDF, signin: SigninList, text: Mapping[str, str]) -> None:
    headings = [text["number"], text["name"], text["affiliation"]]
    widths = [10, 45, 65 if not signin.show_workshop else 44]
    if signin.show_workshop:
        headings.append(text["workshop"])
        widths.append(29)
    headings.append(text["signature"])
    widths.append(180 - sum(widths))
    pdf.set_font(FAMILY, size=9)
    with pdf.table(
        col_widths=widths,
        width=180,
        line_height=4.5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
        text_align="LEFT",
        v_align="MIDDLE",
        repeat_headings=1,
    ) as table:
        table.row(headings)
        for number, person in enumerate(signin.people, start=1):
            cells = [str(number), _listed_name(person), person.affiliation]
            if signin.show_workshop:
                booked = person.workshop_on(signin.day)
                cells.append(_short(booked.title) + f" ({booked.room})" if booked else "")
            cells.append("")
            table.row(cells, min_height=ROW_HEIGHT_MM)


def _listed_name(person: Attendee) -> str:
    given = " ".join(part for part in (person.title, person.given_name) if part)
    return f"{person.family_name}, {given}" if given else person.family_name


def _short(title: str) -> str:
    """'WS II' from 'WS II: Dritte Orte …': the part before the colon."""
    return title.split(":", maxsplit=1)[0]
