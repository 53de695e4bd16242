"""Translated texts for pages and error messages, one YAML catalogue per language."""

from __future__ import annotations

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
    """An explicit ``?lang=`` wins, then the browser's Accept-Language, then the default."""
    if requested in offered:
        return requested
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in offered:
            return tag
    return default
