"""The built-in benchmark rules: status mapping, indicator progress, evidence-based.

Each rule's exact semantics, with a worked example, is in ``docs/scoring.md``;
the tests hold the numbers there to the code.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from benchmarkkit._model import Benchmark, Evidence, Indicator, IndicatorValue, Reading
from benchmarkkit._scales import BUILTIN_SCALES
from benchmarkkit._vocabulary import Direction, EvidenceDirection, IndicatorKind, Reliability
from benchmarkkit._wording import plural
from benchmarkkit.scoring._context import RuleContext
from benchmarkkit.scoring._explain import Input
from benchmarkkit.scoring._numbers import clamp, fmt, scale_items, weighted_mean
from benchmarkkit.scoring._protocols import RuleOutcome, Status
from benchmarkkit.scoring._registry import register_rule

__all__ = [
    "DEFAULT_HALF_LIFE_DAYS",
    "DIRECTION_VALUES",
    "RELIABILITY_WEIGHTS",
    "evidence_based",
    "indicator_progress",
    "status_mapping",
]

_NO_PARAMETERS: Mapping[str, Any] = {"type": "object", "additionalProperties": False}

#: How much a piece of evidence counts, by its HURIDOCS reliability grade.
RELIABILITY_WEIGHTS: Mapping[Reliability, float] = {
    Reliability.HIGHLY_RELIABLE: 1.0,
    Reliability.LIKELY_RELIABLE: 0.8,
    Reliability.UNSURE: 0.5,
    Reliability.UNKNOWN: 0.5,
    Reliability.LIKELY_UNRELIABLE: 0.2,
    Reliability.HIGHLY_UNRELIABLE: 0.0,
}
#: Which way a piece of evidence pushes a benchmark: +1 towards it, -1 away from it.
DIRECTION_VALUES: Mapping[EvidenceDirection, float] = {
    EvidenceDirection.PROGRESS: 1.0,
    EvidenceDirection.REGRESSION: -1.0,
    EvidenceDirection.NO_CHANGE: 0.0,
    EvidenceDirection.MIXED: 0.0,
}
#: Each direction's value, its name, and both as evidence-based writes them (``progress, +1``).
_DIRECTION_WORDS: Mapping[EvidenceDirection, tuple[float, str, str]] = {
    direction: (value, direction.value, f"{direction.value}, {value:+g}")
    for direction, value in DIRECTION_VALUES.items()
}
#: The default half-life of evidence: a year-old observation counts half as much as today's.
DEFAULT_HALF_LIFE_DAYS = 365.0


# -- status-mapping ------------------------------------------------------------------------


@register_rule("status-mapping", parameters_schema=_NO_PARAMETERS, dated=False)
def status_mapping(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    """Score a benchmark by the value of the level its latest assessment states."""
    known = context.assessments(benchmark.id)
    as_of = context.as_of.isoformat()
    if not known:
        return context.decline(f"no assessment of {benchmark.id} is dated on or before {as_of}")
    latest = known[-1]
    steps = [
        (
            f"The latest assessment as of {as_of} is {latest.id} by {latest.assessor}, "
            f"as of {latest.as_of}."
        )
    ]
    earlier = [a.id for a in known[:-1] if a.as_of.order != latest.as_of.order]
    ties = [a.id for a in known[:-1] if a.as_of.order == latest.as_of.order]
    if earlier:
        superseded = plural(len(earlier), "earlier assessment")
        steps.append(f"It supersedes {superseded}: {', '.join(earlier)}.")
    if ties:
        steps.append(
            f"{', '.join(ties)} {'has' if len(ties) == 1 else 'have'} the same date; of "
            f"assessments with the same date the one with the greatest id is used."
        )
    inputs = [Input(kind="assessment", id=latest.id, date=latest.as_of, value=latest.level)]
    if latest.level is None:
        steps.append(f"It records that {benchmark.id} could not be assessed: {latest.rationale}")
        return RuleOutcome(score=None, steps=steps, inputs=inputs)
    scale = context.scale(latest.scale)
    if scale is None:
        steps.append(
            f"Its scale {latest.scale!r} is neither declared by the dataset nor built in, so the "
            f"level cannot be valued."
        )
        return RuleOutcome(score=None, steps=steps, inputs=inputs)
    level = scale.level(latest.level)
    if level is None:
        steps.append(
            f"Level {latest.level!r} is not on scale {scale.id!r} "
            f"({', '.join(lv.id for lv in scale.levels)}), so it cannot be valued."
        )
        return RuleOutcome(score=None, steps=steps, inputs=inputs)
    where = "built in" if BUILTIN_SCALES.get(scale.id) is scale else "declared by the dataset"
    inputs.append(Input(kind="scale", id=scale.id, value=level.id, note=f"scale {where}"))
    steps.append(
        f"It states level {level.id!r} ({level.label}) on the scale {scale.id!r} ({where}), "
        f"whose value is {fmt(level.value)}: the score is {fmt(level.value)}."
    )
    return RuleOutcome(
        score=level.value,
        steps=steps,
        inputs=inputs,
        intermediate={"level_value": level.value, "level_rank": float(scale.rank(level.id) or 0)},
        status=Status(level=level.id, label=level.label, scale=scale.id),
    )


# -- indicator-progress --------------------------------------------------------------------


def _is_number(value: IndicatorValue) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _boolean_progress(
    indicator: Indicator, target: IndicatorValue, reading: IndicatorValue
) -> tuple[float, str]:
    progress = 1.0 if reading == target else 0.0
    return progress, (
        f"{indicator.id} (boolean): the reading {str(reading).lower()} "
        f"{'equals' if progress else 'differs from'} the target {str(target).lower()}: "
        f"progress {fmt(progress)}."
    )


def _ordinal_progress(indicator: Indicator, rb: int, rt: int, rr: int) -> tuple[float, str]:
    if rt != rb:
        progress = clamp((rr - rb) / (rt - rb))
        return progress, (
            f"{indicator.id} (ordinal, levels worst to best {', '.join(indicator.levels)}): "
            f"distance travelled = (rank {rr} - rank {rb}) / (rank {rt} - rank {rb}) "
            f"= {fmt((rr - rb) / (rt - rb))}, clamped to [0, 1]: progress {fmt(progress)}."
        )
    progress = 1.0 if rr >= rt else 0.0
    return progress, (
        f"{indicator.id} (ordinal): the target level equals the baseline; the reading "
        f"{'holds' if progress else 'falls below'} it: progress {fmt(progress)}."
    )


def _numeric_progress(indicator: Indicator, b: float, t: float, r: float) -> tuple[float, str]:
    unit = f", in {indicator.unit}" if indicator.unit else ""
    if t != b:
        # Halving first is exact and keeps the differences finite for any finite values.
        raw = (r / 2 - b / 2) / (t / 2 - b / 2)
        progress = clamp(raw)
        note = ""
        if indicator.direction is not None and (
            (indicator.direction is Direction.HIGHER_IS_BETTER) != (t > b)
        ):
            note = (
                f" (the target lies on the worse side of the baseline for a "
                f"{indicator.direction.value} indicator; progress is measured towards the target)"
            )
        return progress, (
            f"{indicator.id} (numeric{unit}): distance travelled = (reading - baseline) / "
            f"(target - baseline) = ({fmt(r)} - {fmt(b)}) / ({fmt(t)} - {fmt(b)}) = {fmt(raw)}, "
            f"clamped to [0, 1]: progress {fmt(progress)}{note}."
        )
    if indicator.direction is Direction.HIGHER_IS_BETTER:
        progress, how = (1.0 if r >= t else 0.0), "at or above"
    elif indicator.direction is Direction.LOWER_IS_BETTER:
        progress, how = (1.0 if r <= t else 0.0), "at or below"
    else:
        progress, how = (1.0 if r == t else 0.0), "equal to"
    return progress, (
        f"{indicator.id} (numeric{unit}): the target {fmt(t)} equals the baseline, so progress "
        f"is 1 when the reading is {how} it; the reading is {fmt(r)}: progress {fmt(progress)}."
    )


def _progress(
    indicator: Indicator, baseline: IndicatorValue, target: IndicatorValue, reading: IndicatorValue
) -> tuple[float | None, str]:
    """Compute one indicator's progress in [0, 1], and the step that says how.

    The progress is ``None`` (and the step says why) when a value does not
    fit the indicator's kind.
    """
    values = (baseline, target, reading)
    if indicator.kind is IndicatorKind.BOOLEAN:
        if not all(isinstance(v, bool) for v in values):
            return None, f"{indicator.id} is boolean but its values are not all true/false"
        return _boolean_progress(indicator, target, reading)
    if indicator.kind is IndicatorKind.ORDINAL:
        ranks = {level: index for index, level in enumerate(indicator.levels)}
        if not all(isinstance(v, str) and v in ranks for v in values):
            return None, f"{indicator.id} is ordinal but a value is not one of its levels"
        rb, rt, rr = (ranks[str(v)] for v in values)
        return _ordinal_progress(indicator, rb, rt, rr)
    if not all(_is_number(v) for v in values):
        return None, f"{indicator.id} is numeric but a value is not a number"
    return _numeric_progress(indicator, float(baseline), float(target), float(reading))


def _latest_reading(
    readings: tuple[tuple[Evidence, Reading], ...],
) -> tuple[Evidence, Reading, list[str]]:
    evidence, reading = readings[-1]
    same_day = [
        (e, r)
        for e, r in readings[:-1]
        if e.date.order == evidence.date.order and r.value != reading.value
    ]
    notes = []
    if same_day:
        others = ", ".join(f"{e.id} ({r.value!r})" for e, r in same_day)
        notes.append(
            f"Readings of {reading.indicator} dated {evidence.date} disagree: {others} against "
            f"{evidence.id} ({reading.value!r}); the reading from the evidence with the greatest "
            f"id is used, and the disagreement is recorded here."
        )
    return evidence, reading, notes


@register_rule("indicator-progress", parameters_schema=_NO_PARAMETERS)
def indicator_progress(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    """Score the distance travelled from baseline to target, weighted over indicators."""
    as_of = context.as_of.isoformat()
    indicators = context.indicators(benchmark.id)
    if not indicators:
        return context.decline(f"no indicator measures {benchmark.id}")
    used: list[tuple[float, float]] = []
    steps: list[str] = []
    skipped: list[str] = []
    inputs: list[Input] = []
    intermediate: dict[str, float] = {}
    for indicator in indicators:
        if indicator.baseline is None or indicator.target is None:
            skipped.append(
                f"{indicator.id} has no {'baseline' if indicator.baseline is None else 'target'}"
            )
            continue
        baseline_date = indicator.baseline.date
        if baseline_date is not None and not baseline_date.is_on_or_before(context.as_of):
            skipped.append(
                f"{indicator.id}'s baseline is dated {indicator.baseline.date}, after {as_of}"
            )
            continue
        if indicator.weight <= 0:
            skipped.append(f"{indicator.id} has weight 0")
            continue
        readings = context.readings(indicator.id)
        if not readings:
            skipped.append(
                f"{indicator.id} has no reading from evidence dated on or before {as_of}"
            )
            continue
        evidence, reading, notes = _latest_reading(readings)
        progress, step = _progress(
            indicator, indicator.baseline.value, indicator.target.value, reading.value
        )
        if progress is None:
            skipped.append(step)
            continue
        steps.extend(notes)
        steps.append(
            f"{indicator.id}: baseline {indicator.baseline.value!r} "
            f"({indicator.baseline.date or 'undated'}), target {indicator.target.value!r} "
            f"({indicator.target.date or 'no deadline'}), latest reading "
            f"{reading.value!r} from {evidence.id} ({evidence.date})."
        )
        steps.append(step)
        used.append((progress, indicator.weight))
        intermediate[f"progress:{indicator.id}"] = progress
        inputs.append(Input(kind="indicator", id=indicator.id, weight=indicator.weight))
        inputs.append(
            Input(
                kind="reading",
                id=evidence.id,
                indicator=indicator.id,
                date=evidence.date,
                value=reading.value,
            )
        )
    if not used:
        return context.decline(
            f"no indicator of {benchmark.id} has a baseline, a target and a reading as of {as_of} "
            f"({'; '.join(skipped)})"
        )
    steps.extend(f"Left out: {reason}." for reason in skipped)
    # Any finite weight is valid: scale the weights whose sums would overflow or whose
    # products with a progress would lose precision.
    used = scale_items(used, steps, "indicator weights", "indicator")
    _, total, score = weighted_mean(used)
    if len(used) == 1:
        steps.append(f"The score is that indicator's progress: {fmt(score)}.")
    else:
        terms = " + ".join(f"{fmt(w)} x {fmt(p)}" for p, w in used)
        steps.append(f"Weighted by indicator weight: ({terms}) / {fmt(total)} = {fmt(score)}.")
    intermediate["sum_of_weights"] = total
    return RuleOutcome(score=score, steps=steps, inputs=inputs, intermediate=intermediate)


# -- evidence-based ------------------------------------------------------------------------

_EVIDENCE_PARAMETERS: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "half_life_days": {
            "type": "number",
            "exclusiveMinimum": 0,
            "default": DEFAULT_HALF_LIFE_DAYS,
            "description": "Days after which a piece of evidence counts half as much.",
        },
        "ceiling": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 1,
            "description": "The score of evidence that points only to progress; lower it "
            "when progress alone should never count as met.",
        },
        "reliability_weights": {
            "type": "object",
            "description": "Weights in [0, 1] by HURIDOCS grade, replacing the defaults given "
            "(highly-reliable 1, likely-reliable 0.8, unsure 0.5, unknown 0.5, "
            "likely-unreliable 0.2, highly-unreliable 0).",
            "properties": {
                grade.value: {"type": "number", "minimum": 0, "maximum": 1} for grade in Reliability
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}


@register_rule("evidence-based", parameters_schema=_EVIDENCE_PARAMETERS)
def evidence_based(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    """Derive a provisional score from the direction of evidence (reliability x recency)."""
    as_of = context.as_of.isoformat()
    items = context.evidence(benchmark.id)
    if not items:
        return context.decline(f"no evidence on {benchmark.id} is dated on or before {as_of}")
    half_life = float(parameters.get("half_life_days", DEFAULT_HALF_LIFE_DAYS))
    ceiling = float(parameters.get("ceiling", 1.0))
    weights = dict(RELIABILITY_WEIGHTS)
    for grade, weight in dict(parameters.get("reliability_weights", {})).items():
        weights[Reliability(grade)] = float(weight)
    steps = [
        (
            f"Provisional: the status of {benchmark.id} is derived from the direction of "
            f"{plural(len(items), 'piece')} of evidence dated on or before {as_of}, each "
            f"weighted by reliability x recency, recency = 0.5^(age in days / {fmt(half_life)})."
        )
    ]
    inputs = []
    terms: list[tuple[float, float]] = []
    # What is the same for many items is worked out once per call: a grade by the item's own
    # grade and its source (all reliability() reads), a grade's words, a direction's words.
    grades: dict[tuple[Reliability | None, str], Reliability] = {}
    described: dict[Reliability, tuple[str, str]] = {}
    for item in items:
        known = (item.reliability, item.source)
        grade = grades.get(known)
        if grade is None:
            grade = grades[known] = context.reliability(item)
        words = described.get(grade)
        if words is None:
            words = described[grade] = (f"{grade.value} {fmt(weights[grade])}", grade.value)
        age = context.age_days(item.date)
        recency = 0.5 ** (age / half_life)
        weight = weights[grade] * recency
        direction, value, signed = _DIRECTION_WORDS[item.direction]
        terms.append((weight, direction))
        steps.append(
            f"{item.id} ({item.date}, {signed}): reliability {words[0]} x recency "
            f"{fmt(recency)} (age {age} days) = weight {fmt(weight)}."
        )
        inputs.append(
            Input(
                kind="evidence",
                id=item.id,
                date=item.date,
                value=value,
                weight=weight,
                note=f"source {item.source}, reliability {words[1]}",
            )
        )
    total = math.fsum(weight for weight, _ in terms)
    if total <= 0:
        steps.append("Every piece of evidence carries weight 0, so no direction can be derived.")
        return RuleOutcome(score=None, steps=steps, inputs=inputs, provisional=True)
    balance = math.fsum(weight * direction for weight, direction in terms) / total
    score = clamp(ceiling * (balance + 1) / 2)
    steps.append(
        f"Balance of the evidence = sum(weight x direction) / sum(weight) = {fmt(balance)} "
        f"(-1: all regression, +1: all progress)."
    )
    if ceiling == 1.0:
        steps.append(f"Provisional score = (balance + 1) / 2 = {fmt(score)}.")
    else:
        steps.append(
            f"Provisional score = ceiling x (balance + 1) / 2 = {fmt(ceiling)} x "
            f"{fmt((balance + 1) / 2)} = {fmt(score)}."
        )
    return RuleOutcome(
        score=score,
        steps=steps,
        inputs=inputs,
        intermediate={
            "balance": balance,
            "sum_of_weights": total,
            "half_life_days": half_life,
            "ceiling": ceiling,
        },
        provisional=True,
    )
