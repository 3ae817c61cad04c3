r"""How one value is written in one cell, and read back exactly: lists, typed values, numbers.

Both directions are here, so that whatever writes a cell and whatever reads it
agree by construction. A list of texts is one cell, its items joined by
:data:`SEPARATOR`; inside an item, ``;`` and ``\\`` are written ``\\;`` and
``\\\\``. An indicator's value (true/false, a number or a level id) is written
as a typed cell where the cell can hold it exactly, and otherwise as text
read by :func:`read_value`: ``true``, ``false`` and JSON numbers are values,
anything else is a level id, and a level id that would read as one of those
starts with ``\\``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "ESCAPE",
    "LARGEST_EXACT_INTEGER",
    "SEPARATOR",
    "exact_in_a_number_cell",
    "join_items",
    "read_value",
    "split_items",
    "value_text",
]

#: What joins the items of a list in one cell.
SEPARATOR = "; "
#: What marks the next character as part of an item (``\\;``, ``\\\\``) or a level id as text.
ESCAPE = "\\"
#: The largest whole number a spreadsheet's number cell (a double) holds exactly.
LARGEST_EXACT_INTEGER = 2**53

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ITEM_SPECIALS = str.maketrans({";": "\\;", "\\": "\\\\"})


def join_items(items: Sequence[str]) -> str:
    """The items of a list as one cell's text; an empty list is an empty text."""
    return SEPARATOR.join(item.translate(_ITEM_SPECIALS) for item in items)


def split_items(text: str) -> list[str]:
    r"""The items :func:`join_items` joined into ``text``.

    Raises :class:`ValueError` for text it cannot have written: a ``;`` not
    followed by a space, or a ``\\`` at the end.
    """
    if not text:
        return []
    if "\\" not in text:
        if ";" in text.replace(SEPARATOR, ""):
            raise ValueError(f"a ';' not followed by a space in {text!r}")
        return text.split(SEPARATOR)
    items: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == ESCAPE:
            if index + 1 == len(text):
                raise ValueError(f"a '\\' ends {text!r}; write '\\\\' for a backslash")
            current.append(text[index + 1])
            index += 2
        elif char == ";":
            if not text.startswith(SEPARATOR, index):
                raise ValueError(f"a ';' not followed by a space in {text!r}")
            items.append("".join(current))
            current = []
            index += len(SEPARATOR)
        else:
            current.append(char)
            index += 1
    items.append("".join(current))
    return items


def exact_in_a_number_cell(number: float) -> bool:
    """Whether an xlsx number cell holds ``number`` exactly as it is written (16 digits)."""
    if isinstance(number, int):
        return abs(number) <= LARGEST_EXACT_INTEGER
    return float(f"{number:.16G}") == number


def value_text(value: bool | float | str) -> str:  # noqa: FBT001 - a value, not a switch
    """An indicator value as text that :func:`read_value` reads back as the same value."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # 3 and 3.0 stay apart; every digit of a float is kept
    if value in ("true", "false") or value.startswith(ESCAPE) or _JSON_NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def read_value(text: str) -> bool | int | float | str:
    """The indicator value written as ``text`` by :func:`value_text`."""
    if text.startswith(ESCAPE):
        return text[1:]
    if text in ("true", "false"):
        return text == "true"
    if _JSON_NUMBER.fullmatch(text):
        return float(text) if any(char in text for char in ".eE") else int(text)
    return text
