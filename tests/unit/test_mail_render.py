"""Mail rendering: every kind in every language, declared contexts, links, hostile input."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import posixpath
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from jinja2 import meta, nodes

from registrar import i18n
from registrar.conference import Conference, load_conference
from registrar.i18n import available_languages
from registrar.mail.compose import (
    ErasedApplication,
    Links,
    MissingLink,
    OutgoingMail,
    compose,
    mail_language,
    sample_application,
)
from registrar.mail.context import NEEDS, common_keys
from registrar.mail.render import TEMPLATES_DIR, environment, template_names
from registrar.mail.sample import sample_lottery, sample_seat_holder
from registrar.mail_queue import MAIL_KINDS, MailKind

NOW = dt.datetime(2023, 4, 12, 8, 0, tzinfo=dt.UTC)
# An ampersand in a URL must survive as-is in text and as &amp; in HTML.
CONFIRM_URL = "https://anmeldung.example.org/confirm?t=c0nf.SIG&lang=de"
LINKS = Links(
    confirm=CONFIRM_URL,
    manage="https://anmeldung.example.org/manage?t=m4n4ge.SIG&lang=de",
    form="https://anmeldung.example.org/?lang=de",
)
EXPECTED_LINKS: dict[MailKind, set[str]] = {
    "receipt": {LINKS.manage, CONFIRM_URL},
    "already_registered": {LINKS.manage, LINKS.form},
    "confirm_reminder": {CONFIRM_URL},
    "accepted": {LINKS.manage},
    "offered": {LINKS.manage},
    "waitlisted": {LINKS.manage},
    "not_admitted": set(),
    "offer_expired": set(),
    "withdrawn": set(),
    "declined": set(),
    "cancelled": set(),
    "program": {LINKS.manage},
    "substitute_confirm": {CONFIRM_URL},
    "substituted": set(),
    "extra_place": set(),
}
LANGUAGES = ("de", "en")


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


def render(
    conference: Conference, kind: MailKind, language: str, **changes: object
) -> OutgoingMail:
    application = sample_application(conference, language, NOW, kind=kind)
    if changes:
        application = application.model_copy(update=changes)
    return compose(kind, application, conference, LINKS, NOW)


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def parse_html(html: str) -> _Hrefs:
    parser = _Hrefs()
    parser.feed(html)
    return parser


def web_links_in_text(text: str) -> set[str]:
    return set(re.findall(r"https?://\S+", text))


def test_the_shipped_languages_are_german_and_english() -> None:
    assert available_languages() == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_every_kind_renders_in_every_language(
    conference: Conference, kind: MailKind, language: str
) -> None:
    mail = render(conference, kind, language)

    assert mail.kind == kind
    assert mail.language == language
    assert mail.to == "erika.mustermann@example.org"
    assert mail.subject.strip()
    assert "\n" not in mail.subject
    assert mail.text.strip()
    assert mail.html.strip()
    assert f'<html lang="{language}"' in mail.html
    assert "R-SAMP-LE42" in mail.text
    assert "R-SAMP-LE42" in mail.html
    assert conference.organiser.contact_email in mail.text
    assert conference.text(conference.title, language) in mail.subject


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_links_in_both_parts_are_exactly_the_links_given(
    conference: Conference, kind: MailKind, language: str
) -> None:
    mail = render(conference, kind, language)
    hrefs = {href for href in parse_html(mail.html).hrefs if not href.startswith("mailto:")}

    # every mail links the organisers' legal notice and privacy notice, in both parts
    legal = {str(conference.imprint_url), str(conference.privacy_notice_url)}
    assert web_links_in_text(mail.text) == EXPECTED_LINKS[kind] | legal
    assert hrefs == EXPECTED_LINKS[kind] | legal
    assert "&amp;lang=de" in mail.html or not EXPECTED_LINKS[kind]


def web_link_occurrences(part: str) -> Counter[str]:
    """Every http(s) link in a part, as often as it occurs (HTML: attributes and text)."""
    return Counter(re.findall(r"https?://[^\s<>\"']+", html.unescape(part)))


@pytest.mark.parametrize(
    "variant",
    [{}, {"confirmed_at": NOW}, {"offer_expires_at": NOW + dt.timedelta(days=2)}],
    ids=["sample", "confirmed", "with-offer-expiry"],
)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_text_and_html_carry_the_same_links_the_same_number_of_times(
    conference: Conference, kind: MailKind, language: str, variant: dict[str, object]
) -> None:
    """Spam filters distrust alternatives that differ (rspamd's URI_COUNT_ODD)."""
    mail = render(conference, kind, language, **variant)

    assert web_link_occurrences(mail.html) == web_link_occurrences(mail.text)
    legal = {str(conference.imprint_url), str(conference.privacy_notice_url)}
    assert set(web_link_occurrences(mail.text)) <= EXPECTED_LINKS[kind] | legal


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_templates_use_only_the_context_their_kind_declares(kind: MailKind, language: str) -> None:
    """Catches an undeclared name even in a branch the sample does not take."""
    env = environment()
    allowed = common_keys() | NEEDS[kind] | {"subject"}
    pending = list(template_names(language, kind))
    seen: set[str] = set()
    used: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
        ast = env.parse(source)
        # Macros imported at the top of a child template count as undeclared inside its
        # blocks for jinja2.meta; they are template names, not context.
        imported = {
            alias if isinstance(alias, str) else alias[1]
            for node in ast.find_all(nodes.FromImport)
            for alias in node.names
        }
        used |= meta.find_undeclared_variables(ast) - imported
        for referenced in meta.find_referenced_templates(ast):
            assert referenced is not None, f"{name}: dynamic template names are not checkable"
            pending.append(env.join_path(referenced, name))

    assert used <= allowed, f"{kind}/{language} uses undeclared {sorted(used - allowed)}"
    assert posixpath.join(language, "_decision.txt.j2") in seen or "decision" not in NEEDS[kind]


def test_every_shipped_language_has_every_mail_template() -> None:
    for code in available_languages():
        for kind in MAIL_KINDS:
            for name in template_names(code, kind):
                assert (TEMPLATES_DIR / name).is_file(), name


def test_german_dates_and_times_are_written_out(conference: Conference) -> None:
    german = i18n.language("de")
    instant = dt.datetime(2023, 5, 11, 10, 30, tzinfo=dt.UTC)  # 12:30 in Kassel (CEST)

    assert german.datetime(instant, conference.zone) == "Donnerstag, 11. Mai 2023, 12:30 Uhr"
    assert german.date_span(conference.dates) == "11.–12. Mai 2023"
    assert i18n.language("en").datetime(instant, conference.zone) == (
        "Thursday, 11 May 2023, 12:30 (CEST)"
    )


def test_receipt_gives_the_deadline_in_local_time(conference: Conference) -> None:
    mail = render(conference, "receipt", "de")

    assert "bis Montag, 10. April 2023, 23:59 Uhr" in mail.text
    assert "Losverfahren" in mail.text


def test_receipt_of_a_confirmed_application_has_no_confirmation_link(
    conference: Conference,
) -> None:
    mail = render(conference, "receipt", "de", confirmed_at=NOW)

    assert CONFIRM_URL not in mail.text
    assert mail.subject.startswith("Ihre Voranmeldung ist eingegangen")


def test_a_reminder_without_confirmation_link_is_refused(conference: Conference) -> None:
    application = sample_application(conference, "de", NOW, kind="confirm_reminder")
    links = Links(confirm=None, manage=LINKS.manage, form=LINKS.form)

    with pytest.raises(MissingLink):
        compose("confirm_reminder", application, conference, links, NOW)


def test_already_registered_confirms_nothing_but_the_reference(conference: Conference) -> None:
    mail = render(conference, "already_registered", "de")

    for detail in ("Erika", "Mustermann", "Workshop", "Raum"):
        assert detail not in mail.text
        assert detail not in mail.html


def test_accepted_lists_venue_workshops_and_tour_and_no_room_not_set(
    conference: Conference,
) -> None:
    mail = render(conference, "accepted", "de")

    for expected in (
        "Ort: Obere Königsstraße 8, 34117 Kassel",
        # both days from start to end, so that people can book trains
        "- Donnerstag, 11. Mai 2023, 11:00–17:30 Uhr",
        "- Freitag, 12. Mai 2023, 09:00–14:00 Uhr",
        "Donnerstag, 11. Mai 2023, 12:30–14:45 Uhr",
        "WS II: ‚Dritte Orte – Räume mit Potential‘",
        "Freitag, 12. Mai 2023, 10:30–12:15 Uhr",
        "Donnerstag, 11. Mai 2023, 18:00 Uhr\nSie haben einen Platz.\n",
    ):
        assert expected in mail.text
    assert "bestätigen Sie Ihre Teilnahme bis" not in mail.text
    # nothing the announcement does not say: no venue name, no travel note
    assert "Tagungsort Kassel" not in mail.text and "Haltestelle" not in mail.text
    assert "Raum" not in mail.text  # the announcement names no rooms
    assert "09:00–14:00" in mail.html and "11:00–17:30" in mail.html


def test_accepted_with_an_expiry_asks_for_confirmation(conference: Conference) -> None:
    expires = dt.datetime(2023, 4, 15, 10, 0, tzinfo=dt.UTC)
    mail = render(conference, "accepted", "de", offer_expires_at=expires)

    assert "bis Samstag, 15. April 2023, 12:00 Uhr" in mail.text


def test_offered_asks_to_accept_by_the_expiry(conference: Conference) -> None:
    mail = render(conference, "offered", "de")
    no_expiry = render(conference, "offered", "de", offer_expires_at=None)

    # made on Wednesday 12 April: three working days (Thursday, Friday, Monday), to 23:59
    assert "bis spätestens Montag, 17. April 2023, 23:59 Uhr" in mail.text
    assert "so bald wie möglich" in no_expiry.text


def test_tour_waitlist_and_no_tour(conference: Conference) -> None:
    waiting = render(conference, "accepted", "de", extras={"city_tour": "waitlist"})
    without = render(conference, "accepted", "de", extras={})

    assert "Für „Stadtführung mit Harald Kimpel" in waiting.text
    assert "stehen Sie auf der Warteliste" in waiting.text
    assert "Stadtführung" not in without.text


def test_a_slot_without_workshop_says_so(conference: Conference) -> None:
    mail = render(conference, "accepted", "de", workshops={"day1": "d1-ws1"})

    assert "Ihren Workshop teilen wir Ihnen noch mit" in mail.text


def test_waitlisted_gives_position_and_what_happens_next(conference: Conference) -> None:
    mail = render(conference, "waitlisted", "de")
    unknown = render(conference, "waitlisted", "de", waitlist_position=None)

    assert "Position auf der Warteliste: 7" in mail.text
    assert "bis 23:59 Uhr des 3. Arbeitstags nach dem Angebot" in mail.text
    assert "Position" not in unknown.text
    english = render(conference, "waitlisted", "en")
    assert "until 23:59 on the 3rd working day after the offer" in english.text
    assert "until 23:59 on the 3rd working day after the offer" in english.html
    assert "hours" not in english.text


def test_the_rejection_apologises_once_and_the_acceptance_says_what_its_subject_says(
    conference: Conference,
) -> None:
    rejection = render(conference, "not_admitted", "en")
    text = f"{rejection.subject}\n{rejection.text}".lower()
    assert text.count("sorry") + text.count("regret") + text.count("apolog") == 1
    acceptance = render(conference, "accepted", "en")
    assert acceptance.subject.startswith("You have a place")
    assert "you have a place at" in acceptance.text


@pytest.mark.parametrize(
    ("language", "salutation", "title", "greeting"),
    [
        ("de", "herr", "Prof. Dr.", "Sehr geehrter Herr Prof. Dr. Mustermann,"),
        ("de", "divers", "", "Guten Tag Erika Mustermann,"),
        ("en", "frau", "Dr.", "Dear Dr Mustermann,"),
        ("en", "none", "", "Dear Erika Mustermann,"),
    ],
)
def test_letters_greet_as_the_applicant_chose(
    conference: Conference, language: str, salutation: str, title: str, greeting: str
) -> None:
    # A confirmed address: the mail may use what the applicant typed.
    mail = render(conference, "waitlisted", language, salutation=salutation, title=title)
    assert mail.text.startswith(greeting + "\n")
    assert f"<bdi>{greeting}</bdi>" in mail.html


ATTACKER_TEXT = "Konto gesperrt: https://evil.example/login"


@pytest.mark.parametrize("kind", ["receipt", "confirm_reminder"])
@pytest.mark.parametrize(("language", "greeting"), [("de", "Guten Tag,"), ("en", "Hello,")])
def test_mail_to_an_unconfirmed_address_carries_nothing_the_applicant_typed(
    conference: Conference, kind: MailKind, language: str, greeting: str
) -> None:
    """Whoever typed the address could have typed anything: a given name with a phishing
    line would go out from the organisers' domain to any address."""
    mail = render(
        conference,
        kind,
        language,
        confirmed_at=None,
        salutation="herr",
        title="Dr. https://evil.example",
        given_name=ATTACKER_TEXT,
        family_name="Mustermann",
        organisation="Bank: Ihr Konto ist gesperrt",
        function="Bitte hier anmelden",
    )
    for part in (mail.subject, mail.text, mail.html):
        for typed in ("evil.example", "Konto gesperrt", "Mustermann", "Bank", "anmelden"):
            assert typed not in part, (typed, part[:200])
    assert mail.text.startswith(greeting + "\n")
    assert f"<bdi>{greeting}</bdi>" in mail.html
    assert "R-" in mail.text  # the reference stays: it is the system's, not the applicant's


def test_once_confirmed_the_same_receipt_greets_by_name(conference: Conference) -> None:
    confirmed = render(conference, "receipt", "de", confirmed_at=NOW, salutation="frau", title="")
    assert confirmed.text.startswith("Sehr geehrte Frau Mustermann,\n")


def test_program_marks_own_workshops_and_tour(conference: Conference) -> None:
    mail = render(conference, "program", "de")

    # the next programme item follows after a blank line, as between all items
    assert "► Ihr Workshop: WS II: ‚Dritte Orte – Räume mit Potential‘\n\n14:45" in mail.text
    assert "► Ihr Workshop: WS II: Kooperationen und Netzwerke neu denken\n" in mail.text
    assert "► Sie haben einen Platz.\n" in mail.text
    assert "Treffpunkt" not in mail.text  # not in the announcement, not set yet
    assert "Prof. Dr. Gesine Schwan" in mail.text
    assert "15:45–17:20 Uhr: Keynote" in mail.text
    assert "Obere Königsstraße 8, 34117 Kassel" in mail.text
    assert "<strong>Ihr Workshop:</strong>" in mail.html
    assert [a.filename for a in mail.attachments] == ["kassel-2023-programm.ics"]


def test_program_without_programme_falls_back_to_the_personal_dates(
    conference: Conference,
) -> None:
    bare = conference.model_copy(update={"programme": []})
    application = sample_application(bare, "de", NOW, kind="program")
    mail = compose("program", application, bare, LINKS, NOW)

    assert "Ihre Workshops:" in mail.text
    assert "  WS II: Kooperationen und Netzwerke neu denken\n" in mail.text
    assert "Raum" not in mail.text


def test_unknown_language_falls_back_to_the_default(conference: Conference) -> None:
    application = sample_application(conference, "fr", NOW, kind="accepted")

    assert mail_language(application, conference) == "de"
    assert compose("accepted", application, conference, LINKS, NOW).language == "de"


def test_an_erased_application_is_not_written_to(conference: Conference) -> None:
    application = sample_application(conference, "de", NOW).model_copy(
        update={"erased": True, "email": ""}
    )

    with pytest.raises(ErasedApplication):
        compose("declined", application, conference, LINKS, NOW)


HOSTILE_NAMES = [
    ("<script>alert(1)</script>", "Mustermann"),
    ('"\r\nBcc: evil@example.org', "<b>x</b>"),
    ("Erika\u202e", "\u202enamrestsuM\u2066"),
    ("Erika\u2028Subject: x", "Mustermann\x00\x1b[31m"),
]


@pytest.mark.parametrize(("given", "family"), HOSTILE_NAMES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_hostile_names_never_become_markup_or_lines(
    conference: Conference, kind: MailKind, given: str, family: str
) -> None:
    mail = render(conference, kind, "de", given_name=given, family_name=family)

    assert parse_html(mail.html).tags <= _ALLOWED_TAGS
    assert "<script" not in mail.html
    assert "<b>x</b>" not in mail.html
    for unsafe in ("\r", "\u202e", "\u2066", "\u2028", "\x00", "\x1b"):
        assert unsafe not in mail.text
        assert unsafe not in mail.html
        assert unsafe not in mail.subject
    greeting = mail.text.splitlines()[0]
    # The sample's address is unconfirmed for these: no name at all then.
    neutral = kind in {"already_registered", "receipt", "confirm_reminder"}
    assert greeting.startswith("Guten Tag," if neutral else "Sehr geehrte")
    assert not any(line.startswith("Bcc:") for line in mail.text.splitlines())


_ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "body",
    "div",
    "p",
    "h1",
    "h2",
    "a",
    "br",
    "bdi",
    "strong",
    "span",
    "ul",
    "li",
    "hr",
    "footer",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def test_names_are_isolated_in_html(conference: Conference) -> None:
    mail = render(conference, "accepted", "de")

    assert "<bdi>Sehr geehrte Frau Dr. Mustermann,</bdi>" in mail.html


def test_sample_is_clearly_fake_and_complete(conference: Conference) -> None:
    application = sample_application(conference, "de", NOW)

    assert application.display_name == "Erika Mustermann"
    assert application.email.endswith("@example.org")
    assert set(application.workshops) == {slot.id for slot in conference.workshop_slots}
    assert application.extras == {"city_tour": "place"}


def test_the_waitlist_mail_says_the_position_never_gets_worse_and_when_it_closes(
    conference: Conference,
) -> None:
    german = render(conference, "waitlisted", "de")
    english = render(conference, "waitlisted", "en")
    for text in (german.text, german.html):
        assert "Ihre Position wird nie schlechter" in text
        assert "für eine Gruppe reserviert ist, die ihre reservierten Plätze noch nicht" in text
        assert "wenn die eigene Organisation schon 2 Plätze hat und andere warten" in text
        assert "Die Warteliste schließt am Dienstag, 9. Mai 2023, 12:00 Uhr" in text
    for text in (english.text, english.html):
        assert "Your position never gets worse" in text
        assert "reserved for a group that has not yet filled its reserved places" in text
        assert "if their organisation already has 2 places while others wait" in text
        assert "The waiting list closes on Tuesday, 9 May 2023, 12:00" in text


@pytest.mark.parametrize(
    ("kind", "promise"),
    [
        ("declined", {"de": "Warteliste", "en": "waiting list"}),
        ("offer_expired", {"de": "Warteliste", "en": "waiting list"}),
    ],
)
def test_a_freed_seat_is_promised_to_the_waiting_list_only_before_it_closes(
    conference: Conference, kind: MailKind, promise: dict[str, str]
) -> None:
    closes = conference.admission.waitlist_closes_at
    assert closes is not None
    for language, word in promise.items():
        application = sample_application(conference, language, NOW, kind=kind)
        before = compose(kind, application, conference, LINKS, conference.closes_at)
        after = compose(kind, application, conference, LINKS, conference.local(closes))
        assert word in before.text and word in before.html
        assert word not in after.text and word not in after.html


def test_an_offer_lapsing_after_the_close_does_not_promise_the_seat_to_the_next_person(
    conference: Conference,
) -> None:
    closes = conference.admission.waitlist_closes_at
    assert closes is not None
    lapses_before = render(conference, "offered", "en", offer_expires_at=conference.closes_at)
    lapses_after = render(
        conference,
        "offered",
        "de",
        offer_expires_at=conference.local(closes) + dt.timedelta(days=1),
    )
    assert "we will pass the place on to the next person on the waiting list" in lapses_before.text
    assert "verfällt das Angebot. Falls Sie nicht teilnehmen können" in lapses_after.text
    assert "nächste Person auf der Warteliste" not in lapses_after.html


def _paragraphs_run_together(text: str) -> list[tuple[str, str]]:
    """Two lines of running text with no blank line between them (a template's block tag
    at the end of a line swallows the newline after it): each pair, cut short."""
    body = text.split("\n-- \n")[0].splitlines()
    return [
        (first[-40:], second[:40])
        for first, second in itertools.pairwise(body)
        if first.rstrip().endswith((".", "!"))
        and len(second) > 40
        and not first.startswith((" ", "-"))
        and not second.startswith((" ", "-", "►", "="))
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_paragraphs_in_the_text_part_are_apart(
    conference: Conference, kind: MailKind, language: str
) -> None:
    # As `registrar mail preview` renders them: with a ticket, and a seat holder for the
    # substitute's mail. Before the fix the receipt, acceptance, offer, waiting-list and
    # decline mails ran a paragraph into the next one.
    application = sample_application(conference, language, NOW, kind=kind)
    holder = sample_seat_holder(conference, language, NOW) if kind == "substitute_confirm" else None
    mail = compose(kind, application, conference, LINKS, NOW, sample_lottery(), seat_holder=holder)
    assert _paragraphs_run_together(mail.text) == []
