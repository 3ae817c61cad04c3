"""Reading one JSON file: orjson first, and what a refusal or a different reading means.

orjson is the reference for what a JSON file holds and how it is wrong. The
standard library reads the file first where it can also notice a repeated key
(it is then as fast); where the two would read a file differently (a number
too large for orjson, a lone surrogate escape, a value nested deeper than
the standard library goes), the difference is a located problem, never a
silent change of what the author wrote.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

from benchmarkkit._files import (
    _BOM,
    LARGEST_WHOLE_NUMBER,
    SMALLEST_WHOLE_NUMBER,
    DataFile,
    line_and_column,
    not_utf8_problem,
)
from benchmarkkit._problems import Problem

__all__ = ["read_json"]


def _parse_json_bytes(raw: bytes) -> Any:
    """Parse with orjson: the reference for what a JSON file holds and how it is wrong.

    Its errors are :class:`json.JSONDecodeError` instances, with line and column.
    """
    import orjson  # a dependency, imported when a file needs it (start-up)

    return orjson.loads(raw)


class _DifferentReadingError(Exception):
    """The standard library would read this JSON differently from orjson."""


def _refuse(_text: str) -> Any:
    raise _DifferentReadingError  # NaN, Infinity and -Infinity: orjson refuses them


def _int(text: str) -> int:
    value = int(text)
    if SMALLEST_WHOLE_NUMBER <= value <= LARGEST_WHOLE_NUMBER:
        return value
    raise _DifferentReadingError  # orjson reads a larger integer as a float


def _float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise _DifferentReadingError  # orjson refuses a number too large for a float
    return value


# An escaped UTF-16 surrogate: the standard library keeps a lone one, orjson refuses it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# The standard library's decoder counts nesting against the recursion limit, which must not let
# it read deeper than orjson (1,024 levels). From Python 3.12 it counts against a separate,
# larger C limit, so there orjson reads every file.
_STDLIB_NESTS_LESS = sys.version_info < (3, 12)


class _NotingRepeatedKeys:
    """An ``object_pairs_hook`` that builds each object as json does, noting a repeated key."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)  # the last value of a repeated key wins, as in orjson
        if len(result) != len(pairs):
            self.found = True
        return result


def _repeats_a_key(document: bytes) -> bool | None:
    """Whether an object in the JSON ``document`` repeats a key; ``None`` if it cannot say.

    orjson keeps the last value of a repeated key without a word; the standard
    library's decoder is asked instead, building no object (a fifth of the time
    of a parse, in little memory).
    """
    found = False

    def note(pairs: list[tuple[str, Any]]) -> None:
        nonlocal found
        if len(pairs) > 1 and len(dict(pairs)) != len(pairs):
            found = True

    try:
        json.loads(document, object_pairs_hook=note)
    except (ValueError, RecursionError):
        return None  # orjson says what is wrong, or reads what the standard library cannot
    return found


def _parse_json_bytes_noting_keys(body: bytes) -> tuple[Any, bool | None]:
    # The repeated keys first: the text the check decodes is let go before orjson parses.
    repeats = _repeats_a_key(body)
    return _parse_json_bytes(body), repeats


def _parse_json(file: DataFile) -> tuple[Any, bool | None]:
    """Parse a JSON file's bytes as orjson does; keep its text instead of its bytes.

    Two readers, for a measured reason (docs/performance.md, "What was done"):
    at 100k records, a process that only parses peaks at 445 MiB with orjson
    and 300 MiB with ``json.loads``, which is within 0.05 seconds of orjson
    with the collector paused and notices repeated keys in the same pass.
    orjson stays the reference for what the file holds and for every error.

    Returns the data and whether an object repeats a key (``None``: unknown).
    The standard library's decoder, given the text, builds the same values as
    orjson (as fast, with the cyclic garbage collector paused) in far less
    memory for a large file: orjson holds a parsed copy of the whole document
    while it builds the Python values, and the bytes are let go before the
    text is parsed. Wherever the two could differ (numbers beyond orjson's
    range, NaN, escaped surrogates, deep nesting, any error), orjson reads
    the same bytes, so the result and every error message are orjson's.
    """
    body = file.raw.removeprefix(_BOM)
    if not (_STDLIB_NESTS_LESS and sys.getrecursionlimit() <= 1024):
        return _parse_json_bytes_noting_keys(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _parse_json_bytes(body), None  # orjson raises: the file is not UTF-8
    del body
    file.text, file.raw = text, b""  # problems need the text; nothing needs the bytes
    if _SURROGATE_ESCAPE.search(text) is None:
        hook = _NotingRepeatedKeys()
        try:
            data = json.loads(
                text,
                object_pairs_hook=hook,
                parse_constant=_refuse,
                parse_int=_int,
                parse_float=_float,
            )
        except (ValueError, RecursionError, _DifferentReadingError):
            pass  # orjson says what is wrong, or reads what the standard library would not
        else:
            file.whole_numbers_exact = True
            return data, hook.found
    return _parse_json_bytes_noting_keys(text.encode("utf-8"))


def read_json(file: DataFile) -> tuple[DataFile, list[Problem]]:
    try:
        file.data, repeats = _parse_json(file)
    except json.JSONDecodeError as error:  # orjson's errors are JSONDecodeErrors too
        file.parsed = False
        return file, _json_error_problems(file, error)
    if repeats:
        from benchmarkkit._json_keys import repeated_key_problems

        file.parsed = False  # as for YAML: the file says two things; which is meant?
        return file, repeated_key_problems(file)
    if not file.whole_numbers_exact and _may_hold_long_numbers(file):
        from benchmarkkit._json_values import whole_numbers_too_large

        problems = whole_numbers_too_large(file)
        if problems:
            file.parsed = False  # orjson read them as approximate floats: not what was written
        return file, problems
    return file, []


def _json_error_problems(file: DataFile, error: json.JSONDecodeError) -> list[Problem]:
    """The problems of a JSON file the parser refused: what the refusal means, in words."""
    display = file.display
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    offset = getattr(error, "pos", None)
    document = getattr(error, "doc", None)
    if isinstance(document, str) and isinstance(offset, int):
        # The parsers count only LF as a line break; a lone CR ends a line too.
        line, column = line_and_column(document, offset)
    reason = getattr(error, "msg", str(error))
    if "surrogate" in reason and _is_utf8(file):
        from benchmarkkit._json_values import read_with_lone_surrogates

        return read_with_lone_surrogates(file)[1]
    if "infinity" in reason and isinstance(offset, int):
        from benchmarkkit._json_values import number_too_large

        return [number_too_large(file, offset)]
    if not _is_utf8(file):
        body = file.raw.removeprefix(_BOM)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            return [not_utf8_problem(file, body, decode_error)]
    code = "json-syntax"
    if "depth" in reason or "recursion" in reason:
        code, reason = "too-complex", f"nested too deeply to load ({reason})"
    return [
        Problem.create(code, f"not valid JSON: {reason}", file=display, line=line, column=column)
    ]


# Every digit as "0", anything else as a space: a run of 19 zeros is a run of 19 digits, the
# fewest a whole number beyond orjson's range has. Searched a megabyte at a time: a 30 MB
# file in about 50 ms, where a regex takes ten times as long.
_DIGITS_AS_ZEROS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_NINETEEN_DIGITS = b"0" * 19
_CHUNK = 1 << 20


def _may_hold_long_numbers(file: DataFile) -> bool:
    body = file.raw if file.raw else file.text.encode("utf-8")
    overlap = len(_NINETEEN_DIGITS) - 1
    return any(
        _NINETEEN_DIGITS in body[start : start + _CHUNK + overlap].translate(_DIGITS_AS_ZEROS)
        for start in range(0, len(body), _CHUNK)
    )


def _is_utf8(file: DataFile) -> bool:
    if file.raw == b"":
        return True  # the standard library's reader decoded it
    try:
        file.raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
