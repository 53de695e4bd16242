"""The local outbox: every email SES accepted, as an ``.eml`` file plus an index page."""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.message
import email.policy
import email.utils
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from registrar.mail_queue import COPY_SUFFIX
from registrar_local.outbox_page import index_page

MARKER = ".registrar-outbox"
"""Written into every folder the outbox uses: only such a folder is ever emptied."""
_OWN_FILE = re.compile(r"^(\d{5}-[\w-]+\.(eml|html)|index\.(html|json))$")


class OutboxFolderRefused(Exception):
    """The folder holds files that are not an earlier outbox's: nothing was touched."""


def prepare_folder(folder: Path) -> None:
    """Make ``folder`` an empty outbox without ever deleting what the outbox did not write.

    A missing or empty folder is used as it is. A folder with the marker of an earlier
    outbox loses only the files that outbox wrote (messages, bodies, the index); anything
    else in it stays. Any other folder with something in it is refused.
    """
    if folder.exists() and not folder.is_dir():
        raise OutboxFolderRefused(
            f"{folder} is a file, not a folder: give a folder for the emails."
        )
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise OutboxFolderRefused(
                f"{folder} is not empty and is no earlier outbox: "
                "give a new or empty folder for the emails (nothing was deleted)."
            )
        for path in folder.iterdir():
            if path.is_file() and _OWN_FILE.match(path.name):
                path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text(
        "This folder is a registrar outbox: its messages are replaced on the next run.\n",
        encoding="utf-8",
    )


@dataclass(frozen=True)
class OutboxEntry:
    file: str
    recipient: str  # the addresses SES sent to
    kind: str
    language: str
    subject: str
    html_file: str
    sent_at: str = ""  # the message's Date, ISO 8601
    name: str = ""  # the To header's display name, if it has one
    message_id: str = ""  # the Message-ID header, "<id@domain>"


class Outbox:
    """Writes messages as they are sent; ``index.html`` lists them and links each body."""

    def __init__(self, folder: Path, zone: dt.tzinfo = dt.UTC) -> None:
        self.folder = folder
        self.zone = zone  # the event's: the index shows times as its organisers read them
        prepare_folder(folder)
        self.entries: list[OutboxEntry] = []
        self._filed = 0  # numbers files; never reused, also after ``forget``

    def add(self, raw: bytes, recipients: list[str], recipient_name: str = "") -> OutboxEntry:
        """File one sent message; ``recipient_name`` where the sender knows the person."""
        self._filed += 1
        number = self._filed
        # compat32 parsing: the headers are only read, never re-folded, and the modern
        # policy's header objects cost more than sending the message did.
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        kind = _header(message, "X-Registrar-Kind") or "unknown"
        name = f"{number:05d}-{kind}"
        (self.folder / f"{name}.eml").write_bytes(raw)
        html_file = ""
        html_part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
        if html_part is not None:
            html_file = f"{name}.html"
            body = html_part.get_payload(decode=True)
            assert isinstance(body, bytes)  # a leaf part, decoded
            charset = html_part.get_content_charset() or "utf-8"
            (self.folder / html_file).write_text(
                body.decode(charset, errors="replace"), encoding="utf-8"
            )
        entry = OutboxEntry(
            file=f"{name}.eml",
            recipient=", ".join(recipients),
            kind=kind,
            language=_header(message, "Content-Language"),
            subject=_header(message, "Subject"),
            html_file=html_file,
            sent_at=_sent_at(message),
            name=recipient_name or email.utils.parseaddr(_header(message, "To"))[0],
            message_id=_header(message, "Message-ID"),
        )
        self.entries.append(entry)
        return entry

    def write_index(self) -> Path:
        index = self.folder / "index.html"
        index.write_text(index_page(self.entries, self.zone), encoding="utf-8")
        (self.folder / "index.json").write_text(
            json.dumps([asdict(e) for e in self.entries], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        return index

    def forget(self, addresses: set[str]) -> int:
        """Delete every message sent to one of ``addresses`` (an erased person's), and the
        copies of those sent to whoever registered the person: their files and index
        entries. Returns how many went."""
        wanted = {address.strip().lower() for address in addresses}
        theirs = [entry for entry in self.entries if _recipients(entry) & wanted]
        copies = {copy_message_id(entry.message_id) for entry in theirs}
        gone = [e for e in self.entries if e in theirs or (e.message_id and e.message_id in copies)]
        for entry in gone:
            for name in (entry.file, entry.html_file):
                if name:
                    (self.folder / name).unlink(missing_ok=True)
        self.entries = [entry for entry in self.entries if entry not in gone]
        self.write_index()
        return len(gone)

    def count_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries:
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        return dict(sorted(counts.items()))


def copy_message_id(message_id: str) -> str:
    """The Message-ID of the copy of the message ``message_id`` ("<id@domain>") that went to
    whoever registered the person (the mailer's ``MailRequest.copy_message_id``)."""
    local, _, domain = message_id.strip().strip("<>").partition("@")
    return f"<{local}{COPY_SUFFIX}@{domain}>"


def _recipients(entry: OutboxEntry) -> set[str]:
    return {address.strip().lower() for address in entry.recipient.split(",")}


def _header(message: email.message.Message, name: str) -> str:
    """A header's text with encoded words (umlauts in subjects) decoded."""
    value = message.get(name)
    if value is None:
        return ""
    return str(email.header.make_header(email.header.decode_header(str(value))))


def _sent_at(message: email.message.Message) -> str:
    try:
        return email.utils.parsedate_to_datetime(_header(message, "Date")).isoformat()
    except (TypeError, ValueError):
        return ""
