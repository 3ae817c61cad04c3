"""Change over time: two scorecards of the same dataset, and what improved or regressed."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Sequence

import attrs

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem, sort_problems
from benchmarkkit.scoring._errors import InvalidAsOfError, ScoringError
from benchmarkkit.scoring._gates import Verdict
from benchmarkkit.scoring._numbers import TOLERANCE, fmt
from benchmarkkit.scoring._protocols import Status
from benchmarkkit.scoring._results import BenchmarkResult, GateVerdict, Scorecard
from benchmarkkit.scoring._scorecard import plan_scoring, resolve_as_of, score_on

__all__ = ["DEFAULT_MATERIALITY", "Change", "ChangeKind", "Comparison", "compare"]

#: Differences in a score smaller than this are not changes. Tables show scores to two
#: decimals, so a smaller difference could not even be seen; pass ``materiality`` to change it.
DEFAULT_MATERIALITY = 0.01


class ChangeKind(str, enum.Enum):
    """How a score or verdict changed between two dates."""

    IMPROVED = "improved"
    """The score rose, or a gate went from fail to pass."""
    REGRESSED = "regressed"
    """The score fell, or a gate went from pass to fail: backsliding."""
    UNCHANGED = "unchanged"
    """The same score or verdict (or not assessable both times)."""
    NEW = "new"
    """Not assessable (or undetermined) before, assessable (determined) after."""
    NO_LONGER_ASSESSABLE = "no-longer-assessable"
    """Assessable (or determined) before, not after."""
    DIFFERENT_KIND = "different-kind"
    """Scores of different kinds (one provisional, from evidence; the other assessed), so
    their difference is not a change."""

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen(kw_only=True)
class Change:
    """How one benchmark, area, gate or the overall score changed between two dates.

    ``subject`` is ``benchmark``, ``area``, ``overall`` or ``gate``; ``id``
    the record's id (``None`` for the overall score). ``before`` and
    ``after`` are the scores (``None`` when not assessable), ``delta`` their
    difference; gates carry ``verdict_before`` and ``verdict_after``
    instead, benchmarks their stated ``status_before`` and
    ``status_after``. ``summary`` says it in words; a gate's also says
    which conditions decided its verdict on the later date.
    """

    subject: str
    id: str | None
    title: str
    kind: ChangeKind
    summary: str
    before: float | None = None
    after: float | None = None
    delta: float | None = None
    status_before: Status | None = None
    status_after: Status | None = None
    verdict_before: Verdict | None = None
    verdict_after: Verdict | None = None


@attrs.frozen(kw_only=True)
class Comparison:
    """Two scorecards of one dataset, ``before`` and ``after``, and every change between them.

    ``problems`` joins both scorecards' problems; the scorecards themselves
    are kept in ``scorecard_before`` and ``scorecard_after`` for their
    explanations. ``materiality`` is the smallest difference in a score
    that counts as a change.
    """

    dataset_id: str
    title: str
    subject: str | None
    before: dt.date
    after: dt.date
    config: ScoringConfig
    fingerprint_before: str
    fingerprint_after: str
    benchmarks: tuple[Change, ...]
    areas: tuple[Change, ...]
    overall: Change
    gates: tuple[Change, ...]
    problems: tuple[Problem, ...] = ()
    materiality: float = DEFAULT_MATERIALITY
    scorecard_before: Scorecard = attrs.field(repr=False)
    scorecard_after: Scorecard = attrs.field(repr=False)

    def changes(self, kind: ChangeKind | str) -> tuple[Change, ...]:
        """Every change of one kind, benchmarks first, then areas, the overall score and gates."""
        wanted = ChangeKind(kind)
        everything = (*self.benchmarks, *self.areas, self.overall, *self.gates)
        return tuple(change for change in everything if change.kind is wanted)


def _score_change(
    before: float | None, after: float | None, materiality: float
) -> tuple[ChangeKind, float | None]:
    if before is None and after is None:
        return ChangeKind.UNCHANGED, None
    if before is None:
        return ChangeKind.NEW, None
    if after is None:
        return ChangeKind.NO_LONGER_ASSESSABLE, None
    delta = after - before
    if abs(delta) <= TOLERANCE:
        return ChangeKind.UNCHANGED, 0.0
    if abs(delta) < materiality - TOLERANCE:
        return ChangeKind.UNCHANGED, delta
    return (ChangeKind.IMPROVED if delta > 0 else ChangeKind.REGRESSED), delta


def _text(value: float | None, status: Status | None = None) -> str:
    if value is None:
        return "not assessable"
    return f"{fmt(value)} ({status.label})" if status is not None else fmt(value)


def _summary(name: str, kind: ChangeKind, before: str, after: str) -> str:
    if kind is ChangeKind.UNCHANGED:
        return f"{name} is unchanged: {after}."
    if kind is ChangeKind.REGRESSED:
        return f"{name} regressed (backsliding) from {before} to {after}."
    if kind is ChangeKind.IMPROVED:
        return f"{name} improved from {before} to {after}."
    if kind is ChangeKind.NEW:
        return f"{name} was {before}; it is now {after}."
    return f"{name} was {before}; it is no longer assessable ({after})."


def _change(
    subject: str,
    record_id: str | None,
    *,
    title: str,
    before: float | None,
    after: float | None,
    materiality: float,
    status_before: Status | None = None,
    status_after: Status | None = None,
) -> Change:
    kind, delta = _score_change(before, after, materiality)
    name = f"{subject} {record_id}" if record_id is not None else "The overall score"
    text_before, text_after = _text(before, status_before), _text(after, status_after)
    summary = _summary(name, kind, text_before, text_after)
    if kind is ChangeKind.UNCHANGED and delta:
        summary = (
            f"{name} is unchanged: {text_before} to {text_after} differs by {fmt(abs(delta))}, "
            f"less than the materiality threshold {fmt(materiality)}."
        )
    return Change(
        subject=subject,
        id=record_id,
        title=title,
        kind=kind,
        summary=summary,
        before=before,
        after=after,
        delta=delta,
        status_before=status_before,
        status_after=status_after,
    )


def _at_lowest_level(result: BenchmarkResult) -> bool:
    """Whether an assessment put the benchmark at the lowest level of its scale (or score 0)."""
    rank = result.explanation.intermediate.get("level_rank")
    return result.score == 0.0 or (result.status is not None and rank == 0.0)


def _benchmark_change(
    earlier: BenchmarkResult | None, result: BenchmarkResult, materiality: float
) -> Change:
    name = f"benchmark {result.benchmark_id}"
    before = earlier.score if earlier else None
    status_before = earlier.status if earlier else None
    change = _change(
        "benchmark",
        result.benchmark_id,
        title=result.title,
        before=before,
        after=result.score,
        materiality=materiality,
        status_before=status_before,
        status_after=result.status,
    )
    after_text = _text(result.score, result.status)
    if change.kind is ChangeKind.NEW and _at_lowest_level(result):
        lowest = "the lowest level of its scale" if result.status else "the lowest score"
        return attrs.evolve(
            change,
            kind=ChangeKind.REGRESSED,
            summary=(
                f"{name} regressed (backsliding) from no assessment to {after_text}, {lowest}."
            ),
        )
    if (
        earlier is not None
        and earlier.score is not None
        and result.score is not None
        and earlier.provisional != result.provisional
        and change.kind is not ChangeKind.UNCHANGED
    ):

        def kind_of(card: BenchmarkResult) -> str:
            if card.provisional:
                return f"{fmt(card.score or 0.0)} (provisional, from evidence)"
            label = f"{card.status.label}, assessed" if card.status else "assessed"
            return f"{fmt(card.score or 0.0)} ({label})"

        return attrs.evolve(
            change,
            kind=ChangeKind.DIFFERENT_KIND,
            summary=(
                f"{name} was {kind_of(earlier)} and is now {kind_of(result)}: scores of "
                f"different kinds, so the difference is not counted as a change."
            ),
        )
    return change


def _gate_change(earlier: GateVerdict | None, gate: GateVerdict) -> Change:
    before = earlier.verdict if earlier else Verdict.UNDETERMINED
    after = gate.verdict
    undetermined = Verdict.UNDETERMINED
    if before is after:
        kind = ChangeKind.UNCHANGED
    elif before is undetermined:
        kind = ChangeKind.NEW
    elif after is undetermined:
        kind = ChangeKind.NO_LONGER_ASSESSABLE
    else:
        kind = ChangeKind.IMPROVED if after is Verdict.PASS else ChangeKind.REGRESSED
    reason = f" As of the later date, {gate.condition.label}: {gate.condition.detail}."
    return Change(
        subject="gate",
        id=gate.gate_id,
        title=gate.title,
        kind=kind,
        summary=_summary(f"gate {gate.gate_id}", kind, before.value, after.value) + reason,
        verdict_before=before,
        verdict_after=after,
    )


def check_materiality(materiality: float) -> float:
    """Return ``materiality`` if it is a number from 0 up to 1; raise :class:`ScoringError`."""
    value: object = materiality  # callers may pass anything; say clearly what was wrong
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and 0 <= value < 1)
    ):
        raise ScoringError(
            f"the materiality threshold must be a number from 0 up to 1 (0.01 ignores "
            f"differences under a hundredth); found {materiality!r}"
        )
    return float(value)


def compare_scorecards(
    first: Scorecard, second: Scorecard, *, materiality: float = DEFAULT_MATERIALITY
) -> Comparison:
    """Compare a scorecard of a dataset with a later one.

    A difference in a score smaller than ``materiality`` (0.01 by
    default) is not a change. A benchmark first
    assessed at the lowest level of its scale regressed from no assessment;
    a benchmark scored provisionally (from evidence) on one date and
    assessed on the other, by scores at least ``materiality`` apart, has a
    change of kind ``different-kind``, never ``improved`` or ``regressed``.
    """
    materiality = check_materiality(materiality)
    before_benchmarks = {r.benchmark_id: r for r in reversed(first.benchmarks)}
    before_areas = {r.area_id: r for r in reversed(first.areas)}
    before_gates = {r.gate_id: r for r in reversed(first.gates)}
    benchmarks = []
    for result in second.benchmarks:
        earlier = before_benchmarks.get(result.benchmark_id)
        benchmarks.append(_benchmark_change(earlier, result, materiality))
    areas = []
    for area in second.areas:
        earlier_area = before_areas.get(area.area_id)
        areas.append(
            _change(
                "area",
                area.area_id,
                title=area.title,
                before=earlier_area.score if earlier_area else None,
                after=area.score,
                materiality=materiality,
            )
        )
    gates = [_gate_change(before_gates.get(gate.gate_id), gate) for gate in second.gates]
    return Comparison(
        dataset_id=second.dataset_id,
        title=second.title,
        subject=second.subject,
        before=first.as_of,
        after=second.as_of,
        config=second.config,
        fingerprint_before=first.fingerprint,
        fingerprint_after=second.fingerprint,
        benchmarks=tuple(benchmarks),
        areas=tuple(areas),
        overall=_change(
            "overall",
            None,
            title=second.title,
            before=first.overall.score,
            after=second.overall.score,
            materiality=materiality,
        ),
        gates=tuple(gates),
        problems=sort_problems((*first.problems, *second.problems)),
        materiality=materiality,
        scorecard_before=first,
        scorecard_after=second,
    )


def compare(
    dataset: Dataset,
    before: dt.date | str,
    after: dt.date | str,
    *,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
    materiality: float = DEFAULT_MATERIALITY,
    validated: bool = False,
) -> Comparison:
    """Score ``dataset`` as of two dates and report what changed.

    Every benchmark, area, gate and the overall score gets a ``Change``.
    A fall in a score of at least ``materiality`` is ``regressed``
    (backsliding); a smaller difference is ``unchanged``. A benchmark that
    becomes assessable is ``new``, unless it is first assessed at the lowest
    level of its scale: that is a regression from no assessment. A
    provisional score compared with an assessed one is ``different-kind``.
    ``before`` must not fall after ``after``. ``config``, ``rules`` and
    ``validated`` are as for :func:`score`, and the same for both dates;
    the dataset is validated once, not once per date.
    """
    materiality = check_materiality(materiality)
    first_day, second_day = resolve_as_of(before), resolve_as_of(after)
    if first_day > second_day:
        raise InvalidAsOfError(
            before,
            f"the 'before' date {first_day.isoformat()} falls after the 'after' date "
            f"{second_day.isoformat()}; give the earlier date first",
        )
    plan = plan_scoring(dataset, config=config, rules=rules, validated=validated)
    return compare_scorecards(
        score_on(plan, first_day), score_on(plan, second_day), materiality=materiality
    )
