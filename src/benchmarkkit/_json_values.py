r"""Values a JSON file writes that no reader keeps as written, found only when there are some.

orjson reads a whole number beyond 64 bits as an approximate float, refuses
a number beyond a float's range as "infinity", and refuses an escaped lone
surrogate (``"\ud800"``) as if the file were not UTF-8. Each is a located
problem in the data instead: the file is valid JSON.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import attrs

from benchmarkkit._files import LineIndex, line_and_column
from benchmarkkit._problems import Problem

if TYPE_CHECKING:
    from benchmarkkit._files import DataFile

__all__ = ["number_too_large", "read_with_lone_surrogates", "whole_numbers_too_large"]

# A JSON string, or a number: its whole part, then its fraction and exponent.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(-?[0-9]+)((?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)')
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def number_too_large(file: DataFile, offset: int) -> Problem:
    """The problem of the number orjson found "infinity" at ``offset`` in the file's text."""
    from benchmarkkit._yaml import float_problem_message, whole_number_problem_message

    text = file.text
    line, column = line_and_column(text, offset)
    found = _NUMBER.match(text, offset)
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
    lines: LineIndex | None = None
    for token in _TOKEN.finditer(text):
        whole, rest = token.group(1, 2)
        if whole is None or rest or whole_number_fits(whole):
            continue
        lines = lines or LineIndex(text)
        line, column = lines.position(token.start())
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


def read_with_lone_surrogates(file: DataFile) -> tuple[DataFile, list[Problem]]:
    """Read a JSON file orjson refused for a lone surrogate: a problem at each such text.

    Each problem has the pointer of the text (or key) and the line and column
    of its escape. The data keeps U+FFFD in place of each, so the rest of the
    file is checked, and what is then said about the replaced text is left
    out as its echo.
    """
    from benchmarkkit._in_memory import text_problems

    text = file.text
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        reason = getattr(error, "msg", str(error))
        position = getattr(error, "pos", None)
        line, column = (None, None) if position is None else line_and_column(text, position)
        return file, [
            Problem.create(
                "json-syntax",
                f"not valid JSON: {reason}",
                file=file.display,
                line=line,
                column=column,
            )
        ]
    file.data, problems = text_problems(data, file.display, escapes=True)
    file.parsed = True
    # The texts holding a lone surrogate, in the order of the file: where the problems are.
    places = [
        token.start()
        for token in _TOKEN.finditer(text)
        if token.group(1) is None
        and _SURROGATE_ESCAPE.search(token.group())
        and _SURROGATE.search(json.loads(token.group()))
    ]
    texts = [problem for problem in problems if problem.code == "invalid-text"]
    if len(places) == len(texts):  # else (a repeated key) _locate finds them by pointer
        lines = LineIndex(text)
        at = {
            id(problem): lines.position(place) for problem, place in zip(texts, places, strict=True)
        }
        problems = [
            attrs.evolve(problem, line=at[id(problem)][0], column=at[id(problem)][1])
            if id(problem) in at
            else problem
            for problem in problems
        ]
    return file, problems
