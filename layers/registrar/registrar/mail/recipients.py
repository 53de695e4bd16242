"""Who a mail goes to: the person, and whoever registered them on their behalf.

A person registered by someone else (a mayor's office registering the mayor) is an
application of their own, keyed by their own address. The mails that prove or concern that
address go to it alone: the receipt with the confirmation link, the reminder to confirm,
the notice to whoever typed a registered address. Only the person can confirm their own
address, so one mailbox cannot hold lottery tickets for people it made up. Every other mail
goes as the submitter chose on the form: to the person with the submitter in copy
(``copy``), or to the submitter alone (``only``). A mail to the submitter alone says so in
its SES tags (``to_submitter``): SES's bounce and complaint events reach the system without
addresses, and that tag is what tells the submitter's address from the person's. Once SES
reports the submitter's address undeliverable (bounced, or marked as spam), mails go to the
person's own address alone: better than to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from registrar.application import Application
from registrar.mail_queue import MailKind

# Mails about the person's own address: never to the submitter.
PERSON_ONLY: Final[frozenset[MailKind]] = frozenset(
    {"receipt", "confirm_reminder", "already_registered"}
)


@dataclass(frozen=True, slots=True)
class Recipients:
    """``to_submitter``: the mail goes to the submitter alone, not to the person."""

    to: str
    cc: tuple[str, ...] = ()
    to_submitter: bool = False

    @property
    def all(self) -> tuple[str, ...]:
        return (self.to, *self.cc)


def recipients(kind: MailKind, application: Application) -> Recipients:
    """Where ``kind`` goes for ``application`` (addresses as stored)."""
    submitter = application.submitted_by
    if not submitter or kind in PERSON_ONLY or application.submitter_undeliverable:
        return Recipients(application.email)
    if application.submitter_copy == "only":
        return Recipients(submitter, to_submitter=True)
    return Recipients(application.email, (submitter,))
