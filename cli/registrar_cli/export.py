"""The participants list for name badges and room lists: one row per person, CSV or JSON.

Headers are in every language of the event at once ("Nachname / Family name", from the
locale files' ``export_columns``; a workshop's day as the conference's default language
writes it, "Workshop 11.05."); values (group, workshop, room, tour) are in one
language. The CSV starts with a byte order mark and uses ``;`` by default, which is what
Excel in a German locale expects to open umlauts and columns right. Cells that a
spreadsheet would read as a formula are defused with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from registrar.application import Application
from registrar.attendance import days_text
from registrar.conference import Conference, WorkshopSlot
from registrar.i18n import available_languages, translate
from registrar_cli.labels import status_text
from registrar_cli.text import event_day

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sort_key(application: Application) -> tuple[str, str, str]:
    """Alphabetical as in a German phone book (DIN 5007-1: ä as a, ß as ss)."""

    def plain(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    return plain(application.family_name), plain(application.given_name), application.public_id


def _short(title: str) -> str:
    """A long title up to its colon: 'Stadtführung mit Harald Kimpel: documenta …' -> 'Sta…'."""
    return title.split(":", 1)[0].strip() if len(title) > 40 else title


def _languages(conference: Conference) -> list[str]:
    """The languages the event offers and ships, in the definition's order."""
    return [code for code in conference.languages if code in available_languages()]


def _joined(words: Iterable[str]) -> str:
    """'Nachname / Family name': each language's word once."""
    return " / ".join(dict.fromkeys(words))


def _header(conference: Conference, key: str, after: str = "") -> str:
    name = _joined(translate(code, f"export_columns.{key}") for code in _languages(conference))
    return f"{name} {after}" if after else name


def columns(conference: Conference, with_status: bool) -> list[tuple[str, str]]:
    """(key, header) pairs in order; keys name the fields in JSON."""
    keys = ["number", "public_id", "salutation", "title", "family_name", "given_name"]
    keys += ["function", "organisation", "municipality", "region", "group"]
    if len(conference.dates) > 1:
        keys.append("days")
    if with_status:
        keys += ["status", "confirmed"]
    cols = [(key, _header(conference, key)) for key in keys]
    for slot in conference.workshop_slots:
        day = event_day(slot.date, conference)
        cols.append((f"workshop_{slot.id}", _header(conference, "workshop", day)))
        if _has_rooms(slot):  # rooms only once the organisers set them
            cols.append((f"room_{slot.id}", _header(conference, "room", day)))
    for extra in conference.extras:
        titles = (_short(conference.text(extra.title, code)) for code in _languages(conference))
        cols.append((f"extra_{extra.id}", _joined(titles)))
    cols += [
        (key, _header(conference, key)) for key in ("accessibility", "dietary", "language", "email")
    ]
    return cols


def _has_rooms(slot: WorkshopSlot) -> bool:
    return any(workshop.room for workshop in slot.workshops)


def row(
    number: int, application: Application, conference: Conference, language: str
) -> dict[str, Any]:
    def label(choices: Iterable[Any], choice_id: str) -> str:
        found = next((c for c in choices if c.id == choice_id), None)
        return conference.text(found.label, language) if found else choice_id

    options = conference.form_options
    values: dict[str, Any] = {
        "number": number,
        "public_id": application.public_id,
        "salutation": (
            ""
            if application.salutation == "none"
            else translate(language, f"salutations.{application.salutation}")
        ),
        "title": application.title,
        "family_name": application.family_name,
        "given_name": application.given_name,
        "function": application.function,
        "organisation": application.organisation,
        "municipality": application.municipality,
        "region": label(options.regions, application.region),
        # The role chosen ("Landrätin / Landrat") says more than its group; older items
        # have only the group.
        "group": (
            label(conference.participant_roles, application.role)
            if application.role
            else label(conference.attendee_groups, application.group)
        ),
        "days": days_text(conference, application.days, language),
        "status": status_text(application, language),
        "confirmed": translate(
            language, "export.confirmed" if application.confirmed else "export.not_confirmed"
        ),
    }
    for slot in conference.workshop_slots:
        workshop_id = application.workshops.get(slot.id)
        workshop = slot.workshop(workshop_id) if workshop_id in slot.workshop_ids else None
        values[f"workshop_{slot.id}"] = (
            conference.text(workshop.title, language) if workshop else ""
        )
        if _has_rooms(slot):
            values[f"room_{slot.id}"] = (workshop.room or "") if workshop else ""
    for extra in conference.extras:
        state = application.extras.get(extra.id)
        values[f"extra_{extra.id}"] = translate(language, f"export.extra_{state}") if state else ""
    needs = [label(options.accessibility, a) for a in application.accessibility]
    values["accessibility"] = "; ".join(v for v in (*needs, application.accessibility_note) if v)
    diet = label(options.dietary, application.dietary) if application.dietary else ""
    values["dietary"] = "; ".join(v for v in (diet, application.dietary_note) if v)
    values["language"] = application.language
    values["email"] = application.email
    return values


def participants(applications: Iterable[Application], include_all: bool) -> list[Application]:
    """Accepted participants (or, with ``include_all``, everyone not erased), sorted."""
    chosen = [a for a in applications if not a.erased and (include_all or a.attends)]
    return sorted(chosen, key=sort_key)


def build_rows(
    applications: list[Application], conference: Conference, language: str
) -> list[dict[str, Any]]:
    return [
        row(number, application, conference, language)
        for number, application in enumerate(applications, start=1)
    ]


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


def to_csv(rows: list[dict[str, Any]], cols: list[tuple[str, str]], delimiter: str) -> str:
    """The whole file as text, byte order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([header for _, header in cols])
    for values in rows:
        writer.writerow([_defuse(values.get(key, "")) for key, _ in cols])
    return buffer.getvalue()


def write_private(path: Path, text: str) -> None:
    """Write the file readable by its owner only (0600): it holds health and dietary notes.

    An existing file is truncated and narrowed to 0600 too.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
        file.write(text)
