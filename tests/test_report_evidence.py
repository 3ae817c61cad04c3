"""The evidence a report shows, made once and indexed, is what the plain way made item by item.

The report model makes every known evidence item's view at once, sorts them
once (newest first, by the integer order of their dates) and lists them under
each benchmark and recommendation (``reports/_evidence.py``). The plain way,
kept here as the reference, is the one it replaced: for each benchmark, its
evidence filtered by date, sorted on its own by calendar dates, and each view
made (and its source cited) the first time it is shown. Whole reports built
both ways are equal.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import load_dataset
from benchmarkkit._model import Dataset, Evidence
from benchmarkkit.reports import _build
from benchmarkkit.reports._build import build_report
from benchmarkkit.reports._evidence import newest_first
from benchmarkkit.reports._links import link
from benchmarkkit.reports._records import Records, anchor, words
from benchmarkkit.reports._report import EvidenceView, Report
from benchmarkkit.scoring import score
from tests.conftest import EXAMPLE, max_examples
from tests.scoring_strategies import as_of_dates, partial_dates, recommendation_datasets

_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]+")


class PlainEvidence:
    """The evidence as the report made it before the index: item by item, benchmark by benchmark.

    Each list is sorted when asked for, by calendar dates (:meth:`PartialDate.sort_key`),
    and each view is made, and its source cited, the first time it is shown.
    """

    def __init__(self, records: Records) -> None:
        self.records = records
        self.on_benchmarks: dict[str, list[Evidence]] = {}
        self.on_recommendations: dict[str, list[Evidence]] = {}
        first: dict[str, Evidence] = {}
        for item in records.dataset.evidence:
            first.setdefault(item.id, item)
        for item in first.values():
            if item.date.first_day <= records.as_of:
                for benchmark_id in dict.fromkeys(item.benchmarks):
                    self.on_benchmarks.setdefault(benchmark_id, []).append(item)
                for recommendation_id in dict.fromkeys(item.recommendations):
                    self.on_recommendations.setdefault(recommendation_id, []).append(item)
        self.made: dict[str, tuple[Any, EvidenceView]] = {}

    @staticmethod
    def _key(item: Evidence) -> tuple[Any, str]:
        return (item.date.sort_key(), item.id)

    def _views(self, evidence: Iterable[Evidence], most: int | None = None) -> list[EvidenceView]:
        known = sorted(evidence, key=self._key, reverse=True)
        return [self._view(item) for item in known[:most]]

    def _view(self, item: Evidence) -> EvidenceView:
        if item.id in self.made:
            return self.made[item.id][1]
        records = self.records
        source = records.sources.get(item.source)
        reliability = item.reliability or (source.reliability if source else None)
        titles = {indicator.id: indicator.title for indicator in records.dataset.indicators}
        view = EvidenceView(
            id=item.id,
            anchor=f"evidence-{_UNSAFE.sub('-', item.id)}",
            date=str(item.date),
            direction=item.direction.value,
            direction_label=words(item.direction.value),
            summary=item.summary,
            quote=item.quote,
            quote_from=records.quote_from(item.source),
            source=records.source(item.source, item.locator),
            reliability=words(reliability.value) if reliability else "Unknown",
            readings=tuple(
                f"{titles.get(r.indicator, r.indicator)}: "
                + (("yes" if r.value else "no") if isinstance(r.value, bool) else str(r.value))
                for r in item.readings
            ),
        )
        self.made[item.id] = (self._key(item), view)
        return view

    def on_benchmark(self, benchmark_id: str) -> tuple[EvidenceView, ...]:
        return tuple(self._views(self.on_benchmarks.get(benchmark_id, ())))

    def on_recommendation(
        self, recommendation_id: str, most: int
    ) -> tuple[tuple[EvidenceView, ...], int]:
        found = self.on_recommendations.get(recommendation_id, [])
        views = self._views(found, most)
        return tuple(views), len(found) - len(views)

    def all_shown(self) -> bool:
        return False  # so that the sources cited are those of each view shown

    def shown(self) -> list[EvidenceView]:
        return [view for _, view in sorted(self.made.values(), key=lambda m: m[0], reverse=True)]


def _plain_report(
    monkeypatch: pytest.MonkeyPatch, dataset: Dataset, **options: Any
) -> tuple[Report, list[Records]]:
    """The report of ``dataset`` with its evidence made the plain way, and the records used."""
    made: list[Records] = []

    def plain_records(dataset: Dataset, as_of: dt.date) -> Records:
        records = Records(dataset, as_of)
        records._evidence = PlainEvidence(records)  # type: ignore[assignment]
        made.append(records)
        return records

    with monkeypatch.context() as patch:
        patch.setattr(_build, "Records", plain_records)
        return build_report(dataset, **options), made


@st.composite
def evidence_datasets(draw: st.DrawFn) -> Dataset:
    """Datasets whose evidence bears on benchmarks, recommendations, both or neither.

    With ties of date, later copies of an id, items dated on the same day as others,
    references to records the dataset does not define, locators, quotes, sources
    known through others and addresses a report may or may not link.
    """
    dataset = draw(recommendation_datasets(max_size=4))
    sources = [
        attrs.evolve(
            source,
            url=draw(st.sampled_from([None, f"https://example.org/{source.id}", "javascript:x"])),
            cited_in=draw(st.none() | st.sampled_from([s.id for s in dataset.sources[:i]] or [""]))
            or None,
        )
        for i, source in enumerate(dataset.sources)
    ]
    source_ids = [source.id for source in sources] + ["source-undefined"]
    benchmark_ids = [benchmark.id for benchmark in dataset.benchmarks] + ["bm-undefined"]
    recommendation_ids = [r.id for r in dataset.recommendations] + ["rec-undefined"]
    evidence = [
        attrs.evolve(
            item,
            id=draw(st.sampled_from([item.id, f"ev-{index}", "ev-0", "ev-z"])),
            date=draw(st.sampled_from([item.date, dataset.evidence[0].date]))
            if draw(st.booleans())
            else draw(partial_dates()),
            source=draw(st.sampled_from(source_ids)),
            locator=draw(st.sampled_from([None, "p. 1", "p. 2"])),
            quote=draw(st.sampled_from([None, "Quoted words."])),
            benchmarks=tuple(draw(st.lists(st.sampled_from(benchmark_ids), max_size=3))),
            recommendations=tuple(draw(st.lists(st.sampled_from(recommendation_ids), max_size=3))),
        )
        for index, item in enumerate(dataset.evidence * draw(st.integers(1, 3)))
    ]
    return attrs.evolve(dataset, sources=tuple(sources), evidence=tuple(evidence))


@settings(max_examples=max_examples(50))  # 50 in CI (about 3 s), 5 in the default profile
@given(evidence_datasets(), as_of_dates, st.booleans())
def test_reports_with_indexed_evidence_equal_reports_with_evidence_made_one_by_one(
    dataset: Dataset, as_of: dt.date, compared: bool
) -> None:
    card = score(dataset, as_of=as_of, validated=True)
    history = [score(dataset, as_of=as_of - dt.timedelta(days=400), validated=True)]
    options: dict[str, Any] = {"scorecard": card, "history": history if compared else ()}
    with pytest.MonkeyPatch.context() as monkeypatch:
        expected, _ = _plain_report(monkeypatch, dataset, **options)
    found = build_report(dataset, **options)
    assert found == expected
    shown = {view.id: view for view in found.evidence}
    under = [view for benchmark in found.benchmarks for view in benchmark.evidence]
    assert all(shown[view.id] is view for view in under)  # the very views, printed once
    # A source's link is the one its first citation made, and the same as its own would be.
    sources = {source.id: source for source in reversed(dataset.sources)}  # the first of an id
    assert [view.link for view in found.sources] == [
        link(sources[view.id].title, sources[view.id].url) if sources[view.id].url else None
        for view in found.sources
    ]


def test_the_example_report_with_indexed_evidence_equals_the_plain_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dataset = load_dataset(EXAMPLE)
    card = score(dataset, as_of="2012-12-31", validated=True)
    expected, _ = _plain_report(monkeypatch, dataset, scorecard=card)
    found = build_report(dataset, card)
    assert found == expected
    assert len(found.evidence) == len(dataset.evidence) == 36


def test_evidence_on_a_recommendation_shows_the_three_newest_and_counts_the_rest() -> None:
    dataset = load_dataset(EXAMPLE)
    recommendation = dataset.recommendations[0]
    days = ["2012-01", "2012-02-10", "2011", "2012-02", "2012-02-10"]
    extra = tuple(
        attrs.evolve(
            dataset.evidence[0],
            id=f"ev-on-rec-{index}",
            date=day,
            benchmarks=(),
            recommendations=(recommendation.id, recommendation.id),
        )
        for index, day in enumerate(days)
    )
    dataset = attrs.evolve(dataset, evidence=(*dataset.evidence, *extra))
    records = Records(dataset, dt.date(2012, 12, 31))
    view = records.recommendation(recommendation.id)
    assert view is not None
    assert [(e.id, e.date) for e in view.evidence] == [
        ("ev-on-rec-4", "2012-02-10"),  # the same day: the later id first
        ("ev-on-rec-1", "2012-02-10"),
        ("ev-on-rec-3", "2012-02"),  # a month counts from its first day: before the 10th
    ]
    assert view.more_evidence == 2
    assert [e.id for e in records.shown_evidence()] == ["ev-on-rec-4", "ev-on-rec-1", "ev-on-rec-3"]


def test_evidence_dated_up_to_the_report_date_is_shown_and_later_evidence_is_not() -> None:
    dataset = load_dataset(EXAMPLE)
    benchmark_id = dataset.benchmarks[0].id
    days = {
        "ev-next-month": "2013-01",
        "ev-that-year": "2012",
        "ev-on-the-day": "2012-12-31",
        "ev-next-day": "2013-01-01",
        "ev-that-month": "2012-12",
    }
    extra = tuple(
        attrs.evolve(dataset.evidence[0], id=record_id, date=day, benchmarks=(benchmark_id,))
        for record_id, day in days.items()
    )
    dataset = attrs.evolve(dataset, evidence=(*dataset.evidence, *extra))
    report = build_report(dataset, score(dataset, as_of="2012-12-31", validated=True))
    shown = [view.id for view in report.benchmarks[0].evidence if view.id in days]
    assert shown == ["ev-on-the-day", "ev-that-month", "ev-that-year"]
    assert [view.id for view in report.evidence if view.id in days] == shown


def test_evidence_not_shown_cites_no_source() -> None:
    dataset = load_dataset(EXAMPLE)
    source = attrs.evolve(dataset.sources[0], id="src-only-unshown", title="Never shown")
    unshown = attrs.evolve(
        dataset.evidence[0], id="ev-unshown", source=source.id, benchmarks=("bm-undefined",)
    )
    dataset = attrs.evolve(
        dataset, sources=(*dataset.sources, source), evidence=(*dataset.evidence, unshown)
    )
    report = build_report(dataset, score(dataset, as_of="2012-12-31", validated=True))
    assert "ev-unshown" not in {view.id for view in report.evidence}
    assert "src-only-unshown" not in {view.id for view in report.sources}
    assert report.source_number("src-only-unshown") is None


@given(st.lists(st.tuples(partial_dates(), st.sampled_from(["a", "b", "c", "ev-1"]))))
def test_newest_first_is_the_order_of_calendar_dates_then_ids_reversed(
    dated: list[tuple[Any, str]],
) -> None:
    evidence = [
        Evidence(id=record_id, source="s", date=date, direction="progress", summary=str(index))
        for index, (date, record_id) in enumerate(dated)
    ]
    expected = sorted(evidence, key=lambda e: (e.date.sort_key(), e.id), reverse=True)
    assert [evidence[position] for position in newest_first(evidence)] == expected


@given(st.text(max_size=20))
def test_an_anchor_replaces_each_run_of_unsafe_characters_by_one_hyphen(record_id: str) -> None:
    assert anchor("evidence", record_id) == f"evidence-{_UNSAFE.sub('-', record_id)}"


def test_an_anchor_of_an_id_with_spaces_and_accents() -> None:
    assert anchor("source", "Rapport 2012 (été)") == "source-Rapport-2012-t-"
