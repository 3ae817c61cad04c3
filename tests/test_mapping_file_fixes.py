"""Mistakes of mapped imports a review found: lookup files, the dataset part, nested items."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit._mapping import import_table
from benchmarkkit._problems import Problem
from benchmarkkit.cli import main
from tests.conftest import ROOT, max_examples

HEADERS = ["To", "Text", "From", "Response", "Session"]
ROWS = [
    ["Kazakhstan", "Ratify the Optional Protocol", "France", "Accepted", "14"],
    ["Kazakhstan", "Abolish the death penalty", "Spain", "", "14"],
]

RECORDS = """\
records:
  - collection: recommendations
    id: {prefix: "upr-", from: [Session, To, Text]}
    fields:
      text: {column: Text}
      by: {column: From, actor: true}
      to: {column: To, actor: true}
      mechanism: {value: upr}
      date: {value: "2012-10-22"}
      responses:
        - WHEN
          by: {column: To, actor: true}
          position: {column: Response, map: {Accepted: supported, Noted: noted}}
ignore: [Session]
"""
DATASET = "dataset: {id: upr-sample, title: UPR sample}\n"
WHEN = "when: {column: Response, filled: true}"


def _mapping(*, head: str = DATASET, extra: str = "") -> str:
    return f'mapping_version: "1.0"\n{head}{extra}' + RECORDS.replace("- WHEN\n          ", "- ")


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    _write_table(tmp_path / "upr.csv", ROWS)
    return tmp_path


def _write_table(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADERS, *rows])


def _with_when(text: str, when: str = WHEN) -> str:
    return text.replace(
        "        - by: {column: To, actor: true}\n",
        f"        - {when}\n          by: {{column: To, actor: true}}\n",
    )


def _import(text: str, *, into: str | None = None) -> list[Problem]:
    Path("m.yaml").write_text(text, encoding="utf-8")
    return import_table("upr.csv", "m.yaml", into=into).problems


def _errors(problems: list[Problem]) -> list[str]:
    return [f"{p.location}: {p.code} {p.message}" for p in problems if p.severity == "error"]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(list(args))
    return status, capsys.readouterr().out


# -- 1. lookup files stay in the mapping file's folder ---------------------------------------

LOOKUP = """\
lookups:
  sessions:
    key: [Session]
    file: FILE
"""


def _lookup_mapping(file: str) -> str:
    extra = LOOKUP.replace("FILE", file)
    text = _with_when(_mapping(extra=extra))
    return text.replace('date: {value: "2012-10-22"}', "date: {lookup: sessions, field: start}")


OUTSIDE = (
    "m.yaml:6:5: mapping-lookup-not-readable the lookup file {written!r} is outside the "
    "mapping file's folder ({folder}); a lookup file must be in that folder or a folder "
    "inside it, named by its path from there"
)


@pytest.mark.parametrize("written", ["/etc/passwd", "../../../../etc/hostname"])
def test_a_lookup_file_outside_the_mapping_folder_is_refused_at_its_file_line(
    table: Path, written: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("m.yaml").write_text(_lookup_mapping(written), encoding="utf-8")
    status, out = _cli(capsys, "import", "upr.csv", "--mapping", "m.yaml", "-o", "out")
    expected = OUTSIDE.format(written=written, folder=table.resolve().as_posix())
    assert status == 1
    assert out.splitlines()[0] == expected
    hint = out.splitlines()[1]
    assert "mapping file's folder" in hint
    assert "dataset" not in hint
    assert "path-not-found" not in out
    assert not Path("out").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges there")
def test_a_link_to_a_file_outside_the_mapping_folder_is_refused(
    table: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "sessions.yaml"
    elsewhere.write_text('"14": {start: "2012-10-22"}\n', encoding="utf-8")
    (table / "sessions.yaml").symlink_to(elsewhere)
    expected = OUTSIDE.format(written="sessions.yaml", folder=table.resolve().as_posix())
    assert _errors(_import(_lookup_mapping("sessions.yaml"))) == [expected]


def test_a_lookup_file_in_a_folder_inside_the_mapping_folder_is_read(table: Path) -> None:
    (table / "lookups").mkdir()
    (table / "lookups" / "sessions.yaml").write_text(
        '"14": {start: "2012-10-22"}\n', encoding="utf-8"
    )
    assert _errors(_import(_lookup_mapping("lookups/sessions.yaml"))) == []


def test_a_missing_lookup_file_is_one_problem_at_its_file_line(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("m.yaml").write_text(_lookup_mapping("sesions.yaml"), encoding="utf-8")
    status, out = _cli(capsys, "import", "upr.csv", "--mapping", "m.yaml", "-o", "out")
    assert status == 1
    assert out.splitlines()[0] == (
        "m.yaml:6:5: mapping-lookup-not-readable there is no lookup file 'sesions.yaml' "
        "(its path is read from the mapping file's folder)"
    )
    assert out.splitlines()[-1] == "upr.csv: invalid: 1 error, 0 warnings"


def test_a_folder_named_as_a_lookup_file_is_one_problem_at_its_file_line(table: Path) -> None:
    (table / "sessions").mkdir()
    assert _errors(_import(_lookup_mapping("sessions"))) == [
        "m.yaml:6:5: mapping-lookup-not-readable 'sessions' is a folder, not a lookup file"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_lookup_file_that_cannot_be_read_is_one_problem_at_its_file_line(table: Path) -> None:
    os.mkfifo(table / "sessions.yaml")
    [error] = _errors(_import(_lookup_mapping("sessions.yaml")))
    assert error.startswith(
        "m.yaml:6:5: mapping-lookup-not-readable the lookup file 'sessions.yaml' cannot be read ("
    )
    assert "named pipe" in error


# -- 2. the dataset part is located in the mapping file ---------------------------------------


def test_a_bad_dataset_id_is_located_at_its_key_in_the_mapping(table: Path) -> None:
    head = 'dataset:\n  title: UPR sample\n  id: "bad id!"\n'
    errors = _errors(_import(_with_when(_mapping(head=head))))
    assert len(errors) == 1
    assert errors[0].startswith(
        "m.yaml:4:3: invalid-format the dataset: 'id' must be an identifier"
    )
    assert "upr.csv" not in errors[0]


def test_a_schema_version_not_read_is_located_at_its_key_in_the_mapping(table: Path) -> None:
    head = 'dataset:\n  id: upr-sample\n  title: UPR sample\n  schema_version: "9.9"\n'
    errors = _errors(_import(_with_when(_mapping(head=head))))
    assert [e.split(" the dataset")[0] for e in errors] == [
        "m.yaml:5:3: unsupported-schema-version"
    ]


def test_a_mapping_without_dataset_or_into_says_to_give_one(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("m.yaml").write_text(_with_when(_mapping(head="")), encoding="utf-8")
    status, out = _cli(capsys, "import", "upr.csv", "--mapping", "m.yaml", "-o", "out")
    assert status == 1
    assert out.splitlines()[0] == (
        "m.yaml:1:1: mapping-dataset-incomplete this mapping makes a new dataset, which needs "
        "an id and a title, but has no `dataset:` to give them: give `dataset:` with an id and "
        "a title, or import --into a dataset"
    )
    assert "missing-field" not in out


def test_a_dataset_part_without_a_title_is_located_at_it(table: Path) -> None:
    head = "dataset:\n  id: upr-sample\n"
    expected = (
        "m.yaml:2:1: mapping-dataset-incomplete this mapping makes a new dataset, which needs "
        "an id and a title, but its `dataset:` has no title: give `dataset:` with an id and "
        "a title, or import --into a dataset"
    )
    assert _errors(_import(_with_when(_mapping(head=head)))) == [expected]


def test_a_mapping_without_dataset_imports_into_a_dataset(table: Path) -> None:
    Path("first.yaml").write_text(_with_when(_mapping()), encoding="utf-8")
    first = import_table("upr.csv", "first.yaml")
    assert first.dataset is not None
    assert main(["import", "upr.csv", "--mapping", "first.yaml", "-o", "base"]) == 0
    assert _errors(_import(_with_when(_mapping(head="")), into="base")) == []


# -- 3. `when` on a nested item ----------------------------------------------------------------


def test_without_when_a_blank_response_stops_the_import(table: Path) -> None:
    errors = _errors(_import(_mapping()))
    assert len(errors) == 1
    assert errors[0].startswith("upr.csv:upr!D3 (Response): missing-field")


def test_with_when_a_blank_response_gives_a_recommendation_without_a_response(
    table: Path,
) -> None:
    Path("m.yaml").write_text(_with_when(_mapping()), encoding="utf-8")
    result = import_table("upr.csv", "m.yaml")
    assert result.dataset is not None
    responses = {r.text: [p.position for p in r.responses] for r in result.dataset.recommendations}
    assert responses == {
        "Ratify the Optional Protocol": ["supported"],
        "Abolish the death penalty": [],
    }


@pytest.mark.parametrize(
    ("when", "made"),
    [
        ("{column: Response, is: Accepted}", {"Ratify the Optional Protocol"}),
        ("{column: From, in: [France, Italy]}", {"Ratify the Optional Protocol"}),
        ("{column: Response, in: [Noted]}", set()),
        ("{column: From, not_in: [Spain]}", {"Ratify the Optional Protocol"}),
        ("{column: Text, matches: '^Ratify'}", {"Ratify the Optional Protocol"}),
    ],
)
def test_when_takes_every_form_of_a_keep_condition(table: Path, when: str, made: set[str]) -> None:
    Path("m.yaml").write_text(_with_when(_mapping(), when=f"when: {when}"), encoding="utf-8")
    result = import_table("upr.csv", "m.yaml")
    found = (
        {r.text for r in result.dataset.recommendations if r.responses} if result.dataset else None
    )
    assert found == made


def test_a_when_column_the_table_lacks_is_located_in_the_mapping(table: Path) -> None:
    text = _with_when(_mapping(), when="when: {column: Respons, filled: true}")
    expected = (
        "m.yaml:13:18: mapping-unknown-column the column 'Respons' is not in upr.csv (did you "
        "mean 'Response'?); its columns are 'To', 'Text', 'From', 'Response', 'Session'"
    )
    assert _errors(_import(text)) == [expected]


def test_a_when_pattern_that_is_not_a_regular_expression_is_located(table: Path) -> None:
    text = _with_when(_mapping(), when="when: {column: Text, matches: 'Ratify ('}")
    [error] = _errors(_import(text))
    assert error.startswith(
        "m.yaml:13:32: mapping-invalid-pattern 'Ratify (' is not a regular expression"
    )


def test_a_when_with_two_tests_is_refused_by_the_schema(table: Path) -> None:
    text = _with_when(_mapping(), when="when: {column: Response, filled: true, is: Noted}")
    [error] = _errors(_import(text))
    assert error.startswith("m.yaml:13:36: conflicting-fields ")


@settings(max_examples=max_examples(40), deadline=None)
@given(responses=st.lists(st.sampled_from(["", " ", "Accepted", "Noted"]), min_size=1, max_size=8))
def test_a_response_is_made_exactly_for_the_rows_whose_cell_is_filled(
    tmp_path_factory: pytest.TempPathFactory, responses: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("when")
    rows = [["Kazakhstan", f"Text {n}", "France", word, "14"] for n, word in enumerate(responses)]
    _write_table(folder / "upr.csv", rows)
    (folder / "m.yaml").write_text(_with_when(_mapping()), encoding="utf-8")
    result = import_table(folder / "upr.csv", folder / "m.yaml")
    assert result.dataset is not None
    made = {r.text: len(r.responses) for r in result.dataset.recommendations}
    assert made == {f"Text {n}": int(bool(word.strip())) for n, word in enumerate(responses)}


def test_the_example_mapping_uses_when_for_the_responses() -> None:
    mapping = yaml.safe_load((ROOT / "examples" / "upr-info" / "mapping.yaml").read_text("utf-8"))
    [item] = mapping["records"][0]["fields"]["responses"]
    assert item["when"] == {"column": "Response", "filled": True}


# -- 4. the reference names types without a `type` ---------------------------------------------


def test_the_mapping_reference_says_any_value_where_the_schema_has_no_type() -> None:
    page = (ROOT / "docs" / "reference" / "mapping.md").read_text(encoding="utf-8")
    assert "| `is` | any value |" in page
    assert "| `in` | list of any values |" in page
    assert "| `value` | any value |" in page
    assert "| `when` | [Condition](#condition) |" in page
    assert "None" not in page


# -- 5. validate of a table file points at import --------------------------------------------


@pytest.mark.parametrize("name", ["upr.csv", "upr.tsv", "upr.txt"])
def test_validating_a_table_file_points_at_import_with_a_mapping(
    table: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if name != "upr.csv":
        Path("upr.csv").rename(name)
    status, out = _cli(capsys, "validate", name)
    assert status == 2
    problem = (
        f"{name}: not-a-dataset {name!r} is not a dataset file: expected a .json, .yaml or "
        ".yml file"
    )
    hint = (
        "    hint: A table that is not a dataset file is read into one by a mapping file: "
        "`benchmarkkit import TABLE --mapping MAPPING -o DATASET/` (docs/how-to/"
        "import-upr-recommendations.md shows how). A dataset is a .json/.yaml/.yml file, or a "
        "folder holding dataset.yaml, or a workbook exported by `benchmarkkit export`."
    )
    assert out.splitlines()[:2] == [problem, hint]


def test_validating_another_file_keeps_the_dataset_hint(
    table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("notes.md").write_text("notes\n", encoding="utf-8")
    status, out = _cli(capsys, "validate", "notes.md")
    assert status == 2
    assert "benchmarkkit import" not in out
    assert out.splitlines()[1].startswith("    hint: A dataset is a .json/.yaml/.yml file")
