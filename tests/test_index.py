"""One index of records by id: the first record of an id, in the checks, scoring and reports."""

from __future__ import annotations

import datetime as dt
import gc
import weakref

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._checks import check_dates, check_references, check_unique_ids
from benchmarkkit._conditions import Gate
from benchmarkkit._context import CheckContext, Origin
from benchmarkkit._index import RecordIndex, collections_of, first_by_id, index_of
from benchmarkkit._model import (
    COLLECTIONS,
    Actor,
    Area,
    Assessment,
    Benchmark,
    Commitment,
    Dataset,
    Evidence,
    Indicator,
    Recommendation,
    Source,
    Standard,
)
from benchmarkkit._scales import Level, StatusScale
from benchmarkkit.reports._records import Records
from benchmarkkit.scoring._context import RuleContext

AS_OF = dt.date(2012, 12, 31)


def _twice() -> Dataset:
    """A dataset that uses each of three ids twice; the first record of each is "first"."""
    return Dataset(
        id="d",
        title="Ids used twice",
        scales=(
            StatusScale(
                id="st", title="First", levels=(Level(id="first-level", label="F", value=1.0),)
            ),
            StatusScale(
                id="st", title="Second", levels=(Level(id="second-level", label="S", value=1.0),)
            ),
        ),
        actors=(Actor(id="ngo", name="An NGO", kind="ngo"),),
        sources=(
            Source(id="src", title="The first report", kind="report", date="2012-01"),
            Source(id="src", title="The second report", kind="report", date="2012-12"),
        ),
        areas=(Area(id="media", title="Media"),),
        benchmarks=(
            Benchmark(
                id="bm", title="The first benchmark", statement="A", area="media", type="process"
            ),
            Benchmark(
                id="bm", title="The second benchmark", statement="B", area="media", type="process"
            ),
        ),
        evidence=(
            Evidence(
                id="ev",
                source="src",
                date="2012-06",
                benchmarks=("bm",),
                direction="progress",
                summary="Seen in June.",
            ),
        ),
        assessments=(
            Assessment(
                id="as-1",
                benchmark="bm",
                as_of="2012-07",
                scale="st",
                level="first-level",
                assessor="Editors",
                rationale="As seen.",
            ),
            Assessment(
                id="as-2",
                benchmark="bm",
                as_of="2012-07",
                scale="st",
                level="second-level",
                assessor="Editors",
                rationale="As seen.",
            ),
        ),
    )


def _context(dataset: Dataset) -> CheckContext:
    context = CheckContext(root=None)
    for collection in COLLECTIONS:
        for position, record in enumerate(getattr(dataset, collection)):
            context.record_origin(record, Origin("d.yaml", f"/{collection}/{position}"))
    return context


def test_the_duplicate_id_problem_names_the_first_record_the_library_then_uses() -> None:
    dataset = _twice()
    found = [(p.pointer, p.message) for p in check_unique_ids(dataset, _context(dataset))]
    assert found == [
        ("/scales/1/id", "scale id 'st' is used twice; the first is in d.yaml at /scales/0"),
        ("/sources/1/id", "source id 'src' is used twice; the first is in d.yaml at /sources/0"),
        (
            "/benchmarks/1/id",
            "benchmark id 'bm' is used twice; the first is in d.yaml at /benchmarks/0",
        ),
    ]


def test_the_checks_use_the_first_record_of_an_id() -> None:
    dataset = _twice()
    context = _context(dataset)
    # The first source was published in January, before the June evidence; the second in
    # December, after it: only the first makes the evidence late.
    assert [(p.code, p.pointer) for p in check_dates(dataset, context)] == [
        ("evidence-after-source", "/evidence/0/date")
    ]
    # Levels are looked up on the first scale with the id.
    assert [(p.code, p.pointer, p.message) for p in check_references(dataset, context)] == [
        (
            "unknown-level",
            "/assessments/1/level",
            (
                "assessment 'as-2': level 'second-level' is not on scale 'st', whose levels are "
                "'first-level'"
            ),
        )
    ]


def test_scoring_uses_the_first_record_of_an_id() -> None:
    dataset = _twice()
    context = RuleContext(dataset, as_of=AS_OF)
    assert [
        getattr(context.benchmark("bm"), "title", None),
        getattr(context.source("src"), "title", None),
        getattr(context.scale("st"), "title", None),
    ] == ["The first benchmark", "The first report", "First"]


def test_the_reports_use_the_first_record_of_an_id() -> None:
    dataset = _twice()
    records = Records(dataset, AS_OF)
    reference = records.source("src")
    assert reference is not None
    assert (reference.title, reference.anchor) == ("The first report", "source-src")
    assert [(view.id, view.title) for view in records.source_views()] == [
        ("src", "The first report")
    ]
    assert records.benchmarks["bm"].title == "The first benchmark"
    assert records.scales["st"].title == "First"


def test_one_index_is_shared_while_its_dataset_lives_and_let_go_with_it() -> None:
    dataset = _twice()
    index = index_of(dataset)
    assert index_of(dataset) is index
    other = attrs.evolve(dataset, id="other")
    assert index_of(other) is not index
    alive = weakref.ref(dataset)
    del dataset, index
    gc.collect()
    assert alive() is None  # the shared index does not keep its dataset alive


def test_the_scales_are_the_datasets_own_then_the_built_in_ones() -> None:
    index = RecordIndex(_twice())
    assert index.scales["st"].title == "First"
    assert index.scales["ogp-completion"].title == "OGP commitment completion"


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 9))))
def test_first_by_id_keeps_the_first_record_of_each_id_in_order(
    pairs: list[tuple[str, int]],
) -> None:
    records = tuple(Level(id=key, label=str(value), value=value / 9) for key, value in pairs)
    expected: dict[str, Level] = {}
    for record in records:
        if record.id not in expected:
            expected[record.id] = record
    found = first_by_id(records)
    assert list(found) == list(expected)
    assert all(found[key] is expected[key] for key in expected)


def test_a_listing_is_the_first_record_of_each_id_in_dataset_order() -> None:
    dataset = _twice()
    index = RecordIndex(dataset)
    assert [(b.id, b.title) for b in index.records("benchmarks")] == [("bm", "The first benchmark")]
    assert [(s.id, s.title) for s in index.records("sources")] == [("src", "The first report")]
    assert index.records("scales") == (dataset.scales[0],)
    assert index.records("sources") is index.records("sources")  # built once


def test_a_listing_without_a_repeated_id_is_the_datasets_own_tuple() -> None:
    dataset = _twice()
    index = RecordIndex(dataset)
    assert index.records("actors") is dataset.actors
    assert index.records("assessments") is dataset.assessments
    assert index.records("gates") == ()


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 9)), max_size=8))
def test_a_listing_keeps_the_first_record_of_each_id_and_the_order_of_their_first_use(
    pairs: list[tuple[str, int]],
) -> None:
    actors = tuple(Actor(id=key, name=str(value), kind="ngo") for key, value in pairs)
    expected: list[Actor] = []
    for actor in actors:
        if actor.id not in {e.id for e in expected}:
            expected.append(actor)
    found = RecordIndex(Dataset(id="d", title="D", actors=actors)).records("actors")
    assert [id(actor) for actor in found] == [id(actor) for actor in expected]


def test_the_collections_of_a_dataset_are_derived_once_from_its_class_in_field_order() -> None:
    assert COLLECTIONS is collections_of(Dataset)
    assert list(COLLECTIONS.items()) == [
        ("scales", StatusScale),
        ("actors", Actor),
        ("sources", Source),
        ("standards", Standard),
        ("commitments", Commitment),
        ("recommendations", Recommendation),
        ("areas", Area),
        ("benchmarks", Benchmark),
        ("indicators", Indicator),
        ("evidence", Evidence),
        ("assessments", Assessment),
        ("gates", Gate),
    ]
    with pytest.raises(TypeError):
        COLLECTIONS["campaigns"] = Actor  # type: ignore[index]  # read-only, shared by all
