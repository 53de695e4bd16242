"""``build_mime``: an OutgoingMail as the raw RFC 5322 bytes SES sends.

The standard ``email`` package does the encoding: RFC 2047 for the subject and display
name, quoted-printable bodies (7-bit clean on the wire), multipart/alternative for text and
HTML, wrapped in multipart/mixed when there are attachments. Addresses and extra headers
with line breaks are refused rather than cleaned: they come from code, not applicants.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from registrar.mail.compose import Attachment, OutgoingMail
from registrar.mail.text import single_line

_CRLF = "\r\n"
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

    message = EmailMessage(policy=SMTP)
    _set_mailbox(message, "From", single_line(mail.sender_name), ascii_address(sender))
    message["To"] = Address(addr_spec=ascii_address(mail.to))
    message["Reply-To"] = Address(addr_spec=ascii_address(reply_to))
    subject = single_line(mail.subject)
    if subject.isascii():
        message["Subject"] = subject
    else:
        message.set_raw("Subject", _encoded_words("Subject", subject))
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
    return message.as_bytes(policy=SMTP)


def _encoded_words(header: str, text: str) -> str:
    """``text`` as RFC 2047 encoded words throughout, folded to fit after ``header: ``.

    The email package's modern folder can drop the space between two words it encodes
    differently (seen with "– “" in a subject); the legacy encoder keeps every space inside
    the encoded words, which every reader decodes the same way.
    """
    return Header(text, "utf-8", header_name=header).encode(linesep=_CRLF)


def _set_mailbox(message: EmailMessage, header: str, display_name: str, address: str) -> None:
    if display_name.isascii():
        # Plain ASCII: the header registry quotes specials like "," and "(" correctly.
        message[header] = Address(display_name=display_name, addr_spec=address)
    else:
        phrase = _encoded_words(header, display_name)
        message.set_raw(header, f"{phrase}{_CRLF} <{address}>")


def ascii_address(address: str) -> str:
    """The address with an internationalised domain in its ASCII (punycode) form.

    A non-ASCII local part would need SMTPUTF8, which SES does not offer: refused. So is a
    domain that IDNA 2003 (Python's codec) would change, e.g. one with "ß", rather than
    risk writing to a different domain.
    """
    local, at, domain = address.rpartition("@")
    if not at or not local.isascii():
        raise ValueError(f"{address!r}: not an address SES can deliver to")
    if domain.isascii():
        return address
    try:
        encoded = domain.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValueError(f"{address!r}: the domain cannot be encoded") from error
    if encoded.encode("ascii").decode("idna") != domain.lower():
        raise ValueError(f"{address!r}: the domain would change when encoded")
    return f"{local}@{encoded}"


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
