"""What a mapping may fill: each collection's fields and their kinds, read from the workbook layout.

The layout (``_tables._layout``) is derived once from the model and the schema;
a mapping fills the same fields a workbook's columns hold, so it reads them
there rather than deriving them a second time: a field's kind says how a cell
becomes its value (a whole number, a date, a list), and its enumeration which
words a ``map`` may give.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from benchmarkkit._tables._layout import LAYOUT, Column

__all__ = ["Target", "all_fields", "fields_of", "nested_fields_of"]

#: One field a value spec fills: its column of the layout.
Target = Column


@functools.cache
def _by_sheet() -> Mapping[str, Mapping[str, Column]]:
    return {
        sheet.name: {column.path[0]: column for column in sheet.columns if len(column.path) == 1}
        for sheet in LAYOUT
    }


@functools.cache
def _nested() -> Mapping[tuple[str, str], str]:
    """(collection, field) -> the sheet of that list of nested records."""
    return {
        (sheet.parent, sheet.field[0]): sheet.name
        for sheet in LAYOUT
        if sheet.parent is not None and len(sheet.field) == 1
    }


def fields_of(collection: str) -> Mapping[str, Column] | None:
    """The fields of a record of ``collection`` holding one value or a list of values.

    ``None`` for a name that is not a collection.
    """
    if collection == "dataset" or collection not in _by_sheet():
        return None
    return _by_sheet()[collection]


def nested_fields_of(collection: str, field: str) -> Mapping[str, Column] | None:
    """The fields of the nested records in list field ``field``, or ``None`` if it is not one."""
    sheet = _nested().get((collection, field))
    if sheet is None:
        return None
    return {name: column for name, column in _by_sheet()[sheet].items() if column.path}


def all_fields(collection: str) -> list[str]:
    """Every field a mapping can fill in a record of ``collection``, for messages."""
    own = list(fields_of(collection) or {})
    return own + [field for (parent, field) in _nested() if parent == collection]
