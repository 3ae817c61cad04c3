"""``score --format xlsx`` and the scorecard CSV: what people and scripts read back.

The workbooks are read with openpyxl; the CSV with the csv module, as scripts
and pandas read it. The columns of both come from one definition
(``reports/_csv.py``), which the reference page and the workbook's columns
sheet repeat; these tests pin the three together.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from benchmarkkit import load_dataset
from benchmarkkit._tables._xlsx import MAX_WIDTH, TooLongError
from benchmarkkit.reports._csv import (
    COMPARISON_COLUMNS,
    COMPARISON_TABLE,
    SCORECARD_COLUMNS,
    SCORECARD_TABLE,
    scorecard_to_csv,
)
from benchmarkkit.reports._xlsx import (
    CELL_LIMIT,
    columns_reference,
    scorecard_workbook,
)
from benchmarkkit.scoring import Scorecard, compare, score
from tests.conftest import EXAMPLE, ROOT
from tests.scoring_strategies import as_of_dates, scoring_datasets
from tests.strategies import texts

AS_OF = "2012-03-20"
SCORECARD_DOC = ROOT / "docs" / "reference" / "scorecard.md"


def _sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _row(rows: list[dict[str, Any]], subject: str, key: str, value: str) -> dict[str, Any]:
    found = [row for row in rows if row["subject"] == subject and row[key] == value]
    assert len(found) == 1, (subject, key, value)
    return found[0]


@pytest.fixture(scope="module")
def example_card() -> Scorecard:
    return score(load_dataset(EXAMPLE), as_of=AS_OF)


@pytest.fixture
def card_path(cli: Any, tmp_path: Path) -> Path:
    """The example's scorecard written by the command, as a user writes it."""
    path = tmp_path / "card.xlsx"
    result = cli("score", EXAMPLE, "--as-of", AS_OF, "--format", "xlsx", "-o", path)
    assert (result.status, result.out, result.err) == (0, "", "")
    return path


# -- what a person sees in the workbook ----------------------------------------------------


def test_the_workbook_has_the_scorecard_then_the_columns(card_path: Path) -> None:
    book = openpyxl.load_workbook(card_path)
    assert book.sheetnames == ["scorecard", "columns"]
    sheet = book["scorecard"]
    assert [cell.value for cell in sheet[1]] == [column.name for column in SCORECARD_TABLE]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    rows = _sheet_rows(sheet)
    assert [row["subject"] for row in rows][:2] == ["overall", "area"]
    overall = rows[0]
    assert overall["title"] == (
        "Kazakhstan 2012: human-rights benchmarks for the new EU-Kazakhstan PCA"
    )
    assert overall["score"] == pytest.approx(0.22111111111111112, abs=1e-15)
    assert sheet.cell(row=2, column=7).data_type == "n"  # a number cell, even with 17 digits
    assert overall["as_of"] == AS_OF  # text, never a date serial number


def test_a_benchmark_row_shows_its_score_status_and_explanation(
    card_path: Path, example_card: Scorecard
) -> None:
    rows = _sheet_rows(openpyxl.load_workbook(card_path)["scorecard"])
    row = _row(rows, "benchmark", "id", "bm-election-law")
    assert row["title"] == "Election and party legislation consistent with international standards"
    assert (row["score"], row["met"], row["provisional"]) == (0.33, False, False)
    assert (row["status"], row["rule"], row["area_id"]) == (
        "not-met",
        "status-mapping",
        "area-political-participation",
    )
    assert row["explanation"].splitlines() == [
        (
            "The latest assessment as of 2012-03-20 is as-election-law-2012-03-20 by benchmarkkit "
            "example editors, from the appeal, as of 2012-03-20."
        ),
        (
            "It states level 'not-met' (Not met) on the scale 'editors-status' (declared by the "
            "dataset), whose value is 0.33: the score is 0.33."
        ),
        "Met: no (score 0.33 is below the met threshold 1).",
    ]
    result = next(r for r in example_card.benchmarks if r.benchmark_id == "bm-election-law")
    assert tuple(row["explanation"].splitlines()) == result.explanation.steps


def test_an_area_row_explains_its_aggregate(card_path: Path) -> None:
    rows = _sheet_rows(openpyxl.load_workbook(card_path)["scorecard"])
    row = _row(rows, "area", "id", "area-zhanaozen")
    assert (
        row["title"] == "Investigation of the December 2011 tragic events in the city of Zhanaozen"
    )
    assert row["score"] == pytest.approx(0.44333333333333336, abs=1e-15)
    assert row["explanation"].splitlines() == [
        "Area area-zhanaozen: 3 of 5 benchmarks are assessable.",
        "Not assessable: bm-zhanaozen-fair-trials, bm-zhanaozen-independent-experts.",
        "2 of 5 items are not assessable and left out.",
        (
            "Weighted mean of 3 scores: (1 x 0.67 + 1 x 0.33 + 1 x 0.33) / (1 + 1 + 1) = 1.33 / 3 "
            "= 0.443."
        ),
    ]


def test_a_benchmark_that_is_not_assessable_has_an_empty_score_never_zero(
    card_path: Path,
) -> None:
    rows = _sheet_rows(openpyxl.load_workbook(card_path)["scorecard"])
    row = _row(rows, "benchmark", "id", "bm-zhanaozen-fair-trials")
    assert (row["score"], row["met"]) == (None, None)


def test_each_gate_is_followed_by_its_conditions_in_the_words_of_the_text_scorecard(
    cli: Any, card_path: Path
) -> None:
    rows = _sheet_rows(openpyxl.load_workbook(card_path)["scorecard"])
    gate = _row(rows, "gate", "id", "gate-pca-conditionality")
    assert gate["verdict"] == "fail"
    assert gate["explanation"].splitlines()[0] == (
        "Gate gate-pca-conditionality as of 2012-03-20: fail."
    )
    conditions = [row for row in rows if row["subject"] == "condition"]
    assert rows.index(conditions[0]) == rows.index(gate) + 1
    assert [row["condition"] for row in conditions[:3]] == ["1", "1.1", "1.1.1"]
    assert {row["gate_id"] for row in conditions} == {"gate-pca-conditionality"}
    condition = _row(rows, "condition", "condition", "1.1.1")
    assert (condition["id"], condition["verdict"], condition["score"], condition["threshold"]) == (
        "bm-election-law",
        "fail",
        0.33,
        1,
    )
    assert condition["explanation"] == "bm-election-law has Not met (0.33), needs Met (1)"
    table = cli("score", EXAMPLE, "--as-of", AS_OF, "--explain").out
    words = " ".join(table.split())  # the table wraps long lines
    assert f"{condition['title']}: {condition['explanation']}" in words


def test_long_text_wraps_within_the_widest_column(card_path: Path) -> None:
    sheet = openpyxl.load_workbook(card_path)["scorecard"]
    header = [cell.value for cell in sheet[1]]
    explanation = header.index("explanation") + 1
    letter = get_column_letter(explanation)
    assert MAX_WIDTH <= sheet.column_dimensions[letter].width <= MAX_WIDTH + 2
    assert sheet.cell(row=2, column=explanation).alignment.wrap_text
    assert sheet.column_dimensions["C"].width < MAX_WIDTH  # subject: as wide as its words


def test_formula_looking_text_is_a_string_cell_with_its_value(cli: Any, tmp_path: Path) -> None:
    dataset = tmp_path / "formulas.yaml"
    dataset.write_text(
        'schema_version: "1.1"\nid: d\ntitle: "=HYPERLINK(\\"http://x\\", \\"y\\")"\n'
        "areas: [{id: a, title: '+1+1'}]\n"
        "benchmarks:\n"
        "  - {id: b, title: '@SUM(A1:A2)', statement: S, area: a, type: outcome}\n"
        "  - {id: c, title: '-2+3', statement: S, area: a, type: outcome}\n",
        encoding="utf-8",
    )
    path = tmp_path / "card.xlsx"
    assert cli("score", dataset, "--as-of", "2024-01-01", "-o", path).status == 0
    sheet = openpyxl.load_workbook(path)["scorecard"]
    titles = [(cell.value, cell.data_type) for cell in sheet["E"][1:]]
    assert titles == [
        ('=HYPERLINK("http://x", "y")', "s"),
        ("+1+1", "s"),
        ("@SUM(A1:A2)", "s"),
        ("-2+3", "s"),
    ]
    with zipfile.ZipFile(path) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_an_explanation_longer_than_a_cell_is_cut_and_says_so(example_card: Scorecard) -> None:
    result = example_card.benchmarks[0]
    steps = ("x" * 40_000,)
    long = attrs.evolve(
        example_card,
        benchmarks=(
            attrs.evolve(result, explanation=attrs.evolve(result.explanation, steps=steps)),
        ),
    )
    book = openpyxl.load_workbook(io.BytesIO(scorecard_workbook(long)))
    row = _row(_sheet_rows(book["scorecard"]), "benchmark", "id", result.benchmark_id)
    assert CELL_LIMIT - 5 <= len(row["explanation"]) <= CELL_LIMIT
    cut = 40_000 - row["explanation"].index(" [...]")
    assert row["explanation"][: 40_000 - cut] == "x" * (40_000 - cut)
    assert row["explanation"].endswith(
        f" [...] (cut: {cut} more characters; benchmarkkit score --format json has it all)"
    )
    too_long = attrs.evolve(example_card, title="t" * 40_000)
    with pytest.raises(TooLongError, match="sheet scorecard, column title, row 2"):
        scorecard_workbook(too_long)


def test_a_comparison_has_its_changes_then_the_scorecard_of_each_date(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "change.xlsx"
    result = cli(
        "score", EXAMPLE, "--as-of", AS_OF, "--compare", "2011-06-01", "-f", "xlsx", "-o", path
    )
    assert (result.status, result.out) == (0, "")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["comparison", "before", "after", "columns"]
    changes = _sheet_rows(book["comparison"])
    assert [cell.value for cell in book["comparison"][1]] == list(COMPARISON_COLUMNS)
    comparison = compare(load_dataset(EXAMPLE), "2011-06-01", AS_OF)
    assert [row["summary"] for row in changes] == [
        change.summary
        for change in (
            comparison.overall,
            *comparison.areas,
            *comparison.benchmarks,
            *comparison.gates,
        )
    ]
    assert (changes[0]["before_date"], changes[0]["after_date"]) == ("2011-06-01", AS_OF)
    assert {row["as_of"] for row in _sheet_rows(book["before"])} == {"2011-06-01"}
    assert {row["as_of"] for row in _sheet_rows(book["after"])} == {AS_OF}
    described = {row["sheet"] for row in _sheet_rows(book["columns"])}
    assert described == {"comparison", "before, after"}


# -- one definition of the columns: the CSV, the workbook, the reference page ------------


def _documented_columns() -> list[tuple[str, ...]]:
    """The rows of the reference page's scorecard column table, as written there."""
    text = SCORECARD_DOC.read_text(encoding="utf-8")
    section = text.split("## Scorecard workbook and CSV columns", 1)[1]
    table = section.split("### The `scorecard` sheet and the scorecard CSV", 1)[1].split("###")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append((cells[0].strip("`"), *(cell.replace("\\|", "|") for cell in cells[1:])))
    return rows


def test_the_columns_sheet_says_what_the_reference_page_says(card_path: Path) -> None:
    described = _sheet_rows(openpyxl.load_workbook(card_path)["columns"])
    assert [row["sheet"] for row in described] == ["scorecard"] * len(SCORECARD_TABLE)
    from_sheet = [(row["column"], row["type"], row["in_csv"], row["meaning"]) for row in described]
    assert from_sheet == _documented_columns()
    assert columns_reference() in SCORECARD_DOC.read_text(encoding="utf-8")


def test_the_csv_has_exactly_the_columns_the_definition_gives_it(
    example_card: Scorecard,
) -> None:
    header = next(csv.reader(io.StringIO(scorecard_to_csv(example_card))))
    assert header == list(SCORECARD_COLUMNS)
    assert header == [name for name, _, in_csv, _ in _documented_columns() if in_csv == "yes"]
    assert SCORECARD_COLUMNS == (
        "dataset_id",
        "as_of",
        "subject",
        "id",
        "title",
        "area_id",
        "score",
        "met",
        "provisional",
        "status",
        "rule",
        "verdict",
    )  # what scripts already read: the workbook's own columns come after these
    assert [column.name for column in COMPARISON_TABLE] == list(COMPARISON_COLUMNS)


def _as_csv_text(value: Any, text: str) -> str:
    """A workbook cell as the CSV writes it; a number as the CSV's, to the 16 digits kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        assert float(value) == float(f"{float(text):.16G}")
        return text
    return str(value)


@settings(max_examples=min(40, settings().max_examples), deadline=None)
@given(scoring_datasets(), as_of_dates)
def test_the_workbook_rows_are_the_csv_rows_and_the_conditions(
    dataset: Any, as_of: dt.date
) -> None:
    card = score(dataset, as_of=as_of)
    from_csv = list(csv.DictReader(io.StringIO(scorecard_to_csv(card, formulas="keep"))))
    book = openpyxl.load_workbook(io.BytesIO(scorecard_workbook(card)))
    rows = _sheet_rows(book["scorecard"])
    kept = [row for row in rows if row["subject"] != "condition"]
    assert len(kept) == len(from_csv)
    for cells, line in zip(kept, from_csv, strict=True):
        assert {name: _as_csv_text(cells[name], line[name]) for name in SCORECARD_COLUMNS} == line
    conditions = [row["condition"] for row in rows if row["subject"] == "condition"]
    assert conditions.count("1") == len(card.gates)


# -- the CSV's guard against formulas, and --csv-formulas keep ------------------------------

_FORMULA_DATASET = (
    'schema_version: "1.1"\nid: d\ntitle: "=1+1"\n'
    "areas: [{id: a, title: '@cmd'}]\n"
    "benchmarks: [{id: b, title: '-2+3', statement: S, area: a, type: outcome}]\n"
)


@pytest.mark.parametrize(
    ("given_options", "titles"),
    [
        ((), ("'=1+1", "'@cmd", "'-2+3")),
        (("--csv-formulas", "guard"), ("'=1+1", "'@cmd", "'-2+3")),
        (("--csv-formulas", "keep"), ("=1+1", "@cmd", "-2+3")),
    ],
)
def test_the_csv_guards_formulas_unless_asked_to_keep_them(
    cli: Any, tmp_path: Path, given_options: tuple[str, ...], titles: tuple[str, ...]
) -> None:
    dataset = tmp_path / "d.yaml"
    dataset.write_text(_FORMULA_DATASET, encoding="utf-8")
    out = tmp_path / "card.csv"
    result = cli("score", dataset, "--as-of", "2024-01-01", "-f", "csv", "-o", out, *given_options)
    assert (result.status, result.out) == (0, "")
    overall, area, benchmark = titles
    assert (
        out.read_bytes()
        == (
            "dataset_id,as_of,subject,id,title,area_id,score,met,provisional,status,rule,verdict\n"
            f"d,2024-01-01,overall,,{overall},,,,,,,\n"
            f"d,2024-01-01,area,a,{area},a,,,,,,\n"
            f"d,2024-01-01,benchmark,b,{benchmark},a,,,false,,,\n"
        ).encode()
    )


_STARTS = ("=", "+", "-", "@", "\t", "\r")


@given(title=texts | st.sampled_from(_STARTS).flatmap(lambda first: texts.map(first.__add__)))
def test_csv_reader_reads_back_every_title_as_it_is_unless_guarded(
    example_card: Scorecard, title: str
) -> None:
    card = attrs.evolve(example_card, title=title)
    kept = list(csv.reader(io.StringIO(scorecard_to_csv(card, formulas="keep"), newline="")))
    guarded = list(csv.reader(io.StringIO(scorecard_to_csv(card), newline="")))
    assert kept[1][4] == title
    assert guarded[1][4] == ("'" + title if title.startswith(_STARTS) else title)
    assert len(kept) == len(guarded) == len(card.areas) + len(card.benchmarks) + 3  # 1 gate


def test_a_comparison_csv_keeps_formulas_when_asked(cli: Any, tmp_path: Path) -> None:
    dataset = tmp_path / "d.yaml"
    dataset.write_text(_FORMULA_DATASET, encoding="utf-8")
    given = ("score", dataset, "--as-of", "2024-01-01", "--compare", "2023-01-01", "-f", "csv")
    kept = cli(*given, "--csv-formulas", "keep")
    guarded = cli(*given)
    assert (kept.status, guarded.status) == (0, 0)
    line = "d,2023-01-01,2024-01-01,benchmark,b,{},,,,unchanged,,,,,"
    assert line.format("-2+3") in kept.out.splitlines()[-1]
    assert line.format("'-2+3") in guarded.out.splitlines()[-1]


# -- the command's refusals -----------------------------------------------------------------


@pytest.mark.parametrize("output", [(), ("-o", "-")])
def test_a_workbook_needs_an_output_file(cli: Any, output: tuple[str, ...]) -> None:
    result = cli("score", EXAMPLE, "--as-of", AS_OF, "--format", "xlsx", *output)
    assert (result.status, result.out, result.err) == (
        2,
        "",
        "benchmarkkit score: error: --format xlsx writes a file: give it with -o FILE\n",
    )


def test_an_output_ending_in_xlsx_is_a_workbook(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "Card.XLSX"
    assert cli("score", EXAMPLE, "--as-of", AS_OF, "-o", path).status == 0
    assert openpyxl.load_workbook(path).sheetnames == ["scorecard", "columns"]


def test_a_workbook_without_the_spreadsheets_extra_names_the_extra(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # as if it were not installed
    result = cli("score", EXAMPLE, "--as-of", AS_OF, "-f", "xlsx", "-o", tmp_path / "c.xlsx")
    assert (result.status, result.out, result.err) == (
        2,
        "",
        (
            "benchmarkkit score: error: benchmarkkit score --format xlsx needs the spreadsheets "
            "extra: pip install 'benchmarkkit[spreadsheets]'\n"
        ),
    )
    assert not (tmp_path / "c.xlsx").exists()


def test_csv_formulas_without_csv_is_refused(cli: Any) -> None:
    result = cli("score", EXAMPLE, "--as-of", AS_OF, "--csv-formulas", "keep")
    assert (result.status, result.out, result.err) == (
        2,
        "",
        (
            "benchmarkkit score: error: --csv-formulas only matters with --format csv (it says "
            "whether text a spreadsheet would run as a formula gets a ' first): add --format csv, "
            "or leave it out\n"
        ),
    )
