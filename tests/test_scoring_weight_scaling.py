"""Weights at either end of the float range: the score is right, and so is its explanation.

Any finite non-negative weight is schema-valid. Weights so large that their sum
would overflow, or so small that their products with scores vanish (``5e-324``
times ``0.33`` is 0), are first multiplied by an exact power of two; the
explanation then shows the numbers actually used, and says so.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from benchmarkkit import (
    Area,
    Direction,
    EvidenceDirection,
    Indicator,
    IndicatorKind,
    Measurement,
    PartialDate,
    Reading,
)
from benchmarkkit.scoring import score
from benchmarkkit.scoring._aggregate import geometric_mean, weighted_mean
from benchmarkkit.scoring._numbers import fmt
from tests.conftest import EXAMPLE
from tests.scoring_strategies import make_benchmark, make_dataset, make_evidence

#: The example's overall score with equal area weights, as of 2012-03-20.
EQUAL_WEIGHTS_SCORE = "0.22"


def _example_with_area_weights(folder: Path, weights: list[str]) -> Path:
    shutil.copytree(EXAMPLE, folder)
    areas = folder / "areas.yaml"
    text = areas.read_text("utf-8")
    starts = list(re.finditer(r"\n  - id: [^\n]+\n", text))
    assert len(starts) == len(weights)
    for match, weight in zip(reversed(starts), reversed(weights), strict=True):
        text = text[: match.end()] + f"    weight: {weight}\n" + text[match.end() :]
    areas.write_text(text, "utf-8")
    return folder


def _overall(cli: Any, folder: Path) -> dict[str, Any]:
    run = cli("score", folder, "--as-of", "2012-03-20", "--format", "json")
    assert run.status == 0, run.err
    card = json.loads(run.out)
    assert card["problems"] == []
    overall: dict[str, Any] = card["overall"]
    return overall


# -- the example with tiny area weights ------------------------------------------------------


def test_the_smallest_weight_on_every_area_scores_as_equal_weights_do(
    tmp_path: Path, cli: Any
) -> None:
    equal = _overall(cli, EXAMPLE)
    folder = _example_with_area_weights(tmp_path / "kz", ["5e-324"] * 6)
    overall = _overall(cli, folder)
    assert overall["score"] == pytest.approx(equal["score"], abs=1e-12)
    assert f"{overall['score']:.2f}" == EQUAL_WEIGHTS_SCORE
    steps = overall["explanation"]["steps"]
    assert (
        "The weights are so small (the largest is 5e-324) that products with them lose "
        "precision; they are multiplied by 2^1073 first (exactly), which leaves the mean "
        "unchanged." in steps
    )
    assert steps[-1].startswith("Weighted mean of 6 scores: (0.5 x 0.22 + 0.5 x 0.333 + ")
    assert steps[-1].endswith(" / (0.5 + 0.5 + 0.5 + 0.5 + 0.5 + 0.5) = 0.663 / 3 = 0.221.")
    table = cli("score", folder, "--as-of", "2012-03-20")
    assert table.status == 0, table.err
    assert re.search(r"│ Overall +│ +0\.22 │", table.out)


def test_a_tiny_weight_on_one_area_makes_that_area_the_score(tmp_path: Path, cli: Any) -> None:
    first_area = "area-political-participation"  # the first area of areas.yaml
    equal = cli("score", EXAMPLE, "--as-of", "2012-03-20", "--format", "json")
    [area] = [a for a in json.loads(equal.out)["areas"] if a["area_id"] == first_area]
    folder = _example_with_area_weights(tmp_path / "kz", ["5e-324", "0", "0", "0", "0", "0"])
    overall = _overall(cli, folder)
    assert overall["score"] == area["score"]
    assert f"{overall['score']:.2f}" == "0.33"
    assert overall["explanation"]["steps"][-1] == (
        "Weighted mean of 1 score: (0.5 x 0.33) / (0.5) = 0.165 / 0.5 = 0.33."
    )


def test_small_weights_that_need_no_scaling_are_shown_as_they_are(tmp_path: Path, cli: Any) -> None:
    folder = _example_with_area_weights(tmp_path / "kz", ["1e-300"] * 6)
    overall = _overall(cli, folder)
    assert f"{overall['score']:.2f}" == EQUAL_WEIGHTS_SCORE
    last = overall["explanation"]["steps"][-1]
    assert last.startswith("Weighted mean of 6 scores: (1e-300 x 0.22 + 1e-300 x 0.333 + ")
    assert last.endswith(" = 1.327e-300 / 6e-300 = 0.221.")
    assert not any("2^" in step for step in overall["explanation"]["steps"])


# -- the aggregations and indicator progress, for any weights ------------------------------

finite_weights = st.floats(0, 1.7976931348623157e308, allow_nan=False, allow_infinity=False)
scored_items = st.lists(st.tuples(st.floats(0, 1), finite_weights), min_size=1, max_size=8)
#: The last number of an explanation step, before its full stop.
_LAST_NUMBER = re.compile(r"[=:] (\S+)\.$")


def _exact_mean(items: list[tuple[float, float]]) -> float:
    total = sum(Fraction(weight) for _, weight in items)
    return float(sum(Fraction(score) * Fraction(weight) for score, weight in items) / total)


@given(scored_items)
@example([(0.5, 5e-324)])
@example([(1 / 3, 5e-324)] * 3 + [(0.0, 5e-324)] * 3)
@example([(0.25, 1e-300), (0.75, 3e-300)])
@example([(0.5, 1e308), (1.0, 1.7e308), (0.0, 1e-320)])
@example([(0.1875, 0.2)])  # rounding alone would put the mean above the one score
def test_the_weighted_mean_is_the_exact_mean_for_any_finite_weights(
    items: list[tuple[float, float]],
) -> None:
    assume(any(weight > 0 for _, weight in items))
    outcome = weighted_mean(items, {})
    assert outcome.score is not None
    assert math.isclose(outcome.score, _exact_mean(items), rel_tol=0, abs_tol=1e-9)
    counted = [score for score, weight in items if weight > 0]
    assert min(counted) <= outcome.score <= max(counted)
    final = _LAST_NUMBER.search(outcome.steps[-1])
    assert final is not None
    assert final.group(1) == fmt(outcome.score)


@given(scored_items)
@example([(0.25, 5e-324), (1.0, 5e-324)])
def test_the_geometric_mean_stays_between_the_scores_for_any_finite_weights(
    items: list[tuple[float, float]],
) -> None:
    assume(any(weight > 0 for _, weight in items))
    outcome = geometric_mean(items, {})
    assert outcome.score is not None
    counted = [score for score, weight in items if weight > 0]
    tolerance = 1e-12
    assert min(counted) - tolerance <= outcome.score <= max(counted) + tolerance
    assert fmt(outcome.score) in outcome.steps[-1]


@pytest.mark.parametrize("tiny", [5e-324, 1e-310])
def test_the_geometric_mean_of_tiny_weights_is_the_equal_weights_mean(tiny: float) -> None:
    outcome = geometric_mean([(0.25, tiny), (1.0, tiny)], {})
    assert outcome.score == pytest.approx(0.5)
    assert "multiplied by 2^" in outcome.steps[0]


def test_a_weight_lost_to_scaling_is_said_to_count_as_0() -> None:
    outcome = weighted_mean([(1.0, 1e308), (0.0, 5e-324)], {})
    assert outcome.score == 1.0
    assert list(outcome.steps[1:]) == [
        (
            "1 item weighs so little beside the largest weight that its weight becomes 0 when "
            "scaled, so it does not count."
        ),
        "Weighted mean of 1 score: (0.556 x 1) / (0.556) = 0.556 / 0.556 = 1.",
    ]


def _indicator(indicator_id: str, weight: float) -> Indicator:
    return Indicator(
        id=indicator_id,
        benchmark="bm-1",
        title="An indicator",
        kind=IndicatorKind.NUMERIC,
        unit="cases",
        direction=Direction.HIGHER_IS_BETTER,
        baseline=Measurement(value=0, date=PartialDate(2010)),
        target=Measurement(value=10, date=PartialDate(2014)),
        weight=weight,
    )


@pytest.mark.parametrize(
    ("weights", "expected", "scaled"),
    [
        ((5e-324, 5e-324), (0.2 + 0.6) / 2, True),
        ((5e-324, 0.0), 0.2, True),
        ((1.7e308, 1.7e308), (0.2 + 0.6) / 2, True),
        ((1e-300, 3e-300), (0.2 + 3 * 0.6) / 4, False),
    ],
)
def test_indicator_progress_weighs_tiny_and_huge_weights_exactly(
    weights: tuple[float, float], expected: float, scaled: bool
) -> None:
    indicators = (_indicator("ind-1", weights[0]), _indicator("ind-2", weights[1]))
    evidence = tuple(
        make_evidence(
            f"ev-{name}",
            ("bm-1",),
            "2012-01-10",
            EvidenceDirection.PROGRESS,
            readings=(Reading(indicator=name, value=value),),
        )
        for name, value in (("ind-1", 2), ("ind-2", 6))
    )
    dataset = make_dataset(
        areas=(Area(id="area-1", title="One"),),
        benchmarks=(make_benchmark("bm-1"),),
        indicators=indicators,
        evidence=evidence,
    )
    result = score(dataset, as_of="2012-03-20", rules=["indicator-progress"]).benchmark("bm-1")
    assert result.score == pytest.approx(expected)
    steps = result.explanation.steps
    [last] = [s for s in steps if s.startswith(("Weighted by", "The score is that indicator"))]
    final = _LAST_NUMBER.search(last)
    assert final is not None
    assert final.group(1) == fmt(expected)
    assert any("2^" in step for step in steps) == scaled
