"""Short labels for what the conference definition names at length (workshops), and statuses."""

from __future__ import annotations

from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import translate


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
    return translate(language, f"status.{key or application.status}")


MAIL_KIND_LABELS: dict[str, dict[str, str]] = {
    "de": {
        "receipt": "Eingangsbestätigung",
        "already_registered": "Hinweis: bereits angemeldet",
        "confirm_reminder": "Erinnerung: Adresse bestätigen",
        "accepted": "Zusage",
        "offered": "Platzangebot",
        "waitlisted": "Warteliste",
        "not_admitted": "Kein Platz",
        "offer_expired": "Angebot abgelaufen",
        "withdrawn": "Rückzug bestätigt",
        "declined": "Absage bestätigt",
        "cancelled": "Stornierung",
        "program": "Programm",
        "extra_place": "Zusatzplatz",
    },
    "en": {
        "receipt": "Receipt",
        "already_registered": "Already registered",
        "confirm_reminder": "Reminder to confirm",
        "accepted": "Acceptance",
        "offered": "Offer of a seat",
        "waitlisted": "Waiting list",
        "not_admitted": "No seat",
        "offer_expired": "Offer expired",
        "withdrawn": "Withdrawal confirmed",
        "declined": "Decline confirmed",
        "cancelled": "Cancellation",
        "program": "Programme",
        "extra_place": "Place in an extra",
    },
}


def mail_kind_label(kind: str, language: str = "de") -> str:
    """``receipt`` -> ``Eingangsbestätigung``; an unknown kind stays as it is."""
    return MAIL_KIND_LABELS.get(language, MAIL_KIND_LABELS["en"]).get(kind, kind)
