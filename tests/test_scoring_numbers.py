"""The one weighted mean that aggregations and the indicator-progress rule share.

``scale_items`` and ``weighted_mean`` in ``scoring/_numbers.py`` are used by both the
``weighted-mean`` aggregation and the ``indicator-progress`` rule, so that the two
scale weights, add them up and keep the mean inside the scores the same way.
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._wording import plural
from benchmarkkit.scoring._aggregate import weighted_mean as weighted_mean_aggregation
from benchmarkkit.scoring._numbers import (
    fmt,
    fmt_reference,
    scale_items,
    weighted_mean,
    within,
)

scores = st.floats(0, 1)
weights = st.floats(1e-3, 1e3)
pairs = st.lists(st.tuples(scores, weights), min_size=1, max_size=12)


@given(pairs)
def test_the_mean_lies_within_the_scores_and_is_exact_to_rounding(
    items: list[tuple[float, float]],
) -> None:
    weighted, total, mean = weighted_mean(items)
    assert min(s for s, _ in items) <= mean <= max(s for s, _ in items)
    exact = sum(Fraction(w) * Fraction(s) for s, w in items) / sum(Fraction(w) for _, w in items)
    assert math.isclose(mean, float(exact), rel_tol=1e-12, abs_tol=1e-15)
    assert total == math.fsum(w for _, w in items)
    assert weighted == math.fsum(w * s for s, w in items)


@given(pairs, st.randoms(use_true_random=False))
def test_the_order_of_the_items_never_changes_the_mean(
    items: list[tuple[float, float]], shuffler: random.Random
) -> None:
    shuffled = list(items)
    shuffler.shuffle(shuffled)
    assert weighted_mean(shuffled) == weighted_mean(items)


@given(pairs, st.integers(-1000, 1000))
def test_weights_times_a_power_of_two_give_the_same_mean(
    items: list[tuple[float, float]], power: int
) -> None:
    steps: list[str] = []
    moved = scale_items([(s, math.ldexp(w, power)) for s, w in items], steps)
    # Exact but where a product of a tiny score and a weight becomes subnormal: each such
    # product may be off by the smallest float, which the sum of the weights divides.
    expected = weighted_mean(scale_items(items, []))[2]
    subnormal = len(moved) * math.ulp(0.0) / math.fsum(weight for _, weight in moved)
    assert math.isclose(
        weighted_mean(moved)[2], expected, rel_tol=1e-12, abs_tol=max(1e-300, subnormal)
    )
    # Weights are scaled only where their exponent is out of the safe range, and it is said.
    largest = max(math.ldexp(w, power) for _, w in items)
    assert bool(steps) == (not -1000 <= math.frexp(largest)[1] <= 960)


def test_scaling_says_what_it_did_and_how_many_weights_it_lost() -> None:
    steps: list[str] = []
    kept = scale_items([(0.5, 1e308), (1.0, 5e-324)], steps, "indicator weights", "indicator")
    assert kept == [(0.5, math.ldexp(1e308, -1024))]
    assert steps == [
        (
            "The indicator weights are too large to add up without overflow (the largest is "
            "1e+308); they are divided by 2^1024 first (exactly), which leaves the mean unchanged."
        ),
        (
            "1 indicator weighs so little beside the largest weight that its weight becomes 0 "
            "when scaled, so it does not count."
        ),
    ]


def test_the_aggregation_says_the_mean_the_shared_function_computes() -> None:
    items = [(0.1875, 0.2), (1.0, 0.1), (0.0, 3.0)]
    outcome = weighted_mean_aggregation(items, {})
    assert outcome.score == weighted_mean(items)[2]
    assert outcome.steps[-1] == (
        "Weighted mean of 3 scores: (0.2 x 0.188 + 0.1 x 1 + 3 x 0) / (0.2 + 0.1 + 3) = "
        "0.138 / 3.3 = 0.042."
    )


def test_a_rounded_mean_is_kept_within_the_scores() -> None:
    # 0.1875 weighted 0.2 alone gives 0.18750000000000003 by division.
    assert 0.2 * 0.1875 / 0.2 != 0.1875
    assert weighted_mean([(0.1875, 0.2)])[2] == 0.1875
    assert within(1.5, [0.2, 2.0]) == 1.0
    assert within(-0.5, [0.0]) == 0.0


def test_counts_are_written_with_their_noun() -> None:
    assert [plural(n, "score") for n in (0, 1, 2)] == ["0 scores", "1 score", "2 scores"]


@given(st.floats() | st.integers() | st.sampled_from([0.0005, -0.0005, 0.00049999, 1e12, -1e12]))
def test_fmt_writes_every_number_as_its_reference_does(value: float) -> None:
    assert fmt_reference(value) == fmt(value)


def test_fmt_writes_three_decimals_at_most_and_scientific_notation_at_the_ends() -> None:
    written = [fmt(v) for v in (0.5, -0.0, 2.0, 0.1235, 1e12, 0.0004, 999999999999.0)]
    assert written == ["0.5", "0", "2", "0.123", "1e+12", "0.0004", "999999999999"]
