"""Reading the package's YAML (conference definitions, locales, mail texts).

libyaml's C parser when PyYAML has it (its wheels, the layer's included, do): the Kassel
definition parses in about 2 ms instead of 21 ms with PyYAML's pure-Python parser, on
every cold start. Both are safe loaders: plain data, no tags that build objects.
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAMLError = yaml.YAMLError


def parse_yaml(text: str) -> Any:
    """The document in ``text`` as plain data; raises ``YAMLError`` if it is not YAML."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader (C or Python)


def parse_yaml_document(text: str) -> tuple[Any, yaml.Node | None]:
    """The document as plain data and as its node tree, from one composition.

    What ``parse_yaml`` and ``compose_yaml`` give, for the price of one: a conference
    definition is read for its data and for its comments' keys (``conference_gaps``).
    """
    loader = _Loader(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    return data, node


def compose_yaml(text: str) -> yaml.Node | None:
    """The document's node tree, with the line and column each node starts at."""
    node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    return node
