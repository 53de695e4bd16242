"""The event's dates written at build time (registrar.prepared_dates): mails read the same.

The build writes them into ``<code>.dates.json`` beside each language file; here they are
written into a copy of the language files of the test's own.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from registrar import prepared_dates
from registrar.conference import Conference, load_conference
from registrar.i18n import (
    LOCALES_DIR,
    PREPARED_SUFFIX,
    Language,
    Locales,
    available_languages,
    babel_version,
)
from registrar.mail import compose as compose_module
from registrar.mail.compose import OutgoingMail, compose
from registrar.mail.sample import (
    sample_application,
    sample_links,
    sample_lottery,
    sample_seat_holder,
)
from registrar.mail_queue import MAIL_KINDS, MailKind
from tests.support.fresh_process import output_lines

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2023, 4, 12, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def conference() -> Conference:
    return load_conference("kassel-2023")


def _copy_of_language_files(target: Path) -> Path:
    shutil.copytree(LOCALES_DIR, target)
    for made in target.glob(f"*{PREPARED_SUFFIX}"):
        made.unlink()  # what a development checkout holds from its last build
    return target


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, conference: Conference) -> Locales:
    folder = _copy_of_language_files(tmp_path_factory.mktemp("prepared") / "locales")
    written = prepared_dates.write(folder, [conference])
    assert {p.name for p in written} == {f"{code}{PREPARED_SUFFIX}" for code in ("de", "en")}
    return Locales(folder)


@pytest.fixture(scope="module")
def unprepared(tmp_path_factory: pytest.TempPathFactory) -> Locales:
    return Locales(_copy_of_language_files(tmp_path_factory.mktemp("plain") / "locales"))


def _compose(conference: Conference, kind: MailKind, language: str) -> OutgoingMail:
    application = sample_application(conference, language, NOW, kind=kind)
    holder = sample_seat_holder(conference, language, NOW) if kind == "substitute_confirm" else None
    return compose(
        kind, application, conference, sample_links(), NOW, sample_lottery(), seat_holder=holder
    )


@pytest.mark.parametrize("language", available_languages())
@pytest.mark.parametrize("kind", MAIL_KINDS)
def test_a_mail_reads_the_same_with_the_prepared_dates_as_with_babel(
    conference: Conference,
    kind: MailKind,
    language: str,
    prepared: Locales,
    unprepared: Locales,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compose_module, "language_named", prepared.language)
    with_prepared = _compose(conference, kind, language)
    monkeypatch.setattr(compose_module, "language_named", unprepared.language)
    with_babel = _compose(conference, kind, language)
    assert with_prepared == with_babel


def test_the_event_dates_are_prepared_and_any_other_date_is_written_by_babel(
    conference: Conference, prepared: Locales, unprepared: Locales
) -> None:
    german, plain = prepared.language("de"), unprepared.language("de")
    assert german.written_down == {}  # a language read from the files keeps nothing
    deadline = conference.deadline.replace(second=0, microsecond=0)
    assert german.datetime(deadline, conference.zone) == "Montag, 10. April 2023, 23:59 Uhr"
    assert german.date_span(conference.dates) == plain.date_span(conference.dates)
    offer_expires = dt.datetime(2023, 5, 3, 21, 59, tzinfo=dt.UTC)
    assert german.datetime(offer_expires, conference.zone) == "Mittwoch, 3. Mai 2023, 23:59 Uhr"


def _stale(folder: Path, change: dict[str, object]) -> Language:
    kept_file = folder / f"de{PREPARED_SUFFIX}"
    kept = json.loads(kept_file.read_text(encoding="utf-8"))
    kept["texts"] = dict.fromkeys(kept["texts"], "FALSCH")
    kept["stamp"] = {**kept["stamp"], **change}
    kept_file.write_text(json.dumps(kept), encoding="utf-8")
    return Locales(folder).language("de")


@pytest.mark.parametrize(
    "change", [{"babel": "2.9.0"}, {"language_sha256": "0" * 64}], ids=["babel", "language"]
)
def test_dates_prepared_by_another_babel_or_from_another_language_file_are_not_used(
    tmp_path: Path, conference: Conference, change: dict[str, object]
) -> None:
    folder = _copy_of_language_files(tmp_path / "locales")
    prepared_dates.write(folder, [conference])
    german = _stale(folder, change)
    assert german.date_span(conference.dates) == "11.–12. Mai 2023"


def test_babels_version_is_read_as_its_distribution_states_it() -> None:
    from importlib import metadata

    assert babel_version() == metadata.version("babel")


def test_the_build_writes_them_beside_the_language_files(tmp_path: Path) -> None:
    from registrar import prebuilt

    package = tmp_path / "registrar"
    shutil.copytree(LOCALES_DIR.parent / "conferences", package / "conferences")
    _copy_of_language_files(package / "locales")
    written = {p.name for p in prebuilt.write(package)}
    assert {"de.dates.json", "en.dates.json"} <= written


def test_the_mailer_sends_a_receipt_without_babel_or_email_validator(tmp_path: Path) -> None:
    # Babel and a locale's data (20-40 ms), email-validator's grammar (30-45 ms): a receipt
    # tells only the event's dates and goes to a plain address.
    folder = _copy_of_language_files(tmp_path / "locales")
    prepared_dates.write(folder, [load_conference("kassel-2023")])
    script = f"""
import datetime as dt, json, random, sys
from registrar import i18n
i18n.PACKAGE_LOCALES = i18n.Locales(__import__("pathlib").Path({str(folder)!r}))
from registrar.clock import SettableClock
from registrar.conference import load_conference
from registrar.mail.sample import sample_application
from registrar.mail_queue import MailRequest
from registrar.services.lottery import LotteryService
from registrar.services.mailing import MailerConfig, MailerService
from registrar.tokens import TokenSigner
from tests.fakes import MemoryApplications, MemoryOutbox, MemoryRuns, MemorySender
now = dt.datetime(2023, 4, 7, 8, 0, tzinfo=dt.UTC)
conference = load_conference("kassel-2023")
applications, sender, clock = MemoryApplications(), MemorySender(), SettableClock(now)
application = sample_application(conference, "de", now, kind="receipt")
applications.add(application)
mailer = MailerService(
    conference, applications, MemoryOutbox(), sender, TokenSigner("k" * 40), clock,
    MailerConfig("https://anmeldung.example.org", "anmeldung@example.org"),
    lottery=LotteryService(conference, MemoryRuns(), clock, random.Random(1)),
)
request = MailRequest.create("receipt", conference.id, application.applicant_key, 0)
assert mailer.deliver(request) == "sent", "not sent"
print(json.dumps(sorted(sys.modules)))
"""
    loaded = set(json.loads(output_lines(script, cwd=ROOT)[-1]))
    assert "registrar.mail.render" in loaded  # the receipt was written
    assert not {m for m in loaded if m.partition(".")[0] in {"babel", "email_validator"}}


@pytest.mark.parametrize("language", available_languages())
def test_the_form_reads_the_same_with_the_prepared_dates_as_with_babel(
    conference: Conference,
    language: str,
    prepared: Locales,
    unprepared: Locales,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from registrar.web import pages

    monkeypatch.setattr(pages, "language", prepared.language)
    with_prepared = pages.render_form(conference, language)
    monkeypatch.setattr(pages, "language", unprepared.language)
    assert with_prepared == pages.render_form(conference, language)


def test_the_form_is_shown_without_babel(tmp_path: Path) -> None:
    # What an applicant opens first: the event's dates, the choices' ordinals and the
    # other language's name are prepared (Babel and a locale's data: 20-40 ms).
    folder = _copy_of_language_files(tmp_path / "locales")
    prepared_dates.write(folder, [load_conference("kassel-2023")])
    script = f"""
import json, sys
from pathlib import Path
from registrar import i18n
i18n.PACKAGE_LOCALES = i18n.Locales(Path({str(folder)!r}))
from registrar.conference import load_conference
from registrar.web.pages import render_form
conference = load_conference("kassel-2023")
for lang in ("de", "en"):
    assert "</html>" in render_form(conference, lang)
print(json.dumps(sorted(sys.modules)))
"""
    loaded = set(json.loads(output_lines(script, cwd=ROOT)[-1]))
    assert "registrar.web.pages" in loaded
    assert not {m for m in loaded if m.partition(".")[0] == "babel"}
