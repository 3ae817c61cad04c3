"""Problems located in the cells of a table file: sheet, row, header and cell, in every output.

A workbook or CSV file has no lines: a problem in one names its cell
(``evidence!C17``) and the column's header, or its sheet alone. Problems in
JSON and YAML files show exactly what they showed before.
"""

from __future__ import annotations

import io
import json
import random
import re
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._bundle import published_text
from benchmarkkit._cli._common import write_lines
from benchmarkkit._errors import DatasetError
from benchmarkkit._problems import Problem, Severity, ValidationReport, sort_problems
from benchmarkkit._schema import schema
from benchmarkkit.reports._validation import (
    github_annotation,
    plain_text,
    render_github,
    render_text,
    report_to_json,
)
from benchmarkkit.scoring._json import make_scorecard_converter
from tests.test_terminal_safety import HOSTILE, RAW, SGR, SHOWN

QUOTE_MESSAGE = "evidence 'ev-3': the quote is not in the archived text"
QUOTE_HINT = "Copy the quote from the archived text."


def in_cell(**changes: Any) -> Problem:
    """A quote problem at ``evidence!C17`` under the header ``quote``, as an import places it."""
    problem = Problem(
        code="quote-not-found",
        severity=Severity.ERROR,
        message=QUOTE_MESSAGE,
        file="book.xlsx",
        pointer="/evidence/2/quote",
        sheet="evidence",
        row=17,
        header="quote",
        cell="evidence!C17",
        hint=QUOTE_HINT,
    )
    return attrs.evolve(problem, **changes)


def on_sheet(**changes: Any) -> Problem:
    """A problem about the whole sheet ``actors``."""
    problem = Problem(
        code="unknown-column",
        severity=Severity.WARNING,
        message="the sheet has a column 'notes' that no field reads",
        file="book.xlsx",
        sheet="actors",
        hint="Rename the column or remove it.",
    )
    return attrs.evolve(problem, **changes)


def in_yaml(**changes: Any) -> Problem:
    """A problem in a YAML file, with a line and column: what every problem was before."""
    problem = Problem(
        code="unknown-reference",
        severity=Severity.ERROR,
        message="evidence 'ev-2': 'benchmarks' refers to benchmark 'bm-99', which the dataset "
        "does not define",
        file="data/evidence.yaml",
        pointer="/evidence/1/benchmarks/0",
        line=14,
        column=18,
        hint="Correct the id, or add the record it should refer to.",
    )
    return attrs.evolve(problem, **changes)


def _text(*problems: Problem) -> str:
    return plain_text(render_text([ValidationReport(path="book.xlsx", problems=problems)]))


# -- the value: backward compatible ---------------------------------------------------------


def test_the_four_fields_follow_column_and_default_to_none() -> None:
    names = [field.name for field in attrs.fields(Problem)]
    assert names[names.index("column") + 1 : names.index("column") + 5] == [
        "sheet",
        "row",
        "header",
        "cell",
    ]
    problem = Problem(code="c", severity=Severity.ERROR, message="m")
    assert (problem.sheet, problem.row, problem.header, problem.cell) == (None, None, None, None)


def test_a_problem_made_as_before_is_equal_and_hashes_the_same() -> None:
    before = Problem(code="c", severity=Severity.ERROR, message="m", file="f.yaml", line=3)
    again = Problem(code="c", severity=Severity.ERROR, message="m", file="f.yaml", line=3)
    assert before == again
    assert hash(before) == hash(again)
    # The place in a table is part of what a problem is: two cells are two problems.
    assert in_cell() != in_cell(cell="evidence!C18", row=18)
    assert len({in_cell(), in_cell(), in_cell(cell="evidence!D17")}) == 2


def test_create_takes_the_place_in_a_table() -> None:
    problem = Problem.create(
        "quote-not-found", QUOTE_MESSAGE, file="book.xlsx", sheet="evidence", row=17,
        header="quote", cell="evidence!C17",
    )  # fmt: skip
    assert (problem.severity, problem.cell, problem.header) == (
        Severity.ERROR,
        "evidence!C17",
        "quote",
    )


def test_to_json_keeps_every_key_and_adds_the_four_after_column() -> None:
    assert list(in_yaml().to_json()) == [
        "code", "severity", "message", "file", "pointer", "line", "column",
        "sheet", "row", "header", "cell", "hint", "plugin",
    ]  # fmt: skip
    data = in_cell().to_json()
    assert {key: data[key] for key in ("sheet", "row", "header", "cell", "line")} == {
        "sheet": "evidence",
        "row": 17,
        "header": "quote",
        "cell": "evidence!C17",
        "line": None,
    }


# -- where: location and __str__ ------------------------------------------------------------


def test_location_is_the_cell_and_its_header() -> None:
    assert in_cell().location == "book.xlsx:evidence!C17 (quote)"
    assert in_cell(header=None).location == "book.xlsx:evidence!C17"
    assert in_cell(cell="'my sheet'!AA3", sheet="my sheet").location == (
        "book.xlsx:'my sheet'!AA3 (quote)"
    )


def test_location_is_the_sheet_when_no_cell_is_known() -> None:
    assert on_sheet().location == "book.xlsx:actors"
    assert on_sheet(file=None).location == "<dataset>:actors"


def test_location_without_a_place_in_a_table_is_unchanged() -> None:
    # Pinned: exactly what every problem showed before.
    assert in_yaml().location == "data/evidence.yaml:14:18"
    assert in_yaml(column=None).location == "data/evidence.yaml:14"
    assert in_yaml(line=None, column=None).location == "data/evidence.yaml"
    assert in_yaml(file=None, line=None, column=None).location == "<dataset>"


def test_str_names_the_cell() -> None:
    assert str(in_cell()) == f"book.xlsx:evidence!C17 (quote): quote-not-found {QUOTE_MESSAGE}"
    assert str(on_sheet()) == (
        "book.xlsx:actors: unknown-column the sheet has a column 'notes' that no field reads"
    )
    assert str(in_yaml()) == (
        "data/evidence.yaml:14:18: unknown-reference evidence 'ev-2': 'benchmarks' refers to "
        "benchmark 'bm-99', which the dataset does not define"
    )


def test_a_dataset_error_lists_the_cells() -> None:
    error = DatasetError(ValidationReport(path="book.xlsx", problems=(in_cell(), on_sheet())))
    assert str(error).splitlines() == [
        "book.xlsx: 1 problem of error severity",
        f"  book.xlsx:evidence!C17 (quote): quote-not-found {QUOTE_MESSAGE}",
    ]


# -- text -----------------------------------------------------------------------------------


def test_text_shows_the_cell_and_its_header_and_no_pointer() -> None:
    assert _text(in_cell()).splitlines() == [
        f"book.xlsx:evidence!C17 (quote): quote-not-found {QUOTE_MESSAGE}",
        f"    hint: {QUOTE_HINT}",
        "book.xlsx: invalid: 1 error, 0 warnings",
    ]


def test_text_shows_the_sheet_of_a_problem_about_a_whole_sheet() -> None:
    assert _text(on_sheet()).splitlines() == [
        (
            "book.xlsx:actors: unknown-column the sheet has a column 'notes' that no field reads"
            " (warning)"
        ),
        "    hint: Rename the column or remove it.",
        "book.xlsx: valid, with 0 errors, 1 warning",
    ]


def test_text_of_problems_without_a_place_in_a_table_is_unchanged() -> None:
    # Pinned: the exact lines of before, with a line and without (then the pointer follows).
    without_line = in_yaml(line=None, column=None, code="missing-field", message="m", hint=None)
    assert _text(in_yaml(), without_line).splitlines() == [
        (
            "data/evidence.yaml:14:18: unknown-reference evidence 'ev-2': 'benchmarks' refers to "
            "benchmark 'bm-99', which the dataset does not define"
        ),
        "    hint: Correct the id, or add the record it should refer to.",
        "data/evidence.yaml: missing-field m (at /evidence/1/benchmarks/0)",
        "book.xlsx: invalid: 2 errors, 0 warnings",
    ]


def test_text_lists_the_other_cells_of_the_same_problem() -> None:
    other = in_cell(
        message="evidence 'ev-4': the quote is not in the archived text",
        pointer="/evidence/3/quote",
        row=18,
        cell="evidence!C18",
    )
    assert _text(in_cell(), other).splitlines()[2:4] == [
        "    the same problem at 1 more place:",
        "      book.xlsx:evidence!C18 (quote) (evidence 'ev-4')",
    ]


# -- GitHub annotations ---------------------------------------------------------------------


def test_github_names_the_workbook_without_a_line_and_starts_with_the_cell() -> None:
    assert github_annotation(in_cell()) == (
        "::error file=book.xlsx,title=quote-not-found::evidence!C17 (quote): "
        f"{QUOTE_MESSAGE}%0AFix: {QUOTE_HINT}"
    )
    assert github_annotation(in_cell(header=None, hint=None)) == (
        f"::error file=book.xlsx,title=quote-not-found::evidence!C17: {QUOTE_MESSAGE}"
    )


def test_github_starts_with_the_sheet_of_a_problem_about_a_whole_sheet() -> None:
    assert github_annotation(on_sheet(hint=None)) == (
        "::warning file=book.xlsx,title=unknown-column::actors: the sheet has a column 'notes' "
        "that no field reads"
    )


def test_github_without_a_place_in_a_table_is_unchanged() -> None:
    # Pinned: the exact lines of before.
    assert github_annotation(in_yaml()) == (
        "::error file=data/evidence.yaml,line=14,col=18,title=unknown-reference::evidence "
        "'ev-2': 'benchmarks' refers to benchmark 'bm-99', which the dataset does not define"
        "%0AFix: Correct the id, or add the record it should refer to."
    )
    assert github_annotation(in_yaml(line=None, column=None, hint=None)) == (
        "::error file=data/evidence.yaml,title=unknown-reference::evidence 'ev-2': 'benchmarks' "
        "refers to benchmark 'bm-99', which the dataset does not define "
        "(at /evidence/1/benchmarks/0)"
    )


# -- JSON -----------------------------------------------------------------------------------

REPORT_VALIDATOR = jsonschema.Draft202012Validator(schema("validation-report"))
#: What a consumer written for report format 1.0 checks against.
REPORT_1_0 = jsonschema.Draft202012Validator(json.loads(published_text("validation-report", "1.0")))


def _report(*problems: Problem) -> dict[str, Any]:
    document = report_to_json([ValidationReport(path="book.xlsx", problems=problems)])
    errors = [error.message for error in REPORT_VALIDATOR.iter_errors(document)]
    assert errors == []
    return document


def test_json_gives_the_four_keys_of_a_cell() -> None:
    [problem] = _report(in_cell())["datasets"][0]["problems"]
    assert {key: problem[key] for key in ("file", "line", "sheet", "row", "header", "cell")} == {
        "file": "book.xlsx",
        "line": None,
        "sheet": "evidence",
        "row": 17,
        "header": "quote",
        "cell": "evidence!C17",
    }


def test_json_gives_the_sheet_alone_and_null_for_the_rest() -> None:
    [problem] = _report(on_sheet())["datasets"][0]["problems"]
    assert [problem[key] for key in ("sheet", "row", "header", "cell")] == [
        "actors",
        None,
        None,
        None,
    ]


def test_json_of_a_problem_without_a_place_in_a_table_has_the_four_keys_null() -> None:
    document = _report(in_yaml())
    assert document["report_format_version"] == "1.1"
    [problem] = document["datasets"][0]["problems"]
    assert [problem[key] for key in ("sheet", "row", "header", "cell")] == [None] * 4
    assert (problem["line"], problem["column"], problem["pointer"]) == (
        14,
        18,
        "/evidence/1/benchmarks/0",
    )


def test_json_is_a_backward_compatible_addition_to_format_1_0() -> None:
    # A 1.1 report without the four keys is a 1.0 report: nothing else changed.
    document = _report(in_cell(), on_sheet(), in_yaml())
    assert list(REPORT_1_0.iter_errors(document)) != []  # 1.0's closed objects refuse the keys
    document["report_format_version"] = "1.0"
    for problem in document["datasets"][0]["problems"]:
        for key in ("sheet", "row", "header", "cell"):
            del problem[key]
    assert [error.message for error in REPORT_1_0.iter_errors(document)] == []


def test_a_scorecard_keeps_its_problems_as_they_were() -> None:
    # Problems while scoring are never in a cell; the scorecard format does not change.
    problem = Problem.create("rule-failed", "the rule raised", plugin="mine")
    assert list(make_scorecard_converter().unstructure(problem)) == [
        "code", "severity", "message", "file", "pointer", "line", "column", "hint", "plugin",
    ]  # fmt: skip


# -- order ----------------------------------------------------------------------------------


def _letters(number: int) -> str:
    """A column's letters, the test's own way: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def test_cells_sort_by_sheet_then_row_then_column_as_numbers() -> None:
    def at(sheet: str, row: int, column: int) -> Problem:
        return in_cell(sheet=sheet, row=row, cell=f"{sheet}!{_letters(column)}{row}")

    # Text order would put AA before C and row 10 before row 9.
    shuffled = [at("evidence", 10, 1), at("evidence", 9, 27), at("actors", 30, 2),
                at("evidence", 9, 3), at("evidence", 9, 27)]  # fmt: skip
    assert [p.cell for p in sort_problems(shuffled)] == [
        "actors!B30",
        "evidence!C9",
        "evidence!AA9",
        "evidence!A10",
    ]


def test_in_a_workbook_the_whole_book_then_each_sheet_then_its_cells() -> None:
    whole_book = Problem.create("table-not-readable", "m", file="book.xlsx")
    other_file = in_yaml()
    problems = [in_cell(), on_sheet(sheet="evidence"), other_file, whole_book, on_sheet()]
    assert [p.location for p in sort_problems(problems)] == [
        "book.xlsx",
        "book.xlsx:actors",
        "book.xlsx:evidence",
        "book.xlsx:evidence!C17 (quote)",
        "data/evidence.yaml:14:18",
    ]


def test_the_same_cell_sorts_by_pointer_severity_and_code() -> None:
    warning = in_cell(severity=Severity.WARNING, code="a-warning")
    later_code = in_cell(code="z-code")
    deeper = in_cell(pointer="/evidence/2/quote/x")
    assert sort_problems([deeper, warning, later_code, in_cell()]) == (
        in_cell(),
        later_code,
        warning,
        deeper,
    )


def _key_of_before(problem: Problem) -> tuple[str, int, int, str, int, str, str, str]:
    """The order problems had before they could be in a cell: file, line, column, pointer...

    ...severity and code, then, for two problems alike in all of these, their message
    and hint, so that the order never depends on the order found.
    """
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return (problem.file or "", problem.line or 0, problem.column or 0, problem.pointer,
            rank[problem.severity], problem.code, problem.message,
            problem.hint or "")  # fmt: skip


LINES = st.none() | st.integers(min_value=1, max_value=5)
PROBLEMS_WITHOUT_CELLS = st.builds(
    Problem,
    code=st.sampled_from(["a", "b", "missing-field"]),
    severity=st.sampled_from(Severity),
    message=st.sampled_from(["m", "n"]),
    file=st.none() | st.sampled_from(["a.yaml", "b.json", "book.xlsx"]),
    pointer=st.sampled_from(["", "/a", "/a/0", "/b"]),
    line=LINES,
    column=LINES,
)


@given(st.lists(PROBLEMS_WITHOUT_CELLS, max_size=12))
def test_problems_without_cells_keep_the_order_they_had(problems: list[Problem]) -> None:
    assert sort_problems(problems) == tuple(sorted(dict.fromkeys(problems), key=_key_of_before))


SHEETS = st.sampled_from(["actors", "evidence", "my sheet", "évidence"])


@st.composite
def problems_in_cells(draw: st.DrawFn) -> Problem:
    sheet = draw(SHEETS)
    if draw(st.booleans()):  # a problem about the whole sheet
        return on_sheet(sheet=sheet, code=draw(st.sampled_from(["a", "b"])))
    row = draw(st.integers(min_value=1, max_value=1_048_576))
    column = draw(st.integers(min_value=1, max_value=16_384))
    quoted = sheet if sheet.isidentifier() else f"'{sheet}'"
    return in_cell(sheet=sheet, row=row, cell=f"{quoted}!{_letters(column)}{row}")


@given(st.lists(problems_in_cells() | PROBLEMS_WITHOUT_CELLS, max_size=12), st.randoms())
def test_the_order_does_not_depend_on_the_order_found(
    problems: list[Problem], shuffler: random.Random
) -> None:
    ordered = sort_problems(problems)
    shuffler.shuffle(problems)
    assert sort_problems(problems) == ordered
    in_book = [p for p in ordered if p.sheet is not None]
    assert [(p.sheet, p.row or 0) for p in in_book] == sorted(
        (p.sheet, p.row or 0) for p in in_book
    )


@given(st.lists(problems_in_cells(), min_size=1, max_size=8))
def test_every_report_with_cells_matches_the_report_schema(problems: list[Problem]) -> None:
    listed = _report(*sort_problems(problems))["datasets"][0]["problems"]
    assert [p["cell"] for p in listed] == [p.cell for p in sort_problems(problems)]


# -- terminal safety ------------------------------------------------------------------------

#: A sheet name and a header that try to end the line and drive the terminal.
HOSTILE_SHEET = f"ev\n::error::injected{HOSTILE}"
HOSTILE_HEADER = f"quote\r\n{HOSTILE}"


def hostile_cell() -> Problem:
    return in_cell(
        sheet=HOSTILE_SHEET, header=HOSTILE_HEADER, cell=f"'{HOSTILE_SHEET}'!C17", hint=None
    )


def test_text_shows_a_hostile_sheet_name_and_header_escaped_on_one_line() -> None:
    lines = render_text([ValidationReport(path="book.xlsx", problems=(hostile_cell(),))])
    first = plain_text(lines).splitlines()[0]
    assert first == (
        f"book.xlsx:'ev\\n::error::injected{SHOWN}'!C17 (quote\\x0d\\n{SHOWN}): quote-not-found "
        f"{QUOTE_MESSAGE}"
    )
    shown = io.StringIO()
    write_lines(shown, lines, colour=True)  # the command's writer, colours on
    assert RAW.findall(SGR.sub("", shown.getvalue())) == []
    assert len(shown.getvalue().splitlines()) == 2  # the problem, the verdict


def test_text_shows_a_hostile_sheet_of_a_whole_sheet_problem_escaped() -> None:
    text = _text(on_sheet(sheet=HOSTILE_SHEET, hint=None))
    assert text.splitlines()[0].startswith(f"book.xlsx:ev\\n::error::injected{SHOWN}: ")
    assert RAW.findall(text) == []


@pytest.mark.parametrize("problem", [hostile_cell(), on_sheet(sheet=HOSTILE_SHEET)])
def test_a_hostile_sheet_name_stays_inside_one_annotation(problem: Problem) -> None:
    text = render_github([ValidationReport(path="book.xlsx", problems=(problem,))])
    annotation, summary = text.splitlines()
    assert summary.startswith("benchmarkkit: ")
    assert RAW.findall(annotation) == []
    match = re.fullmatch(
        r"::(error|warning) file=book\.xlsx,title=[a-z-]+::(?P<message>.*)", annotation
    )
    assert match is not None, annotation
    # Line breaks as the runner's escapes, every other control shown: the place reads back.
    message = match.group("message").replace("%0A", "\n").replace("%0D", "\r")
    message = message.replace("%25", "%")
    shown_place = (problem.place or "").replace(HOSTILE, SHOWN)
    assert message.startswith(f"{shown_place}: ")
