"""The sheets of a workbook matched to the workbook layout, and each row's cells read.

The first half of reading a workbook in our own layout (``_import`` is the
second): which sheet of the book is which sheet of
:data:`~benchmarkkit._tables._layout.LAYOUT` (by name, else by its headers),
which column is which (by header: stripped, exact first, then ignoring case),
and each row's cells read by their column's kind (``_cells.READERS``). What
cannot be read with its obvious meaning is a problem at its cell: an unknown
sheet or column holding data, a header twice, a column without a header,
merged cells, a link column missing, a cell of the wrong kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from benchmarkkit._problems import Problem
from benchmarkkit._tables._cells import READERS, CellError, date_cell_note
from benchmarkkit._tables._layout import COLUMNS_SHEET, LAYOUT, Column, Sheet
from benchmarkkit._tables._read import CellRef, RawBook, RawSheet, RawValue, located

__all__ = ["SKIPPED_SHEETS", "UNREADABLE", "Found", "SheetReader"]

#: The sheets the writer adds that hold no records: the columns described, the drop-down lists.
SKIPPED_SHEETS = frozenset({COLUMNS_SHEET, "_lists"})
_BY_NAME = {sheet.name: sheet for sheet in LAYOUT}
#: A link cell (parent id, order, path) that could not be read: its problem is said, and the
#: row is left out without more problems about where it belongs.
UNREADABLE = object()


def _reader(column: Column) -> Callable[[Any], Any]:
    return READERS[f"list/{column.items}" if column.kind == "list" else column.kind]


def _empty(value: RawValue) -> bool:
    return value is None or value == ""


def _blank(row: tuple[RawValue, ...]) -> bool:
    return all(_empty(value) or (isinstance(value, str) and not value.strip()) for value in row)


def _header_text(value: RawValue) -> str | None:
    if _empty(value):
        return None
    text = value.strip() if isinstance(value, str) else READERS["id"](value)
    return text or None


# -- sheets -------------------------------------------------------------------------------


@attrs.frozen
class Found:
    """A sheet of the book read as a sheet of the layout: where its header is, which columns."""

    raw: RawSheet
    sheet: Sheet
    header_row: int
    #: The layout column of each sheet column that has one: (1-based column, column).
    columns: tuple[tuple[int, Column], ...]
    #: The sheet column of each layout header, for the cells of values and of empty cells.
    where: Mapping[str, int]

    def ref(self, row: int, column: int) -> CellRef:
        header = self.raw.rows[self.header_row - 1]
        return self.raw.ref(
            row, column, _header_text(header[column - 1]) if column <= len(header) else None
        )

    def data_rows(self) -> Iterator[tuple[int, tuple[RawValue, ...]]]:
        """The rows after the header, numbered as in the spreadsheet; empty rows left out."""
        for index in range(self.header_row, len(self.raw.rows)):
            row = self.raw.rows[index]
            if not _blank(row):
                yield index + 1, row


def _header_row(raw: RawSheet) -> int | None:
    """The 1-based row of the header: the first row that is not empty."""
    return next((n for n, row in enumerate(raw.rows, start=1) if not _blank(row)), None)


def _headers(raw: RawSheet) -> list[str]:
    row = _header_row(raw)
    if row is None:
        return []
    return [text for value in raw.rows[row - 1] if (text := _header_text(value)) is not None]


def _has_data(raw: RawSheet) -> bool:
    row = _header_row(raw)
    return row is not None and any(not _blank(rest) for rest in raw.rows[row:])


@attrs.define
class SheetReader:
    """Reads one book's sheets: which sheet and column is which, and each row's cells."""

    book: RawBook
    problems: list[Problem] = attrs.field(factory=list)
    #: A record's pointer -> its sheet and row: what :class:`_Cells` finds cells from.
    records: dict[str, tuple[Found, int]] = attrs.field(factory=dict)

    def problem(self, code: str, message: str, ref: CellRef, **more: Any) -> None:
        self.problems.append(located(Problem.create(code, message, **more), ref))

    def sheet_problem(self, code: str, message: str, raw: RawSheet) -> None:
        self.problems.append(Problem.create(code, message, file=raw.file, sheet=raw.name))

    # -- which sheet is which ---------------------------------------------------------------

    def match_sheets(self) -> dict[str, RawSheet]:
        """The book's sheets by the layout sheet they are read as."""
        found: dict[str, RawSheet] = {}
        folded = {name.casefold(): name for name in _BY_NAME}
        others: list[RawSheet] = []
        for raw in self.book.sheets:
            name = raw.name if raw.name in _BY_NAME else folded.get(raw.name.strip().casefold())
            if raw.name in SKIPPED_SHEETS:
                continue
            if name is None or name in found:
                others.append(raw)
            else:
                found[name] = raw
        for raw in others:
            self.match_renamed(raw, found)
        return found

    def match_renamed(self, raw: RawSheet, found: dict[str, RawSheet]) -> None:
        """A sheet of another name: read as the one layout sheet its headers are, if any."""
        headers = {header.casefold() for header in _headers(raw)}
        same = [
            sheet.name
            for sheet in LAYOUT
            if sheet.name not in found
            and headers == {column.header.casefold() for column in sheet.columns}
        ]
        if len(same) == 1 and raw.name not in _BY_NAME:
            found[same[0]] = raw
            self.sheet_problem(
                "sheet-read-as",
                f"the sheet {raw.name!r} is not a sheet of the layout, but its headers are those "
                f"of {same[0]!r}, so it was read as {same[0]}; rename it {same[0]} to say so",
                raw,
            )
        elif _has_data(raw):
            if raw.name in _BY_NAME or raw.name.strip().casefold() in {
                name.casefold() for name in found
            }:
                why = f"the sheet {raw.name!r} repeats the sheet {_canonical(raw.name, found)!r}"
                fix = "merge its rows into that sheet and delete it"
            else:
                close = difflib.get_close_matches(raw.name, list(_BY_NAME), n=1, cutoff=0.75)
                why = f"the sheet {raw.name!r} is not a sheet of the workbook layout"
                fix = (
                    f"rename it {close[0]} if that is what it holds, or move it to another file"
                    if close
                    else "move it to another file, or rename it after the records it holds"
                )
                if not found:  # no sheet of the layout at all: a table of another shape
                    fix = (
                        "this workbook is not in the layout benchmarkkit export writes; a table "
                        "of another shape is read through a mapping: benchmarkkit import "
                        "BOOK --mapping MAPPING -o DATASET "
                        "(docs/how-to/import-upr-recommendations.md)"
                    )
            self.sheet_problem(
                "unknown-sheet",
                f"{why}, and its rows were not read: {fix} "
                "(docs/reference/workbook.md lists the sheets)",
                raw,
            )

    # -- which column is which --------------------------------------------------------------

    def columns(self, raw: RawSheet, sheet: Sheet) -> Found | None:
        """The sheet's header read: the layout column of each sheet column, and what is wrong."""
        header_row = _header_row(raw)
        if header_row is None:
            return None
        by_header = {column.header: column for column in sheet.columns}
        folded = {column.header.casefold(): column for column in sheet.columns}
        taken: dict[str, int] = {}
        matched: list[tuple[int, Column]] = []
        orphans: list[tuple[int, str | None]] = []
        for number, value in enumerate(raw.rows[header_row - 1], start=1):
            text = _header_text(value)
            column = None if text is None else by_header.get(text) or folded.get(text.casefold())
            if column is None:
                orphans.append((number, text))
            elif column.header in taken:
                ref = raw.ref(header_row, number, text)
                first = raw.ref(header_row, taken[column.header]).name
                self.problem(
                    "duplicate-column",
                    f"the header {text!r} is here and in {first}; the cells under this one "
                    "were not read: keep one column of each header",
                    ref,
                )
            else:
                taken[column.header] = number
                matched.append((number, column))
        found = Found(raw, sheet, header_row, tuple(matched), taken)
        self.unknown_columns(found, orphans, header_row)
        return found

    def unknown_columns(
        self, found: Found, orphans: list[tuple[int, str | None]], header_row: int
    ) -> None:
        """A problem for each column holding data that no header of the layout names."""
        merged = {
            column
            for first_row, first, last_row, last in found.raw.merged
            if first_row <= header_row <= last_row
            for column in range(first + 1, last + 1)
        }
        headers = [column.header for column in found.sheet.columns]
        for number, text in orphans:
            row = next(
                (n for n, cells in found.data_rows() if not _empty(_at(cells, number))), None
            )
            if row is None:
                continue  # an empty column: nothing is lost
            if text is None:
                why = (
                    "its header cell is merged into the one on its left"
                    if number in merged
                    else "it has no header"
                )
                self.problem(
                    "column-without-header",
                    f"this column holds data, but {why}, so it was not read: give it the "
                    "header of the field it holds (unmerge the header cells first), or delete it",
                    found.raw.ref(row, number),
                )
                continue
            close = difflib.get_close_matches(text, headers, n=1)
            maybe = f"; did you mean {close[0]!r}?" if close else "."
            self.problem(
                "unknown-column",
                f"the column {text!r} is not a column of the sheet {found.sheet.name} and holds "
                f"data, which was not read{maybe} Rename it to one of the sheet's columns, or "
                "move its data elsewhere (the sheet 'columns' lists them)",
                found.raw.ref(header_row, number, text),
            )

    def merged_cells(self, found: Found) -> None:
        """A problem for each range of merged cells below the header: only its first has a value."""
        for first_row, first, last_row, last in found.raw.merged:
            if last_row <= found.header_row:
                continue
            ref = found.ref(max(first_row, found.header_row + 1), first)
            end = found.raw.ref(last_row, last).name.rpartition("!")[2]
            self.problem(
                "merged-cells",
                f"the cells {ref.name}:{end} are merged, so only the first holds a value and "
                "the others read as empty: unmerge them and fill each cell",
                ref,
            )

    def missing_links(self, found: Found) -> bool:
        """Whether the sheet lacks a column that links its rows to their parent (a problem)."""
        missing = [
            column.header
            for column in found.sheet.columns
            if not column.path and column.header not in found.where
        ]
        if missing and any(True for _ in found.data_rows()):
            names = " and ".join(repr(header) for header in missing)
            self.problem(
                "missing-column",
                f"the sheet {found.sheet.name} has no column {names}, which says where each "
                "row belongs, so its rows were not read: add the column back (the sheet "
                "'columns' describes it)",
                found.raw.ref(
                    found.header_row, 1, _header_text(_at(found.raw.rows[found.header_row - 1], 1))
                ),
            )
            return True
        return False

    # -- rows ---------------------------------------------------------------------------------

    def rows(self, found: Found) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
        """Each row's number, its record and its link cells (parent id, order, path), read."""
        readers = [(number, column, _reader(column)) for number, column in found.columns]
        for row_number, cells in found.data_rows():
            record: dict[str, Any] = {}
            links: dict[str, Any] = {}
            for number, column, read in readers:
                raw = _at(cells, number)
                if _empty(raw):
                    continue
                try:
                    value = read(raw)
                except CellError as error:
                    self.problem(
                        "cell-not-readable",
                        f"the cell {error}",
                        found.ref(row_number, number),
                        value=raw,
                    )
                    if not column.path:
                        links[column.header] = UNREADABLE
                    continue
                if value in ("", []):
                    continue  # spaces only, or a list of nothing: an empty cell
                if column.kind == "date" and (note := date_cell_note(raw)) is not None:
                    ref = found.ref(row_number, number)
                    self.problem("date-cell-read", f"the cell {note}", ref, value=value)
                if not column.path:
                    links[column.header] = value
                    continue
                place = record
                for part in column.path[:-1]:
                    place = place.setdefault(part, {})
                place[column.path[-1]] = value
            yield row_number, record, links


def _at(cells: tuple[RawValue, ...], column: int) -> RawValue:
    return cells[column - 1] if column <= len(cells) else None


def _canonical(name: str, found: Mapping[str, RawSheet]) -> str:
    folded = name.strip().casefold()
    return next((known for known in found if known.casefold() == folded), name)
