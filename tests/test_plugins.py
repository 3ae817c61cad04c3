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


def fails_half_way(dataset, context):
    yield context.problem("acme-first", "the problem given before the failure")
    raise KeyError("late")
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
            half-way = {module}:fails_half_way
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
        ("half-way", "acme-first", 1),
        ("half-way", "plugin-failed", 1),
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


def test_a_plugin_check_that_fails_half_way_keeps_the_problems_it_gave(
    installed_checks: str, tmp_path: Path
) -> None:
    report = validate(_dataset(tmp_path))
    found = sorted((p.code, p.plugin, p.message) for p in report.problems if p.plugin == "half-way")
    assert found == [
        ("acme-first", "half-way", "the problem given before the failure"),
        (
            "plugin-failed",
            "half-way",
            (
                f"the check plugin 'half-way' ({installed_checks}:fails_half_way "
                "from acme-checks 0.3) raised KeyError: 'late'; the other checks ran"
            ),
        ),
    ]


def test_a_plugin_giving_what_is_not_a_problem_is_worded_as_a_check_in_code(
    installed_checks: str, tmp_path: Path
) -> None:
    from benchmarkkit._validate import DEFAULT_CHECKS

    path = _dataset(tmp_path)
    junk = importlib.import_module(installed_checks).returns_junk
    [in_code] = validate(path, checks=(*DEFAULT_CHECKS, junk), plugins=False).problems
    [installed] = [p for p in validate(path).problems if p.plugin == "junk"]
    words = "gave 'not a problem', which is not a Problem; the other checks ran"
    assert (in_code.code, in_code.plugin, in_code.message) == (
        "check-failed",
        None,
        f"the check 'returns_junk' {words}",
    )
    assert (installed.code, installed.plugin, installed.message) == (
        "plugin-failed",
        "junk",
        f"the check plugin 'junk' ({installed_checks}:returns_junk from acme-checks 0.3) {words}",
    )
    assert (in_code.line, installed.line) == (1, 1)


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


@pytest.fixture
def broken_distribution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A distribution 'acme-broken' whose check, rule and section check all fail to import."""
    missing = f"acme_missing_{tmp_path.name.replace('-', '_')}"
    info = tmp_path / "acme_broken-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-broken\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent(
            f"""\
            [benchmarkkit.checks]
            broken-check = {missing}:check

            [benchmarkkit.rules]
            broken-rule = {missing}:rule

            [benchmarkkit.section_checks]
            scoring = {missing}:check_scoring
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return missing


def test_plugins_of_every_kind_are_named_the_same_way(
    broken_distribution: str, tmp_path: Path
) -> None:
    path = _dataset(tmp_path)
    with path.open("a") as file:
        file.write("scoring:\n  benchmark_rules: [{rule: broken-rule}]\n")
    report = validate(path)
    found = sorted(
        (p.plugin, p.code, p.pointer, p.message.partition(" could not be loaded")[0])
        for p in report.problems
    )
    missing = broken_distribution
    assert found == [
        (
            "broken-check",
            "plugin-failed",
            "",
            f"the check plugin 'broken-check' ({missing}:check from acme-broken 1.0)",
        ),
        (
            "broken-rule",
            "plugin-failed",
            "/scoring/benchmark_rules/0/rule",
            f"the plugin 'broken-rule' ({missing}:rule from acme-broken 1.0)",
        ),
        (
            "scoring",
            "plugin-failed",
            "",
            (
                "the check of the dataset's 'scoring' section, 'scoring' "
                f"({missing}:check_scoring from acme-broken 1.0)"
            ),
        ),
    ]


def test_a_section_check_that_fails_is_an_installed_check_whose_problems_name_no_plugin(
    installed_checks: str, tmp_path: Path
) -> None:
    info = tmp_path / "acme_sections-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-sections\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        f"[benchmarkkit.section_checks]\nscoring = {installed_checks}:fails_half_way\n"
    )
    importlib.invalidate_caches()
    path = _dataset(tmp_path)
    with path.open("a") as file:
        file.write("scoring:\n  benchmark_rules: [{rule: status-mapping}]\n")
    found = sorted(
        (p.code, p.plugin, p.message)
        for p in validate(path, plugins=False).problems
        if p.code != "unchecked-section"
    )
    assert found == [
        ("acme-first", None, "the problem given before the failure"),
        (
            "plugin-failed",
            "scoring",
            (
                "the check of the dataset's 'scoring' section, 'scoring' "
                f"({installed_checks}:fails_half_way from acme-sections 1.0) raised "
                "KeyError: 'late'; the other checks ran"
            ),
        ),
    ]


def test_a_section_check_runs_only_for_a_dataset_that_has_the_section(
    broken_distribution: str, tmp_path: Path
) -> None:
    # Without a `scoring` section, the broken section check is never even loaded.
    assert validate(_dataset(tmp_path), plugins=False).problems == ()


def test_a_section_nothing_installed_checks_is_an_error_never_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As when benchmarkkit is imported from a source folder, with no installed metadata.
    from benchmarkkit import _plugins

    monkeypatch.setattr(_plugins, "entry_points", lambda group: ())
    path = _dataset(tmp_path)
    with path.open("a") as file:
        file.write("scoring:\n  benchmark_rules: [{rule: no-such-rule}]\n")
    report = validate(path, plugins=False)
    # The rule's name could not be checked: the dataset is not valid, whatever the install.
    assert not report.valid
    assert [str(problem) for problem in report.problems] == [
        (
            f"{path}:7:1: unchecked-section the dataset's 'scoring' section was not checked: "
            "no installed package declares a check of it (a 'benchmarkkit.section_checks' "
            "entry point named 'scoring'); is benchmarkkit installed, rather than imported "
            "from a source folder?"
        )
    ]
    assert report.problems[0].severity == "error"
