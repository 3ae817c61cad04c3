"""Scoring that is honest: no overflow, no silent scoring of invalid data, true comparisons,
gate lines that name levels and deciding conditions, and plain words for rule authors."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit import EvidenceDirection
from benchmarkkit._conditions import (
    AllOf,
    AtLeast,
    BenchmarkCondition,
    Gate,
    RuleSpec,
    ScoringConfig,
)
from benchmarkkit.scoring import RuleOutcome, compare, register_rule, score, scorecard_to_json
from benchmarkkit.scoring._aggregate import geometric_mean, weighted_mean
from benchmarkkit.scoring._compare import ChangeKind, compare_scorecards
from benchmarkkit.scoring._errors import InvalidDatasetError, InvalidParametersError, ScoringError
from benchmarkkit.scoring._gates import Verdict
from benchmarkkit.scoring._json import comparison_to_json
from benchmarkkit.scoring._registry import RULES
from tests.conftest import EXAMPLE
from tests.scoring_strategies import make_assessment, make_benchmark, make_dataset, make_evidence


def _areas_with_weight(folder: Path, weight: str) -> None:
    areas = folder / "areas.yaml"
    text = areas.read_text("utf-8")
    for title in ("Political participation\n", "Media freedoms\n"):
        text = text.replace(f"    title: {title}", f"    title: {title}    weight: {weight}\n", 1)
    areas.write_text(text, "utf-8")


# -- built-in rules never overflow on schema-valid input -----------------------------------


def test_huge_schema_valid_area_weights_score_without_overflow(tmp_path: Path, cli: Any) -> None:
    folder = tmp_path / "kz"
    shutil.copytree(EXAMPLE, folder)
    _areas_with_weight(folder, "1e308")
    run = cli("score", folder, "--as-of", "2012-03-20", "--format", "json")
    assert run.status == 0, run.err
    assert "plugin" not in run.err
    card = json.loads(run.out)
    assert card["problems"] == []
    # Political participation (0.33) and Media freedoms (0) weigh 1e308 each; the rest weigh
    # next to nothing beside them.
    assert card["overall"]["score"] == pytest.approx(0.165)
    assert any("divided by 2^" in step for step in card["overall"]["explanation"]["steps"])


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.floats(0, 1.7976931348623157e308, allow_nan=False, allow_infinity=False),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_built_in_means_stay_finite_and_in_bounds_for_any_finite_weights(
    items: list[tuple[float, float]],
) -> None:
    for aggregation in (weighted_mean, geometric_mean):
        outcome = aggregation(items, {})
        if outcome.score is not None:
            assert 0.0 <= outcome.score <= 1.0
            assert all(math.isfinite(value) for value in outcome.intermediate.values())
            assert "inf" not in " ".join(outcome.steps)


def test_weights_that_fit_give_the_same_mean_as_before() -> None:
    outcome = weighted_mean([(0.5, 2.0), (0.25, 3.0)], {})
    assert outcome.score == (2.0 * 0.5 + 3.0 * 0.25) / 5.0
    assert outcome.intermediate == {"sum_of_weighted_scores": 1.75, "sum_of_weights": 5.0}


def test_a_failing_built_in_aggregation_is_not_called_a_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from benchmarkkit.scoring._registry import AGGREGATIONS

    entry = AGGREGATIONS.lookup("weighted-mean")

    def broken(items: Any, parameters: Any) -> Any:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(
        AGGREGATIONS._entries, "weighted-mean", attrs.evolve(entry, function=broken)
    )
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met"),),
    )
    card = score(dataset, as_of="2012-03-20")
    problem = card.problems[0]
    assert problem.code == "rule-failed"
    assert problem.plugin is None
    assert problem.message == (
        "the built-in aggregation 'weighted-mean' raised ZeroDivisionError: division by zero"
    )
    assert "plugin" not in (problem.hint or "")
    assert "rest of the scorecard" in (problem.hint or "")


def test_a_plugin_rule_that_fails_while_scoring_gets_a_scoring_hint() -> None:
    @register_rule("test-honest-raises")
    def raises(benchmark: Any, context: Any, parameters: Any) -> RuleOutcome:
        raise KeyError("x")

    try:
        dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),))
        card = score(dataset, as_of="2012-03-20", rules=["test-honest-raises"])
    finally:
        RULES.unregister("test-honest-raises")
    problem = card.problems[0]
    assert problem.code == "rule-failed"
    assert "validation" not in (problem.hint or "")
    assert "not assessable" in (problem.hint or "")
    assert card.benchmark("bm-1").explanation.steps[-1] == (
        "The rule failed: the rule 'test-honest-raises' (registered by "
        "tests.test_scoring_honest.test_a_plugin_rule_that_fails_while_scoring_gets_a_scoring_hint"
        ".<locals>.raises) raised KeyError: 'x'. bm-1 is not assessable."
    )


# -- score() refuses an invalid dataset ----------------------------------------------------


def test_score_refuses_a_dataset_with_errors_and_carries_the_problems() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met", scale="no-such-scale"),),
    )
    with pytest.raises(InvalidDatasetError) as caught:
        score(dataset, as_of="2012-03-20")
    error = caught.value
    assert isinstance(error, ScoringError)
    assert isinstance(error, ValueError)
    assert [problem.code for problem in error.problems] == ["unknown-reference"]
    assert str(error).startswith("the dataset 'example' has 1 error, so it cannot be scored: ")
    assert "no-such-scale" in str(error)
    with pytest.raises(InvalidDatasetError):
        compare(dataset, "2012-01-01", "2012-03-20")


def test_the_refusal_names_the_way_to_list_a_typed_datasets_problems() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met", scale="no-such-scale"),),
    )
    with pytest.raises(InvalidDatasetError) as caught:
        score(dataset, as_of="2012-03-20")
    message = str(caught.value)
    assert message.endswith(". benchmarkkit.validate(dataset) lists them all")
    assert "validate_data" not in message
    # What the message names does what it says: it lists the problems of the typed dataset.
    listed = benchmarkkit.validate(dataset).problems
    assert [p.message for p in listed if p.severity.value == "error"] == [
        p.message for p in caught.value.problems
    ]


def test_score_skips_validation_for_a_caller_that_already_validated() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met", scale="no-such-scale"),),
    )
    card = score(dataset, as_of="2012-03-20", validated=True)
    assert card.benchmark("bm-1").score is None


def test_compare_validates_once_not_per_date(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarkkit import _validate

    calls = []
    real = _validate.validate

    def counting(dataset: Any, **options: Any) -> Any:
        calls.append(dataset.id)
        return real(dataset, **options)

    monkeypatch.setattr(_validate, "validate", counting)
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met"),),
    )
    compare(dataset, "2011-01-01", "2012-03-20")
    assert calls == ["example"]


def test_a_dataset_with_an_infinite_weight_is_refused_not_written_as_inf() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1", weight=math.inf),),
        assessments=(make_assessment("as-1", "bm-1", "2012-01", "met"),),
    )
    with pytest.raises(InvalidDatasetError) as caught:
        score(dataset, as_of="2012-03-20")
    assert "inf" in str(caught.value)


def test_an_infinite_rule_parameter_is_refused_by_name() -> None:
    dataset = make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(make_evidence("ev-1", ("bm-1",), "2012-01-01", EvidenceDirection.PROGRESS),),
    )
    spec = RuleSpec(rule="evidence-based", parameters={"half_life_days": 1e400})
    with pytest.raises(InvalidParametersError) as caught:
        score(dataset, as_of="2012-03-20", rules=[spec])
    assert caught.value.messages == (
        "the parameter 'half_life_days' must be a finite number, not inf",
    )


def test_a_rule_input_can_never_hold_inf() -> None:
    @register_rule("test-honest-inf")
    def infinite(benchmark: Any, context: Any, parameters: Any) -> RuleOutcome:
        from benchmarkkit.scoring import Input

        return RuleOutcome(score=0.5, inputs=[Input(kind="reading", id="x", value=math.inf)])

    try:
        dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),))
        card = score(dataset, as_of="2012-03-20", rules=["test-honest-inf"])
    finally:
        RULES.unregister("test-honest-inf")
    assert card.benchmark("bm-1").score is None
    document = json.dumps(scorecard_to_json(card), allow_nan=False)
    assert '"inf"' not in document
    assert [problem.code for problem in card.problems] == ["rule-failed"]


# -- comparisons ---------------------------------------------------------------------------


def _first_assessed(level: str) -> Any:
    return make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        assessments=(make_assessment("as-1", "bm-1", "2012-02", level),),
    )


def test_a_first_assessment_at_the_lowest_level_is_a_regression_from_no_assessment() -> None:
    change = compare(_first_assessed("regressing"), "2012-01-01", "2012-03-20").benchmarks[0]
    assert change.kind is ChangeKind.REGRESSED
    assert change.summary == (
        "benchmark bm-1 regressed (backsliding) from no assessment to 0 (Regressing), "
        "the lowest level of its scale."
    )
    first = compare(_first_assessed("partly-met"), "2012-01-01", "2012-03-20").benchmarks[0]
    assert first.kind is ChangeKind.NEW


def _provisional_then_assessed() -> Any:
    return make_dataset(
        benchmarks=(make_benchmark("bm-1"),),
        evidence=(
            make_evidence("ev-1", ("bm-1",), "2012-01-01", EvidenceDirection.PROGRESS),
            make_evidence("ev-2", ("bm-1",), "2012-01-01", EvidenceDirection.REGRESSION),
        ),
        assessments=(make_assessment("as-1", "bm-1", "2012-03-01", "not-met"),),
    )


def test_a_provisional_score_and_an_assessed_one_are_of_different_kinds() -> None:
    comparison = compare(_provisional_then_assessed(), "2012-02-01", "2012-03-20")
    change = comparison.benchmarks[0]
    assert (change.before, change.after) == (0.5, 0.25)
    assert change.kind is ChangeKind.DIFFERENT_KIND
    assert change.summary == (
        "benchmark bm-1 was 0.5 (provisional, from evidence) and is now 0.25 (Not met, "
        "assessed): scores of different kinds, so the difference is not counted as a change."
    )
    assert comparison.changes("regressed") == (comparison.areas[0], comparison.overall)


def test_the_kazakhstan_drop_from_provisional_to_assessed_is_not_called_a_regression() -> None:
    dataset = benchmarkkit.load_dataset(EXAMPLE)
    change = compare(dataset, "2012-01-01", "2012-03-20").benchmarks[2]
    assert change.id == "bm-pluralistic-elections"
    assert change.before == pytest.approx(0.3333, abs=1e-4)
    assert change.after == 0.33
    assert change.kind is ChangeKind.UNCHANGED
    assert change.summary.endswith("less than the materiality threshold 0.01.")
    every = compare(dataset, "2012-01-01", "2012-03-20", materiality=0).benchmarks[2]
    assert every.kind is ChangeKind.DIFFERENT_KIND
    assert every.summary == (
        "benchmark bm-pluralistic-elections was 0.333 (provisional, from evidence) and is now "
        "0.33 (Not met, assessed): scores of different kinds, so the difference is not counted "
        "as a change."
    )


def test_a_difference_below_the_materiality_threshold_is_not_a_change() -> None:
    first = score(_first_assessed("not-met"), as_of="2012-03-20")
    second = attrs.evolve(
        first,
        overall=attrs.evolve(first.overall, score=0.247),
    )
    comparison = compare_scorecards(first, second)
    assert comparison.materiality == 0.01
    assert comparison.overall.kind is ChangeKind.UNCHANGED
    assert comparison.overall.summary == (
        "The overall score is unchanged: 0.25 to 0.247 differs by 0.003, less than the "
        "materiality threshold 0.01."
    )
    strict = compare_scorecards(first, second, materiality=0)
    assert strict.overall.kind is ChangeKind.REGRESSED
    assert comparison_to_json(comparison)["materiality"] == 0.01
    with pytest.raises(ScoringError, match="materiality"):
        compare_scorecards(first, second, materiality=1.5)


def test_score_compare_takes_a_materiality_threshold(cli: Any) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01",
        "--materiality", "0.5", "--format", "json",
    )  # fmt: skip
    assert run.status == 0, run.err
    document = json.loads(run.out)
    assert document["materiality"] == 0.5
    refused = cli("score", EXAMPLE, "--compare", "2012-01-01", "--materiality", "2")
    assert refused.status == 2
    assert "--materiality" in refused.err
    assert "from 0 up to 1" in refused.err


MATERIALITY_ALONE = (
    "--materiality only matters with --compare (it is the smallest difference between "
    "the two dates that counts as a change): add --compare DATE, or leave --materiality out"
)


@pytest.mark.parametrize("output", ["table", "json"])
def test_score_refuses_materiality_without_compare(cli: Any, output: str) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--materiality", "0.05", "--format", output
    )  # fmt: skip
    assert run.status == 2
    assert run.out == ""
    assert run.err == f"benchmarkkit score: error: {MATERIALITY_ALONE}\n"


def test_report_refuses_materiality_without_compare(tmp_path: Path, cli: Any) -> None:
    target = tmp_path / "report.md"
    run = cli("report", EXAMPLE, "--as-of", "2012-03-20", "--materiality", "0", "-o", target)
    assert run.status == 2
    assert run.err == f"benchmarkkit report: error: {MATERIALITY_ALONE}\n"
    assert not target.exists()


def test_compare_without_materiality_uses_the_default(cli: Any) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01", "--format", "json"
    )  # fmt: skip
    assert run.status == 0, run.err
    assert json.loads(run.out)["materiality"] == 0.01


# -- gates ---------------------------------------------------------------------------------


def test_the_example_gate_lines_name_the_needed_and_the_found_level(cli: Any) -> None:
    run = cli("score", EXAMPLE, "--as-of", "2012-03-20")
    assert run.status == 0, run.err
    text = " ".join(run.out.split())
    assert (
        "fail Political participation: 0 of 3 hold, 3 do not, 0 undetermined; all must hold, "
        "so it fails on: bm-election-law has Not met (0.33), needs Met (1); "
        "bm-opposition-parties has Not met (0.33), needs Met (1); "
        "bm-pluralistic-elections has Not met (0.33), needs Met (1)"
    ) in text


def _labelled_gate() -> Any:
    leaves = tuple(
        BenchmarkCondition(
            benchmark=f"bm-{n}", scale="status", minimum_level="partly-met", label=f"Leaf {n}"
        )
        for n in range(1, 5)
    )
    return make_dataset(
        benchmarks=tuple(make_benchmark(f"bm-{n}") for n in range(1, 5)),
        assessments=(
            make_assessment("as-1", "bm-1", "2012-01", "met"),
            make_assessment("as-2", "bm-2", "2012-01", "partly-met"),
            make_assessment("as-3", "bm-3", "2012-01", "regressing"),
            make_assessment("as-4", "bm-4", "2012-01", "not-met"),
        ),
        gates=(
            Gate(id="gate-1", title="Two of four", condition=AtLeast(count=2, conditions=leaves)),
        ),
    )


def test_a_labelled_condition_still_names_both_levels() -> None:
    card = score(_labelled_gate(), as_of="2012-03-20")
    leaf = card.gate("gate-1").condition.children[2]
    assert leaf.label == "Leaf 3"
    assert leaf.detail == "bm-3 has Regressing (0), needs Partly met (0.6)"


def test_at_least_says_which_conditions_decided_and_counts_only_those() -> None:
    gate = score(_labelled_gate(), as_of="2012-03-20").gate("gate-1")
    assert gate.verdict is Verdict.PASS
    assert gate.condition.decided_by == (0, 1)
    assert gate.condition.detail == (
        "2 of 4 hold, 2 do not, 0 undetermined; at least 2 must hold, so it passes on: "
        "bm-1 has Met (1), needs Partly met (0.6); bm-2 has Partly met (0.6), needs Partly met "
        "(0.6)"
    )


def test_all_of_fails_on_its_failing_conditions_only() -> None:
    dataset = attrs.evolve(
        _labelled_gate(),
        gates=(
            Gate(
                id="gate-1",
                title="All",
                condition=AllOf(
                    conditions=(
                        BenchmarkCondition(benchmark="bm-1", minimum_score=0.5),
                        BenchmarkCondition(benchmark="bm-3", minimum_score=0.5),
                    )
                ),
            ),
        ),
    )
    condition = score(dataset, as_of="2012-03-20").gate("gate-1").condition
    assert condition.decided_by == (1,)
    assert condition.detail.endswith(
        "all must hold, so it fails on: bm-3 has Regressing (0), needs a score of 0.5"
    )


def test_score_compare_shows_the_gate_reasons(cli: Any) -> None:
    run = cli("score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01")
    assert run.status == 0, run.err
    text = " ".join(run.out.split())
    assert "fail -> fail (unchanged)" in text
    assert "so it fails on: bm-election-law has Not met (0.33), needs Met (1)" in text
    markdown = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01", "--format",
        "markdown",
    )  # fmt: skip
    assert "so it fails on: Political participation" in markdown.out


def test_score_compare_as_csv_keeps_the_gate_reasons(cli: Any) -> None:
    run = cli(
        "score", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01", "--format", "csv"
    )  # fmt: skip
    assert run.status == 0, run.err
    rows = list(csv.DictReader(io.StringIO(run.out)))
    [gate] = [row for row in rows if row["subject"] == "gate"]
    assert gate["change"] == "unchanged"
    assert gate["summary"].startswith(
        "gate gate-pca-conditionality is unchanged: fail. As of the later date, Every benchmark "
        "met in every area of concern: 0 of 6 hold, 6 do not, 0 undetermined; all must hold, so "
        "it fails on: Political participation; "
    )


# -- for rule authors ----------------------------------------------------------------------


def test_rule_outcome_refuses_steps_given_as_one_text() -> None:
    with pytest.raises(TypeError, match="must be a list of steps, not one text"):
        RuleOutcome(score=0.5, steps="every benchmark scores 0.5")  # type: ignore[arg-type]
    assert RuleOutcome(score=0.5, steps=["one", "two"]).steps == ("one", "two")


def test_list_rules_shows_each_rules_parameters(cli: Any) -> None:
    run = cli("score", "--list-rules")
    assert run.status == 0
    assert "    half_life_days (number, above 0; default 365): Days after which" in run.out
    assert "    ceiling (number, 0 to 1; default 1): The score of evidence" in run.out
    assert "\nstatus-mapping      Score a benchmark by the value of the level its latest" in run.out
    assert "    (no parameters)" in run.out


def test_invalid_rule_parameters_name_the_parameter_with_did_you_mean() -> None:
    config = ScoringConfig(
        benchmark_rules=(
            RuleSpec(rule="evidence-based", parameters={"half_life": 30, "ceiling": 2}),
        )
    )
    dataset = attrs.evolve(make_dataset(benchmarks=(make_benchmark("bm-1"),)), scoring=config)
    report = benchmarkkit.validate_data(benchmarkkit.unstructure(dataset))
    found = [(p.message, p.pointer) for p in report.problems if p.code == "invalid-rule-parameters"]
    assert found == [
        (
            (
                "the rule 'evidence-based': there is no parameter 'half_life'; did you mean "
                "'half_life_days'? It takes: half_life_days, ceiling, reliability_weights"
            ),
            "/scoring/benchmark_rules/0/parameters",
        ),
        (
            "the rule 'evidence-based': the parameter 'ceiling' must be at most 1, not 2",
            "/scoring/benchmark_rules/0/parameters/ceiling",
        ),
    ]


def test_nested_rule_parameters_are_named_by_their_path() -> None:
    spec = RuleSpec(rule="evidence-based", parameters={"reliability_weights": {"unsure": "x"}})
    with pytest.raises(InvalidParametersError) as caught:
        score(make_dataset(benchmarks=(make_benchmark("bm-1"),)), rules=[spec])
    assert caught.value.messages == (
        "the parameter 'reliability_weights/unsure' must be a number, not the text 'x'",
    )
