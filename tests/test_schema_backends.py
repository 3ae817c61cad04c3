"""The fast validator (jsonschema-rs) and the reference one (jsonschema) agree.

The fast one serves the default path; the reference one is the fallback and
the authority. They must give the same verdicts and the same problems at the
same locations on every fixture the project has, valid and invalid.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from benchmarkkit import validate
from benchmarkkit._schema import (
    MAX_NESTING,
    TooDeepError,
    iter_violations,
    resolve_backend,
    too_deep,
)
from tests.conftest import EXAMPLE, FIXTURES
from tests.test_schema_agreement import mutated_documents


def _corpus() -> list[Path]:
    paths = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.name != "EXPECTED.yaml")
    paths += sorted((FIXTURES / "valid").iterdir())
    if EXAMPLE.exists():
        paths.append(EXAMPLE)
    return paths


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_both_validators_report_the_same_problems(path: Path) -> None:
    fast = validate(path, backend="fast")
    reference = validate(path, backend="reference")
    assert [(p.file, p.pointer, p.line, p.column, p.code, p.message) for p in fast.problems] == [
        (p.file, p.pointer, p.line, p.column, p.code, p.message) for p in reference.problems
    ]
    assert fast.valid == reference.valid


@given(mutated_documents())
def test_both_validators_find_the_same_violations(document: dict[str, Any]) -> None:
    fast = iter_violations(document, "dataset", "fast")
    reference = iter_violations(document, "dataset", "reference")
    assert [(v.path, v.keyword) for v in fast] == [(v.path, v.keyword) for v in reference]


def test_auto_prefers_the_fast_validator_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_backend("auto") == "fast"
    monkeypatch.setenv("BENCHMARKKIT_SCHEMA_BACKEND", "reference")
    assert resolve_backend("auto") == "reference"


# -- documents nested deeper than the validators go ----------------------------------------


def _nested(depth: int, *, objects: bool = False) -> Any:
    """``depth`` arrays (or objects) one inside the other."""
    value: Any = {} if objects else []
    for _ in range(depth - 1):
        value = {"k": value} if objects else [value]
    return value


_BASE = {"schema_version": "1.0", "id": "deep", "title": "Deep"}


def _unbounded(depth: int) -> dict[str, dict[str, Any]]:
    """Documents ``depth`` objects and arrays deep (their own included) where it may be valid."""
    condition: dict[str, Any] = {"kind": "benchmark", "benchmark": "bm", "min_score": 1}
    for _ in range((depth - 4) // 2):  # a gate condition takes two levels: object, array
        condition = {"kind": "all-of", "conditions": [condition]}
    parameters = {"p": _nested(depth - 5)}
    return {
        "rule parameters": {
            **_BASE,
            "scoring": {"benchmark_rules": [{"rule": "status-mapping", "parameters": parameters}]},
        },
        "gate conditions": {
            **_BASE,
            "gates": [{"id": "g", "title": "G", "decides": "d", "condition": condition}],
        },
    }


def _bounded(depth: int) -> dict[str, dict[str, Any]]:
    """Documents ``depth`` levels deep where the schema allows a few: all invalid."""
    return {
        "a wrong type": {**_BASE, "description": _nested(depth - 1)},
        "an unknown field": {**_BASE, "extra": _nested(depth - 1, objects=True)},
        "an array item": {**_BASE, "editors": ["ok", _nested(depth - 2)]},
    }


@pytest.mark.parametrize("place", list(_unbounded(10)))
def test_both_validators_take_parameters_and_conditions_nested_to_the_limit(place: str) -> None:
    document = _unbounded(MAX_NESTING)[place]
    assert too_deep(document) is None
    assert too_deep(_unbounded(MAX_NESTING + 2)[place]) is not None
    fast = iter_violations(document, "dataset", "fast")
    reference = iter_violations(document, "dataset", "reference")
    assert [(v.path, v.keyword) for v in fast] == [(v.path, v.keyword) for v in reference]


@pytest.mark.parametrize("place", list(_unbounded(10)))
@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_parameters_and_conditions_nested_deeper_are_refused_where_too_deep(
    place: str, backend: Any
) -> None:
    document = _unbounded(MAX_NESTING + 3)[place]
    expected = too_deep(document)
    assert expected is not None
    assert len(expected) == MAX_NESTING
    with pytest.raises(TooDeepError) as raised:
        iter_violations(document, "dataset", backend)
    assert raised.value.path == expected


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 255, 256, 257, 600])
@pytest.mark.parametrize("place", list(_bounded(10)))
def test_both_validators_describe_a_deep_wrong_value_alike(place: str, depth: int) -> None:
    # jsonschema-rs cannot describe a value 256 levels deep; the reference one then does.
    document = _bounded(depth)[place]
    fast = iter_violations(document, "dataset", "fast")
    reference = iter_violations(document, "dataset", "reference")
    assert fast
    assert [(v.path, v.keyword) for v in fast] == [(v.path, v.keyword) for v in reference]


def _write(tmp_path: Path, document: Any) -> Path:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("place", list(_unbounded(10)))
def test_a_file_nested_too_deep_is_too_complex_at_its_line_and_column(
    place: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, _unbounded(MAX_NESTING + 3)[place])
    reports = [validate(path, backend=backend) for backend in ("fast", "reference")]
    (problem,) = reports[0].problems
    assert problem.code == "too-complex"
    assert problem.line == 1
    assert problem.column is not None
    before = path.read_text()[: problem.column - 1]  # inside as many objects and arrays:
    assert before.count("[") + before.count("{") - before.count("]") - before.count("}") == (
        MAX_NESTING
    )
    assert reports[0].problems == reports[1].problems


@pytest.mark.parametrize("place", list(_bounded(10)))
def test_a_deep_wrong_value_is_reported_alike_by_both_validators(
    place: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, _bounded(600)[place])
    fast, reference = (validate(path, backend=backend) for backend in ("fast", "reference"))
    assert fast.problems
    assert fast.problems == reference.problems
