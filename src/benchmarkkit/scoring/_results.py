"""The scorecard and its parts, as frozen values: a scorecard is data; renderers are separate."""

from __future__ import annotations

import datetime as dt

import attrs

from benchmarkkit._conditions import ScoringConfig
from benchmarkkit._problems import Problem
from benchmarkkit.scoring._explain import Explanation
from benchmarkkit.scoring._gates import ConditionResult, Verdict
from benchmarkkit.scoring._protocols import Status

__all__ = ["AreaResult", "BenchmarkResult", "GateVerdict", "OverallResult", "Scorecard"]


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
class Scorecard:
    """Everything scoring found for a dataset as of a date.

    ``config`` is the configuration actually used; ``fingerprint`` the hex
    SHA-256 of that configuration, the date and the records the rules used
    (see :mod:`benchmarkkit.scoring`); ``problems`` what went wrong without
    stopping scoring, such as a plugin rule that raised. Benchmarks, areas
    and gates are listed in dataset order.
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
