"""The converters: the example's files and scorecards byte for byte, round trips, plain words.

The golden files in ``tests/data/`` are what the converter and the scorecard
serialiser wrote for the Kazakhstan example before they were rebuilt on
cattrs' strategies and hook factories; any change to them is a change of
the format, to be made on purpose (and said in the changelog).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import jsonschema
import pytest
from hypothesis import given, settings

from benchmarkkit import dump_dataset, load_dataset
from benchmarkkit._conditions import AllOf, AreaCondition, BenchmarkCondition, Condition, Gate
from benchmarkkit._converter import converter, make_converter, unstructure
from benchmarkkit._model import Dataset
from benchmarkkit._version import __version__
from benchmarkkit.scoring import score
from benchmarkkit.scoring._json import scorecard_to_json
from tests import scoring_strategies, strategies
from tests.conftest import EXAMPLE, Run, max_examples

GOLDEN = Path(__file__).parent / "data"


def _golden(name: str) -> str:
    """A golden file's text, with the running version where it says ``@VERSION@``."""
    text = (GOLDEN / name).read_text("utf-8")
    return text.replace('"@VERSION@"', json.dumps(__version__))


def _text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- the example, byte for byte ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_the_example_dumps_to_its_golden_file(fmt: Literal["json", "yaml"]) -> None:
    assert dump_dataset(load_dataset(EXAMPLE), fmt) == _golden(f"kazakhstan-2012.dataset.{fmt}")


def test_the_example_scorecard_json_is_its_golden_file(cli: Callable[..., Run]) -> None:
    run = cli("score", EXAMPLE, "--as-of", "2012-03-20", "--format", "json")
    assert (run.status, run.out) == (0, _golden("kazakhstan-2012.scorecard.json"))


def test_the_example_comparison_json_is_its_golden_file(cli: Callable[..., Run]) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2011-06-01", "--format", "json"
    )
    assert (run.status, run.out) == (0, _golden("kazakhstan-2012.comparison.json"))


# -- the scorecard's versions --------------------------------------------------------------


def _scorecard_validator() -> jsonschema.Draft202012Validator:
    schemas = resources.files("benchmarkkit") / "schemas"
    schema = json.loads((schemas / "scorecard.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_a_scorecard_says_its_format_version_and_the_tool_that_wrote_it() -> None:
    document = scorecard_to_json(score(load_dataset(EXAMPLE), as_of="2012-03-20"))
    assert list(document)[:4] == ["$schema", "kind", "scorecard_format_version", "tool"]
    assert document["scorecard_format_version"] == "1.1"  # 1.1 added recommendations
    assert document["tool"] == {"name": "benchmarkkit", "version": __version__}
    assert list(_scorecard_validator().iter_errors(document)) == []


@pytest.mark.parametrize("key", ["scorecard_format_version", "tool"])
def test_the_schema_refuses_a_scorecard_without_its_versions(key: str) -> None:
    document = scorecard_to_json(score(load_dataset(EXAMPLE), as_of="2012-03-20"))
    del document[key]
    messages = [error.message for error in _scorecard_validator().iter_errors(document)]
    assert any(f"'{key}' is a required property" in message for message in messages)


# -- round trips -----------------------------------------------------------------------------


@pytest.mark.slow
@settings(max_examples=max_examples(2000))
@given(strategies.datasets | strategies.valid_datasets() | scoring_strategies.scoring_datasets())
def test_datasets_round_trip_through_the_converter(dataset: Dataset) -> None:
    document = unstructure(dataset)
    assert converter.structure(document, Dataset) == dataset
    # A document the converter wrote is canonical: read and written again, it is the same text.
    assert _text(unstructure(converter.structure(document, Dataset))) == _text(document)


# -- gate conditions: a union tagged by kind ------------------------------------------------


def test_a_condition_is_written_with_its_kind_first_and_its_defaults_left_out() -> None:
    condition = AllOf(conditions=(AreaCondition(area="a", minimum_score=0.5),), label="both")
    assert unstructure(condition) == {
        "kind": "all-of",
        "conditions": [{"kind": "area", "area": "a", "minimum_score": 0.5}],
        "label": "both",
    }
    assert list(unstructure(condition)) == ["kind", "conditions", "label"]


def test_a_condition_is_read_as_the_class_its_kind_names() -> None:
    document = {"kind": "all-of", "conditions": [{"kind": "benchmark", "benchmark": "b"}]}
    condition: Any = Condition  # a union, which mypy does not take for a type
    assert converter.structure(document, condition) == AllOf(
        conditions=(BenchmarkCondition(benchmark="b"),)
    )


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ([], "expected a condition (a mapping with a kind), found list"),
        ({"area": "a"}, "expected a condition kind among benchmark, area, all-of, any-of, "),
        ({"kind": "nope"}, "at-least, found 'nope'"),
        ({"kind": 3}, "at-least, found 3"),
    ],
)
def test_what_is_no_condition_is_said_in_words(document: Any, words: str) -> None:
    gate = {"id": "g", "title": "G", "condition": {"kind": "any-of", "conditions": [document]}}
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs groups the error
        converter.structure(gate, Gate)
    inner = caught.value.exceptions[0].exceptions[0].exceptions[0]  # type: ignore[attr-defined]
    assert words in str(inner)


def test_a_condition_class_refuses_another_kind() -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - cattrs groups the error
        converter.structure({"kind": "area", "benchmark": "b"}, BenchmarkCondition)
    assert str(caught.value) == "expected a condition of kind 'benchmark', found 'area'"


# -- one converter per caller ----------------------------------------------------------------


def test_a_new_converter_is_configured_alike_and_changes_to_it_stay_in_it() -> None:
    mine = make_converter()
    dataset = load_dataset(EXAMPLE)
    assert _text(mine.unstructure(dataset)) == _text(unstructure(dataset))
    mine.register_unstructure_hook(Dataset, lambda _: "changed")
    assert mine.unstructure(dataset) == "changed"
    assert unstructure(dataset) != "changed"
