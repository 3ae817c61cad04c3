"""Scorecards and comparisons as xlsx workbooks (``score --format xlsx``), for people.

The rows and columns are the CSV's (``_csv``: one definition of the columns,
with their meanings), plus the workbook's own columns (the explanations) and
a row for each condition of each gate. They are written as the dataset
workbook is (``_tables._xlsx``): every text a string cell, so nothing runs as a
formula and nothing is changed; scores and thresholds number cells; dates
text, ``YYYY-MM-DD``; the header row frozen, columns as wide as their
content within bounds, long text wrapped. A ``columns`` sheet says what each
column holds, as docs/reference/scorecard.md does, from the same definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from benchmarkkit._tables._layout import Cell, Column, Kind, Sheet, Table
from benchmarkkit.reports._csv import (
    COMPARISON_TABLE,
    SCORECARD_TABLE,
    Row,
    TableColumn,
    comparison_rows,
    scorecard_rows,
)

if TYPE_CHECKING:
    from benchmarkkit.scoring import Comparison, Scorecard

__all__ = [
    "CELL_LIMIT",
    "COLUMNS_SHEET",
    "COMPARISON_SHEETS",
    "SCORECARD_SHEET",
    "columns_reference",
    "comparison_workbook",
    "scorecard_workbook",
]

#: The sheet of a scorecard's rows, and the sheet describing every column.
SCORECARD_SHEET, COLUMNS_SHEET = "scorecard", "columns"
#: The sheets of a comparison: the changes, then the scorecard of each date.
COMPARISON_SHEETS = ("comparison", "before", "after")

#: How each type of column is written: the dataset workbook's kinds of cell.
_KINDS: dict[str, Kind] = {
    "text": "text",
    "date": "date",
    "number": "number",
    "true/false": "value",
}
#: Each type in words, for the columns sheet and the reference page.
_TYPE_WORDS = {
    "text": "text",
    "date": "date, as text: YYYY-MM-DD",
    "number": "number",
    "true/false": "true/false",
}
#: The most characters a workbook cell holds.
CELL_LIMIT = 32_767
#: The columns of explanations in words: a longer one is cut to what a cell holds, saying
#: so (a title or an id too long for a cell is refused, as in a dataset's workbook).
_WORDS = frozenset({"explanation", "summary"})
#: The columns of the columns sheet.
_COLUMN_FIELDS = ("sheet", "column", "type", "in_csv", "meaning")


def _sheet(name: str, columns: Iterable[tuple[str, Kind]]) -> Sheet:
    return Sheet(
        name=name,
        meaning="",
        columns=tuple(
            Column(header=header, path=(header,), kind=kind, meaning="", required="no")
            for header, kind in columns
        ),
        rows_of=lambda _dataset: iter(()),  # written from a scorecard, not from a dataset
    )


def _fit(value: Cell) -> Cell:
    """A text in words cut to what a cell holds, saying where and where the rest is."""
    if not isinstance(value, str) or len(value) <= CELL_LIMIT:
        return value
    note = " [...] (cut: {} more characters; benchmarkkit score --format json has it all)"
    kept = CELL_LIMIT - len(note.format(len(value)))
    return value[:kept] + note.format(len(value) - kept)


def _table(name: str, columns: Sequence[TableColumn], rows: Iterable[Row]) -> Table:
    sheet = _sheet(name, ((column.name, _KINDS[column.kind]) for column in columns))
    cells: list[list[Cell]] = [
        [
            _fit(row.get(column.name)) if column.name in _WORDS else row.get(column.name)
            for column in columns
        ]
        for row in rows
    ]
    return Table(sheet, cells)


def _described(sheet: str, columns: Sequence[TableColumn]) -> list[list[Cell]]:
    return [
        [
            sheet,
            column.name,
            _TYPE_WORDS[column.kind],
            "yes" if column.csv else "no",
            column.meaning,
        ]
        for column in columns
    ]


def _columns_table(described: list[list[Cell]]) -> Table:
    return Table(_sheet(COLUMNS_SHEET, ((name, "text") for name in _COLUMN_FIELDS)), described)


def scorecard_workbook(scorecard: Scorecard) -> bytes:
    """The scorecard as the bytes of an xlsx workbook: a ``scorecard`` sheet, then ``columns``.

    Raises :class:`ImportError` without XlsxWriter, and
    :class:`~benchmarkkit._tables._xlsx.NotWritableError` for a text a cell cannot
    hold (longer than 32,767 characters, or a character such as U+FFFE).
    """
    from benchmarkkit._tables._xlsx import write_workbook

    rows = scorecard_rows(scorecard, conditions=True)
    return write_workbook(
        [
            _table(SCORECARD_SHEET, SCORECARD_TABLE, rows),
            _columns_table(_described(SCORECARD_SHEET, SCORECARD_TABLE)),
        ],
        exact=False,
    )


def comparison_workbook(comparison: Comparison) -> bytes:
    """The comparison as an xlsx workbook: its changes, the scorecard of each date, columns."""
    from benchmarkkit._tables._xlsx import write_workbook

    changes, before, after = COMPARISON_SHEETS
    return write_workbook(
        [
            _table(changes, COMPARISON_TABLE, comparison_rows(comparison)),
            _table(
                before,
                SCORECARD_TABLE,
                scorecard_rows(comparison.scorecard_before, conditions=True),
            ),
            _table(
                after, SCORECARD_TABLE, scorecard_rows(comparison.scorecard_after, conditions=True)
            ),
            _columns_table(
                _described(changes, COMPARISON_TABLE)
                + _described(f"{before}, {after}", SCORECARD_TABLE)
            ),
        ],
        exact=False,
    )


def _markdown_table(columns: Sequence[TableColumn]) -> list[str]:
    lines = ["| Column | Type | In the CSV | Meaning |", "|---|---|---|---|"]
    lines.extend(
        f"| `{column.name}` | {_TYPE_WORDS[column.kind]} | {'yes' if column.csv else 'no'} "
        f"| {column.meaning.replace('|', chr(92) + '|')} |"
        for column in columns
    )
    return lines


def columns_reference() -> str:
    """The column tables of docs/reference/scorecard.md, from the one definition of the columns."""
    lines = [
        f"### The `{SCORECARD_SHEET}` sheet and the scorecard CSV",
        "",
        *_markdown_table(SCORECARD_TABLE),
        "",
        f"### The `{COMPARISON_SHEETS[0]}` sheet and the comparison CSV",
        "",
        *_markdown_table(COMPARISON_TABLE),
    ]
    return "\n".join(lines) + "\n"
