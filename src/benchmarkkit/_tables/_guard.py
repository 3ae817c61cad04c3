"""Whether calamine can read a workbook without ending the process, found before it tries.

calamine holds a sheet's whole used range in memory (32 bytes a cell) and aborts the
process, which no ``except`` can catch, when it cannot allocate it: one stray cell at
XFD1048576 of an .xlsx file asks for 512 GiB, a repeated cell of an .ods file or a
DIMENSIONS record of an .xls file for more. So each workbook is measured first, in
its own terms (the XML of an .xlsx sheet, the ``content.xml`` of an .ods file, the
records of an .xls file), and a sheet reaching over :data:`MAX_CELLS` cells is a
problem instead.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

from benchmarkkit._tables._guard_ods import Extent, OdsSheet, scan_ods
from benchmarkkit._tables._guard_xls import scan_xls

__all__ = ["MAX_CELLS", "ZIP_ERRORS", "Guarded", "WorkbookFormat", "column_letter", "guard"]

WorkbookFormat = Literal["xlsx", "xls", "ods"]

#: The most cells a sheet's used range may span: 10 million cells are about 320 MB in
#: calamine, and a few times that as Python values.
MAX_CELLS = 10_000_000
#: The most cells an .xls sheet can hold (65,536 rows by 256 columns): a DIMENSIONS record
#: claiming more is damaged, and calamine would reserve 40 bytes for each claimed cell.
_XLS_CELLS = 65_536 * 256
#: What reading a damaged zip raises: a bad directory or checksum, a bad deflate stream, an
#: encrypted member (RuntimeError), a compression method Python lacks.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)
#: The rows and columns of an xlsx sheet's cells that are not self-closing (so not empty).
_XLSX_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"[^>]*(?<!/)>')
_XLSX_COLUMN = re.compile(rb'r="([A-Z]{1,3})\d+"[^>]*(?<!/)>')  # cells alone have r="A1"


@attrs.frozen
class Guarded:
    """What measuring a workbook found: why calamine must not read it, and any ODS sheets."""

    refused: str | None = None
    """Why the workbook is not read, a sentence after its name; ``None``: it can be read."""
    ods: tuple[OdsSheet, ...] = ()
    """For an .ods file, each table as the measuring pass saw it (with its merged ranges)."""


def guard(data: bytes, fmt: WorkbookFormat) -> Guarded:
    """Whether calamine can read the workbook ``data`` whole (see the module's docstring).

    A file too damaged to measure is let through: calamine says it cannot read it.
    """
    if fmt == "xls":
        return _measure_xls(data)
    try:
        if fmt == "xlsx":
            return Guarded(_too_large(_xlsx_extents(data)))
        return _measure_ods(data)
    except ZIP_ERRORS:
        return Guarded()


def _measure_xls(data: bytes) -> Guarded:
    scan = scan_xls(data)
    if scan is None:
        return Guarded()
    if scan.overlapping:
        return Guarded(_xls_damaged("its sheets point into each other's records"))
    for rows, columns in scan.claimed:
        if rows * columns > _XLS_CELLS:
            return Guarded(
                _xls_damaged(
                    f"a sheet claims {rows:,} rows by {columns:,} columns, more than an .xls "
                    "sheet holds"
                )
            )
    return Guarded(_too_large(scan.extents))


def _measure_ods(data: bytes) -> Guarded:
    scan = scan_ods(io.BytesIO(data))
    if scan is None:
        return Guarded()
    if scan.nested is not None:
        return Guarded(
            f"has a table inside a cell of the sheet {scan.nested!r}, which benchmarkkit does "
            "not read: move its cells onto the sheet, save it and try again",
            scan.sheets,
        )
    extents = (sheet.extent for sheet in scan.sheets if sheet.extent is not None)
    return Guarded(_too_large(extents), scan.sheets)


def _too_large(extents: Iterable[Extent]) -> str | None:
    for first_row, first_column, last_row, last_column in extents:
        height, width = last_row - first_row + 1, last_column - first_column + 1
        if height * width > MAX_CELLS:
            return (
                f"has a sheet whose filled cells reach as far as "
                f"{column_letter(last_column)}{last_row}: {height:,} rows by {width:,} "
                f"columns, more than the {MAX_CELLS:,} cells benchmarkkit reads; delete the "
                "cells far outside the table, save it and try again"
            )
    return None


def _xls_damaged(why: str) -> str:
    return (
        "cannot be read as an Excel 97-2003 workbook (.xls): it is damaged, cut short or "
        f"not a workbook ({why}); open it in a spreadsheet application and save it again"
    )


def _xlsx_extents(data: bytes) -> Iterator[Extent]:
    """The range the filled cells of each sheet of the xlsx ``data`` reach.

    Two regular expressions over each sheet's XML, a quarter of calamine's own time.
    Empty cells (``<c r="XFD1" s="1"/>``) are left out, as calamine leaves them.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            xml = archive.read(name)
            rows = [int(row) for row in _XLSX_ROW.findall(xml)]
            columns = [_column_number(letters) for letters in set(_XLSX_COLUMN.findall(xml))]
            if rows and columns:
                yield min(rows), min(columns), max(rows), max(columns)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def column_letter(column: int) -> str:
    """The letters of the 1-based ``column``: 1 is ``A``, 27 is ``AA``.

    >>> column_letter(1), column_letter(26), column_letter(27), column_letter(16384)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
