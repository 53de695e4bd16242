"""A decided event for the print material and report tests: real services, memory stores.

170 clearly fake applicants (capacity 150) register and confirm; two organisations send
more people than the per-organisation cap admits; names carry umlauts, ß and one very
long double name. The deadline run decides; three participants decline and the next
daily run hands their seats down the waiting list.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from registrar.application import Application
from registrar.clock import SettableClock
from registrar.conference import Conference
from registrar.services.admissions import AdmissionsService
from registrar.services.registration import RegistrationService
from registrar.submission import validate_submission
from tests.conftest import valid_request
from tests.fakes import (
    APPLICANT_KEYS,
    MemoryApplications,
    MemoryQueue,
    MemoryRuns,
    applicant_key,
    submit_and_register,
)

APPLICANTS = 170
FAMILY_NAMES = (
    "Müller", "Mueller", "Muller", "Öztürk", "Ozdemir", "Übel", "Ulrich", "Straßer",
    "Strasser", "Ähnlich", "Adler", "Zimmermann", "Schäfer", "Schaefer", "Becker",
)  # fmt: skip
GIVEN_NAMES = ("Anna", "Jörg", "Lea", "Björn", "Frauke", "Jürgen", "Zoë", "Ines")
LONG_NAME_NUMBER = 20
LONG_NAME = ("Maximiliane-Friederike", "von Hohenzollern-Sigmaringen-Großenbrode")
CAPPED_ORGANISATIONS = ("Freiwilligenagentur Musterstadt", "Bürgerstiftung Beispielhausen")


@dataclass
class DecidedEvent:
    conference: Conference
    store: MemoryApplications
    runs: MemoryRuns

    def applications(self) -> list[Application]:
        return list(self.store.list(self.conference.id))


def email(number: int) -> str:
    return f"print.test+{number}@example.org"


def applicant_body(conference: Conference, number: int) -> dict[str, object]:
    given, family = GIVEN_NAMES[number % len(GIVEN_NAMES)], FAMILY_NAMES[number % len(FAMILY_NAMES)]
    if number == LONG_NAME_NUMBER:
        given, family = LONG_NAME
    organisation, municipality = f"Verein {number}", f"Gemeinde {number}"
    if number < 12:  # six from each: the cap of two holds four of each back
        organisation = CAPPED_ORGANISATIONS[number % 2]
        municipality = organisation.split()[-1]
    regions = [r.id for r in conference.form_options.regions]
    groups = [g.id for g in conference.attendee_groups]
    return valid_request(
        conference,
        number,
        email=email(number),
        given_name=given,
        family_name=family,
        organisation=organisation,
        municipality=municipality,
        region=regions[(number * 7) % len(regions)],
        group=groups[(number * 3) % len(groups)],
    )


def decided_event(conference: Conference) -> DecidedEvent:
    store, runs, queue = MemoryApplications(), MemoryRuns(), MemoryQueue()
    clock = SettableClock(conference.deadline - dt.timedelta(days=5))
    registration = RegistrationService(
        conference, store, queue, clock, random.Random(1), APPLICANT_KEYS
    )
    for number in range(APPLICANTS):
        submit_and_register(
            registration, validate_submission(applicant_body(conference, number), conference)
        )
        clock.set(clock.now() + dt.timedelta(minutes=3))
        registration.confirm(applicant_key(conference.id, email(number)))
    admissions = AdmissionsService(conference, store, runs, queue, clock, random.Random(9))
    clock.set(conference.closes_at)
    admissions.run("deadline", dry_run=False)
    accepted = sorted(
        (a for a in store.list(conference.id) if a.status == "accepted"),
        key=lambda a: a.public_id,
    )
    clock.set(conference.closes_at + dt.timedelta(hours=10))
    for application in accepted[:3]:
        registration.decline(application.applicant_key)
    clock.set(conference.closes_at + dt.timedelta(days=1))
    admissions.run("daily", dry_run=False)
    return DecidedEvent(conference, store, runs)
