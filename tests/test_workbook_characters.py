"""The texts a workbook cannot hold, found by writing them all, and what export does with them.

A workbook's cells are XML, which has no place for some characters: XlsxWriter
writes U+FFFE and U+FFFF as the escapes ``_xFFFE_`` and ``_xFFFF_``, which
python-calamine (as Excel) keeps as those six characters, so after reading the
character and the text ``_xFFFE_`` are the same. XlsxWriter also takes a text
that starts with ``<r>`` and ends with ``</r>`` for its own rich-text markup. The
first tests pin what the two libraries do, every character written, so that a
new version of either shows here; the others show that ``export`` and ``score``
refuse such text in a workbook, as they refuse one too long for a cell, and that
a CSV file keeps it.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import pytest
import python_calamine
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import Dataset, dump_dataset, load_dataset, save_dataset
from benchmarkkit._converter import converter
from benchmarkkit._tables._csv import csv_files
from benchmarkkit._tables._import import import_book
from benchmarkkit._tables._layout import Column, Sheet, Table
from benchmarkkit._tables._read import read_book
from benchmarkkit._tables._xlsx import (
    _HALF_ESCAPED,
    UNWRITABLE_CHARACTERS,
    NotWritableError,
    not_writable,
    write_workbook,
)
from tests.conftest import EXAMPLE, Run

#: Every code point a Python text can hold in a file: all but the surrogates.
CODE_POINTS = [point for point in range(0x110000) if not 0xD800 <= point <= 0xDFFF]


def written_and_read(texts: Sequence[str], width: int = 100) -> list[str | None]:
    """Each text after XlsxWriter's ``write_string`` and python-calamine, in one workbook."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("s")
    for index, text in enumerate(texts):
        sheet.write_string(index // width, index % width, text)
    book.close()
    read = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    rows = read.get_sheet_by_name("s").to_python(skip_empty_area=False)
    cells = [value if isinstance(value, str) and value else None for row in rows for value in row]
    return cells[: len(texts)] + [None] * (len(texts) - len(cells))


def changed(texts: Sequence[str]) -> dict[str, str | None]:
    """The texts that do not read back as written, each with what reads back."""
    return {
        text: read
        for text, read in zip(texts, written_and_read(texts), strict=True)
        if read != text
    }


# -- what the libraries do ------------------------------------------------------------------


def test_every_character_but_u_fffe_and_u_ffff_survives_a_workbook_cell() -> None:
    # Runs of 256 code points, one run to a cell (4,344 cells: a third of a second); then
    # each character of a run that changed on its own, inside a text and as the whole cell.
    runs = ["".join(map(chr, CODE_POINTS[i : i + 256])) for i in range(0, len(CODE_POINTS), 256)]
    suspects = [character for run in changed(runs) for character in run]
    # A character alone in a cell is its first and last: spaces, line ends and controls there
    # are what a writer or reader might trim or fold.
    edges = [
        chr(point)
        for point in CODE_POINTS
        if chr(point).isspace() or unicodedata.category(chr(point)) in ("Cc", "Cf", "Zs")
    ]
    assert changed([f"a{character}b" for character in suspects]) == {
        "a\ufffeb": "a_xFFFE_b",
        "a\uffffb": "a_xFFFF_b",
    }
    assert changed(suspects + edges) == {"\ufffe": "_xFFFE_", "\uffff": "_xFFFF_"}
    assert UNWRITABLE_CHARACTERS == "\ufffe\uffff"


#: Pieces that look like the xlsx escapes, or are what the escapes stand for.
ESCAPE_PIECES = [
    "_x0041_",
    "_x005F_",
    "_x005f_",
    "_xFFFE_",
    "_xfffe_",
    "_xFFFF_",
    "_x0000_",
    "_x000D_",
    "_xD800_",
    "_X0041_",
    "_x004_",
    "_x0041",
    "x0041_",
    "_",
    "x",
    "A",
    " ",
    "\r",
    "\x01",
    "\ufffe",
    "\uffff",
]


def test_texts_like_the_escapes_survive_unless_escaped_in_part_or_holding_the_two() -> None:
    # Every sequence of one to three pieces: 9,723 texts.
    texts = [
        "".join(pieces)
        for size in (1, 2, 3)
        for pieces in itertools.product(ESCAPE_PIECES, repeat=size)
    ]
    lost = changed(texts)
    # Texts holding one of the two characters change, how depending on their neighbours: the
    # escape written for the character can close one the text started.
    assert lost["\ufffe"] == "_xFFFE_"
    assert lost["_x0041\uffff"] == "AxFFFF_"
    # So after reading, the character and the text of its escape are the same: an importer
    # cannot tell them apart.
    assert written_and_read(["\ufffe", "_xFFFE_"]) == ["_xFFFE_", "_xFFFE_"]
    # And so do look-alikes that XlsxWriter escapes only in part: two sharing an underscore
    # (it escapes the first only), and one closed by a control character's escape.
    assert lost["_x0041_x0041_"] == "_x0041A"
    assert lost["_x0041\r"] == "Ax000D_"
    holding = {text for text in texts if "\ufffe" in text or "\uffff" in text}
    half_escaped = {text for text in lost if text not in holding}
    assert all(_HALF_ESCAPED.search(text) for text in half_escaped)
    # The writer refuses every text that changes; and some that do not, where the second
    # look-alike is the escape of a character calamine leaves as text (U+FFFE, a surrogate).
    refused = {text for text in texts if not_writable(text) is not None}
    assert set(lost) <= refused
    assert (len(texts), len(lost), len(refused)) == (9723, 3058, 3210)
    kept_as_text = re.compile("_x[0-9A-Fa-f]{4}_x(FFFE|fffe|FFFF|D800)_")
    assert all(kept_as_text.search(text) for text in refused - set(lost))


def written_alone(text: str) -> str | type[Exception] | None:
    """``text`` after writing and reading a workbook holding it alone; an error's type."""
    try:
        [read] = written_and_read([text])
    except python_calamine.CalamineError as error:
        return type(error)
    return read


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("<r></r>", None),
        ("<r>A</r>", None),  # markup without its <t>: no text at all
        ("<r><t>A</t></r>", "A"),  # the markup of a text, read as the text
        ("<r>x & y</r>", python_calamine.CalamineError),  # not XML: the workbook is spoilt
        ("<r>", "<r>"),  # not both ends: written as text
        ("A</r>", "A</r>"),
        ("<R>A</r>", "<R>A</r>"),
        (" <r>A</r>", " <r>A</r>"),
    ],
)
def test_a_text_starting_with_r_and_ending_with_it_closed_is_written_as_markup(
    text: str, read: str | type[Exception] | None
) -> None:
    assert written_alone(text) == read
    assert (not_writable(text) is not None) == (read != text)


# -- the writer refuses them ----------------------------------------------------------------

#: Texts with the pieces that matter here drawn often: the two characters, the escapes'
#: look-alikes, the markup's ends, and what a cell trims or folds.
cell_texts = st.lists(
    st.characters(exclude_categories=["Cs"])
    | st.sampled_from(
        ["\ufffe", "\uffff", "_xFFFE_", "_x0041", "_x005F_", "\x01", "<r>", "</r>", "\r\n", " "]
    ),
    min_size=1,
    max_size=8,
).map("".join)


@given(st.lists(st.lists(st.none() | cell_texts, min_size=2, max_size=2), max_size=6))
def test_a_workbook_holds_each_text_as_it_is_or_is_refused_at_its_cell(
    rows: list[list[str | None]],
) -> None:
    columns = tuple(
        Column(header=header, path=(header,), kind="text", meaning="", required="no")
        for header in ("first", "second")
    )
    sheet = Sheet(name="notes", meaning="", columns=columns, rows_of=lambda _: iter(()))
    cells = [(n, i, text) for n, row in enumerate(rows, 2) for i, text in enumerate(row)]
    refused = [(n, i, why) for n, i, text in cells if text and (why := not_writable(text))]
    if refused:
        row, index, why = refused[0]
        with pytest.raises(NotWritableError) as error:
            write_workbook([Table(sheet, [list(row) for row in rows])])
        assert str(error.value) == (
            f"the text in sheet notes, column {columns[index].header}, row {row} {why}; "
            "export it as CSV (--format csv), which keeps it, instead"
        )
        return
    data = write_workbook([Table(sheet, [list(row) for row in rows])])
    with io.BytesIO(data) as file:
        read = python_calamine.CalamineWorkbook.from_filelike(file)
        values = read.get_sheet_by_name("notes").to_python(skip_empty_area=False)[1:]
    assert trimmed(values) == trimmed(rows)


def trimmed(rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """The rows with empty cells as None, less the empty cells and rows at their ends."""
    cells = [[None if value == "" else value for value in row] for row in rows]
    for row in cells:
        while row and row[-1] is None:
            row.pop()
    while cells and not cells[-1]:
        cells.pop()
    return cells


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "\ufffe",
            (
                "holds the character U+FFFE, which a workbook cannot hold (it would read "
                "back as the text _xFFFE_)"
            ),
        ),
        (
            "a\uffff",
            (
                "holds the character U+FFFF, which a workbook cannot hold (it would read "
                "back as the text _xFFFF_)"
            ),
        ),
        (
            "<r>bold</r>",
            (
                "starts with <r> and ends with </r>, which XlsxWriter writes as markup "
                "rather than as text (it would read back changed, or spoil the workbook)"
            ),
        ),
        (
            "a_x0041_x0042_",
            (
                "holds '_x0041_x0042_', which a workbook would read back changed: the xlsx format "
                "writes some characters as _xHHHH_, and part of this text would then be read as one"
            ),
        ),
        (
            "_x00e9\x0b",
            (
                "holds '_x00e9\\x0b', which a workbook would read back changed: the xlsx format "
                "writes some characters as _xHHHH_, and part of this text would then be read as one"
            ),
        ),
        ("_xFFFE_", None),
        ("_x0041_ _x0042_", None),
        ("<r>", None),
        ("\x00\r\n\u2028", None),
    ],
)
def test_what_a_workbook_cannot_hold_is_said_in_words(text: str, words: str | None) -> None:
    assert not_writable(text) == words


# -- the commands ---------------------------------------------------------------------------


def saved(dataset: Dataset, tmp_path: Path) -> Path:
    """``dataset`` saved as a folder beside the example's archived texts."""
    folder = tmp_path / "data"
    save_dataset(dataset, folder, layout="folder")
    shutil.copytree(EXAMPLE / "sources", folder / "sources")
    return folder


def example_with(tmp_path: Path, text: str) -> Path:
    """The example saved with ``text`` in the summary of its first evidence (row 2)."""
    dataset = load_dataset(EXAMPLE)
    first = attrs.evolve(dataset.evidence[0], summary=f"Said {text} there")
    return saved(attrs.evolve(dataset, evidence=(first, *dataset.evidence[1:])), tmp_path)


@pytest.mark.parametrize("character", ["\ufffe", "\uffff"])
def test_export_refuses_a_workbook_with_a_character_it_cannot_hold_and_csv_keeps_it(
    cli: Callable[..., Run], tmp_path: Path, character: str
) -> None:
    folder = example_with(tmp_path, character)
    assert cli("validate", folder).status == 0
    code = f"{ord(character):04X}"
    result = cli("export", folder, "-o", tmp_path / "book.xlsx")
    assert (result.status, result.out) == (1, "")
    assert result.err.endswith(
        "benchmarkkit export: error: cannot write the workbook: the text in sheet evidence, "
        f"column summary, row 2 holds the character U+{code}, which a workbook cannot hold "
        f"(it would read back as the text _x{code}_); export it as CSV (--format csv), which "
        "keeps it, instead\n"
    )
    assert not (tmp_path / "book.xlsx").exists()
    assert list(tmp_path.iterdir()) == [folder]
    # The CSV files keep it, and import back to the same dataset.
    assert cli("export", folder, "--format", "csv", "-o", tmp_path / "tables").status == 0
    shutil.copytree(EXAMPLE / "sources", tmp_path / "tables" / "sources")
    result = cli("import", tmp_path / "tables", "-o", tmp_path / "back")
    assert result.status == 0, result.err
    summary = load_dataset(tmp_path / "back").evidence[0].summary
    assert summary == f"Said {character} there"


def test_score_refuses_a_workbook_with_a_character_it_cannot_hold(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    dataset = load_dataset(EXAMPLE)
    first = attrs.evolve(dataset.benchmarks[0], title="Media \ufffe law")
    folder = saved(attrs.evolve(dataset, benchmarks=(first, *dataset.benchmarks[1:])), tmp_path)
    result = cli("score", folder, "--as-of", "2012-03-20", "-f", "xlsx", "-o", tmp_path / "c.xlsx")
    assert (result.status, result.out) == (2, "")
    assert "cannot write the workbook: the text in sheet scorecard, column title, row " in (
        result.err
    )
    assert result.err.endswith(
        " holds the character U+FFFE, which a workbook cannot hold (it would read back as the "
        "text _xFFFE_); export it as CSV (--format csv), which keeps it, instead\n"
    )
    assert not (tmp_path / "c.xlsx").exists()


# -- CSV keeps every text -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a\rb",  # the old Mac's line end, inside a cell
        "\r",
        "a\r\nb",
        "\r\n",
        "\r\r\n\n",
        "a\x00b",  # NUL
        "a\u2028b",
        "\u2029",
        "\x85",
        "\ufeffa",  # a byte order mark at the start of a cell
        "=1+1",
        "@sum",
        '"',
        "a, b; c",
        " \t",
        "\ufffe",
        "\uffff",
        "_xFFFE_",
        "<r>A</r>",
    ],
)
def test_csv_files_keep_every_text_and_line_end(text: str, tmp_path: Path) -> None:
    dataset = load_dataset(EXAMPLE)
    actor = attrs.evolve(dataset.actors[0], name=text, description=text)
    planted = attrs.evolve(dataset, title=text, actors=(actor, *dataset.actors[1:]))
    folder = tmp_path / "tables"
    folder.mkdir()
    for name, content in csv_files(planted).items():
        (folder / name).write_text(content, encoding="utf-8", newline="")
    result = import_book(read_book(folder, "tables"))
    assert result.problems == ()
    back = converter.structure(result.document, Dataset)
    assert dump_dataset(back, "json") == dump_dataset(planted, "json")
