"""Reading tables, as the review of issue 15 found it wrong: stray bytes, TRUE/FALSE, date cells.

Each test here failed before its fix: a UTF-8 file with one stray byte was read whole
in a guessed legacy encoding; ``TRUE`` and ``FALSE`` in a value cell were level ids;
a real date cell shown as a month or a year became a full day without a word.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit import dump_dataset, load_dataset
from benchmarkkit._converter import converter
from benchmarkkit._mapping import import_table
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Severity
from benchmarkkit._tables import _encodings
from benchmarkkit._tables._cells import READERS, read_value, value_text
from benchmarkkit._tables._csv import csv_files
from benchmarkkit._tables._import import import_book
from benchmarkkit._tables._read import RawBook, read_book
from benchmarkkit._tables._xlsx import workbook
from tests.conftest import EXAMPLE, Run

UPR = Path(__file__).parent.parent / "examples" / "upr-info"
#: The sample table's text, without its byte order mark: a UTF-8 copy as another tool saves it.
UPR_TEXT = (UPR / "recommendations.csv").read_text(encoding="utf-8-sig")


def rows_of(book: RawBook) -> list[list[Any]]:
    [sheet] = book.sheets
    return [list(row) for row in sheet.rows]


# -- 1. a stray byte in a UTF-8 file ---------------------------------------------------------


def stray_byte_file(folder: Path) -> Path:
    """The sample table in UTF-8 with one byte that is not UTF-8, in row 2's From cell."""
    data = UPR_TEXT.encode("utf-8")
    assert data.count(b"Switzerland") == 1  # in row 2
    (folder / "bad.csv").write_bytes(data.replace(b"Switzerland", b"Sw\xffitzerland", 1))
    return folder / "bad.csv"


def test_a_stray_byte_in_a_utf8_file_is_named_at_its_cell_and_the_rest_read_as_utf8(
    tmp_path: Path,
) -> None:
    (tmp_path / "clean.csv").write_text(UPR_TEXT, encoding="utf-8")
    clean = read_book(tmp_path / "clean.csv", "clean.csv")
    book = read_book(stray_byte_file(tmp_path), "bad.csv")
    assert (book.encoding, book.encoding_how) == ("utf-8", "utf-8")
    expected = rows_of(clean)
    assert expected[1][4] == "Switzerland"
    expected[1][4] = "Sw\ufffditzerland"
    assert rows_of(book) == expected  # every accented name as it is: "Türkiye", "Côte"
    [problem] = book.problems
    assert (problem.code, problem.severity, problem.cell, problem.header, problem.row) == (
        "cell-not-decodable",
        Severity.ERROR,
        "bad!E2",
        "From",
        2,
    )
    assert problem.message.startswith(
        "the byte FF in cell bad!E2 cannot be read as UTF-8 (the encoding tried)"
    )


def test_a_mapped_import_of_a_file_with_a_stray_byte_has_that_one_problem(
    tmp_path: Path,
) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text(UPR_TEXT, encoding="utf-8")
    good = import_table(clean, UPR / "mapping.yaml")
    bad = import_table(stray_byte_file(tmp_path), UPR / "mapping.yaml")
    assert good.dataset is not None
    assert [p.code for p in good.problems if p.severity is Severity.ERROR] == []
    assert [(p.code, p.cell) for p in bad.problems] == [("cell-not-decodable", "bad!E2")]
    assert (bad.summary.encoding, bad.summary.encoding_how) == ("utf-8", "utf-8")


def test_the_command_names_the_stray_byte_and_writes_nothing(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    source = stray_byte_file(tmp_path)
    run = cli("import", source, "--mapping", UPR / "mapping.yaml", "-o", tmp_path / "out")
    assert run.status == 1
    assert not (tmp_path / "out").exists()
    text = run.out + run.err
    assert f"{source}:bad!E2 (From): cell-not-decodable the byte FF in cell bad!E2" in text
    assert "encoding-detected" not in text
    assert "encoding: utf-8 (utf-8)" in text


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
def test_the_sample_saved_in_a_legacy_encoding_is_still_detected(
    tmp_path: Path, encoding: str
) -> None:
    (tmp_path / "clean.csv").write_text(UPR_TEXT, encoding="utf-8")
    (tmp_path / "legacy.csv").write_bytes(UPR_TEXT.encode(encoding))
    book = read_book(tmp_path / "legacy.csv", "legacy.csv")
    assert (book.encoding, book.encoding_how) == (encoding, "detected")
    assert rows_of(book) == rows_of(read_book(tmp_path / "clean.csv", "clean.csv"))


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
def test_a_legacy_file_holding_a_sequence_that_looks_like_utf8_is_still_detected(
    tmp_path: Path, encoding: str
) -> None:
    # "Â©" in Windows-1252 is C2 A9, valid UTF-8 for "©"; the accented names are not
    text = "Name,Note\nCôte d'Ivoire,Â© 2012\nSão Tomé,Türkiye\nRéunion,été\n"
    data = text.encode("cp1252")
    if encoding == "mac_roman":  # "\u2019é" in Mac Roman is D5 8E, valid UTF-8 too
        text = "Name,Note\nCôte d'Ivoire,l\u2019été\nSão Tomé,Türkiye\nRéunion,Curaçao\n"
        data = text.encode("mac_roman")
    assert _encodings._UTF8_MULTIBYTE.search(data) is not None
    decoded = _encodings.decode(data, None)
    assert (decoded.text, decoded.encoding, decoded.how) == (text, encoding, "detected")


def test_utf8_with_more_stray_bytes_than_characters_is_guessed_instead() -> None:
    """The rule: a file is read as UTF-8 with errors only if its invalid sequences are
    fewer than its valid multi-byte ones."""
    assert _encodings.decode("é é".encode() + b"\xff", None).how == "utf-8"
    assert _encodings.decode("é".encode() + b"\xff\xfe", None).how == "detected"


def test_detection_takes_another_encoding_only_for_text_in_another_script(
    tmp_path: Path,
) -> None:
    latin = "Name\nTürkiye\nCôte d'Ivoire\nÅland\n".encode("iso8859_10")
    assert not _encodings._not_latin(latin, "iso8859_10")
    cyrillic = "Государство,Ответ\nРоссия,Принято\nКазахстан,Отмечено\n".encode("cp1251")  # noqa: RUF001
    assert _encodings._not_latin(cyrillic, "cp1251")
    (tmp_path / "ru.csv").write_bytes(cyrillic)
    book = read_book(tmp_path / "ru.csv", "ru.csv")
    assert (book.encoding, rows_of(book)[1]) == ("cp1251", ["Россия", "Принято"])
    assert book.problems[0].message == (
        "ru.csv was read as Windows-1251 (detected); if letters look wrong, give the right "
        "encoding with --encoding"
    )


# -- 2. TRUE and FALSE, as spreadsheets save them ------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("TRUE", True), ("FALSE", False), ("True", True), ("False", False), ("tRUE", True)],
)
def test_true_and_false_in_any_case_are_values(text: str, value: bool) -> None:
    assert read_value(text) is value
    assert READERS["value"](text) is value
    assert value_text(text) == "\\" + text  # a level id written so is kept as text
    assert read_value(value_text(text)) == text


_CASES = st.sampled_from(["true", "false"]).flatmap(
    lambda word: st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in word)).map("".join)
)


@given(_CASES | _CASES.map(lambda word: "\\" + word) | st.booleans())
def test_a_value_of_true_or_false_in_any_case_reads_back_with_its_type(value: Any) -> None:
    back = read_value(value_text(value))
    assert (type(back), back) == (type(value), value)


def test_false_saved_by_a_spreadsheet_in_a_csv_folder_imports_as_false(tmp_path: Path) -> None:
    example = load_dataset(EXAMPLE)
    files = csv_files(example)
    readings = files["evidence_readings.csv"]
    assert ",false" in readings
    files["evidence_readings.csv"] = readings.replace(",false", ",FALSE")
    (tmp_path / "book").mkdir()
    for name, text in files.items():
        (tmp_path / "book" / name).write_text(text, encoding="utf-8", newline="")
    result = import_book(read_book(tmp_path / "book", "book"))
    assert result.problems == ()
    assert dump_dataset(converter.structure(result.document, Dataset)) == dump_dataset(example)


# -- 3. a real date cell in a date column --------------------------------------------------


def test_a_date_cell_shown_as_a_month_is_read_as_its_day_and_said(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook(load_dataset(EXAMPLE)))
    sheets = {
        sheet.name: [list(row) for row in sheet.rows] for sheet in read_book(path, "b").sheets
    }
    header = [str(value) for value in sheets["sources"][0]]
    column = header.index("date")
    book = xlsxwriter.Workbook(str(path))
    month = book.add_format({"num_format": "mmm-yy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for row, cells in enumerate(rows):
            for col, value in enumerate(cells):
                if value is not None:
                    sheet.write_string(row, col, str(value))
    sources = book.get_worksheet_by_name("sources")
    sources.write_datetime(1, column, datetime.date(2012, 3, 1), month)
    sources.write_datetime(
        2, column, datetime.date(2013, 1, 1), book.add_format({"num_format": "yyyy"})
    )
    book.close()
    result = import_book(read_book(path, "book.xlsx"))
    problem, year = result.problems
    assert (year.code, year.cell, year.value, year.message) == (
        "date-cell-read",
        f"sources!{chr(ord('A') + column)}3",
        "2013-01-01",
        problem.message,
    )
    assert result.document["sources"][1]["date"] == "2013-01-01"
    letter = chr(ord("A") + column)
    assert (problem.code, problem.severity, problem.cell, problem.header) == (
        "date-cell-read",
        Severity.INFO,
        f"sources!{letter}2",
        "date",
    )
    assert problem.message == (
        "the cell holds a real date, read as the day it holds (YYYY-MM-DD) whatever the "
        "cell shows; if the date is a month or a year, format the cell as text and type it "
        "so, as 2012-03 or 2012"
    )
    assert problem.value == "2012-03-01"
    assert result.document["sources"][0]["date"] == "2012-03-01"
    # the same words at every cell: a report groups them, one message and the places
    shutil.copytree(EXAMPLE / "sources", tmp_path / "sources")  # the archived texts
    run = cli("validate", path)
    assert run.status == 0
    assert "    the same problem at 1 more place:\n" in run.out
    assert run.out.count("date-cell-read") == 1


# -- 4. messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "ending"),
    [
        ("sumary", "which was not read; did you mean 'summary'? Rename it to one"),
        ("xyzzy", "which was not read. Rename it to one"),
    ],
)
def test_an_unknown_column_is_said_in_whole_sentences(
    tmp_path: Path, header: str, ending: str
) -> None:
    files = csv_files(load_dataset(EXAMPLE))
    lines = files["evidence.csv"].split("\r\n")
    lines = [
        line + (f",{header}" if n == 0 else ",x" if line else "") for n, line in enumerate(lines)
    ]
    files["evidence.csv"] = "\r\n".join(lines)
    (tmp_path / "book").mkdir()
    for name, text in files.items():
        (tmp_path / "book" / name).write_text(text, encoding="utf-8", newline="")
    [problem] = import_book(read_book(tmp_path / "book", "book")).problems
    assert problem.code == "unknown-column"
    assert (
        f"the column {header!r} is not a column of the sheet evidence and holds data, {ending}"
        in problem.message
    )
    assert problem.message.endswith("(the sheet 'columns' lists them)")


def test_a_workbook_of_another_shape_is_pointed_at_a_mapped_import(tmp_path: Path) -> None:
    path = tmp_path / "upr.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Sheet1")  # an export of another tool: no sheet of the layout
    sheet.write_row(0, 0, ["To", "Text", "From", "Response"])
    sheet.write_row(1, 0, ["Kazakhstan", "Ratify the OP-CAT", "Norway", "Accepted"])
    book.close()
    report = benchmarkkit.validate(path)
    [unknown] = [p for p in report.problems if p.code == "unknown-sheet"]
    assert unknown.sheet == "Sheet1"
    assert "not in the layout benchmarkkit export writes" in unknown.message
    assert "benchmarkkit import BOOK --mapping MAPPING -o DATASET" in unknown.message
