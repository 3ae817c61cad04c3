"""Checks from installed packages run with validation; a broken one is reported, never a crash."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarkkit import validate
from tests.conftest import FIXTURES

PLUGIN = """
from benchmarkkit import Problem


def titles_in_title_case(dataset, context):
    for benchmark in dataset.benchmarks:
        if not benchmark.title[:1].isupper():
            yield context.problem(
                "acme-title-case",
                f"benchmark {benchmark.id!r}: the title should start with a capital letter",
                benchmark,
                "title",
                hint="Capitalise the first word.",
            )


def explodes(dataset, context):
    raise KeyError("boom")


def returns_junk(dataset, context):
    return ["not a problem"]
"""


@pytest.fixture
def installed_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A distribution 'acme-checks' that adds checks through the entry-point group."""
    module = f"acme_checks_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{module}.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "acme_checks-0.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 0.3\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent(
            f"""\
            [benchmarkkit.checks]
            title-case = {module}:titles_in_title_case
            explodes = {module}:explodes
            junk = {module}:returns_junk
            missing = {module}_not_installed:check
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield module
    sys.modules.pop(module, None)


def _dataset(tmp_path: Path) -> Path:
    path = tmp_path / "d.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            schema_version: "1.0"
            id: d
            title: T
            areas: [{id: a, title: A}]
            benchmarks:
              - {id: b, title: lower-case title, statement: S, area: a, type: outcome}
            """
        )
    )
    return path


def test_plugin_checks_run_and_failures_name_the_plugin(
    installed_checks: str, tmp_path: Path
) -> None:
    report = validate(_dataset(tmp_path))
    found = sorted((p.plugin, p.code, p.line) for p in report.problems)
    assert found == [
        ("explodes", "plugin-failed", 1),
        ("junk", "plugin-failed", 1),
        ("missing", "plugin-failed", 1),
        ("title-case", "acme-title-case", 6),
    ]
    messages = {p.plugin: p.message for p in report.problems}
    assert "'explodes'" in messages["explodes"]
    assert "acme-checks 0.3" in messages["explodes"]
    assert "KeyError: 'boom'" in messages["explodes"]
    assert "could not be loaded" in messages["missing"]
    assert "not a Problem" in messages["junk"]


def test_plugins_can_be_switched_off(installed_checks: str, tmp_path: Path) -> None:
    assert validate(_dataset(tmp_path), plugins=False).problems == ()


def test_a_custom_check_passed_in_code_runs_with_the_default_ones(tmp_path: Path) -> None:
    from benchmarkkit import DEFAULT_CHECKS, CheckContext, Dataset, Problem

    def no_empty_areas(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
        used = {benchmark.area for benchmark in dataset.benchmarks}
        for area in dataset.areas:
            if area.id not in used:
                yield context.problem("empty-area", f"area {area.id!r} has no benchmark", area)

    report = validate(FIXTURES / "valid" / "minimal.yaml", checks=(*DEFAULT_CHECKS, no_empty_areas))
    assert report.problems == ()
    path = tmp_path / "d.yaml"
    minimal = (FIXTURES / "valid" / "minimal.yaml").read_text()
    path.write_text(minimal.replace("areas:\n", "areas:\n  - id: unused\n    title: Unused\n"))
    [problem] = validate(path, checks=(*DEFAULT_CHECKS, no_empty_areas)).problems
    assert (problem.code, problem.severity.value, problem.pointer) == (
        "empty-area",
        "error",
        "/areas/0",
    )


def test_the_quick_look_for_plugins_finds_the_installed_ones(installed_checks: str) -> None:
    from benchmarkkit._plugins import may_be_installed

    assert may_be_installed("benchmarkkit.checks")
    assert not may_be_installed("no.such.group.anywhere")
