"""Whatever a file holds, validation reports problems; it never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import CODES, ValidationReport, unstructure, validate, validate_data
from benchmarkkit._schema import MAX_NESTING
from tests.strategies import json_values, valid_datasets
from tests.test_schema_agreement import mutated_documents


def _check(report: ValidationReport) -> None:
    for problem in report.problems:
        assert problem.code in CODES
        assert isinstance(problem.message, str)
        assert problem.message


@given(json_values)
def test_any_json_value_gives_a_report(value: Any) -> None:
    _check(validate_data(value))


@given(
    st.dictionaries(
        st.sampled_from(
            ["schema_version", "id", "title", "actors", "evidence", "gates", "scoring", "scales"]
        ),
        json_values,
    )
)
def test_any_top_level_mapping_gives_a_report(value: dict[str, Any]) -> None:
    _check(validate_data(value))


@given(mutated_documents())
def test_mutated_datasets_give_a_report(document: dict[str, Any]) -> None:
    _check(validate_data(document))


@given(st.binary(max_size=200), st.sampled_from([".json", ".yaml"]))
def test_any_bytes_in_a_file_give_a_report(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"dataset{suffix}"
        path.write_bytes(content)
        _check(validate(path))


@given(st.text(max_size=200), st.sampled_from([".json", ".yaml"]))
def test_any_text_in_a_file_gives_a_report(content: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"dataset{suffix}"
        path.write_text(content, encoding="utf-8")
        _check(validate(path))


@given(valid_datasets())
def test_consistent_datasets_are_valid(dataset: Any) -> None:
    report = validate_data(json.loads(json.dumps(unstructure(dataset))))
    assert [str(p) for p in report.errors] == []


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in ``value`` where a member or an item could be replaced."""
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _places(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _places(child, (*path, index))
    return found


@settings(max_examples=60)
@given(
    valid_datasets(),
    st.data(),
    st.sampled_from([30, 70, 200, 300, 700]),
    st.booleans(),
    st.sampled_from(["json", "yaml", "data"]),
)
def test_a_deeply_nested_value_anywhere_gives_a_report(
    dataset: Any, data: st.DataObject, depth: int, objects: bool, form: str
) -> None:
    document = json.loads(json.dumps(unstructure(dataset)))
    deep: Any = {}
    for _ in range(depth):
        deep = {"k": deep} if objects else [deep]
    path = data.draw(st.sampled_from(_places(document)[1:] or [("extra",)]))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = deep
    if form == "data":
        _check(validate_data(document))
        return
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"dataset.{form}"
        # YAML in flow style is JSON: the YAML reader takes the same nesting.
        file.write_text(json.dumps(document), encoding="utf-8")
        report = validate(file)
        _check(report)
        if depth > MAX_NESTING:  # too deep anywhere: for the schema, or to nest that deep
            assert not report.valid
