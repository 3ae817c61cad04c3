"""A dataset as an xlsx workbook, written with XlsxWriter (the ``spreadsheets`` extra).

Every text is written with ``write_string``, so that text starting with ``=``,
``+``, ``-`` or ``@`` is a text cell, never a formula, and keeps its value;
dates and the other text columns are text-formatted (``@``), so what a person
types there later stays text too. Drop-down lists (data validation) guard
the enumerations, the levels and the single-id references.

Some texts a workbook cannot hold as they are, and a dataset holding one is
refused (:class:`NotWritableError`) rather than written changed: a text longer
than a cell holds; the characters U+FFFE and U+FFFF, which XML cannot hold and
XlsxWriter writes as ``_xFFFE_``/``_xFFFF_``, which a reader (calamine) keeps
as those six characters, the same as the text ``_xFFFE_``; a text like those
escapes that XlsxWriter escapes only in part (``_x0041_x0042_``, whose second
half shares the first's underscore; ``_x0041`` before a control character,
whose escape closes it), which would read back as a character; and a text that
starts with ``<r>`` and ends with ``</r>``, which XlsxWriter takes for its own
rich-text markup and writes unescaped. ``tests/test_workbook_characters.py``
finds these by writing every character, and pins them. A CSV file keeps them all.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from benchmarkkit._model import Dataset
from benchmarkkit._tables._cells import exact_in_a_number_cell, value_text
from benchmarkkit._tables._layout import COLUMNS_SHEET, Cell, Column, Table, tables
from benchmarkkit._tables._reference import _scales, columns_table

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

__all__ = [
    "LISTS_SHEET",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "UNWRITABLE_CHARACTERS",
    "NotWritableError",
    "TooLongError",
    "not_writable",
    "workbook",
    "write_workbook",
]

#: The hidden sheet holding the drop-down lists.
LISTS_SHEET = "_lists"
#: Column widths, in characters: as wide as the content, within these bounds.
MIN_WIDTH, MAX_WIDTH = 8, 60
_LAST_ROW = 1_048_575  # a worksheet's last row, counted from 0
_TEXT_KINDS = frozenset({"text", "id", "date", "enum", "list", "json", "path"})


#: The characters a workbook cannot hold: XML has no place for them, and XlsxWriter's
#: ``_xFFFE_`` reads back as those six characters, which a text can also hold.
UNWRITABLE_CHARACTERS = "\ufffe\uffff"
_UNWRITABLE = re.compile(f"[{UNWRITABLE_CHARACTERS}]")
#: Text like an escape (``_xHHHH``) that XlsxWriter's escaping leaves readable as one: the
#: look-alike after it shares its underscore, or a control character's escape closes it.
_HALF_ESCAPED = re.compile(r"_x[0-9A-Fa-f]{4}(?:_x[0-9A-Fa-f]{4}_|[\x00-\x08\x0b-\x1f])")


class NotWritableError(ValueError):
    """A text a workbook cell cannot hold as it is; a CSV file keeps it."""

    def __init__(self, sheet: str, header: str, row: int, why: str) -> None:
        super().__init__(
            f"the text in sheet {sheet}, column {header}, row {row} {why}; "
            "export it as CSV (--format csv), which keeps it, instead"
        )


class TooLongError(NotWritableError):
    """A text is longer than a cell holds (32,767 characters)."""

    def __init__(self, sheet: str, header: str, row: int) -> None:
        super().__init__(
            sheet, header, row, "is longer than the 32,767 characters a workbook cell holds"
        )


def not_writable(text: str) -> str | None:
    """Why a workbook cannot hold ``text`` as it is (words ending a sentence), or None.

    The length is XlsxWriter's to check (it says so as it writes).
    """
    found = _UNWRITABLE.search(text)
    if found is not None:
        code = f"{ord(found.group()):04X}"
        return (
            f"holds the character U+{code}, which a workbook cannot hold (it would read back "
            f"as the text _x{code}_)"
        )
    found = _HALF_ESCAPED.search(text)
    if found is not None:
        return (
            f"holds {found.group()!r}, which a workbook would read back changed: the xlsx "
            "format writes some characters as _xHHHH_, and part of this text would then be "
            "read as one"
        )
    if text.startswith("<r>") and text.endswith("</r>"):
        return (
            "starts with <r> and ends with </r>, which XlsxWriter writes as markup rather "
            "than as text (it would read back changed, or spoil the workbook)"
        )
    return None


class _UnwritableError(Exception):
    """Raised by a cell writer for a text the workbook cannot hold; ``args[0]`` says why."""


class _Writer:
    """Writes the tables into one workbook, with a format per kind of cell."""

    def __init__(self, book: Workbook, dataset: Dataset | None, *, exact: bool = True) -> None:
        self.book = book
        self.dataset = dataset
        #: Whether a number a cell would round (17 digits) is written as text, to keep it.
        self.exact = exact
        self.text = book.add_format({"num_format": "@", "valign": "top"})
        self.wrapped = book.add_format({"num_format": "@", "valign": "top", "text_wrap": True})
        self.number = book.add_format({"valign": "top"})
        self.header = book.add_format({"num_format": "@", "bold": True, "bottom": 1})
        self.lists: dict[str, tuple[str, ...]] = {}

    def list_source(self, name: str, values: tuple[str, ...]) -> str:
        """The range on the lists sheet holding ``values``, added under ``name`` if new."""
        if name not in self.lists:
            self.lists[name] = values
        column = list(self.lists).index(name)
        letter = _letter(column)
        return f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(self.lists[name]) + 1}"

    def cell_writer(self, sheet: Worksheet, column: Column, fmt: Format) -> Callable[..., Any]:
        """The function writing one cell of ``column``: text, number, or true/false."""
        kind = column.kind
        if kind in _TEXT_KINDS:
            return lambda row, col, value: _write_text(sheet, row, col, value, fmt)

        def number(row: int, col: int, value: Any) -> int:
            if not self.exact or exact_in_a_number_cell(value):
                return int(sheet.write_number(row, col, value, self.number))
            return int(sheet.write_string(row, col, repr(value), self.text))

        if kind != "value":
            return number

        def indicator_value(row: int, col: int, value: Any) -> int:
            if value is True or value is False:
                return int(sheet.write_boolean(row, col, value, self.number))
            if isinstance(value, int) or (
                isinstance(value, float) and not value.is_integer()
            ):  # a number cell holding a whole number reads as a whole number
                return number(row, col, value)
            return _write_text(sheet, row, col, value_text(value), self.text)

        return indicator_value

    def validate(self, sheet: Worksheet, name: str, index: int, column: Column) -> None:
        """Add the drop-down list of ``column`` of sheet ``name``, if it has one."""
        source = None
        if column.allowed:
            source = self.list_source(f"{name}.{column.header}", column.allowed)
        elif column.level_of is not None:
            levels = tuple(
                dict.fromkeys(level.id for scale in _scales(self.dataset) for level in scale.levels)
            )
            source = self.list_source("levels", levels)
        elif column.refers_to == "scales" and column.kind == "id":
            source = self.list_source("scales", tuple(s.id for s in _scales(self.dataset)))
        elif column.refers_to is not None and column.kind == "id":
            source = f"='{column.refers_to}'!$A$2:$A${_LAST_ROW + 1}"
        if source is None:
            return
        what = f"one of the ids on sheet {column.refers_to}" if column.refers_to else "a value"
        sheet.data_validation(
            1,
            index,
            _LAST_ROW,
            index,
            {
                "validate": "list",
                "source": source,
                "error_title": f"Not allowed in {column.header}",
                "error_message": f"Choose {what} from the list; the sheet 'columns' says "
                "what this column holds.",
            },
        )

    def write(self, table: Table) -> None:
        """Write one sheet: header, cells, widths, the frozen header and the drop-downs."""
        sheet = self.book.add_worksheet(table.sheet.name)
        columns = table.sheet.columns
        widths = [len(column.header) for column in columns]
        for index in range(len(columns)):
            texts = (len(cell) for row in table.rows if isinstance(cell := row[index], str))
            widths[index] = max(widths[index], max(texts, default=0))
        formats = [
            self.wrapped
            if width > MAX_WIDTH
            else self.text
            if column.kind in _TEXT_KINDS
            else self.number
            for column, width in zip(columns, widths, strict=True)
        ]
        for index, column in enumerate(columns):
            width = min(max(widths[index], MIN_WIDTH), MAX_WIDTH) + 1
            sheet.set_column(index, index, width, formats[index])
            sheet.write_string(0, index, column.header, self.header)
            if table.sheet.name != COLUMNS_SHEET:
                self.validate(sheet, table.sheet.name, index, column)
        writers = [
            self.cell_writer(sheet, column, fmt)
            for column, fmt in zip(columns, formats, strict=True)
        ]
        _write_rows(table, writers)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(table.rows), len(columns) - 1)

    def write_lists(self) -> None:
        """The hidden sheet of drop-down lists, one list per column."""
        sheet = self.book.add_worksheet(LISTS_SHEET)
        for index, (name, values) in enumerate(self.lists.items()):
            sheet.write_string(0, index, name, self.header)
            for row, value in enumerate(values, start=1):
                sheet.write_string(row, index, value, self.text)
        sheet.hide()


def _write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format) -> int:
    """Write ``text`` as a text cell; raise :class:`_UnwritableError` if a cell cannot hold it."""
    # The plain test first: it is all most texts cost, and a workbook has millions of them.
    if "\ufffe" in text or "\uffff" in text or "_x" in text or text.startswith("<r>"):
        why = not_writable(text)
        if why is not None:
            raise _UnwritableError(why)
    return int(sheet.write_string(row, col, text, fmt))


def _write_rows(table: Table, writers: list[Callable[..., Any]]) -> None:
    cells: list[Cell]
    number = index = 0
    try:
        for number, cells in enumerate(table.rows, start=1):
            for index, value in enumerate(cells):
                if value is not None and writers[index](number, index, value) == -2:
                    raise TooLongError(
                        table.sheet.name, table.sheet.columns[index].header, number + 1
                    )
    except _UnwritableError as error:
        header = table.sheet.columns[index].header
        raise NotWritableError(table.sheet.name, header, number + 1, error.args[0]) from None


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def workbook(dataset: Dataset) -> bytes:
    """The dataset as the bytes of an xlsx workbook.

    Raises :class:`ImportError` without XlsxWriter, and :class:`NotWritableError`
    (:class:`TooLongError` for a text longer than a cell holds) for a text a
    workbook cannot hold.
    """
    return write_workbook([*tables(dataset), columns_table(dataset)], dataset)


def write_workbook(
    sheets: Iterable[Table], dataset: Dataset | None = None, *, exact: bool = True
) -> bytes:
    """The bytes of an xlsx workbook of ``sheets``, each written as :class:`_Writer` does.

    Shared by every workbook benchmarkkit writes (a dataset's, a scorecard's):
    text cells, number cells, widths, wrapped long text, the frozen header. The
    hidden lists sheet is added when a column has a drop-down list. With
    ``exact=False`` every number is a number cell, rounded to the 16 digits a
    cell keeps (a report's numbers), rather than text where a cell would round.
    Raises :class:`ImportError` without XlsxWriter, and :class:`NotWritableError`.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    writer = _Writer(book, dataset, exact=exact)
    for table in sheets:
        writer.write(table)
    if writer.lists:
        writer.write_lists()
    book.close()
    return buffer.getvalue()
