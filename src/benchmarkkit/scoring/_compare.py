"""Change over time: two scorecards of the same dataset, and what improved or regressed."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import attrs

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem, sort_problems
from benchmarkkit.scoring._errors import InvalidAsOfError
from benchmarkkit.scoring._gates import Verdict
from benchmarkkit.scoring._numbers import TOLERANCE, fmt
from benchmarkkit.scoring._protocols import Status
from benchmarkkit.scoring._results import Scorecard
from benchmarkkit.scoring._scorecard import effective_config, resolve_as_of, score

__all__ = ["Change", "ChangeKind", "Comparison", "compare"]


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
    ``status_after``. ``summary`` says it in words.
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
    explanations.
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
    scorecard_before: Scorecard = attrs.field(repr=False)
    scorecard_after: Scorecard = attrs.field(repr=False)

    def changes(self, kind: ChangeKind | str) -> tuple[Change, ...]:
        """Every change of one kind, benchmarks first, then areas, the overall score and gates."""
        wanted = ChangeKind(kind)
        everything = (*self.benchmarks, *self.areas, self.overall, *self.gates)
        return tuple(change for change in everything if change.kind is wanted)


def _score_change(before: float | None, after: float | None) -> tuple[ChangeKind, float | None]:
    if before is None and after is None:
        return ChangeKind.UNCHANGED, None
    if before is None:
        return ChangeKind.NEW, None
    if after is None:
        return ChangeKind.NO_LONGER_ASSESSABLE, None
    delta = after - before
    if abs(delta) <= TOLERANCE:
        return ChangeKind.UNCHANGED, 0.0
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
    status_before: Status | None = None,
    status_after: Status | None = None,
) -> Change:
    kind, delta = _score_change(before, after)
    name = f"{subject} {record_id}" if record_id is not None else "The overall score"
    return Change(
        subject=subject,
        id=record_id,
        title=title,
        kind=kind,
        summary=_summary(name, kind, _text(before, status_before), _text(after, status_after)),
        before=before,
        after=after,
        delta=delta,
        status_before=status_before,
        status_after=status_after,
    )


def _gate_change(gate_id: str, title: str, before: Verdict, after: Verdict) -> Change:
    undetermined = Verdict.UNDETERMINED
    if before is after:
        kind = ChangeKind.UNCHANGED
    elif before is undetermined:
        kind = ChangeKind.NEW
    elif after is undetermined:
        kind = ChangeKind.NO_LONGER_ASSESSABLE
    else:
        kind = ChangeKind.IMPROVED if after is Verdict.PASS else ChangeKind.REGRESSED
    return Change(
        subject="gate",
        id=gate_id,
        title=title,
        kind=kind,
        summary=_summary(f"gate {gate_id}", kind, before.value, after.value),
        verdict_before=before,
        verdict_after=after,
    )


def compare_scorecards(first: Scorecard, second: Scorecard) -> Comparison:
    """Compare a scorecard of a dataset with a later one."""
    before_benchmarks = {r.benchmark_id: r for r in reversed(first.benchmarks)}
    before_areas = {r.area_id: r for r in reversed(first.areas)}
    before_gates = {r.gate_id: r for r in reversed(first.gates)}
    benchmarks = []
    for result in second.benchmarks:
        earlier = before_benchmarks.get(result.benchmark_id)
        benchmarks.append(
            _change(
                "benchmark",
                result.benchmark_id,
                title=result.title,
                before=earlier.score if earlier else None,
                after=result.score,
                status_before=earlier.status if earlier else None,
                status_after=result.status,
            )
        )
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
            )
        )
    gates = []
    for gate in second.gates:
        earlier_gate = before_gates.get(gate.gate_id)
        gates.append(
            _gate_change(
                gate.gate_id,
                gate.title,
                earlier_gate.verdict if earlier_gate else Verdict.UNDETERMINED,
                gate.verdict,
            )
        )
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
        ),
        gates=tuple(gates),
        problems=sort_problems((*first.problems, *second.problems)),
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
) -> Comparison:
    """Score ``dataset`` as of two dates and report what changed.

    Every benchmark, area, gate and the overall score gets a :class:`Change`.
    A fall in a score is ``regressed`` (backsliding); a benchmark that
    becomes assessable is ``new``. ``before`` must not fall after ``after``.
    ``config`` and ``rules`` are as for :func:`score`, and the same for both dates.
    """
    first_day, second_day = resolve_as_of(before), resolve_as_of(after)
    if first_day > second_day:
        raise InvalidAsOfError(
            before,
            f"the 'before' date {first_day.isoformat()} falls after the 'after' date "
            f"{second_day.isoformat()}; give the earlier date first",
        )
    effective = effective_config(dataset, config, rules)
    return compare_scorecards(
        score(dataset, as_of=first_day, config=effective),
        score(dataset, as_of=second_day, config=effective),
    )
