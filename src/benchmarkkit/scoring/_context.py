"""RuleContext: what a scoring rule may see of a dataset as of a date, indexed by id."""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from benchmarkkit._conditions import ScoringConfig
from benchmarkkit._dates import DAY_SPAN, PartialDate, day_number
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
    Recommendation,
    Source,
)
from benchmarkkit._responses import latest_assessments
from benchmarkkit._scales import StatusScale
from benchmarkkit._vocabulary import Reliability

if TYPE_CHECKING:
    from benchmarkkit.scoring._protocols import RuleOutcome

__all__ = ["DatedRecords", "LoggingContext", "Query", "RuleContext", "queries_answered_differently"]


class _Record(Protocol):
    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)
T = TypeVar("T")
C = TypeVar("C", bound="RuleContext")


def _in_date_order(records: Iterable[R], date_field: str) -> list[R]:
    """Oldest first (the first day, then the last), ties by id: integers, not dates, compared.

    ``date_field`` names the records' date. Two stable sorts, by id and then by
    :attr:`PartialDate.order`, give the order of one sort on ``(order, id)`` pairs;
    at 100,000 records they take a third of its time, since no pair is built and
    each comparison reads one object, not two. The keys are read by
    :func:`operator.attrgetter`, without a Python call per record.
    """
    ordered = sorted(records, key=attrgetter("id"))
    ordered.sort(key=attrgetter(f"{date_field}.order"))
    return ordered


class _Dated(Generic[T]):
    """Values in date order, each with its date's :attr:`PartialDate.order`, for bisecting."""

    __slots__ = ("orders", "values")

    def __init__(self, values: Sequence[T], orders: list[int]) -> None:
        self.values = tuple(values)
        self.orders = orders

    def known_by(self, bound: int) -> tuple[T, ...]:
        """The values whose first day is on or before the day ``bound`` stands for (a prefix)."""
        end = bisect_left(self.orders, bound)
        return self.values if end == len(self.values) else self.values[:end]


class DatedRecords:
    """What scoring needs of a dataset on any date: its records indexed, the dated ones sorted.

    Built once per dataset (and configuration): a :class:`RuleContext` for a date
    takes what is known by then from it by bisecting on integer date keys, so that
    a history of many dates sorts the evidence and the assessments once.
    """

    def __init__(self, dataset: Dataset, config: ScoringConfig | None = None) -> None:
        self.dataset = dataset
        self.config = config if config is not None else (dataset.scoring or ScoringConfig())
        self.index = index = index_of(dataset)  # the first record of an id, as everywhere else
        indicators: Mapping[str, Indicator] = index["indicators"]
        by_benchmark: defaultdict[str, list[Indicator]] = defaultdict(list)
        for indicator in indicators.values():
            by_benchmark[indicator.benchmark].append(indicator)
        self.indicators_of = {
            key: tuple(sorted(value, key=lambda i: i.id)) for key, value in by_benchmark.items()
        }
        # Assessments, oldest first; an assessment counts from its last day, so what is
        # known on a date is not a prefix of them: each date filters them on integers.
        assessments: tuple[Assessment, ...] = index.records("assessments")
        ordered = _in_date_order(assessments, "as_of")
        self.assessments = tuple(a for a in ordered if a.benchmark is not None)
        self.assessments_of = _group(self.assessments, lambda a: (a.benchmark,))
        self.recommendation_assessments = tuple(a for a in ordered if a.benchmark is None)
        evidence: tuple[Evidence, ...] = index.records("evidence")
        ordered_evidence = _in_date_order(evidence, "date")
        self.evidence = _Dated(ordered_evidence, [item.date.order for item in ordered_evidence])
        # Explanations list recommendations oldest first, ties by id, as rules see records.
        recommendations: tuple[Recommendation, ...] = index.records("recommendations")
        made = _in_date_order(recommendations, "date")
        self.recommendations = _Dated(made, [r.date.order for r in made])

    @functools.cached_property
    def evidence_of(self) -> dict[str, _Dated[Evidence]]:
        """The evidence bearing on each benchmark, in date order: built when a rule first asks."""
        grouped: dict[str, tuple[list[Evidence], list[int]]] = {}
        for item, order in zip(self.evidence.values, self.evidence.orders, strict=True):
            for key in item.benchmarks:
                found = grouped.get(key)
                if found is None:
                    grouped[key] = ([item], [order])
                elif found[0][-1] is not item:  # a benchmark the item names twice: once
                    found[0].append(item)
                    found[1].append(order)
        return {key: _Dated(values, orders) for key, (values, orders) in grouped.items()}

    @functools.cached_property
    def assessments_by_last_day(self) -> tuple[list[int], tuple[Assessment, ...]]:
        """The benchmarks' assessments by the day they count from (their last), with those days."""
        ordered = sorted(self.assessments, key=lambda a: a.as_of.order % DAY_SPAN)
        return [a.as_of.order % DAY_SPAN for a in ordered], tuple(ordered)

    @functools.cached_property
    def readings_of(self) -> dict[str, _Dated[tuple[Evidence, Reading]]]:
        """Each indicator's readings, in the evidence's date order: built when first asked."""
        values: dict[str, list[tuple[Evidence, Reading]]] = {}
        orders: dict[str, list[int]] = {}
        for item, order in zip(self.evidence.values, self.evidence.orders, strict=True):
            for reading in item.readings:
                key = reading.indicator
                if key not in values:
                    values[key], orders[key] = [], []
                values[key].append((item, reading))
                orders[key].append(order)
        return {key: _Dated(found, orders[key]) for key, found in values.items()}

    def __repr__(self) -> str:
        return f"<DatedRecords of {self.dataset.id!r}>"


def _group(
    records: Iterable[R], keys: Callable[[R], Iterable[str | None]]
) -> dict[str, tuple[R, ...]]:
    """The records under each of their keys, in their order."""
    grouped: defaultdict[str, list[R]] = defaultdict(list)
    for record in records:
        for key in keys(record):
            if key is not None:
                grouped[key].append(record)
    return {key: tuple(value) for key, value in grouped.items()}


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
        self._setup(DatedRecords(dataset, config), as_of)

    @classmethod
    def _on(cls: type[C], records: DatedRecords, as_of: dt.date) -> C:
        """The context of ``records`` as of a date (their sorting shared with other dates)."""
        context = cls.__new__(cls)
        context._setup(records, as_of)
        return context

    def _setup(self, records: DatedRecords, as_of: dt.date) -> None:
        self._records = records
        self._dataset = records.dataset
        self._as_of = as_of
        self._config = records.config
        index = records.index
        self._benchmarks: Mapping[str, Benchmark] = index["benchmarks"]
        self._areas: Mapping[str, Area] = index["areas"]
        self._sources: Mapping[str, Source] = index["sources"]
        self._actors: Mapping[str, Actor] = index["actors"]
        self._indicators: Mapping[str, Indicator] = index["indicators"]
        self._scales = index.scales
        self._all_evidence: Mapping[str, Evidence] = index["evidence"]
        day = day_number(as_of)
        self._day = day  # an assessment is known when its last day is on or before it
        self._bound = (day + 1) * DAY_SPAN  # evidence is known when its order is below it
        # What is known by the date, taken from the sorted records when first asked for.
        self._evidence_known: dict[str | None, tuple[Evidence, ...]] = {}
        self._assessments_known: dict[str | None, tuple[Assessment, ...]] = {}
        self._readings_known: dict[str, tuple[tuple[Evidence, Reading], ...]] = {}
        self._latest_of_recommendation: dict[str, Assessment] | None = None
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
        found = self._assessments_known.get(benchmark_id)
        if found is None:
            records = self._records
            candidates = (
                records.assessments
                if benchmark_id is None
                else records.assessments_of.get(benchmark_id, ())
            )
            day = self._day
            found = tuple(a for a in candidates if a.as_of.order % DAY_SPAN <= day)
            if len(found) == len(candidates):
                found = candidates
            self._assessments_known[benchmark_id] = found
        return self._note_all("assessments", found)

    def evidence(self, benchmark_id: str | None = None) -> tuple[Evidence, ...]:
        """Return the evidence dated on or before the as-of date, oldest first (ties by id).

        With ``benchmark_id``, only the evidence bearing on that benchmark.
        """
        found = self._evidence_known.get(benchmark_id)
        if found is None:
            dated = (
                self._records.evidence
                if benchmark_id is None
                else self._records.evidence_of.get(benchmark_id)
            )
            found = () if dated is None else dated.known_by(self._bound)
            self._evidence_known[benchmark_id] = found
        return self._note_all("evidence", found)

    def evidence_by_id(self, evidence_id: str) -> Evidence | None:
        """Return the evidence with this id if dated on or before the as-of date, else ``None``."""
        found = self._all_evidence.get(evidence_id)
        if found is not None and found.date.order >= self._bound:
            found = None
        return self._note("evidence", found)

    def indicators(self, benchmark_id: str) -> tuple[Indicator, ...]:
        """Return the indicators that measure a benchmark, by id."""
        return self._note_all("indicators", self._records.indicators_of.get(benchmark_id, ()))

    def readings(self, indicator_id: str) -> tuple[tuple[Evidence, Reading], ...]:
        """Return the readings of an indicator from evidence dated on or before the as-of date.

        Each comes with the evidence that reports it; oldest first, ties by
        evidence id, then in the order the evidence lists them.
        """
        found = self._readings_known.get(indicator_id)
        if found is None:
            dated = self._records.readings_of.get(indicator_id)
            found = () if dated is None else dated.known_by(self._bound)
            self._readings_known[indicator_id] = found
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
        latest = self._latest_of_recommendation
        if latest is None:  # the reports show the same latest assessment with each one
            latest = latest_assessments(self._records.recommendation_assessments, self._as_of)
            self._latest_of_recommendation = latest
        return latest.get(recommendation_id)

    def _recommendations_made(self) -> tuple[Recommendation, ...]:
        """The recommendations made on or before the date, oldest first, ties by id (not noted)."""
        return self._records.recommendations.known_by(self._bound)

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


#: A date-filtered query a rule made: the method's name and its argument.
Query = tuple[str, str | None]


class LoggingContext(RuleContext):
    """A context that logs the date-filtered queries rules make, for scoring a timeline.

    Between :meth:`_start_log` and :meth:`_take_log` it remembers which of
    :meth:`assessments`, :meth:`evidence`, :meth:`evidence_by_id` and
    :meth:`readings` were asked, with which argument, and whether
    :meth:`age_days` was called: what a rule's result can depend on besides the
    static lookups. It notes no record for a fingerprint (a timeline has none),
    and the ordinary :class:`RuleContext` does no logging, so scoring one date
    pays nothing for it.
    """

    _queries: set[Query]
    _aged: bool

    def _setup(self, records: DatedRecords, as_of: dt.date) -> None:
        super()._setup(records, as_of)
        self._start_log()

    def _start_log(self) -> None:
        self._queries = set()
        self._aged = False

    def _take_log(self) -> tuple[frozenset[Query], bool]:
        """The queries logged since :meth:`_start_log`, and whether ``age_days`` was called."""
        return frozenset(self._queries), self._aged

    def age_days(self, date: PartialDate) -> int:
        self._aged = True
        return super().age_days(date)

    def assessments(self, benchmark_id: str | None = None) -> tuple[Assessment, ...]:
        self._queries.add(("assessments", benchmark_id))
        return super().assessments(benchmark_id)

    def evidence(self, benchmark_id: str | None = None) -> tuple[Evidence, ...]:
        self._queries.add(("evidence", benchmark_id))
        return super().evidence(benchmark_id)

    def evidence_by_id(self, evidence_id: str) -> Evidence | None:
        self._queries.add(("evidence_by_id", evidence_id))
        return super().evidence_by_id(evidence_id)

    def readings(self, indicator_id: str) -> tuple[tuple[Evidence, Reading], ...]:
        self._queries.add(("readings", indicator_id))
        return super().readings(indicator_id)

    def _note(self, collection: str, record: R | None) -> R | None:
        return record

    def _note_all(self, collection: str, records: tuple[R, ...]) -> tuple[R, ...]:
        return records


def queries_answered_differently(
    records: DatedRecords, before: dt.date, after: dt.date
) -> set[Query]:
    """The queries whose answers differ between two dates: one pass over the records between.

    A record dated between them (known on one date and not on the other) changes
    the answers of the queries that would return it.
    """
    low, high = sorted((day_number(before), day_number(after)))
    changed: set[Query] = set()
    evidence = records.evidence
    start = bisect_left(evidence.orders, (low + 1) * DAY_SPAN)
    end = bisect_left(evidence.orders, (high + 1) * DAY_SPAN)
    if end > start:
        changed.add(("evidence", None))
    for item in evidence.values[start:end]:
        changed.add(("evidence_by_id", item.id))
        changed.update(("evidence", key) for key in item.benchmarks)
        changed.update(("readings", reading.indicator) for reading in item.readings)
    ends, assessments = records.assessments_by_last_day
    start, end = bisect_right(ends, low), bisect_right(ends, high)
    if end > start:
        changed.add(("assessments", None))
    changed.update(("assessments", a.benchmark) for a in assessments[start:end])
    return changed
