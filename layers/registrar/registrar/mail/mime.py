"""``build_mime``: an OutgoingMail as the raw RFC 5322 bytes SES sends.

The standard ``email`` package does the encoding: its SMTP policy for the message (each
header's class made once, ``_HeaderClasses``), its RFC 2047 encoder for a subject or
display name beyond ASCII (in encoded words of at most 75 characters, RFC 2047's limit, one
per folded line), quoted-printable bodies (7-bit clean on the wire), multipart/alternative
for text and HTML, wrapped in multipart/mixed when there are attachments. Addresses and
extra headers with line breaks are refused rather than cleaned: they come from code, not
applicants.

Every message says it was sent by a machine (RFC 3834 ``Auto-Submitted``, and Exchange's
``X-Auto-Response-Suppress``), so that out-of-office replies and other auto-responders do
not answer it: filters in public administration expect that of transactional mail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from email.charset import Charset
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from itertools import chain, repeat

from registrar.address import deliverable_address
from registrar.mail.compose import Attachment, OutgoingMail
from registrar.mail.text import single_line

_CRLF = "\r\n"
_UTF8 = Charset("utf-8")
_MAX_LINE = 78  # RFC 5322's recommended line length, the SMTP policy's folding width
_MAX_ENCODED_WORD = 75  # RFC 2047, section 2
AUTOMATIC_HEADERS: Mapping[str, str] = {
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "All",
}


class _HeaderClasses(HeaderRegistry):
    """The email package's header registry, each header's class made once.

    ``HeaderRegistry`` makes a new class (``type(...)``) every time a header is set or
    parsed, about 20 µs each and some 35 times a message, and each such class is garbage
    with reference cycles for the collector; the class is the same each time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


_POLICY = SMTP.clone(header_factory=_HeaderClasses())
_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_HEADER_NAME = re.compile(r"^[!-9;-~]{1,76}$")  # printable ASCII except ':'
_OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "reply-to",
        "subject",
        "message-id",
        "date",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        *(name.lower() for name in AUTOMATIC_HEADERS),
    }
)


def build_mime(
    mail: OutgoingMail,
    *,
    sender: str,
    reply_to: str,
    message_id: str,
    domain: str,
    now: dt.datetime,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """The message as CRLF bytes. ``message_id``/``domain`` give ``<id@domain>``."""
    for field, value in (("to", mail.to), ("sender", sender), ("reply_to", reply_to)):
        _refuse_line_breaks(field, value)
    if not _ID_PART.match(message_id) or not _ID_PART.match(domain):
        raise ValueError("message_id and domain must be plain tokens (letters, digits, ._-)")
    if now.tzinfo is None:
        raise ValueError("build_mime needs an aware 'now'")

    message = EmailMessage(policy=_POLICY)
    _set_mailbox(message, "From", single_line(mail.sender_name), deliverable_address(sender))
    message["To"] = Address(addr_spec=deliverable_address(mail.to))
    message["Reply-To"] = Address(addr_spec=deliverable_address(reply_to))
    subject = single_line(mail.subject)
    if subject.isascii():
        message["Subject"] = subject
    else:
        message.set_raw("Subject", _encoded_words("Subject", subject))
    for name, value in AUTOMATIC_HEADERS.items():
        message[name] = value
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = f"<{message_id}@{domain}>"
    for name, _value in (headers or {}).items():
        _check_extra_header(name, _value)

    message.set_content(mail.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    for attachment in mail.attachments:
        _attach(message, attachment)
    # After the body: set_content() drops Content-* headers (e.g. Content-Language) set before.
    for name, value in (headers or {}).items():
        message[name] = value
    return message.as_bytes(policy=_POLICY)


def _encoded_words(header: str, text: str) -> str:
    """``text`` as RFC 2047 encoded words of at most 75 characters, one per folded line.

    Every space stays inside an encoded word. The modern policy's folder (Python 3.12.1)
    moves the space between two words it encodes differently ("– “") into the folding
    whitespace, where every RFC 2047 decoder drops it; the legacy ``Header`` encoder lets
    words reach 77 characters. The first word leaves room for ``header: `` in the line.
    """
    lengths = chain([_MAX_LINE - len(header) - 2], repeat(_MAX_ENCODED_WORD))
    words = _UTF8.header_encode_lines(text, lengths)
    return (_CRLF + " ").join(word for word in words if word is not None)


def _set_mailbox(message: EmailMessage, header: str, display_name: str, address: str) -> None:
    if display_name.isascii():
        # Plain ASCII: the header registry quotes specials like "," and "(" correctly.
        message[header] = Address(display_name=display_name, addr_spec=address)
    else:
        phrase = _encoded_words(header, display_name)
        message.set_raw(header, f"{phrase}{_CRLF} <{address}>")


def _refuse_line_breaks(field: str, value: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{field}: line breaks are not allowed in an address")


def _check_extra_header(name: str, value: str) -> None:
    if not _HEADER_NAME.match(name):
        raise ValueError(f"{name!r}: not a valid header name")
    if name.lower() in _OWN_HEADERS:
        raise ValueError(f"{name}: set by build_mime itself")
    if single_line(value) != value:
        raise ValueError(f"{name}: line breaks and control characters are not allowed")


def _attach(message: EmailMessage, attachment: Attachment) -> None:
    main, *raw_params = (part.strip() for part in attachment.content_type.split(";"))
    maintype, _, subtype = main.partition("/")
    if not maintype or not subtype:
        raise ValueError(f"{attachment.content_type!r}: not a content type")
    params = {}
    for raw in raw_params:
        name, _, value = raw.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    message.add_attachment(
        attachment.data,
        maintype=maintype,
        subtype=subtype,
        filename=single_line(attachment.filename),
        params=params,
    )
