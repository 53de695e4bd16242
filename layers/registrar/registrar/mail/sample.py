"""Obviously fake sample data for previews and tests: Erika Mustermann at example.org.

``sample_application`` fills everything a template may show (workshops, extras, waiting
list position); given a mail kind it also sets the status and offer expiry that kind is
normally sent in, so a preview reads like the real thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from registrar.application import STATUSES, Application, Status
from registrar.conference import Conference
from registrar.mail.views import Links, LotteryView
from registrar.mail_queue import MailKind, states_for
from registrar.working_days import offer_deadline

SAMPLE_EMAIL: Final = "erika.mustermann@example.org"
SAMPLE_PUBLIC_ID: Final = "R-SAMP-LE42"
SAMPLE_APPLICANT_KEY: Final = "0" * 32  # a preview names no real applicant
SAMPLE_WAITLIST_POSITION: Final = 7
_DEFAULT_OFFER_HOURS: Final = 72

_UNCONFIRMED_KINDS: Final[frozenset[MailKind]] = frozenset({"receipt", "confirm_reminder"})


def _status_for(kind: MailKind) -> Status:
    """The status the state table writes this kind for; the ones before a decision: new."""
    states = states_for(kind)
    return next(s for s in STATUSES if s in states) if states else "new"


def sample_links(base_url: str = "https://anmeldung.example.org") -> Links:
    """Links of the right shape with placeholder tokens."""
    return Links(
        confirm=f"{base_url}/confirm?t=SAMPLE.CONFIRM-TOKEN",
        manage=f"{base_url}/manage?t=SAMPLE.MANAGE-TOKEN",
        form=f"{base_url}/",
    )


def sample_lottery(base_url: str = "https://anmeldung.example.org") -> LotteryView:
    """A ticket and commitment of the right shape (the commitment of a secret of 64 zeros)."""
    return LotteryView(
        ticket="K7QXA-3MZPD",
        commitment="60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55",
        check_url=f"{base_url}/lottery",
    )


def sample_application(
    conference: Conference, language: str, now: dt.datetime, *, kind: MailKind | None = None
) -> Application:
    """A complete, clearly fake application; ``kind`` adjusts status and offer expiry."""
    if now.tzinfo is None:
        raise ValueError("sample_application needs an aware 'now'")
    rankings: dict[str, list[str]] = {}
    workshops: dict[str, str] = {}
    for slot in conference.workshop_slots:
        ids = list(slot.workshop_ids)
        # The second workshop first, so a preview does not look like a default choice.
        ranking = ids[1:2] + ids[:1] + ids[2:]
        rankings[slot.id] = ranking
        workshops[slot.id] = ranking[0]
    status = _status_for(kind) if kind else "accepted"
    admission, venue = conference.admission, conference.venue
    offer_until = (
        offer_deadline(
            now, admission.offer_working_days, conference.zone, venue.country, venue.state
        )
        if admission.offer_working_days
        else now + dt.timedelta(hours=admission.offer_ttl_hours or _DEFAULT_OFFER_HOURS)
    )
    return Application(
        event_id=conference.id,
        applicant_key=SAMPLE_APPLICANT_KEY,
        public_id=SAMPLE_PUBLIC_ID,
        email=SAMPLE_EMAIL,
        salutation="frau",
        title="Dr.",
        given_name="Erika",
        family_name="Mustermann",
        function="Bürgermeisterin",
        organisation="Gemeinde Musterstadt (Beispiel)",
        municipality="Musterstadt",
        region=conference.form_options.regions[0].id,
        group=conference.attendee_groups[0].id,
        rankings=rankings,
        extras_wanted=[extra.id for extra in conference.extras],
        language=language,
        consent_version=conference.privacy_notice_version,
        submitted_at=now - dt.timedelta(days=1),
        confirmed_at=None if kind in _UNCONFIRMED_KINDS else now - dt.timedelta(hours=23),
        status=status,
        decision_version=1,
        workshops=workshops,
        extras={extra.id: "place" for extra in conference.extras},
        waitlist_position=SAMPLE_WAITLIST_POSITION,
        offer_expires_at=offer_until if status == "offered" else None,
        expires_at=conference.retention_until(),
    )
