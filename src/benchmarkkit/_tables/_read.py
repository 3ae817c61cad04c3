"""Reading table files (xlsx, xls, ods, CSV) into raw sheets of cells, each cell at its place.

This is the first step of an import: it knows about files, encodings and
spreadsheet formats, and nothing about datasets. Workbooks are read with
python-calamine (the ``spreadsheets`` extra, imported when a workbook is read),
after :mod:`benchmarkkit._tables._guard` has measured them; CSV files with the
standard library, decoded by :mod:`benchmarkkit._tables._encodings`. A file that
cannot be read is a :class:`RawBook` with no sheets and a problem saying why:
:func:`read_book` never raises for a bad file, and no file ends the process.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, cast

import attrs

from benchmarkkit._problems import Problem
from benchmarkkit._regular_files import NotAFileError, read_regular_bytes, special_kind
from benchmarkkit._tables import missing_extra
from benchmarkkit._tables._encodings import (
    UNDECODABLE,
    Decoded,
    EncodingHow,
    canonical,
    decode,
    display_name,
)
from benchmarkkit._tables._guard import ZIP_ERRORS, WorkbookFormat, column_letter, guard
from benchmarkkit._tables._guard_ods import Extent

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

__all__ = [
    "CellRef",
    "RawBook",
    "RawSheet",
    "RawValue",
    "TableFormat",
    "column_letter",
    "display_name",
    "located",
    "read_book",
    "sheet_reference",
    "table_format",
]

RawValue = str | bool | int | float | datetime.datetime | datetime.date | datetime.time | None
"""A cell's value as the file holds it: text, a number, a truth value, a date or time, or empty."""

TableFormat = Literal["xlsx", "xls", "ods", "csv", "csv-folder"]

_WORD = re.compile(r"\w+")
_ZIP = b"PK\x03\x04"
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls files (and encrypted OOXML)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a stream of a password-protected OOXML
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SUFFIXES: dict[str, TableFormat] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
#: The delimiters a CSV file may use, as the header line shows; "," when it shows none.
_DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')


def _stripped(text: str | None) -> str | None:
    return (text.strip() or None) if text is not None else None


@attrs.frozen
class CellRef:
    """Where a value is in a table file, in the file's own terms."""

    file: str
    """The file as shown to people (``book.xlsx``, ``tables/evidence.csv``)."""
    sheet: str
    """The sheet's name; for a CSV file, the file's name without its suffix."""
    row: int
    """1-based, as spreadsheets number rows (the header row is usually 1)."""
    column: int
    """1-based."""
    header: str | None = attrs.field(default=None, converter=_stripped)
    """The column's header as written, stripped (empty: ``None``), if it has one."""

    @property
    def letter(self) -> str:
        """The column's letters, as spreadsheets name columns: ``A``, ``Z``, ``AA``."""
        return column_letter(self.column)

    @property
    def name(self) -> str:
        """The cell's name: ``evidence!C17``, or ``'my sheet'!C17``.

        A sheet name of other characters than letters, digits and ``_`` is quoted as
        spreadsheets do.
        """
        return f"{sheet_reference(self.sheet)}!{self.letter}{self.row}"


def sheet_reference(sheet: str) -> str:
    """A sheet's name as a formula writes it: quoted, ``'`` doubled, unless only word characters.

    >>> sheet_reference("evidence"), sheet_reference("my sheet"), sheet_reference("it's")
    ('evidence', "'my sheet'", "'it''s'")
    """
    if _WORD.fullmatch(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@attrs.frozen
class RawSheet:
    """One sheet's cells, each at its place: ``rows[r - 1][c - 1]`` is the cell of row r, column c.

    Trailing empty cells of a row and trailing empty rows are left out; an empty
    cell is ``None``. ``merged`` holds the merged ranges as
    ``(first_row, first_column, last_row, last_column)``, 1-based.
    """

    name: str
    file: str
    rows: tuple[tuple[RawValue, ...], ...]
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden: bool = False

    def ref(self, row: int, column: int, header: str | None = None) -> CellRef:
        """The place of the cell at ``row`` and ``column`` (1-based) on this sheet."""
        return CellRef(self.file, self.name, row, column, header)


@attrs.frozen
class RawBook:
    """A table file's sheets, how its text was decoded, and what reading it found."""

    file: str
    format: TableFormat
    """What the file was read as; for a file that could not be read, what it was taken for."""
    sheets: tuple[RawSheet, ...]
    """In the workbook's order; for a folder, its ``*.csv`` files by name."""
    encoding: str | None = None
    """CSV: the codec the text was decoded with (``utf-8``, ``utf-16``, ``cp1252``, ...)."""
    encoding_how: EncodingHow | None = None
    problems: tuple[Problem, ...] = ()


def located(problem: Problem, ref: CellRef) -> Problem:
    """``problem`` placed at the cell ``ref``: its file, sheet, row, header and cell name."""
    return attrs.evolve(
        problem,
        file=ref.file,
        sheet=ref.sheet,
        row=ref.row,
        header=ref.header,
        cell=ref.name,
    )


def _unreadable(file: str, message: str, *, code: str = "table-not-readable") -> Problem:
    return Problem.create(code, message, file=file)


def _failed(
    display: str, fmt: TableFormat, message: str, code: str = "table-not-readable"
) -> RawBook:
    return RawBook(display, fmt, (), problems=(_unreadable(display, message, code=code),))


# -- which format -------------------------------------------------------------------------


def table_format(path: Path) -> TableFormat | None:
    """What :func:`read_book` reads ``path`` as, or ``None`` when it reads nothing there.

    A folder holding ``*.csv`` files is ``csv-folder``; a file is known by its first
    bytes (a zip holding a workbook, the container of ``.xls``), else by its suffix.
    """
    try:
        if path.is_dir():
            return "csv-folder" if _csv_files(path) else None
        if special_kind(path) is not None:  # a named pipe would never end
            return None
        with path.open("rb") as file:
            return _format_of(path, file)
    except OSError:
        return None


def _format_of(path: Path, file: BinaryIO) -> TableFormat | None:
    """The format of the file open as ``file``: by its first bytes, else by its suffix."""
    head = file.read(len(_CFB))
    file.seek(0)
    suffix = _SUFFIXES.get(path.suffix.lower())
    if head.startswith(_ZIP):
        return _zip_format(file, suffix)
    if head.startswith(_CFB):  # .xls, or an .xlsx protected with a password
        return "xlsx" if suffix == "xlsx" else "xls"
    return suffix


def _zip_format(file: BinaryIO, suffix: TableFormat | None) -> TableFormat | None:
    """``ods`` or ``xlsx`` for a zip holding a workbook of that kind, ``None`` for another zip.

    A zip too damaged to list is what its suffix says, so that reading it says so.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
                return "ods"
    except ZIP_ERRORS:
        return suffix if suffix in ("xlsx", "ods") else None
    return "xlsx" if "xl/workbook.xml" in names or "xl/workbook.bin" in names else None


def _csv_files(folder: Path) -> list[Path]:
    return sorted(
        (child for child in folder.iterdir() if child.suffix.lower() == ".csv" and child.is_file()),
        key=lambda child: child.name,
    )


# -- reading ------------------------------------------------------------------------------


def read_book(path: Path, display: str, *, encoding: str | None = None) -> RawBook:
    """The sheets of the table file or CSV folder at ``path``, shown to people as ``display``.

    ``encoding`` is the codec of CSV files (the command line's ``--encoding``);
    without it, the encoding is found from the bytes. Never raises for a bad
    file: what cannot be read is a book with no sheets and a problem saying why.
    """
    if encoding is not None:
        try:
            encoding = canonical(encoding)
        except LookupError:
            return _unknown_encoding(display, encoding)
    if path.is_dir():
        return _read_folder(path, display, encoding)
    return _read_file(path, display, encoding)


def _read_file(path: Path, display: str, encoding: str | None) -> RawBook:
    try:
        data = read_regular_bytes(path)
    except NotAFileError as error:
        return _failed(display, _guess(path), f"{display} is {error.kind}, not a table file")
    except OSError as error:
        reason = error.strerror or str(error)
        return _failed(display, _guess(path), f"{display} cannot be read: {reason}")
    fmt = _format_of(path, io.BytesIO(data))
    if fmt is None or fmt == "csv-folder" or not data:
        return _failed(display, _guess(path), _not_a_table(display, data))
    if fmt == "csv":
        return _read_csv_file(data, display, path.stem, encoding)
    return _read_workbook(data, display, fmt)


def _unknown_encoding(display: str, encoding: str) -> RawBook:
    return _failed(
        display,
        "csv",
        f"{encoding!r} is not an encoding Python knows: give one such as utf-8, "
        "cp1252 (Windows-1252), mac_roman or utf-16",
        "encoding-unknown",
    )


def _guess(path: Path) -> TableFormat:
    """What a file that cannot be read was taken for: its suffix says, else a workbook."""
    return _SUFFIXES.get(path.suffix.lower(), "xlsx")


def _not_a_table(display: str, data: bytes) -> str:
    if not data:
        return f"{display} is empty: it holds no table"
    if data.startswith(_ZIP):
        return (
            f"{display} is a zip archive that holds no workbook: give an .xlsx, .xls or "
            ".ods workbook, a .csv file, or a folder of .csv files"
        )
    return (
        f"{display} is not a table file benchmarkkit reads: give an .xlsx, .xls or .ods "
        "workbook, a .csv file, or a folder of .csv files"
    )


# -- workbooks ----------------------------------------------------------------------------


def _read_workbook(data: bytes, display: str, fmt: WorkbookFormat) -> RawBook:
    if data.startswith(_CFB) and _ENCRYPTED in data:
        return _failed(display, fmt, _protected(display))
    try:
        import python_calamine
    except ImportError:
        return _failed(display, fmt, missing_extra(f"reading {display}"), "spreadsheets-missing")
    measured = guard(data, fmt)  # calamine cannot be stopped once it starts to allocate
    if measured.refused is not None:
        return _failed(display, fmt, f"{display} {measured.refused}")
    # calamine reports the merged ranges of Excel files only; an .ods file's come from guard
    merged = {sheet.name: sheet.merged for sheet in measured.ods}
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        with book:
            return RawBook(display, fmt, tuple(_sheets(book, display, merged)))
    except python_calamine.PasswordError:
        message = _protected(display)
    # calamine raises its own errors, ValueError, and a Rust panic (a BaseException) on damaged
    # files; each means the same to the user: the file cannot be read as a workbook.
    except BaseException as error:
        if isinstance(error, KeyboardInterrupt | SystemExit | MemoryError | GeneratorExit):
            raise
        message = _damaged(display, fmt, error)
    return _failed(display, fmt, message)


def _protected(display: str) -> str:
    return (
        f"{display} is protected with a password, so its cells cannot be read: open it, "
        "remove the password (in Excel: File > Info > Protect Workbook > Encrypt with "
        "Password, and clear it), save it and try again"
    )


def _damaged(display: str, fmt: TableFormat, error: BaseException) -> str:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    kind = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an Excel 97-2003 workbook (.xls)"}.get(
        fmt, "an OpenDocument spreadsheet (.ods)"
    )
    return (
        f"{display} cannot be read as {kind}: it is damaged, cut short or not a workbook "
        f"({detail}); open it in a spreadsheet application and save it again"
    )


def _sheets(
    book: CalamineWorkbook, display: str, merged: Mapping[str, tuple[Extent, ...]]
) -> Iterator[RawSheet]:
    import python_calamine

    for index, meta in enumerate(book.sheets_metadata):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # a chart or macro sheet holds no cells
        sheet = book.get_sheet_by_index(index)
        yield RawSheet(
            name=meta.name,
            file=display,
            rows=_rows(sheet),
            merged=_merged(sheet) or merged.get(meta.name, ()),
            hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
        )


def _rows(sheet: CalamineSheet) -> tuple[tuple[RawValue, ...], ...]:
    start = sheet.start
    if start is None:
        return ()
    first_row, first_column = start
    lead: tuple[RawValue, ...] = (None,) * first_column
    rows: list[tuple[RawValue, ...]] = [()] * first_row
    rows.extend(_trimmed(lead, values) for values in sheet.to_python())
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


def _trimmed(lead: tuple[RawValue, ...], values: Sequence[object]) -> tuple[RawValue, ...]:
    """A row's values after ``lead``, as :data:`RawValue`, without its trailing empty cells."""
    last = len(values)
    while last and values[last - 1] == "":
        last -= 1
    if not last:
        return ()
    # One pass, no call per cell: empty text is None, a duration its text, the rest as given.
    row = tuple(
        None
        if value == ""
        else _duration(value)
        if value.__class__ is datetime.timedelta
        else value
        for value in values[:last]
    )
    return lead + cast("tuple[RawValue, ...]", row)


def _duration(value: object) -> str:
    """A duration (a cell formatted ``[h]:mm:ss``) as a spreadsheet shows it: ``36:00:00``."""
    seconds = round(cast("datetime.timedelta", value).total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _merged(sheet: CalamineSheet) -> tuple[tuple[int, int, int, int], ...]:
    ranges = sheet.merged_cell_ranges or []
    return tuple(
        (first[0] + 1, first[1] + 1, last[0] + 1, last[1] + 1) for first, last in sorted(ranges)
    )


# -- CSV ----------------------------------------------------------------------------------


def _read_folder(folder: Path, display: str, encoding: str | None) -> RawBook:
    try:
        files = _csv_files(folder)
    except OSError as error:
        reason = error.strerror or str(error)
        return _failed(display, "csv-folder", f"the folder {display} cannot be read: {reason}")
    if not files:
        return _failed(
            display,
            "csv-folder",
            f"the folder {display} holds no .csv files: give a folder of CSV files (one per "
            "sheet, as export --format csv writes), a workbook or a .csv file",
        )
    sheets: list[RawSheet] = []
    problems: list[Problem] = []
    used: set[tuple[str, EncodingHow]] = set()
    for file in files:
        shown = os.path.join(display, file.name)  # noqa: PTH118 - the path as the user typed it
        try:
            data = read_regular_bytes(file)
        except OSError as error:
            problems.append(
                _unreadable(shown, f"{shown} cannot be read: {error.strerror or error}")
            )
            continue
        book = _read_csv_file(data, shown, file.stem, encoding)
        sheets.extend(book.sheets)
        problems.extend(book.problems)
        if book.encoding is not None and book.encoding_how is not None:
            used.add((book.encoding, book.encoding_how))
    if len(used) == 1:
        ((codec, how),) = used
        return RawBook(display, "csv-folder", tuple(sheets), codec, how, tuple(problems))
    return RawBook(display, "csv-folder", tuple(sheets), problems=tuple(problems))


def _read_csv_file(data: bytes, display: str, name: str, encoding: str | None) -> RawBook:
    if not data:
        return _failed(display, "csv", _not_a_table(display, data))
    decoded = decode(data, encoding)
    problems: list[Problem] = []
    if decoded.how == "detected":
        problems.append(
            Problem.create(
                "encoding-detected",
                f"{display} was read as {display_name(decoded.encoding)} (detected); if "
                "letters look wrong, give the right encoding with --encoding",
                file=display,
            )
        )
    try:
        rows = _csv_rows(decoded.text)
    except csv.Error as error:
        return _failed(display, "csv", f"{display} cannot be read as CSV: {error}")
    sheet = RawSheet(name=name, file=display, rows=rows)
    if decoded.bad:
        sheet, bad = _mark_undecodable(sheet, decoded)
        problems.extend(bad)
    return RawBook(display, "csv", (sheet,), decoded.encoding, decoded.how, tuple(problems))


def _delimiter(text: str) -> str:
    """``;`` or tab when the header line holds more of it than of commas; else ``,``."""
    end = min((at for at in (text.find("\r"), text.find("\n")) if at >= 0), default=len(text))
    header = _QUOTED.sub("", text[:end])  # a delimiter inside quotes delimits nothing
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _csv_rows(text: str) -> tuple[tuple[RawValue, ...], ...]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[RawValue, ...]] = []
    for record in reader:
        last = len(record)
        while last and not record[last - 1]:
            last -= 1
        rows.append(tuple(cell or None for cell in record[:last]))
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


def _mark_undecodable(sheet: RawSheet, decoded: Decoded) -> tuple[RawSheet, list[Problem]]:
    """The sheet with U+FFFD for each undecodable sequence, and a problem at each such cell."""
    sequences = iter(decoded.bad)
    problems: list[Problem] = []
    rows = list(sheet.rows)
    headers = rows[0] if rows else ()
    for row_index, row in enumerate(rows):
        if not any(isinstance(cell, str) and UNDECODABLE in cell for cell in row):
            continue
        cells = list(row)
        for column_index, cell in enumerate(row):
            if not (isinstance(cell, str) and UNDECODABLE in cell):
                continue
            found = [next(sequences, b"") for _ in range(cell.count(UNDECODABLE))]
            cells[column_index] = cell.replace(UNDECODABLE, "\ufffd")
            header = headers[column_index] if column_index < len(headers) else None
            ref = sheet.ref(
                row_index + 1, column_index + 1, header if isinstance(header, str) else None
            )
            problems.append(located(_not_decodable(ref, found, decoded), ref))
        rows[row_index] = tuple(cells)
    return attrs.evolve(sheet, rows=tuple(rows)), problems


def _not_decodable(ref: CellRef, found: list[bytes], decoded: Decoded) -> Problem:
    shown = ", ".join(" ".join(f"{byte:02X}" for byte in sequence) for sequence in found)
    byte_words = "bytes" if sum(len(sequence) for sequence in found) > 1 else "byte"
    how = "given" if decoded.how == "given" else "tried"
    return Problem.create(
        "cell-not-decodable",
        f"the {byte_words} {shown} in cell {ref.name} cannot be read as "
        f"{display_name(decoded.encoding)} (the encoding {how}); they are shown as \ufffd: "
        "give the file's encoding with --encoding (such as cp1252 or mac_roman), or save "
        "it as UTF-8",
    )
