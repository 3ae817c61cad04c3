"""Scoring a dataset on many dates: full scorecards (score_history), or a timeline's scores.

A report's timeline scores a dataset on up to 24 dates. Scoring each date from
scratch sorts every piece of evidence and every assessment again, and encodes
every record the fingerprint covers again. Here the dataset is checked, its
rules resolved and its dated records sorted once (:func:`plan_scoring`); each
date then takes what is known by then by bisecting on integer date keys, and
the fingerprint reuses each record's encoded line. Each scorecard of
:func:`score_history` is exactly the one :func:`score` gives for its date.

A timeline needs less than scorecards: each date's benchmark, area and overall
scores (:class:`TimelineScores`). :func:`score_timeline` scores its first date
in full and each later date incrementally: a benchmark keeps its result unless
a rule that scored it is dated (``register_rule(dated=True)``, the default),
it asked :meth:`RuleContext.age_days`, its rule failed, or a record that one of
its rule's date-filtered queries would now return (or no longer return) lies
between the two dates. The areas whose benchmarks' scores changed, and the overall,
are aggregated again on each date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._model import Benchmark, Dataset
from benchmarkkit.scoring._context import LoggingContext, Query, queries_answered_differently
from benchmarkkit.scoring._results import AreaResult, Scorecard
from benchmarkkit.scoring._scorecard import (
    AreaMemo,
    Scored,
    ScoringPlan,
    _Step,
    area_results,
    overall_result,
    plan_scoring,
    resolve_as_of,
    run_chain,
    score_on,
)

__all__ = ["TimelineScores", "score_history", "score_timeline"]


def score_history(
    dataset: Dataset,
    dates: Iterable[dt.date | str],
    *,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
    validated: bool = False,
) -> tuple[Scorecard, ...]:
    """Score ``dataset`` as of each of ``dates``: one scorecard per date, in the order given.

    The same as ``tuple(score(dataset, as_of=day, config=config, rules=rules,
    validated=validated) for day in dates)``, field for field, fingerprints
    included, in about the time of scoring the dataset once plus what each
    date's scorecard itself holds. Every date is checked (``InvalidAsOfError``)
    and the dataset validated (unless ``validated``) before any scoring starts.
    """
    days = [resolve_as_of(day) for day in dates]
    plan = plan_scoring(dataset, config=config, rules=rules, validated=validated)
    return tuple(score_on(plan, day) for day in days)


@attrs.frozen(kw_only=True)
class TimelineScores:
    """A dataset's scores on one date of a timeline: what a report's chart reads of a scorecard.

    ``benchmarks`` and ``areas`` map each id to its score (``None``: not
    assessable), in the order the scorecard lists them.
    """

    as_of: dt.date
    dataset_id: str
    benchmarks: Mapping[str, float | None]
    areas: Mapping[str, float | None]
    overall: float | None

    @classmethod
    def of(cls, card: Scorecard) -> TimelineScores:
        """The scores of a scorecard."""
        return cls.of_results(
            card.as_of, card.dataset_id, card.benchmarks, card.areas, card.overall.score
        )

    @classmethod
    def of_results(
        cls,
        as_of: dt.date,
        dataset_id: str,
        benchmarks: Iterable[Scored],
        areas: Iterable[AreaResult],
        overall: float | None,
    ) -> TimelineScores:
        """The scores of the results of a date's benchmarks and areas."""
        return cls(
            as_of=as_of,
            dataset_id=dataset_id,
            benchmarks={result.benchmark_id: result.score for result in benchmarks},
            areas={result.area_id: result.score for result in areas},
            overall=overall,
        )


@attrs.frozen
class _Scored:
    """A benchmark's score on a date of a timeline, and what says whether the next date keeps it."""

    benchmark_id: str
    area_id: str
    score: float | None
    weight: float
    queries: frozenset[Query]  # the date-filtered queries its rules made
    volatile: bool  # rescored on every date: a dated rule, age_days, or a failure

    def kept_when(self, changed: set[Query]) -> bool:
        """Whether the score holds on a date where the answers to ``changed`` differ."""
        return not self.volatile and self.queries.isdisjoint(changed)


def _score(benchmark: Benchmark, chain: Sequence[_Step], context: LoggingContext) -> _Scored:
    """Run the chain on ``benchmark`` as :func:`score_on` does, logging what its rules asked."""
    context._start_log()
    at, outcome, failure, _declined = run_chain(benchmark, chain, context)
    queries, aged = context._take_log()
    dated = any(step.entry is not None and step.entry.dated for step in chain[: at + 1])
    return _Scored(
        benchmark_id=benchmark.id,
        area_id=benchmark.area,
        score=None if outcome is None else outcome.score,
        weight=benchmark.weight,
        queries=queries,
        volatile=dated or aged or failure is not None,
    )


def score_timeline(plan: ScoringPlan, days: Sequence[dt.date]) -> tuple[TimelineScores, ...]:
    """The scores of a planned dataset on each of ``days``, in their order, incrementally.

    Each is exactly the scores of ``score_on(plan, day)`` (benchmarks, areas,
    overall), provided the rules registered ``dated=False`` keep their promise.
    No fingerprint, gate or recommendation is computed, and problems found on
    the way (a rule that fails) are not reported: a timeline shows scores only.
    """
    structure, chain = plan.structure, plan.chain
    benchmarks: Sequence[Benchmark] = structure["benchmarks"]
    scored: list[_Scored] = []
    found: list[TimelineScores] = []
    memo: AreaMemo = {}
    previous: dt.date | None = None
    for day in days:
        context = LoggingContext._on(plan.records, day)
        if previous is None:
            scored = [_score(benchmark, chain, context) for benchmark in benchmarks]
        else:
            changed = queries_answered_differently(plan.records, previous, day)
            scored = [
                kept if kept.kept_when(changed) else _score(benchmark, chain, context)
                for benchmark, kept in zip(benchmarks, scored, strict=True)
            ]
        areas = area_results(structure["areas"], scored, plan.area_step, [], memo)
        overall = overall_result(areas, scored, plan.overall_step, [])
        dataset_id = plan.records.dataset.id
        found.append(TimelineScores.of_results(day, dataset_id, scored, areas, overall.score))
        previous = day
    return tuple(found)
