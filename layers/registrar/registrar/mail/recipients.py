"""Who a mail goes to: the person, and whoever registered them on their behalf.

A person registered by someone else (a mayor's office registering the mayor) is an
application of their own, keyed by their own address. The mails that prove or concern that
address go to it alone: the receipt with the confirmation link, the reminder to confirm,
the notice to whoever typed a registered address. Only the person can confirm their own
address, so one mailbox cannot hold lottery tickets for people it made up. Every other mail
goes as the submitter chose on the form: to the person with a copy to the submitter
(``copy``), or to the submitter alone (``only``). The copy is a message of its own, ``To:``
the submitter, never a ``Cc:`` of the person's: SES's bounce and complaint events reach the
system without addresses, and only a message to one address lets its SES tags tell whose
address it was. Every message to the submitter (the copy, or the mail sent to it alone:
``to_submitter``) carries that tag. Once SES reports the submitter's address undeliverable
(bounced, or marked as spam), mails go to the person's own address alone: better than to
nobody.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from registrar.application import Application
from registrar.mail_queue import MailKind

# Mails about the person's own address: never to the submitter.
PERSON_ONLY: Final[frozenset[MailKind]] = frozenset(
    {"receipt", "confirm_reminder", "already_registered"}
)


class Recipients(NamedTuple):
    """``to_submitter``: the mail goes to the submitter alone, not to the person.
    ``copy_to``: the submitter, sent a copy of the person's mail as a message of its own."""

    to: str
    copy_to: str | None = None
    to_submitter: bool = False

    @property
    def all(self) -> tuple[str, ...]:
        """Every address that gets the mail, each in a message of its own."""
        return (self.to,) if self.copy_to is None else (self.to, self.copy_to)


def recipients(kind: MailKind, application: Application) -> Recipients:
    """Where ``kind`` goes for ``application`` (addresses as stored)."""
    submitter = application.submitted_by
    if not submitter or kind in PERSON_ONLY or application.submitter_undeliverable:
        return Recipients(application.email)
    if application.submitter_copy == "only":
        return Recipients(submitter, to_submitter=True)
    return Recipients(application.email, copy_to=submitter)
