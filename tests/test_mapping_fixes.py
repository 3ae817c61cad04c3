"""Mapped imports, as the review found them wrong: disagreeing rows, row order, patterns, cells."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarkkit._mapping import MappedImport, import_table
from benchmarkkit._mapping._patterns import pattern_risk
from benchmarkkit._save import save_dataset
from tests.test_mapping import MAPPING, ROW, _errors, _row, _run

EXAMPLE = Path(__file__).parent.parent / "examples" / "upr-info"
#: The example's joint recommendation made by Libya and Swaziland: rows 3 and 4 of its table.
JOINT = 'Kazakhstan,APG,"OIC,OSCE,CIS,SCO",Continue its efforts to strengthen interethnic'


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("mapping.yaml", "upr-sessions.yaml", "upr-reports.yaml"):
        shutil.copy(EXAMPLE / name, name)


def _example_lines() -> list[str]:
    return (EXAMPLE / "recommendations.csv").read_text(encoding="utf-8-sig").splitlines()


def _import_example(lines: list[str], **options: Any) -> MappedImport:
    Path("upr.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_table("upr.csv", "mapping.yaml", **options)


# -- 1. rows of one record that disagree in a list of nested records -----------------------


def test_rows_of_one_record_giving_different_responses_are_an_error_at_the_later_row() -> None:
    lines = _example_lines()
    assert [n for n, line in enumerate(lines, start=1) if line.startswith(JOINT)] == [3, 4]
    assert ",Accepted,1," in lines[3]
    lines[3] = lines[3].replace(",Accepted,1,", ",Noted,2,")
    result = _import_example(lines)
    assert result.dataset is None
    record = next(r for r in result.document["recommendations"] if "interethnic" in r["text"])  # type: ignore[index]
    disagree = (
        f"rows-disagree this row makes the same recommendation {record['id']!r} as row 3 "
        "(upr!{cell}3), but gives its {what} where row 3 gives {was}; rows that make one "
        "record must agree: correct one of them, or add the column that tells them apart to "
        "the id's `from` columns"
    )
    assert _errors(result) == [
        "upr.csv:upr!I4 (Action): "
        + disagree.format(cell="I", what="classifications[0].value as '2'", was="'1'"),
        "upr.csv:upr!H4 (Response): "
        + disagree.format(cell="H", what="responses[0].position as 'noted'", was="'supported'"),
    ]
    # Nothing contradictory was made: one response and one action, the first row's.
    assert record["responses"] == [{"by": "kz", "position": "supported"}]
    assert [c["value"] for c in record["classifications"]] == ["1"]


def test_rows_of_one_record_still_collect_plain_list_items_in_table_order() -> None:
    result = _run([ROW, _row(From="Germany", Issue="Torture, Women's rights")])
    assert _errors(result) == []
    (record,) = result.document["recommendations"]  # type: ignore[index]
    assert (record["by"], record["themes"]) == (
        ["france", "germany"],
        ["Women's rights", "Torture"],
    )
    assert [r["position"] for r in record["responses"]] == ["supported"]
    assert result.cells["/recommendations/0/themes/1"].name == "upr!F3"


def test_a_later_row_without_the_nested_record_leaves_the_first_rows() -> None:
    # A row that makes no classification says nothing of it, as an empty cell says nothing
    # of a single value: not a disagreement.
    result = _run([ROW, _row(From="Germany", Action="")])
    assert _errors(result) == []
    (record,) = result.document["recommendations"]  # type: ignore[index]
    assert record["classifications"] == [{"scheme": "upr-info-action", "value": "4"}]


# -- 2. a re-import with the rows in another order ------------------------------------------


def test_the_same_table_in_another_order_imported_into_its_result_changes_nothing(
    tmp_path: Path,
) -> None:
    first = import_table(EXAMPLE / "recommendations.csv", "mapping.yaml")
    assert first.dataset is not None
    save_dataset(first.dataset, tmp_path / "first", layout="folder")
    with (EXAMPLE / "recommendations.csv").open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    with Path("upr.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *reversed(rows)])
    again = import_table("upr.csv", "mapping.yaml", into=tmp_path / "first")
    assert [p for p in again.problems if p.severity == "error"] == []
    assert (again.summary.added, again.summary.updated) == (0, 0)
    # Every record the first import added, but the actors it made, which are now matched:
    assert again.summary.unchanged == first.summary.added - first.summary.actors_created
    assert again.dataset == first.dataset  # the dataset's order of `by` is kept


def test_a_real_difference_in_a_collected_list_is_still_a_conflict(tmp_path: Path) -> None:
    rows = [ROW, _row(From="Germany")]
    first = _run(rows)
    assert first.dataset is not None
    save_dataset(first.dataset, tmp_path / "first", layout="folder")
    again = _run([_row(From="Brazil"), ROW], into=tmp_path / "first")
    record = first.document["recommendations"][0]["id"]  # type: ignore[index]
    assert _errors(again) == [
        (
            f"upr.csv:upr!C2 (From): import-conflict the recommendation {record!r} is in "
            f"{tmp_path / 'first'}, where its by lists 'france', 'germany'; the table gives "
            "'brazil', 'france'"
        )
    ]


# -- 3. patterns that could run for hours ---------------------------------------------------


@pytest.mark.parametrize("pattern", ["^(a+)+$", "(a|a)*", "(.*)*", "(a*)*b"])
def test_a_pattern_that_could_run_for_hours_is_refused_before_any_row_is_read(
    pattern: str,
) -> None:
    mapping = MAPPING.replace(
        "records:", f"keep: [{{column: Text, matches: '{pattern}'}}]\nrecords:"
    )
    started = time.perf_counter()
    result = _run([_row(Text="a" * 40 + "!")], mapping=mapping)
    assert time.perf_counter() - started < 5
    assert result.dataset is None
    assert result.summary.rows_read == 0
    (problem,) = [p for p in result.problems if p.severity == "error"]
    assert (problem.code, problem.severity) == ("mapping-invalid-pattern", "error")
    assert problem.message.startswith(
        f"the pattern {pattern!r} could make the import run for hours"
    )
    assert problem.message.endswith(
        "Python's regular expressions cannot be stopped once started, so such patterns are "
        "refused: write it without the nesting (a+ for (a+)+, a* for (a|a)*)"
    )
    # Located in the mapping file, at the pattern's line, as every mistake in a mapping is.
    assert problem.file is not None
    assert problem.file.endswith(".yaml")
    assert (
        problem.line
        == mapping.split("\n").index(
            next(line for line in mapping.split("\n") if line.startswith("keep:"))
        )
        + 1
    )


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("^(a+)+$", "a repeated part holds a part repeated without bound, as (a+)+ or (.*)*"),
        ("(.*)*", "a repeated part holds a part repeated without bound, as (a+)+ or (.*)*"),
        ("(a*)*b", "a repeated part holds a part repeated without bound, as (a+)+ or (.*)*"),
        (r"(\w+\s?)+$", "a repeated part holds a part repeated without bound, as (a+)+ or (.*)*"),
        ("(a|a)*", "a repeated part holds alternatives that can begin alike, as (a|ab)*"),
        ("(a|ab)+", "a repeated part holds alternatives that can begin alike, as (a|ab)*"),
        ("(x|.)*", "a repeated part holds alternatives that can begin alike, as (a|ab)*"),
        ("^Kaz", None),
        ("(Accepted|Noted)", None),
        (r"\d{4}", None),
        ("(Accepted|Noted)+", None),
        ("(ab|cd)*", None),
        ("[a-z]+ [A-Z]*", None),
        ("(a{1,3}){2}", None),
        ("(", None),  # not a pattern at all: compiling it says what is wrong
    ],
)
def test_which_patterns_are_refused(pattern: str, why: str | None) -> None:
    assert pattern_risk(pattern) == why


def test_an_ordinary_pattern_keeps_the_rows_it_matches() -> None:
    mapping = MAPPING.replace(
        "records:", "keep: [{column: Response, matches: '^(Accepted|Noted)$'}]\nrecords:"
    )
    result = _run([ROW, _row(Text="Two", Response="Noted"), _row(Text="x")], mapping=mapping)
    assert _errors(result) == []
    assert result.summary.rows_kept == 3
    result = _run([ROW, _row(Text="Two", To="France")], mapping=mapping.replace("Response", "To"))
    assert (result.summary.rows_read, result.summary.rows_kept) == (2, 0)


# -- 4. a missing field is at the cell the mapping reads it from --------------------------


EVIDENCE = """\
mapping_version: "1.0"
dataset: {id: t, title: T}
add:
  sources: [{id: s1, title: S1, kind: report}]
records:
  - collection: evidence
    id: {column: id}
    fields:
      summary: {column: summary}
      source: {value: s1}
      date: {column: date}
      direction: {value: progress}
      benchmarks: {value: [b1]}
"""


def test_a_missing_field_is_at_the_cell_of_its_column() -> None:
    with Path("t.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(
            [["id", "summary", "date"], ["e1", "Done", "2020"], ["e2", "", "2021"]]
        )
    Path("m.yaml").write_text(EVIDENCE, encoding="utf-8")
    result = import_table("t.csv", "m.yaml")
    missing = [p for p in result.problems if p.code == "missing-field"]
    assert [(p.location, p.pointer) for p in missing] == [
        ("t.csv:t!B3 (summary)", "/evidence/1/summary")
    ]
    assert "the required field 'summary' is missing" in missing[0].message


def test_a_missing_field_of_a_nested_record_is_at_its_own_column() -> None:
    mapping = MAPPING.replace("Noted: noted}", "Noted: noted}, unmapped: empty")
    result = _run([ROW, _row(Text="Second", Response="Accepted in part")], mapping=mapping)
    assert [(p.location, p.pointer) for p in result.problems if p.code == "missing-field"] == [
        ("upr.csv:upr!D3 (Response)", "/recommendations/1/responses/0/position")
    ]


def test_a_real_date_cell_is_read_as_its_day_and_said_as_in_our_own_layout() -> None:
    import datetime

    import xlsxwriter

    book = xlsxwriter.Workbook("t.xlsx")
    sheet = book.add_worksheet("t")
    sheet.write_row(0, 0, ["id", "summary", "date"])
    sheet.write_row(1, 0, ["e1", "Done"])
    # A month typed in a spreadsheet: a real date, shown "Mar-12", holding 2012-03-01.
    sheet.write_datetime(
        1, 2, datetime.datetime(2012, 3, 1), book.add_format({"num_format": "mmm-yy"})
    )
    sheet.write_row(2, 0, ["e2", "Done", "2013"])
    book.close()
    Path("m.yaml").write_text(EVIDENCE.replace("benchmarks: {value: [b1]}", ""), "utf-8")
    result = import_table("t.xlsx", "m.yaml")
    notes = [p for p in result.problems if p.code == "date-cell-read"]
    assert [(p.location, p.severity) for p in notes] == [("t.xlsx:t!C2 (date)", "info")]
    assert "read as the day it holds" in notes[0].message
    assert "2012-03" in notes[0].message
    assert result.document is not None
    assert [e["date"] for e in result.document["evidence"]] == ["2012-03-01", "2013"]
