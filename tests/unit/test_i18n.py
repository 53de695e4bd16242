"""The one localisation path: every file has every key, a new file is a new language, and
the one fallback is the conference's default language."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from registrar import i18n
from registrar.application import Application
from registrar.conference import Conference
from registrar.i18n import LOCALES_DIR, LocaleError, Locales, available_languages
from registrar.mail.compose import mail_language, sample_application
from registrar.salutation import letter_greeting
from registrar.web.pages import render_form
from registrar_cli.export import columns

NOW = dt.datetime(2023, 4, 1, 10, 0, tzinfo=dt.UTC)


def raw(code: str, directory: Path = LOCALES_DIR) -> dict[str, dict[str, object]]:
    loaded: dict[str, dict[str, object]] = yaml.safe_load(
        (directory / f"{code}.yaml").read_text(encoding="utf-8")
    )
    return loaded


def keys(code: str) -> set[str]:
    return {
        f"{section}.{name}"
        for section, entries in raw(code).items()
        if section != "formats"
        for name in entries
    }


def fields(text: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def test_german_and_english_are_shipped() -> None:
    assert available_languages() == ("de", "en")


@pytest.mark.parametrize("code", available_languages())
def test_every_language_file_has_every_key_with_the_same_fields(code: str) -> None:
    every_key = set().union(*(keys(other) for other in available_languages()))
    assert sorted(every_key - keys(code)) == [], f"{code}.yaml lacks these keys"
    texts = i18n.language(code)
    for key in sorted(every_key):
        mine = fields(texts.text(key))
        for other in available_languages():
            theirs = fields(i18n.language(other).text(key))
            assert mine == theirs, f"{key}: {code} fills in {mine}, {other} {theirs}"
    for name in (*i18n.FORMATS, "ordinal"):
        assert name in raw(code)["formats"], f"{code}.yaml: formats.{name}"
    assert texts.formats.ordinal["other"]


def test_dates_and_times_as_each_language_writes_them(conference: Conference) -> None:
    german, english = i18n.language("de"), i18n.language("en")
    deadline = conference.deadline  # 10 April 2023, 23:59:59 in Kassel (CEST)
    assert german.datetime(deadline, conference.zone) == "Montag, 10. April 2023, 23:59 Uhr"
    assert english.datetime(deadline, conference.zone) == "Monday, 10 April 2023, 23:59 (CEST)"
    assert german.date_time_short(deadline, conference.zone) == "10.04.2023 23:59"
    assert english.date_time_short(deadline, conference.zone) == "10 Apr 2023 23:59"
    assert german.date_short(dt.date(2023, 5, 1)) == "01.05.2023"
    assert english.date_short(dt.date(2023, 5, 1)) == "1 May 2023"
    assert german.day_month(dt.date(2023, 5, 1)) == "01.05."
    assert english.day_month(dt.date(2023, 5, 1)) == "1 May"
    assert german.date_span(conference.dates) == "11.–12. Mai 2023"
    assert english.date_span(conference.dates) == "11–12 May 2023"
    assert german.date_span([dt.date(2023, 5, 11)]) == "Donnerstag, 11. Mai 2023"
    assert german.time_range("12:30", "14:45") == "12:30–14:45 Uhr"
    assert german.time_range(dt.time(18, 0), None) == "18:00 Uhr"
    assert english.time_range("12:30", "14:45") == "12:30–14:45"
    assert [english.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
    ]  # fmt: skip
    assert german.ordinal(3) == "3."
    assert english.percent(0.83) == "83%"
    assert german.percent(0.83) == "83\xa0%"  # no line break between number and sign
    assert german.language_name("en") == "Englisch"


def test_a_time_without_its_zone_is_refused(conference: Conference) -> None:
    with pytest.raises(ValueError, match="zone"):
        i18n.language("de").datetime(dt.datetime(2023, 5, 11, 12, 30), conference.zone)


def test_an_unknown_key_or_language_names_the_file() -> None:
    with pytest.raises(LocaleError, match=r"de\.yaml: no text 'ui\.nonexistent'"):
        i18n.translate("de", "ui.nonexistent")
    with pytest.raises(LocaleError, match=r"no language file xx\.yaml"):
        i18n.language("xx")
    with pytest.raises(LocaleError, match="no language file"):
        i18n.language("../de")


def test_a_bare_yes_or_no_key_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "de.yaml").write_text(
        (LOCALES_DIR / "de.yaml").read_text(encoding="utf-8") + "export_again:\n  no: nein\n",
        encoding="utf-8",
    )
    with pytest.raises(LocaleError, match=r"de\.yaml: export_again: keys must be words"):
        Locales(tmp_path).language("de")


# A French file, written as a translator would: a copy of en.yaml with French formats and
# texts. No code knows French.
FRENCH_FORMATS = {
    "locale": "fr",
    "date": "EEEE d MMMM y",
    "clock": "HH:mm",
    "time": "HH 'h' mm",
    "date_short": "dd/MM/y",
    "day_month": "dd/MM",
    "date_time_short": "dd/MM/y HH:mm",
    "datetime": "{date} à {time}",
    "time_range": "{start}–{end}",
    "date_span": "yMMMMd",
    "ordinal": {"one": "{n}re", "other": "{n}e"},
}


@pytest.fixture
def with_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The package's languages and a French file, in a folder of their own."""
    for code in available_languages():
        (tmp_path / f"{code}.yaml").write_text(
            (LOCALES_DIR / f"{code}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
    french = raw("en")
    french["formats"] = dict(FRENCH_FORMATS)
    french["ui"] |= {"form_title": "Préinscription", "deadline": "Date limite d'inscription"}
    french["greeting"] |= {"frau": "Madame {family_name},", "neutral": "Bonjour {given_name},"}
    french["export_columns"] |= {"family_name": "Nom"}
    french["outbox_page"] |= {"title": "{count} e-mails", "title_one": "{count} e-mail"}
    (tmp_path / "fr.yaml").write_text(yaml.safe_dump(french, allow_unicode=True), "utf-8")
    monkeypatch.setattr(i18n, "PACKAGE_LOCALES", Locales(tmp_path))
    i18n.language.cache_clear()
    yield tmp_path
    i18n.language.cache_clear()


def offering(conference: Conference, *languages: str, default: str = "de") -> Conference:
    return conference.model_copy(update={"languages": list(languages), "default_language": default})


def test_a_new_language_file_is_a_new_language(with_french: Path, conference: Conference) -> None:
    french = i18n.language("fr")
    assert "fr" in available_languages()
    assert french.date(dt.date(2023, 5, 11)) == "jeudi 11 mai 2023"
    assert french.datetime(conference.deadline, conference.zone) == (
        "lundi 10 avril 2023 à 23 h 59"
    )
    assert french.date_span(conference.dates) == "11–12 mai 2023"
    assert [french.ordinal(n) for n in (1, 2)] == ["1re", "2e"]
    assert letter_greeting("fr", "frau", "", "Alex", "Müller") == "Madame Müller,"
    assert letter_greeting("fr", "divers", "Dr.", "Alex", "Müller") == "Bonjour Alex,"

    event = offering(conference, "de", "en", "fr")
    assert i18n.negotiate_language(None, "fr-FR,fr;q=0.9", event.languages, "de") == "fr"
    page = render_form(event, "fr")
    assert "Préinscription" in page
    assert "lundi 10 avril 2023 à 23 h 59" in page
    assert "jeudi 11 mai 2023" in page
    # Each other language is offered by its own name; German pages now link to French too.
    assert 'hreflang="de">Deutsch</a>' in page and 'hreflang="en">English</a>' in page
    assert 'hreflang="fr">français</a>' in render_form(event, "de")
    assert ("family_name", "Nachname / Family name / Nom") in columns(event, with_status=False)


def test_a_count_takes_the_text_of_its_plural_category(with_french: Path) -> None:
    german, english, french = (i18n.language(code) for code in ("de", "en", "fr"))
    assert german.count_text("outbox_page.title", 1) == "Postausgang (lokal): 1 E-Mail"
    assert german.count_text("outbox_page.title", 2) == "Postausgang (lokal): 2 E-Mails"
    assert english.count_text("outbox_page.title", 0) == "Outbox (local): 0 emails"
    # French counts 0 and 1 alike (CLDR's "one"): the file says so, no code knows it.
    assert [french.count_text("outbox_page.title", n) for n in (0, 1, 2)] == [
        "0 e-mail", "1 e-mail", "2 e-mails",
    ]  # fmt: skip
    # A text without a twin is the same for every count.
    assert german.count_text("signin.participants", 1, n=1) == "1 Teilnehmende"


def applying_in(conference: Conference, code: str) -> Application:
    application = sample_application(conference, "de", NOW, kind="receipt")
    return application.model_copy(update={"language": code})


def test_a_language_offered_without_its_file_falls_back_to_the_default(
    conference: Conference,
) -> None:
    english_event = offering(conference, "de", "en", "fr", default="en")
    assert i18n.negotiate_language("fr", "fr", english_event.languages, "en") == "en"
    assert i18n.choose_language("fr", english_event.languages, "en") == "en"
    assert mail_language(applying_in(english_event, "fr"), english_event) == "en"

    german_event = offering(conference, "de", "en", "fr", default="de")
    assert 'hreflang="fr"' not in render_form(german_event, "de")  # no page to link to
    assert i18n.negotiate_language(None, "fr, en;q=0.5", german_event.languages, "de") == "en"
    assert mail_language(applying_in(german_event, "fr"), german_event) == "de"


def test_a_shipped_language_the_event_does_not_offer_falls_back_too(
    with_french: Path, conference: Conference
) -> None:
    event = offering(conference, "de", "en", default="en")
    assert i18n.negotiate_language("fr", "fr", event.languages, "en") == "en"
    assert mail_language(applying_in(event, "fr"), event) == "en"
    french_event = offering(conference, "de", "fr")
    assert mail_language(applying_in(french_event, "fr"), french_event) == "fr"
