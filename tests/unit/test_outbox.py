"""The local outbox files every kind of email with its subject, language and HTML body."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from registrar import i18n
from registrar.conference import Conference
from registrar.mail.compose import compose, sample_application, sample_links
from registrar.mail.mime import build_mime
from registrar.mail_queue import MAIL_KINDS
from registrar_local.outbox import Outbox
from registrar_local.outbox_page import index_page

AT = dt.datetime(2023, 8, 1, 9, 0, tzinfo=dt.UTC)


def _raw(conference: Conference, kind: Any, lang: str) -> tuple[bytes, Any]:
    application = sample_application(conference, lang, AT, kind=kind)
    application = application.model_copy(
        update={"first_name": "Zoë „Ünal“", "email": "zoe@example.org"}
    )
    mail = compose(kind, application, conference, sample_links(), AT)
    raw = build_mime(
        mail,
        sender="noreply@example.org",
        reply_to="contact@example.org",
        message_id=f"{kind}-{lang}",
        domain="example.org",
        now=AT,
        headers={"X-Registrar-Kind": kind, "Content-Language": mail.language},
    )
    return raw, mail


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_each_email_is_filed_as_the_standard_parser_reads_it(
    tmp_path: Path, conference: Conference, kind: Any, lang: str
) -> None:
    raw, mail = _raw(conference, kind, lang)
    outbox = Outbox(tmp_path)
    entry = outbox.add(raw, ["zoe@example.org"])

    reference = email.message_from_bytes(raw, policy=email.policy.default)
    html_part: Any = reference.get_body(preferencelist=("html",))
    assert entry.kind == kind
    assert entry.subject == str(reference["Subject"]) == mail.subject
    assert entry.language == str(reference["Content-Language"]) == mail.language
    assert entry.recipient == "zoe@example.org"
    assert (tmp_path / entry.file).read_bytes() == raw
    filed = (tmp_path / entry.html_file).read_text(encoding="utf-8")
    assert _lines(filed) == _lines(html_part.get_content()) == _lines(mail.html)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").rstrip("\n").split("\n")


def test_the_index_lists_every_message_escaped(tmp_path: Path, conference: Conference) -> None:
    outbox = Outbox(tmp_path)
    raw, _ = _raw(conference, "accepted", "de")
    outbox.add(raw, ["<script>@example.org"])
    page = outbox.write_index().read_text(encoding="utf-8")
    assert "&lt;script&gt;@example.org" in page
    assert "<script>@" not in page and page.count("<script>") == 1  # the page's own filter
    assert outbox.count_by_kind() == {"accepted": 1}


class _Structure(HTMLParser):
    """Checks what a validator would first complain about: unclosed or stray tags."""

    VOID = frozenset({"meta", "br", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


def _to(raw: bytes, to: str) -> bytes:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message.replace_header("To", to)
    return message.as_bytes()


def test_the_index_is_a_german_page_organisers_can_filter(
    tmp_path: Path, conference: Conference
) -> None:
    outbox = Outbox(tmp_path, zone=conference.zone)
    accepted, _ = _raw(conference, "accepted", "de")
    receipt, _ = _raw(conference, "receipt", "en")
    outbox.add(_to(accepted, '"Zoë „Ünal“ & Co" <zoe@example.org>'), ["zoe@example.org"])
    outbox.add(_to(receipt, "Max Muster <max@example.org>"), ["max@example.org"])
    page = outbox.write_index().read_text(encoding="utf-8")

    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    structure = _Structure()
    structure.feed(page)
    assert structure.errors == [] and structure.open == []
    assert len(structure.ids) == len(set(structure.ids))  # ids unique
    assert "01.08.2023 11:00" in page  # 09:00 UTC on the event's clock (summer time)
    assert "Zoë „Ünal“ &amp; Co" in page and "zoe@example.org" in page
    assert "Zusage" in page and "Eingangsbestätigung" in page  # kinds in German
    assert "<td>Deutsch</td>" in page and "<td>Englisch</td>" in page
    assert 'data-kind="accepted"' in page and 'data-person="max muster max@example.org"' in page
    assert '<select id="art">' in page and '<input id="person"' in page
    assert '<option value="receipt">Eingangsbestätigung (1)</option>' in page
    entries = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert entries[1]["name"] == "Max Muster" and entries[1]["recipient"] == "max@example.org"
    # a name the sender knows (the local stack's, from the application) comes first
    named = outbox.add(_to(receipt, "max@example.org"), ["max@example.org"], "Max Muster")
    assert named.name == "Max Muster" and named.file == "00003-receipt.eml"
    assert entries[0]["sent_at"].startswith("2023-08-01T09:00")


def test_the_index_counts_one_email_and_more_in_the_pages_language(
    tmp_path: Path, conference: Conference
) -> None:
    outbox = Outbox(tmp_path, zone=conference.zone)
    receipt, _ = _raw(conference, "receipt", "de")
    outbox.add(receipt, ["max@example.org"], "Max Muster")
    one = outbox.write_index().read_text(encoding="utf-8")
    assert "<title>Postausgang (lokal): 1 E-Mail</title>" in one
    assert "<h1>Postausgang des lokalen Stacks: 1 E-Mail</h1>" in one
    outbox.add(receipt, ["erika@example.org"], "Erika Muster")
    two = outbox.write_index().read_text(encoding="utf-8")
    assert "<h1>Postausgang des lokalen Stacks: 2 E-Mails</h1>" in two
    assert 'Angezeigt: <span id="angezeigt">2</span> von 2' in two
    nothing = html.unescape(index_page([], conference.zone, "en"))
    assert "<h1>The local stack's outbox: 0 emails</h1>" in nothing


def test_the_index_takes_its_words_from_the_locale_file(
    tmp_path: Path, conference: Conference
) -> None:
    outbox = Outbox(tmp_path, zone=conference.zone)
    accepted, _ = _raw(conference, "accepted", "de")
    outbox.add(accepted, ["zoe@example.org"], "Zoë Ünal")

    page = index_page(outbox.entries, conference.zone, "en")

    english = i18n.language("en").section("outbox_page")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Outbox (local): 1 email</title>" in page
    assert "<p>Times in the event&#x27;s time zone (Europe/Berlin).</p>" in page
    assert '<option value="">all kinds</option>' in page
    assert 'Shown: <span id="angezeigt">1</span> of 1' in page
    for key in ("by_kind", "person", "sent", "recipient", "subject", "source"):
        assert html.escape(english[key]) in page
    assert "1 Aug 2023 11:00" in page  # 09:00 UTC on the event's clock, as English writes it
    assert "<td>Acceptance</td>" in page and "<td>German</td>" in page
    for german in ("Postausgang", "Nach Art", "alle Arten", "Angezeigt", "Gesendet", "Betreff"):
        assert german not in page


def test_forgetting_an_erased_address_removes_its_messages_files_and_index_entries(
    tmp_path: Path, conference: Conference
) -> None:
    outbox = Outbox(tmp_path)
    receipt, _ = _raw(conference, "receipt", "de")
    accepted, _ = _raw(conference, "accepted", "en")
    kept = outbox.add(receipt, ["other@example.org"], "Max Beispiel")
    theirs = [
        outbox.add(receipt, ["zoe@example.org"], "Zoë Ünal"),
        outbox.add(accepted, ["Zoe@Example.org"], "Zoë Ünal"),
    ]
    outbox.write_index()

    assert outbox.forget({"zoe@example.org"}) == 2

    for entry in theirs:
        assert not (tmp_path / entry.file).exists()
        assert not (tmp_path / entry.html_file).exists()
    assert (tmp_path / kept.file).exists()
    listed = (tmp_path / "index.json").read_text(encoding="utf-8")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert [e["file"] for e in json.loads(listed)] == [kept.file]
    for text in (listed, page):
        assert "zoe@example.org" not in text.lower() and "Zoë" not in text
    # A message sent later gets a file of its own, never one of an earlier message's.
    later = outbox.add(receipt, ["other@example.org"])
    assert later.file not in {kept.file, *(entry.file for entry in theirs)}


def test_forgetting_an_erased_address_removes_the_offices_copies_of_their_mail(
    tmp_path: Path, conference: Conference
) -> None:
    """The office that registered the person got a copy of each mail as a message of its own
    (To: the office): it names the person too, and goes with the person's mail."""
    accepted, mail = _raw(conference, "accepted", "de")
    copy = build_mime(
        mail._replace(to="buero@example.org"),
        sender="noreply@example.org",
        reply_to="contact@example.org",
        message_id="accepted-de-copy",  # the mailer's copy id: the person's, "-copy"
        domain="example.org",
        now=AT,
        headers={"X-Registrar-Kind": "accepted"},
    )
    outbox = Outbox(tmp_path)
    outbox.add(accepted, ["zoe@example.org"], "Zoë Ünal")
    office_copy = outbox.add(copy, ["buero@example.org"])
    own_mail = outbox.add(_raw(conference, "program", "de")[0], ["buero@example.org"])

    assert office_copy.message_id == "<accepted-de-copy@example.org>"
    assert outbox.forget({"zoe@example.org"}) == 2

    assert [entry.file for entry in outbox.entries] == [own_mail.file]
    assert not (tmp_path / office_copy.file).exists()
