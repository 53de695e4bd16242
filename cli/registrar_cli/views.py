"""How applications look at a terminal: the list (columns, filters, order) and one application.

Pure: rows in, Rich renderables out. The list's default columns fit 80 characters
(name wraps, organisation is cut with an ellipsis); ``--wide`` or ``--columns`` shows more.
Every stored value passes through ``shown`` (see ``registrar_cli.text``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from registrar.application import STATUSES, Application, Status
from registrar.attendance import days_text
from registrar.conference import Conference
from registrar.i18n import translate
from registrar_cli.labels import status_text, workshop_label
from registrar_cli.text import event_day, local_time, plural, shown

StatusFilter = Literal[Status, "unconfirmed"]
SortKey = Literal["status", "ref", "name", "organisation", "submitted"]
ColumnName = Literal[
    "ref",
    "name",
    "organisation",
    "municipality",
    "email",
    "group",
    "days",
    "status",
    "confirmed",
    "submitted",
    "workshops",
    "extras",
]
ALL_COLUMNS: tuple[ColumnName, ...] = get_args(ColumnName)
DEFAULT_COLUMNS: tuple[ColumnName, ...] = (
    "ref",
    "name",
    "organisation",
    "days",
    "status",
    "extras",
)


def parse_columns(text: str) -> tuple[ColumnName, ...]:
    """``ref,name,email`` -> the columns, in that order; ValueError names an unknown one."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [c for c in chosen if c not in ALL_COLUMNS]
    if unknown or not chosen:
        raise ValueError(
            f"{', '.join(unknown) or 'none given'}: choose from {', '.join(ALL_COLUMNS)}"
        )
    return tuple(c for c in ALL_COLUMNS if c in chosen)


def table(title: str) -> Table:
    """A plain table: no vertical rules, so the columns keep the room."""
    return Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        title=title,
        title_justify="left",
    )


def plain(text: str) -> str:
    """For sorting as a German phone book does (DIN 5007-1: ä as a, ß as ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matches(application: Application, status: StatusFilter | None, group: str | None) -> bool:
    if application.erased or (group is not None and application.group != group):
        return False
    if status == "unconfirmed":
        return not application.confirmed
    return status is None or application.status == status


def ordered(applications: Iterable[Application], sort: SortKey) -> list[Application]:
    """By status (waiting list in its order), reference, name, organisation or submission."""
    order = {s: i for i, s in enumerate(STATUSES)}

    def by_name(a: Application) -> tuple[str, str]:
        return plain(a.family_name), plain(a.given_name)

    keys: dict[SortKey, Any] = {
        "status": lambda a: (order[a.status], a.waitlist_position or 0, *by_name(a)),
        "ref": lambda a: a.public_id,
        "name": lambda a: (*by_name(a), a.public_id),
        "organisation": lambda a: (plain(a.organisation), *by_name(a)),
        "submitted": lambda a: (a.submitted_at, a.public_id),
    }
    return sorted(applications, key=keys[sort])


def status_cell(application: Application) -> str:
    """``waitlisted #3``; a new application whose address is not confirmed: ``unconfirmed``."""
    if application.status == "new" and not application.confirmed:
        return "unconfirmed"
    position = f" #{application.waitlist_position}" if application.waitlist_position else ""
    return f"{application.status}{position}"


def days_cell(application: Application, conference: Conference) -> str:
    """``all`` for every day of the event, else the days attended (``12.05.``)."""
    attended = conference.attended_days(application.days)
    if len(attended) == len(conference.dates):
        return "all"
    return " ".join(event_day(day, conference) for day in attended)


def applications_table(
    rows: Sequence[Application],
    conference: Conference,
    columns: Sequence[ColumnName],
    *,
    wide: bool = False,
) -> Table:
    """The list as ``applications list`` prints it; ``wide`` cuts no organisation short."""
    result = table(plural(len(rows), "application"))
    cells: list[list[str]] = [[] for _ in rows]

    def add(header: str, values: Iterable[str], **style: Any) -> None:
        result.add_column(header, **style)
        for row_cells, value in zip(cells, values, strict=True):
            row_cells.append(shown(value))

    for column in columns:
        if column == "ref":
            add("ref", (r.public_id for r in rows), no_wrap=True, min_width=11)
        elif column == "name":
            add("name", (r.display_name for r in rows), min_width=12, overflow="fold")
        elif column == "organisation":
            add(
                "organisation",
                (r.organisation for r in rows),
                max_width=None if wide else 22,
                no_wrap=True,
                overflow="ellipsis",
            )
        elif column == "municipality":
            add("Kommune", (r.municipality for r in rows), max_width=20, overflow="fold")
        elif column == "email":
            add("email", (r.email for r in rows), overflow="fold")
        elif column == "group":
            add("group", (r.group for r in rows), overflow="ellipsis")
        elif column == "days":
            if len(conference.dates) > 1:  # a one-day event has nothing to choose
                add("days", (days_cell(r, conference) for r in rows), no_wrap=True)
        elif column == "status":
            add("status", (status_cell(r) for r in rows), no_wrap=True)
        elif column == "confirmed":
            add("conf.", ("yes" if r.confirmed else "no" for r in rows))
        elif column == "submitted":
            add("submitted", (local_time(r.submitted_at, conference) for r in rows))
        elif column == "workshops":
            for slot in conference.workshop_slots:
                add(
                    event_day(slot.date, conference),
                    (
                        workshop_label(conference, slot.id, r.workshops.get(slot.id), room=False)
                        for r in rows
                    ),
                    no_wrap=True,
                )
        else:
            for extra in conference.extras:
                add(
                    extra.id.replace("_", " "),
                    (r.extras.get(extra.id, "") for r in rows),
                    no_wrap=True,
                )
    for row_cells in cells:
        result.add_row(*row_cells)
    return result


def application_view(
    application: Application, conference: Conference, run_numbers: Mapping[str, int] | None = None
) -> list[RenderableType]:
    """One application: who, where it stands, what they chose, and its history.

    ``run_numbers`` (run id -> #n, as ``admissions history`` numbers them) names the runs
    that decided.
    """
    a = application
    position = f", #{a.waitlist_position} on the waiting list" if a.waitlist_position else ""
    facts: list[tuple[str, str]] = [
        ("salutation", salutation(a, conference.default_language)),
        ("title", a.title),
        ("function", a.function),
        ("organisation", f"{a.organisation}, {a.municipality} ({a.region})"),
        ("group", f"{a.group} (role {a.role})" if a.role and a.role != a.group else a.group),
        ("days", days_text(conference, a.days, conference.default_language)),
        ("status", f"{status_text(a, conference.default_language)} ({a.status}{position})"),
        ("confirmed", local_time(a.confirmed_at, conference) or "no"),
        ("submitted", local_time(a.submitted_at, conference)),
        ("language", a.language),
        ("offer expires", local_time(a.offer_expires_at, conference)),
    ]
    for slot in conference.workshop_slots:
        if not a.attends_day(slot.date):
            facts.append(
                (f"workshop {event_day(slot.date, conference)}", "- (not attending that day)")
            )
            continue
        ranking = ", ".join(
            workshop_label(conference, slot.id, w, room=False) for w in a.rankings.get(slot.id, [])
        )
        held = workshop_label(conference, slot.id, a.workshops.get(slot.id))
        facts.append(
            (f"workshop {event_day(slot.date, conference)}", f"{held or '-'} (ranked {ranking})")
        )
    for extra in conference.extras:
        wanted = extra.id in a.extras_wanted
        facts.append(
            (extra.id.replace("_", " "), a.extras.get(extra.id, "wanted" if wanted else "no"))
        )
    needs = ", ".join(a.accessibility) + (
        f" ({a.accessibility_note})" if a.accessibility_note else ""
    )
    facts += [("accessibility", needs), ("dietary", f"{a.dietary} {a.dietary_note}".strip())]
    if a.undeliverable:
        facts.append(("undeliverable", "yes"))
    if a.submitted_by:
        mails = "to them only" if a.submitter_copy == "only" else "in copy to them"
        facts.append(("registered by", f"{a.submitted_by} (mails {mails})"))
    if a.substitute is not None:
        facts.append(
            ("substitute named", f"{a.substitute.public_id} <{a.substitute.email}>, unconfirmed")
        )
    facts += [("seat passed to", a.seat_passed_to), ("seat taken from", a.seat_taken_over_from)]
    parts: list[RenderableType] = [
        Text.assemble((a.public_id, "bold"), f" {a.display_name} <{a.email}>")
    ]
    details = Table.grid(padding=(0, 2))
    details.add_column(no_wrap=True)
    details.add_column(overflow="fold")
    for name, value in facts:
        if value:
            details.add_row(name, shown(value))
    parts.append(details)
    history = table("History")
    history.add_column("at", no_wrap=True)
    history.add_column("what")
    history.add_column("by")
    history.add_column("detail", overflow="fold")
    for entry in a.history:
        history.add_row(
            local_time(entry.at, conference),
            shown(entry.action),
            shown(actor_text(entry.actor, run_numbers or {})),
            shown(history_detail(entry.detail, conference)),
        )
    parts.append(history)
    return parts


def salutation(application: Application, language: str) -> str:
    """``Frau`` / ``Herr`` as the form offered it; nothing when none was chosen."""
    if not application.salutation or application.salutation == "none":
        return ""
    return translate(language, f"salutations.{application.salutation}")


def actor_text(actor: str, run_numbers: Mapping[str, int]) -> str:
    """``admissions:<run id>`` -> ``run #2``; other actors as recorded."""
    kind, _, run_id = actor.partition(":")
    if kind == "admissions" and run_id in run_numbers:
        return f"run #{run_numbers[run_id]}"
    return actor


def history_detail(detail: str, conference: Conference) -> str:
    """A history entry's detail in the definition's words: workshop ids as short titles
    (``WS II``), slots as their day (``11.05.``), extras by name (``city tour``)."""
    labels = {
        workshop.id: workshop_label(conference, slot.id, workshop.id, room=False)
        for slot in conference.workshop_slots
        for workshop in slot.workshops
    }
    labels |= {slot.id: event_day(slot.date, conference) for slot in conference.workshop_slots}
    labels |= {extra.id: extra.id.replace("_", " ") for extra in conference.extras}
    return " ".join(_relabel(word, labels) for word in detail.split(" "))


def _relabel(word: str, labels: dict[str, str]) -> str:
    core = word.rstrip(",;:")
    return labels[core] + word[len(core) :] if core in labels else word
