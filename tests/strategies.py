"""Hypothesis strategies for every model class, and for whole datasets.

``records[cls]`` draws any value of a model class that its own validators
accept; the references inside need not resolve. ``valid_datasets()`` draws
datasets whose references, dates and values are consistent, so that
validation finds no error in them. A new model field gets a strategy here.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from typing import Any

from hypothesis import strategies as st

from benchmarkkit import (
    Actor,
    ActorKind,
    Area,
    Assessment,
    Benchmark,
    BenchmarkOrigin,
    BenchmarkType,
    Commitment,
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
    Standard,
    StandardKind,
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
from benchmarkkit._model import Classification, Recommendation, Response
from benchmarkkit._scales import Level, StatusScale
from benchmarkkit._vocabulary import ArchiveKind, Mechanism, Position

_id_first = st.sampled_from(string.ascii_lowercase)
_id_rest = st.text(string.ascii_lowercase + string.digits, max_size=5)
_id_parts = st.lists(
    st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=4), max_size=2
)


@st.composite
def _ids(draw: st.DrawFn) -> str:
    """The texts of ``[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}``, built from their parts.

    ``st.from_regex`` draws the same texts at three times the cost, and a dataset holds many.
    """
    return draw(_id_first) + draw(_id_rest) + "".join("-" + part for part in draw(_id_parts))


_characters = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
#: Pieces that files and tables treat specially, drawn often enough to be seen (from the
#: characters alone, 500 datasets hold no CRLF, U+2028 or leading byte order mark): line
#: ends (CR alone, CRLF, U+2028), a byte order mark, what a spreadsheet takes for a formula,
#: quotes, separators, and text like the escapes of the xlsx format.
_awkward = st.sampled_from(
    [
        *("\r", "\r\n", "\n", "\u2028", "\u2029", "\x85", "\ufeff"),
        *("=", "+", "-", "@", '"', ",", ";", "\t", " "),
        *("_x0041_", "_x005F_", "_xFFFE_"),
    ]
)
_any_text = st.text(alphabet=_characters, min_size=1, max_size=40) | st.lists(
    _characters | _awkward, min_size=1, max_size=12
).map("".join)


@st.composite
def _texts(draw: st.DrawFn) -> str:
    """Any text a person could type, including quotes, markup, non-Latin scripts, line ends."""
    return draw(_any_text)


# Each a composite, so that the repr of a strategy holding many stays short.
ids = _ids()
texts = _texts()
plain_texts = st.text(
    alphabet=string.ascii_letters + string.digits + " .,'-", min_size=1, max_size=30
)
optional_texts = st.none() | texts
unit_floats = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
weights = st.floats(min_value=0.0, max_value=100.0, allow_nan=False, allow_infinity=False)
json_numbers = st.integers(min_value=-(2**53), max_value=2**53) | st.floats(
    allow_nan=False, allow_infinity=False, width=64
)
json_scalars = st.none() | st.booleans() | json_numbers | texts
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(plain_texts, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def partial_dates(draw: st.DrawFn, *, min_year: int = 1990, max_year: int = 2030) -> PartialDate:
    """A year, a month or a day between ``min_year`` and ``max_year``."""
    day = draw(st.dates(dt.date(min_year, 1, 1), dt.date(max_year, 12, 31)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


def tuples_of(
    strategy: st.SearchStrategy[Any], max_size: int = 3
) -> st.SearchStrategy[tuple[Any, ...]]:
    """Tuples of distinct items, as the model keeps lists."""
    return st.lists(strategy, max_size=max_size, unique=True).map(tuple)


indicator_values = st.booleans() | json_numbers | texts

levels = st.builds(Level, id=ids, label=texts, value=unit_floats, description=optional_texts)


@st.composite
def status_scales(draw: st.DrawFn) -> StatusScale:
    """A scale with distinct level ids and non-decreasing values."""
    level_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    values = sorted(draw(st.lists(unit_floats, min_size=len(level_ids), max_size=len(level_ids))))
    return StatusScale(
        id=draw(ids),
        title=draw(texts),
        levels=tuple(
            Level(id=level_id, label=draw(texts), value=value, description=draw(optional_texts))
            for level_id, value in zip(level_ids, values, strict=True)
        ),
        description=draw(optional_texts),
        url=draw(st.none() | plain_texts),
    )


actors = st.builds(
    Actor,
    id=ids,
    name=texts,
    kind=st.sampled_from(ActorKind),
    short_name=optional_texts,
    part_of=st.none() | ids,
    role=optional_texts,
    description=optional_texts,
    url=st.none() | plain_texts,
)
sources = st.builds(
    Source,
    id=ids,
    title=texts,
    kind=st.sampled_from(SourceKind),
    publishers=tuples_of(ids),
    date=st.none() | partial_dates(),
    places=st.lists(texts, max_size=2).map(tuple),
    url=st.none() | plain_texts,
    archive=st.none() | st.from_regex(r"[a-z]{1,8}\.txt", fullmatch=True),
    archive_kind=st.sampled_from(ArchiveKind),
    cited_in=st.none() | ids,
    reliability=st.sampled_from(Reliability),
    description=optional_texts,
)
standards = st.builds(
    Standard,
    id=ids,
    title=texts,
    kind=st.sampled_from(StandardKind),
    instrument=optional_texts,
    provision=optional_texts,
    body=st.none() | ids,
    source=st.none() | ids,
    url=st.none() | plain_texts,
    description=optional_texts,
)


@st.composite
def _citation(draw: st.DrawFn) -> dict[str, Any]:
    if not draw(st.booleans()):
        return {}
    return {"source": draw(ids), "locator": draw(optional_texts), "quote": draw(optional_texts)}


commitments = st.builds(
    lambda citation, **fields: Commitment(**fields, **citation),
    citation=_citation(),
    id=ids,
    title=texts,
    actor=ids,
    addressees=tuples_of(ids),
    date=st.none() | partial_dates(),
    made_in=st.none() | ids,
    summary=optional_texts,
    deadline=st.none() | partial_dates(),
    recommendations=tuples_of(ids),
)
classifications = st.builds(Classification, scheme=ids, value=texts, label=optional_texts)
responses = st.builds(
    lambda citation, **fields: Response(**fields, **citation),
    citation=_citation(),
    by=ids,
    position=st.sampled_from(Position),
    date=st.none() | partial_dates(),
    reason=optional_texts,
)
sdg_targets = st.from_regex(r"(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])", fullmatch=True)
recommendations = st.builds(
    lambda citation, **fields: Recommendation(**fields, **citation),
    citation=_citation(),
    id=ids,
    text=texts,
    by=tuples_of(ids).filter(bool),
    to=ids,
    date=partial_dates(),
    mechanism=st.sampled_from(Mechanism),
    title=optional_texts,
    cycle=st.none() | st.integers(1, 5),
    session=st.none() | st.integers(1, 60),
    paragraph=st.none() | st.from_regex(r"[1-9][0-9]{0,2}\.[1-9][0-9]{0,2}", fullmatch=True),
    document=st.none() | plain_texts,
    themes=tuples_of(texts),
    affected_persons=tuples_of(texts),
    sdg_targets=tuples_of(sdg_targets),
    classifications=st.lists(classifications, max_size=2).map(tuple),
    areas=tuples_of(ids),
    responses=st.lists(responses, max_size=2).map(tuple),
)
areas = st.builds(
    lambda citation, **fields: Area(**fields, **citation),
    citation=_citation(),
    id=ids,
    title=texts,
    description=optional_texts,
    weight=weights,
)
benchmarks = st.builds(
    Benchmark,
    id=ids,
    title=texts,
    statement=texts,
    area=ids,
    type=st.sampled_from(BenchmarkType),
    origin=st.sampled_from(BenchmarkOrigin),
    commitments=tuples_of(ids),
    standards=tuples_of(ids),
    recommendations=tuples_of(ids),
    demanded_by=tuples_of(ids),
    responsible=tuples_of(ids),
    deadline=st.none() | partial_dates(),
    weight=weights,
    rationale=optional_texts,
)
measurements = st.builds(
    Measurement,
    value=indicator_values,
    date=st.none() | partial_dates(),
    source=st.none() | ids,
    note=optional_texts,
)


@st.composite
def indicators(draw: st.DrawFn) -> Indicator:
    """An indicator with the fields its kind needs (a unit and direction, or levels)."""
    kind = draw(st.sampled_from(IndicatorKind))
    return Indicator(
        id=draw(ids),
        benchmark=draw(ids),
        title=draw(texts),
        kind=kind,
        unit=draw(texts) if kind is IndicatorKind.NUMERIC else draw(optional_texts),
        direction=draw(st.sampled_from(Direction))
        if kind is IndicatorKind.NUMERIC
        else draw(st.none() | st.sampled_from(Direction)),
        levels=tuple(draw(st.lists(ids, min_size=2, max_size=4, unique=True)))
        if kind is IndicatorKind.ORDINAL
        else (),
        baseline=draw(st.none() | measurements),
        target=draw(st.none() | measurements),
        weight=draw(weights),
        description=draw(optional_texts),
    )


readings = st.builds(Reading, indicator=ids, value=indicator_values)
#: What evidence bears on: at least one benchmark or recommendation.
_bears_on = st.tuples(tuples_of(ids), tuples_of(ids)).filter(any)
evidence = st.builds(
    lambda bears_on, **fields: Evidence(
        **fields, benchmarks=bears_on[0], recommendations=bears_on[1]
    ),
    bears_on=_bears_on,
    id=ids,
    source=ids,
    date=partial_dates(),
    direction=st.sampled_from(EvidenceDirection),
    summary=texts,
    locator=optional_texts,
    quote=optional_texts,
    actors=tuples_of(ids),
    readings=st.lists(readings, max_size=2).map(tuple),
    reliability=st.none() | st.sampled_from(Reliability),
)
assessments = st.builds(
    lambda judged, **fields: Assessment(**fields, benchmark=judged[0], recommendation=judged[1]),
    # Either a benchmark or a recommendation, never both.
    judged=st.tuples(ids, st.none()) | st.tuples(st.none(), ids),
    id=ids,
    as_of=partial_dates(),
    scale=ids,
    assessor=texts,
    rationale=texts,
    level=st.none() | ids,
    evidence=tuples_of(ids),
)

_leaf_conditions: st.SearchStrategy[Condition] = st.one_of(
    st.builds(BenchmarkCondition, benchmark=ids, minimum_score=unit_floats, label=optional_texts),
    st.builds(
        BenchmarkCondition, benchmark=ids, scale=ids, minimum_level=ids, label=optional_texts
    ),
    st.builds(AreaCondition, area=ids, minimum_score=unit_floats, label=optional_texts),
)


def _compound(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
    lists = st.lists(children, min_size=1, max_size=3).map(tuple)
    return st.one_of(
        st.builds(AllOf, conditions=lists, label=optional_texts),
        st.builds(AnyOf, conditions=lists, label=optional_texts),
        st.builds(AtLeast, count=st.integers(1, 3), conditions=lists, label=optional_texts),
    )


conditions: st.SearchStrategy[Condition] = st.recursive(_leaf_conditions, _compound, max_leaves=6)
gates = st.builds(
    lambda citation, **fields: Gate(**fields, **citation),
    citation=_citation(),
    id=ids,
    title=texts,
    condition=conditions,
    applies_to=optional_texts,
    demanded_by=tuples_of(ids),
    recommendations=tuples_of(ids),
    description=optional_texts,
)
rule_names = st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
rule_specs = st.builds(
    RuleSpec, rule=rule_names, parameters=st.dictionaries(plain_texts, json_values, max_size=3)
)
scoring_configs = st.builds(
    ScoringConfig,
    benchmark_rules=st.lists(rule_specs, min_size=1, max_size=3).map(tuple),
    area_aggregation=rule_specs,
    overall_aggregation=rule_specs,
    met_threshold=unit_floats,
)

datasets = st.builds(
    Dataset,
    id=ids,
    title=texts,
    subject=optional_texts,
    description=optional_texts,
    language=st.none() | st.sampled_from(["en", "ru", "kk", "fr-BE"]),
    editors=st.lists(texts, max_size=2).map(tuple),
    license=optional_texts,
    url=st.none() | plain_texts,
    include=st.lists(st.from_regex(r"[a-z]{1,6}/\*\.yaml", fullmatch=True), max_size=2).map(tuple),
    archive_folders=st.lists(
        st.from_regex(r"\.\./[a-z]{1,8}", fullmatch=True), max_size=2, unique=True
    ).map(tuple),
    scoring=st.none() | scoring_configs,
    scales=st.lists(status_scales(), max_size=2).map(tuple),
    actors=st.lists(actors, max_size=2).map(tuple),
    sources=st.lists(sources, max_size=2).map(tuple),
    standards=st.lists(standards, max_size=2).map(tuple),
    commitments=st.lists(commitments, max_size=2).map(tuple),
    recommendations=st.lists(recommendations, max_size=1).map(tuple),
    areas=st.lists(areas, max_size=2).map(tuple),
    benchmarks=st.lists(benchmarks, max_size=2).map(tuple),
    indicators=st.lists(indicators(), max_size=2).map(tuple),
    evidence=st.lists(evidence, max_size=2).map(tuple),
    assessments=st.lists(assessments, max_size=2).map(tuple),
    gates=st.lists(gates, max_size=2).map(tuple),
)

#: A strategy for each model class.
records: dict[type, st.SearchStrategy[Any]] = {
    PartialDate: partial_dates(),
    Level: levels,
    StatusScale: status_scales(),
    Actor: actors,
    Source: sources,
    Standard: standards,
    Commitment: commitments,
    Classification: classifications,
    Response: responses,
    Recommendation: recommendations,
    Area: areas,
    Benchmark: benchmarks,
    Measurement: measurements,
    Indicator: indicators(),
    Reading: readings,
    Evidence: evidence,
    Assessment: assessments,
    BenchmarkCondition: _leaf_conditions.filter(lambda c: isinstance(c, BenchmarkCondition)),
    AreaCondition: st.builds(AreaCondition, area=ids, minimum_score=unit_floats),
    AllOf: st.builds(AllOf, conditions=st.lists(conditions, min_size=1, max_size=2).map(tuple)),
    AnyOf: st.builds(AnyOf, conditions=st.lists(conditions, min_size=1, max_size=2).map(tuple)),
    AtLeast: st.builds(
        AtLeast,
        count=st.integers(1, 2),
        conditions=st.lists(conditions, min_size=2, max_size=2).map(tuple),
    ),
    Gate: gates,
    RuleSpec: rule_specs,
    ScoringConfig: scoring_configs,
    Dataset: datasets,
}


# -- consistent datasets -------------------------------------------------------------------

_SCALE = StatusScale(
    id="status",
    title="Status",
    levels=(
        Level(id="not-met", label="Not met", value=0.0),
        Level(id="partly-met", label="Partly met", value=0.5),
        Level(id="met", label="Met", value=1.0),
    ),
)


@st.composite
def _later_date(draw: st.DrawFn, date: PartialDate) -> PartialDate:
    """``date`` itself, or a year after it: never before it, however precise either is."""
    return draw(st.just(date) | st.integers(date.year + 1, 2016).map(PartialDate))


@st.composite
def consistent_recommendations(
    draw: st.DrawFn, actor_ids: list[str], source_ids: list[str], area_ids: list[str]
) -> tuple[Recommendation, ...]:
    """Recommendations among these actors, sources and areas, each answered after it is made."""
    made = []
    for i in range(draw(st.integers(0, 3))):
        date = draw(partial_dates(min_year=2010, max_year=2014))
        made.append(
            Recommendation(
                id=f"rec-{i}",
                text=f"Recommendation {i}: {draw(texts)}",
                by=tuple(draw(st.lists(st.sampled_from(actor_ids), min_size=1, unique=True))),
                to=draw(st.sampled_from(actor_ids)),
                date=date,
                mechanism=draw(st.sampled_from(Mechanism)),
                source=draw(st.none() | st.sampled_from(source_ids)),
                paragraph=draw(st.none() | st.just(f"129.{i + 1}")),
                themes=tuple(draw(st.lists(st.sampled_from(["assembly", "press"]), unique=True))),
                sdg_targets=tuple(draw(tuples_of(sdg_targets, max_size=2))),
                classifications=tuple(draw(st.lists(classifications, max_size=1))),
                areas=tuple(draw(st.lists(st.sampled_from(area_ids), max_size=1))),
                responses=tuple(
                    Response(
                        by=draw(st.sampled_from(actor_ids)),
                        position=draw(st.sampled_from(Position)),
                        date=draw(st.none() | _later_date(date)),
                        reason=draw(optional_texts),
                    )
                    for _ in range(draw(st.integers(0, 2)))
                ),
            )
        )
    return tuple(made)


@st.composite
def valid_datasets(draw: st.DrawFn, *, max_benchmarks: int = 4) -> Dataset:
    """A dataset whose references resolve and whose dates and values are consistent.

    Sources have no archive, so quotes are left out (they could not be
    verified). Validation reports no error for these datasets.
    """
    actor_records = tuple(
        Actor(id=f"actor-{i}", name=draw(texts), kind=draw(st.sampled_from(ActorKind)))
        for i in range(draw(st.integers(1, 3)))
    )
    actor_ids = [actor.id for actor in actor_records]
    source_records = tuple(
        Source(
            id=f"source-{i}",
            title=draw(texts),
            kind=draw(st.sampled_from(SourceKind)),
            publishers=tuple(draw(st.lists(st.sampled_from(actor_ids), max_size=2, unique=True))),
            reliability=draw(st.sampled_from(Reliability)),
        )
        for i in range(draw(st.integers(1, 3)))
    )
    source_ids = [source.id for source in source_records]
    area_records = tuple(
        Area(id=f"area-{i}", title=draw(texts), weight=draw(st.sampled_from([0.5, 1.0, 2.0])))
        for i in range(draw(st.integers(1, 3)))
    )
    area_ids = [area.id for area in area_records]
    recommendation_records = draw(consistent_recommendations(actor_ids, source_ids, area_ids))
    named = st.lists(st.sampled_from([r.id for r in recommendation_records]), unique=True)
    some_recommendations = named.map(tuple) if recommendation_records else st.just(())
    benchmark_records = tuple(
        Benchmark(
            id=f"bm-{i}",
            title=draw(texts),
            statement=draw(texts),
            area=draw(st.sampled_from(area_ids)),
            type=draw(st.sampled_from(BenchmarkType)),
            demanded_by=tuple(draw(st.lists(st.sampled_from(actor_ids), max_size=1))),
            weight=draw(st.sampled_from([0.5, 1.0, 3.0])),
            recommendations=draw(some_recommendations),
        )
        for i in range(draw(st.integers(1, max_benchmarks)))
    )
    benchmark_ids = [benchmark.id for benchmark in benchmark_records]
    indicator_records = []
    for i, benchmark_id in enumerate(draw(st.lists(st.sampled_from(benchmark_ids), max_size=2))):
        start = draw(st.integers(0, 100))
        indicator_records.append(
            Indicator(
                id=f"ind-{i}",
                benchmark=benchmark_id,
                title=draw(texts),
                kind=IndicatorKind.NUMERIC,
                unit="cases",
                direction=draw(st.sampled_from(Direction)),
                baseline=Measurement(value=start, date=PartialDate(2010)),
                target=Measurement(value=draw(st.integers(0, 100)), date=PartialDate(2014)),
            )
        )
    evidence_records = []
    for i in range(draw(st.integers(0, 6))):
        readings: tuple[Reading, ...] = ()
        with_reading = draw(st.booleans())
        if indicator_records and with_reading:
            measured = draw(st.sampled_from(indicator_records))
            readings = (Reading(indicator=measured.id, value=draw(st.integers(0, 100))),)
        on_recommendations = draw(some_recommendations)
        evidence_records.append(
            Evidence(
                id=f"ev-{i}",
                source=draw(st.sampled_from(source_ids)),
                date=draw(partial_dates(min_year=2010, max_year=2014)),
                benchmarks=tuple(
                    draw(
                        st.lists(
                            st.sampled_from(benchmark_ids),
                            min_size=0 if on_recommendations else 1,
                            max_size=2,
                            unique=True,
                        )
                    )
                ),
                recommendations=on_recommendations,
                direction=draw(st.sampled_from(EvidenceDirection)),
                summary=draw(texts),
                readings=readings,
                reliability=draw(st.none() | st.sampled_from(Reliability)),
            )
        )
    assessment_records = []
    for i in range(draw(st.integers(0, 5))):
        as_of = draw(partial_dates(min_year=2010, max_year=2014))
        citable = [e.id for e in evidence_records if not e.date.is_certainly_after(as_of)]
        assessment_records.append(
            Assessment(
                id=f"as-{i}",
                benchmark=draw(st.sampled_from(benchmark_ids)),
                as_of=as_of,
                scale=_SCALE.id,
                assessor=draw(texts),
                rationale=draw(texts),
                level=draw(st.none() | st.sampled_from([level.id for level in _SCALE.levels])),
                evidence=tuple(draw(st.lists(st.sampled_from(citable), max_size=2, unique=True)))
                if citable
                else (),
            )
        )
    judged_ones = (
        draw(st.lists(st.sampled_from(recommendation_records), max_size=2))
        if recommendation_records
        else []
    )
    for i, judged in enumerate(judged_ones):
        as_of = draw(_later_date(judged.date))
        assessment_records.append(
            Assessment(
                id=f"as-rec-{i}",
                recommendation=judged.id,
                as_of=as_of,
                scale="upr-info-implementation",
                assessor=draw(texts),
                rationale=draw(texts),
                level=draw(
                    st.none()
                    | st.sampled_from(
                        ["not-implemented", "partially-implemented", "fully-implemented"]
                    )
                ),
                evidence=tuple(
                    e.id
                    for e in evidence_records
                    if judged.id in e.recommendations and not e.date.is_certainly_after(as_of)
                ),
            )
        )
    leaves = st.one_of(
        st.builds(
            BenchmarkCondition, benchmark=st.sampled_from(benchmark_ids), minimum_score=unit_floats
        ),
        st.builds(
            BenchmarkCondition,
            benchmark=st.sampled_from(benchmark_ids),
            scale=st.just(_SCALE.id),
            minimum_level=st.sampled_from([level.id for level in _SCALE.levels]),
        ),
        st.builds(AreaCondition, area=st.sampled_from(area_ids), minimum_score=unit_floats),
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

    gate_records = tuple(
        Gate(
            id=f"gate-{i}",
            title=draw(texts),
            condition=draw(st.recursive(leaves, compound, max_leaves=5)),
            recommendations=draw(some_recommendations),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    return Dataset(
        id="generated",
        title=draw(texts),
        scales=(_SCALE,),
        actors=actor_records,
        sources=source_records,
        recommendations=recommendation_records,
        areas=area_records,
        benchmarks=benchmark_records,
        indicators=tuple(indicator_records),
        evidence=tuple(evidence_records),
        assessments=tuple(assessment_records),
        gates=gate_records,
    )


# -- documents drawn from the JSON Schema itself ---------------------------------------------


def from_schema(name: str, *, depth: int = 0) -> st.SearchStrategy[Any]:
    """Documents drawn from a definition of ``definitions.schema.json``, not from the model.

    Covers the keywords the bundled schemas use (types, enum, const, pattern, lengths,
    ranges, items, required and optional properties, kind-tagged ``if``/``then``), so
    that the schema -> model direction is tested with documents the model never made.
    Conditional requirements may still fail; callers filter with the validator.
    """
    from benchmarkkit._schema import schema

    definitions = schema("definitions")["$defs"]
    return _draw_node(definitions[name], definitions, depth)


def _draw_node(  # noqa: PLR0911, PLR0912 - one branch per JSON Schema keyword
    node: dict[str, Any], definitions: dict[str, Any], depth: int
) -> st.SearchStrategy[Any]:
    if "$ref" in node:
        target = node["$ref"].rsplit("/", 1)[-1]
        if target == "Condition":
            return _draw_condition(definitions, depth + 1)
        return _draw_node(definitions[target], definitions, depth)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if isinstance(kind, list):
        return st.one_of([_draw_node({**node, "type": one}, definitions, depth) for one in kind])
    if kind == "string":
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True).filter(
                lambda s: len(s) <= node.get("maxLength", 200)
            )
        return st.text(min_size=node.get("minLength", 0), max_size=20)
    if kind in ("number", "integer"):
        low, high = node.get("minimum", -1000), node.get("maximum", 1000)
        if kind == "integer":
            return st.integers(int(low), int(high))
        return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.integers(
            int(low), int(high)
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = _draw_node(node.get("items", {}), definitions, depth)
        return st.lists(
            items,
            min_size=node.get("minItems", 0),
            max_size=max(node.get("minItems", 0), 3 if depth < 2 else 1),
            unique_by=(lambda item: json.dumps(item, sort_keys=True))
            if node.get("uniqueItems")
            else None,
        )
    if kind == "object" and "properties" in node:
        return _draw_object(node, definitions, depth)
    if kind == "object":
        return st.dictionaries(plain_texts, json_values, max_size=3)
    return json_values


def _draw_object(
    node: dict[str, Any], definitions: dict[str, Any], depth: int
) -> st.SearchStrategy[dict[str, Any]]:
    required = set(node.get("required", ()))
    strategies = {
        key: _draw_node(sub, definitions, depth) for key, sub in node["properties"].items()
    }

    @st.composite
    def draw(draw_fn: st.DrawFn) -> dict[str, Any]:
        return {
            key: draw_fn(strategy)
            for key, strategy in strategies.items()
            if key in required or draw_fn(st.booleans())
        }

    return draw()


def _draw_condition(definitions: dict[str, Any], depth: int) -> st.SearchStrategy[dict[str, Any]]:
    kinds = ["BenchmarkCondition", "AreaCondition"]
    if depth < 3:
        kinds += ["AllOf", "AnyOf", "AtLeast"]
    return st.sampled_from(kinds).flatmap(
        lambda name: _draw_node(definitions[name], definitions, depth)
    )
