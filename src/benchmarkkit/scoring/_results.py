"""The scorecard and its parts, as frozen values: a scorecard is data; renderers are separate."""

from __future__ import annotations

import datetime as dt

import attrs

from benchmarkkit._conditions import ScoringConfig
from benchmarkkit._problems import Problem
from benchmarkkit._vocabulary import Mechanism, Position
from benchmarkkit.scoring._explain import Explanation
from benchmarkkit.scoring._gates import ConditionResult, Verdict
from benchmarkkit.scoring._protocols import Status

__all__ = [
    "AreaResult",
    "BenchmarkResult",
    "GateVerdict",
    "Implementation",
    "OverallResult",
    "PositionCount",
    "RecommendationCounts",
    "RecommendationResults",
    "Scorecard",
]


@attrs.frozen(kw_only=True)
class BenchmarkResult:
    """A benchmark's score as of the date, and how it was reached.

    ``score`` is in [0, 1], or ``None`` when the benchmark is not
    assessable (never a silent zero). ``met`` says whether the score
    reaches the configuration's ``met_threshold`` (``None`` when not
    assessable). ``provisional`` marks a score derived from the direction of
    evidence rather than assessed. ``status`` is the level an assessment
    stated, when the score comes from one; ``rule`` the name of the rule
    that produced the result (``None`` when no rule could).
    """

    benchmark_id: str
    title: str
    area_id: str
    weight: float
    score: float | None
    met: bool | None
    provisional: bool = False
    status: Status | None = None
    rule: str | None = None
    explanation: Explanation

    @property
    def assessable(self) -> bool:
        """Whether the benchmark has a score."""
        return self.score is not None


@attrs.frozen(kw_only=True)
class AreaResult:
    """An area's aggregate score: ``scored`` of its ``total`` benchmarks were assessable."""

    area_id: str
    title: str
    weight: float
    score: float | None
    scored: int
    total: int
    explanation: Explanation


@attrs.frozen(kw_only=True)
class OverallResult:
    """The aggregate of the area scores: ``scored`` of ``total`` areas were assessable."""

    score: float | None
    scored: int
    total: int
    explanation: Explanation


@attrs.frozen(kw_only=True)
class GateVerdict:
    """A gate's verdict as of the date, with the verdict of every condition in it."""

    gate_id: str
    title: str
    applies_to: str | None
    verdict: Verdict
    condition: ConditionResult
    explanation: Explanation


@attrs.frozen(kw_only=True)
class PositionCount:
    """How many of a group's recommendations stand at one position as of the date.

    ``share`` is ``count`` divided by the group's total (the recommendations
    made on or before the date); ``None`` when the group has none.
    """

    position: Position
    count: int
    share: float | None


@attrs.frozen(kw_only=True)
class Implementation:
    """How far a group's supported recommendations are implemented, as assessed by the date.

    Counted among the recommendations ``supported`` or ``partially-supported``
    as of the date (``taken_on``): the latest assessment of each, on any scale,
    says ``fully_implemented`` (its level's value is 1), ``partially_implemented``
    (between 0 and 1) or ``not_implemented`` (0); one without an assessment, or
    whose latest assessment states no level, is ``not_assessed``.
    ``implemented_share`` is fully implemented divided by those assessed;
    ``acted_on_share`` fully or partially implemented divided by those assessed
    (UPR Info's "triggered action"); both ``None`` when none is assessed.
    """

    taken_on: int
    fully_implemented: int
    partially_implemented: int
    not_implemented: int
    not_assessed: int
    implemented_share: float | None
    acted_on_share: float | None

    @property
    def assessed(self) -> int:
        """How many of the recommendations taken on have an assessment stating a level."""
        return self.fully_implemented + self.partially_implemented + self.not_implemented


@attrs.frozen(kw_only=True)
class RecommendationCounts:
    """A group's recommendations made by the date, by the position taken on them as of then.

    ``key`` names the group: an area's id, a theme, a mechanism, an actor's
    id (``None`` for all the dataset's recommendations); ``label`` says it in
    words. ``total`` counts the recommendations made on or before the date;
    ``positions`` holds every position of the vocabulary, in its order, with
    its count and its share of ``total``.
    """

    key: str | None
    label: str
    total: int
    positions: tuple[PositionCount, ...]
    implementation: Implementation
    explanation: Explanation

    def count(self, position: Position | str) -> int:
        """Return how many of the group's recommendations stand at ``position``."""
        return self._entry(position).count

    def share(self, position: Position | str) -> float | None:
        """Return the share of the group's recommendations at ``position`` (``None`` if none)."""
        return self._entry(position).share

    def _entry(self, position: Position | str) -> PositionCount:
        wanted = Position(position)
        for entry in self.positions:
            if entry.position is wanted:
                return entry
        raise KeyError(wanted.value)


@attrs.frozen(kw_only=True)
class RecommendationResults:
    """The recommendations part of a scorecard: counts as of the date, whole and by group.

    ``overall`` counts every recommendation; ``areas`` each area of the
    dataset (its recommendations are those listing the area, and those a
    benchmark of the area follows from), in dataset order; ``themes`` each
    theme, by name; ``mechanisms`` each mechanism, in the vocabulary's order;
    ``actors`` each recommending actor, in dataset order. A group other than
    an area is listed when it has a recommendation made by the date. Mechanisms
    partition the recommendations; areas, themes and actors need not (a
    recommendation may be in several, or in none).
    """

    overall: RecommendationCounts
    areas: tuple[RecommendationCounts, ...] = ()
    themes: tuple[RecommendationCounts, ...] = ()
    mechanisms: tuple[RecommendationCounts, ...] = ()
    actors: tuple[RecommendationCounts, ...] = ()

    def mechanism(self, mechanism: Mechanism | str) -> RecommendationCounts:
        """Return a mechanism's counts; raise :class:`KeyError` if it has no recommendation."""
        return _find(self.mechanisms, Mechanism(mechanism).value)

    def area(self, area_id: str) -> RecommendationCounts:
        """Return an area's counts; raise :class:`KeyError` if there is no such area."""
        return _find(self.areas, area_id)

    def theme(self, theme: str) -> RecommendationCounts:
        """Return a theme's counts; raise :class:`KeyError` if it has no recommendation."""
        return _find(self.themes, theme)

    def actor(self, actor_id: str) -> RecommendationCounts:
        """Return a recommending actor's counts; raise :class:`KeyError` if it made none."""
        return _find(self.actors, actor_id)


def _find(groups: tuple[RecommendationCounts, ...], key: str) -> RecommendationCounts:
    for group in groups:
        if group.key == key:
            return group
    raise KeyError(key)


@attrs.frozen(kw_only=True)
class Scorecard:
    """Everything scoring found for a dataset as of a date.

    ``config`` is the configuration actually used; ``fingerprint`` the hex
    SHA-256 of that configuration, the date and the records the rules used
    (see :mod:`benchmarkkit.scoring`); ``problems`` what went wrong without
    stopping scoring, such as a plugin rule that raised. Benchmarks, areas
    and gates are listed in dataset order. ``recommendations`` counts the
    dataset's recommendations by the position taken on them as of the date;
    ``None`` when the dataset has no recommendation (its JSON form then leaves
    the key out, so a scorecard of a format 1.0 dataset reads as it always did).
    """

    dataset_id: str
    title: str
    subject: str | None
    as_of: dt.date
    config: ScoringConfig
    fingerprint: str
    benchmarks: tuple[BenchmarkResult, ...]
    areas: tuple[AreaResult, ...]
    overall: OverallResult
    gates: tuple[GateVerdict, ...]
    problems: tuple[Problem, ...] = ()
    recommendations: RecommendationResults | None = None

    def benchmark(self, benchmark_id: str) -> BenchmarkResult:
        """Return the result for a benchmark; raise :class:`KeyError` if there is none."""
        for result in self.benchmarks:
            if result.benchmark_id == benchmark_id:
                return result
        raise KeyError(benchmark_id)

    def area(self, area_id: str) -> AreaResult:
        """Return the result for an area; raise :class:`KeyError` if there is none."""
        for result in self.areas:
            if result.area_id == area_id:
                return result
        raise KeyError(area_id)

    def gate(self, gate_id: str) -> GateVerdict:
        """Return the verdict of a gate; raise :class:`KeyError` if there is none."""
        for result in self.gates:
            if result.gate_id == gate_id:
                return result
        raise KeyError(gate_id)
