"""``compose``: one mail kind for one application, rendered in the applicant's language.

The mailer calls this at send time with links it has signed and the current instant; the
result is plain data (subject, text, HTML, attachments) that ``mime.build_mime`` wraps.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import Language, choose_language
from registrar.i18n import language as language_named
from registrar.mail.context import MailInputs, MissingLink, build_context
from registrar.mail.recipients import recipients
from registrar.mail.render import render
from registrar.mail.sample import sample_application, sample_links, sample_lottery
from registrar.mail.text import single_line
from registrar.mail.views import Links, LotteryView
from registrar.mail_queue import MailKind

__all__ = [
    "Attachment",
    "ErasedApplication",
    "Links",
    "LotteryView",
    "MissingLink",
    "OutgoingMail",
    "compose",
    "mail_language",
    "sample_application",
    "sample_links",
    "sample_lottery",
]


class ErasedApplication(ValueError):
    """The application's personal data was erased: there is nobody to write to."""


class Attachment(NamedTuple):
    filename: str
    content_type: str  # may carry parameters: "text/calendar; charset=utf-8; method=PUBLISH"
    data: bytes


class OutgoingMail(NamedTuple):
    kind: str
    language: str
    to: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()
    sender_name: str = ""  # the organiser, for the From display name


def mail_language(application: Application, conference: Conference) -> str:
    """The applicant's language if the event offers and ships it, else the event's default."""
    return choose_language(application.language, conference.languages, conference.default_language)


def compose(
    kind: MailKind,
    application: Application,
    conference: Conference,
    links: Links,
    now: dt.datetime,
    lottery: LotteryView | None = None,
    *,
    seat_holder: Application | None = None,
) -> OutgoingMail:
    """Render ``kind`` for ``application``. Raises MissingLink, ErasedApplication.

    ``lottery``: the applicant's ticket and the commitment, told in the receipt and the
    waiting-list mail where seats are drawn by lot (the mailer always gives it).
    ``seat_holder``: for ``substitute_confirm``, the participant whose seat ``application``
    (the colleague's, as it will be) is offered.
    """
    if now.tzinfo is None:
        raise ValueError("compose needs an aware 'now'")
    if application.erased or not application.email:
        raise ErasedApplication(application.public_id)
    chosen = language_named(mail_language(application, conference))
    inputs = MailInputs(kind, application, conference, links, now, chosen, lottery, seat_holder)
    rendered = render(chosen.code, kind, build_context(inputs))
    attachments = (_calendar(application, conference, chosen, now),) if kind == "program" else ()
    addressed = recipients(kind, application)
    return OutgoingMail(
        kind=kind,
        language=chosen.code,
        to=addressed.to,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        attachments=attachments,
        sender_name=single_line(
            conference.text(
                conference.organiser.short_name or conference.organiser.name, chosen.code
            )
        ),
    )


def _calendar(
    application: Application, conference: Conference, language: Language, now: dt.datetime
) -> Attachment:
    # Only the programme mail has a calendar: the mailer imports icalendar (75 ms of its
    # cold start) when it sends the first one, not for every receipt.
    from registrar.mail.calendar import CONTENT_TYPE, calendar_filename, programme_calendar

    return Attachment(
        filename=calendar_filename(conference, language),
        content_type=CONTENT_TYPE,
        data=programme_calendar(application, conference, language, now),
    )
