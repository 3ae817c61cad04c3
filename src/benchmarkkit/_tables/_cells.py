r"""How one value is written in one cell, and read back exactly: lists, typed values, numbers.

Both directions are here, so that whatever writes a cell and whatever reads it
agree by construction. A list of texts is one cell, its items joined by
:data:`SEPARATOR`; inside an item, ``;`` and ``\\`` are written ``\\;`` and
``\\\\``. An indicator's value (true/false, a number or a level id) is written
as a typed cell where the cell can hold it exactly, and otherwise as text
read by :func:`read_value`: ``true``, ``false`` (in any case: Excel and
LibreOffice save them as ``TRUE`` and ``FALSE``) and JSON numbers are values,
anything else is a level id, and a level id that would read as one of those
starts with ``\\``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "ESCAPE",
    "LARGEST_EXACT_INTEGER",
    "READERS",
    "SEPARATOR",
    "CellError",
    "date_cell_note",
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


def _boolean(text: str) -> bool:
    """Whether ``text`` is true or false in any case: ``TRUE`` is how spreadsheets save it."""
    return text.lower() in ("true", "false")


def value_text(value: bool | float | str) -> str:  # noqa: FBT001 - a value, not a switch
    """An indicator value as text that :func:`read_value` reads back as the same value."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # 3 and 3.0 stay apart; every digit of a float is kept
    if _boolean(value) or value.startswith(ESCAPE) or _JSON_NUMBER.fullmatch(value):
        return ESCAPE + value
    return value


def read_value(text: str) -> bool | int | float | str:
    """The indicator value written as ``text`` by :func:`value_text`."""
    if text.startswith(ESCAPE):
        return text[1:]
    if _boolean(text):
        return text.lower() == "true"
    if _JSON_NUMBER.fullmatch(text):
        return float(text) if any(char in text for char in ".eE") else int(text)
    return text


# -- reading a cell of each kind of column, as a spreadsheet application may have left it -----
#
# The inverse of ``_layout._cell`` and the writers, for cells as read from a file: typed cells
# (text, numbers, true/false, dates) from a workbook, text from a CSV file. What a person may
# have typed instead is read with its obvious meaning (a real date in a date column, a number
# typed as text, spaces around an id) or refused with a CellError saying why; an empty cell is
# never given to a reader. Text cells are never stripped.


class CellError(ValueError):
    """A cell that cannot be read as its column's kind: the message says why, in plain words."""


_WHOLE = re.compile(r"[+-]?[0-9]+")


def _number_text(number: float) -> str:
    """A number as a person sees it in a cell: 3.0 as ``3``, 2.5 as ``2.5``."""
    if not isinstance(number, int) and number.is_integer() and abs(number) <= LARGEST_EXACT_INTEGER:
        return str(int(number))
    return repr(number)


def _text(raw: Any) -> str:
    """A cell read as text: numbers as a person sees them; a date is refused."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float):
        return _number_text(raw)
    if isinstance(raw, datetime.date | datetime.time):
        raise CellError(
            f"holds the date or time {raw.isoformat()} where text is expected: format the "
            "cell as text and type the value again"
        )
    raise CellError(f"holds {raw!r}, which is not text")


def _stripped(raw: Any) -> str:
    return _text(raw).strip()


def _date(raw: Any) -> str:
    """A date: text as written, or a real date typed into the cell as ``YYYY-MM-DD``."""
    if isinstance(raw, datetime.datetime):
        if raw.time() != datetime.time():
            raise CellError(
                f"holds the date and time {raw:%Y-%m-%d %H:%M}; a date here has no time of "
                "day: format the cell as text and type the date as YYYY-MM-DD"
            )
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1000 <= raw <= 9999:  # a year typed as a number
            return str(int(raw))
        raise CellError(
            f"holds the number {_number_text(raw)}, not a date (a spreadsheet shows a date it "
            "has lost as a number): format the cell as text and type the date as YYYY-MM-DD"
        )
    return _stripped(raw)


def date_cell_note(raw: Any) -> str | None:
    """What to say of a real date read from a date column; ``None`` for anything else.

    calamine gives a date cell's day, not how the cell shows it, so a month or a year
    (``Mar-12``, ``2012``) reads as a day: said, so that nothing changes silently. The
    words are the same for every cell, so that a report groups a column of them; the
    day read is the problem's value.
    """
    if not isinstance(raw, datetime.date):
        return None
    return (
        "holds a real date, read as the day it holds (YYYY-MM-DD) whatever the cell shows; "
        "if the date is a month or a year, format the cell as text and type it so, as "
        "2012-03 or 2012"
    )


def _whole(raw: Any) -> Any:
    """A whole number: 3.0 and " 3 " read as 3; anything else as it is, for the schema to judge."""
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() and abs(raw) <= LARGEST_EXACT_INTEGER else raw
    text = _stripped(raw)
    if _WHOLE.fullmatch(text):
        return int(text)
    if _JSON_NUMBER.fullmatch(text.lstrip("+")):
        number = float(text)
        if math.isfinite(number):
            return int(number) if number.is_integer() else number
    return text


def _number(raw: Any) -> Any:
    """A number: a number cell, or a number typed as text; anything else as it is."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float):
        return float(raw)
    text = _stripped(raw)
    if _JSON_NUMBER.fullmatch(text.lstrip("+")) and math.isfinite(number := float(text)):
        return number
    return text


def _indicator_value(raw: Any) -> Any:
    """An indicator's value: true/false, a number, or text read by :func:`read_value`."""
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):  # a whole float is written as text: a whole number cell is typed
        return int(raw) if raw.is_integer() and abs(raw) <= LARGEST_EXACT_INTEGER else raw
    return read_value(_text(raw))  # not stripped: a level id is written as it is


def _items(text: str) -> list[str]:
    try:
        return split_items(text)
    except ValueError as error:
        raise CellError(
            f"is not a list this column can hold: {error}; separate the items with '; ' "
            "(a semicolon and a space), and write a ';' inside an item as '\\;'"
        ) from None


def _text_items(raw: Any) -> list[str]:
    return _items(_text(raw))


def _id_items(raw: Any) -> list[str]:
    """A list of ids: each item stripped, empty items (a separator at the end) left out."""
    return [item for item in (item.strip() for item in _items(_text(raw))) if item]


def _json(raw: Any) -> Any:
    text = _text(raw)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CellError(
            f"is not JSON: {error.msg} at character {error.pos + 1}; write the parameters as "
            'a JSON object, such as {"threshold": 0.5}'
        ) from None


def _path(raw: Any) -> str:
    """A place in a condition tree, ``1.2.1``: text; a number only when it is whole."""
    if isinstance(raw, float) and not raw.is_integer():
        raise CellError(
            f"holds the number {raw!r}, and a path such as 1.10 would read as 1.1: format the "
            "column as text and type the path again"
        )
    return _stripped(raw)


#: How a cell of each kind of column is read (the inverse of how it is written); a list column
#: is ``list/id`` or ``list/text`` by its items. Each raises CellError for a cell it cannot read.
READERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "id": _stripped,
    "enum": _stripped,
    "date": _date,
    "integer": _whole,
    "order": _whole,
    "number": _number,
    "value": _indicator_value,
    "list/id": _id_items,
    "list/text": _text_items,
    "json": _json,
    "path": _path,
}
