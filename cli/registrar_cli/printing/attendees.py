"""Who comes: the participants as print material shows them, and how German lists sort.

``Attendee`` is the small typed view badges and sign-in lists are made from;
``attendee_from`` is the one place that reads an ``Application`` into it. Fields the
application leaves empty stay ``None`` and are left out of print, never guessed; the
neutral salutations (divers, none) print none.
Print material is for the participants the state table says attend (``Application.attends``).

German lists sort names as DIN 5007 variant 1 ("dictionary order") says: umlauts count as
their base letter (ä as a, ö as o, ü as u), ß as ss, case is ignored; the same goes for
other accents (é as e). Name particles written in lower case ("von", "van der", "zu")
do not count, as DIN 5007-2 files "von Hohenzollern" under H. Ties are broken by the exact
spelling, so the order is total.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import translate


@dataclass(frozen=True, slots=True)
class BookedWorkshop:
    slot_id: str
    workshop_id: str
    date: dt.date
    start: str
    end: str
    title: str
    room: str | None  # only as the organisers set it


@dataclass(frozen=True, slots=True)
class Attendee:
    ref: str
    given_name: str
    family_name: str
    salutation: str | None
    title: str | None
    function: str | None
    organisation: str
    municipality: str
    group: str
    status: str
    workshops: tuple[BookedWorkshop, ...]
    extras: tuple[str, ...]  # ids of the extras the person has a place in
    days: tuple[dt.date, ...] = ()  # the event days attended; empty: every day

    def attends(self, day: dt.date) -> bool:
        return not self.days or day in self.days

    @property
    def name(self) -> str:
        """The name as printed: academic title, given name, family name."""
        return " ".join(part for part in (self.title, self.given_name, self.family_name) if part)

    @property
    def affiliation(self) -> str:
        """Organisation and Kommune, without repeating one that contains the other."""
        organisation, municipality = self.organisation.strip(), self.municipality.strip()
        if not organisation:
            return municipality
        if not municipality or municipality.casefold() in organisation.casefold():
            return organisation
        return f"{organisation}, {municipality}"

    def workshop_on(self, day: dt.date) -> BookedWorkshop | None:
        return next((w for w in self.workshops if w.date == day), None)


def attendee_from(application: Application, conference: Conference, lang: str) -> Attendee:
    """The print view of one application: the single place to extend with new fields."""
    slots = {slot.id: slot for slot in conference.workshop_slots}
    booked: list[BookedWorkshop] = []
    for slot_id, workshop_id in application.workshops.items():
        slot = slots.get(slot_id)
        if slot is None or workshop_id not in slot.workshop_ids:
            continue  # the definition dropped it since; nothing true to print
        workshop = slot.workshop(workshop_id)
        booked.append(
            BookedWorkshop(
                slot_id=slot.id,
                workshop_id=workshop.id,
                date=slot.date,
                start=slot.start,
                end=slot.end,
                title=conference.text(workshop.title, lang),
                room=workshop.room,
            )
        )
    return Attendee(
        ref=application.public_id,
        given_name=application.given_name.strip(),
        family_name=application.family_name.strip(),
        salutation=_salutation(application.salutation, lang),
        title=application.title.strip() or None,
        function=application.function.strip() or None,
        organisation=application.organisation,
        municipality=application.municipality,
        group=application.group,
        status=application.status,
        workshops=tuple(sorted(booked, key=lambda w: (w.date, w.start))),
        extras=tuple(sorted(e for e, state in application.extras.items() if state == "place")),
        days=tuple(application.days),
    )


def _salutation(chosen: str, lang: str) -> str | None:
    """'Frau' or 'Herr' (Ms, Mr) as a badge writes it; the neutral choices print nothing."""
    return translate(lang, f"salutations.{chosen}") if chosen in _GENDERED else None


_GENDERED = frozenset({"frau", "herr"})


def attendees(
    applications: Iterable[Application], conference: Conference, lang: str
) -> list[Attendee]:
    """The accepted participants, in German alphabetical order of family name."""
    accepted = [
        attendee_from(a, conference, lang)
        for a in applications
        if a.attends and not a.erased  # accepted: open offers get no badge yet
    ]
    return sorted(accepted, key=german_sort_key)


def german_fold(text: str) -> str:
    """``text`` as DIN 5007 variant 1 compares it: no accents, ß as ss, no case."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_PARTICLES = frozenset(
    {"von", "vom", "van", "zu", "zum", "zur", "de", "der", "den", "di", "da", "du", "ten", "ter"}
)


def without_particles(family_name: str) -> str:
    """'Hohenzollern' from 'von Hohenzollern', 'Berg' from 'van der Berg'; else unchanged."""
    words = family_name.split()
    while len(words) > 1 and words[0] in _PARTICLES:
        words = words[1:]
    return " ".join(words)


def german_sort_key(attendee: Attendee) -> tuple[str, str, str, str, str]:
    return (
        german_fold(without_particles(attendee.family_name)),
        german_fold(attendee.given_name),
        attendee.family_name,
        attendee.given_name,
        attendee.ref,
    )
