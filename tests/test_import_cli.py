"""``benchmarkkit validate book.xlsx`` and ``benchmarkkit import``: what a user sees and gets.

Problems of a workbook are located in its own terms (sheet, row, header, cell)
in every output format; ``import`` writes a new dataset folder only when the
workbook has no error, with the archived texts copied from beside it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarkkit import dump_dataset, load_dataset
from benchmarkkit._tables._csv import csv_files
from benchmarkkit._tables._xlsx import workbook
from tests.conftest import EXAMPLE, ROOT, Run
from tests.test_import_tables import (
    Sheets,
    cell,
    copy_of,
    example_sheets,
    set_cell,
    write_book,
    write_csv_folder,
)

__all__ = ["example_sheets"]  # a fixture, used by name

Cli = Callable[..., Run]


def beside_the_sources(folder: Path) -> Path:
    """``folder``, holding a copy of the example's archived texts, as the workbook expects."""
    folder.mkdir(exist_ok=True)
    shutil.copytree(EXAMPLE / "sources", folder / "sources")
    return folder


# -- ten planted mistakes, each at its cell --------------------------------------------------

#: Each planted mistake: its code, its cell, its header, and the start of its message.
PLANTED = [
    ("missing-field", "actors!B5", "name", "actor 'eu': the required field 'name' is missing"),
    ("duplicate-id", "actors!A19", "id", "actor id 'norhc' is used twice"),
    (
        "evidence-after-assessment",
        "assessments!H3",
        "evidence",
        (
            "assessment 'as-opposition-parties-2012-03-20' is as of 2011-12-01 but cites evidence "
            "'ev-opposition-parties-barred', dated 2012-01"
        ),
    ),
    (
        "unknown-column",
        "evidence!L1",
        "sumary",
        (
            "the column 'sumary' is not a column of the sheet evidence and holds data, which was "
            "not read; did you mean 'summary'?"
        ),
    ),
    (
        "cell-not-readable",
        "evidence!I2",
        "actors",
        (
            "the cell is not a list this column can hold: a ';' not followed by a space in "
            "'norhc;iphr'"
        ),
    ),
    (
        "invalid-value",
        "evidence!E4",
        "direction",
        (
            "evidence 'ev-election-law-changes': 'direction' must be 'progress', 'regression', "
            "'no-change' or 'mixed', found 'improving'"
        ),
    ),
    (
        "unknown-reference",
        "evidence!B6",
        "source",
        (
            "evidence 'ev-elections-not-democratic': 'source' refers to source 'apeal', which the "
            "dataset does not define (did you mean 'appeal'?)"
        ),
    ),
    (
        "row-without-parent",
        "evidence_readings!A8",
        "evidence",
        (
            "there is no evidence 'ev-nope' on the sheet evidence, so this row belongs to none and "
            "was not read: give the id of a piece of evidence there, or add the evidence"
        ),
    ),
    (
        "order-not-consecutive",
        "scales_levels!B5",
        "order",
        (
            "the rows of scale 'editors-status' skip order 4: this row has order 5; number them "
            "1, 2, 3, ... without gaps"
        ),
    ),
    (
        "invalid-date",
        "sources!E3",
        "date",
        (
            "source 'hr-statement-2012-03-14': 'date' must be a date that exists; 2012-02-30 does "
            "not exist"
        ),
    ),
]


def planted_book(sheets: Sheets, folder: Path) -> Path:
    """The example's workbook with the ten mistakes of PLANTED, beside its archived texts."""
    sheets = copy_of(sheets)
    # Not a mistake: the two commitments the example leaves unlinked (two info notes) linked.
    linked = f"{cell(sheets, 'benchmarks', 2, 'commitments')}; cm-eu-hr-no-decoupling; "
    set_cell(sheets, "benchmarks", 2, "commitments", linked + "cm-eu-hr-reform-commitments")
    set_cell(sheets, "actors", 5, "name", None)  # a required cell left empty
    sheets["actors"].append(["norhc", "Another committee", "ngo"])  # an id twice
    set_cell(sheets, "assessments", 3, "as_of", "2011-12-01")  # before the evidence it cites
    sheets["evidence"][0].append("sumary")  # an unknown column, holding data
    sheets["evidence"][8] += [None] * (11 - len(sheets["evidence"][8])) + ["extra words"]
    set_cell(sheets, "evidence", 2, "actors", "norhc;iphr")  # a list cell without its space
    set_cell(sheets, "evidence", 4, "direction", "improving")  # not in the enumeration
    set_cell(sheets, "evidence", 6, "source", "apeal")  # a broken reference
    sheets["evidence_readings"].append(["ev-nope", 1.0, "ind-zhanaozen-details-public", True])
    set_cell(sheets, "scales_levels", 5, "order", 5.0)  # orders 1, 2, 3, 5
    set_cell(sheets, "sources", 3, "date", "2012-02-30")  # a day that does not exist
    return write_book(beside_the_sources(folder) / "book.xlsx", sheets)


def test_ten_planted_mistakes_are_ten_problems_each_at_its_cell_in_text(
    example_sheets: Sheets, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted_book(example_sheets, tmp_path)
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "book.xlsx")
    assert run.status == 1
    lines = run.out.splitlines()
    problems = [line for line in lines[:-1] if line.startswith("book.xlsx:")]
    assert len(problems) == 10
    for line, (code, where, header, words) in zip(problems, PLANTED, strict=True):
        assert line.startswith(f"book.xlsx:{where} ({header}): {code} {words}"), line
    assert lines[-1] == "book.xlsx: invalid: 10 errors, 0 warnings"


def test_ten_planted_mistakes_are_ten_problems_each_at_its_cell_in_json(
    example_sheets: Sheets, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted_book(example_sheets, tmp_path)
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "--format", "json", "book.xlsx")
    assert run.status == 1
    report = json.loads(run.out)
    assert report["counts"] == {"error": 10, "warning": 0, "info": 0}
    problems = report["datasets"][0]["problems"]
    found = [
        (p["code"], p["cell"], p["header"], p["file"], p["line"], p["sheet"], p["row"])
        for p in problems
    ]
    assert found == [
        (code, where, header, "book.xlsx", None, *_sheet_and_row(where))
        for code, where, header, _words in PLANTED
    ]
    for problem, (_code, _where, _header, words) in zip(problems, PLANTED, strict=True):
        assert problem["message"].startswith(words)


def _sheet_and_row(cell_name: str) -> tuple[str, int]:
    sheet, _, place = cell_name.partition("!")
    return sheet, int(place.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def test_ten_planted_mistakes_are_ten_annotations_on_the_workbook_for_github(
    example_sheets: Sheets, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted_book(example_sheets, tmp_path)
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "--format", "github", "book.xlsx")
    assert run.status == 1
    annotations = [line for line in run.out.splitlines() if line.startswith("::error")]
    assert len(annotations) == 10
    for line, (code, where, header, words) in zip(annotations, PLANTED, strict=True):
        assert line.startswith(
            f"::error file=book.xlsx,title={code}::{where} ({header}): {words}"
        ), line


# -- validate: a workbook and a CSV folder, read as a dataset -----------------------------


def test_a_workbook_and_a_csv_folder_validate_as_the_dataset_they_hold(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load_dataset(EXAMPLE)
    beside_the_sources(tmp_path)
    (tmp_path / "book.xlsx").write_bytes(workbook(dataset))
    tables = write_csv_folder(dataset, tmp_path / "tables")
    shutil.copytree(EXAMPLE / "sources", tables / "sources")  # a CSV folder keeps its own
    monkeypatch.chdir(tmp_path)
    for given in ("book.xlsx", "tables"):
        run = cli("validate", given)
        assert run.status == 0, run.out
        assert run.out.splitlines()[-1] == f"{given}: valid, with 0 errors, 0 warnings, 2 info"
    # the notes are at their cells, the CSV file's own name given
    assert "tables/commitments.csv:commitments!A9 (id): unlinked-commitment" in run.out


def test_archived_texts_are_looked_for_beside_the_workbook(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE)))
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "book.xlsx")
    assert run.status == 1
    assert (
        "book.xlsx:sources!H2 (archive): archive-missing source 'appeal': the archived text "
        "'sources/2012-03-20-appeal-eu-kazakhstan.txt' does not exist"
    ) in run.out


# -- import ------------------------------------------------------------------------------


def test_import_writes_the_workbook_as_a_new_dataset_folder_with_its_archived_texts(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = load_dataset(EXAMPLE)
    beside_the_sources(tmp_path)
    (tmp_path / "book.xlsx").write_bytes(workbook(dataset))
    monkeypatch.chdir(tmp_path)
    run = cli("import", "book.xlsx", "-o", "kazakhstan")
    assert run.status == 0, run.out
    assert run.err.startswith("wrote kazakhstan: 1 scale, 17 actors, 7 sources, ")
    assert run.err.endswith("and 1 archived text\n")
    assert sorted(path.name for path in (tmp_path / "kazakhstan").iterdir())[:3] == [
        "actors.yaml",
        "areas.yaml",
        "assessments.yaml",
    ]
    assert (tmp_path / "kazakhstan/sources/2012-03-20-appeal-eu-kazakhstan.txt").read_bytes() == (
        EXAMPLE / "sources/2012-03-20-appeal-eu-kazakhstan.txt"
    ).read_bytes()
    assert dump_dataset(load_dataset(tmp_path / "kazakhstan")) == dump_dataset(dataset)
    assert cli("validate", "kazakhstan").status == 0


def test_import_reads_a_csv_folder_in_the_encoding_given(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = csv_files(load_dataset(EXAMPLE))
    tables = beside_the_sources(tmp_path / "tables")
    for name, text in files.items():
        edited = text.removeprefix("\ufeff").replace("Norwegian Helsinki", "Norwégian Helsinki")
        (tables / name).write_bytes(edited.encode("cp1252"))
    monkeypatch.chdir(tmp_path)
    run = cli("import", "tables", "-o", "out", "--encoding", "cp1252")
    assert run.status == 0, run.out
    assert load_dataset(tmp_path / "out").actors[0].name == "Norwégian Helsinki Committee"


def test_import_writes_nothing_when_the_workbook_has_errors(
    example_sheets: Sheets, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted_book(example_sheets, tmp_path)
    monkeypatch.chdir(tmp_path)
    run = cli("import", "book.xlsx", "-o", "out")
    assert run.status == 1
    assert "book.xlsx:evidence!B6 (source): unknown-reference" in run.out
    assert run.out.splitlines()[-1] == "book.xlsx: invalid: 10 errors, 0 warnings"
    assert run.err == "nothing was written\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--into", "data"],
            (
                "--into needs --mapping MAPPING: merging into a dataset is for tables read through "
                "a mapping; a workbook in the workbook layout is imported whole, as a new dataset"
            ),
        ),
        (
            ["--into", "data", "--update"],
            "--into and --update need --mapping MAPPING: merging into a dataset is for tables",
        ),
        (
            ["--sheet", "evidence"],
            (
                "--sheet picks the sheet a mapping reads; a workbook in the workbook layout is "
                "read whole: leave --sheet out, or give --mapping MAPPING"
            ),
        ),
    ],
)
def test_options_of_mapped_imports_without_a_mapping_are_a_usage_error(
    tmp_path: Path, cli: Cli, arguments: list[str], message: str
) -> None:
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE)))
    run = cli("import", tmp_path / "book.xlsx", "-o", tmp_path / "out", *arguments)
    assert run.status == 2
    assert run.err.startswith(f"benchmarkkit import: error: {message}")
    assert not (tmp_path / "out").exists()


def test_import_refuses_an_output_that_exists_and_a_source_that_is_not_a_table(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE)))
    (tmp_path / "out").mkdir()
    (tmp_path / "notes.md").write_text("# notes\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    run = cli("import", "book.xlsx", "-o", "out")
    assert (run.status, run.err) == (
        2,
        (
            "benchmarkkit import: error: 'out' already exists; import writes a new dataset "
            "folder, whole: give the name of a folder that does not exist yet\n"
        ),
    )
    run = cli("import", "missing.xlsx", "-o", "new")
    assert (run.status, run.err) == (
        2,
        "benchmarkkit import: error: 'missing.xlsx' does not exist\n",
    )
    run = cli("import", "notes.md", "-o", "new")
    assert run.status == 2
    assert run.err.startswith("benchmarkkit import: error: 'notes.md' is not a table ")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["book.xlsx", "notes.md", "out"]


def test_with_a_mapping_import_hands_every_option_to_the_mapped_import(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarkkit._cli import _mapped

    given: list[argparse.Namespace] = []

    def mapped(args: argparse.Namespace) -> int:
        given.append(args)
        return 1

    monkeypatch.setattr(_mapped, "run", mapped)
    arguments = ["t.csv", "-o", "o", "--mapping", "m.yaml", "--into", "d", "--update"]
    run = cli("import", *arguments, "--encoding", "cp1252", "--sheet", "S", "--format", "json")
    assert run.status == 1
    [args] = given
    assert (args.source, args.output, args.mapping, args.into, args.update) == (
        "t.csv",
        "o",
        "m.yaml",
        "d",
        True,
    )
    assert (args.encoding, args.sheet, args.format) == ("cp1252", "S", "json")


def test_a_workbook_of_a_dataset_in_format_1_0_validates_and_imports_as_it(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen = ROOT / "tests" / "data" / "format-1.0" / "kazakhstan-2012"
    dataset = load_dataset(frozen)
    assert dataset.schema_version == "1.0"
    beside_the_sources(tmp_path)
    # Export writes every field: archive_kind (new in 1.1) as its default, which 1.0 means.
    (tmp_path / "book.xlsx").write_bytes(workbook(dataset))
    monkeypatch.chdir(tmp_path)
    run = cli("validate", "book.xlsx")
    assert run.status == 0, run.out
    assert "field-from-later-version" not in run.out
    assert cli("import", "book.xlsx", "-o", "out").status == 0
    assert dump_dataset(load_dataset(tmp_path / "out")) == dump_dataset(dataset)


def test_import_of_a_workbook_that_cannot_be_read_says_why_and_writes_nothing(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE))[:2000])  # cut short
    monkeypatch.chdir(tmp_path)
    run = cli("import", "book.xlsx", "-o", "out")
    assert run.status == 1  # as for a YAML file that does not parse
    assert run.out.startswith("book.xlsx: table-not-readable book.xlsx cannot be read as an Excel")
    assert run.err == "nothing was written\n"
    assert not (tmp_path / "out").exists()
