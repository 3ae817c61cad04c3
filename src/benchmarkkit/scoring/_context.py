"""RuleContext: what a scoring rule may see of a dataset as of a date, indexed by id."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, TypeVar

from benchmarkkit._conditions import ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._index import index_of
from benchmarkkit._model import (
    Actor,
    Area,
    Assessment,
    Benchmark,
    Dataset,
    Evidence,
    Indicator,
    Reading,
    Source,
)
from benchmarkkit._responses import assessment_known, latest_assessments
from benchmarkkit._scales import StatusScale
from benchmarkkit._vocabulary import Reliability

if TYPE_CHECKING:
    from benchmarkkit.scoring._protocols import RuleOutcome

__all__ = ["RuleContext"]


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)


def _dated_key(date: PartialDate, record_id: str) -> tuple[int, str]:
    """Oldest first (the first day, then the last), ties by id: integers, not dates, compared."""
    return (date.order, record_id)


class RuleContext:
    """What a rule may see of a dataset as of a date: an indexed, time-filtered view.

    Every dated record the context hands out (assessments, evidence,
    readings) is dated on or before :attr:`as_of`: a record counts as of a
    day when the first day of its (possibly partial) date is on or before
    that day. Records come in a canonical order (oldest first, ties by id),
    never in the order the dataset lists them, so a rule cannot depend on
    that order by accident.

    The context remembers every record it hands out; the scorecard's
    fingerprint covers exactly those records. A rule should therefore read
    the dataset only through its context.

    Build one yourself to try a rule::

        context = RuleContext(dataset, as_of=datetime.date(2012, 3, 20))
        outcome = my_rule(benchmark, context, {})
    """

    def __init__(
        self, dataset: Dataset, *, as_of: dt.date, config: ScoringConfig | None = None
    ) -> None:
        self._dataset = dataset
        self._as_of = as_of
        self._config = config if config is not None else (dataset.scoring or ScoringConfig())
        index = index_of(dataset)  # the first record of an id, as everywhere else
        self._benchmarks: Mapping[str, Benchmark] = index["benchmarks"]
        self._areas: Mapping[str, Area] = index["areas"]
        self._sources: Mapping[str, Source] = index["sources"]
        self._actors: Mapping[str, Actor] = index["actors"]
        self._indicators: Mapping[str, Indicator] = index["indicators"]
        self._scales = index.scales
        self._all_evidence: Mapping[str, Evidence] = index["evidence"]
        by_benchmark: defaultdict[str, list[Indicator]] = defaultdict(list)
        for indicator in self._indicators.values():
            by_benchmark[indicator.benchmark].append(indicator)
        self._indicators_of = {
            key: tuple(sorted(value, key=lambda i: i.id)) for key, value in by_benchmark.items()
        }
        # An assessment judges its whole period, so it counts once that period is over
        # (its last day); everything it cites is then known too, which validation checks.
        assessments: tuple[Assessment, ...] = index.records("assessments")
        known = [a for a in assessments if assessment_known(a, as_of)]
        known.sort(key=lambda a: _dated_key(a.as_of, a.id))
        # An assessment of a recommendation's implementation is no rule's business: it
        # never changes a benchmark's score, and the recommendations part counts it.
        self._assessments = tuple(a for a in known if a.benchmark is not None)
        assessments_of: defaultdict[str, list[Assessment]] = defaultdict(list)
        for assessment in known:
            if assessment.benchmark is not None:
                assessments_of[assessment.benchmark].append(assessment)
        self._assessments_of = {key: tuple(value) for key, value in assessments_of.items()}
        # The reports show the same latest assessment with each recommendation.
        self._latest_of_recommendation = latest_assessments(assessments, as_of)
        evidence: tuple[Evidence, ...] = index.records("evidence")
        seen = [e for e in evidence if e.date.is_on_or_before(as_of)]
        seen.sort(key=lambda e: _dated_key(e.date, e.id))
        self._evidence = tuple(seen)
        evidence_of: defaultdict[str, list[Evidence]] = defaultdict(list)
        readings_of: defaultdict[str, list[tuple[Evidence, Reading]]] = defaultdict(list)
        for item in self._evidence:
            for benchmark_id in dict.fromkeys(item.benchmarks):
                evidence_of[benchmark_id].append(item)
            for reading in item.readings:
                readings_of[reading.indicator].append((item, reading))
        self._evidence_of = {key: tuple(value) for key, value in evidence_of.items()}
        self._readings_of = {key: tuple(value) for key, value in readings_of.items()}
        self._read: dict[tuple[str, str], object] = {}
        self._declined: str | None = None

    # -- the date and the configuration ------------------------------------------------

    @property
    def as_of(self) -> dt.date:
        """The day the scorecard describes."""
        return self._as_of

    @property
    def config(self) -> ScoringConfig:
        """The effective scoring configuration."""
        return self._config

    @property
    def dataset_id(self) -> str:
        """The id of the dataset being scored."""
        return self._dataset.id

    def age_days(self, date: PartialDate) -> int:
        """Count the days from the first day of ``date`` to the as-of date."""
        return (self._as_of - date.first_day).days

    # -- records by id -----------------------------------------------------------------

    def benchmark(self, benchmark_id: str) -> Benchmark | None:
        """Return the benchmark with this id, or ``None``."""
        return self._note("benchmarks", self._benchmarks.get(benchmark_id))

    def area(self, area_id: str) -> Area | None:
        """Return the area with this id, or ``None``."""
        return self._note("areas", self._areas.get(area_id))

    def source(self, source_id: str) -> Source | None:
        """Return the source with this id, or ``None``."""
        return self._note("sources", self._sources.get(source_id))

    def actor(self, actor_id: str) -> Actor | None:
        """Return the actor with this id, or ``None``."""
        return self._note("actors", self._actors.get(actor_id))

    def indicator(self, indicator_id: str) -> Indicator | None:
        """Return the indicator with this id, or ``None``."""
        return self._note("indicators", self._indicators.get(indicator_id))

    def scale(self, scale_id: str) -> StatusScale | None:
        """Return the scale with this id: the dataset's own first, then the built-in ones."""
        return self._note("scales", self._scales.get(scale_id))

    # -- what is known as of the date --------------------------------------------------

    def assessments(self, benchmark_id: str | None = None) -> tuple[Assessment, ...]:
        """Return the assessments dated on or before the as-of date, oldest first (ties by id).

        With ``benchmark_id``, only that benchmark's. Assessments of benchmarks
        only: those of a recommendation's implementation are counted in the
        scorecard's recommendations part, never in a benchmark's score.
        """
        found = (
            self._assessments
            if benchmark_id is None
            else self._assessments_of.get(benchmark_id, ())
        )
        return self._note_all("assessments", found)

    def evidence(self, benchmark_id: str | None = None) -> tuple[Evidence, ...]:
        """Return the evidence dated on or before the as-of date, oldest first (ties by id).

        With ``benchmark_id``, only the evidence bearing on that benchmark.
        """
        found = self._evidence if benchmark_id is None else self._evidence_of.get(benchmark_id, ())
        return self._note_all("evidence", found)

    def evidence_by_id(self, evidence_id: str) -> Evidence | None:
        """Return the evidence with this id if dated on or before the as-of date, else ``None``."""
        found = self._all_evidence.get(evidence_id)
        if found is not None and not found.date.is_on_or_before(self._as_of):
            found = None
        return self._note("evidence", found)

    def indicators(self, benchmark_id: str) -> tuple[Indicator, ...]:
        """Return the indicators that measure a benchmark, by id."""
        return self._note_all("indicators", self._indicators_of.get(benchmark_id, ()))

    def readings(self, indicator_id: str) -> tuple[tuple[Evidence, Reading], ...]:
        """Return the readings of an indicator from evidence dated on or before the as-of date.

        Each comes with the evidence that reports it; oldest first, ties by
        evidence id, then in the order the evidence lists them.
        """
        found = self._readings_of.get(indicator_id, ())
        for item, _reading in found:
            self._note("evidence", item)
        return found

    def reliability(self, evidence: Evidence) -> Reliability:
        """Return the HURIDOCS grade of evidence: its own, else its source's, else unknown."""
        if evidence.reliability is not None:
            return evidence.reliability
        source = self.source(evidence.source)
        return source.reliability if source is not None else Reliability.UNKNOWN

    # -- declining -----------------------------------------------------------------------

    def decline(self, reason: str) -> RuleOutcome | None:
        """Record why the rule does not apply, and return ``None`` for the rule to return.

        ``return context.decline("no assessment as of the date")`` lets the
        next rule in the chain try, and puts the reason in the explanation
        if no rule can score the benchmark.
        """
        self._declined = reason
        return None

    # -- for the engine ------------------------------------------------------------------

    def _take_decline(self) -> str | None:
        reason, self._declined = self._declined, None
        return reason

    def _latest_assessment_of_recommendation(self, recommendation_id: str) -> Assessment | None:
        """The latest assessment of a recommendation's implementation as of the date (not noted)."""
        return self._latest_of_recommendation.get(recommendation_id)

    def _records_read(self) -> tuple[tuple[str, str, object], ...]:
        return tuple(
            (collection, record_id, record)
            for (collection, record_id), record in self._read.items()
        )

    def _note(self, collection: str, record: R | None) -> R | None:
        if record is not None:
            self._read[(collection, record.id)] = record
        return record

    def _note_all(self, collection: str, records: tuple[R, ...]) -> tuple[R, ...]:
        for record in records:
            self._read[(collection, record.id)] = record
        return records

    def __repr__(self) -> str:
        return f"RuleContext(dataset={self._dataset.id!r}, as_of={self._as_of.isoformat()!r})"
