"""Validation finds every problem, in one run, and says where each one is."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest
import yaml

from benchmarkkit import (
    CODES,
    Dataset,
    DatasetError,
    Problem,
    Severity,
    ValidationReport,
    load_dataset,
    validate,
    validate_data,
)
from tests.conftest import FIXTURES

INVALID = FIXTURES / "invalid"
EXPECTED: dict[str, list[str]] = yaml.safe_load((INVALID / "EXPECTED.yaml").read_text())


@pytest.mark.parametrize("name", ["minimal.yaml", "folder"])
def test_valid_fixtures_have_no_problem(name: str) -> None:
    report = validate(FIXTURES / "valid" / name)
    assert [str(p) for p in report.problems] == []
    assert report.valid
    assert isinstance(report.dataset, Dataset)


def test_every_invalid_fixture_is_listed_with_its_codes() -> None:
    on_disk = {path.name for path in INVALID.iterdir() if path.name != "EXPECTED.yaml"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize(("name", "codes"), sorted(EXPECTED.items()))
def test_invalid_fixture_yields_exactly_its_codes(name: str, codes: list[str]) -> None:
    report = validate(INVALID / name)
    assert sorted(p.code for p in report.problems) == sorted(codes)
    assert not report.valid or all(CODES[c].severity != "error" for c in codes)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_has_a_known_code_a_file_and_a_position(name: str) -> None:
    report = validate(INVALID / name)
    for problem in report.problems:
        assert problem.code in CODES
        assert problem.file is not None
        assert problem.message
        assert problem.hint
        assert problem.line is not None, str(problem)
        assert problem.column is not None, str(problem)


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        "dataset.yaml",
        """
        schema_version: "1.0"
        id: broken
        title: Several kinds of problem
        """,
    )
    _write(
        tmp_path,
        "records.json",
        """
        {
          "sources": [
            {"id": "s", "title": "S", "kind": "report", "archive": "text.txt"}
          ],
          "areas": [{"id": "a", "title": "A"}],
          "benchmarks": [
            {"id": "b", "title": "B", "statement": "S", "area": "a", "type": "outcome"},
            {"id": "b2", "title": "B2", "area": "a", "type": "outcome", "colour": "red"}
          ]
        }
        """,
    )
    _write(
        tmp_path,
        "evidence/2012.yaml",
        """
        evidence:
          - id: e1
            source: s
            date: "2012-03-20"
            benchmarks: [b, b9]
            direction: progress
            summary: S
            quote: words that are not there
          - id: e2
            source: s
            date: March 2012
            benchmarks: [b]
            direction: progress
            summary: S
        """,
    )
    _write(tmp_path, "text.txt", "Some archived words.\n")
    return tmp_path


def test_a_dataset_with_several_kinds_of_problem_yields_all_of_them_located(
    broken_folder: Path,
) -> None:
    report = validate(broken_folder)
    found = [
        (Path(p.file or "").name, p.pointer, p.line, p.column, p.code) for p in report.problems
    ]
    assert found == [
        ("2012.yaml", "/evidence/0/benchmarks/1", 5, 21, "unknown-reference"),
        ("2012.yaml", "/evidence/0/quote", 8, 5, "quote-not-found"),
        ("2012.yaml", "/evidence/1/date", 11, 5, "invalid-format"),
        ("records.json", "/benchmarks/1/statement", 8, 5, "missing-field"),
        ("records.json", "/benchmarks/1/colour", 8, 65, "unknown-field"),
    ]
    messages = {p.code: p.message for p in report.problems}
    assert messages["missing-field"].startswith(
        "benchmark 'b2': the required field 'statement' is missing"
    )
    assert "did you mean" not in messages["unknown-field"]
    assert "'date' must be a date written YYYY, YYYY-MM or YYYY-MM-DD" in messages["invalid-format"]
    assert "found 'March 2012'" in messages["invalid-format"]


def test_unknown_field_suggests_the_field_meant(tmp_path: Path) -> None:
    _write(tmp_path, "d.yaml", 'schema_version: "1.0"\nid: d\ntitle: T\nsubjcet: Kazakhstan\n')
    [problem] = validate(tmp_path / "d.yaml").problems
    assert problem.code == "unknown-field"
    assert "(did you mean 'subject'?)" in problem.message
    assert (problem.line, problem.column, problem.pointer) == (4, 1, "/subjcet")


def test_conditional_requirement_is_explained(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "d.yaml",
        """
        schema_version: "1.0"
        id: d
        title: T
        indicators:
          - {id: i, benchmark: b, title: Groups closed, kind: numeric, direction: lower-is-better}
        """,
    )
    messages = [p.message for p in validate(tmp_path / "d.yaml", checks=()).problems]
    expected = (
        "indicator 'i': the required field 'unit' is missing (needed when kind is 'numeric'); "
        'it holds the unit of a numeric indicator, such as "persons" or "%"'
    )
    assert messages == [expected]


def test_missing_path_and_folder_without_manifest_are_problems_not_exceptions(
    tmp_path: Path,
) -> None:
    missing = validate(tmp_path / "nope.yaml")
    assert [p.code for p in missing.problems] == ["path-not-found"]
    (tmp_path / "notes.txt").write_text("hello")
    empty = validate(tmp_path)
    assert [p.code for p in empty.problems] == ["not-a-dataset"]
    assert not empty.valid


def test_load_dataset_raises_one_error_carrying_every_problem(broken_folder: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(broken_folder)
    error = caught.value
    assert isinstance(error, ValueError)
    assert len(error.problems) == 5
    assert str(error).splitlines()[0].endswith("5 problems of error severity")
    clone = pickle.loads(pickle.dumps(error))
    assert clone.report == error.report
    assert "DatasetError" in repr(error)


def test_warnings_do_not_block_loading_unless_strict(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "d.yaml",
        """
        schema_version: "1.0"
        id: d
        title: T
        sources: [{id: s, title: S, kind: report}]
        areas: [{id: a, title: A}]
        benchmarks: [{id: b, title: B, statement: S, area: a, type: outcome}]
        evidence:
          - {id: e, source: s, date: "2012", benchmarks: [b], direction: mixed, summary: S,
             quote: Q}
        """,
    )
    assert load_dataset(tmp_path / "d.yaml").evidence[0].quote == "Q"
    with pytest.raises(DatasetError) as caught:
        load_dataset(tmp_path / "d.yaml", strict=True)
    assert [p.code for p in caught.value.report.warnings] == ["quote-unverifiable"]


def test_validate_data_checks_a_document_in_memory() -> None:
    report = validate_data({"schema_version": "1.0", "id": "d", "title": 3})
    assert [(p.code, p.pointer, p.line) for p in report.problems] == [
        ("wrong-type", "/title", None)
    ]


def test_report_counts_and_strictness() -> None:
    warning = Problem.create("quote-unverifiable", "w", file="f")
    error = Problem.create("duplicate-id", "e", file="f")
    report = ValidationReport(path="p", problems=(warning,))
    assert report.valid
    assert not report.is_valid(strict=True)
    assert report.counts() == {"error": 0, "warning": 1, "info": 0}
    assert ValidationReport(path="p", problems=(warning, error)).errors == (error,)
    assert warning.severity is Severity.WARNING


def test_problems_are_sorted_by_file_line_and_column(broken_folder: Path) -> None:
    problems = validate(broken_folder).problems
    assert list(problems) == sorted(problems, key=Problem.sort_key)
