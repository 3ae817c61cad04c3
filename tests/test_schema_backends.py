"""The fast validator (jsonschema-rs) and the reference one (jsonschema) agree.

The fast one serves the default path; the reference one is the fallback and
the authority. They must give the same verdicts and the same problems at the
same locations on every fixture the project has, valid and invalid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from benchmarkkit import validate
from benchmarkkit._schema import iter_violations, resolve_backend
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
