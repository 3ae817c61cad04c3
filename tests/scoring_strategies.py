"""Hypothesis strategies for scoring: consistent datasets with everything the rules read.

``scoring_datasets()`` draws datasets whose references resolve and whose
values fit their indicators, with assessments on a dataset scale and on
built-in ones, indicators of every kind, evidence with readings and
reliabilities, gates, and a scoring configuration. ``shuffled()`` and
``later_records()`` draw the variations the properties compare against.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import strategies as st

from benchmarkkit import (
    Actor,
    ActorKind,
    Area,
    Assessment,
    Benchmark,
    BenchmarkType,
    Dataset,
    Direction,
    Evidence,
    EvidenceDirection,
    Indicator,
    IndicatorKind,
    Measurement,
    PartialDate,
    Reading,
    Reliability,
    Source,
    SourceKind,
)
from benchmarkkit._conditions import (
    AllOf,
    AnyOf,
    AreaCondition,
    AtLeast,
    BenchmarkCondition,
    Condition,
    Gate,
    RuleSpec,
    ScoringConfig,
)
from benchmarkkit._model import Recommendation, Response
from benchmarkkit._scales import BUILTIN_SCALES, Level, StatusScale
from benchmarkkit._vocabulary import Mechanism, Position

#: The scale the generated assessments mostly use; values spread unevenly on purpose.
STATUS = StatusScale(
    id="status",
    title="Status",
    levels=(
        Level(id="regressing", label="Regressing", value=0.0),
        Level(id="not-met", label="Not met", value=0.25),
        Level(id="partly-met", label="Partly met", value=0.6),
        Level(id="met", label="Met", value=1.0),
    ),
)
SCALES = {STATUS.id: STATUS, "ogp-completion": BUILTIN_SCALES["ogp-completion"]}
ORDINAL_LEVELS = ("none", "some", "most", "all")
FIRST_DAY = dt.date(2009, 1, 1)
LAST_DAY = dt.date(2015, 12, 31)
BASELINE_END = dt.date(2012, 12, 31)
TARGET_START = dt.date(2013, 1, 1)

as_of_dates = st.dates(dt.date(2010, 1, 1), dt.date(2014, 12, 31))


@st.composite
def partial_dates(
    draw: st.DrawFn,
    *,
    after: dt.date | None = None,
    first: dt.date = FIRST_DAY,
    last: dt.date = LAST_DAY,
) -> PartialDate:
    """A year, month or day within [first, last] (whole periods); with ``after``, after that day."""
    low = after + dt.timedelta(days=1) if after is not None else first
    day = draw(st.dates(low, max(low, last)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    candidate = {
        "year": PartialDate(day.year),
        "month": PartialDate(day.year, day.month),
        "day": PartialDate.from_date(day),
    }[precision]
    if after is not None and candidate.first_day <= after:
        return PartialDate.from_date(day)
    return candidate


def _indicator_value(draw: st.DrawFn, kind: IndicatorKind) -> Any:
    if kind is IndicatorKind.BOOLEAN:
        return draw(st.booleans())
    if kind is IndicatorKind.ORDINAL:
        return draw(st.sampled_from(ORDINAL_LEVELS))
    return draw(st.integers(0, 50) | st.floats(0, 50, allow_nan=False).map(lambda x: round(x, 2)))


def _measurement(
    draw: st.DrawFn, kind: IndicatorKind, first: dt.date, last: dt.date
) -> Measurement | None:
    if draw(st.integers(0, 4)) == 0:
        return None
    date = draw(st.none() | partial_dates(first=first, last=last))
    return Measurement(value=_indicator_value(draw, kind), date=date)


@st.composite
def indicators_for(draw: st.DrawFn, index: int, benchmark_ids: list[str]) -> Indicator:
    """An indicator of any kind, usually with a baseline and a target."""
    kind = draw(st.sampled_from(IndicatorKind))
    return Indicator(
        id=f"ind-{index}",
        benchmark=draw(st.sampled_from(benchmark_ids)),
        title=f"Indicator {index}",
        kind=kind,
        unit="cases" if kind is IndicatorKind.NUMERIC else None,
        direction=draw(st.sampled_from(Direction)) if kind is IndicatorKind.NUMERIC else None,
        levels=ORDINAL_LEVELS if kind is IndicatorKind.ORDINAL else (),
        # Baselines fall before 2013 and targets after, as validation requires.
        baseline=_measurement(draw, kind, FIRST_DAY, BASELINE_END),
        target=_measurement(draw, kind, TARGET_START, LAST_DAY),
        weight=draw(st.sampled_from([0.0, 1.0, 2.0])),
    )


@st.composite
def evidence_for(
    draw: st.DrawFn,
    index: int,
    *,
    source_ids: list[str],
    benchmark_ids: list[str],
    indicators: list[Indicator],
    after: dt.date | None = None,
) -> Evidence:
    """A piece of evidence, sometimes with a reading of an indicator."""
    readings: tuple[Reading, ...] = ()
    with_reading = draw(st.booleans())
    if indicators and with_reading:
        indicator = draw(st.sampled_from(indicators))
        readings = (Reading(indicator=indicator.id, value=_indicator_value(draw, indicator.kind)),)
    return Evidence(
        id=f"ev-{index}",
        source=draw(st.sampled_from(source_ids)),
        date=draw(partial_dates(after=after)),
        benchmarks=tuple(
            draw(st.lists(st.sampled_from(benchmark_ids), min_size=1, max_size=2, unique=True))
        ),
        direction=draw(st.sampled_from(EvidenceDirection)),
        summary=f"Observation {index}",
        readings=readings,
        reliability=draw(st.none() | st.sampled_from(Reliability)),
    )


@st.composite
def assessments_for(
    draw: st.DrawFn, index: int, benchmark_ids: list[str], *, after: dt.date | None = None
) -> Assessment:
    """An assessment on the dataset's scale or a built-in one, sometimes without a level."""
    scale = draw(st.sampled_from(sorted(SCALES)))
    return Assessment(
        id=f"as-{index}",
        benchmark=draw(st.sampled_from(benchmark_ids)),
        as_of=draw(partial_dates(after=after)),
        scale=scale,
        assessor="The editors",
        rationale=f"Judgement {index}",
        level=draw(st.none() | st.sampled_from([lv.id for lv in SCALES[scale].levels])),
    )


def _conditions(benchmark_ids: list[str], area_ids: list[str]) -> st.SearchStrategy[Condition]:
    leaves = st.one_of(
        st.builds(
            BenchmarkCondition,
            benchmark=st.sampled_from(benchmark_ids),
            minimum_score=st.sampled_from([0.0, 0.25, 0.5, 0.6, 1.0]),
        ),
        st.builds(
            BenchmarkCondition,
            benchmark=st.sampled_from(benchmark_ids),
            scale=st.just(STATUS.id),
            minimum_level=st.sampled_from([lv.id for lv in STATUS.levels]),
        ),
        st.builds(
            AreaCondition,
            area=st.sampled_from(area_ids),
            minimum_score=st.sampled_from([0.0, 0.5, 1.0]),
        ),
    )

    def compound(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
        lists = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            st.builds(AllOf, conditions=lists),
            st.builds(AnyOf, conditions=lists),
            lists.flatmap(
                lambda cs: st.builds(AtLeast, count=st.integers(1, len(cs)), conditions=st.just(cs))
            ),
        )

    return st.recursive(leaves, compound, max_leaves=5)


_rule_specs = st.sampled_from(
    [
        RuleSpec(rule="status-mapping"),
        RuleSpec(rule="indicator-progress"),
        RuleSpec(rule="evidence-based"),
        RuleSpec(rule="evidence-based", parameters={"half_life_days": 90}),
        RuleSpec(
            rule="evidence-based",
            parameters={"reliability_weights": {"unknown": 0.0, "highly-unreliable": 0.1}},
        ),
    ]
)
_aggregations = st.sampled_from(
    [
        RuleSpec(rule="weighted-mean"),
        RuleSpec(rule="geometric-mean"),
        RuleSpec(rule="minimum"),
        RuleSpec(rule="share-met"),
        RuleSpec(rule="share-met", parameters={"threshold": 0.5}),
    ]
)
scoring_configs = st.builds(
    ScoringConfig,
    benchmark_rules=st.lists(_rule_specs, min_size=1, max_size=3).map(tuple),
    area_aggregation=_aggregations,
    overall_aggregation=_aggregations,
    met_threshold=st.sampled_from([0.5, 0.6, 1.0]),
)


@st.composite
def scoring_datasets(draw: st.DrawFn, *, max_benchmarks: int = 6) -> Dataset:
    """A consistent dataset with something for every built-in rule to read."""
    actors = tuple(
        Actor(id=f"actor-{i}", name=f"Actor {i}", kind=draw(st.sampled_from(ActorKind)))
        for i in range(draw(st.integers(1, 3)))
    )
    actor_ids = [actor.id for actor in actors]
    sources = tuple(
        Source(
            id=f"source-{i}",
            title=f"Source {i}",
            kind=draw(st.sampled_from(SourceKind)),
            publishers=tuple(draw(st.lists(st.sampled_from(actor_ids), max_size=2, unique=True))),
            reliability=draw(st.sampled_from(Reliability)),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    areas = tuple(
        Area(id=f"area-{i}", title=f"Area {i}", weight=draw(st.sampled_from([0.0, 0.5, 1.0, 2.0])))
        for i in range(draw(st.integers(1, 3)))
    )
    area_ids = [area.id for area in areas]
    benchmarks = tuple(
        Benchmark(
            id=f"bm-{i}",
            title=f"Benchmark {i}",
            statement="A condition holds.",
            area=draw(st.sampled_from(area_ids)),
            type=draw(st.sampled_from(BenchmarkType)),
            weight=draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])),
        )
        for i in range(draw(st.integers(1, max_benchmarks)))
    )
    benchmark_ids = [benchmark.id for benchmark in benchmarks]
    indicators = [draw(indicators_for(i, benchmark_ids)) for i in range(draw(st.integers(0, 4)))]
    source_ids = [source.id for source in sources]
    evidence = tuple(
        draw(
            evidence_for(
                i, source_ids=source_ids, benchmark_ids=benchmark_ids, indicators=indicators
            )
        )
        for i in range(draw(st.integers(0, 8)))
    )
    assessments = tuple(
        draw(assessments_for(i, benchmark_ids)) for i in range(draw(st.integers(0, 6)))
    )
    conditions = _conditions(benchmark_ids, area_ids)
    gates = tuple(
        Gate(id=f"gate-{i}", title=f"Gate {i}", condition=draw(conditions))
        for i in range(draw(st.integers(0, 2)))
    )
    return Dataset(
        id="generated",
        title="A generated dataset",
        scoring=draw(st.none() | scoring_configs),
        scales=(STATUS,),
        actors=actors,
        sources=sources,
        areas=areas,
        benchmarks=benchmarks,
        indicators=tuple(indicators),
        evidence=evidence,
        assessments=assessments,
        gates=gates,
    )


@st.composite
def shuffled(draw: st.DrawFn, dataset: Dataset) -> Dataset:
    """The same dataset with every collection in another order."""
    return attrs.evolve(
        dataset,
        scales=tuple(draw(st.permutations(dataset.scales))),
        actors=tuple(draw(st.permutations(dataset.actors))),
        sources=tuple(draw(st.permutations(dataset.sources))),
        areas=tuple(draw(st.permutations(dataset.areas))),
        benchmarks=tuple(draw(st.permutations(dataset.benchmarks))),
        indicators=tuple(draw(st.permutations(dataset.indicators))),
        evidence=tuple(draw(st.permutations(dataset.evidence))),
        assessments=tuple(draw(st.permutations(dataset.assessments))),
        gates=tuple(draw(st.permutations(dataset.gates))),
    )


@st.composite
def later_records(draw: st.DrawFn, dataset: Dataset, as_of: dt.date) -> Dataset:
    """The dataset with extra evidence and assessments, all dated after ``as_of``."""
    benchmark_ids = [benchmark.id for benchmark in dataset.benchmarks]
    source_ids = [source.id for source in dataset.sources]
    extra_evidence = [
        draw(
            evidence_for(
                100 + i,
                source_ids=source_ids,
                benchmark_ids=benchmark_ids,
                indicators=list(dataset.indicators),
                after=as_of,
            )
        )
        for i in range(draw(st.integers(1, 4)))
    ]
    extra_assessments = [
        draw(assessments_for(100 + i, benchmark_ids, after=as_of))
        for i in range(draw(st.integers(0, 3)))
    ]
    return attrs.evolve(
        dataset,
        evidence=(*dataset.evidence, *extra_evidence),
        assessments=(*dataset.assessments, *extra_assessments),
    )


# -- recommendations -------------------------------------------------------------------------

#: The scales assessments of a recommendation's implementation use: the built-in UPR Info
#: scale, and two others whose middle levels are not 0.5.
IMPLEMENTATION_SCALES = (
    "upr-info-implementation",
    STATUS.id,
    "ogp-completion",
)
THEMES = ("Elections", "Torture", "Media", "Fair trial")


def _levels_of(scale_id: str) -> list[str]:
    scale = STATUS if scale_id == STATUS.id else BUILTIN_SCALES[scale_id]
    return [level.id for level in scale.levels]


@st.composite
def responses_to(
    draw: st.DrawFn, recommendation_date: PartialDate, to: str, *, after: dt.date | None = None
) -> Response:
    """A response by the addressee, undated or dated after the recommendation (and ``after``)."""
    low = max(recommendation_date.last_day, after or recommendation_date.last_day)
    dated = after is not None or draw(st.integers(0, 3)) > 0
    return Response(
        by=to,
        position=draw(st.sampled_from(Position)),
        date=draw(partial_dates(after=low)) if dated else None,
    )


@st.composite
def recommendations_for(
    draw: st.DrawFn, index: int, dataset: Dataset, *, after: dt.date | None = None
) -> Recommendation:
    """A recommendation by one or two of the dataset's actors, with up to three responses."""
    actor_ids = [actor.id for actor in dataset.actors]
    to = draw(st.sampled_from(actor_ids))
    date = draw(partial_dates(after=after, last=dt.date(2014, 12, 31)))
    responses = draw(st.lists(responses_to(date, to), max_size=3))
    return Recommendation(
        id=f"rec-{index}",
        text=f"Recommendation {index}",
        by=tuple(draw(st.lists(st.sampled_from(actor_ids), min_size=1, max_size=2, unique=True))),
        to=to,
        date=date,
        mechanism=draw(st.sampled_from(Mechanism)),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), max_size=2, unique=True))),
        areas=tuple(
            draw(st.lists(st.sampled_from([a.id for a in dataset.areas]), max_size=2, unique=True))
        ),
        responses=tuple(responses),
    )


@st.composite
def implementation_assessments_for(
    draw: st.DrawFn, index: int, recommendation: Recommendation, *, after: dt.date | None = None
) -> Assessment:
    """An assessment of a recommendation's implementation, after it was made; maybe no level."""
    scale = draw(st.sampled_from(IMPLEMENTATION_SCALES))
    low = max(recommendation.date.last_day, after or recommendation.date.last_day)
    return Assessment(
        id=f"as-rec-{index}",
        recommendation=recommendation.id,
        as_of=draw(partial_dates(after=low)),
        scale=scale,
        assessor="The editors",
        rationale=f"Implementation judged {index}",
        level=draw(st.none() | st.sampled_from(_levels_of(scale))),
    )


@st.composite
def with_recommendations(draw: st.DrawFn, dataset: Dataset, *, max_size: int = 8) -> Dataset:
    """``dataset`` with recommendations, benchmarks following from some, and assessments."""
    recommendations = [
        draw(recommendations_for(i, dataset)) for i in range(draw(st.integers(1, max_size)))
    ]
    rec_ids = [r.id for r in recommendations]
    benchmarks = tuple(
        attrs.evolve(
            benchmark,
            recommendations=tuple(
                draw(st.lists(st.sampled_from(rec_ids), max_size=2, unique=True))
            ),
        )
        for benchmark in dataset.benchmarks
    )
    assessed = draw(st.lists(st.sampled_from(recommendations), max_size=5))
    assessments = tuple(
        draw(implementation_assessments_for(i, recommendation))
        for i, recommendation in enumerate(assessed)
    )
    return attrs.evolve(
        dataset,
        recommendations=tuple(recommendations),
        benchmarks=benchmarks,
        assessments=(*dataset.assessments, *assessments),
    )


def recommendation_datasets(max_size: int = 8) -> st.SearchStrategy[Dataset]:
    """Consistent scoring datasets with recommendations, responses and their assessments."""
    return scoring_datasets(max_benchmarks=4).flatmap(
        lambda dataset: with_recommendations(dataset, max_size=max_size)
    )


@st.composite
def later_recommendation_records(draw: st.DrawFn, dataset: Dataset, as_of: dt.date) -> Dataset:
    """``dataset`` with recommendations, responses and assessments all dated after ``as_of``."""
    extra = [
        draw(recommendations_for(100 + i, dataset, after=as_of))
        for i in range(draw(st.integers(0, 3)))
    ]
    recommendations = tuple(
        attrs.evolve(
            recommendation,
            responses=(
                *recommendation.responses,
                *draw(
                    st.lists(
                        responses_to(recommendation.date, recommendation.to, after=as_of),
                        max_size=2,
                    )
                ),
            ),
        )
        for recommendation in dataset.recommendations
    )
    assessed = (
        draw(st.lists(st.sampled_from(recommendations), max_size=3)) if recommendations else []
    )
    assessments = tuple(
        draw(implementation_assessments_for(200 + i, recommendation, after=as_of))
        for i, recommendation in enumerate(assessed)
    )
    return attrs.evolve(
        dataset,
        recommendations=(*recommendations, *extra),
        assessments=(*dataset.assessments, *assessments),
    )


# -- small builders for example-based tests ------------------------------------------------


def make_benchmark(benchmark_id: str, area: str = "area-1", weight: float = 1.0) -> Benchmark:
    """A benchmark with just the fields scoring needs."""
    return Benchmark(
        id=benchmark_id,
        title=f"Benchmark {benchmark_id}",
        statement="A condition holds.",
        area=area,
        type=BenchmarkType.PROCESS,
        weight=weight,
    )


def make_assessment(
    assessment_id: str,
    benchmark: str,
    as_of: str,
    level: str | None,
    scale: str = STATUS.id,
) -> Assessment:
    """An assessment of ``benchmark`` as of a date written YYYY[-MM[-DD]]."""
    return Assessment(
        id=assessment_id,
        benchmark=benchmark,
        as_of=PartialDate.parse(as_of),
        scale=scale,
        level=level,
        assessor="The editors",
        rationale="Read from the sources.",
    )


def make_evidence(
    evidence_id: str,
    benchmarks: tuple[str, ...],
    date: str,
    direction: EvidenceDirection,
    *,
    source: str = "source-1",
    readings: tuple[Reading, ...] = (),
    reliability: Reliability | None = None,
) -> Evidence:
    """A piece of evidence dated YYYY[-MM[-DD]]."""
    return Evidence(
        id=evidence_id,
        source=source,
        date=PartialDate.parse(date),
        benchmarks=benchmarks,
        direction=direction,
        summary=f"Observation {evidence_id}",
        readings=readings,
        reliability=reliability,
    )


def make_dataset(
    *,
    benchmarks: tuple[Benchmark, ...] = (),
    areas: tuple[Area, ...] | None = None,
    assessments: tuple[Assessment, ...] = (),
    evidence: tuple[Evidence, ...] = (),
    indicators: tuple[Indicator, ...] = (),
    sources: tuple[Source, ...] | None = None,
    actors: tuple[Actor, ...] | None = None,
    gates: tuple[Gate, ...] = (),
    scoring: ScoringConfig | None = None,
) -> Dataset:
    """A small dataset: one NGO, one likely-reliable source, the STATUS scale, area-1 by default."""
    return Dataset(
        id="example",
        title="An example dataset",
        subject="Examplestan",
        scoring=scoring,
        scales=(STATUS,),
        actors=actors
        if actors is not None
        else (Actor(id="ngo", name="An NGO", kind=ActorKind.NGO),),
        sources=sources
        if sources is not None
        else (
            Source(
                id="source-1",
                title="A report",
                kind=SourceKind.REPORT,
                publishers=("ngo",),
                reliability=Reliability.LIKELY_RELIABLE,
            ),
        ),
        areas=areas if areas is not None else (Area(id="area-1", title="Area 1"),),
        benchmarks=benchmarks,
        indicators=indicators,
        evidence=evidence,
        assessments=assessments,
        gates=gates,
    )
