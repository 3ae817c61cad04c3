"""The evidence a report shows: each item's view made once, newest first, by benchmark.

A large report shows each evidence item under every benchmark it bears on.
:class:`EvidenceIndex` makes the view of every item known as of the report's
date the first time one is asked for, in the order the dataset lists them
(where the records lie in memory one after another), sorts them once, newest
first, and lists them under each benchmark and recommendation in that order;
then each benchmark's evidence is a copy of its list. It remembers which views
were shown, so that the report lists those, and cites their sources, and no
others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarkkit._model import Evidence
    from benchmarkkit.reports._report import EvidenceView

__all__ = ["EvidenceIndex", "newest_first"]

_ID = attrgetter("id")
_DATE_ORDER = attrgetter("date.order")
_BENCHMARKS = attrgetter("benchmarks")
_RECOMMENDATIONS = attrgetter("recommendations")


def newest_first(evidence: Sequence[Evidence]) -> list[int]:
    """The positions of ``evidence``, newest first: by date, then by id, both descending.

    Dates compare by :attr:`PartialDate.order` (the first day, then the last);
    the order is that of one sort on ``(date.order, id)`` reversed, made by two
    stable sorts on keys read in C, which compare integers and strings, not tuples.
    """
    ids = list(map(_ID, evidence))
    orders = list(map(_DATE_ORDER, evidence))
    ranked = sorted(range(len(evidence)), key=ids.__getitem__, reverse=True)
    ranked.sort(key=orders.__getitem__, reverse=True)
    return ranked


def _grouped(
    ranked: list[int], keys: list[tuple[str, ...]], views: list[EvidenceView]
) -> dict[str, list[EvidenceView]]:
    """The views under each of their keys (each key once per view), in the order ``ranked``."""
    grouped: dict[str, list[EvidenceView]] = {}
    for position in ranked:
        found = keys[position]
        if not found:
            continue
        view = views[position]
        for key in found if len(found) == 1 else dict.fromkeys(found):
            listed = grouped.get(key)
            if listed is None:
                grouped[key] = [view]
            else:
                listed.append(view)
    return grouped


class EvidenceIndex:
    """The views of the evidence known as of a date, by benchmark and recommendation.

    ``known`` lists the items (each id once), in dataset order; ``make`` makes
    an item's view. Nothing is made until a view is first asked for.
    """

    def __init__(self, known: Sequence[Evidence], make: Callable[[Evidence], EvidenceView]) -> None:
        self._known = known
        self._make = make
        self._built = False
        self._ranked: list[int] = []
        self._views: list[EvidenceView] = []
        self._newest: list[EvidenceView] = []
        self._benchmarks: list[tuple[str, ...]] = []  # of each item, in dataset order
        self._on_no_benchmark = 0  # how many items bear on no benchmark
        self._on_benchmarks: dict[str, list[EvidenceView]] = {}
        self._on_recommendations: dict[str, list[EvidenceView]] | None = None
        self._shown_benchmarks: set[str] = set()
        self._shown_ids: set[str] = set()  # shown under a recommendation
        self._shown: list[EvidenceView] | None = None

    def _build(self) -> None:
        known = self._known
        self._views = views = list(map(self._make, known))
        self._ranked = ranked = newest_first(known)
        benchmarks = list(map(_BENCHMARKS, known))
        self._newest = [views[position] for position in ranked]
        self._benchmarks = benchmarks
        self._on_benchmarks = _grouped(ranked, benchmarks, views)
        self._on_no_benchmark = benchmarks.count(())
        self._built = True

    def on_benchmark(self, benchmark_id: str) -> tuple[EvidenceView, ...]:
        """The evidence on a benchmark, newest first; it is shown."""
        if not self._built:
            self._build()
        found = self._on_benchmarks.get(benchmark_id)
        if found is None:
            return ()
        if benchmark_id not in self._shown_benchmarks:
            self._shown_benchmarks.add(benchmark_id)
            self._shown = None
        return tuple(found)

    def on_recommendation(
        self, recommendation_id: str, most: int
    ) -> tuple[tuple[EvidenceView, ...], int]:
        """The ``most`` newest items of evidence on a recommendation, shown; and how many more."""
        if not self._built:
            self._build()
        if self._on_recommendations is None:  # grouped when a recommendation is first shown
            keys = list(map(_RECOMMENDATIONS, self._known))
            self._on_recommendations = _grouped(self._ranked, keys, self._views)
        found = self._on_recommendations.get(recommendation_id, [])
        newest = tuple(found[:most])
        if not self._shown_ids.issuperset(view.id for view in newest):
            self._shown_ids.update(view.id for view in newest)
            self._shown = None
        return newest, len(found) - len(newest)

    def all_shown(self) -> bool:
        """Whether every view is shown: each item bears on a benchmark, and each is shown."""
        return self._on_no_benchmark == 0 and self._shown_benchmarks.issuperset(self._on_benchmarks)

    def shown(self) -> list[EvidenceView]:
        """Every view shown so far, once, newest first."""
        if self._shown is None and self.all_shown():  # as in every report of a whole scorecard
            self._shown = self._newest
        if self._shown is None:
            shown, ids = self._shown_benchmarks, self._shown_ids
            views, benchmarks = self._views, self._benchmarks
            self._shown = [
                views[position]
                for position in self._ranked
                if views[position].id in ids or not shown.isdisjoint(benchmarks[position])
            ]
        return self._shown
