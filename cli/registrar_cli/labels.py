"""Short labels for what the conference definition names at length (workshops)."""

from __future__ import annotations

from registrar.conference import Conference


def workshop_label(
    conference: Conference, slot_id: str, workshop_id: str | None, *, room: bool = True
) -> str:
    """'WS II (Raum 2)': the title up to its colon, and the room."""
    if not workshop_id:
        return ""
    slot = conference.slot(slot_id)
    if workshop_id not in slot.workshop_ids:
        return workshop_id
    workshop = slot.workshop(workshop_id)
    short = conference.text(workshop.title, conference.default_language).split(":")[0]
    return f"{short} ({workshop.room})" if room else short
