"""What the organisers still have to set: the definition's keys marked ``# ORGANISERS: set``.

A conference definition carries plausible defaults where the announcement gives no value,
each marked with that comment on the key's line, or ending the comment block just above it. This
module reads the YAML text (the comments are not in the parsed data) and names those keys
as dotted paths; list items are named by their ``id`` (``extras.city_tour.capacity``),
or by their position when they have none. Pure: the text and its composed node tree in
(``yaml_files``; the definition's loader composes it once for both), keys out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

MARKER = "ORGANISERS: set"
# The marker as a note, not quoted in prose ('Values marked "ORGANISERS: set" are ...').
_MARKED = re.compile(r"(?<![\"'])" + re.escape(MARKER))


def marked_keys(text: str, document: yaml.Node | None) -> list[str]:
    """The dotted keys whose line, or the comment block right above it, carries the marker.

    ``document`` is ``text`` composed (``yaml_files.compose_yaml``).
    """
    lines = text.splitlines()
    key_at_line: dict[int, str] = {}
    for line_number, key in _keys(document, ""):
        key_at_line.setdefault(line_number, key)
    found: list[str] = []
    pending = False  # a comment block with the marker waits for the key below it
    for number, line in enumerate(lines):
        comment = _comment(line)
        marked = comment is not None and bool(_MARKED.search(comment))
        if line.strip().startswith("#"):
            # A comment block marks the key below it when the marker ends the block's line
            # ("… (a test checks). ORGANISERS: set"); a marker inside a sentence speaks of
            # keys not in the file ("add them when the organisers provide them").
            closing = comment is not None and comment.strip().rstrip(".").endswith(MARKER)
            pending = pending or (marked and closing)
            continue
        marked_key = key_at_line.get(number)
        if marked_key is not None and (marked or pending) and marked_key not in found:
            found.append(marked_key)
        if line.strip():
            pending = False
    return found


def _keys(node: yaml.Node | None, prefix: str) -> Iterator[tuple[int, str]]:
    """(line, dotted key) of every mapping key, outermost first."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            yield key_node.start_mark.line, key
            yield from _keys(value_node, f"{key}.")
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _keys(item, f"{prefix}{_item_name(item, index)}.")


def _item_name(item: yaml.Node, index: int) -> str:
    if isinstance(item, yaml.MappingNode):
        for key_node, value_node in item.value:
            if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
                return str(value_node.value)
    return str(index)


def _comment(line: str) -> str | None:
    """The comment on a line: from a ``#`` outside quotes that starts a word, or None."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and (position == 0 or line[position - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (position == 0 or line[position - 1].isspace()):
            return line[position + 1 :]
    return None
