"""score_timeline: a timeline scored date to date has the very scores of each date's scorecard."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Mapping
from importlib.metadata import EntryPoint
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, load_dataset
from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._index import first_by_id
from benchmarkkit._model import Benchmark
from benchmarkkit._vocabulary import EvidenceDirection
from benchmarkkit.reports import build_report
from benchmarkkit.reports._build import build_report_of
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import (
    AggregateOutcome,
    RuleContext,
    RuleOutcome,
    register_aggregation,
    register_rule,
    score,
)
from benchmarkkit.scoring._context import LoggingContext
from benchmarkkit.scoring._history import TimelineScores, score_history, score_timeline
from benchmarkkit.scoring._registry import AGGREGATIONS, RULES, Registry, rule_info
from benchmarkkit.scoring._scorecard import plan_scoring
from tests.conftest import EXAMPLE, max_examples
from tests.scoring_strategies import (
    make_benchmark,
    make_dataset,
    make_evidence,
    recommendation_datasets,
    scoring_datasets,
)
from tests.strategies import datasets as any_datasets
from tests.test_score_history import _days_around

#: Rules of the test's own, registered for this module.
_UNDATED = "timeline-undated"  # reads several queries; its score is a function of their answers
_FLAKY = "timeline-flaky"  # undated, and raises when what it reads says so
_DATED = "timeline-dated"  # scores (and fails) by the date itself, as a dated rule may
_AGES = "timeline-ages"  # undated, but asks the age of evidence: rescored on every date
_COUNTING = "timeline-counting"  # undated; counts its calls, for the test of what is rescored
_DISHONEST = "timeline-dishonest"  # marked undated, but scores by the date: breaks the promise

_calls: list[tuple[dt.date, str]] = []


def _undated(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    mine = context.evidence(benchmark.id)
    assessed = context.assessments(benchmark.id)
    readings = [r for i in context.indicators(benchmark.id) for r in context.readings(i.id)]
    everywhere = len(context.evidence()) + len(context.assessments())
    first = context.evidence_by_id(mine[0].id) if mine else None
    if not mine and not assessed:
        return context.decline(f"nothing on {benchmark.id} as of {context.as_of}")
    value = (len(mine) + 2 * len(assessed) + len(readings) + everywhere) % 5 / 4
    return RuleOutcome(
        score=value if first is not None or assessed else None,
        steps=[f"as of {context.as_of}: {len(mine)} items"],
        provisional=len(readings) % 2 == 1,
    )


def _flaky(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    known = len(context.evidence(benchmark.id))
    if known % 3 == 1:
        raise RuntimeError(f"{known} items on {benchmark.id}")
    if known % 3 == 2:
        return context.decline("a count this rule leaves to the next")
    return RuleOutcome(score=min(1.0, known / 4), steps=["counted"])


def _dated(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    day = context.as_of.toordinal()
    if day % 7 == 0:
        raise ValueError("a day this rule fails on")
    if day % 7 == 1:
        return context.decline("a day this rule declines")
    return RuleOutcome(score=day % 5 / 4, steps=["by the day"])


def _ages(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    mine = context.evidence(benchmark.id)
    if not mine:
        return context.decline("no evidence")
    return RuleOutcome(score=1.0 if context.age_days(mine[-1].date) < 400 else 0.0, steps=["age"])


def _counting(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    _calls.append((context.as_of, benchmark.id))
    return RuleOutcome(score=min(1.0, len(context.evidence(benchmark.id)) / 4), steps=["counted"])


def _dishonest(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    context.assessments(benchmark.id)
    return RuleOutcome(score=1.0 if context.as_of.year >= 2013 else 0.0, steps=["by the year"])


@pytest.fixture(scope="module", autouse=True)
def _rules() -> Iterator[None]:
    registered = {
        _UNDATED: (_undated, False),
        _FLAKY: (_flaky, False),
        _DATED: (_dated, True),
        _AGES: (_ages, False),
        _COUNTING: (_counting, False),
        _DISHONEST: (_dishonest, False),
    }
    for name, (function, dated) in registered.items():
        register_rule(name, dated=dated)(function)
    yield
    for name in registered:
        RULES.unregister(name)


_CHAINS = st.sampled_from(
    [
        None,  # status-mapping (undated), then indicator-progress and evidence-based (dated)
        ["evidence-based"],
        [_UNDATED],
        [_UNDATED, "evidence-based"],
        [_FLAKY, _UNDATED],
        [_FLAKY, "status-mapping", _DATED],
        ["status-mapping", _DATED, _UNDATED],
        [_DATED, _FLAKY],
        [_AGES, "status-mapping"],
    ]
)


def _scores_of(dataset: Dataset, day: dt.date, rules: list[str] | None) -> TimelineScores:
    return TimelineScores.of(score(dataset, as_of=day, rules=rules, validated=True))


@settings(max_examples=max_examples(100))
@given(
    st.one_of(scoring_datasets(), recommendation_datasets()).flatmap(
        lambda dataset: st.tuples(st.just(dataset), _days_around(dataset))
    ),
    _CHAINS,
    st.booleans(),
)
def test_a_timeline_has_the_scores_of_each_dates_scorecard(
    dataset_and_days: tuple[Dataset, list[dt.date]], rules: list[str] | None, in_order: bool
) -> None:
    """Date to date, in order or not: benchmarks, areas and overall, as ``score`` gives them."""
    dataset, days = dataset_and_days
    days = sorted(days) if in_order else days
    timeline = score_timeline(plan_scoring(dataset, rules=rules, validated=True), days)
    assert list(timeline) == [_scores_of(dataset, day, rules) for day in days]


@settings(max_examples=max_examples(30))
@given(any_datasets, st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)), max_size=4))
def test_a_timeline_of_an_inconsistent_dataset_scores_as_score_does(
    dataset: Dataset, days: list[dt.date]
) -> None:
    """Repeated ids, unknown references: the first record of an id counts, on every date."""
    dataset = attrs.evolve(dataset, scoring=None)
    timeline = score_timeline(plan_scoring(dataset, validated=True), sorted(days))
    assert list(timeline) == [_scores_of(dataset, day, None) for day in sorted(days)]


def test_later_dates_call_the_rule_only_for_benchmarks_whose_records_changed() -> None:
    """An undated rule reading a benchmark's evidence runs again only where that evidence grew."""
    dataset = load_dataset(EXAMPLE)
    days = [dt.date.fromisoformat(day) for day in ("2011-09-01", "2011-11-01", "2012-01-15")]
    days += [dt.date.fromisoformat(day) for day in ("2012-03-10", "2012-03-20", "2016-01-01")]
    evidence = list(first_by_id(dataset.evidence).values())

    def known(benchmark_id: str, day: dt.date) -> int:
        return sum(1 for e in evidence if benchmark_id in e.benchmarks and e.date.first_day <= day)

    changed = [
        sorted(b.id for b in dataset.benchmarks if known(b.id, before) != known(b.id, after))
        for before, after in itertools.pairwise(days)
    ]
    _calls.clear()
    timeline = score_timeline(plan_scoring(dataset, rules=[_COUNTING]), days)
    called = [sorted(bm for day, bm in _calls if day == after) for after in days[1:]]
    assert len([bm for day, bm in _calls if day == days[0]]) == len(dataset.benchmarks) == 20
    assert called == changed
    # 1: the religion law's evidence of 2011-10; 0: nothing is dated after 2012-03-20.
    assert [len(names) for names in called] == [1, 10, 2, 17, 0]
    assert list(timeline) == [_scores_of(dataset, day, [_COUNTING]) for day in days]


def test_a_dated_rule_is_called_on_every_date() -> None:
    dataset = load_dataset(EXAMPLE)
    days = [dt.date(2011, 9, 1), dt.date(2016, 1, 1), dt.date(2016, 1, 2)]
    _calls.clear()
    RULES.register(_COUNTING, _counting, replace=True)  # dated, the default
    try:
        score_timeline(plan_scoring(dataset, rules=[_COUNTING]), days)
    finally:
        RULES.register(_COUNTING, _counting, replace=True, dated=False)
    assert [day for day, _ in _calls] == [day for day in days for _ in range(20)]


def test_a_rule_that_failed_is_called_again_on_the_next_date() -> None:
    """Even undated, with nothing new between the dates: a failure may be passing (a timeout)."""
    failed: set[str] = set()

    def fails_once(
        benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
    ) -> RuleOutcome | None:
        context.assessments(benchmark.id)
        if benchmark.id not in failed:
            failed.add(benchmark.id)
            raise TimeoutError("the first call times out")
        return RuleOutcome(score=0.5, steps=["the second call scores"])

    register_rule("timeline-fails-once", dated=False)(fails_once)
    try:
        days = [dt.date(2016, 1, 1), dt.date(2016, 1, 2)]
        plan = plan_scoring(load_dataset(EXAMPLE), rules=["timeline-fails-once"])
        first, second = score_timeline(plan, days)
    finally:
        RULES.unregister("timeline-fails-once")
    assert set(first.benchmarks.values()) == {None}
    assert set(second.benchmarks.values()) == {0.5}
    assert (first.overall, second.overall) == (None, 0.5)


def test_an_area_is_aggregated_again_only_when_its_scores_changed_or_it_failed() -> None:
    """Its members' scores decide an aggregation; one that failed is tried again."""
    seen: list[tuple[float | None, ...]] = []

    def fails_first(items: Any, parameters: Mapping[str, Any]) -> AggregateOutcome:
        seen.append(tuple(value for value, _weight in items))
        if len(seen) == 1:
            raise TimeoutError("the first call times out")
        return AggregateOutcome(score=max((v for v, _ in items if v is not None), default=None))

    register_aggregation("timeline-fails-first")(fails_first)
    try:
        dataset = make_dataset(
            benchmarks=(make_benchmark("bm-1"),),
            evidence=(make_evidence("ev-1", ("bm-1",), "2012-03", EvidenceDirection.PROGRESS),),
        )
        config = attrs.evolve(
            dataset.scoring or ScoringConfig(),
            area_aggregation=RuleSpec(rule="timeline-fails-first"),
        )
        days = [dt.date(2012, 1, 1), dt.date(2012, 2, 1), dt.date(2012, 3, 1), dt.date(2012, 4, 1)]
        plan = plan_scoring(dataset, config=config, rules=[_COUNTING])
        timeline = score_timeline(plan, days)
    finally:
        AGGREGATIONS.unregister("timeline-fails-first")
    assert [scores.areas["area-1"] for scores in timeline] == [None, 0.0, 0.25, 0.25]
    assert seen == [(0.0,), (0.0,), (0.25,)]


def test_a_rule_that_breaks_its_undated_promise_keeps_its_old_score_on_the_timeline() -> None:
    """The promise is the rule's: an undated rule that scores by the date itself keeps, on the
    timeline, the score it gave when what it read last changed; its scorecards are right."""
    dataset = load_dataset(EXAMPLE)
    days = [dt.date(2012, 3, 20), dt.date(2016, 1, 1)]
    timeline = score_timeline(plan_scoring(dataset, rules=[_DISHONEST]), days)
    on_2016 = score(dataset, as_of=days[1], rules=[_DISHONEST])
    assert on_2016.benchmark("bm-election-law").score == 1.0
    assert timeline[1].benchmarks["bm-election-law"] == 0.0


def test_the_built_in_rules_say_whether_they_are_dated() -> None:
    assert rule_info("status-mapping").dated is False
    assert rule_info("indicator-progress").dated is True
    assert rule_info("evidence-based").dated is True


def _plain_rule(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    return RuleOutcome(score=0.5, steps=["half"])


def test_a_rule_is_dated_unless_registered_otherwise_an_installed_one_too() -> None:
    registry: Registry[Any] = Registry("rule", "benchmarkkit-test.rules")
    assert registry.register("plain", _plain_rule).dated is True
    assert registry.register("undated", _plain_rule, dated=False).dated is False
    installed = EntryPoint(
        name="installed", value="tests.test_score_timeline:_plain_rule", group=registry.group
    )
    assert registry._load(installed).dated is True


def test_the_logging_context_logs_the_date_filtered_queries_only() -> None:
    dataset = load_dataset(EXAMPLE)
    context = LoggingContext._on(plan_scoring(dataset).records, dt.date(2012, 3, 20))
    context._start_log()
    context.benchmark("bm-election-law")
    context.indicators("bm-election-law")
    context.scale("un-upr-response")
    context.evidence("bm-election-law")
    context.assessments()
    context.readings("ind-sokolova-ban-lifted")
    context.evidence_by_id("ev-deterioration")
    assert context._take_log() == (
        frozenset(
            {
                ("evidence", "bm-election-law"),
                ("assessments", None),
                ("readings", "ind-sokolova-ban-lifted"),
                ("evidence_by_id", "ev-deterioration"),
            }
        ),
        False,
    )
    context._start_log()
    context.age_days(dataset.evidence[0].date)
    assert context._take_log() == (frozenset(), True)


def test_the_report_of_a_timeline_is_the_report_of_its_scorecards() -> None:
    """build_report takes scorecards; the builder turns them into a timeline's scores."""
    dataset = load_dataset(EXAMPLE)
    as_of = dt.date(2024, 1, 1)
    days = [dt.date(2011, 12, 31), *history_dates(dataset, as_of)]
    card = score(dataset, as_of=as_of)
    cards = score_history(dataset, days[:-1])
    timeline = score_timeline(plan_scoring(dataset), days[:-1])
    from_cards = build_report(dataset, card, history=cards)
    assert build_report_of(dataset, card, history=timeline) == from_cards
    assert from_cards.timeline is not None
    assert from_cards.timeline.dates == tuple(days)


def _fails_before_2013(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    if context.as_of.year < 2013:
        raise RuntimeError("too early")
    return RuleOutcome(score=1.0, steps=["late enough"])


@pytest.mark.parametrize(
    ("as_of", "status"), [("2016-01-01", 0), ("2012-03-20", 1)], ids=["later", "on-the-date"]
)
def test_the_report_says_what_failed_on_its_own_date_only(
    as_of: str, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rule that fails on an earlier date of the timeline only is not the report's problem."""
    from benchmarkkit.cli import main

    register_rule("timeline-fails-early")(_fails_before_2013)
    try:
        arguments = ["report", str(EXAMPLE), "--as-of", as_of, "--rule", "timeline-fails-early"]
        assert main([*arguments, "-o", "-"]) == status
    finally:
        RULES.unregister("timeline-fails-early")
    printed = capsys.readouterr()
    failed = "error: rule-failed the rule 'timeline-fails-early'"
    assert (failed in printed.err) == (status == 1)
    assert "2012-03-20" in printed.out  # on the timeline in both
