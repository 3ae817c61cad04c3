"""Whatever a file holds, validation reports problems; it never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import CODES, ValidationReport, unstructure, validate, validate_data
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
