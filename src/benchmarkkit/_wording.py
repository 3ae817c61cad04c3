"""How problems name records, fields and values in plain words."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "A_RECORD",
    "SINGULAR",
    "field_name",
    "one_of",
    "plural",
    "record_label",
    "short",
    "singular",
    "suggest",
    "suggest_ids",
    "type_name",
    "type_words",
]

#: The name of one record of each collection, as messages use it.
SINGULAR = {
    "scales": "scale",
    "actors": "actor",
    "sources": "source",
    "standards": "standard",
    "commitments": "commitment",
    "recommendations": "recommendation",
    "areas": "area",
    "benchmarks": "benchmark",
    "indicators": "indicator",
    "evidence": "evidence",
    "assessments": "assessment",
    "gates": "gate",
}

#: One record of each collection with its article, as the schema's descriptions and the
#: data-format reference name what a reference field holds ("the id of an actor").
A_RECORD = {
    "scales": "a status scale",
    "actors": "an actor",
    "sources": "a source",
    "standards": "a standard",
    "commitments": "a commitment",
    "recommendations": "a recommendation",
    "areas": "an area",
    "benchmarks": "a benchmark",
    "indicators": "an indicator",
    "evidence": "a piece of evidence",
    "assessments": "an assessment",
    "gates": "a gate",
}

_MAX_SHOWN = 60


def singular(collection: str) -> str:
    """The name of one record of ``collection``: ``actor``; a new collection's name less its s."""
    return SINGULAR.get(collection) or collection.removesuffix("s")


def short(value: Any, limit: int = _MAX_SHOWN) -> str:
    """A value as a message shows it: JSON-like, and cut to ``limit`` characters."""
    if isinstance(value, str):
        text = repr(value)
    elif value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "a mapping" if value else "an empty mapping"
    elif isinstance(value, list | tuple):
        text = "a list" if value else "an empty list"
    elif isinstance(value, int) and value.bit_length() > 4000:
        # Python refuses to print a whole number of more than 4,300 digits.
        text = f"a whole number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true/false"),
    ((int, float), "a number"),
    (str, "text"),
    ((list, tuple), "a list"),
    (dict, "a mapping"),
)


#: JSON Schema's type names in plain words, as messages about expected types use them.
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def type_words(types: Iterable[object]) -> str:
    """JSON Schema type names in words: ``["string", "null"]`` is "text or null"."""
    return " or ".join(_TYPE_WORDS.get(str(name), str(name)) for name in types)


def plural(count: int, noun: str) -> str:
    """``1 item``, ``2 items``: a count and its noun."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def type_name(value: Any) -> str:
    """The JSON name of a value's type, with an article."""
    if value is None:
        return "nothing (null)"
    for types, name in _TYPE_NAMES:
        if isinstance(value, types):
            return name
    return type(value).__name__


def record_label(document: Any, path: Sequence[str | int]) -> tuple[str, int]:
    """Name the record a path lies in, and how many path parts lead to it.

    ``("evidence 'ev-3'", 2)`` for ``("evidence", 2, "date")``; the dataset
    itself (``("the dataset", 0)``) for top-level fields.
    """
    if len(path) >= 2 and path[0] in SINGULAR and isinstance(path[1], int):
        collection, index = path[0], path[1]
        name = SINGULAR.get(collection, collection)
        try:
            record = document[collection][index]
        except (KeyError, IndexError, TypeError):
            record = None
        if isinstance(record, dict) and isinstance(record.get("id"), str) and record["id"]:
            return f"{name} {short(record['id'])}", 2
        return f"{name} #{index + 1} (no id)", 2
    return "the dataset", 0


def field_name(path: Sequence[str | int]) -> str:
    """A path within a record, written ``condition.conditions[1].count``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def suggest(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'date'?)"`` when a choice is close to ``word``, else ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def suggest_ids(word: str, choices: Iterable[str], limit: int = 3) -> str:
    """``" (did you mean 'bm-law'?)"``, naming up to ``limit`` of the ids closest to ``word``.

    Only ids of about the same length are compared, so a look among many
    thousand ids stays quick; ``""`` when none is close.
    """
    size = len(word)
    near = sorted(choice for choice in choices if abs(len(choice) - size) <= 3)
    close = difflib.get_close_matches(word, near, n=limit, cutoff=0.75)
    return f" (did you mean {one_of(close)}?)" if close else ""


def one_of(choices: Iterable[Any]) -> str:
    """``'a', 'b' or 'c'``."""
    shown = [short(choice) for choice in choices]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]
