"""The built-in aggregations: weighted mean, geometric mean, minimum, share met.

Every built-in aggregation leaves out items that are not assessable
(score ``None``) and items of weight 0, and says how many; an aggregate of
nothing is not assessable, never a silent zero. Sums use :func:`math.fsum`,
so the result does not depend on the order of the items. Weights so large
that their sum would overflow, or so small that products with them lose
precision (any finite weight is valid), are first multiplied by a power of
two, which is exact and leaves every mean unchanged; the explanation shows
the weights used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from benchmarkkit._wording import plural
from benchmarkkit.scoring import _numbers
from benchmarkkit.scoring._numbers import at_least, fmt, scale_items, within
from benchmarkkit.scoring._protocols import AggregateOutcome
from benchmarkkit.scoring._registry import register_aggregation

__all__ = ["geometric_mean", "minimum", "share_met", "weighted_mean"]

_NO_PARAMETERS: Mapping[str, Any] = {"type": "object", "additionalProperties": False}
_MAX_TERMS = 12


def _usable(
    items: Sequence[tuple[float | None, float]], *, scaled: bool = False
) -> tuple[list[tuple[float, float]], list[str]]:
    """Split off the items that count; say in steps which were left out and why.

    With ``scaled``, weights too large or too small are scaled (:func:`scale_items`),
    which leaves every mean unchanged; the weights the dataset gives are kept
    whenever that is safe, so that the numbers shown are the dataset's.
    """
    usable = [(score, weight) for score, weight in items if score is not None and weight > 0]
    steps = []
    missing = sum(1 for score, _ in items if score is None)
    weightless = sum(1 for score, weight in items if score is not None and weight <= 0)
    if missing:
        steps.append(
            f"{missing} of {plural(len(items), 'item')} "
            f"{'is' if missing == 1 else 'are'} not assessable and left out."
        )
    if weightless:
        steps.append(
            f"{weightless} {'item has' if weightless == 1 else 'items have'} weight 0 and "
            f"{'does' if weightless == 1 else 'do'} not count."
        )
    return (scale_items(usable, steps) if scaled and usable else usable), steps


def _nothing(steps: list[str]) -> AggregateOutcome:
    return AggregateOutcome(
        score=None, steps=[*steps, "Nothing is left to aggregate, so the result is not assessable."]
    )


def _terms(parts: list[str], joiner: str) -> str:
    if len(parts) > _MAX_TERMS:
        return f"{joiner.join(parts[:_MAX_TERMS])}{joiner}... ({len(parts)} terms)"
    return joiner.join(parts)


@register_aggregation("weighted-mean", parameters_schema=_NO_PARAMETERS)
def weighted_mean(
    items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any]
) -> AggregateOutcome:
    """Weighted arithmetic mean: sum(w * s) / sum(w) over the items that count."""
    usable, steps = _usable(items, scaled=True)
    if not usable:
        return _nothing(steps)
    weighted, total, result = _numbers.weighted_mean(usable)
    numerator = _terms([f"{fmt(w)} x {fmt(s)}" for s, w in usable], " + ")
    denominator = _terms([fmt(w) for _, w in usable], " + ")
    steps.append(
        f"Weighted mean of {plural(len(usable), 'score')}: "
        f"({numerator}) / ({denominator}) = {fmt(weighted)} / {fmt(total)} = {fmt(result)}."
    )
    return AggregateOutcome(
        score=result,
        steps=steps,
        intermediate={"sum_of_weighted_scores": weighted, "sum_of_weights": total},
    )


@register_aggregation("geometric-mean", parameters_schema=_NO_PARAMETERS)
def geometric_mean(
    items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any]
) -> AggregateOutcome:
    """Weighted geometric mean: exp(sum(w * ln s) / sum(w)); any score of 0 makes it 0."""
    usable, steps = _usable(items, scaled=True)
    if not usable:
        return _nothing(steps)
    total = math.fsum(weight for _, weight in usable)
    formula = _terms([f"{fmt(s)}^{fmt(w)}" for s, w in usable], " x ")
    if any(score == 0 for score, _ in usable):
        steps.append(
            f"Weighted geometric mean: ({formula})^(1/{fmt(total)}); a score of 0 makes the "
            f"product 0, so the result is 0 (no compensation for a failed item)."
        )
        return AggregateOutcome(score=0.0, steps=steps, intermediate={"sum_of_weights": total})
    log_sum = math.fsum(weight * math.log(score) for score, weight in usable)
    result = within(math.exp(log_sum / total), [score for score, _ in usable])
    steps.append(
        f"Weighted geometric mean of {plural(len(usable), 'score')}: "
        f"({formula})^(1/{fmt(total)}) = exp({fmt(log_sum)} / {fmt(total)}) = {fmt(result)}."
    )
    return AggregateOutcome(
        score=result,
        steps=steps,
        intermediate={"sum_of_weighted_logs": log_sum, "sum_of_weights": total},
    )


@register_aggregation("minimum", parameters_schema=_NO_PARAMETERS)
def minimum(
    items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any]
) -> AggregateOutcome:
    """Weakest link: the lowest score among the items that count (weights only switch items off)."""
    usable, steps = _usable(items)
    if not usable:
        return _nothing(steps)
    result = min(score for score, _ in usable)
    scores = _terms([fmt(score) for score, _ in usable], ", ")
    steps.append(f"Weakest link: the lowest of ({scores}) is {fmt(result)}.")
    return AggregateOutcome(score=result, steps=steps)


@register_aggregation(
    "share-met",
    parameters_schema={
        "type": "object",
        "properties": {
            "threshold": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "The score at which an item counts as met; defaults to the "
                "configuration's met_threshold.",
            }
        },
        "additionalProperties": False,
    },
    config_defaults={"threshold": "met_threshold"},
)
def share_met(
    items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any]
) -> AggregateOutcome:
    """Share of the items that count whose score is at or above ``threshold`` (unweighted)."""
    usable, steps = _usable(items)
    if not usable:
        return _nothing(steps)
    threshold = float(parameters.get("threshold", 1.0))
    met = sum(1 for score, _ in usable if at_least(score, threshold))
    result = met / len(usable)
    steps.append(
        f"{met} of {len(usable)} {'item reaches' if len(usable) == 1 else 'items reach'} the "
        f"threshold {fmt(threshold)}: share met = {met} / {len(usable)} = {fmt(result)}."
    )
    return AggregateOutcome(
        score=result,
        steps=steps,
        intermediate={"met": float(met), "counted": float(len(usable)), "threshold": threshold},
    )
