r"""Values a JSON file writes that no reader keeps as written, found only when there are some.

orjson reads a whole number beyond 64 bits as an approximate float, refuses
a number beyond a float's range as "infinity", and refuses an escaped lone
surrogate (``"\ud800"``) as if the file were not UTF-8. Each is a located
problem in the data instead: the file is valid JSON.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from benchmarkkit._problems import Problem

if TYPE_CHECKING:
    from benchmarkkit._files import DataFile

__all__ = ["number_too_large", "read_with_lone_surrogates", "whole_numbers_too_large"]

# A JSON string, or a number: its whole part, then its fraction and exponent.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(-?[0-9]+)((?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)')
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def number_too_large(file: DataFile, line: int, column: int) -> Problem:
    """The problem of the number orjson found "infinity" at ``line`` and ``column``."""
    from benchmarkkit._yaml import float_problem_message, whole_number_problem_message

    text = file.text
    found = _NUMBER.match(text, _offset(text, line, column))
    written = found.group() if found else ""
    whole = written != "" and not any(mark in written for mark in ".eE")
    message = (
        whole_number_problem_message(written) if whole else float_problem_message(written or "?")
    )
    return Problem.create("number-too-large", message, file=file.display, line=line, column=column)


def whole_numbers_too_large(file: DataFile) -> list[Problem]:
    """A problem for each whole number in a JSON file that orjson reads only approximately."""
    from benchmarkkit._yaml import whole_number_fits, whole_number_problem_message

    text = file.text
    problems = []
    for token in _TOKEN.finditer(text):
        whole, rest = token.group(1, 2)
        if whole is None or rest or whole_number_fits(whole):
            continue
        line, column = _line_column(text, token.start())
        problems.append(
            Problem.create(
                "number-too-large",
                whole_number_problem_message(whole),
                file=file.display,
                line=line,
                column=column,
            )
        )
    return problems


def _replace_surrogates(value: Any) -> Any:
    """``value`` with each lone surrogate in its texts and keys replaced by U+FFFD."""
    text = json.dumps(value, ensure_ascii=False)
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return json.loads(fixed)


def read_with_lone_surrogates(file: DataFile) -> tuple[DataFile, list[Problem]]:
    """Read a JSON file orjson refused for a lone surrogate: a problem at each such text.

    The data keeps U+FFFD in place of each, so the rest of the file is checked.
    """
    text = file.text
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        reason = getattr(error, "msg", str(error))
        return file, [
            Problem.create(
                "json-syntax",
                f"not valid JSON: {reason}",
                file=file.display,
                line=getattr(error, "lineno", None),
                column=getattr(error, "colno", None),
            )
        ]
    problems = []
    for token in _TOKEN.finditer(text):
        if token.group(1) is not None or not _SURROGATE_ESCAPE.search(token.group()):
            continue
        decoded: str = json.loads(token.group())
        found = _SURROGATE.search(decoded)
        if found is None:
            continue  # a pair of escapes: one character
        line, column = _line_column(text, token.start())
        problems.append(
            Problem.create(
                "invalid-text",
                f"this text holds the escape \\u{ord(found.group()):04x}, a lone surrogate: "
                "half of a UTF-16 pair without its other half, which is not a character and "
                "which no file can hold; remove the escape, or write the character itself",
                file=file.display,
                line=line,
                column=column,
            )
        )
    file.data = _replace_surrogates(data)
    file.parsed = True
    return file, problems
