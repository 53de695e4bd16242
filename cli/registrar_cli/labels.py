"""Short labels for what the conference definition names at length (workshops), and statuses."""

from __future__ import annotations

from registrar import i18n
from registrar.application import Application
from registrar.conference import Conference


def workshop_label(
    conference: Conference, slot_id: str, workshop_id: str | None, *, room: bool = True
) -> str:
    """'WS II (Raum 2)': the title up to its colon, and the room where the organisers set one."""
    if not workshop_id:
        return ""
    slot = conference.slot(slot_id)
    if workshop_id not in slot.workshop_ids:
        return workshop_id
    workshop = slot.workshop(workshop_id)
    short = conference.text(workshop.title, conference.default_language).split(":")[0]
    return f"{short} ({workshop.room})" if room and workshop.room else short


def status_text(application: Application, language: str) -> str:
    """The status as the applicant's page says it; an unconfirmed address is its own state.

    Before the first decision an application waits for its address to be confirmed
    ("Voranmeldung eingegangen, …") or for the deadline ("Voranmeldung bestätigt, …").
    """
    key = "unconfirmed" if application.status == "new" and not application.confirmed else None
    return i18n.translate(language, f"status.{key or application.status}")


def mail_kind_label(kind: str, language: str) -> str:
    """``receipt`` -> ``Eingangsbestätigung``; an unknown kind stays as it is."""
    return i18n.language(language).section("mail_kinds").get(kind, kind)
