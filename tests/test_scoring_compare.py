"""Change over time: what improved, what regressed (backsliding), what is new."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given

from benchmarkkit import Area, Dataset
from benchmarkkit._conditions import AreaCondition, BenchmarkCondition, Gate
from benchmarkkit.scoring import compare
from benchmarkkit.scoring._compare import ChangeKind
from benchmarkkit.scoring._errors import InvalidAsOfError
from benchmarkkit.scoring._gates import Verdict
from benchmarkkit.scoring._protocols import Status
from tests.scoring_strategies import (
    as_of_dates,
    make_assessment,
    make_benchmark,
    make_dataset,
    scoring_datasets,
)


def _dataset() -> Any:
    return make_dataset(
        areas=(Area(id="area-1", title="One"), Area(id="area-2", title="Two")),
        benchmarks=(
            make_benchmark("bm-up"),
            make_benchmark("bm-down"),
            make_benchmark("bm-same"),
            make_benchmark("bm-new", "area-2"),
            make_benchmark("bm-gone", "area-2"),
            make_benchmark("bm-never", "area-2"),
        ),
        assessments=(
            make_assessment("as-1", "bm-up", "2011", "not-met"),
            make_assessment("as-2", "bm-up", "2012-02", "partly-met"),
            make_assessment("as-3", "bm-down", "2011", "met"),
            make_assessment("as-4", "bm-down", "2012-02", "regressing"),
            make_assessment("as-5", "bm-same", "2011", "met"),
            make_assessment("as-6", "bm-new", "2012-02", "met"),
            make_assessment("as-7", "bm-gone", "2011", "met"),
            make_assessment("as-8", "bm-gone", "2012-02", None),
        ),
        gates=(
            Gate(
                id="g-down",
                title="Down",
                condition=BenchmarkCondition(benchmark="bm-down", minimum_score=1),
            ),
            Gate(
                id="g-up",
                title="Up",
                condition=BenchmarkCondition(benchmark="bm-up", minimum_score=0.5),
            ),
            Gate(
                id="g-new",
                title="New",
                condition=BenchmarkCondition(benchmark="bm-new", minimum_score=1),
            ),
            Gate(
                id="g-area", title="Area", condition=AreaCondition(area="area-2", minimum_score=0.5)
            ),
        ),
    )


def test_each_benchmark_change_has_its_kind() -> None:
    comparison = compare(_dataset(), "2011-12-31", "2012-03-20")
    kinds = {change.id: change.kind for change in comparison.benchmarks}
    assert kinds == {
        "bm-up": ChangeKind.IMPROVED,
        "bm-down": ChangeKind.REGRESSED,
        "bm-same": ChangeKind.UNCHANGED,
        "bm-new": ChangeKind.NEW,
        "bm-gone": ChangeKind.NO_LONGER_ASSESSABLE,
        "bm-never": ChangeKind.UNCHANGED,
    }
    down = comparison.benchmarks[1]
    assert (down.before, down.after, down.delta) == (1.0, 0.0, -1.0)
    assert down.status_before == Status(level="met", label="Met", scale="status")
    assert (
        down.summary == "benchmark bm-down regressed (backsliding) from 1 (Met) to 0 (Regressing)."
    )
    assert comparison.benchmarks[0].summary == (
        "benchmark bm-up improved from 0.25 (Not met) to 0.6 (Partly met)."
    )


def test_areas_the_overall_score_and_gates_are_compared_too() -> None:
    comparison = compare(_dataset(), dt.date(2011, 12, 31), "2012-03-20")
    assert [(c.id, c.kind) for c in comparison.areas] == [
        ("area-1", ChangeKind.REGRESSED),
        ("area-2", ChangeKind.UNCHANGED),
    ]
    assert comparison.overall.kind is ChangeKind.REGRESSED
    assert comparison.overall.id is None
    gates = {c.id: (c.verdict_before, c.verdict_after, c.kind) for c in comparison.gates}
    assert gates == {
        "g-down": (Verdict.PASS, Verdict.FAIL, ChangeKind.REGRESSED),
        "g-up": (Verdict.FAIL, Verdict.PASS, ChangeKind.IMPROVED),
        "g-new": (Verdict.UNDETERMINED, Verdict.PASS, ChangeKind.NEW),
        "g-area": (Verdict.PASS, Verdict.PASS, ChangeKind.UNCHANGED),
    }
    assert [c.id for c in comparison.changes("regressed")] == ["bm-down", "area-1", None, "g-down"]
    assert comparison.scorecard_before.as_of == dt.date(2011, 12, 31)
    assert comparison.fingerprint_before != comparison.fingerprint_after


def test_the_earlier_date_comes_first() -> None:
    with pytest.raises(InvalidAsOfError, match="falls after"):
        compare(_dataset(), "2012-03-20", "2011-12-31")


@given(scoring_datasets(), as_of_dates)
def test_a_date_compared_with_itself_is_unchanged(dataset: Dataset, as_of: dt.date) -> None:
    comparison = compare(dataset, as_of, as_of)
    assert comparison.changes(ChangeKind.UNCHANGED) == (
        *comparison.benchmarks,
        *comparison.areas,
        comparison.overall,
        *comparison.gates,
    )
