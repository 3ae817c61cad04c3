"""Gates: three-valued verdicts, nested conditions, and the MCC scorecard rule."""

from __future__ import annotations

import itertools

import pytest

from benchmarkkit import validate
from benchmarkkit._conditions import (
    AllOf,
    AnyOf,
    AreaCondition,
    AtLeast,
    BenchmarkCondition,
    Condition,
    Gate,
)
from benchmarkkit.scoring import score
from benchmarkkit.scoring._gates import Verdict, condition_verdict
from tests.scoring_strategies import STATUS, make_assessment, make_benchmark, make_dataset

P, F, U = Verdict.PASS, Verdict.FAIL, Verdict.UNDETERMINED
#: A benchmark score for each verdict of a leaf "score >= 0.5".
SCORE_FOR = {P: 1.0, F: 0.0, U: None}


def _verdict(condition: Condition, scores: dict[str, float | None]) -> Verdict:
    result = condition_verdict(
        condition,
        benchmarks=scores,
        areas={},
        scale={STATUS.id: STATUS}.get,
        as_of="2012-03-20",
    )
    return result.verdict


def _leaves(*verdicts: Verdict) -> tuple[tuple[Condition, ...], dict[str, float | None]]:
    conditions = tuple(
        BenchmarkCondition(benchmark=f"b{i}", minimum_score=0.5) for i in range(len(verdicts))
    )
    return conditions, {f"b{i}": SCORE_FOR[v] for i, v in enumerate(verdicts)}


def _kleene_and(a: Verdict, b: Verdict) -> Verdict:
    return F if F in (a, b) else U if U in (a, b) else P


def _kleene_or(a: Verdict, b: Verdict) -> Verdict:
    return P if P in (a, b) else U if U in (a, b) else F


@pytest.mark.parametrize(("a", "b"), list(itertools.product([P, F, U], repeat=2)))
def test_all_of_and_any_of_follow_kleene_logic(a: Verdict, b: Verdict) -> None:
    conditions, scores = _leaves(a, b)
    assert _verdict(AllOf(conditions=conditions), scores) == _kleene_and(a, b)
    assert _verdict(AnyOf(conditions=conditions), scores) == _kleene_or(a, b)


@pytest.mark.parametrize(
    ("verdicts", "count", "expected"),
    [
        ((P, P, F), 2, P),
        ((P, F, F), 2, F),
        ((P, U, F), 2, U),
        ((P, U, U), 3, U),
        ((F, U, U), 3, F),
        ((P, P, U), 2, P),
    ],
)
def test_at_least_passes_fails_or_is_undetermined(
    verdicts: tuple[Verdict, ...], count: int, expected: Verdict
) -> None:
    conditions, scores = _leaves(*verdicts)
    assert _verdict(AtLeast(count=count, conditions=conditions), scores) == expected


def test_a_threshold_can_be_a_level_of_a_scale() -> None:
    condition = BenchmarkCondition(benchmark="b0", scale="status", minimum_level="partly-met")
    assert _verdict(condition, {"b0": 0.6}) == P
    assert _verdict(condition, {"b0": 0.59}) == F
    result = condition_verdict(
        condition,
        benchmarks={"b0": 0.6},
        areas={},
        scale={STATUS.id: STATUS}.get,
        as_of="2012",
    )
    assert result.threshold == 0.6
    assert "partly-met" in result.label


def test_an_area_condition_compares_the_area_score() -> None:
    result = condition_verdict(
        AreaCondition(area="media", minimum_score=0.5),
        benchmarks={},
        areas={"media": 0.4},
        scale=lambda _: None,
        as_of="2012-03-20",
    )
    assert (result.verdict, result.score, result.threshold, result.target) == (F, 0.4, 0.5, "media")


def test_a_condition_on_an_unknown_benchmark_is_undetermined_and_says_so() -> None:
    result = condition_verdict(
        BenchmarkCondition(benchmark="nowhere", minimum_score=0.5),
        benchmarks={},
        areas={},
        scale=lambda _: None,
        as_of="2012-03-20",
    )
    assert (result.verdict, result.detail) == (U, "the dataset has no benchmark 'nowhere'")


def test_a_condition_without_a_threshold_is_undetermined_and_says_so() -> None:
    result = condition_verdict(
        BenchmarkCondition(benchmark="b0"),
        benchmarks={"b0": 1.0},
        areas={},
        scale=lambda _: None,
        as_of="2012-03-20",
    )
    assert result.verdict is U
    assert result.detail == (
        "the threshold cannot be determined: no threshold: give either minimum_score, "
        "or scale with minimum_level"
    )


def test_a_broken_condition_is_reported_once_by_validation_and_not_again_by_scoring() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-law"),),
        gates=(
            Gate(
                id="g",
                title="A gate",
                condition=AllOf(
                    conditions=(
                        BenchmarkCondition(benchmark="bm-lwa", minimum_score=0.5),
                        BenchmarkCondition(benchmark="bm-law"),
                        AreaCondition(area="nowhere", minimum_score=0.5),
                    )
                ),
            ),
        ),
    )
    found = [(p.code, p.pointer, p.message) for p in validate(dataset).problems]
    assert found == [
        (
            "unknown-reference",
            "/gates/0/condition/conditions/0/benchmark",
            (
                "gate 'g': 'condition.conditions[0].benchmark' refers to benchmark 'bm-lwa', "
                "which the dataset does not define (did you mean 'bm-law'?)"
            ),
        ),
        (
            "ambiguous-threshold",
            "/gates/0/condition/conditions/1",
            (
                "gate 'g': the condition on benchmark 'bm-law' needs either minimum_score or "
                "scale with minimum_level"
            ),
        ),
        (
            "unknown-reference",
            "/gates/0/condition/conditions/2/area",
            (
                "gate 'g': 'condition.conditions[2].area' refers to area 'nowhere', "
                "which the dataset does not define"
            ),
        ),
    ]
    scorecard = score(dataset, as_of="2012-03-20", validated=True)
    assert [p.code for p in scorecard.problems] == []
    assert scorecard.gate("g").verdict is U


# -- the MCC scorecard rule ------------------------------------------------------------------

INDICATORS = [f"mcc-{i:02d}" for i in range(1, 21)]


def _mcc_gate() -> Gate:
    """Pass at least 10 of 20 indicators, AND the Control of Corruption hurdle, AND one of PR/CL."""
    passes = tuple(
        BenchmarkCondition(benchmark=b, scale="status", minimum_level="met") for b in INDICATORS
    )
    return Gate(
        id="mcc-scorecard",
        title="MCC scorecard",
        applies_to="eligibility for a compact",
        condition=AllOf(
            label="MCC scorecard",
            conditions=(
                AtLeast(count=10, conditions=passes, label="pass at least 10 of 20 indicators"),
                BenchmarkCondition(
                    benchmark="control-of-corruption",
                    scale="status",
                    minimum_level="met",
                    label="Control of Corruption hurdle",
                ),
                AnyOf(
                    label="Political Rights or Civil Liberties hurdle",
                    conditions=(
                        BenchmarkCondition(benchmark="political-rights", minimum_score=1.0),
                        BenchmarkCondition(benchmark="civil-liberties", minimum_score=1.0),
                    ),
                ),
            ),
        ),
    )


def _mcc(
    passed: int,
    *,
    missing: int = 0,
    corruption: str | None = "met",
    rights: tuple[str | None, str | None] = ("met", "met"),
) -> Verdict:
    levels: dict[str, str | None] = {}
    for index, benchmark in enumerate(INDICATORS):
        levels[benchmark] = (
            "met" if index < passed else None if index < passed + missing else "not-met"
        )
    levels["control-of-corruption"] = corruption
    levels["political-rights"], levels["civil-liberties"] = rights
    dataset = make_dataset(
        benchmarks=tuple(make_benchmark(b) for b in levels),
        assessments=tuple(
            make_assessment(f"as-{b}", b, "2012-01-01", level) for b, level in levels.items()
        ),
        gates=(_mcc_gate(),),
    )
    return score(dataset, as_of="2012-03-20").gate("mcc-scorecard").verdict


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ({"passed": 12}, P),
        ({"passed": 10}, P),
        ({"passed": 9}, F),
        ({"passed": 20, "corruption": "not-met"}, F),
        ({"passed": 12, "rights": ("not-met", "met")}, P),
        ({"passed": 12, "rights": ("not-met", "not-met")}, F),
        ({"passed": 12, "rights": ("not-met", None)}, U),
        ({"passed": 9, "missing": 2}, U),
        ({"passed": 9, "missing": 2, "corruption": "not-met"}, F),
        ({"passed": 12, "corruption": None}, U),
        ({"passed": 5, "missing": 3, "corruption": None}, F),
    ],
)
def test_the_mcc_scorecard_rule(case: dict[str, object], expected: Verdict) -> None:
    assert _mcc(**case) == expected  # type: ignore[arg-type]


def test_a_gate_verdict_lists_every_condition_and_why() -> None:
    levels: dict[str, str | None] = dict.fromkeys(INDICATORS[:11], "met")
    levels |= dict.fromkeys(INDICATORS[11:], "not-met")
    levels |= {
        "control-of-corruption": "not-met",
        "political-rights": "met",
        "civil-liberties": None,
    }
    dataset = make_dataset(
        benchmarks=tuple(make_benchmark(b) for b in levels),
        assessments=tuple(
            make_assessment(f"as-{b}", b, "2012-01-01", lv) for b, lv in levels.items()
        ),
        gates=(_mcc_gate(),),
    )
    verdict = score(dataset, as_of="2012-03-20").gate("mcc-scorecard")
    assert verdict.verdict is F
    assert verdict.applies_to == "eligibility for a compact"
    top = verdict.condition
    assert [c.verdict for c in top.children] == [P, F, P]
    assert top.children[0].detail.startswith(
        "11 of 20 hold, 9 do not, 0 undetermined; at least 10 must hold, so it passes on: "
        "mcc-01 has Met (1), needs Met (1); mcc-02 has Met (1), needs Met (1); "
    )
    assert top.children[0].decided_by == tuple(range(11))
    assert top.children[1].detail == "control-of-corruption has Not met (0.25), needs Met (1)"
    assert top.children[2].children[1].verdict is U
    assert verdict.explanation.steps[0] == "Gate mcc-scorecard as of 2012-03-20: fail."
    assert verdict.explanation.steps[1] == (
        "[fail] MCC scorecard: 2 of 3 hold, 1 does not, 0 undetermined; all must hold, so it "
        "fails on: control-of-corruption has Not met (0.25), needs Met (1)"
    )
    assert top.decided_by == (1,)
    assert {i.id for i in verdict.explanation.inputs} == set(levels)
