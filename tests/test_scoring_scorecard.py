"""score(): dates, configuration, failures, and the JSON form of a scorecard."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

import jsonschema
import pytest

from benchmarkkit import CheckContext, EvidenceDirection
from benchmarkkit._conditions import AllOf, BenchmarkCondition, Gate, RuleSpec, ScoringConfig
from benchmarkkit.scoring import (
    AggregateOutcome,
    Scorecard,
    compare,
    register_aggregation,
    score,
    scorecard_to_json,
)
from benchmarkkit.scoring._config import check_scoring_config
from benchmarkkit.scoring._errors import InvalidAsOfError, InvalidDatasetError
from benchmarkkit.scoring._gates import Verdict
from benchmarkkit.scoring._json import SCORECARD_SCHEMA_ID, comparison_to_json
from benchmarkkit.scoring._registry import AGGREGATIONS
from tests.scoring_strategies import make_assessment, make_benchmark, make_dataset, make_evidence


def _dataset() -> Any:
    return make_dataset(
        benchmarks=(make_benchmark("bm-1"), make_benchmark("bm-2"), make_benchmark("bm-3")),
        assessments=(
            make_assessment("as-1", "bm-1", "2012-01", "partly-met"),
            make_assessment("as-2", "bm-1", "2011", "not-met"),
        ),
        evidence=(make_evidence("ev-1", ("bm-2",), "2012-02-01", EvidenceDirection.PROGRESS),),
        gates=(
            Gate(
                id="gate-1",
                title="The gate",
                applies_to="the agreement",
                condition=AllOf(
                    conditions=(
                        BenchmarkCondition(
                            benchmark="bm-1", scale="status", minimum_level="partly-met"
                        ),
                        BenchmarkCondition(benchmark="bm-3", minimum_score=0.5),
                    )
                ),
            ),
        ),
    )


@pytest.mark.parametrize(
    "as_of", ["2012-03-20", dt.date(2012, 3, 20), dt.datetime(2012, 3, 20, 23, 59)]
)
def test_the_as_of_date_may_be_a_date_or_text(as_of: Any) -> None:
    assert score(_dataset(), as_of=as_of).as_of == dt.date(2012, 3, 20)


def test_without_a_date_the_scorecard_is_for_today() -> None:
    assert score(_dataset()).as_of == dt.date.today()


@pytest.mark.parametrize("as_of", ["2012-02-30", "20 March 2012", "2012-03", "2012", 2012])
def test_a_bad_as_of_date_is_refused_clearly(as_of: Any) -> None:
    with pytest.raises(InvalidAsOfError, match="YYYY-MM-DD") as raised:
        score(_dataset(), as_of=as_of)
    assert isinstance(raised.value, ValueError)


def test_the_scorecard_describes_the_dataset_and_the_day() -> None:
    card = score(_dataset(), as_of="2012-03-20")
    assert (card.dataset_id, card.title, card.subject) == (
        "example",
        "An example dataset",
        "Examplestan",
    )
    assert card.config == ScoringConfig()
    assert len(card.fingerprint) == 64
    assert [b.benchmark_id for b in card.benchmarks] == ["bm-1", "bm-2", "bm-3"]
    assert [b.score for b in card.benchmarks] == [0.6, 1.0, None]
    assert card.gate("gate-1").verdict is Verdict.UNDETERMINED
    with pytest.raises(KeyError):
        card.benchmark("bm-99")


def test_the_configuration_comes_from_the_caller_then_the_dataset_then_the_defaults() -> None:
    own = ScoringConfig(benchmark_rules=(RuleSpec(rule="evidence-based"),), met_threshold=0.5)
    dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),), scoring=own)
    assert score(dataset, as_of="2012-03-20").config == own
    other = ScoringConfig(met_threshold=0.75)
    assert score(dataset, as_of="2012-03-20", config=other).config == other
    overridden = score(dataset, as_of="2012-03-20", rules=["status-mapping"]).config
    assert overridden.benchmark_rules == (RuleSpec(rule="status-mapping"),)
    assert overridden.met_threshold == 0.5


def test_met_reaches_the_threshold_despite_rounding() -> None:
    config = ScoringConfig(met_threshold=0.6)
    card = score(_dataset(), as_of="2012-03-20", config=config)
    assert card.benchmark("bm-1").met is True
    assert card.benchmark("bm-1").explanation.steps[-1] == (
        "Met: yes (score 0.6 reaches the met threshold 0.6)."
    )


@pytest.fixture
def failing_aggregation() -> Iterator[str]:
    @register_aggregation("test-fails")
    def fails(
        items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any]
    ) -> AggregateOutcome:
        raise ZeroDivisionError("no")

    yield "test-fails"
    AGGREGATIONS.unregister("test-fails")


def test_an_aggregation_that_raises_is_reported_and_its_result_not_assessable(
    failing_aggregation: str,
) -> None:
    config = ScoringConfig(area_aggregation=RuleSpec(rule=failing_aggregation))
    card = score(_dataset(), as_of="2012-03-20", config=config)
    assert card.area("area-1").score is None
    assert card.overall.score is None
    assert [p.code for p in card.problems] == ["rule-failed"]
    assert card.problems[0].message == (
        "the aggregation 'test-fails' (registered by tests.test_scoring_scorecard."
        "failing_aggregation.<locals>.fails) raised ZeroDivisionError: no"
    )
    assert card.problems[0].plugin is None
    assert card.area("area-1").explanation.steps[-1].startswith("The aggregation failed")


def test_a_gate_naming_an_unknown_benchmark_is_undetermined_and_validation_reports_it() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        gates=(
            Gate(
                id="g", title="G", condition=BenchmarkCondition(benchmark="bm-9", minimum_score=1)
            ),
        ),
    )
    # Validation refuses such a dataset; scoring it anyway (validated=True) says why the
    # gate is undetermined, and leaves reporting the reference to validation.
    card = score(dataset, as_of="2012-03-20", validated=True)
    assert card.gate("g").verdict is Verdict.UNDETERMINED
    assert card.gate("g").condition.detail == "the dataset has no benchmark 'bm-9'"
    assert [p.code for p in card.problems] == []
    with pytest.raises(InvalidDatasetError) as raised:
        score(dataset, as_of="2012-03-20")
    assert [(p.code, p.pointer) for p in raised.value.problems] == [
        ("unknown-reference", "/gates/0/condition/benchmark")
    ]


# -- the JSON form -----------------------------------------------------------------------


def _schema() -> Any:
    text = (resources.files("benchmarkkit") / "schemas" / "scorecard.schema.json").read_text(
        "utf-8"
    )
    return json.loads(text)


def _validator() -> jsonschema.Draft202012Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_schema_has_the_published_id_and_describes_every_property() -> None:
    schema = _schema()
    assert (
        schema["$id"]
        == SCORECARD_SCHEMA_ID
        == "https://schemas.benchmarkkit.org/1.1/scorecard.schema.json"
    )
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    for node in objects(schema["$defs"]):
        for name, prop in node.get("properties", {}).items():
            assert "description" in prop, name
        if "properties" in node:
            assert node["additionalProperties"] is False


def test_a_scorecard_in_json_is_valid_against_the_schema() -> None:
    card = score(_dataset(), as_of="2012-03-20")
    document = json.loads(json.dumps(scorecard_to_json(card)))
    assert sorted(_validator().iter_errors(document), key=str) == []
    assert list(document) == [
        "$schema",
        "kind",
        "scorecard_format_version",
        "tool",
        "dataset_id",
        "title",
        "subject",
        "as_of",
        "fingerprint",
        "config",
        "overall",
        "areas",
        "benchmarks",
        "gates",
        "problems",
    ]
    assert document["as_of"] == "2012-03-20"
    assert document["benchmarks"][0]["score"] == 0.6
    assert document["benchmarks"][0]["status"] == {
        "level": "partly-met",
        "label": "Partly met",
        "scale": "status",
    }
    assert document["gates"][0]["verdict"] == "undetermined"


def test_a_scorecard_with_problems_is_valid_against_the_schema(failing_aggregation: str) -> None:
    config = ScoringConfig(area_aggregation=RuleSpec(rule=failing_aggregation))
    document = scorecard_to_json(score(_dataset(), as_of="2012-03-20", config=config))
    assert document["problems"][0]["code"] == "rule-failed"
    assert list(_validator().iter_errors(document)) == []


def test_a_comparison_in_json_is_valid_against_the_schema() -> None:
    document = comparison_to_json(compare(_dataset(), "2011-06-01", "2012-03-20"))
    assert document["kind"] == "comparison"
    assert list(_validator().iter_errors(json.loads(json.dumps(document)))) == []


def test_the_schema_rejects_what_a_scorecard_cannot_be() -> None:
    document = scorecard_to_json(score(_dataset(), as_of="2012-03-20"))
    document["benchmarks"][0]["score"] = 1.5
    document["as_of"] = "2012-02-30"
    document["surprise"] = True
    messages = {error.message for error in _validator().iter_errors(document)}
    assert any("1.5" in m for m in messages)
    assert any("2012-02-30" in m for m in messages)
    assert any("surprise" in m for m in messages)


def test_a_scorecard_is_plain_data(tmp_path: Any) -> None:
    card: Scorecard = score(_dataset(), as_of="2012-03-20")
    assert scorecard_to_json(card) == scorecard_to_json(score(_dataset(), as_of="2012-03-20"))


# -- checking a dataset's scoring configuration --------------------------------------------


def _problems(config: ScoringConfig) -> list[tuple[str, str, str | None]]:
    context = CheckContext(root=None, dataset_file="dataset.yaml")
    dataset = make_dataset(scoring=config)
    return [(p.code, p.pointer, p.file) for p in check_scoring_config(dataset, context)]


def test_a_valid_configuration_has_no_problem() -> None:
    assert _problems(ScoringConfig(area_aggregation=RuleSpec(rule="share-met"))) == []
    context = CheckContext(root=None, dataset_file="dataset.yaml")
    assert list(check_scoring_config(make_dataset(), context)) == []


def test_unknown_rule_names_are_reported_where_they_are_written() -> None:
    config = ScoringConfig(
        benchmark_rules=(RuleSpec(rule="status-mapping"), RuleSpec(rule="my_pkg.rules:score")),
        overall_aggregation=RuleSpec(rule="status-mapping"),
    )
    assert _problems(config) == [
        ("unknown-rule", "/scoring/benchmark_rules/1/rule", "dataset.yaml"),
        ("unknown-rule", "/scoring/overall_aggregation/rule", "dataset.yaml"),
    ]
    context = CheckContext(root=None, dataset_file="dataset.yaml")
    messages = [p.message for p in check_scoring_config(make_dataset(scoring=config), context)]
    assert "is a benchmark rule, not an aggregation" in messages[1]
    assert "status-mapping" in messages[0]


def test_parameters_a_rule_refuses_are_reported() -> None:
    config = ScoringConfig(
        benchmark_rules=(
            RuleSpec(rule="evidence-based", parameters={"half_life_days": -3, "colour": "red"}),
        ),
        area_aggregation=RuleSpec(rule="minimum", parameters={"threshold": 0.5}),
    )
    found = _problems(config)
    assert (
        "invalid-rule-parameters",
        "/scoring/benchmark_rules/0/parameters/half_life_days",
        "dataset.yaml",
    ) in found
    assert (
        "invalid-rule-parameters",
        "/scoring/benchmark_rules/0/parameters",
        "dataset.yaml",
    ) in found
    assert (
        "invalid-rule-parameters",
        "/scoring/area_aggregation/parameters",
        "dataset.yaml",
    ) in found
    assert len(found) == 3
