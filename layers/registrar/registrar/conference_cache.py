"""Conference definitions validated at build time, so that no function start validates one.

Reading a definition at a cold start cost each function about 70 ms before it answered
anything: importing PyYAML, building pydantic's validators for the definition's twenty
models, validating. The build (``make build``) does that once per definition and writes
the validated ``Conference`` beside its YAML file (``<id>.validated.pickle``), with the
keys still marked ``ORGANISERS: set``; ``conference.load_conference`` reads it instead
(under a millisecond, no validator built: the models defer building theirs until something
validates one).

It is used only while it is certainly what validating would give: the file records the
SHA-256 of the YAML text and of ``conference.py`` (the models) and pydantic's version, and
any difference (an organiser edited the definition, the code changed, the layer holds
another pydantic) means the YAML is read and validated as before. Only the classes a
definition is made of may be unpickled (``_Restricted``): a file that names any other is
refused the same way. The file is written by the build into the layer, never by a running
function (Lambda's disk there is read-only).
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from registrar.prebuilt import source_digest

if TYPE_CHECKING:
    from registrar.conference import Conference

FORMAT: Final = 1
SUFFIX: Final = ".validated.pickle"
_MODELS_SOURCE = Path(__file__).with_name("conference.py")
_ALLOWED: Final = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("zoneinfo", "ZoneInfo"),
    ("pydantic.networks", "HttpUrl"),
    ("pydantic_core._pydantic_core", "Url"),
}


class _Restricted(pickle.Unpickler):
    """Builds only plain data, dates, URLs and the definition's own models."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED or _is_model(module, name):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a definition")


def _is_model(module: str, name: str) -> bool:
    if module != "registrar.conference":
        return False
    from pydantic import BaseModel

    from registrar import conference

    found = getattr(conference, name, None)
    return isinstance(found, type) and issubclass(found, BaseModel)


def cache_path(definition: Path) -> Path:
    """Where the validated form of the definition at ``definition`` is kept."""
    return definition.with_name(definition.stem + SUFFIX)


def _stamp(text: str) -> dict[str, str | int]:
    """What the kept form must have been made from to be used for ``text``."""
    import pydantic

    return {
        "format": FORMAT,
        "definition_sha256": source_digest(text),
        "models_sha256": source_digest(_MODELS_SOURCE.read_text(encoding="utf-8")),
        "pydantic": pydantic.VERSION,
    }


def read(definition: Path, text: str) -> tuple[Conference, list[str]] | None:
    """The validated conference and its unset keys, if kept for exactly ``text``; else None."""
    try:
        data = cache_path(definition).read_bytes()
    except OSError:
        return None
    try:
        kept = _Restricted(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if not isinstance(kept, dict) or kept.get("stamp") != _stamp(text):
        return None
    return kept["conference"], list(kept["unset"])


def write(definition: Path) -> Path:
    """Validate the definition at ``definition`` and keep its validated form beside it."""
    from registrar.conference import ConferenceDefinitionError, parse_definition

    text = definition.read_text(encoding="utf-8")
    conference, unset = parse_definition(text, definition.name)
    if conference.id != definition.stem:
        raise ConferenceDefinitionError(f"{definition.name}: id: must be {definition.stem!r}")
    kept = {"stamp": _stamp(text), "conference": conference, "unset": unset}
    target = cache_path(definition)
    target.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    return target
