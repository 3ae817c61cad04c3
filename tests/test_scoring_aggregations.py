"""The built-in aggregations, and how areas and the overall score use them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import Area
from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit.scoring import get_aggregation, score
from benchmarkkit.scoring._errors import InvalidParametersError
from tests.scoring_strategies import make_assessment, make_benchmark, make_dataset

ITEMS: list[tuple[float | None, float]] = [(1.0, 1.0), (0.5, 3.0), (None, 2.0), (0.0, 0.0)]


def test_weighted_mean() -> None:
    outcome = get_aggregation("weighted-mean")(ITEMS, {})
    assert outcome.score == pytest.approx((1 * 1.0 + 3 * 0.5) / 4)
    assert outcome.steps[0] == "1 of 4 items is not assessable and left out."
    assert outcome.steps[1] == "1 item has weight 0 and does not count."
    assert outcome.intermediate == {"sum_of_weighted_scores": 2.5, "sum_of_weights": 4.0}


def test_geometric_mean() -> None:
    outcome = get_aggregation("geometric-mean")([(0.25, 1.0), (1.0, 1.0)], {})
    assert outcome.score == pytest.approx(0.5)
    weighted = get_aggregation("geometric-mean")([(0.25, 1.0), (1.0, 3.0)], {})
    assert weighted.score == pytest.approx(0.25 ** (1 / 4))


def test_a_zero_makes_the_geometric_mean_zero() -> None:
    outcome = get_aggregation("geometric-mean")([(0.0, 1.0), (1.0, 5.0)], {})
    assert outcome.score == 0.0
    assert "no compensation" in outcome.steps[-1]


def test_minimum_is_the_weakest_link() -> None:
    assert get_aggregation("minimum")(ITEMS, {}).score == 0.5


@pytest.mark.parametrize(("threshold", "expected"), [(1.0, 1 / 2), (0.5, 2 / 2), (0.0, 1.0)])
def test_share_met(threshold: float, expected: float) -> None:
    outcome = get_aggregation("share-met")(ITEMS, {"threshold": threshold})
    assert outcome.score == pytest.approx(expected)


@pytest.mark.parametrize("name", ["weighted-mean", "geometric-mean", "minimum", "share-met"])
def test_an_aggregate_of_nothing_is_not_assessable(name: str) -> None:
    aggregate = get_aggregation(name)
    assert aggregate([], {}).score is None
    assert aggregate([(None, 1.0), (0.7, 0.0)], {}).score is None


item_lists = st.lists(
    st.tuples(st.none() | st.floats(0, 1), st.sampled_from([0.0, 0.5, 1.0, 7.0])), max_size=8
)


@given(item_lists, st.sampled_from(["weighted-mean", "geometric-mean", "minimum", "share-met"]))
def test_aggregates_stay_in_the_unit_interval_and_ignore_order(
    items: list[tuple[float | None, float]], name: str
) -> None:
    aggregate = get_aggregation(name)
    outcome = aggregate(items, {"threshold": 0.5} if name == "share-met" else {})
    assert outcome.score is None or 0.0 <= outcome.score <= 1.0
    reverse = aggregate(list(reversed(items)), {"threshold": 0.5} if name == "share-met" else {})
    assert outcome.score == reverse.score or (
        outcome.score is not None
        and reverse.score is not None
        and math.isclose(outcome.score, reverse.score, rel_tol=1e-12)
    )


def _two_areas(config: ScoringConfig) -> dict[str, float | None]:
    dataset = make_dataset(
        areas=(Area(id="area-1", title="One", weight=1), Area(id="area-2", title="Two", weight=3)),
        benchmarks=(
            make_benchmark("bm-1", "area-1"),
            make_benchmark("bm-2", "area-1", weight=3),
            make_benchmark("bm-3", "area-2"),
            make_benchmark("bm-4", "area-2"),
        ),
        assessments=(
            make_assessment("as-1", "bm-1", "2012-01-01", "met"),
            make_assessment("as-2", "bm-2", "2012-01-01", "not-met"),
            make_assessment("as-3", "bm-3", "2012-01-01", "partly-met"),
        ),
        scoring=config,
    )
    card = score(dataset, as_of="2012-03-20")
    return {
        "area-1": card.area("area-1").score,
        "area-2": card.area("area-2").score,
        "overall": card.overall.score,
    }


def test_areas_aggregate_benchmarks_and_the_whole_aggregates_areas() -> None:
    assert _two_areas(ScoringConfig()) == pytest.approx(
        {"area-1": (1.0 + 3 * 0.25) / 4, "area-2": 0.6, "overall": ((1.75 / 4) + 3 * 0.6) / 4}
    )


def test_share_met_takes_the_met_threshold_from_the_configuration() -> None:
    config = ScoringConfig(area_aggregation=RuleSpec(rule="share-met"), met_threshold=0.6)
    result = _two_areas(config)
    assert result["area-1"] == 0.5
    assert result["area-2"] == 1.0


def test_area_explanations_say_which_benchmarks_were_left_out() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"), make_benchmark("bm-2")),
        assessments=(make_assessment("as-1", "bm-1", "2012-01-01", "met"),),
    )
    area = score(dataset, as_of="2012-03-20").area("area-1")
    assert (area.score, area.scored, area.total) == (1.0, 1, 2)
    assert area.explanation.steps[:2] == (
        "Area area-1: 1 of 2 benchmarks are assessable.",
        "Not assessable: bm-2.",
    )
    assert [(i.id, i.value) for i in area.explanation.inputs] == [("bm-1", 1.0), ("bm-2", None)]


def test_an_area_without_benchmarks_is_not_assessable() -> None:
    dataset = make_dataset(areas=(Area(id="area-1", title="Empty"),))
    card = score(dataset, as_of="2012-03-20")
    assert card.area("area-1").score is None
    assert card.overall.score is None
    assert card.overall.explanation.steps[-1].startswith("Nothing is left to aggregate")


def test_bad_aggregation_parameters_are_refused_before_scoring() -> None:
    config = ScoringConfig(area_aggregation=RuleSpec(rule="share-met", parameters={"threshold": 2}))
    with pytest.raises(InvalidParametersError, match="threshold"):
        score(make_dataset(), as_of="2012-03-20", config=config)
