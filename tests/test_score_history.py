"""score_history: a dataset scored on many dates in one pass is scored exactly as date by date."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, load_dataset
from benchmarkkit._dates import PartialDate
from benchmarkkit._index import first_by_id
from benchmarkkit._model import Benchmark
from benchmarkkit._vocabulary import EvidenceDirection
from benchmarkkit.scoring import RuleContext, RuleOutcome, register_rule, score, scorecard_to_json
from benchmarkkit.scoring._errors import InvalidAsOfError
from benchmarkkit.scoring._explain import Input
from benchmarkkit.scoring._history import score_history
from benchmarkkit.scoring._registry import RULES
from benchmarkkit.scoring._scorecard import plan_scoring
from tests.scoring_strategies import (
    make_benchmark,
    make_dataset,
    make_evidence,
    recommendation_datasets,
    scoring_datasets,
)
from tests.strategies import datasets as any_datasets

EXAMPLE = Path(__file__).parent.parent / "examples" / "kazakhstan-2012"
_ONE_DAY = dt.timedelta(days=1)
#: A rule of the test's own that reads every part of its context, so that a history
#: that handed out one record too many or too few, or in another order, shows.
_EVERYTHING = "history-reads-everything"


def _reads_everything(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    seen = [f"evidence {item.id} {item.date}" for item in context.evidence()]
    seen += [f"assessment {a.id} {a.as_of}" for a in context.assessments()]
    seen += [f"on {benchmark.id}: {item.id}" for item in context.evidence(benchmark.id)]
    seen += [f"assessed {a.id}" for a in context.assessments(benchmark.id)]
    for indicator in context.indicators(benchmark.id):
        seen += [f"reading {item.id} {r.indicator}" for item, r in context.readings(indicator.id)]
    for evidence_id in sorted(context._all_evidence):  # every id, known or not
        found = context.evidence_by_id(evidence_id)
        seen.append(f"by id {evidence_id}: {'known' if found is not None else 'not yet'}")
    mine = context.evidence(benchmark.id)
    if not mine:
        return context.decline(f"nothing on {benchmark.id} yet")
    latest = mine[-1]
    return RuleOutcome(
        score=1.0 / len(mine),
        steps=seen,
        inputs=[Input(kind="evidence", id=latest.id, date=latest.date, value=None)],
    )


@pytest.fixture(scope="module", autouse=True)
def _custom_rule() -> Iterator[None]:
    register_rule(_EVERYTHING)(_reads_everything)
    yield
    RULES.unregister(_EVERYTHING)


@st.composite
def _days_around(draw: st.DrawFn, dataset: Dataset) -> list[dt.date]:
    """Dates before, between, on and after the dataset's dated records: the edges matter."""
    edges: set[dt.date] = set()
    for item in dataset.evidence:
        edges.update({item.date.first_day - _ONE_DAY, item.date.first_day, item.date.last_day})
    for assessment in dataset.assessments:
        last = assessment.as_of.last_day
        edges.update({assessment.as_of.first_day, last - _ONE_DAY, last})
    for recommendation in dataset.recommendations:
        first = recommendation.date.first_day
        edges.update({first - _ONE_DAY, first})
        edges.update(r.date.first_day for r in recommendation.responses if r.date is not None)
    anywhere = st.dates(dt.date(2005, 1, 1), dt.date(2020, 12, 31))
    near = st.sampled_from(sorted(edges)) if edges else anywhere
    return draw(st.lists(near | anywhere, max_size=8))


_RULE_CHAINS = st.sampled_from(
    [
        None,
        ["evidence-based"],
        ["indicator-progress", "evidence-based"],
        [_EVERYTHING],
        ["status-mapping", _EVERYTHING],
    ]
)


def _as_documents(cards: Any) -> list[dict[str, Any]]:
    return [scorecard_to_json(card) for card in cards]


@settings(max_examples=150)
@given(
    st.one_of(scoring_datasets(), recommendation_datasets()).flatmap(
        lambda dataset: st.tuples(st.just(dataset), _days_around(dataset))
    ),
    _RULE_CHAINS,
)
def test_a_history_is_the_scorecards_of_its_dates_scored_one_by_one(
    dataset_and_days: tuple[Dataset, list[dt.date]], rules: list[str] | None
) -> None:
    dataset, days = dataset_and_days
    history = score_history(dataset, days, rules=rules)
    one_by_one = [score(dataset, as_of=day, rules=rules) for day in days]
    assert _as_documents(history) == _as_documents(one_by_one)
    assert [card.fingerprint for card in history] == [card.fingerprint for card in one_by_one]
    assert list(history) == one_by_one


def _by_period(date: PartialDate, record_id: str) -> tuple[dt.date, dt.date, str]:
    return (*date.sort_key(), record_id)


@settings(max_examples=150)
@given(
    st.one_of(scoring_datasets(), recommendation_datasets(), any_datasets).flatmap(
        lambda dataset: st.tuples(st.just(dataset), _days_around(dataset))
    )
)
def test_each_date_of_a_history_sees_what_the_dates_say_is_known_by_then(
    dataset_and_days: tuple[Dataset, list[dt.date]],
) -> None:
    """Told by the dates themselves (first and last days), not by the integer keys."""
    dataset, days = dataset_and_days
    dataset = attrs.evolve(dataset, scoring=None)
    records = plan_scoring(dataset, validated=True).records
    evidence = list(first_by_id(dataset.evidence).values())
    assessments = list(first_by_id(dataset.assessments).values())
    recommendations = list(first_by_id(dataset.recommendations).values())
    for day in days:
        context = RuleContext._on(records, day)
        seen = sorted(
            (e for e in evidence if e.date.first_day <= day), key=lambda e: _by_period(e.date, e.id)
        )
        assert context.evidence() == tuple(seen)
        known = sorted(
            (a for a in assessments if a.as_of.last_day <= day),
            key=lambda a: _by_period(a.as_of, a.id),
        )
        assert context.assessments() == tuple(a for a in known if a.benchmark is not None)
        for benchmark in dataset.benchmarks:
            on_it = tuple(e for e in seen if benchmark.id in e.benchmarks)
            assert context.evidence(benchmark.id) == on_it
            assessed = tuple(a for a in known if a.benchmark == benchmark.id)
            assert context.assessments(benchmark.id) == assessed
        for indicator in dataset.indicators:
            readings = tuple(
                (e, r) for e in seen for r in e.readings if r.indicator == indicator.id
            )
            assert context.readings(indicator.id) == readings
        for item in evidence:
            expected = item if item.date.first_day <= day else None
            assert context.evidence_by_id(item.id) is expected
        made = sorted(
            (r for r in recommendations if r.date.first_day <= day),
            key=lambda r: _by_period(r.date, r.id),
        )
        assert context._recommendations_made() == tuple(made)
        latest = {a.recommendation: a for a in known if a.benchmark is None}
        for recommendation_id, assessment in latest.items():
            if recommendation_id is not None:
                found = context._latest_assessment_of_recommendation(recommendation_id)
                assert found is assessment


@given(any_datasets, st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), max_size=4))
def test_a_history_of_an_inconsistent_dataset_scores_as_score_does(
    dataset: Dataset, days: list[dt.date]
) -> None:
    """Repeated ids, unknown references: the first record of an id counts, on every date."""
    dataset = attrs.evolve(dataset, scoring=None)
    history = score_history(dataset, days, validated=True)
    one_by_one = [score(dataset, as_of=day, validated=True) for day in days]
    assert _as_documents(history) == _as_documents(one_by_one)


def test_evidence_naming_a_benchmark_twice_is_listed_once_and_ties_go_by_id() -> None:
    """The per-benchmark lists are built in one pass over the sorted evidence."""
    progress = EvidenceDirection.PROGRESS
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"), make_benchmark("bm-2")),
        evidence=(
            make_evidence("ev-b", ("bm-1", "bm-2", "bm-1"), "2012-03-01", progress),
            make_evidence("ev-c", ("bm-1",), "2012-02", progress),
            make_evidence("ev-a", ("bm-2", "bm-1"), "2012-03-01", progress),
            make_evidence("ev-d", ("bm-1",), "2012-03-02", progress),
        ),
    )
    context = RuleContext._on(plan_scoring(dataset, validated=True).records, dt.date(2012, 3, 1))
    assert [e.id for e in context.evidence("bm-1")] == ["ev-c", "ev-a", "ev-b"]
    assert [e.id for e in context.evidence("bm-2")] == ["ev-a", "ev-b"]
    assert [e.id for e in context.evidence()] == ["ev-c", "ev-a", "ev-b"]


def test_the_example_history_matches_its_scorecards_and_dates_keep_their_order() -> None:
    dataset = load_dataset(EXAMPLE)
    days = ["2024-01-01", "2012-03-20", "2013-06-01", "2012-03-20", "2016-01-01", "2011-12-31"]
    history = score_history(dataset, days)
    assert [card.as_of.isoformat() for card in history] == days
    assert _as_documents(history) == _as_documents(score(dataset, as_of=day) for day in days)
    assert history[1].fingerprint == history[3].fingerprint
    assert history[1].fingerprint != history[0].fingerprint


def test_a_history_of_no_dates_is_empty() -> None:
    assert score_history(load_dataset(EXAMPLE), []) == ()


def test_a_bad_date_anywhere_in_a_history_is_refused_before_any_scoring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scored: list[dt.date] = []
    monkeypatch.setattr(
        "benchmarkkit.scoring._history.score_on", lambda plan, day: scored.append(day)
    )
    with pytest.raises(InvalidAsOfError) as refused:
        score_history(load_dataset(EXAMPLE), ["2012-03-20", "20 March 2013"])
    assert "'20 March 2013'" in str(refused.value)
    assert "YYYY-MM-DD" in str(refused.value)
    assert scored == []


def test_scoring_a_history_leaves_the_collector_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library never pauses the collector: only the command line, which owns its process."""

    def refuse(*args: object) -> None:
        raise AssertionError("the library touched the garbage collector")

    for name in ("disable", "enable", "freeze", "unfreeze", "collect"):
        monkeypatch.setattr(gc, name, refuse)
    dataset = load_dataset(EXAMPLE)
    score_history(dataset, ["2012-03-20", "2016-01-01"])
    score(dataset, as_of="2012-03-20")
    assert gc.isenabled()


_REPORT = ["report", str(EXAMPLE), "--as-of", "2016-01-01", "-o", "-"]


@pytest.mark.parametrize(
    ("arguments", "module", "name"),
    [
        (["score", str(EXAMPLE), "--as-of", "2012-03-20"], "_scorecard", "score_on"),
        (_REPORT, "_scorecard", "score_on"),
        (_REPORT, "_history", "score_timeline"),
    ],
)
def test_score_and_report_score_with_the_collector_paused(
    arguments: list[str],
    module: str,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib

    from benchmarkkit.cli import main

    seen: list[bool] = []
    patched = importlib.import_module(f"benchmarkkit.scoring.{module}")
    real = getattr(patched, name)

    def scorer(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(patched, name, scorer)
    assert main(arguments) == 0
    capsys.readouterr()
    assert seen
    assert set(seen) == {False}
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("compare", "timeline"),
    [((), ["2012-03-20"]), (("--compare", "2011-06-30"), ["2012-03-20"])],
    ids=["alone", "compared"],
)
def test_the_report_scores_its_date_and_its_timeline_from_one_plan(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    compare: tuple[str, ...],
    timeline: list[str],
) -> None:
    """The report's own date (and the compared one) in full, the others as a timeline: one plan."""
    from benchmarkkit.cli import main
    from benchmarkkit.scoring import _compare, _history, _scorecard

    plans: list[object] = []
    real_plan, real_timeline = _scorecard.plan_scoring, _history.score_timeline
    timelines: list[list[str]] = []

    def plan_scoring(*args: Any, **kwargs: Any) -> Any:
        plans.append(args)
        return real_plan(*args, **kwargs)

    def score_timeline(plan: Any, days: Any) -> Any:
        timelines.append([day.isoformat() for day in days])
        return real_timeline(plan, days)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report scored a date on its own")

    monkeypatch.setattr(_scorecard, "plan_scoring", plan_scoring)
    monkeypatch.setattr(_history, "score_timeline", score_timeline)
    monkeypatch.setattr(_scorecard, "score", refuse)
    monkeypatch.setattr(_history, "score_history", refuse)
    monkeypatch.setattr(_compare, "compare", refuse)
    assert main(["report", str(EXAMPLE), "--as-of", "2016-01-01", *compare, "-o", "-"]) == 0
    text = capsys.readouterr().out
    assert len(plans) == 1
    assert timelines == [timeline]  # the dates an assessment counts from, before 2016
    assert "2016-01-01" in text
    if compare:
        assert "2011-06-30" in text
