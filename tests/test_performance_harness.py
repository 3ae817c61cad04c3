"""The performance harness runs end to end, and its datasets are what it says they are.

No timing is asserted: how fast is measured by ``benchmarks/run.py`` and
written down in docs/performance.md, never checked by a test.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import benchmarkkit
from tests.conftest import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _generator(name: str = "generate") -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("data")
    generate = _generator()
    generate.write("1k", broken=False, out=out)
    generate.write("1k", broken=True, out=out)
    return out


def test_the_generated_dataset_is_valid_and_quotes_its_archived_texts(datasets: Path) -> None:
    report = benchmarkkit.validate(datasets / "1k" / "dataset.json")
    assert report.problems == ()
    assert report.dataset is not None
    assert len(report.dataset.evidence) == 1_000
    assert all(evidence.quote for evidence in report.dataset.evidence)
    assert len(list((datasets / "1k" / "sources").iterdir())) == 25


def test_the_broken_dataset_has_the_problems_it_lists(datasets: Path) -> None:
    folder = datasets / "1k-broken"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    report = benchmarkkit.validate(folder / "dataset.json")
    assert dict(report.codes()) == expected
    assert [p for p in report.problems if p.line is None or p.column is None] == []


def test_both_validators_report_the_same_problems_on_the_broken_dataset(datasets: Path) -> None:
    path = datasets / "1k-broken" / "dataset.json"
    fast = benchmarkkit.validate(path, backend="fast")
    reference = benchmarkkit.validate(path, backend="reference")
    assert [(p.pointer, p.line, p.column, p.code, p.message) for p in fast.problems] == [
        (p.pointer, p.line, p.column, p.code, p.message) for p in reference.problems
    ]


def test_the_same_size_always_gives_the_same_bytes(tmp_path: Path, datasets: Path) -> None:
    _generator().write("1k", broken=True, out=tmp_path)
    for name in ("dataset.json", "expected.json", "sources/src-3.txt"):
        again = (tmp_path / "1k-broken" / name).read_bytes()
        assert again == (datasets / "1k-broken" / name).read_bytes()


def test_the_harness_runs_at_the_smallest_size(datasets: Path) -> None:
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "1k", "--repeat", "1"]
    result = subprocess.run(
        [*command, "--data", str(datasets)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = (
        "json.loads",
        "benchmarkkit.validate",
        "benchmarkkit validate",
        "--version",
        "benchmarkkit export --format xlsx",
        "benchmarkkit validate (the workbook)",
        "benchmarkkit import (the workbook)",
        "benchmarkkit import --mapping (500 rows)",
    )
    for row in rows:
        assert row in result.stdout
    assert "skipped" not in result.stdout.split("spreadsheets, whole process")[1]
    assert "codes as expected" in result.stdout
    assert "targets (issue 7)" in result.stdout


def test_the_upr_table_has_the_export_s_columns_and_imports_through_the_example_mapping(
    tmp_path: Path,
) -> None:
    from benchmarkkit._mapping import import_table

    table = _generator("upr_table")
    path = table.write("300", tmp_path)
    assert path.read_bytes() == table.write("300", tmp_path / "again").read_bytes()
    assert path.read_bytes().startswith(b"\xef\xbb\xbfTo,To-Rgrp,To-Org,Text,From,")
    imported = import_table(path, ROOT / "examples" / "upr-info" / "mapping.yaml")
    assert imported.dataset is not None, imported.problems
    recommendations = imported.dataset.recommendations
    # Joint recommendations are repeated rows: fewer recommendations than rows, some by several.
    assert 0 < len(recommendations) < 300
    assert any(len(recommendation.by) > 1 for recommendation in recommendations)
    assert all(recommendation.responses for recommendation in recommendations)
