"""Reading table files into raw sheets: workbooks, CSV files in every encoding, bad files.

The xlsx workbooks are made here with XlsxWriter; the .xls and .ods ones, which no
library of the test extra writes, are in ``tests/fixtures/tables/`` with the script
that made them, except the crafted ones (cells far out, huge repeats, odd XML), which
are written here byte by byte: :func:`_ods` and :func:`_xls`.
"""

from __future__ import annotations

import codecs
import datetime
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit._cli.export import MISSING_EXTRA
from benchmarkkit._problems import Problem, Severity
from benchmarkkit._tables import _encodings, missing_extra
from benchmarkkit._tables._encodings import plausibility
from benchmarkkit._tables._guard_ods import scan_ods
from benchmarkkit._tables._read import (
    CellRef,
    RawBook,
    RawSheet,
    column_letter,
    located,
    read_book,
    table_format,
)
from tests.conftest import FIXTURES, max_examples

TABLES = FIXTURES / "tables"
QUOTE = "Côte d'Ivoire \u201caccepts\u201d \u2013 São Tomé"


def _only(book: RawBook) -> RawSheet:
    assert len(book.sheets) == 1, book
    return book.sheets[0]


def _messages(book: RawBook) -> list[tuple[str, str]]:
    return [(problem.code, problem.message) for problem in book.problems]


# -- cell places ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "letters"),
    [
        (1, "A"),
        (2, "B"),
        (26, "Z"),
        (27, "AA"),
        (52, "AZ"),
        (53, "BA"),
        (702, "ZZ"),
        (703, "AAA"),
        (16_384, "XFD"),
    ],
)
def test_a_cell_is_named_as_spreadsheets_name_it(column: int, letters: str) -> None:
    ref = CellRef("book.xlsx", "evidence", 17, column, "quote")
    assert (ref.letter, ref.name) == (letters, f"evidence!{letters}17")


@given(st.integers(min_value=1, max_value=16_384))
def test_column_letters_count_in_base_26_without_a_zero(column: int) -> None:
    number = 0
    for letter in column_letter(column):
        number = number * 26 + ord(letter) - ord("A") + 1
    assert number == column
    assert column_letter(column).isupper()


@pytest.mark.parametrize(
    ("sheet", "name"),
    [
        ("evidence", "evidence!C17"),
        ("recommendations_responses", "recommendations_responses!C17"),
        ("Évaluations2", "Évaluations2!C17"),
        ("my sheet", "'my sheet'!C17"),
        ("it's", "'it''s'!C17"),
        ("a-b", "'a-b'!C17"),
    ],
)
def test_a_sheet_name_with_other_characters_is_quoted(sheet: str, name: str) -> None:
    assert CellRef("book.xlsx", sheet, 17, 3).name == name


def test_a_cells_header_is_kept_stripped() -> None:
    assert CellRef("t.csv", "t", 2, 1, " quote \t").header == "quote"
    assert CellRef("t.csv", "t", 2, 1, "  ").header is None
    assert CellRef("t.csv", "t", 2, 1).header is None


def test_located_puts_a_problem_at_its_cell() -> None:
    problem = Problem.create("quote-not-found", "the quote is not in the source", pointer="/x")
    ref = CellRef("book.xlsx", "evidence", 17, 3, "quote")
    placed = located(problem, ref)
    assert (placed.file, placed.sheet, placed.row, placed.header, placed.cell) == (
        "book.xlsx",
        "evidence",
        17,
        "quote",
        "evidence!C17",
    )
    assert (placed.code, placed.message, placed.pointer) == (
        "quote-not-found",
        "the quote is not in the source",
        "/x",
    )


# -- workbooks -----------------------------------------------------------------------------


def _edited_workbook(path: Path) -> None:
    """A workbook as a person leaves it: merged headers, a table not at A1, a hidden sheet."""
    book = xlsxwriter.Workbook(str(path))
    evidence = book.add_worksheet("evidence")
    evidence.write_string("A1", "id")
    evidence.write_string("B1", "quote ")
    evidence.merge_range("C1:D1", "date", book.add_format())
    evidence.write_string("A2", "e1")
    evidence.write_string("B2", QUOTE)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    evidence.write_datetime("C2", datetime.datetime(2012, 3, 4), day)
    evidence.write_number("D2", 3.5)
    evidence.write_number("E2", 1.5, book.add_format({"num_format": "[h]:mm:ss"}))  # a duration
    evidence.write_number("F2", 0.25, book.add_format({"num_format": "hh:mm"}))  # a time of day
    evidence.write_string("A3", "e2")
    evidence.write_string("D3", "42")  # a number stored as text
    evidence.write_boolean("E3", True)
    time = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    evidence.write_datetime("C4", datetime.datetime(2012, 3, 4, 10, 30), time)
    evidence.write_string("A5", "")  # an empty cell after the last filled one: not a row
    later = book.add_worksheet("my sheet")
    later.write_string("C3", "starts at C3")
    later.merge_range("C4:E5", "merged", book.add_format())
    later.write_number("F6", 7)
    hidden = book.add_worksheet("_lists")
    hidden.write_string("A1", "kz")
    hidden.hide()
    book.add_worksheet("empty")
    book.close()


def test_a_workbook_is_read_cell_by_cell_at_the_places_a_spreadsheet_shows(
    tmp_path: Path,
) -> None:
    _edited_workbook(tmp_path / "book.xlsx")
    book = read_book(tmp_path / "book.xlsx", "data/book.xlsx")
    assert (book.file, book.format, book.encoding, book.problems) == (
        "data/book.xlsx",
        "xlsx",
        None,
        (),
    )
    evidence, later, hidden, empty = book.sheets
    assert evidence == RawSheet(
        name="evidence",
        file="data/book.xlsx",
        rows=(
            ("id", "quote ", "date"),
            ("e1", QUOTE, datetime.date(2012, 3, 4), 3.5, "36:00:00", datetime.time(6, 0)),
            ("e2", None, None, "42", True),
            (None, None, datetime.datetime(2012, 3, 4, 10, 30)),
        ),
        merged=((1, 3, 1, 4),),
    )
    # the used range starts at C3: row 3 is rows[2], column C is its [2]
    assert later.rows == (
        (),
        (),
        (None, None, "starts at C3"),
        (None, None, "merged"),
        (),
        (None, None, None, None, None, 7.0),
    )
    assert later.merged == ((4, 3, 5, 5),)
    assert later.ref(3, 3).name == "'my sheet'!C3"
    assert (hidden.name, hidden.hidden, hidden.rows) == ("_lists", True, (("kz",),))
    assert (empty.name, empty.hidden, empty.rows) == ("empty", False, ())
    assert not evidence.hidden


@pytest.mark.parametrize("name", ["book.xls", "book.ods"])
def test_xls_and_ods_workbooks_are_read_with_their_values_and_places(name: str) -> None:
    book = read_book(TABLES / name, name)
    assert (book.format, book.problems) == (name.rsplit(".", 1)[1], ())
    evidence, later, secret = book.sheets
    assert evidence.rows == (
        ("id", "quote ", "date", "score"),
        ("e1", QUOTE, datetime.date(2012, 3, 4), 3.5),
        ("e2", None, None, "42"),
    )
    assert later.rows == ((), (), (None, None, "starts at C3"), (None, None, None, 7))
    assert (secret.name, secret.hidden, secret.rows) == ("secret", True, (("hidden",),))
    assert (evidence.hidden, later.hidden) == (False, False)
    # the header "score" is merged over D1:E1: calamine says so for .xls, read_book for .ods
    assert evidence.merged == ((1, 4, 1, 5),)


def test_the_format_is_known_from_the_content_before_the_suffix(tmp_path: Path) -> None:
    _edited_workbook(tmp_path / "book.xlsx")
    (tmp_path / "renamed.dat").write_bytes((tmp_path / "book.xlsx").read_bytes())
    (tmp_path / "ods.zip").write_bytes((TABLES / "book.ods").read_bytes())
    (tmp_path / "table.tsv").write_text("a\tb\n1\t2\n", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "evidence.csv").write_text("id\n", encoding="utf-8")
    (tmp_path / "none").mkdir()
    formats = {
        name: table_format(tmp_path / name)
        for name in [
            "book.xlsx",
            "renamed.dat",
            "ods.zip",
            "table.tsv",
            "notes.pdf",
            "folder",
            "none",
            "missing.csv",
        ]
    }
    assert formats == {
        "book.xlsx": "xlsx",
        "renamed.dat": "xlsx",
        "ods.zip": "ods",
        "table.tsv": "csv",
        "notes.pdf": None,
        "folder": "csv-folder",
        "none": None,
        "missing.csv": None,
    }
    assert table_format(TABLES / "book.xls") == "xls"
    assert read_book(tmp_path / "renamed.dat", "renamed.dat").sheets[0].name == "evidence"
    assert read_book(tmp_path / "ods.zip", "ods.zip").format == "ods"


# -- files that are not tables -------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    book.add_worksheet("evidence").write_string("A1", "id")
    book.close()
    return buffer.getvalue()


def _with_sheet_xml(data: bytes, change: Any) -> bytes:
    """The xlsx ``data`` with its first sheet's XML changed by ``change``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(item, body)
    return out.getvalue()


def _far_cell(xml: bytes) -> bytes:
    cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'
    return xml.replace(b"</sheetData>", cell + b"</sheetData>")


def _corrupt_sheet(data: bytes) -> bytes:
    """The xlsx ``data`` with the middle of its first sheet's deflated bytes overwritten."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    return data[:middle] + b"\xff" * 8 + data[middle + 8 :]


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


DAMAGED = "cannot be read as an Excel workbook (.xlsx): it is damaged, cut short or not a workbook"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls files
FAR = (
    "has a sheet whose filled cells reach as far as XFD1048576: 1,048,576 rows by 16,384 "
    "columns, more than the 10,000,000 cells benchmarkkit reads; delete the cells far outside "
    "the table, save it and try again"
)
PROTECTED = (
    "is protected with a password, so its cells cannot be read: open it, remove the password "
    "(in Excel: File > Info > Protect Workbook > Encrypt with Password, and clear it), save it "
    "and try again"
)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "is not a table file benchmarkkit reads"),
        ("book.xlsx", _xlsx_bytes()[:900], DAMAGED),
        ("book.xlsx", _corrupt_sheet(_xlsx_bytes()), DAMAGED),
        ("book.xlsx", b"", "is empty: it holds no table"),
        ("table.csv", b"", "is empty: it holds no table"),
        ("book.xlsx", _zip_of_text(), "is a zip archive that holds no workbook"),
        ("archive.zip", _zip_of_text(), "is a zip archive that holds no workbook"),
        ("book.xlsx", b"id,name\n1,x\n", DAMAGED),
        ("book.xls", CFB + b"\x00" * 600, "cannot be read as an Excel 97-2003 workbook (.xls)"),
        ("book.ods", b"PK\x03\x04 cut short", "cannot be read as an OpenDocument spreadsheet"),
        ("protected.xlsx", (TABLES / "protected.xlsx").read_bytes(), PROTECTED),
        ("far.xlsx", _with_sheet_xml(_xlsx_bytes(), _far_cell), FAR),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem_and_no_sheets(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    (tmp_path / name).write_bytes(data)
    book = read_book(tmp_path / name, f"in/{name}")
    assert book.sheets == ()
    [problem] = book.problems
    assert (problem.code, problem.severity, problem.file) == (
        "table-not-readable",
        Severity.ERROR,
        f"in/{name}",
    )
    assert problem.message.startswith(f"in/{name} ")
    assert words in problem.message
    assert problem.hint is not None
    assert "save it again" in problem.hint


def test_a_claim_of_a_huge_sheet_in_the_dimension_is_not_believed(tmp_path: Path) -> None:
    def claim(xml: bytes) -> bytes:
        return xml.replace(b'<dimension ref="A1"/>', b'<dimension ref="A1:XFD1048576"/>')

    data = _with_sheet_xml(_xlsx_bytes(), claim)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:XFD1048576"/>' in sheet_xml
    (tmp_path / "claim.xlsx").write_bytes(data)
    book = read_book(tmp_path / "claim.xlsx", "claim.xlsx")
    assert (book.problems, _only(book).rows) == ((), (("id",),))


def test_a_path_that_is_missing_or_a_special_file_is_a_problem(tmp_path: Path) -> None:
    missing = read_book(tmp_path / "missing.xlsx", "missing.xlsx")
    assert (missing.sheets, [p.code for p in missing.problems]) == ((), ["table-not-readable"])
    assert missing.problems[0].message == ("missing.xlsx cannot be read: No such file or directory")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_named_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    assert table_format(tmp_path / "pipe.csv") is None
    book = read_book(tmp_path / "pipe.csv", "pipe.csv")
    assert (book.sheets, _messages(book)) == (
        (),
        [("table-not-readable", "pipe.csv is a named pipe (FIFO), not a table file")],
    )


def test_a_folder_without_csv_files_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("id\n", encoding="utf-8")
    book = read_book(tmp_path, "tables")
    assert (book.format, book.sheets) == ("csv-folder", ())
    assert _messages(book) == [
        (
            "table-not-readable",
            (
                "the folder tables holds no .csv files: give a folder of CSV files (one per "
                "sheet, as export --format csv writes), a workbook or a .csv file"
            ),
        )
    ]


def test_a_missing_reader_is_the_one_message_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edited_workbook(tmp_path / "book.xlsx")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    book = read_book(tmp_path / "book.xlsx", "book.xlsx")
    assert _messages(book) == [
        (
            "spreadsheets-missing",
            (
                "reading book.xlsx needs the spreadsheets extra: "
                "pip install 'benchmarkkit[spreadsheets]'"
            ),
        )
    ]
    assert missing_extra("reading book.xlsx") == book.problems[0].message
    assert missing_extra("benchmarkkit export --format xlsx") == MISSING_EXTRA


# -- CSV: encodings ------------------------------------------------------------------------

TEXT = (
    "country,text,note \r\n"
    "Côte d'Ivoire,\u201cEnsure\u201d the right to education \u2013 now,São Tomé and Príncipe\r\n"
    "Türkiye,\u2018Consider\u2019 ratifying,Réunion \u2014 l'été\r\n"
)
CELLS = (
    ("country", "text", "note "),
    (
        "Côte d'Ivoire",
        "\u201cEnsure\u201d the right to education \u2013 now",
        "São Tomé and Príncipe",
    ),
    ("Türkiye", "\u2018Consider\u2019 ratifying", "Réunion \u2014 l'été"),
)


@pytest.mark.parametrize(
    ("data", "encoding", "how"),
    [
        (TEXT.encode("utf-8"), "utf-8", "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8", "bom"),
        (TEXT.encode("utf-16"), "utf-16", "bom"),  # a BOM, little-endian on this machine
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16", "bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", "bom"),
        (TEXT.encode("utf-16-le"), "utf-16-le", "detected"),
        (TEXT.encode("utf-16-be"), "utf-16-be", "detected"),
        (TEXT.encode("cp1252"), "cp1252", "detected"),
        (TEXT.encode("mac_roman"), "mac_roman", "detected"),
    ],
)
def test_a_csv_file_is_read_in_its_encoding_and_says_which(
    tmp_path: Path, data: bytes, encoding: str, how: str
) -> None:
    (tmp_path / "upr.csv").write_bytes(data)
    book = read_book(tmp_path / "upr.csv", "in/upr.csv")
    assert (book.format, book.encoding, book.encoding_how) == ("csv", encoding, how)
    assert _only(book) == RawSheet(name="upr", file="in/upr.csv", rows=CELLS)
    names = {"utf-16-le": "UTF-16 (little-endian)", "utf-16-be": "UTF-16 (big-endian)"}
    names |= {"cp1252": "Windows-1252", "mac_roman": "Mac Roman"}
    expected = (
        [
            (
                "encoding-detected",
                (
                    f"in/upr.csv was read as {names[encoding]} (detected); if letters look "
                    "wrong, give the right encoding with --encoding"
                ),
            )
        ]
        if how == "detected"
        else []
    )
    assert _messages(book) == expected
    assert all(problem.severity is Severity.INFO for problem in book.problems)


#: Real-shaped lines as tables of the field hold them, one at a time in a file of its own.
SHORT_TEXTS = [
    "Name\nCôte d'Ivoire\n",
    "Country\nTürkiye\n",
    "State\nSão Tomé and Príncipe\n",
    "Text\n\u201cEnsure\u201d the right\n",
    "Period\n2012\u20132013\n",
    "Session;Response\n13;Accepté\n",
    "Theme\nWomen\u2019s rights\n",
    "Name\nRéunion\n",
    "Name\nCuraçao\n",
    "Actor\nÅland \u2014 Ísland\n",
]


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"])
@pytest.mark.parametrize("text", SHORT_TEXTS)
def test_detection_tells_windows_1252_from_mac_roman(
    tmp_path: Path, encoding: str, text: str
) -> None:
    (tmp_path / "t.csv").write_bytes(text.encode(encoding))
    book = read_book(tmp_path / "t.csv", "t.csv")
    assert (book.encoding, book.encoding_how) == (encoding, "detected")
    assert "\n".join(";".join(str(c) for c in row) for row in _only(book).rows) + "\n" == text


def test_plausibility_scores_the_right_reading_higher() -> None:
    text = "Côte d'Ivoire \u201caccepts\u201d \u2013 São Tomé and Príncipe; Türkiye"
    for wrong in ["cp1252", "mac_roman"]:
        right = "mac_roman" if wrong == "cp1252" else "cp1252"
        misread = text.encode(right).decode(wrong)
        assert plausibility(text) > 0 > plausibility(misread), misread
    # Cyrillic saved as Windows-1251 and read as Windows-1252 is a run of accented letters
    assert plausibility("Россия") > 0 > plausibility("Россия".encode("cp1251").decode("cp1252"))


def test_an_encoding_given_wins_over_detection(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(TEXT.encode("cp1252"))
    book = read_book(tmp_path / "t.csv", "t.csv", encoding="mac_roman")
    assert (book.encoding, book.encoding_how, book.problems) == ("mac_roman", "given", ())
    assert _only(book).rows[1][0] == "CÙte d'Ivoire"  # as asked, though it looks wrong
    given = read_book(tmp_path / "t.csv", "t.csv", encoding="Windows-1252")
    assert (given.encoding, given.encoding_how, _only(given).rows) == ("cp1252", "given", CELLS)


def test_an_encoding_python_does_not_know_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(TEXT.encode("utf-8"))
    book = read_book(tmp_path / "t.csv", "t.csv", encoding="latin-9x")
    assert book.sheets == ()
    assert _messages(book) == [
        (
            "encoding-unknown",
            (
                "'latin-9x' is not an encoding Python knows: give one such as utf-8, cp1252 "
                "(Windows-1252), mac_roman or utf-16"
            ),
        )
    ]


def test_bytes_the_given_encoding_cannot_decode_are_named_at_their_cell(tmp_path: Path) -> None:
    text = 'id,name ,note\r\n1,"two\r\nlines",ok\r\n2,Côte d\'Ivoire,Tomé é\r\n3,x,y\r\n'
    (tmp_path / "t.csv").write_bytes(text.encode("cp1252"))
    book = read_book(tmp_path / "t.csv", "in/t.csv", encoding="utf-8")
    assert (book.encoding, book.encoding_how) == ("utf-8", "given")
    # the quoted cell with a line break is one row, as a spreadsheet shows it: Côte is in row 3
    assert _only(book).rows == (
        ("id", "name ", "note"),
        ("1", "two\r\nlines", "ok"),
        ("2", "C\ufffdte d'Ivoire", "Tom\ufffd \ufffd"),
        ("3", "x", "y"),
    )
    first, second = book.problems
    assert (first.code, first.severity, first.file, first.sheet, first.row, first.cell) == (
        "cell-not-decodable",
        Severity.ERROR,
        "in/t.csv",
        "t",
        3,
        "t!B3",
    )
    assert first.header == "name"  # stripped; the cell holds it as written
    assert first.message == (
        "the byte F4 in cell t!B3 cannot be read as UTF-8 (the encoding given); they are "
        "shown as \ufffd: give the file's encoding with --encoding (such as cp1252 or "
        "mac_roman), or save it as UTF-8"
    )
    assert (second.cell, second.header) == ("t!C3", "note")
    assert second.message.startswith("the bytes E9, E9 in cell t!C3 cannot be read as UTF-8")


def test_a_utf16_file_cut_short_names_the_bytes_left_over(tmp_path: Path) -> None:
    (tmp_path / "t.csv").write_bytes(codecs.BOM_UTF16_LE + "id,x\n1,ab".encode("utf-16-le")[:-1])
    book = read_book(tmp_path / "t.csv", "t.csv")
    assert _only(book).rows == (("id", "x"), ("1", "a\ufffd"))
    [problem] = book.problems
    assert (problem.code, problem.cell) == ("cell-not-decodable", "t!B2")
    assert problem.message.startswith("the byte 62 in cell t!B2 cannot be read as UTF-16")


@given(
    data=st.binary(max_size=120),
    codec=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252"]),
    window=st.integers(min_value=1, max_value=9),
)
def test_undecodable_bytes_are_set_aside_in_order_and_the_rest_decoded(
    data: bytes, codec: str, window: int
) -> None:
    """Whatever the bytes and wherever the windows cut them, nothing is lost or reordered."""
    with mock.patch.object(_encodings, "_WINDOW", window):
        decoded = _encodings.decode_with(data, codec, "given")
    good = decoded.text.split(_encodings.UNDECODABLE)
    assert len(good) == len(decoded.bad) + 1
    sequences = [*decoded.bad, b""]
    rebuilt = b"".join(part.encode(codec) + bad for part, bad in zip(good, sequences, strict=True))
    assert rebuilt == data


# -- CSV: shape ----------------------------------------------------------------------------


@pytest.mark.parametrize("end", ["\r\n", "\n", "\r"])
def test_every_line_end_reads_and_quoted_line_breaks_stay_in_their_cell(
    tmp_path: Path, end: str
) -> None:
    text = f'id,text {end}1,"first\r\nsecond"{end}2,"a\nb\rc"{end}{end}3,last{end}{end}'
    (tmp_path / "t.csv").write_text(text, encoding="utf-8", newline="")
    assert _only(read_book(tmp_path / "t.csv", "t.csv")).rows == (
        ("id", "text "),
        ("1", "first\r\nsecond"),
        ("2", "a\nb\rc"),
        (),
        ("3", "last"),
    )


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("id;name;note\n1;a,b;c\n", (("id", "name", "note"), ("1", "a,b", "c"))),
        ("id\tname\tnote\n1\ta,b;c\td\n", (("id", "name", "note"), ("1", "a,b;c", "d"))),
        ('"a;b",c,d\n1,2,3\n', (("a;b", "c", "d"), ("1", "2", "3"))),
        ("id,name\n1,a;b;c\n", (("id", "name"), ("1", "a;b;c"))),
        ("id,,x,,\n,,\n1\n\n\n", (("id", None, "x"), (), ("1",))),
    ],
)
def test_the_delimiter_is_read_from_the_header_line(
    tmp_path: Path, text: str, rows: tuple[Any, ...]
) -> None:
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    assert _only(read_book(tmp_path / "t.csv", "t.csv")).rows == rows


def test_a_folder_of_csv_files_is_a_book_of_their_sheets_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "evidence.csv").write_bytes(b"\xef\xbb\xbfid,quote\r\ne1,x\r\n")
    (folder / "actors.csv").write_bytes(b"id,name\r\nkz,Kazakhstan\r\n")
    (folder / "notes.md").write_text("# not a table\n", encoding="utf-8")
    book = read_book(folder, "data/tables")
    assert (book.file, book.format, book.problems) == ("data/tables", "csv-folder", ())
    assert [(sheet.name, sheet.file) for sheet in book.sheets] == [
        ("actors", "data/tables/actors.csv"),
        ("evidence", "data/tables/evidence.csv"),
    ]
    assert book.sheets[1].rows == (("id", "quote"), ("e1", "x"))
    # the files agree on UTF-8, but not on how it was known (a BOM, the bytes): neither said
    assert (book.encoding, book.encoding_how) == (None, None)
    (folder / "evidence.csv").write_bytes(b"id,quote\r\ne1,x\r\n")
    assert read_book(folder, "t").encoding == "utf-8"


def test_a_folder_says_each_file_read_in_a_detected_encoding(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("name\nCôte d'Ivoire\n".encode("cp1252"))
    (tmp_path / "b.csv").write_bytes(b"id\n1\n")
    book = read_book(tmp_path, "t")
    assert [(p.code, p.file) for p in book.problems] == [("encoding-detected", "t/a.csv")]
    assert book.sheets[0].rows == (("name",), ("Côte d'Ivoire",))


# -- CSV: any table reads back -------------------------------------------------------------

_ALPHABETS = {
    codec: "".join(
        char
        for char in bytes(range(0x20, 0x100)).decode(codec, errors="ignore")
        if char not in "\x7f\ufeff"
    )
    + "\r\n\t"
    for codec in ("cp1252", "mac_roman")
}
_ANY = st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufeff")
_HEADER = st.text("abcdefghijklmnopqrstuvwxyz _", min_size=1, max_size=8)


def _csv_text(rows: list[list[str]], delimiter: str, end: str) -> str:
    """``rows`` as RFC 4180 says, with ``end`` for line ends: a cell holding the delimiter, a
    quote or a line break quoted (Python's writer leaves a lone CR unquoted with LF ends)."""

    def cell(text: str) -> str:
        if any(special in text for special in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(text) for text in row) + end for row in rows)


def _expected(table: list[list[str]]) -> tuple[tuple[str | None, ...], ...]:
    rows = []
    for row in table:
        cells = [cell or None for cell in row]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return tuple(rows)


@settings(max_examples=max_examples(300))  # 7 cases of 300: about 7 s in the ci profile
@given(data=st.data())
@pytest.mark.parametrize(
    ("codec", "given_as", "prefix"),
    [
        ("utf-8", None, b""),
        ("utf-8", None, codecs.BOM_UTF8),
        ("utf-16-le", None, codecs.BOM_UTF16_LE),
        ("utf-16-be", None, codecs.BOM_UTF16_BE),
        ("utf-16-le", "utf-16-le", b""),
        ("cp1252", "cp1252", b""),
        ("mac_roman", "mac_roman", b""),
    ],
)
def test_any_table_written_as_csv_reads_back_to_the_same_cells(
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    codec: str,
    given_as: str | None,
    prefix: bytes,
) -> None:
    width = data.draw(st.integers(min_value=1, max_value=4), label="width")
    delimiter = data.draw(st.sampled_from([",", ";", "\t"] if width > 1 else [","]))
    end = data.draw(st.sampled_from(["\r\n", "\n", "\r"]), label="line end")
    characters = st.sampled_from(_ALPHABETS[codec]) if codec in _ALPHABETS else _ANY
    cells = st.text(characters, max_size=12)
    header = data.draw(st.lists(_HEADER, min_size=width, max_size=width), label="header")
    body = data.draw(
        st.lists(st.lists(cells, min_size=width, max_size=width), max_size=5), label="body"
    )
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_bytes(prefix + _csv_text([header, *body], delimiter, end).encode(codec))
    book = read_book(path, "t.csv", encoding=given_as)
    assert book.problems == ()
    assert _only(book).rows == _expected([header, *body])


# -- workbooks that would end the process ---------------------------------------------------
#
# calamine allocates a sheet's whole range before it reads a cell, and aborts the process
# (no exception) when it cannot: measured in a child limited to 4 GiB of address space,
# each file below ended it with SIGABRT ("memory allocation of ... bytes failed") until
# read_book measured workbooks first. The reads run in a child limited to 2 GiB, so that
# a regression fails the test instead of ending pytest.

_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
_ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def _ods(tables: str) -> bytes:
    """An .ods file whose spreadsheet holds ``tables`` (``<table:table>`` elements)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", _ODS_HEAD + tables + _ODS_TAIL)
    return out.getvalue()


def _table(name: str, *rows: str) -> str:
    return f'<table:table table:name="{name}">{"".join(rows)}</table:table>'


def _row(*cells: str, repeated: int = 1) -> str:
    times = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{times}>{''.join(cells)}</table:table-row>"


def _text(text: str, repeated: int = 1, *, tag: str = "table-cell", spans: str = "") -> str:
    times = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    return (
        f'<table:{tag} office:value-type="string"{times}{spans}>'
        f"<text:p>{text}</text:p></table:{tag}>"
    )


def _empty(repeated: int = 1, tag: str = "table-cell") -> str:
    return f'<table:{tag} table:number-columns-repeated="{repeated}"/>'


def _record(number: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", number, len(body)) + body


def _xls(
    cells: Sequence[tuple[int, int]],
    dimensions: tuple[int, int, int, int] | None = None,
    settings: bytes = b"",
) -> bytes:
    """An .xls file (BIFF8 in a compound file) with one sheet ``s``.

    ``cells``: the 0-based row and column of each number (a NUMBER record); ``dimensions``:
    the DIMENSIONS record's first row, last row + 1, first column, last column + 1;
    ``settings``: records for the workbook's globals, after its CODEPAGE.
    """

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))

    def workbook(sheet_at: int) -> bytes:
        sheet = struct.pack("<IBBBB", sheet_at, 0, 0, 1, 0) + b"s"  # BOUNDSHEET
        codepage = _record(0x0042, b"\xb0\x04")
        return bof(0x0005) + codepage + settings + _record(0x0085, sheet) + _record(0x0A)

    sheet = bof(0x0010)
    if dimensions is not None:
        sheet += _record(0x0200, struct.pack("<IIHHH", *dimensions, 0))
    for number, (row, column) in enumerate(cells):
        sheet += _record(0x0203, struct.pack("<HHHd", row, column, 0, number + 1.0))
    stream = workbook(len(workbook(0))) + sheet + _record(0x0A)
    return _compound_file(stream)


def _compound_file(stream: bytes) -> bytes:
    """``stream`` as the ``Workbook`` stream of a compound file: 512-byte sectors, no mini
    stream (the stream is padded to 4096 bytes), one sector of the allocation table."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    sectors = len(stream) // 512
    assert sectors <= 126, "one sector of the table holds 128 entries"
    end, free, nothing = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
    table = [0xFFFFFFFD, end, *range(3, 2 + sectors), end]
    table += [free] * (128 - len(table))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le") if name else b""
        fields = struct.pack("<HBBIII", len(raw), kind, 1, nothing, nothing, child)
        return raw.ljust(64, b"\0") + fields + b"\0" * 36 + struct.pack("<IQ", start, size)

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry("Workbook", 2, nothing, 2, len(stream))
        + entry("", 0, nothing, 0, 0) * 2
    )
    header = (
        CFB
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    return header + struct.pack("<128I", *table) + directory + stream


_FAR = (
    "has a sheet whose filled cells reach as far as {}: {} rows by {} columns, more than the "
    "10,000,000 cells benchmarkkit reads; delete the cells far outside the table, save it "
    "and try again"
)
_CLAIMS = (
    "cannot be read as an Excel 97-2003 workbook (.xls): it is damaged, cut short or not a "
    "workbook (a sheet claims {} rows by {} columns, more than an .xls sheet holds); open it "
    "in a spreadsheet application and save it again"
)
_CRAFTED = {
    "ods-stray-cell-at-XFD1048576": (
        _ods(
            _table(
                "s",
                _row(_text("id")),
                _row(repeated=1_048_574),
                _row(_empty(16_383), _text("far")),
            )
        ),
        _FAR.format("XFD1048576", "1,048,576", "16,384"),
    ),
    "ods-stray-cell-at-CQ1048576": (
        _ods(
            _table("s", _row(_text("id")), _row(repeated=1_048_574), _row(_empty(94), _text("x")))
        ),
        _FAR.format("CQ1048576", "1,048,576", "95"),
    ),
    "ods-a-filled-cell-repeated-down-and-across": (
        _ods(_table("s", _row(_text("x", 95), repeated=1_048_576))),
        _FAR.format("CQ1048576", "1,048,576", "95"),
    ),
    "ods-covered-cells-repeated": (
        _ods(
            _table(
                "s",
                _row(_text("id")),
                _row(_empty(16_000, "covered-table-cell"), _text("x"), repeated=1_048_570),
            )
        ),
        _FAR.format("WQK1048571", "1,048,571", "16,001"),
    ),
    "xls-stray-cell-at-BES65536": (
        _xls([(0, 0), (65_535, 1_500)]),
        _FAR.format("BES65536", "65,536", "1,501"),
    ),
    "xls-stray-cell-in-column-65536": (
        _xls([(0, 0), (65_535, 65_535)]),
        _FAR.format("CRXP65536", "65,536", "65,536"),
    ),
    "xls-dimensions-claiming-4-billion-rows": (
        _xls([(0, 0)], (0, 0xFFFFFFFF, 0, 0xFFFF)),
        _CLAIMS.format("4,294,967,295", "65,535"),
    ),
    "xls-dimensions-claiming-65536-columns": (
        _xls([(0, 0)], (0, 65_536, 0, 0xFFFF)),
        _CLAIMS.format("65,536", "65,535"),
    ),
}
_CHILD = """
import json, resource, sys
from pathlib import Path
limit = 2 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from benchmarkkit._tables._read import read_book
book = read_book(Path(sys.argv[1]), sys.argv[2])
problems = [(p.code, p.severity.value, p.file, p.message) for p in book.problems]
print(json.dumps({"sheets": [sheet.name for sheet in book.sheets], "problems": problems}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the address-space limit is POSIX")
@pytest.mark.parametrize("case", list(_CRAFTED))
def test_a_workbook_calamine_cannot_hold_is_one_problem_and_the_process_goes_on(
    tmp_path: Path, case: str
) -> None:
    data, words = _CRAFTED[case]
    suffix = case.split("-", 1)[0]
    (tmp_path / f"book.{suffix}").write_bytes(data)
    assert _read_in_child(tmp_path / f"book.{suffix}", f"in/book.{suffix}") == {
        "sheets": [],
        "problems": [
            ["table-not-readable", "error", f"in/book.{suffix}", f"in/book.{suffix} {words}"]
        ],
    }


def _read_in_child(path: Path, display: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), display],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]  # -6: calamine aborted the process
    return json.loads(done.stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="the address-space limit is POSIX")
def test_an_encrypted_xls_file_is_left_to_calamine_which_refuses_it(tmp_path: Path) -> None:
    """Its cell records are encrypted bytes, so not measured; calamine 0.9 reads none of it."""
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48)  # RC4
    (tmp_path / "locked.xls").write_bytes(_xls([(0, 0), (65_535, 1_500)], None, filepass))
    read = _read_in_child(tmp_path / "locked.xls", "locked.xls")
    [[code, severity, file, message]] = read["problems"]
    assert (read["sheets"], code, severity, file) == (
        [],
        "table-not-readable",
        "error",
        "locked.xls",
    )
    assert message.startswith("locked.xls cannot be read as an Excel 97-2003 workbook (.xls)")


def test_sheets_that_only_look_large_are_read(tmp_path: Path) -> None:
    """What LibreOffice and Excel write around a small table is not taken for cells."""
    libreoffice = _ods(
        _table(
            "s",
            _row(_text("id"), _text("name"), _empty(1022)),
            _row(_text("e1"), '<table:table-cell office:value-type="float" office:value="3"/>'),
            _row(_empty(1024), repeated=1_048_573),  # the rows LibreOffice writes to the end
        )
    )
    (tmp_path / "lo.ods").write_bytes(libreoffice)
    book = read_book(tmp_path / "lo.ods", "lo.ods")
    assert (book.problems, _only(book).rows) == ((), (("id", "name"), ("e1", 3.0)))
    # an .xls sheet: a DIMENSIONS record as large as a sheet, and far formatted empty cells
    blank = _record(0x0201, struct.pack("<HHH", 65_535, 255, 0))  # BLANK, at IV65536
    data = _xls([(0, 0), (1, 2)], (0, 65_536, 0, 256))
    at = data.rindex(_record(0x0A))
    (tmp_path / "x.xls").write_bytes(data[:at] + blank + data[at:])
    book = read_book(tmp_path / "x.xls", "x.xls")
    assert (book.problems, _only(book).rows) == ((), ((1.0,), (None, None, 2.0)))


def test_a_table_inside_a_cell_is_one_problem(tmp_path: Path) -> None:
    inner = _table("inner", _row(_text("x", 16_000)))
    cell = f'<table:table-cell office:value-type="string">{inner}</table:table-cell>'
    (tmp_path / "nested.ods").write_bytes(_ods(_table("outer", _row(cell, _text("y")))))
    book = read_book(tmp_path / "nested.ods", "nested.ods")
    assert book.sheets == ()
    assert _messages(book) == [
        (
            "table-not-readable",
            (
                "nested.ods has a table inside a cell of the sheet 'outer', which benchmarkkit "
                "does not read: move its cells onto the sheet, save it and try again"
            ),
        )
    ]


# -- .ods merged ranges and the measuring pass ----------------------------------------------


def test_the_merged_cells_of_an_ods_sheet_are_read_from_its_xml(tmp_path: Path) -> None:
    """A header merged over two rows and three columns, and a merge in a repeated row."""
    header = _text(
        "evidence", spans=' table:number-columns-spanned="3" table:number-rows-spanned="2"'
    )
    tables = _table(
        "my sheet",
        _row(header, _empty(2, "covered-table-cell"), _text("note")),
        _row(_empty(3, "covered-table-cell"), _text("more")),
        _row(
            _text("a", spans=' table:number-columns-spanned="2"'),
            _empty(1, "covered-table-cell"),
            repeated=2,
        ),
        _row(_text("b"), _empty(3), _text("c")),
    )
    (tmp_path / "merged.ods").write_bytes(_ods(tables))
    book = read_book(tmp_path / "merged.ods", "merged.ods")
    assert book.problems == ()
    sheet = _only(book)
    assert sheet.merged == ((1, 1, 2, 3), (3, 1, 3, 2), (4, 1, 4, 2))
    assert sheet.rows == (
        ("evidence", None, None, "note"),
        (None, None, None, "more"),
        ("a",),
        ("a",),
        ("b", None, None, None, "c"),
    )


_CELL_KINDS = st.sampled_from(["text", "value", "empty", "covered", "covered-value", "spanning"])


@st.composite
def _ods_tables(draw: st.DrawFn) -> tuple[str, list[list[tuple[int, int]]]]:
    """Tables of every kind of cell, repeated and spanning; and where each sheet's filled
    cells are, (row, column) from 0, as calamine reads them."""
    tables: list[str] = []
    filled: list[list[tuple[int, int]]] = []
    commented = draw(st.integers(0, 9)) == 0  # a comment: the quick way hands over to expat
    for number in range(draw(st.integers(1, 3))):
        rows: list[str] = []
        places: list[tuple[int, int]] = []
        row_number = 0
        for _ in range(draw(st.integers(0, 5))):
            cells: list[str] = []
            columns: list[int] = []  # the filled columns of the row
            for kind in draw(st.lists(_CELL_KINDS, max_size=5)):
                times = draw(st.integers(1, 3))
                cells.append(_cell(kind, times, draw(st.integers(2, 3))))
                if kind not in ("empty", "covered"):
                    start = sum(_width(cell) for cell in cells[:-1])
                    columns.extend(range(start, start + times))
            repeated = draw(st.integers(1, 3))
            if commented:
                rows.append("<!-- <table:table-row> -->")
            rows.append(_row(*cells, repeated=repeated))
            places.extend((row_number + r, c) for r in range(repeated) for c in columns)
            row_number += repeated
        tables.append(_table(f"t{number}", *rows))
        filled.append(places)
    return "".join(tables), filled


def _cell(kind: str, times: int, span: int) -> str:
    if kind == "text":
        return _text("x", times)
    if kind == "spanning":
        return _text("s", times, spans=f' table:number-rows-spanned="{span}"')
    if kind in ("value", "covered-value"):
        tag = "table-cell" if kind == "value" else "covered-table-cell"
        return (
            f'<table:{tag} office:value-type="float" office:value="1" '
            f'table:number-columns-repeated="{times}"/>'
        )
    return _empty(times, "table-cell" if kind == "empty" else "covered-table-cell")


def _width(cell: str) -> int:
    """How many columns a cell of :func:`_cell` takes."""
    return (
        int(cell.split('number-columns-repeated="', 1)[1].split('"', 1)[0])
        if "repeated" in cell
        else 1
    )


@settings(max_examples=max_examples(300))
@given(drawn=_ods_tables())
def test_the_quick_pass_over_an_ods_file_finds_what_expat_and_calamine_find(
    tmp_path_factory: pytest.TempPathFactory, drawn: tuple[str, list[list[tuple[int, int]]]]
) -> None:
    tables, filled = drawn
    data = _ods(tables)
    quick = scan_ods(io.BytesIO(data))
    assert quick == scan_ods(io.BytesIO(data), quick=False)
    assert quick is not None
    path = tmp_path_factory.mktemp("ods") / "t.ods"
    path.write_bytes(data)
    book = read_book(path, "t.ods")
    assert book.problems == ()
    for sheet, measured, places in zip(book.sheets, quick.sheets, filled, strict=True):
        read = {
            (row, column)
            for row, cells in enumerate(sheet.rows, 1)
            for column, cell in enumerate(cells, 1)
            if cell is not None
        }
        assert read == {(row + 1, column + 1) for row, column in places}
        expected = (
            (
                min(r for r, _ in read),
                min(c for _, c in read),
                max(r for r, _ in read),
                max(c for _, c in read),
            )
            if read
            else None
        )
        assert (measured.name, measured.extent) == (sheet.name, expected)
        assert sheet.merged == measured.merged
