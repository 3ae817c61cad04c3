"""The built-in benchmark rules: status-mapping, indicator-progress and evidence-based."""

from __future__ import annotations

import datetime as dt
import math

import attrs
import pytest

from benchmarkkit import (
    Direction,
    EvidenceDirection,
    Indicator,
    IndicatorKind,
    Measurement,
    PartialDate,
    Reading,
    Reliability,
    unstructure,
    validate_data,
)
from benchmarkkit._conditions import RuleSpec
from benchmarkkit._model import IndicatorValue
from benchmarkkit._scales import Level, StatusScale
from benchmarkkit.scoring import RuleContext, score
from benchmarkkit.scoring._errors import InvalidDatasetError
from benchmarkkit.scoring._protocols import Status
from benchmarkkit.scoring._registry import get_rule
from tests.scoring_strategies import (
    ORDINAL_LEVELS,
    make_assessment,
    make_benchmark,
    make_dataset,
    make_evidence,
)

PROGRESS = EvidenceDirection.PROGRESS
REGRESSION = EvidenceDirection.REGRESSION


# -- status-mapping ----------------------------------------------------------------------


def test_status_mapping_uses_the_latest_assessment_on_or_before_the_date() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(
            make_assessment("as-1", "bm-1", "2011-06-01", "not-met"),
            make_assessment("as-2", "bm-1", "2012-01", "partly-met"),
            make_assessment("as-3", "bm-1", "2012-06-01", "met"),
        ),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.score == 0.6
    assert result.rule == "status-mapping"
    assert result.status == Status(level="partly-met", label="Partly met", scale="status")
    assert result.met is False
    assert [i.id for i in result.explanation.inputs] == ["as-2", "status"]
    assert "It supersedes 1 earlier assessment: as-1." in result.explanation.steps


def test_an_assessment_of_a_partial_date_counts_once_its_period_is_over() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-03", "met"),),
    )
    assert score(dataset, as_of="2012-03-31").benchmark("bm-1").score == 1.0
    assert score(dataset, as_of="2012-03-30").benchmark("bm-1").score is None


def test_evidence_of_a_partial_date_counts_from_its_first_day() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-03", EvidenceDirection.PROGRESS),),
    )
    assert score(dataset, as_of="2012-03-01").benchmark("bm-1").score is not None
    assert score(dataset, as_of="2012-02-29").benchmark("bm-1").score is None


def test_what_an_assessment_cites_counts_whenever_the_assessment_does() -> None:
    # Validation accepts an assessment as of 2012-03 citing evidence of 2012-03-20; scoring
    # must then never count the assessment on a day its evidence is not yet known.
    evidence = make_evidence("ev-1", ("bm-1",), "2012-03-20", EvidenceDirection.PROGRESS)
    assessment = attrs.evolve(make_assessment("as-1", "bm-1", "2012-03", "met"), evidence=("ev-1",))
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),), evidence=(evidence,), assessments=(assessment,)
    )
    assert validate_data(unstructure(dataset)).errors == ()
    for day in range(1, 32):
        context = RuleContext(dataset, as_of=dt.date(2012, 3, day))
        if context.assessments("bm-1"):
            assert context.evidence_by_id("ev-1") is not None, day


def test_assessments_on_the_same_date_are_decided_by_the_greatest_id() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(
            make_assessment("as-b", "bm-1", "2012-03-01", "not-met"),
            make_assessment("as-a", "bm-1", "2012-03-01", "met"),
        ),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.score == 0.25
    assert any("as-a has the same date" in step for step in result.explanation.steps)


def test_an_assessment_without_a_level_is_final_not_assessable() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-03-01", None),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-03-01", PROGRESS),),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.score is None
    assert result.met is None
    assert result.rule == "status-mapping"
    assert any("could not be assessed" in step for step in result.explanation.steps)


def test_a_dataset_scale_replaces_a_built_in_scale_of_the_same_id() -> None:
    own = StatusScale(
        id="ogp-completion",
        title="Our completion scale",
        levels=(
            Level(id="limited", label="Limited", value=0.1),
            Level(id="complete", label="Done", value=1),
        ),
    )
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(
            make_assessment("as-1", "bm-1", "2012-01-01", "limited", scale="ogp-completion"),
        ),
    )
    assert score(dataset, as_of="2012-03-20").benchmark("bm-1").score == pytest.approx(1 / 3)
    mine = attrs.evolve(dataset, scales=(*dataset.scales, own))
    assert score(mine, as_of="2012-03-20").benchmark("bm-1").score == 0.1


def test_an_unknown_scale_makes_the_benchmark_not_assessable() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01-01", "met", scale="nowhere"),),
    )
    with pytest.raises(InvalidDatasetError, match="'nowhere'"):
        score(dataset, as_of="2012-03-20")
    # A caller that skips validation still gets an honest "not assessable", never a crash.
    result = score(dataset, as_of="2012-03-20", validated=True).benchmark("bm-1")
    assert result.score is None
    assert any("'nowhere'" in step for step in result.explanation.steps)


# -- indicator-progress ------------------------------------------------------------------


def _indicator(
    kind: IndicatorKind,
    baseline: IndicatorValue,
    target: IndicatorValue,
    *,
    indicator_id: str = "ind-1",
    direction: Direction | None = Direction.HIGHER_IS_BETTER,
    weight: float = 1.0,
    baseline_date: str = "2010",
) -> Indicator:
    return Indicator(
        id=indicator_id,
        benchmark="bm-1",
        title="An indicator",
        kind=kind,
        unit="cases" if kind is IndicatorKind.NUMERIC else None,
        direction=direction,
        levels=ORDINAL_LEVELS if kind is IndicatorKind.ORDINAL else (),
        baseline=Measurement(value=baseline, date=PartialDate.parse(baseline_date)),
        target=Measurement(value=target, date=PartialDate(2014)),
        weight=weight,
    )


def _progress_of(
    *indicators: Indicator, readings: dict[str, IndicatorValue], as_of: str = "2012-03-20"
) -> float | None:
    evidence = tuple(
        make_evidence(
            f"ev-{name}",
            ("bm-1",),
            "2012-01-10",
            PROGRESS,
            readings=(Reading(indicator=name, value=value),),
        )
        for name, value in readings.items()
    )
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),), indicators=indicators, evidence=evidence
    )
    # validated=True: the rule's own behaviour, also for values validation would refuse
    # (a numeric indicator without a direction).
    result = score(dataset, as_of=as_of, rules=["indicator-progress"], validated=True)
    return result.benchmark("bm-1").score


@pytest.mark.parametrize(
    ("baseline", "target", "reading", "direction", "expected"),
    [
        (10, 20, 15, Direction.HIGHER_IS_BETTER, 0.5),
        (10, 20, 25, Direction.HIGHER_IS_BETTER, 1.0),
        (10, 20, 5, Direction.HIGHER_IS_BETTER, 0.0),
        (20, 10, 17, Direction.LOWER_IS_BETTER, 0.3),
        (20, 10, 24, Direction.LOWER_IS_BETTER, 0.0),
        (5, 5, 6, Direction.HIGHER_IS_BETTER, 1.0),
        (5, 5, 4, Direction.HIGHER_IS_BETTER, 0.0),
        (5, 5, 4, Direction.LOWER_IS_BETTER, 1.0),
        (5, 5, 5, None, 1.0),
        # Schema-valid values at the ends of the float range never overflow.
        (-1.7e308, 1.7e308, 0.0, Direction.HIGHER_IS_BETTER, 0.5),
        (1.7e308, -1.7e308, -0.85e308, Direction.LOWER_IS_BETTER, 0.75),
    ],
)
def test_numeric_progress_is_the_distance_travelled_clamped(
    baseline: float, target: float, reading: float, direction: Direction | None, expected: float
) -> None:
    indicator = _indicator(IndicatorKind.NUMERIC, baseline, target, direction=direction)
    assert _progress_of(indicator, readings={"ind-1": reading}) == pytest.approx(expected)


@pytest.mark.parametrize(("reading", "expected"), [(True, 1.0), (False, 0.0)])
def test_boolean_progress_is_whether_the_target_holds(reading: bool, expected: float) -> None:
    indicator = _indicator(IndicatorKind.BOOLEAN, False, True)
    assert _progress_of(indicator, readings={"ind-1": reading}) == expected


@pytest.mark.parametrize(("reading", "expected"), [("none", 0.0), ("most", 2 / 3), ("all", 1.0)])
def test_ordinal_progress_counts_levels(reading: str, expected: float) -> None:
    indicator = _indicator(IndicatorKind.ORDINAL, "none", "all")
    assert _progress_of(indicator, readings={"ind-1": reading}) == pytest.approx(expected)


def test_indicators_are_weighted_by_their_weight() -> None:
    first = _indicator(IndicatorKind.NUMERIC, 0, 10, indicator_id="ind-1", weight=1)
    second = _indicator(IndicatorKind.BOOLEAN, False, True, indicator_id="ind-2", weight=3)
    assert _progress_of(first, second, readings={"ind-1": 5, "ind-2": True}) == pytest.approx(
        (1 * 0.5 + 3 * 1.0) / 4
    )


def test_an_indicator_whose_baseline_is_later_than_the_date_does_not_count() -> None:
    indicator = _indicator(IndicatorKind.NUMERIC, 0, 10, baseline_date="2012-06")
    assert _progress_of(indicator, readings={"ind-1": 5}) is None


def test_an_undated_baseline_counts_and_an_undated_target_has_no_deadline() -> None:
    indicator = attrs.evolve(
        _indicator(IndicatorKind.NUMERIC, 0, 10),
        baseline=Measurement(value=0),
        target=Measurement(value=10),
    )
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        indicators=(indicator,),
        evidence=(
            make_evidence(
                "ev-1",
                ("bm-1",),
                "2012-01",
                PROGRESS,
                readings=(Reading(indicator="ind-1", value=3),),
            ),
        ),
    )
    result = score(dataset, as_of="2012-03-20", rules=["indicator-progress"]).benchmark("bm-1")
    assert result.score == pytest.approx(0.3)
    assert "baseline 0 (undated), target 10 (no deadline)" in result.explanation.steps[0]


def test_indicator_progress_does_not_apply_without_a_reading_and_falls_through() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        indicators=(_indicator(IndicatorKind.NUMERIC, 0, 10),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-01-10", PROGRESS),),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.rule == "evidence-based"
    assert any(
        step.startswith("indicator-progress does not apply: no indicator")
        for step in result.explanation.steps
    )


def test_the_latest_reading_is_used_and_later_ones_are_not() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        indicators=(_indicator(IndicatorKind.NUMERIC, 0, 10),),
        evidence=(
            make_evidence(
                "ev-1", ("bm-1",), "2011", PROGRESS, readings=(Reading(indicator="ind-1", value=2),)
            ),
            make_evidence(
                "ev-2",
                ("bm-1",),
                "2012-02",
                PROGRESS,
                readings=(Reading(indicator="ind-1", value=4),),
            ),
            make_evidence(
                "ev-3",
                ("bm-1",),
                "2012-04",
                PROGRESS,
                readings=(Reading(indicator="ind-1", value=9),),
            ),
        ),
    )
    result = score(dataset, as_of="2012-03-20", rules=["indicator-progress"]).benchmark("bm-1")
    assert result.score == pytest.approx(0.4)
    reading = next(i for i in result.explanation.inputs if i.kind == "reading")
    assert (reading.id, reading.indicator, reading.value) == ("ev-2", "ind-1", 4)


def test_disagreeing_readings_of_the_same_day_are_recorded() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        indicators=(_indicator(IndicatorKind.NUMERIC, 0, 20),),
        evidence=(
            make_evidence(
                "ev-a",
                ("bm-1",),
                "2012-01",
                PROGRESS,
                readings=(Reading(indicator="ind-1", value=12),),
            ),
            make_evidence(
                "ev-b",
                ("bm-1",),
                "2012-01",
                PROGRESS,
                readings=(Reading(indicator="ind-1", value=17),),
            ),
        ),
    )
    result = score(dataset, as_of="2012-03-20", rules=["indicator-progress"]).benchmark("bm-1")
    assert result.score == pytest.approx(17 / 20)
    assert any("disagree" in step for step in result.explanation.steps)


# -- evidence-based -----------------------------------------------------------------------


def test_evidence_is_weighted_by_reliability_and_recency() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(
            make_evidence(
                "ev-1", ("bm-1",), "2012-03-20", PROGRESS, reliability=Reliability.HIGHLY_RELIABLE
            ),
            make_evidence(
                "ev-2", ("bm-1",), "2011-03-21", REGRESSION, reliability=Reliability.UNSURE
            ),
        ),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    # ev-1: weight 1 x 1; ev-2: 0.5 x 0.5^(365/365) = 0.25. Balance (1 - 0.25) / 1.25 = 0.6.
    assert result.explanation.intermediate["balance"] == pytest.approx(0.6)
    assert result.score == pytest.approx(0.8)
    assert result.provisional is True
    assert result.rule == "evidence-based"
    assert result.explanation.steps[2].startswith("Provisional")
    assert [i.weight for i in result.explanation.inputs] == pytest.approx([0.25, 1.0])


def test_each_piece_of_evidence_is_explained_in_one_step_with_its_grade_and_direction() -> None:
    """Grades (its own, its source's) and directions are found once per call; the words stay."""
    mixed = EvidenceDirection.MIXED
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(
            make_evidence("ev-1", ("bm-1",), "2012-03-20", PROGRESS),
            make_evidence("ev-2", ("bm-1",), "2011-03", REGRESSION, reliability=Reliability.UNSURE),
            make_evidence("ev-3", ("bm-1",), "2012", mixed),
        ),
    )
    context = RuleContext(dataset, as_of=dt.date(2012, 3, 20))
    outcome = get_rule("evidence-based")(dataset.benchmarks[0], context, {})
    assert outcome is not None
    assert outcome.steps[1:4] == (
        (
            "ev-2 (2011-03, regression, -1): reliability unsure 0.5 x recency 0.481"
            " (age 385 days) = weight 0.241."
        ),
        (
            "ev-3 (2012, mixed, +0): reliability likely-reliable 0.8 x recency 0.861"
            " (age 79 days) = weight 0.689."
        ),
        (
            "ev-1 (2012-03-20, progress, +1): reliability likely-reliable 0.8 x recency 1"
            " (age 0 days) = weight 0.8."
        ),
    )
    assert [(i.id, i.value, i.note) for i in outcome.inputs] == [
        ("ev-2", "regression", "source source-1, reliability unsure"),
        ("ev-3", "mixed", "source source-1, reliability likely-reliable"),
        ("ev-1", "progress", "source source-1, reliability likely-reliable"),
    ]
    assert ("sources", "source-1") in context._read  # the fingerprint covers the source read


def test_evidence_without_a_grade_takes_its_source_grade() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-03-20", PROGRESS),),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.explanation.inputs[0].weight == pytest.approx(0.8)
    assert "reliability likely-reliable" in (result.explanation.inputs[0].note or "")


def test_the_half_life_is_a_parameter() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(
            make_evidence("ev-1", ("bm-1",), "2012-03-20", PROGRESS),
            make_evidence("ev-2", ("bm-1",), "2012-02-19", REGRESSION),
        ),
    )
    spec = RuleSpec(rule="evidence-based", parameters={"half_life_days": 30})
    result = score(dataset, as_of="2012-03-20", rules=[spec]).benchmark("bm-1")
    old = 0.5 ** (30 / 30)
    assert result.explanation.intermediate["balance"] == pytest.approx((1 - old) / (1 + old))


def test_a_ceiling_keeps_progress_alone_from_counting_as_met() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-03-01", PROGRESS),),
    )
    spec = RuleSpec(rule="evidence-based", parameters={"ceiling": 0.75})
    result = score(dataset, as_of="2012-03-20", rules=[spec]).benchmark("bm-1")
    assert result.score == 0.75
    assert result.met is False
    assert result.explanation.steps[-3] == (
        "Provisional score = ceiling x (balance + 1) / 2 = 0.75 x 1 = 0.75."
    )


def test_evidence_that_carries_no_weight_is_not_assessable() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(
            make_evidence(
                "ev-1", ("bm-1",), "2012-01", PROGRESS, reliability=Reliability.HIGHLY_UNRELIABLE
            ),
        ),
    )
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.score is None
    assert result.rule == "evidence-based"
    assert result.provisional is True


def test_no_rule_applies_without_records_and_the_explanation_says_why() -> None:
    dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),))
    result = score(dataset, as_of="2012-03-20").benchmark("bm-1")
    assert result.score is None
    assert result.rule is None
    assert result.explanation.steps == (
        "No rule could score bm-1 as of 2012-03-20.",
        "status-mapping does not apply: no assessment of bm-1 is dated on or before 2012-03-20.",
        "indicator-progress does not apply: no indicator measures bm-1.",
        "evidence-based does not apply: no evidence on bm-1 is dated on or before 2012-03-20.",
        "bm-1 is not assessable.",
    )


def test_a_rule_can_be_called_directly_with_a_context() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01-01", "met"),),
    )
    context = RuleContext(dataset, as_of=dt.date(2012, 3, 20))
    outcome = get_rule("status-mapping")(dataset.benchmarks[0], context, {})
    assert outcome is not None
    assert outcome.score == 1.0
    assert math.isclose(outcome.intermediate["level_value"], 1.0)
