"""Translated texts for pages and error messages, one YAML catalogue per language."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from registrar.yaml_files import parse_yaml

_LOCALES = Path(__file__).parent / "locales"


@cache
def catalogue(language: str) -> dict[str, dict[str, str]]:
    path = _LOCALES / f"{language}.yaml"
    loaded: Any = parse_yaml(path.read_text(encoding="utf-8"))
    return {section: dict(entries) for section, entries in loaded.items()}


def available_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in _LOCALES.glob("*.yaml")))


def translate(language: str, key: str, **params: object) -> str:
    """``translate("de", "errors.required")``; unknown languages fall back to German."""
    section, _, name = key.partition(".")
    lang = language if (_LOCALES / f"{language}.yaml").is_file() else "de"
    text = catalogue(lang)[section][name]
    return text.format(**params) if params else text


def negotiate_language(
    requested: str | None, accept_language: str | None, offered: list[str], default: str
) -> str:
    """An explicit ``?lang=`` wins, then the browser's Accept-Language, then the default.

    The header's ranges are tried in the order of their weights (RFC 9110, section 12.5.4;
    equal weights keep the browser's order), each by its primary language (``de-AT`` asks
    for ``de``, RFC 4647 lookup); ``q=0`` refuses a language, ``*`` takes the default. A
    malformed entry is ignored, never an error: the page is shown in some language anyway.
    """
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
