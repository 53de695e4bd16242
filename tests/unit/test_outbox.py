"""The local outbox files every kind of email with its subject, language and HTML body."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest

from registrar.conference import Conference
from registrar.mail.compose import compose, sample_application, sample_links
from registrar.mail.mime import build_mime
from registrar.mail_queue import MAIL_KINDS
from registrar_local.outbox import Outbox

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
    assert "<script>" not in page
    assert outbox.count_by_kind() == {"accepted": 1}
