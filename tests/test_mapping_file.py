"""The mapping file: its published schema, and its mistakes located in it by line and column."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarkkit._mapping import import_table
from benchmarkkit._problems import Problem
from benchmarkkit._schema import schema, schema_text
from benchmarkkit.cli import main
from tests.conftest import ROOT

HEADERS = ["To", "Text", "From", "Response", "Session"]
ROWS = [["Kazakhstan", "Ratify the Optional Protocol", "France", "Accepted", "14"]]

GOOD = """\
mapping_version: "1.0"
dataset: {id: upr-sample, title: UPR sample}
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
        - by: {column: To, actor: true}
          position: {column: Response, map: {Accepted: supported, Noted: noted}}
ignore: [Session]
"""


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    with (tmp_path / "upr.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADERS, *ROWS])
    return tmp_path


def _import(text: str) -> list[Problem]:
    Path("m.yaml").write_text(text, encoding="utf-8")
    return import_table("upr.csv", "m.yaml").problems


def _shown(problems: list[Problem]) -> list[str]:
    return [f"{p.location}: {p.code} {p.message}" for p in problems]


# -- the schema -----------------------------------------------------------------------------


def _properties(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for name, inner in node.get("properties", {}).items():
            yield f"{path}/{name}", inner
        for key, inner in node.items():
            yield from _properties(inner, f"{path}/{key}")
    elif isinstance(node, list):
        for index, inner in enumerate(node):
            yield from _properties(inner, f"{path}/{index}")


def test_every_property_of_the_mapping_schema_is_described() -> None:
    mapping = schema("mapping")
    undescribed = [where for where, node in _properties(mapping) if "description" not in node]
    assert undescribed == []
    assert mapping["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert mapping["properties"]["mapping_version"]["enum"] == ["1.0"]


def test_the_mapping_schema_is_published_beside_the_dataset_schemas(
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = (ROOT / "schemas" / "mapping.schema.json").read_text(encoding="utf-8")
    assert published == schema_text("mapping")
    assert main(["schema", "mapping"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == (
        "https://schemas.benchmarkkit.org/mapping/1.0/mapping.schema.json"
    )
    assert main(["schema", "--list"]) == 0
    assert "mapping            benchmarkkit table mapping" in capsys.readouterr().out
    # Versioned by mapping_version, not by the format: no copy in each format's folder.
    assert not (ROOT / "schemas" / "1.1" / "mapping.schema.json").exists()


def test_the_example_mapping_is_valid_against_the_schema(table: Path) -> None:
    assert [p for p in _import(GOOD) if p.severity == "error"] == []


# -- mistakes the schema sees ---------------------------------------------------------------


def test_a_misspelt_key_is_located_in_the_mapping_file(table: Path) -> None:
    problems = _import(GOOD.replace("id: {prefix", "id: {colum: X, prefix"))
    assert _shown(problems) == [
        (
            "m.yaml:5:10: unknown-field this file: 'colum' is not a field here "
            "(did you mean 'column'?); the fields are column, from, prefix"
        )
    ]


def test_an_unknown_unmapped_word_and_two_sources_of_one_value_are_located(table: Path) -> None:
    problems = _import(
        GOOD.replace("map: {Accepted", "unmapped: maybe, map: {Accepted").replace(
            "text: {column: Text}", "text: {column: Text, value: x}"
        )
    )
    assert sorted((p.line, p.column, p.code) for p in problems) == [
        (7, 28, "conflicting-fields"),
        (14, 40, "invalid-value"),
    ]
    assert "must be 'error', 'keep' or 'empty', found 'maybe'" in problems[0].message


def test_a_mapping_version_this_benchmarkkit_does_not_read_is_refused(table: Path) -> None:
    problems = _import(GOOD.replace('mapping_version: "1.0"', 'mapping_version: "2.0"'))
    assert _shown(problems) == [
        "m.yaml:1:1: invalid-value this file: 'mapping_version' must be '1.0', found '2.0'"
    ]


# -- mistakes only the table shows ----------------------------------------------------------


def test_a_column_the_table_lacks_is_located_in_the_mapping_and_names_the_headers(
    table: Path,
) -> None:
    problems = _import(GOOD.replace("{column: Response", "{column: Respnse"))
    assert _shown(problems) == [
        (
            "m.yaml:14:22: mapping-unknown-column the column 'Respnse' is not in upr.csv "
            "(did you mean 'Response'?); its columns are 'To', 'Text', 'From', 'Response', "
            "'Session'"
        )
    ]


def test_a_field_the_collection_lacks_is_located_and_the_fields_named(table: Path) -> None:
    problems = _import(GOOD.replace("text: {column", "texte: {column"))
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column, problems[0].code) == (
        7,
        7,
        "mapping-unknown-field",
    )
    assert problems[0].message.startswith(
        "a recommendation has no field 'texte' (did you mean 'text'?); its fields are text, by,"
    )


def test_an_unknown_collection_and_a_nested_field_are_located(table: Path) -> None:
    problems = _import(GOOD.replace("collection: recommendations", "collection: recomendations"))
    assert _shown(problems)[0].startswith(
        "m.yaml:4:5: mapping-unknown-field there is no collection 'recomendations' "
        "(did you mean 'recommendations'?); the collections are scales, actors, sources,"
    )
    problems = _import(GOOD.replace("position: {column", "positon: {column"))
    assert [(p.line, p.code) for p in problems] == [(14, "mapping-unknown-field")]
    assert problems[0].message.startswith("an item of 'responses' has no field 'positon'")


def test_an_unknown_lookup_is_located(table: Path) -> None:
    problems = _import(GOOD.replace('date: {value: "2012-10-22"}', "date: {lookup: s, field: a}"))
    assert _shown(problems) == [
        (
            "m.yaml:11:14: mapping-unknown-lookup there is no lookup 's'; the lookups under "
            "'lookups' are none"
        )
    ]


def test_a_map_word_the_field_does_not_allow_is_found_before_any_row_is_read(
    table: Path,
) -> None:
    # The table's one row would need the map; the mistake is found from the mapping alone.
    problems = _import(GOOD.replace("Noted: noted", "Noted: notted"))
    assert _shown(problems) == [
        (
            "m.yaml:14:67: mapping-value-not-allowed 'notted' is not a position an item of "
            "'responses' may have (did you mean 'noted'?); it must be 'supported', "
            "'partially-supported', 'noted', 'rejected', 'pending' or 'no-response'"
        )
    ]
    result = import_table("upr.csv", "m.yaml")
    assert result.summary.rows_read == 0  # stopped before the rows
    constant = _import(GOOD.replace("mechanism: {value: upr}", "mechanism: {value: UPR}"))
    assert [(p.line, p.code) for p in constant] == [(10, "mapping-value-not-allowed")]


def test_a_pattern_that_is_not_a_regular_expression_is_located(table: Path) -> None:
    problems = _import(GOOD + "keep: [{column: To, matches: 'Kazakh(stan'}]\n")
    assert [(p.line, p.column, p.code) for p in problems] == [(16, 21, "mapping-invalid-pattern")]
    assert problems[0].message.startswith("'Kazakh(stan' is not a regular expression")


def test_a_lookup_file_that_does_not_map_keys_to_fields_is_named(table: Path) -> None:
    Path("sessions.yaml").write_text("- 14\n- 15\n", encoding="utf-8")
    text = (
        GOOD.replace('date: {value: "2012-10-22"}', "date: {lookup: sessions, field: start}")
        + "lookups:\n  sessions: {key: [Session], file: sessions.yaml}\n"
    )
    problems = _import(text.replace("ignore: [Session]\n", ""))
    assert _shown(problems) == [
        (
            "sessions.yaml:1:1: mapping-lookup-not-readable a lookup file must map each key to "
            "its fields (key: {field: value, ...}); this file does not"
        )
    ]


def test_a_yaml_syntax_error_in_the_mapping_is_located(table: Path) -> None:
    problems = _import(GOOD.replace("fields:\n", "fields:\n  - : [\n", 1))
    assert [(p.file, p.code) for p in problems][:1] == [("m.yaml", "yaml-syntax")]
    assert problems[0].line == 7


def test_a_sheet_the_workbook_lacks_is_named_with_the_sheets_it_has(table: Path) -> None:
    problems = _import(GOOD + "table: {sheet: Recommendations}\n")
    assert _shown(problems) == [
        "upr.csv: sheet-not-found there is no sheet 'Recommendations'; the sheets are 'upr'"
    ]


def test_a_json_mapping_reads_as_yaml_does_and_its_mistakes_are_located(table: Path) -> None:
    data = yaml.safe_load(GOOD)
    Path("m.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert import_table("upr.csv", "m.json").dataset is not None
    data["records"][0]["fields"]["to"]["column"] = "Too"
    Path("m.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    problems = import_table("upr.csv", "m.json").problems
    assert [(p.file, p.line, p.column, p.code) for p in problems] == [
        ("m.json", 27, 11, "mapping-unknown-column")  # at the key "column"
    ]
