"""Gates: pass, fail or undetermined, by three-valued (Kleene) logic over benchmark scores.

A leaf condition whose benchmark or area is not assessable is
*undetermined*: it is not known whether it holds. Compound conditions
combine verdicts as Kleene's strong logic does: ``all-of`` fails as soon as
one condition fails, whatever the undetermined ones would be; ``any-of``
passes as soon as one passes; ``at-least N`` passes when N pass, fails when
even the undetermined ones could not make up N, and is undetermined
otherwise.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

import attrs

from benchmarkkit._conditions import (
    AllOf,
    AnyOf,
    AreaCondition,
    AtLeast,
    BenchmarkCondition,
    Condition,
)
from benchmarkkit._problems import Problem
from benchmarkkit._scales import StatusScale
from benchmarkkit.scoring._numbers import at_least, fmt

__all__ = ["ConditionResult", "Verdict", "evaluate"]


class Verdict(str, enum.Enum):
    """The verdict of a gate or condition as of a date."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    """The condition holds."""
    FAIL = "fail"
    """The condition does not hold."""
    UNDETERMINED = "undetermined"
    """It is not known: a benchmark or area it depends on is not assessable."""

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen(kw_only=True)
class ConditionResult:
    """The verdict of one condition of a gate, and of its parts.

    ``kind`` is the condition's kind (``benchmark``, ``area``, ``all-of``,
    ``any-of``, ``at-least``); ``label`` its label or a description;
    ``detail`` says in words why it has its verdict. A leaf names its
    ``target`` (benchmark or area id) and the ``score`` compared with the
    ``threshold``; ``at-least`` gives the ``count`` it needs; compound
    conditions list their ``children``.
    """

    kind: str
    label: str
    verdict: Verdict
    detail: str
    children: tuple[ConditionResult, ...] = ()
    target: str | None = None
    score: float | None = None
    threshold: float | None = None
    count: int | None = None

    def lines(self, depth: int = 0) -> list[str]:
        """Write the condition tree in words, one line per condition, indented by depth."""
        head = f"{'  ' * depth}[{self.verdict.value}] {self.label}: {self.detail}"
        return [head, *(line for child in self.children for line in child.lines(depth + 1))]


@attrs.frozen(kw_only=True)
class _Scores:
    benchmarks: Mapping[str, float | None]
    areas: Mapping[str, float | None]
    scale: Callable[[str], StatusScale | None]
    as_of: str


def _threshold(condition: BenchmarkCondition, scores: _Scores) -> tuple[float | None, str]:
    if condition.minimum_score is not None and condition.minimum_level is None:
        return condition.minimum_score, fmt(condition.minimum_score)
    if condition.minimum_score is None and condition.scale and condition.minimum_level:
        scale = scores.scale(condition.scale)
        level = scale.level(condition.minimum_level) if scale is not None else None
        if level is not None:
            where = f"level {level.id!r}, {level.label}, on scale {condition.scale!r}"
            return level.value, f"{fmt(level.value)} ({where})"
        return (
            None,
            f"level {condition.minimum_level!r} on scale {condition.scale!r}, which is not defined",
        )
    if condition.minimum_score is not None:
        return None, "two thresholds (minimum_score and minimum_level): give only one"
    return None, "no threshold: give either minimum_score, or scale with minimum_level"


def _leaf(
    kind: str,
    target: str,
    *,
    label: str | None,
    score: float | None,
    known: bool,
    threshold: float | None,
    threshold_text: str,
    scores: _Scores,
) -> ConditionResult:
    default_label = f"{kind} {target} at or above {threshold_text}"
    if not known:
        verdict, detail = Verdict.UNDETERMINED, f"the dataset has no {kind} {target!r}"
    elif threshold is None:
        verdict, detail = (
            Verdict.UNDETERMINED,
            f"the threshold cannot be determined: {threshold_text}",
        )
    elif score is None:
        verdict = Verdict.UNDETERMINED
        detail = (
            f"{target} is not assessable as of {scores.as_of}, so it is not known whether it "
            f"reaches {fmt(threshold)}"
        )
    elif at_least(score, threshold):
        verdict, detail = (
            Verdict.PASS,
            f"{target} scores {fmt(score)}, at or above {fmt(threshold)}",
        )
    else:
        verdict, detail = Verdict.FAIL, f"{target} scores {fmt(score)}, below {fmt(threshold)}"
    return ConditionResult(
        kind=kind,
        label=label or default_label,
        verdict=verdict,
        detail=detail,
        target=target,
        score=score,
        threshold=threshold,
    )


def _tally(children: list[ConditionResult]) -> tuple[int, int, int, str]:
    held = sum(1 for c in children if c.verdict is Verdict.PASS)
    failed = sum(1 for c in children if c.verdict is Verdict.FAIL)
    unknown = len(children) - held - failed
    text = (
        f"{held} of {len(children)} hold, {failed} {'does' if failed == 1 else 'do'} not, "
        f"{unknown} undetermined"
    )
    return held, failed, unknown, text


def _evaluate(
    condition: Condition, scores: _Scores, problems: list[Problem], gate_id: str
) -> ConditionResult:
    if isinstance(condition, BenchmarkCondition):
        threshold, text = _threshold(condition, scores)
        known = condition.benchmark in scores.benchmarks
        if not known:
            problems.append(
                Problem.create(
                    "unknown-reference",
                    f"gate {gate_id!r}: a condition refers to benchmark {condition.benchmark!r}, "
                    f"which the dataset does not define",
                )
            )
        elif threshold is None:
            problems.append(
                Problem.create(
                    "ambiguous-threshold",
                    f"gate {gate_id!r}: the condition on benchmark {condition.benchmark!r} has "
                    f"{text}",
                )
            )
        return _leaf(
            "benchmark",
            condition.benchmark,
            label=condition.label,
            score=scores.benchmarks.get(condition.benchmark),
            known=known,
            threshold=threshold,
            threshold_text=text,
            scores=scores,
        )
    if isinstance(condition, AreaCondition):
        known = condition.area in scores.areas
        if not known:
            problems.append(
                Problem.create(
                    "unknown-reference",
                    f"gate {gate_id!r}: a condition refers to area {condition.area!r}, which the "
                    f"dataset does not define",
                )
            )
        return _leaf(
            "area",
            condition.area,
            label=condition.label,
            score=scores.areas.get(condition.area),
            known=known,
            threshold=condition.minimum_score,
            threshold_text=fmt(condition.minimum_score),
            scores=scores,
        )
    children = [_evaluate(child, scores, problems, gate_id) for child in condition.conditions]
    held, failed, unknown, tally = _tally(children)
    if isinstance(condition, AllOf):
        verdict = Verdict.FAIL if failed else Verdict.UNDETERMINED if unknown else Verdict.PASS
        label = condition.label or f"all of {len(children)} conditions"
        return ConditionResult(
            kind="all-of",
            label=label,
            verdict=verdict,
            detail=f"{tally}; all must hold",
            children=tuple(children),
        )
    if isinstance(condition, AnyOf):
        verdict = Verdict.PASS if held else Verdict.UNDETERMINED if unknown else Verdict.FAIL
        label = condition.label or f"any of {len(children)} conditions"
        return ConditionResult(
            kind="any-of",
            label=label,
            verdict=verdict,
            detail=f"{tally}; one must hold",
            children=tuple(children),
        )
    remaining: AtLeast = condition  # what is left of the closed Condition union
    need = remaining.count
    if held >= need:
        verdict = Verdict.PASS
    elif held + unknown >= need:
        verdict = Verdict.UNDETERMINED
    else:
        verdict = Verdict.FAIL
    label = condition.label or f"at least {need} of {len(children)} conditions"
    return ConditionResult(
        kind="at-least",
        label=label,
        verdict=verdict,
        detail=f"{tally}; at least {need} must hold",
        children=tuple(children),
        count=need,
    )


def evaluate(
    condition: Condition,
    *,
    gate_id: str,
    benchmarks: Mapping[str, float | None],
    areas: Mapping[str, float | None],
    scale: Callable[[str], StatusScale | None],
    as_of: str,
) -> tuple[ConditionResult, tuple[Problem, ...]]:
    """Evaluate ``condition`` given benchmark and area scores; return it and any problems.

    ``benchmarks`` and ``areas`` map every id in the dataset to its score
    (``None`` when not assessable); ``scale`` finds a scale by id.
    """
    problems: list[Problem] = []
    scores = _Scores(benchmarks=benchmarks, areas=areas, scale=scale, as_of=as_of)
    result = _evaluate(condition, scores, problems, gate_id)
    return result, tuple(problems)
