"""One pass over an OpenDocument spreadsheet's cells: how far each sheet reaches, what is merged.

calamine holds a sheet's whole range in memory and cannot be stopped once it has
started to allocate; in an .ods file one cell can stand for billions
(``table:number-columns-repeated``, ``table:number-rows-repeated``), so
:func:`benchmarkkit._tables._guard.guard` measures each sheet here first. The same
pass reads the merged ranges (``table:number-columns-spanned``, ``number-rows-spanned``),
which calamine reports for Excel files only.

Elements are known by their names as written (``table:table-cell``), as calamine
knows them: a file that binds the table namespace to another prefix has no sheets
for calamine either. ``content.xml`` is read as a stream, a block at a time, in
one of two ways. The quick way finds the rows with ``bytes.find`` and counts a row's
cells without looking at each, as long as the row holds no repeated, spanning or
self-closing filled cell before its last filled one (such rows have their cells read
one by one); it is a fraction of calamine's own time. A file the quick way does not
follow (comments, CDATA sections, processing instructions, a table out of place) is
read again by expat, element by element, which is exact and several times slower.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Mapping
from typing import IO
from xml.parsers import expat

import attrs

__all__ = ["Extent", "OdsScan", "OdsSheet", "scan_ods"]

Extent = tuple[int, int, int, int]
"""The first row, first column, last row and last column of a range, 1-based."""

#: The rows and columns of a sheet, as spreadsheet applications (and calamine) hold them.
_LAST_ROW, _LAST_COLUMN = 1_048_576, 16_384
_BLOCK = 1 << 24
#: The most XML one row may hold for the quick way; a longer row is read by expat.
_LONGEST_ROW = 1 << 26

_SHEET, _ROW = "table:table", "table:table-row"
_CELLS = frozenset({"table:table-cell", "table:covered-table-cell"})
_ROW_END = b"</table:table-row>"
_ATTRIBUTES = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""  # a ">" may stand inside quotes
_TOKEN = re.compile(rb"<table:table(-row)?(?=[\s/>])([^>]*)>|</table:table>")
_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])" + _ATTRIBUTES + rb">")
_UNUSUAL = re.compile(rb"<[!?]")


@attrs.frozen
class OdsSheet:
    """One table of an .ods file: how far its filled cells reach, and its merged ranges."""

    name: str
    extent: Extent | None
    """The range of the filled cells (a value, or any content); ``None`` for an empty sheet."""
    merged: tuple[Extent, ...]
    """The merged ranges that start inside :attr:`extent`, in the order of the file."""


@attrs.frozen
class OdsScan:
    """The tables of an .ods file, and the name of one holding a table inside a cell, if any."""

    sheets: tuple[OdsSheet, ...]
    nested: str | None = None


@attrs.define
class _Span:
    """A cell spanning others: where its (repeated) row and column start, how far it spans."""

    row: int
    rows_repeated: int
    column: int
    columns_repeated: int
    rows: int
    columns: int


class _NotQuickError(Exception):
    """The quick way cannot follow this file: expat reads it."""


@attrs.define
class _Sheets:
    """The sheets found so far, and the one being read: its extent, spans and next row."""

    sheets: list[OdsSheet] = attrs.field(factory=list)
    name: str | None = None  # the open sheet's name; None outside a sheet
    extent: list[int] = attrs.field(factory=list)
    spans: list[_Span] = attrs.field(factory=list)
    row: int = 0  # rows before the next row
    nested: str | None = None

    def open(self, name: str) -> None:
        self.name, self.extent, self.spans, self.row = name, [], [], 0

    def close(self) -> None:
        if self.name is not None:
            self.sheets.append(_sheet(self.name, self.extent, self.spans))
        self.name = None

    def add_row(self, repeated: int, first: int, last: int, spans: list[_Span]) -> None:
        """The next row, repeated: its first and last filled column (0: none), its spans."""
        first_row, last_row = self.row + 1, self.row + repeated
        for span in spans:
            span.row, span.rows_repeated = first_row, repeated
        self.spans.extend(spans)
        if first:
            if not self.extent:
                self.extent.extend((first_row, first, last_row, last))
            else:
                self.extent[0] = min(self.extent[0], first_row)
                self.extent[1] = min(self.extent[1], first)
                self.extent[2] = max(self.extent[2], last_row)
                self.extent[3] = max(self.extent[3], last)
        self.row = last_row


def _count(text: str | bytes | None) -> int:
    """A repeat or span count: a whole number from 1; anything else (a damaged file) is 1."""
    if text is None:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


#: The attributes the quick way reads, each as a pattern: ``name = "value"``, either quote.
_NAMED = {
    name: re.compile(rb"(?<![\w:.-])" + re.escape(name) + rb"""\s*=\s*(["'])(.*?)\1""")
    for name in (
        b"table:name",
        b"table:number-rows-repeated",
        b"table:number-columns-repeated",
        b"table:number-rows-spanned",
        b"table:number-columns-spanned",
    )
}


def _attribute(attributes: bytes, name: bytes) -> bytes | None:
    """The value of the attribute ``name`` in a tag's ``attributes``, as written."""
    match = _NAMED[name].search(attributes)
    return match.group(2) if match else None


# -- the quick way -------------------------------------------------------------------------


@attrs.define
class _Quick:
    """Reads ``content.xml`` a block at a time, row by row, with ``bytes.find``."""

    found: _Sheets = attrs.field(factory=_Sheets)
    first: bool = True

    def feed(self, data: bytes, *, final: bool) -> int:
        """Reads the rows and sheets wholly in ``data``; how much of it was read."""
        if _UNUSUAL.search(data, 1 if self.first else 0):  # 0 is the <?xml declaration
            raise _NotQuickError
        self.first = False
        spans = b"-spanned" in data
        at = 0
        while (match := _TOKEN.search(data, at)) is not None:
            tag = match.group(2) or b""
            if tag.count(b'"') % 2 or tag.count(b"'") % 2:
                raise _NotQuickError  # a ">" inside quotes: the tag goes on
            if match.group(1) is None:
                at = self.sheet(match, tag)
                continue
            if self.found.name is None:
                raise _NotQuickError  # a row outside a sheet: a table in a cell, or a damaged file
            repeated = (
                _count(_attribute(tag, b"table:number-rows-repeated")) if b"repeated" in tag else 1
            )
            if tag.endswith(b"/"):
                self.found.add_row(repeated, 0, 0, [])
                at = match.end()
                continue
            end = data.find(_ROW_END, match.end())
            if end < 0:
                if final or len(data) - match.start() > _LONGEST_ROW:
                    raise _NotQuickError
                return match.start()
            self.found.add_row(repeated, *_row(data, match.end(), end, spans=spans))
            at = end + len(_ROW_END)
        if final:
            return len(data)
        last = data.rfind(b"<", at)  # a tag cut by the end of the block starts there
        return last if last >= 0 else len(data)

    def sheet(self, match: re.Match[bytes], tag: bytes) -> int:
        if match.group(0) == b"</table:table>":
            if self.found.name is None:
                raise _NotQuickError
            self.found.close()
        else:
            if self.found.name is not None:
                raise _NotQuickError  # a table inside a table's cell
            name = _attribute(tag, b"table:name") or b""
            self.found.open(html.unescape(name.decode("utf-8", "replace")))
            if tag.endswith(b"/"):
                self.found.close()
        return match.end()


def _row(data: bytes, start: int, end: int, *, spans: bool) -> tuple[int, int, list[_Span]]:
    """The first and last filled column of the row in ``data[start:end]`` (0: none), its spans.

    A filled cell is one with content (``</table:table-cell>``) or a value type; the
    row's cells are counted by their ``<table:`` tags up to its last filled one.
    ``spans``: whether the block holds a spanning cell at all.
    """
    closed = data.rfind(b"-cell>", start, end)
    valued = data.rfind(b"value-type", start, end)
    if closed < 0 and valued < 0:
        return 0, 0, []
    if (
        valued > closed
        or data.find(b"columns-repeated", start, closed) >= 0
        or (spans and data.find(b"-spanned", start, end) >= 0)
    ):
        return _cells(data, start, end)
    last_tag = data.rfind(b"<table:", start, closed)
    last = data.count(b"<table:", start, last_tag + 7)
    lead = data.find(b"<table:", start, end)
    close = data.find(b">", lead)
    if data[close - 1] != ord("/") or data.find(b"value-type", lead, close) >= 0:
        return 1, last, []  # the first cell is filled
    first, _, _ = _cells(data, start, end)
    return first, last, []


def _cells(data: bytes, start: int, end: int) -> tuple[int, int, list[_Span]]:
    """:func:`_row` by reading each cell: its repeats, spans and whether it is filled."""
    column = first = last = 0
    spans: list[_Span] = []
    for match in _CELL.finditer(data, start, end):
        tag = match.group(1)
        repeated = _count(_attribute(tag, b"table:number-columns-repeated"))
        if not tag.endswith(b"/") or b"value-type" in tag:
            first = first or column + 1
            last = column + repeated
        rows = _count(_attribute(tag, b"table:number-rows-spanned"))
        columns = _count(_attribute(tag, b"table:number-columns-spanned"))
        if rows > 1 or columns > 1:
            spans.append(_Span(0, 1, column + 1, repeated, rows, columns))
        column += repeated
    return first, last, spans


# -- the exact way -------------------------------------------------------------------------


@attrs.define
class _Exact:
    """The expat handlers: one sheet at a time, one row, one cell."""

    found: _Sheets = attrs.field(factory=_Sheets)
    repeated: int = 1  # the open row's repeat
    first: int = 0  # the first and last filled column of the open row; 0: none yet
    last: int = 0
    spans: list[_Span] = attrs.field(factory=list)  # the open row's
    column: int = 0  # columns before the open cell
    cell: tuple[int, int, int] | None = None  # the open cell: repeated, rows, columns spanned
    filled: bool = False
    inside: int = 0  # elements open inside the open cell

    def start(self, tag: str, attributes: Mapping[str, str]) -> None:
        if self.cell is not None:
            self.filled = True  # anything in a cell: text, a note
            self.inside += 1
            if tag == _SHEET and self.found.nested is None:
                self.found.nested = self.found.name
        elif tag in _CELLS:
            self.cell = (
                _count(attributes.get("table:number-columns-repeated")),
                _count(attributes.get("table:number-rows-spanned")),
                _count(attributes.get("table:number-columns-spanned")),
            )
            self.filled = any(name.endswith("value-type") for name in attributes)
        elif tag == _ROW and self.found.name is not None:
            self.repeated = _count(attributes.get("table:number-rows-repeated"))
            self.first = self.last = self.column = 0
            self.spans = []
        elif tag == _SHEET and self.found.name is None:
            self.found.open(attributes.get("table:name", ""))

    def end(self, tag: str) -> None:
        if self.inside:
            self.inside -= 1
        elif self.cell is not None:
            repeated, rows, columns = self.cell
            if self.filled:
                self.first = self.first or self.column + 1
                self.last = self.column + repeated
            if rows > 1 or columns > 1:
                self.spans.append(_Span(0, 1, self.column + 1, repeated, rows, columns))
            self.column += repeated
            self.cell = None
        elif tag == _ROW and self.found.name is not None:
            self.found.add_row(self.repeated, self.first, self.last, self.spans)
        elif tag == _SHEET:
            self.found.close()


# -- both ----------------------------------------------------------------------------------


def _sheet(name: str, found: list[int], spans: list[_Span]) -> OdsSheet:
    """The sheet, its extent held to the rows and columns a spreadsheet has."""
    if not found:
        return OdsSheet(name, None, ())
    first_row, first_column, last_row, last_column = found
    extent = (
        min(first_row, _LAST_ROW),
        min(first_column, _LAST_COLUMN),
        min(last_row, _LAST_ROW),
        min(last_column, _LAST_COLUMN),
    )
    return OdsSheet(name, extent, tuple(_merged(extent, spans)))


def _merged(extent: Extent, spans: list[_Span]) -> list[Extent]:
    """Each span's range, once for each repetition of its cell that starts inside ``extent``.

    Only a crafted file repeats a spanning cell many times; starting inside the extent
    (which :mod:`benchmarkkit._tables._guard` holds to a few million cells) keeps the
    ranges as few as the cells.
    """
    first_row, first_column, last_row, last_column = extent
    merged: list[Extent] = []
    for span in spans:
        rows = range(max(span.row, first_row), min(span.row + span.rows_repeated - 1, last_row) + 1)
        columns = range(
            max(span.column, first_column),
            min(span.column + span.columns_repeated - 1, last_column) + 1,
        )
        merged.extend(
            (
                row,
                column,
                min(row + span.rows - 1, _LAST_ROW),
                min(column + span.columns - 1, _LAST_COLUMN),
            )
            for row in rows
            for column in columns
        )
    return merged


def scan_ods(file: IO[bytes], *, quick: bool = True) -> OdsScan | None:
    """The tables of the .ods file ``file`` (a zip); ``None`` when it has no ``content.xml``.

    ``quick=False`` reads every element with expat (the tests compare the two ways).
    A damaged zip raises what :mod:`zipfile` raises; XML that is not well-formed ends
    the pass where it stops being readable, with the sheets seen so far.
    """
    with zipfile.ZipFile(file) as archive:
        if "content.xml" not in archive.namelist():
            return None
        if quick:
            try:
                with archive.open("content.xml") as content:
                    return _scan_quickly(content)
            except _NotQuickError:
                pass
        with archive.open("content.xml") as content:
            return _scan_exactly(content)


def _scan_quickly(content: IO[bytes]) -> OdsScan:
    quick = _Quick()
    left = b""
    while block := content.read(_BLOCK):
        data = left + block
        left = data[quick.feed(data, final=False) :]
    quick.feed(left, final=True)
    quick.found.close()
    return OdsScan(tuple(quick.found.sheets))


def _scan_exactly(content: IO[bytes]) -> OdsScan:
    exact = _Exact()
    parser = expat.ParserCreate()  # names as written, prefixes and all, as calamine reads them
    parser.StartElementHandler = exact.start
    parser.EndElementHandler = exact.end
    try:
        while block := content.read(_BLOCK):
            parser.Parse(block, False)  # noqa: FBT003 - expat's own API
        parser.Parse(b"", True)  # noqa: FBT003 - expat's own API
    except expat.ExpatError:
        pass  # calamine stops at the same place, or sooner: what was seen is measured
    exact.found.close()
    return OdsScan(tuple(exact.found.sheets), exact.found.nested)
