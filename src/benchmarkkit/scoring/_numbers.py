"""How scores are compared, clamped, averaged and written in explanations; how weights scale."""

from __future__ import annotations

import math
from collections.abc import Sequence

from benchmarkkit._wording import plural

__all__ = [
    "TOLERANCE",
    "at_least",
    "clamp",
    "fmt",
    "fmt_reference",
    "scale_items",
    "scale_weights",
    "weighted_mean",
    "within",
]

#: Scores within this distance of a threshold count as reaching it, so that
#: rounding in a mean (0.6666666666666666 against a level's 2/3) never decides a verdict.
TOLERANCE = 1e-9
_LARGE = 1e12
#: Below this, a number written with three decimals would read 0 (or lose all its digits).
_SMALL = 0.0005
#: The largest weight is scaled when its binary exponent is above this: a sum of up to
#: 2^63 weights below 2^960 stays far from overflow.
_LARGEST_EXPONENT = 960
#: ... or below this: products of a score with weights this small still keep about 74
#: bits beside the largest weight, where the smallest float (2^-1074) rounds them.
_SMALLEST_EXPONENT = -1000


def at_least(score: float, threshold: float) -> bool:
    """Tell whether ``score`` reaches ``threshold``, allowing for rounding (:data:`TOLERANCE`)."""
    return score >= threshold - TOLERANCE


def clamp(value: float) -> float:
    """Limit ``value`` to [0, 1]."""
    return min(1.0, max(0.0, value))


def within(value: float, scores: Sequence[float]) -> float:
    """Limit a mean of ``scores`` to [0, 1] and to their range.

    The exact mean lies between the lowest and the highest score; rounding must
    not take it outside (0.1875 weighted 0.2 alone would give 0.18750000000000003).
    """
    return clamp(min(max(value, min(scores)), max(scores)))


def fmt(value: float) -> str:
    """Write a number as explanations do: at most three decimals, no trailing zeros.

    Numbers of a million million and more, and numbers other than 0 that three
    decimals would show as 0, are written in scientific notation (``1e+308``,
    ``1e-300``), so that an explanation never shows a number that is not 0 as 0.

    The same text as :func:`fmt_reference`, the plain statement of these rules
    (``tests/test_scoring_numbers.py`` holds the two equal for every float), in
    about three quarters of its time: comparisons instead of ``abs``, and no
    stripping when the third decimal is not 0.
    """
    if -_LARGE < value < _LARGE and not (-_SMALL < value < _SMALL and value):
        text = "%.3f" % value  # noqa: UP031 - a quarter faster than an f-string here
        if text[-1] != "0":
            return text
        text = text.rstrip("0").rstrip(".")
        return "0" if text in {"-0", ""} else text
    return f"{value:.4g}"


def fmt_reference(value: float) -> str:
    """:func:`fmt` as its rules say it: the reference the faster :func:`fmt` is tested against."""
    size = abs(value)
    if size >= _LARGE or 0 < size < _SMALL:
        return f"{value:.4g}"
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def scale_weights(
    weights: Sequence[float], noun: str = "weights", item: str = "item"
) -> tuple[list[float], list[str]]:
    """Multiply positive ``weights`` by a power of two when they are too large or too small.

    Weights whose sum could overflow, or so small that a score times them
    loses precision (``5e-324 * 0.33`` is 0), are scaled so that the largest
    lies in [0.5, 1). A power of two is exact, so every weighted mean stays
    the same. Returns the weights used, and the steps that say what was done
    (none when the weights are used as they are), which give the largest weight
    as the dataset does (shortest form, ``5e-324``). A weight too small beside
    the largest to survive the scaling becomes 0; a step says how many did.
    """
    largest = max(weights)
    exponent = math.frexp(largest)[1]
    if _SMALLEST_EXPONENT <= exponent <= _LARGEST_EXPONENT:
        return list(weights), []
    if exponent > 0:
        why = (
            f"The {noun} are too large to add up without overflow (the largest is "
            f"{largest!r}); they are divided by 2^{exponent} first (exactly), which leaves "
            f"the mean unchanged."
        )
    else:
        why = (
            f"The {noun} are so small (the largest is {largest!r}) that products with them "
            f"lose precision; they are multiplied by 2^{-exponent} first (exactly), which "
            f"leaves the mean unchanged."
        )
    steps = [why]
    scaled = [math.ldexp(weight, -exponent) for weight in weights]
    lost = sum(1 for weight in scaled if weight == 0)
    if lost:
        steps.append(
            f"{plural(lost, item)} "
            f"{'weighs' if lost == 1 else 'weigh'} so little beside the largest weight that "
            f"{'its weight becomes' if lost == 1 else 'their weights become'} 0 when scaled, "
            f"so {'it does' if lost == 1 else 'they do'} not count."
        )
    return scaled, steps


def scale_items(
    items: Sequence[tuple[float, float]],
    steps: list[str],
    noun: str = "weights",
    item: str = "item",
) -> list[tuple[float, float]]:
    """Scale the weights of ``(score, weight)`` pairs with :func:`scale_weights`.

    The steps that say so are added to ``steps``; a pair whose weight becomes 0
    in the scaling is left out, as weight 0 is.
    """
    weights, scaling = scale_weights([weight for _, weight in items], noun, item)
    steps.extend(scaling)
    return [(score, weight) for (score, _), weight in zip(items, weights, strict=True) if weight]


def weighted_mean(items: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """``(sum of weight x score, sum of weights, mean)`` of ``(score, weight)`` pairs.

    The weights must be positive and scaled (:func:`scale_items`); the sums use
    :func:`math.fsum`, so the order of the pairs does not matter, and the mean
    is kept :func:`within` the scores.
    """
    weighted = math.fsum(weight * score for score, weight in items)
    total = math.fsum(weight for _, weight in items)
    return weighted, total, within(weighted / total, [score for score, _ in items])
