"""Where a JSON file repeats a key in an object, found only when it does.

JSON parsers keep the last value of a repeated key and drop the others
without a word; a merge in git easily leaves one behind. The standard
library's decoder reads the file again, keeping of each object only its
repeated keys and the objects below it that repeat one, so that every
repeated key is reported at its line and column.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from benchmarkkit._problems import Problem, pointer

if TYPE_CHECKING:
    from benchmarkkit._files import DataFile

__all__ = ["repeated_key_problems"]

_Path = tuple[str | int, ...]


class _Repeats:
    """The keys an object (or an array's items) repeats, and the members that repeat some."""

    __slots__ = ("below", "keys")

    def __init__(self, keys: list[str], below: Sequence[tuple[str | int, _Repeats]]) -> None:
        self.keys = keys
        self.below = below


def _repeats_in(value: Any) -> _Repeats | None:
    if isinstance(value, _Repeats):
        return value
    if isinstance(value, list):
        below = [(index, found) for index, item in enumerate(value) if (found := _repeats_in(item))]
        return _Repeats([], below) if below else None
    return None


def _object(pairs: list[tuple[str, Any]]) -> _Repeats | None:
    counts = Counter(key for key, _ in pairs)
    keys = [key for key, count in counts.items() if count > 1]
    below = [(key, found) for key, value in pairs if (found := _repeats_in(value))]
    return _Repeats(keys, below) if keys or below else None


def _paths(repeats: _Repeats, path: _Path) -> Iterator[tuple[_Path, str]]:
    for key in repeats.keys:
        yield (*path, key), key
    for part, found in repeats.below:
        yield from _paths(found, (*path, part))


def repeated_key_problems(file: DataFile) -> list[Problem]:
    """A ``duplicate-key`` problem for each key an object of ``file`` repeats."""
    from benchmarkkit._positions import locate_json

    text = file.text
    try:
        found = _repeats_in(json.loads(text, object_pairs_hook=_object))
        repeated = [(pointer(path), key) for path, key in _paths(found, ())] if found else []
    except RecursionError:  # arrays in arrays nearly as deep as the decoder goes
        return [
            Problem.create(
                "duplicate-key",
                "an object in this file repeats a key; only the last value would be kept",
                file=file.display,
            )
        ]
    # The position of a repeated key is that of its last occurrence: the one parsers keep.
    positions = locate_json(text, file.data, [where for where, _ in repeated])
    problems = []
    for where, key in repeated:
        line, column = positions.get(where, (None, None))
        problems.append(
            Problem.create(
                "duplicate-key",
                f"the key {key!r} appears more than once in this object; "
                "only the last value would be kept",
                file=file.display,
                pointer=where,
                line=line,
                column=column,
            )
        )
    return problems
