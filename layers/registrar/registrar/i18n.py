"""The one localisation path: each language's texts and date formats, and the one fallback.

A language is one file, ``locales/<code>.yaml``: the texts of the pages, the mails' shared
words and greetings, the print material, the admissions report and the CLI's labels, in
sections (``ui.form_title``), and ``formats``, how the language writes dates, times, spans
and ordinals. A text that counts has a twin per plural category (``title_one``), chosen
by the language's CLDR rules (``count_text``). Dates and times are CLDR patterns formatted
by Babel, with the names of days and months (and the way of writing shares) from Babel's
locale data for the file's ``formats.locale``; Babel and a locale's data load at the first
date formatted, never at import (the api's cold start renders no date for a JSON request).
The event's own dates and times are fixed by its definition: the build writes them in each
language (``registrar.prepared_dates``, ``<code>.dates.json`` beside the language file),
and a language reads them there, so that a mail telling only those (a receipt) loads no
Babel; they are used only when made from the very language file beside them by the Babel
installed, as ``registrar.prebuilt``'s files are. Any other date is formatted by Babel.
A mail's body is a Jinja template in ``mail/templates/<code>/``. Adding a language is
adding those files: no code names a language.

The one fallback: a language with no file (or not offered) gives way to the conference's
default language (``choose_language``); every file has every key (a test checks), so no
text falls back on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, cached_property
from importlib import util
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from registrar.prebuilt import read_yaml_data, source_digest

if TYPE_CHECKING:
    from babel import Locale

LOCALES_DIR: Final = Path(__file__).parent / "locales"
# The formats every file defines (and ``ordinal``): CLDR patterns (date, clock, time,
# date_short, day_month, date_time_short), templates joining them (datetime: {date},
# {time}, {clock}, {zone}; time_range: {start}, {end}) and a CLDR skeleton (date_span).
FORMATS: Final = (
    "locale",
    "date",
    "clock",
    "time",
    "date_short",
    "day_month",
    "date_time_short",
    "datetime",
    "time_range",
    "date_span",
)
FORMATTING_SECTION: Final = "formats"


class LocaleError(ValueError):
    """A language file is missing or malformed; the message names the file and the key."""


class Formats(NamedTuple):
    """How one language writes dates, times and numbers (the ``formats`` section)."""

    locale: str  # the CLDR locale whose names and conventions Babel uses, e.g. en_GB
    date: str
    clock: str
    time: str
    date_short: str
    day_month: str  # a day without its year, in column headers: 11.05. / 11 May
    date_time_short: str
    datetime: str
    time_range: str
    date_span: str  # a CLDR skeleton for a span of days (Babel's format_interval)
    ordinal: Mapping[str, str]  # CLDR ordinal category (one, two, few, other) -> "{n}th"


PREPARED_SUFFIX: Final = ".dates.json"  # <code>.dates.json: the event's dates, written
NOTHING_PREPARED: Final[Mapping[str, str]] = MappingProxyType({})


class Language:
    """One language's texts and formats; built once per file and process (``language``).

    ``prepared``: dates and times written by the build, by what the methods below call them
    (``date 2023-05-11``); a method finds its answer there, or asks Babel.
    """

    def __init__(
        self,
        code: str,
        texts: Mapping[str, Mapping[str, str]],
        formats: Formats,
        prepared: Mapping[str, str] = NOTHING_PREPARED,
    ):
        self.code = code
        self.texts = texts
        self.formats = formats
        self._prepared = prepared
        self._written: dict[str, str] | None = None

    def writing_down(self) -> Language:
        """This language, formatting everything with Babel and keeping each answer
        (``written_down``): what the build prepares."""
        copy = Language(self.code, self.texts, self.formats)
        copy._written = {}
        return copy

    @property
    def written_down(self) -> Mapping[str, str]:
        return MappingProxyType(self._written or {})

    def _known(self, key: str, format_with_babel: Callable[[], str]) -> str:
        text = self._prepared.get(key)
        if text is None:
            text = format_with_babel()
            if self._written is not None:
                self._written[key] = text
        return text

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    def text(self, key: str, **params: object) -> str:
        """``text("errors.too_long", max=200)``: the section's entry, its fields filled."""
        section, _, name = key.partition(".")
        try:
            text = self.texts[section][name]
        except KeyError:
            raise LocaleError(f"{self.code}.yaml: no text {key!r}") from None
        return text.format(**params) if params else text

    def count_text(self, key: str, count: int, **params: object) -> str:
        """``count_text("outbox_page.title", 1)``: the text for ``count``, its ``{count}`` filled.

        The entry named for the count's CLDR plural category in this language
        (``title_one`` for 1 in German and English), where the file has one; else the
        entry itself (``title``: 0, 2, …).
        """
        section, _, name = key.partition(".")
        category = self.babel_locale.plural_form(count)
        if f"{name}_{category}" in self.texts.get(section, {}):
            key = f"{section}.{name}_{category}"
        return self.text(key, count=count, **params)

    def section(self, name: str) -> Mapping[str, str]:
        """A whole section (the mail's labels, the report's words), for templates."""
        try:
            return self.texts[name]
        except KeyError:
            raise LocaleError(f"{self.code}.yaml: no section {name!r}") from None

    @cached_property
    def babel_locale(self) -> Locale:
        from babel import Locale

        return Locale.parse(self.formats.locale)

    def date(self, day: dt.date) -> str:
        """``Donnerstag, 11. Mai 2023`` / ``Thursday, 11 May 2023``."""

        def with_babel() -> str:
            from babel.dates import format_date

            return format_date(day, self.formats.date, locale=self.babel_locale)

        return self._known(f"date {day.isoformat()}", with_babel)

    def clock(self, moment: WallClock) -> str:
        """``12:30``: no unit, for ranges and tables."""
        wall = _wall(moment)

        def with_babel() -> str:
            from babel.dates import format_time

            return format_time(wall, self.formats.clock, locale=self.babel_locale)

        return self._known(f"clock {wall.isoformat()}", with_babel)

    def time(self, moment: WallClock) -> str:
        """``12:30 Uhr`` / ``12:30``: a time on its own."""
        wall = _wall(moment)

        def with_babel() -> str:
            from babel.dates import format_time

            return format_time(wall, self.formats.time, locale=self.babel_locale)

        return self._known(f"time {wall.isoformat()}", with_babel)

    def datetime(self, instant: dt.datetime, zone: dt.tzinfo) -> str:
        """``Montag, 10. April 2023, 23:59 Uhr`` in ``zone``, whatever ``instant``'s zone."""
        local = _in_zone(instant, zone)
        return self.formats.datetime.format(
            date=self.date(local.date()),
            time=self.time(local),
            clock=self.clock(local),
            zone=local.tzname() or "",
        )

    def date_short(self, day: dt.date) -> str:
        """``11.05.2023`` / ``11 May 2023``: a day in the CLI's sentences and tables."""
        from babel.dates import format_date

        return format_date(day, self.formats.date_short, locale=self.babel_locale)

    def day_month(self, day: dt.date) -> str:
        """``11.05.`` / ``11 May``: a day of the event without its year (export headers)."""
        from babel.dates import format_date

        return format_date(day, self.formats.day_month, locale=self.babel_locale)

    def date_time_short(self, instant: dt.datetime, zone: dt.tzinfo) -> str:
        """``10.04.2023 23:59`` in ``zone``: for tables, the CLI and the report."""
        from babel.dates import format_datetime

        local = _in_zone(instant, zone).replace(tzinfo=None)
        return format_datetime(local, self.formats.date_time_short, locale=self.babel_locale)

    def time_range(self, start: WallClock, end: WallClock | None) -> str:
        """``12:30–14:45 Uhr``; an open end gives the start alone (``17:30 Uhr``)."""
        if end is None:
            return self.time(start)
        return self.formats.time_range.format(start=self.clock(start), end=self.clock(end))

    def date_span(self, days: Iterable[dt.date]) -> str:
        """``11.–12. Mai 2023`` / ``11–12 May 2023``; one day is its full date."""
        chosen = sorted(days)
        first, last = chosen[0], chosen[-1]
        if first == last:
            return self.date(first)

        def with_babel() -> str:
            from babel.dates import format_interval

            return format_interval(first, last, self.formats.date_span, locale=self.babel_locale)

        return self._known(f"date_span {first.isoformat()}/{last.isoformat()}", with_babel)

    def ordinal(self, number: int) -> str:
        """``3.`` / ``3rd``: by the language's ordinal categories (CLDR, through Babel)."""

        def with_babel() -> str:
            category = self.babel_locale.ordinal_form(number)
            template = self.formats.ordinal.get(category, self.formats.ordinal["other"])
            return template.format(n=number)

        return self._known(f"ordinal {number}", with_babel)

    def language_name(self, code: str) -> str:
        """``en`` -> ``Englisch`` in German: a language's name in this one (CLDR)."""
        return self._known(
            f"language_name {code}", lambda: str(self.babel_locale.languages.get(code, code))
        )

    def percent(self, share: float) -> str:
        """``83 %`` / ``83%``: a share as the language writes it."""
        from babel.numbers import format_percent

        return format_percent(share, locale=self.babel_locale)


type WallClock = dt.time | dt.datetime | str


def _wall(moment: WallClock) -> dt.time:
    """The wall-clock time as given: a time, a datetime (not converted: callers convert
    first) or the conference definition's ``"12:30"``."""
    if isinstance(moment, str):
        return dt.time.fromisoformat(moment)
    return dt.time(moment.hour, moment.minute, moment.second)


def _in_zone(instant: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if instant.tzinfo is None:
        raise ValueError("a time to show needs its zone (an aware datetime)")
    return instant.astimezone(zone)


class Locales:
    """The language files in one folder (the package's ``locales``; tests use their own)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @cached_property
    def available(self) -> tuple[str, ...]:
        """The languages that have a file, e.g. ``("de", "en")`` (looked up once)."""
        return tuple(sorted(path.stem for path in self.directory.glob("*.yaml")))

    def choose(self, code: str | None, offered: Sequence[str], default: str) -> str:
        """``code`` if the conference offers it and it has a file, else the default."""
        return code if code in offered and code in self.available else default

    def language(self, code: str) -> Language:
        path = self.directory / f"{code}.yaml"
        if not _LANGUAGE_CODE.match(code) or not path.is_file():
            raise LocaleError(f"{code!r}: no language file {code}.yaml")
        raw: Any = read_yaml_data(path)
        if not isinstance(raw, dict):
            raise LocaleError(f"{path.name}: expected a mapping of sections")
        texts: dict[str, Mapping[str, str]] = {}
        for section, entries in raw.items():
            if section == FORMATTING_SECTION:
                continue
            if not isinstance(entries, dict):
                raise LocaleError(f"{path.name}: {section}: expected a mapping of texts")
            # YAML reads a bare yes/no/on/off key as a boolean: refuse it, name it.
            odd = [key for key in entries if not isinstance(key, str)]
            if odd:
                raise LocaleError(f"{path.name}: {section}: keys must be words, not {odd}")
            texts[str(section)] = MappingProxyType({k: str(v) for k, v in entries.items()})
        formats = _formats(raw.get("formats"), path.name)
        return Language(code, MappingProxyType(texts), formats, _prepared(path))


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def prepared_path(language_file: Path) -> Path:
    """Where the build keeps the event's dates written in the language of ``language_file``."""
    return language_file.with_name(language_file.stem + PREPARED_SUFFIX)


def prepared_stamp(language_file: Path) -> dict[str, str]:
    """What the prepared dates must have been made from to be used: the language file as
    it is now and the Babel installed."""
    return {
        "language_sha256": source_digest(language_file.read_text(encoding="utf-8")),
        "babel": babel_version(),
    }


_VERSION_LINE = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def babel_version() -> str:
    """The installed Babel's version as its package states it, read without importing Babel
    (what the prepared dates save) or scanning the installed distributions (about 2 ms)."""
    spec = util.find_spec("babel")
    if spec is None or spec.origin is None:
        raise LocaleError("Babel is not installed")
    found = _VERSION_LINE.search(Path(spec.origin).read_text(encoding="utf-8"))
    if found is None:
        raise LocaleError(f"{spec.origin}: no __version__")
    return found.group(1)


def _prepared(language_file: Path) -> Mapping[str, str]:
    try:
        kept = json.loads(prepared_path(language_file).read_text(encoding="utf-8"))
        current = prepared_stamp(language_file)
    except (OSError, ValueError):  # LocaleError is a ValueError
        return NOTHING_PREPARED
    if not isinstance(kept, dict) or kept.get("stamp") != current:
        return NOTHING_PREPARED
    return MappingProxyType({str(k): str(v) for k, v in kept["texts"].items()})


def _formats(raw: object, source: str) -> Formats:
    if not isinstance(raw, dict):
        raise LocaleError(f"{source}: formats: expected a mapping")
    missing = [name for name in (*FORMATS, "ordinal") if name not in raw]
    if missing:
        raise LocaleError(f"{source}: formats: missing {missing}")
    ordinal = raw["ordinal"]
    if not isinstance(ordinal, dict) or "other" not in ordinal:
        raise LocaleError(f"{source}: formats.ordinal: expected a mapping with 'other'")
    return Formats(
        **{name: str(raw[name]) for name in FORMATS},
        ordinal=MappingProxyType({str(k): str(v) for k, v in ordinal.items()}),
    )


PACKAGE_LOCALES = Locales(LOCALES_DIR)


def available_languages() -> tuple[str, ...]:
    """The languages shipped with the package."""
    return PACKAGE_LOCALES.available


def choose_language(code: str | None, offered: Sequence[str], default: str) -> str:
    """The one fallback: ``code`` if offered and shipped, else the conference's default."""
    return PACKAGE_LOCALES.choose(code, offered, default)


@cache
def language(code: str) -> Language:
    """The package's language ``code`` (read once per process); LocaleError if it has none."""
    return PACKAGE_LOCALES.language(code)


def translate(code: str, key: str, **params: object) -> str:
    """``translate("de", "errors.required")``: one text of a shipped language."""
    return language(code).text(key, **params)


def negotiate_language(
    requested: str | None, accept_language: str | None, offered: list[str], default: str
) -> str:
    """An explicit ``?lang=`` wins, then the browser's Accept-Language, then the default.

    Only languages that are offered and shipped count (a conference may list one whose
    files are not written yet: its visitors get the default). The header's ranges are tried
    in the order of their weights (RFC 9110, section 12.5.4; equal weights keep the
    browser's order), each by its primary language (``de-AT`` asks for ``de``, RFC 4647
    lookup); ``q=0`` refuses a language, ``*`` takes the default. A malformed entry is
    ignored, never an error: the page is shown in some language anyway.
    """
    shipped = set(available_languages())
    offered = [code for code in offered if code in shipped]
    if requested in offered:
        return requested
    ranges = _language_ranges(accept_language or "")
    refused = {tag for tag, weight in ranges if weight == 0}
    for tag, weight in sorted(ranges, key=lambda item: -item[1]):
        if weight == 0:
            continue
        if tag == "*":
            wildcard = [default, *offered]
            return next((lang for lang in wildcard if lang not in refused), default)
        primary = tag.partition("-")[0]
        if primary in offered and primary not in refused:
            return primary
    return default


_MAX_LANGUAGE_RANGES = 32  # a browser sends a handful; more is noise, not a preference
_LANGUAGE_RANGE = re.compile(r"^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$")
_WEIGHT = re.compile(r"^q=(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)$")


def _language_ranges(header: str) -> list[tuple[str, float]]:
    """``de-DE,de;q=0.9,en;q=0.1`` as ``[("de-de", 1.0), ("de", 0.9), ("en", 0.1)]``."""
    ranges: list[tuple[str, float]] = []
    for entry in header.split(",")[:_MAX_LANGUAGE_RANGES]:
        tag, *params = (part.strip().lower() for part in entry.split(";"))
        if not _LANGUAGE_RANGE.match(tag):
            continue
        weights = [param.replace(" ", "") for param in params if param.startswith("q")]
        if len(weights) > 1 or (weights and not _WEIGHT.match(weights[0])):
            continue
        ranges.append((tag, float(weights[0][2:]) if weights else 1.0))
    return ranges
