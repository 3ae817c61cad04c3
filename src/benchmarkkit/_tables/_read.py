"""Reading table files (xlsx, xls, ods, CSV) into raw sheets of cells, each cell at its place.

This is the first step of an import: it knows about files, encodings and
spreadsheet formats, and nothing about datasets. Workbooks are read with
python-calamine (the ``spreadsheets`` extra, imported when a workbook is read);
CSV files with the standard library, their encoding taken from ``encoding=``,
a byte order mark, strict UTF-8, the NUL pattern of UTF-16, or a guess scored
between Windows-1252, Mac Roman and charset-normalizer's answer. A file that cannot be read is a
:class:`RawBook` with no sheets and a problem saying why: :func:`read_book`
never raises for a bad file.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, cast

import attrs

from benchmarkkit._problems import Problem
from benchmarkkit._regular_files import NotAFileError, read_regular_bytes, special_kind
from benchmarkkit._tables import missing_extra

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
EncodingHow = Literal["bom", "utf-8", "detected", "given"]

_WORD = re.compile(r"\w+")
_ZIP = b"PK\x03\x04"
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls files (and encrypted OOXML)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # a stream of a password-protected OOXML
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
#: What reading a damaged zip raises: a bad directory or checksum, a bad deflate stream, an
#: encrypted member (RuntimeError), a compression method Python lacks.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)
_SUFFIXES: dict[str, TableFormat] = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
#: Each byte order mark, the codec of the bytes after it, and the encoding's name.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
#: The delimiters a CSV file may use, as the header line shows; "," when it shows none.
_DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"[^"]*"')
#: The most cells a sheet's used range may span: calamine holds the range whole in memory
#: (32 bytes a cell), so a stray cell at XFD1048576 would need 512 GiB, and end the process.
_MAX_CELLS = 10_000_000
#: The rows and columns of an xlsx sheet's cells that are not self-closing (so not empty).
_XLSX_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"[^>]*(?<!/)>')
_XLSX_COLUMN = re.compile(rb'r="([A-Z]{1,3})\d+"[^>]*(?<!/)>')  # cells alone have r="A1"
#: Stands in the decoded text for a byte sequence the encoding cannot decode; no decoder
#: gives a lone surrogate, so it cannot be a real character of the file.
_UNDECODABLE = "\udfff"
_WINDOW = 4096


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
    except _ZIP_ERRORS:
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
            encoding = _canonical(encoding)
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


def _read_workbook(data: bytes, display: str, fmt: TableFormat) -> RawBook:
    if data.startswith(_CFB) and _ENCRYPTED in data:
        return _failed(display, fmt, _protected(display))
    try:
        import python_calamine
    except ImportError:
        return _failed(display, fmt, missing_extra(f"reading {display}"), "spreadsheets-missing")
    message = _too_large(data, display) if fmt == "xlsx" else None
    if message is not None:
        return _failed(display, fmt, message)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        with book:
            return RawBook(display, fmt, tuple(_sheets(book, display)))
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


def _sheets(book: CalamineWorkbook, display: str) -> Iterator[RawSheet]:
    import python_calamine

    for index, meta in enumerate(book.sheets_metadata):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue  # a chart or macro sheet holds no cells
        sheet = book.get_sheet_by_index(index)
        yield RawSheet(
            name=meta.name,
            file=display,
            rows=_rows(sheet),
            merged=_merged(sheet),
            hidden=meta.visible != python_calamine.SheetVisibleEnum.Visible,
        )


def _too_large(data: bytes, display: str) -> str | None:
    """Why an xlsx workbook cannot be read whole: a sheet spans more than :data:`_MAX_CELLS`.

    Looked at in the sheets' XML before calamine reads them (two regular expressions,
    a quarter of calamine's own time), since calamine cannot be stopped once it has started
    to allocate. Empty cells (``<c r="XFD1" s="1"/>``) are left out, as calamine leaves them.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        for name in sheets:
            xml = archive.read(name)
            rows = [int(row) for row in _XLSX_ROW.findall(xml)]
            columns = [_column_number(letters) for letters in set(_XLSX_COLUMN.findall(xml))]
            if not rows or not columns:
                continue
            height, width = max(rows) - min(rows) + 1, max(columns) - min(columns) + 1
            if height * width > _MAX_CELLS:
                far = f"{column_letter(max(columns))}{max(rows)}"
                return (
                    f"{display} has a sheet whose filled cells reach as far as {far}: "
                    f"{height:,} rows by {width:,} columns, more than the {_MAX_CELLS:,} "
                    "cells benchmarkkit reads; delete the cells far outside the table, save "
                    "it and try again"
                )
    except _ZIP_ERRORS:
        return None  # calamine says what is wrong
    return None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


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


@attrs.frozen
class _Decoded:
    text: str
    encoding: str
    how: EncodingHow
    bad: tuple[bytes, ...] = ()  # each undecodable byte sequence, in the order of the text


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
    decoded = _decode(data, encoding)
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


def _decode(data: bytes, given: str | None) -> _Decoded:
    """The text of ``data``: in ``given``, by its BOM, as UTF-8 or UTF-16, or as detected."""
    if given is not None:
        return _decode_with(data, given, "given")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return attrs.evolve(_decode_with(data[len(bom) :], codec, "bom"), encoding=name)
    try:
        return _Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    for guess in [utf16] if utf16 is not None else _guesses(data):
        text = _text_or_none(data, guess)
        if text is not None:
            return _Decoded(text, guess, "detected")
    return _decode_with(data, "utf-8", "utf-8")


def _text_or_none(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when every other byte of the start is NUL, as in ASCII text."""
    head = data[:4096]
    pairs = len(head) // 2
    if len(data) % 2 or not pairs:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > pairs * 0.4 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.4 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


# -- guessing an 8-bit encoding -----------------------------------------------------------
#
# charset-normalizer alone cannot tell Windows-1252 from Mac Roman on the short, accented
# text of a table: on "Côte d'Ivoire", "São Tomé" and curly quotes it answers cp1250,
# mac_latin2, or big5 for a few lines. So its guess is one candidate among cp1252 and
# mac_roman, and each candidate's reading is scored by how much its non-ASCII characters
# look like text (:func:`_plausibility`); the highest wins, cp1252 on a tie. Read in the
# wrong one of the pair, accented letters turn into capitals inside words ("TomÈ",
# "CÙte"), symbols ("C™te") or quotes between letters (the "ã" of "São"), each scoring -1.

_GUESSED = ("cp1252", "mac_roman")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_OPENING = frozenset("\u201c\u2018\u201e\u201a\u00ab\u2039\u00bf\u00a1")
_CLOSING = frozenset("\u201d\u2019\u00bb\u203a")
_DASHES = frozenset("\u2013\u2014\u2026")
_NEUTRAL = frozenset("\u20ac\u00a3\u00a5\u00b0\u00a7\u00a9\u00ae\u00b7\u2022\u00a0\u00ba\u00aa")
#: The scoring reads the lines that hold non-ASCII bytes, up to this many bytes of them.
_SAMPLE = 200_000


def _guesses(data: bytes) -> list[str]:
    """The candidate encodings of ``data``, the likeliest first."""
    sample = _sample(data)
    candidates = list(_GUESSED)
    detected = _detected(sample)  # the sample, not the file: the time stays bounded
    if detected is not None and detected not in candidates:
        candidates.append(detected)
    scores = {codec: _score(sample, codec) for codec in candidates}
    readable = [codec for codec in candidates if scores[codec] is not None]
    return sorted(readable, key=lambda codec: -(scores[codec] or 0))  # cp1252 first on a tie


def _score(sample: bytes, codec: str) -> int | None:
    """:func:`_plausibility` of ``sample`` read in ``codec``; ``None`` if it cannot be read."""
    try:
        return _plausibility(sample.decode(codec))
    except UnicodeDecodeError:
        return None


def _detected(data: bytes) -> str | None:
    """charset-normalizer's best guess, by Python's name of the codec; ``None`` without one."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the spreadsheets extra is missing: the pair above is still tried
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        return _canonical(best.encoding)
    except LookupError:
        return None


def _sample(data: bytes) -> bytes:
    """The lines of ``data`` holding non-ASCII bytes, up to :data:`_SAMPLE` bytes of them."""
    lines: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if not line.isascii():
            lines.append(line)
            size += len(line) + 1
            if size > _SAMPLE:
                break
    return b"\n".join(lines)


def _plausibility(text: str) -> int:
    """How much the non-ASCII characters of ``text`` look like text: +1 or -1 each, or 0."""
    score = 0
    for match in _NON_ASCII.finditer(text):
        at = match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        score += _character_score(match.group(), before, after)
    for run in _LETTER_RUN.findall(text):
        # "Ðîññèÿ": a word of accented Latin letters only is Cyrillic read as Latin
        if len(run) >= 3 and not any(c.isascii() for c in run) and all(c < "\u0250" for c in run):
            score -= 2 * len(run)
    return score


def _character_score(char: str, before: str, after: str) -> int:  # noqa: PLR0911 - one per kind
    if char.isalpha():
        if not (before.isalpha() or after.isalpha()):
            return 0
        if char.isupper() and before.isalpha() and (before.islower() or after.islower()):
            return -1  # a capital inside a word: "TomÈ", "TŸrkiye"
        if char.islower() and after.isupper():
            return -1
        if _script(char) != _script(before if before.isalpha() else after):
            return -1
        return 1
    if char in _OPENING:
        return -1 if before.isalpha() else 1
    if char in _CLOSING:
        return 1 if char == "\u2019" or not after.isalpha() else -1
    if char in _DASHES:
        return -1 if before.isalpha() and after.isalpha() else 1
    return 0 if char in _NEUTRAL else -1


_NAMES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian)",
    "utf-16-be": "UTF-16 (big-endian)",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "latin-1": "Latin-1",
}


def _canonical(codec: str) -> str:
    """Python's name of ``codec`` (``cp1252``, ``mac_roman``, ``utf-8``); LookupError if none."""
    return codecs.lookup(codec).name.replace("mac-", "mac_")


def display_name(codec: str) -> str:
    """An encoding's name as people know it: ``Windows-1252`` for cp1252."""
    return _NAMES.get(_canonical(codec), codec)


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name says: LATIN, CYRILLIC..."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _decode_with(data: bytes, codec: str, how: EncodingHow) -> _Decoded:
    """``data`` decoded in ``codec``; each undecodable sequence stands as :data:`_UNDECODABLE`.

    Decoded a window at a time, since a decoding error holds a copy of all the bytes it
    was given: so a file with a bad byte on every line still reads in linear time.
    """
    try:
        return _Decoded(data.decode(codec), codec, how)
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder(codec)()
    parts: list[str] = []
    bad: list[bytes] = []
    view = memoryview(data)
    for start in range(0, len(data), _WINDOW):
        final = start + _WINDOW >= len(data)
        window = bytes(view[start : start + _WINDOW])
        while True:
            pending = decoder.getstate()[0]  # the start of a character the last window cut
            try:
                parts.append(decoder.decode(window, final))
                break
            except UnicodeDecodeError as error:  # at error.start in pending + window
                given = pending + window
                parts.append(codecs.decode(given[: error.start], codec))
                bad.append(given[error.start : error.end])
                parts.append(_UNDECODABLE)
                window = given[error.end :]
                decoder.reset()
    return _Decoded("".join(parts), codec, how, tuple(bad))


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


def _mark_undecodable(sheet: RawSheet, decoded: _Decoded) -> tuple[RawSheet, list[Problem]]:
    """The sheet with U+FFFD for each undecodable sequence, and a problem at each such cell."""
    sequences = iter(decoded.bad)
    problems: list[Problem] = []
    rows = list(sheet.rows)
    headers = rows[0] if rows else ()
    for row_index, row in enumerate(rows):
        if not any(isinstance(cell, str) and _UNDECODABLE in cell for cell in row):
            continue
        cells = list(row)
        for column_index, cell in enumerate(row):
            if not (isinstance(cell, str) and _UNDECODABLE in cell):
                continue
            found = [next(sequences, b"") for _ in range(cell.count(_UNDECODABLE))]
            cells[column_index] = cell.replace(_UNDECODABLE, "\ufffd")
            header = headers[column_index] if column_index < len(headers) else None
            ref = sheet.ref(
                row_index + 1, column_index + 1, header if isinstance(header, str) else None
            )
            problems.append(located(_not_decodable(ref, found, decoded), ref))
        rows[row_index] = tuple(cells)
    return attrs.evolve(sheet, rows=tuple(rows)), problems


def _not_decodable(ref: CellRef, found: list[bytes], decoded: _Decoded) -> Problem:
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
