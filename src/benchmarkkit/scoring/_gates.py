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
from benchmarkkit._scales import StatusScale
from benchmarkkit.scoring._numbers import at_least, fmt
from benchmarkkit.scoring._protocols import Status

__all__ = ["ConditionResult", "Verdict", "condition_verdict"]


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
    ``detail`` says in words why it has its verdict: a leaf names the
    level (or score) its benchmark has and the level (or score) it needs; a
    compound condition counts its parts and names those that decided its
    verdict. A leaf names its ``target`` (benchmark or area id) and the
    ``score`` compared with the ``threshold``; ``at-least`` gives the
    ``count`` it needs; compound conditions list their ``children``, and
    ``decided_by`` gives the positions of the children that decided the
    verdict (the failing ones of a failed ``all-of``, the holding ones of a
    passed ``at-least``, the undetermined ones of an undetermined condition).
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
    decided_by: tuple[int, ...] = ()

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
    statuses: Mapping[str, Status]


def _threshold(
    condition: BenchmarkCondition, scores: _Scores
) -> tuple[float | None, str, str | None]:
    """The threshold's value, its text for the label, and what it needs in words."""
    if condition.minimum_score is not None and condition.minimum_level is None:
        score = condition.minimum_score
        return score, fmt(score), f"a score of {fmt(score)}"
    if condition.minimum_score is None and condition.scale and condition.minimum_level:
        scale = scores.scale(condition.scale)
        level = scale.level(condition.minimum_level) if scale is not None else None
        if level is not None:
            where = f"level {level.id!r}, {level.label}, on scale {condition.scale!r}"
            return (
                level.value,
                f"{fmt(level.value)} ({where})",
                f"{level.label} ({fmt(level.value)})",
            )
        return (
            None,
            f"level {condition.minimum_level!r} on scale {condition.scale!r}, which is not defined",
            None,
        )
    if condition.minimum_score is not None:
        return None, "two thresholds (minimum_score and minimum_level): give only one", None
    return None, "no threshold: give either minimum_score, or scale with minimum_level", None


def _leaf(
    kind: str,
    target: str,
    *,
    label: str | None,
    score: float | None,
    known: bool,
    threshold: float | None,
    threshold_text: str,
    needs: str | None,
    scores: _Scores,
) -> ConditionResult:
    default_label = f"{kind} {target} at or above {threshold_text}"
    status = scores.statuses.get(target) if kind == "benchmark" else None
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
            f"has {needs}"
        )
    else:
        verdict = Verdict.PASS if at_least(score, threshold) else Verdict.FAIL
        has = f"{status.label} ({fmt(score)})" if status is not None else f"a score of {fmt(score)}"
        detail = f"{target} has {has}, needs {needs}"
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


def _evaluate(condition: Condition, scores: _Scores) -> ConditionResult:
    if isinstance(condition, BenchmarkCondition):
        threshold, text, needs = _threshold(condition, scores)
        return _leaf(
            "benchmark",
            condition.benchmark,
            label=condition.label,
            score=scores.benchmarks.get(condition.benchmark),
            known=condition.benchmark in scores.benchmarks,
            threshold=threshold,
            threshold_text=text,
            needs=needs,
            scores=scores,
        )
    if isinstance(condition, AreaCondition):
        return _leaf(
            "area",
            condition.area,
            label=condition.label,
            score=scores.areas.get(condition.area),
            known=condition.area in scores.areas,
            threshold=condition.minimum_score,
            threshold_text=fmt(condition.minimum_score),
            needs=f"a score of {fmt(condition.minimum_score)}",
            scores=scores,
        )
    children = [_evaluate(child, scores) for child in condition.conditions]
    held, failed, unknown, tally = _tally(children)
    if isinstance(condition, AllOf):
        verdict = Verdict.FAIL if failed else Verdict.UNDETERMINED if unknown else Verdict.PASS
        kind, need, rule = "all-of", None, "all must hold"
        label = condition.label or f"all of {len(children)} conditions"
    elif isinstance(condition, AnyOf):
        verdict = Verdict.PASS if held else Verdict.UNDETERMINED if unknown else Verdict.FAIL
        kind, need, rule = "any-of", None, "one must hold"
        label = condition.label or f"any of {len(children)} conditions"
    else:
        remaining: AtLeast = condition  # what is left of the closed Condition union
        need = remaining.count
        if held >= need:
            verdict = Verdict.PASS
        elif held + unknown >= need:
            verdict = Verdict.UNDETERMINED
        else:
            verdict = Verdict.FAIL
        kind, rule = "at-least", f"at least {need} must hold"
        label = condition.label or f"at least {need} of {len(children)} conditions"
    decided_by = _deciding(kind, verdict, children)
    return ConditionResult(
        kind=kind,
        label=label,
        verdict=verdict,
        detail=f"{tally}; {rule}, so it {_VERBS[verdict]} on: "
        + "; ".join(_reason(children[index]) for index in decided_by),
        children=tuple(children),
        count=need,
        decided_by=decided_by,
    )


_VERBS = {Verdict.PASS: "passes", Verdict.FAIL: "fails", Verdict.UNDETERMINED: "is undetermined"}


def _deciding(kind: str, verdict: Verdict, children: list[ConditionResult]) -> tuple[int, ...]:
    """The positions of the children that decided a compound condition's verdict.

    A verdict is decided by the children that share it, except that an
    ``all-of`` passes only on all of them, and an ``any-of`` fails only on
    all of them; an ``at-least`` that fails does so on the children that fail.
    """
    if (kind, verdict) in {("all-of", Verdict.PASS), ("any-of", Verdict.FAIL)}:
        return tuple(range(len(children)))
    return tuple(index for index, child in enumerate(children) if child.verdict is verdict)


def _reason(child: ConditionResult) -> str:
    """A child as a parent's detail names it: a leaf by its levels, a compound by its label."""
    if child.target is None:
        return child.label
    if child.verdict is Verdict.UNDETERMINED and child.score is None:
        return f"{child.target} is not assessable" if child.threshold is not None else child.detail
    return child.detail


def condition_verdict(
    condition: Condition,
    *,
    benchmarks: Mapping[str, float | None],
    areas: Mapping[str, float | None],
    scale: Callable[[str], StatusScale | None],
    as_of: str,
    statuses: Mapping[str, Status] | None = None,
) -> ConditionResult:
    """Evaluate ``condition`` given benchmark and area scores.

    ``benchmarks`` and ``areas`` map every id in the dataset to its score
    (``None`` when not assessable); ``scale`` finds a scale by id;
    ``statuses`` gives the level an assessment stated for a benchmark, so
    that each line can name it. A condition on a benchmark or area the
    dataset does not define, or without one threshold, is undetermined and
    says why; reporting it as a problem is validation's business
    (:func:`benchmarkkit._checks.check_references` and ``check_gates``).
    """
    scores = _Scores(
        benchmarks=benchmarks, areas=areas, scale=scale, as_of=as_of, statuses=statuses or {}
    )
    return _evaluate(condition, scores)
