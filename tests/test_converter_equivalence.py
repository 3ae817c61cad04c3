"""The rewritten converter and scorecard serialiser give what today's give, byte for byte.

Today's code is kept verbatim in ``tests/_reference_serialisers.py``. Every
test here puts the same input through both and compares: the JSON text
(key order included) of datasets, records, scorecards and comparisons, the
values structured from documents, and, for documents that cannot be
structured, the validation problems their errors become. The inputs are the
Kazakhstan example and generated data (at least 2,000 datasets in the
thorough profile). This module and the reference go once the rewrite is
committed; ``tests/test_converter.py`` (golden files, round trips) stays.

The one difference on purpose: a scorecard now carries
``scorecard_format_version`` and ``tool`` after its ``kind``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import load_dataset
from benchmarkkit._converter import converter, unstructure
from benchmarkkit._model import Dataset
from benchmarkkit._validate import structuring_problems
from benchmarkkit._version import __version__
from benchmarkkit.scoring import score
from benchmarkkit.scoring._compare import compare
from benchmarkkit.scoring._json import comparison_to_json, scorecard_to_json
from tests import _reference_serialisers as reference
from tests import scoring_strategies, strategies
from tests.conftest import EXAMPLE, Run, max_examples

#: Generated datasets each test below compares: 2,000 in the thorough (ci) profile.
DATASETS = max_examples(2000)


def _text(data: Any) -> str:
    """The JSON text of plain data, keys in the order given: equal texts are equal bytes."""
    return json.dumps(data, ensure_ascii=False, allow_nan=True)


def _with_versions(document: dict[str, Any]) -> dict[str, Any]:
    """Today's scorecard document with the two version members the rewrite adds after ``kind``."""
    head = {key: document[key] for key in ("$schema", "kind")}
    versions = {
        "scorecard_format_version": "1.0",
        "tool": {"name": "benchmarkkit", "version": __version__},
    }
    return {**head, **versions, **{k: v for k, v in document.items() if k not in head}}


def _same_dataset_json(dataset: Dataset) -> None:
    theirs = reference.unstructure(dataset)
    ours = unstructure(dataset)
    assert _text(ours) == _text(theirs)
    assert ours == theirs
    structured = converter.structure(theirs, Dataset)
    assert structured == reference.converter.structure(theirs, Dataset)
    assert structured == dataset


# -- the example ---------------------------------------------------------------------------


def test_the_example_dataset_gives_todays_json_and_structures_as_today() -> None:
    _same_dataset_json(load_dataset(EXAMPLE))


def test_the_example_scorecard_json_is_todays_with_its_versions(cli: Callable[..., Run]) -> None:
    run = cli("score", EXAMPLE, "--as-of", "2012-03-20", "--format", "json")
    card = score(load_dataset(EXAMPLE), as_of="2012-03-20")
    expected = _with_versions(reference.scorecard_to_json(card))
    assert (run.status, run.out) == (0, json.dumps(expected, indent=2, ensure_ascii=False) + "\n")


def test_the_example_comparison_json_is_todays(cli: Callable[..., Run]) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2011-06-01", "--format", "json"
    )
    comparison = compare(load_dataset(EXAMPLE), "2011-06-01", "2012-03-20")
    expected = reference.comparison_to_json(comparison)
    assert (run.status, run.out) == (0, json.dumps(expected, indent=2, ensure_ascii=False) + "\n")


# -- generated datasets and records ----------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=DATASETS)
@given(strategies.datasets)
def test_generated_datasets_give_todays_json_and_structure_as_today(dataset: Dataset) -> None:
    _same_dataset_json(dataset)


@settings(max_examples=DATASETS)
@given(strategies.valid_datasets() | scoring_strategies.scoring_datasets())
def test_consistent_datasets_give_todays_json_and_structure_as_today(dataset: Dataset) -> None:
    _same_dataset_json(dataset)


@pytest.mark.parametrize("cls", list(strategies.records), ids=lambda cls: cls.__name__)
def test_every_record_class_gives_todays_json_and_structures_as_today(cls: type) -> None:
    @given(strategies.records[cls])
    def check(value: Any) -> None:
        theirs = reference.unstructure(value)
        assert _text(unstructure(value)) == _text(theirs)
        assert converter.unstructure(value, cls) == reference.converter.unstructure(value, cls)
        ours: Any = converter.structure(theirs, cls)
        assert ours == reference.converter.structure(theirs, cls)
        assert ours == value

    check()


# -- documents that cannot be structured: the same problems ---------------------------------


def _places(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every place in a JSON document, the root first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


#: What a slip puts where a value belongs: other types, impossible dates, unknown kinds.
_WRONG = (
    strategies.json_values
    | st.sampled_from(["2011-02-29", "2012-13", "2012-00-01", "not-a-date", "nope", ""])
    | st.sampled_from([{"kind": "nope"}, {"kind": 3}, {}, {"kind": "area"}, {"kind": "all-of"}])
)


@st.composite
def _broken(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one value replaced, one member or item removed, or one member added."""
    broken = copy.deepcopy(document)
    place = draw(st.sampled_from(list(_places(broken))))
    if not place:
        return draw(_WRONG)
    parent = broken
    for part in place[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "remove", "add"]))
    if action == "replace":
        parent[place[-1]] = draw(_WRONG)
    elif action == "remove":
        del parent[place[-1]]
    elif isinstance(target := parent[place[-1]], dict):
        target[draw(st.sampled_from(["kind", "extra", "id"]))] = draw(_WRONG)
    else:
        parent[place[-1]] = [target, draw(_WRONG)]
    return broken


def _outcome(structure: Callable[[Any, type], Any], document: Any, cls: type) -> Any:
    """What structuring gives: the value (by repr, so NaN equals NaN), or the problems."""
    try:
        value = structure(document, cls)
    except Exception as error:  # every error must be the same, whatever it is
        problems = structuring_problems(error, (), document, "f.json")
        return "error", [(p.code, p.message, p.pointer) for p in problems]
    return "value", repr(value)


_CLASSES = [cls for cls in strategies.records if cls.__name__ != "PartialDate"]


@settings(max_examples=DATASETS)
@given(st.data(), st.sampled_from(_CLASSES))
def test_broken_documents_give_todays_problems(data: st.DataObject, cls: type) -> None:
    document = reference.unstructure(data.draw(strategies.records[cls], label="record"))
    broken = data.draw(_broken(document), label="broken")
    expected = _outcome(reference.converter.structure, broken, cls)
    assert _outcome(converter.structure, broken, cls) == expected


@settings(max_examples=DATASETS)
@given(st.data(), st.sampled_from([cls for cls in _CLASSES if cls is not Dataset]))
def test_documents_drawn_from_the_schema_structure_as_today(data: st.DataObject, cls: type) -> None:
    document = data.draw(strategies.from_schema(cls.__name__), label="document")
    expected = _outcome(reference.converter.structure, document, cls)
    assert _outcome(converter.structure, document, cls) == expected


# -- scorecards and comparisons ----------------------------------------------------------------


@settings(max_examples=max_examples(500))
@given(scoring_strategies.scoring_datasets(), scoring_strategies.as_of_dates)
def test_generated_scorecards_give_todays_json_with_versions(dataset: Dataset, as_of: Any) -> None:
    card = score(dataset, as_of=as_of)
    expected = _text(_with_versions(reference.scorecard_to_json(card)))
    assert _text(scorecard_to_json(card)) == expected


@settings(max_examples=max_examples(500))
@given(
    scoring_strategies.scoring_datasets(),
    scoring_strategies.as_of_dates,
    scoring_strategies.as_of_dates,
)
def test_generated_comparisons_give_todays_json(dataset: Dataset, first: Any, second: Any) -> None:
    comparison = compare(dataset, min(first, second), max(first, second))
    expected = _text(reference.comparison_to_json(comparison))
    assert _text(comparison_to_json(comparison)) == expected
