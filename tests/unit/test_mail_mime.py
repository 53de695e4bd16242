"""MIME assembly: headers survive a round trip, injection is refused, ids are stable."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Callable
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registrar.address import UndeliverableAddress
from registrar.conference import Conference, load_conference
from registrar.mail.compose import OutgoingMail, compose, sample_application, sample_links
from registrar.mail.mime import build_mime
from registrar.mail_queue import MAIL_KINDS, MailKind

NOW = dt.datetime(2023, 4, 12, 8, 0, tzinfo=dt.UTC)
SENDER = "kongress@example.org"
REPLY_TO = "team@example.org"
CORE_HEADERS = {
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
}
# RFC 2047, section 2: an encoded word is at most 75 characters long.
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


def mail_for(
    conference: Conference, kind: MailKind = "accepted", language: str = "de", **changes: object
) -> OutgoingMail:
    application = sample_application(conference, language, NOW, kind=kind)
    if changes:
        application = application.model_copy(update=changes)
    return compose(kind, application, conference, sample_links(), NOW)


def wire(
    mail: OutgoingMail,
    message_id: str = "4f2a9c",
    *,
    sender: str = SENDER,
    reply_to: str = REPLY_TO,
    headers: dict[str, str] | None = None,
) -> bytes:
    return build_mime(
        mail,
        sender=sender,
        reply_to=reply_to,
        message_id=message_id,
        domain="mail.example.org",
        now=NOW,
        headers=headers,
    )


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_round_trip_keeps_subject_and_both_parts(
    conference: Conference, kind: MailKind, language: str
) -> None:
    mail = mail_for(conference, kind, language)
    message = parse(wire(mail))

    assert message["Subject"] == mail.subject
    assert body(message, "plain") == mail.text
    assert body(message, "html") == mail.html
    assert message.get_content_type() == (
        "multipart/mixed" if kind == "program" else "multipart/alternative"
    )


def test_german_umlauts_survive_in_the_subject_and_the_wire_is_ascii(
    conference: Conference,
) -> None:
    raw = wire(mail_for(conference, "accepted", "de"))
    subject = parse(raw)["Subject"]

    assert "bewältigen" in subject
    assert "„" in subject
    assert raw.isascii()
    assert b"\r\n" in raw
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_addressing_headers(conference: Conference) -> None:
    message = parse(wire(mail_for(conference)))

    assert message["To"].addresses[0].addr_spec == "erika.mustermann@example.org"
    assert message["Reply-To"].addresses[0].addr_spec == REPLY_TO
    sender = message["From"].addresses[0]
    assert sender.addr_spec == SENDER
    assert sender.display_name == "Kommunalkongress Kassel (BBE)"  # the short name
    assert message["Date"].datetime == NOW


def test_the_organiser_name_is_encoded_word_for_word(conference: Conference) -> None:
    """Checked with the RFC 2047 decoder: the modern parser adds spaces between words."""
    mail = mail_for(conference)._replace(
        sender_name="Arbeitsgruppe Bürgerschaftliches Engagement & Kommune – „BBE“, Kassel",
    )
    raw = wire(mail)
    folded = raw.split(b"\r\n\r\n")[0].decode("ascii")
    value = folded.split("\r\nFrom: ")[-1] if "\r\nFrom: " in folded else folded[6:]
    value = value.split("\r\nTo: ")[0]

    decoded = str(make_header(decode_header(value.replace("\r\n", ""))))

    assert decoded == f"{mail.sender_name} <{SENDER}>"


def test_message_id_is_stable_for_the_same_id(conference: Conference) -> None:
    mail = mail_for(conference)

    first = parse(wire(mail, "abc-123"))["Message-ID"]
    again = parse(wire(mail, "abc-123"))["Message-ID"]
    other = parse(wire(mail, "abc-124"))["Message-ID"]

    assert first == again == "<abc-123@mail.example.org>"
    assert other != first


def test_program_mail_carries_the_calendar(conference: Conference) -> None:
    message = parse(wire(mail_for(conference, "program")))
    attachments = list(message.iter_attachments())
    calendar = [part for part in attachments if part.get_content_type() == "text/calendar"]

    assert len(calendar) == 1
    assert calendar[0].get_filename() == "kassel-2023-programm.ics"
    assert calendar[0].get_param("method") == "PUBLISH"
    assert calendar[0].get_content().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("field", ["to", "reply_to", "sender"])
@pytest.mark.parametrize("bad", ["a@example.org\r\nBcc: evil@example.org", "a@example.org\n"])
def test_line_breaks_in_addresses_are_refused(conference: Conference, field: str, bad: str) -> None:
    mail = mail_for(conference)
    attempts: dict[str, Callable[[], bytes]] = {
        "to": lambda: wire(mail._replace(to=bad)),
        "sender": lambda: wire(mail, sender=bad),
        "reply_to": lambda: wire(mail, reply_to=bad),
    }
    attempt = attempts[field]
    with pytest.raises(ValueError, match="line breaks"):
        attempt()


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("Bcc", "evil@example.org", "set by build_mime"),
        ("X-Ok", "a\r\nBcc: evil@example.org", "line breaks"),
        ("Bad Name", "x", "not a valid header name"),
    ],
)
def test_unsafe_extra_headers_are_refused(
    conference: Conference, name: str, value: str, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        wire(mail_for(conference), headers={name: value})


def test_extra_headers_are_added(conference: Conference) -> None:
    message = parse(wire(mail_for(conference), headers={"X-Registrar-Kind": "accepted"}))

    assert message["X-Registrar-Kind"] == "accepted"


def test_message_id_parts_must_be_plain(conference: Conference) -> None:
    with pytest.raises(ValueError, match="message_id"):
        wire(mail_for(conference), "x>\r\nBcc: y")


def test_international_domains_become_punycode(conference: Conference) -> None:
    mail = mail_for(conference)._replace(to="jana@müller-kommune.de")

    message = parse(wire(mail))

    assert message["To"].addresses[0].addr_spec == "jana@xn--mller-kommune-wob.de"


@pytest.mark.parametrize("to", ["jürgen@example.org", "x..y@example.org", "a@ｅｘａｍｐｌｅ.org"])
def test_addresses_ses_cannot_send_to_are_refused(conference: Conference, to: str) -> None:
    with pytest.raises(UndeliverableAddress):
        wire(mail_for(conference)._replace(to=to))


def header_section(raw: bytes) -> str:
    return raw.split(b"\r\n\r\n")[0].decode("ascii")


def folded_value(raw: bytes, name: str) -> str:
    """The header's value as on the wire, folding line breaks included."""
    match = re.search(rf"^{name}: (.*?)\r\n(?! )", header_section(raw), re.MULTILINE | re.DOTALL)
    assert match is not None, name
    return match.group(1)


def rfc2047_decoded(value: str) -> str:
    """Decoded by the RFC 2047 decoder, which ignores whitespace between encoded words."""
    return str(make_header(decode_header(value.replace("\r\n", ""))))


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_every_mail_says_it_was_sent_by_a_machine(
    conference: Conference, kind: MailKind, language: str
) -> None:
    message = parse(wire(mail_for(conference, kind, language)))

    assert message["Auto-Submitted"] == "auto-generated"  # RFC 3834: no auto-replies
    assert message["X-Auto-Response-Suppress"] == "All"  # Exchange: no out-of-office replies


@pytest.mark.parametrize("name", ["Auto-Submitted", "x-auto-response-suppress"])
def test_the_automatic_headers_cannot_be_replaced(conference: Conference, name: str) -> None:
    with pytest.raises(ValueError, match="set by build_mime"):
        wire(mail_for(conference), headers={name: "no"})


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_every_subject_is_encoded_within_rfc_2047s_limits(
    conference: Conference, kind: MailKind, language: str
) -> None:
    mail = mail_for(conference, kind, language)
    raw = wire(mail)
    headers = header_section(raw)

    assert all(len(word) <= 75 for word in ENCODED_WORD.findall(headers)), headers
    assert all(len(line) <= 78 for line in headers.split("\r\n"))
    assert rfc2047_decoded(folded_value(raw, "Subject")) == mail.subject
    assert parse(raw)["Subject"] == mail.subject


LONG_TEXTS = [
    "Zusage – „Herausforderungen in Kommunen – gemeinsam bewältigen“ – Äöü ß",
    " ".join(["Jürgen-Özgür Müller-Lüdenscheidt Größenwahn-Überäugle, Bürgermeisterin a. D."] * 3),
    "ÄÖÜäöüß" * 30,
    "Anmeldung – “quoted” – «guillemets» – Emoji 🎉 – Ünïcödé everywhere, with a comma",
    "plain ascii words with one ä at the very end of a rather long subject line here ä",
]


@pytest.mark.parametrize("text", LONG_TEXTS)
def test_long_umlaut_heavy_subjects_and_names_stay_within_the_limits(
    conference: Conference, text: str
) -> None:
    mail = mail_for(conference)._replace(subject=text, sender_name=text)
    raw = wire(mail)
    headers = header_section(raw)

    assert all(len(word) <= 75 for word in ENCODED_WORD.findall(headers)), headers
    assert all(len(line) <= 78 for line in headers.split("\r\n"))
    assert raw.isascii()
    assert rfc2047_decoded(folded_value(raw, "Subject")) == text
    assert parse(raw)["Subject"] == text
    # The display name with the RFC 2047 decoder: the modern parser adds spaces between words.
    assert rfc2047_decoded(folded_value(raw, "From")) == f"{text} <{SENDER}>"


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("<script>alert(1)</script>", "Mustermann"),
        ('"\r\nBcc: evil@example.org', "Muster"),
        ("\u202eakirE", "Mustermann"),
    ],
)
def test_hostile_names_add_no_headers(conference: Conference, given: str, family: str) -> None:
    for kind in MAIL_KINDS:
        raw = wire(mail_for(conference, kind, given_name=given, family_name=family))
        message = parse(raw)

        assert set(message.keys()) == CORE_HEADERS
        assert message["Bcc"] is None
        assert "<script" not in body(message, "html")


@settings(max_examples=60, deadline=None)
@given(given_name=st.text(max_size=60), family_name=st.text(max_size=60))
def test_no_name_can_add_a_header_or_a_tag(given_name: str, family_name: str) -> None:
    conference = load_conference("kassel-2023")
    mail = mail_for(conference, "accepted", given_name=given_name, family_name=family_name)
    message = parse(wire(mail))

    assert set(message.keys()) == CORE_HEADERS
    html = body(message, "html")
    assert html.count("<bdi>") <= 1
    assert html.count("<script") == 0
    assert "\r" not in mail.text


def test_extra_headers_survive_the_body_including_content_language() -> None:
    import datetime as dt
    import email
    import email.policy

    from registrar.conference import load_conference
    from registrar.mail.compose import compose, sample_application, sample_links
    from registrar.mail.mime import build_mime

    conference = load_conference("kassel-2023")
    now = dt.datetime(2023, 4, 1, tzinfo=dt.UTC)
    mail = compose(
        "receipt", sample_application(conference, "en", now), conference, sample_links(), now
    )
    raw = build_mime(
        mail,
        sender="anmeldung@example.org",
        reply_to="kongress@example.org",
        message_id="m1",
        domain="example.org",
        now=now,
        headers={"X-Registrar-Kind": "receipt", "Content-Language": "en"},
    )
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Content-Language"] == "en"
    assert parsed["X-Registrar-Kind"] == "receipt"


@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_each_message_is_the_one_the_email_packages_own_smtp_policy_writes(
    conference: Conference, kind: MailKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    # build_mime keeps each header's class instead of having the registry make it anew for
    # every header (a third of the time a message took): the bytes must not change.
    from registrar.mail import mime

    mail = mail_for(conference, kind, "de", given_name="Zoë", family_name="Öztürk-Łukasiewicz")
    boundary = re.compile(rb"=+\d+==")
    ours = boundary.sub(b"B", wire(mail, headers={"Content-Language": "de"}))
    monkeypatch.setattr(mime, "_POLICY", email.policy.SMTP)
    stock = boundary.sub(b"B", wire(mail, headers={"Content-Language": "de"}))
    assert ours == stock
    assert b"Subject: " in ours and b"Content-Language: de" in ours


def test_the_header_classes_are_the_registrys_own_each_made_once() -> None:
    from email.headerregistry import HeaderRegistry

    from registrar.mail import mime

    kept, stock = mime._HeaderClasses(), HeaderRegistry()
    for name in ("From", "to", "Reply-To", "Subject", "Date", "Message-ID", "Content-Type",
                 "Content-Transfer-Encoding", "MIME-Version", "X-Registrar-Kind"):  # fmt: skip
        assert kept[name].__bases__ == stock[name].__bases__
        assert kept[name] is kept[name.upper()]
