"""A dataset as CSV files, one per sheet of the workbook layout.

UTF-8 with a byte order mark (Excel then opens the files in the right
encoding), RFC 4180 quoting and CRLF line ends. A CSV cell has no type, so
every value is text, written as ``_cells`` says; text that a spreadsheet
application would take for a formula is written unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from benchmarkkit._model import Dataset
from benchmarkkit._tables._cells import value_text
from benchmarkkit._tables._layout import Cell, Column, Table, tables
from benchmarkkit._tables._reference import columns_table

__all__ = ["BOM", "csv_files", "csv_text"]

#: What each file starts with: the byte order mark, by which Excel knows UTF-8.
BOM = "\ufeff"


def _texter(column: Column) -> Callable[[Cell], str]:
    """How a cell of ``column`` is written as text."""
    if column.kind == "value":
        return lambda value: "" if value is None else value_text(value)
    if column.kind == "number":
        return lambda value: "" if value is None else repr(float(value))  # every digit kept
    return lambda value: "" if value is None else str(value)


def csv_text(table: Table) -> str:
    """One sheet as the text of a CSV file."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")  # quoting as RFC 4180: when needed
    columns = table.sheet.columns
    writer.writerow([column.header for column in columns])
    texters = [_texter(column) for column in columns]
    if all(column.kind not in ("value", "number") for column in columns):
        writer.writerows(
            [["" if value is None else str(value) for value in row] for row in table.rows]
        )
    else:
        writer.writerows(
            [[text(value) for text, value in zip(texters, row, strict=True)] for row in table.rows]
        )
    return buffer.getvalue()


def csv_files(dataset: Dataset) -> dict[str, str]:
    """The dataset as CSV files: file name to text, in the order of the sheets."""
    return {
        f"{table.sheet.name}.csv": csv_text(table)
        for table in [*tables(dataset), columns_table(dataset)]
    }
