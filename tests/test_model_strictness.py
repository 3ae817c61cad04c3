"""The typed model is never looser than the schema, where it counts: on the way out.

The record classes check what has a domain meaning when a record is built
(weights, scores in [0, 1], levels in order) and leave the rest of the
format (an id's pattern, a non-empty title, a list that must not be empty,
a quote that needs its source) to the schema, so that building records and
loading a large dataset stay fast. What the model builds and the schema
refuses never reaches a file: :func:`dump_dataset` and :func:`save_dataset`
refuse it, and their problems name the record and the field. Here every
constraint only the schema states (listed by ``test_model_matches_schema``)
is broken once, and Hypothesis builds datasets as loosely as the model
allows: each one dumps and saves and loads back equal, or is refused.
"""

from __future__ import annotations

import enum
import json
import math
import re
import tempfile
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from benchmarkkit import dump_dataset, load_dataset, save_dataset
from benchmarkkit._conditions import (
    AllOf,
    AnyOf,
    AreaCondition,
    AtLeast,
    BenchmarkCondition,
    Gate,
    RuleSpec,
    ScoringConfig,
)
from benchmarkkit._converter import unstructure
from benchmarkkit._dates import PartialDate
from benchmarkkit._errors import SaveError
from benchmarkkit._in_memory import structure
from benchmarkkit._model import (
    Actor,
    Area,
    Assessment,
    Benchmark,
    Classification,
    Commitment,
    Dataset,
    Evidence,
    Indicator,
    Measurement,
    Reading,
    Recommendation,
    Response,
    Source,
    Standard,
)
from benchmarkkit._problems import Problem
from benchmarkkit._scales import Level, StatusScale
from benchmarkkit._schema import python_regex
from tests.strategies import datasets
from tests.test_model_matches_schema import Constraint, _hints, schema_only_constraints

#: Where each record of :func:`dataset_with` stands in the dataset's JSON.
PLACES: Mapping[type, str] = {
    Dataset: "",
    ScoringConfig: "/scoring",
    RuleSpec: "/scoring/area_aggregation",
    StatusScale: "/scales/0",
    Level: "/scales/0/levels/0",
    Actor: "/actors/0",
    Source: "/sources/0",
    Standard: "/standards/0",
    Commitment: "/commitments/0",
    Recommendation: "/recommendations/0",
    Classification: "/recommendations/0/classifications/0",
    Response: "/recommendations/0/responses/0",
    Area: "/areas/0",
    Benchmark: "/benchmarks/0",
    Indicator: "/indicators/0",
    Measurement: "/indicators/0/baseline",
    Evidence: "/evidence/0",
    Reading: "/evidence/0/readings/0",
    Assessment: "/assessments/0",
    Gate: "/gates/0",
    AllOf: "/gates/0/condition",
    BenchmarkCondition: "/gates/0/condition/conditions/0",
    AreaCondition: "/gates/0/condition/conditions/1",
    AtLeast: "/gates/0/condition/conditions/2",
    AnyOf: "/gates/0/condition/conditions/2/conditions/0",
}


def dataset_with(target: type | None = None, **changed: Any) -> Dataset:
    """A consistent dataset with one record of every class; ``target``'s fields ``changed``."""

    def make(cls: type, **fields: Any) -> Any:
        return cls(**{**fields, **(changed if cls is target else {})})

    leaf = make(BenchmarkCondition, benchmark="b1", minimum_score=0.5)
    at_least = make(AtLeast, count=1, conditions=(make(AnyOf, conditions=(leaf,)),))
    condition = make(
        AllOf, conditions=(leaf, make(AreaCondition, area="ar1", minimum_score=0.5), at_least)
    )
    dataset: Dataset = make(
        Dataset,
        id="ds",
        title="A dataset",
        scoring=make(ScoringConfig, area_aggregation=make(RuleSpec, rule="weighted-mean")),
        scales=(
            make(
                StatusScale,
                id="sc",
                title="A scale",
                levels=(make(Level, id="met", label="Met", value=1.0),),
            ),
        ),
        actors=(make(Actor, id="a1", name="An actor", kind="ngo"),),
        sources=(make(Source, id="s1", title="A source", kind="report"),),
        standards=(make(Standard, id="st1", title="A standard", kind="treaty-provision"),),
        commitments=(make(Commitment, id="c1", title="A commitment", actor="a1"),),
        recommendations=(
            make(
                Recommendation,
                id="r1",
                text="Release the detained.",
                by=("a1",),
                to="a1",
                date="2012",
                mechanism="ngo",
                classifications=(make(Classification, scheme="action", value="5"),),
                responses=(make(Response, by="a1", position="noted"),),
            ),
        ),
        areas=(make(Area, id="ar1", title="An area"),),
        benchmarks=(
            make(
                Benchmark,
                id="b1",
                title="A benchmark",
                statement="It holds.",
                area="ar1",
                type="structural",
            ),
        ),
        indicators=(
            make(
                Indicator,
                id="i1",
                benchmark="b1",
                title="Cases",
                kind="numeric",
                unit="cases",
                direction="lower-is-better",
                baseline=make(Measurement, value=3),
            ),
        ),
        evidence=(
            make(
                Evidence,
                id="e1",
                source="s1",
                date="2012",
                benchmarks=("b1",),
                direction="progress",
                summary="It happened.",
                readings=(make(Reading, indicator="i1", value=1),),
            ),
        ),
        assessments=(
            make(
                Assessment,
                id="as1",
                benchmark="b1",
                as_of="2012",
                scale="sc",
                assessor="The editors",
                rationale="Because.",
                level="met",
            ),
        ),
        gates=(make(Gate, id="g1", title="A gate", condition=condition),),
    )
    return dataset


def _record(dataset: Dataset, place: str) -> Any:
    value: Any = dataset
    for part in place.split("/")[1:]:
        value = value[int(part)] if part.isdigit() else getattr(value, part)
    return value


def _breaking_text(keyword: str, limit: Any) -> str:
    """Text that breaks ``keyword`` (``minLength`` 1, a ``pattern``, ...)."""
    if keyword == "minLength":
        return ""
    if keyword == "maxLength":
        return "a" * (int(limit) + 1)
    if keyword == "enum":
        return "9.9"
    assert keyword == "pattern", keyword
    candidates = ("has space", "UPPER CASE", "2.0.0", "-dash")
    return str(next(text for text in candidates if not python_regex(limit).search(text)))


def _breaking_value(constraint: Constraint, current: Any) -> Any:
    """A value of the field that breaks ``constraint``, which the model accepts."""
    keyword, limit = constraint.keyword, constraint.value
    if constraint.path[1:] == ("[]",):
        return (_breaking_text(keyword, limit),)
    item = current[0] if current else "x1"
    if keyword == "minItems":
        return (item,) * (limit - 1)
    if keyword == "uniqueItems":
        return (item, item)
    return _breaking_text(keyword, limit)


def _breaking_fields(constraint: Constraint, record: Any) -> dict[str, Any]:
    """The fields of ``record`` to change so that it breaks ``constraint``."""
    fields = attrs.fields_dict(type(record))
    if constraint.keyword == "dependentRequired":  # set the field, leave out what it needs
        name, needed = next(iter(constraint.value.items()))
        value = "met" if name == "minimum_level" else "p. 1"
        return {name: value, **{other: fields[other].default for other in needed}}
    if constraint.keyword == "allOf":  # a kind, without a field that kind needs
        rule = constraint.value[0]
        chosen = {k: v["const"] for k, v in rule["if"]["properties"].items()}
        return {**chosen, **{name: fields[name].default for name in rule["then"]["required"]}}
    name = constraint.path[0]
    return {name: _breaking_value(constraint, getattr(record, name))}


def _broken(constraint: Constraint) -> tuple[Dataset, str]:
    """A dataset the model builds that breaks ``constraint``, and where it does."""
    place = PLACES[constraint.cls]
    changes = _breaking_fields(constraint, _record(dataset_with(), place))
    dataset: Dataset = dataset_with(constraint.cls, **changes)
    return dataset, place


def _breakable(constraint: Constraint) -> bool:
    """Whether a record the model builds can break ``constraint`` at all.

    An empty tuple at its default is left out of what is written, so ``minItems: 1``
    on an optional list cannot be broken by the model: the list is simply absent.
    (Where a rule needs one of such lists, as evidence needs benchmarks or
    recommendations, the rule itself is what breaks, and it names the field.)
    """
    if constraint.keyword != "minItems" or constraint.value != 1 or len(constraint.path) != 1:
        return True
    field = attrs.fields_dict(constraint.cls)[constraint.path[0]]
    return field.default != () or (constraint.cls, field.name) == (Evidence, "benchmarks")


CONSTRAINTS = [
    c
    for c in schema_only_constraints()
    if c.keyword not in ("if", "then", "else") and _breakable(c)
]


def _names_the_field(problems: tuple[Problem, ...], place: str, fields: set[str]) -> bool:
    """Whether a problem points into the record at ``place`` and at or by name to a field."""
    for problem in problems:
        if problem.pointer != place and not problem.pointer.startswith(place + "/"):
            continue
        rest = problem.pointer[len(place) :].split("/")[1:]
        if (rest and rest[0] in fields) or any(f"'{name}'" in problem.message for name in fields):
            return True
    return False


def test_the_dataset_every_case_starts_from_saves_and_loads_back_equal(tmp_path: Path) -> None:
    dataset = dataset_with()
    assert structure(json.loads(dump_dataset(dataset, "json")), Dataset) == dataset
    save_dataset(dataset, tmp_path / "dataset.yaml")
    assert load_dataset(tmp_path / "dataset.yaml") == dataset


def test_the_issues_actor_is_refused_on_dump_naming_the_record_and_fields() -> None:
    dataset = dataset_with(Actor, id="has space", name="")
    with pytest.raises(SaveError) as caught:
        dump_dataset(dataset)
    assert str(caught.value).splitlines() == [
        (
            "the dataset was not dumped: the dataset holds values the format does not allow "
            "(invalid-format, wrong-length); fix these problems first"
        ),
        (
            "  <dataset>: invalid-format actor 'has space': 'id' must be an identifier: "
            "letters, digits, '.', '_', ':' and '-', starting with a letter or digit, such as "
            "\"bm-media-1\"; found 'has space'"
        ),
        "  <dataset>: wrong-length actor 'has space': 'name' must not be empty",
    ]
    assert [p.pointer for p in caught.value.problems] == ["/actors/0/id", "/actors/0/name"]


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=str)
def test_a_record_that_breaks_a_rule_only_the_schema_states_is_refused_on_dump_and_save(
    constraint: Constraint, tmp_path: Path
) -> None:
    dataset, place = _broken(constraint)
    fields = set(_breaking_fields(constraint, _record(dataset_with(), place)))
    with pytest.raises(SaveError) as dumped:
        dump_dataset(dataset)
    assert _names_the_field(dumped.value.problems, place, fields), dumped.value.problems
    target = tmp_path / "dataset.yaml"
    with pytest.raises(SaveError) as saved:
        save_dataset(dataset, target, checks=(), plugins=False)
    assert str(saved.value).startswith(f"{str(target)!r} was not saved: it would not load again")
    assert _names_the_field(saved.value.problems, place, fields), saved.value.problems
    assert not target.exists()


# -- any dataset the model builds -----------------------------------------------------------

#: Text as loose as the model takes it: empty, with spaces, an id or not.
loose_texts = st.sampled_from(["x1", "b-2", "1.0", "met", "A title."]) | st.text(max_size=3)
#: Numbers the model's validators accept (in [0, 1], so that every one does), and infinity.
loose_numbers = st.floats(0, 1) | st.just(math.inf)
loose_dates = st.sampled_from(["2012", "2012-03", "2012-03-20"]).map(PartialDate.parse)
loose_parameters = st.dictionaries(
    st.text(max_size=3), st.integers(-3, 3) | st.text(max_size=3), max_size=2
)


_SIMPLE: Mapping[Any, st.SearchStrategy[Any]] = {
    type(None): st.none(),
    str: loose_texts,
    float: loose_numbers,
    int: st.integers(1, 3),
    bool: st.booleans(),
    PartialDate: loose_dates,
}

#: Fields drawn more carefully than their annotation says, and why.
_CAREFUL: Mapping[tuple[type, str], st.SearchStrategy[Any]] = {}


def loose(tp: Any) -> st.SearchStrategy[Any]:
    """Any value of the annotation ``tp`` the model takes, and no more careful than that."""
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is tuple:
        strategy: st.SearchStrategy[Any] = st.lists(loose(args[0]), max_size=2).map(tuple)
    elif args and all(attrs.has(arg) for arg in args):  # the gate conditions
        strategy = st.deferred(lambda: st.one_of([loose(arg) for arg in args]))
    elif origin is Mapping:
        strategy = loose_parameters
    elif args:  # a union: X | None, an indicator value
        strategy = st.one_of([loose(arg) for arg in args])
    elif tp in _SIMPLE:
        strategy = _SIMPLE[tp]
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        strategy = st.sampled_from(list(tp))
    else:
        assert attrs.has(tp), f"no loose strategy for {tp!r}: add one"
        strategy = _loose_record(tp)
    return strategy


@st.composite
def _loose_record(draw: st.DrawFn, cls: type) -> Any:
    hints = _hints(cls)
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):
        required = field.default is attrs.NOTHING
        if field.init and (required or draw(st.booleans())):
            careful = _CAREFUL.get((cls, field.name))
            strategy = loose(hints[field.name]) if careful is None else careful
            fields[field.name] = draw(strategy)
    try:
        return cls(**fields)
    except ValueError:  # a rule the model checks: levels out of order
        reject()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(datasets | _loose_record(Dataset))
def test_a_dataset_the_model_builds_dumps_and_loads_back_equal_or_is_refused(
    dataset: Dataset,
) -> None:
    try:
        text = dump_dataset(dataset, "json")
    except SaveError as error:
        refused: SaveError | None = error
    else:
        refused = None
        event("dumped")
        assert structure(json.loads(text), Dataset) == dataset
    if refused is not None:
        event("refused")
        assert refused.problems, refused
        document = unstructure(dataset)
        for problem in refused.problems:
            assert_names_a_field(problem, document)


def assert_names_a_field(problem: Problem, document: Any) -> None:
    """``problem`` points at a field that holds a value, and its message names the field."""
    parts = problem.pointer.split("/")[1:]
    assert parts, problem
    value = document
    for part in parts[:-1]:
        value = value[int(part)] if isinstance(value, list) else value[part]
    assert isinstance(value, dict | list), problem
    named = next(part for part in reversed(parts) if not part.isdigit())
    # The field as the message writes it: 'name', or within its record 'scoring.met_threshold'.
    quoted = rf"'(?:[\w\[\].]*\.)?{re.escape(named)}(?:[.\[][\w\[\].]*)?'"
    assert re.search(quoted, problem.message), problem


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(datasets | _loose_record(Dataset))
def test_a_dataset_the_model_builds_saves_and_loads_back_equal_or_is_refused(
    dataset: Dataset,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "dataset.yaml"
        try:
            save_dataset(dataset, target, checks=(), plugins=False)
        except SaveError as error:
            problems: tuple[Problem, ...] | None = error.problems
        else:
            problems = None
            event("saved")
            assert load_dataset(target, checks=(), plugins=False) == dataset
        if problems is not None:
            event("refused")
            assert problems
            assert not target.exists()


def test_an_empty_editor_is_refused_naming_the_field() -> None:
    with pytest.raises(SaveError) as caught:
        dump_dataset(dataset_with(Dataset, editors=("",)))
    assert [p.message for p in caught.value.problems] == [
        "the dataset: 'editors[0]' must not be empty"
    ]
