"""The rule and aggregation registries: decorators, names, entry points and failing plugins."""

from __future__ import annotations

import importlib
import pickle
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from benchmarkkit import Benchmark, BenchmarkkitError, CheckContext
from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit.scoring import RuleContext, RuleOutcome, register_rule, score
from benchmarkkit.scoring._config import check_scoring_config
from benchmarkkit.scoring._errors import (
    InvalidParametersError,
    PluginLoadError,
    RegistrationError,
    ScoringError,
    UnknownRuleError,
)
from benchmarkkit.scoring._registry import (
    AGGREGATIONS,
    AGGREGATIONS_GROUP,
    RULES,
    RULES_GROUP,
    aggregation_names,
    get_rule,
    rule_info,
    rule_names,
)
from tests.scoring_strategies import make_assessment, make_benchmark, make_dataset

BUILT_IN_RULES = {"status-mapping", "indicator-progress", "evidence-based"}
BUILT_IN_AGGREGATIONS = {"weighted-mean", "geometric-mean", "minimum", "share-met"}


@pytest.fixture
def forget() -> Iterator[list[str]]:
    """Names the test registers; they are unregistered afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        RULES.unregister(name)
        AGGREGATIONS.unregister(name)


def test_the_built_in_names_are_registered() -> None:
    assert set(rule_names()) >= BUILT_IN_RULES
    assert set(aggregation_names()) >= BUILT_IN_AGGREGATIONS
    assert rule_info("evidence-based").origin == "built-in"
    assert rule_info("evidence-based").description.startswith("Derive a provisional score")


def test_a_rule_registered_by_decorator_is_used_by_name(forget: list[str]) -> None:
    forget.append("always-half")

    @register_rule("always-half")
    def always_half(
        benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
    ) -> RuleOutcome:
        """Score every benchmark 0.5."""
        return RuleOutcome(score=0.5, steps=["every benchmark scores 0.5"])

    assert get_rule("always-half") is always_half
    dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),))
    result = score(dataset, as_of="2012-03-20", rules=["always-half"]).benchmark("bm-1")
    assert (result.score, result.rule) == (0.5, "always-half")
    assert result.explanation.steps[0] == "every benchmark scores 0.5"
    assert rule_info("always-half").origin.startswith("registered by tests.test_scoring_registry.")


def test_registering_a_taken_name_raises_unless_replacing(forget: list[str]) -> None:
    forget.append("twice")

    def first(benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]) -> None:
        return None

    def second(benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]) -> None:
        return None

    register_rule("twice")(first)
    register_rule("twice")(first)  # the same function again is harmless
    with pytest.raises(RegistrationError, match="already registered"):
        register_rule("twice")(second)
    register_rule("twice", replace=True)(second)
    assert get_rule("twice") is second
    with pytest.raises(RegistrationError, match="already registered"):
        register_rule("status-mapping")(second)


@pytest.mark.parametrize("name", ["My Rule", "pkg.module:function", "", "-leading"])
def test_a_name_a_dataset_cannot_write_is_refused(name: str) -> None:
    with pytest.raises(RegistrationError, match="lowercase"):
        register_rule(name)(lambda benchmark, context, parameters: None)


def test_an_invalid_parameters_schema_is_refused() -> None:
    with pytest.raises(RegistrationError, match="not a valid JSON Schema"):
        register_rule("bad-schema", parameters_schema={"type": "no-such-type"})(
            lambda benchmark, context, parameters: None
        )


def test_parameters_are_checked_against_the_rule_schema() -> None:
    spec = RuleSpec(rule="evidence-based", parameters={"half_life_days": -3})
    with pytest.raises(InvalidParametersError, match="half_life_days") as raised:
        score(make_dataset(), as_of="2012-03-20", rules=[spec])
    assert isinstance(raised.value, ValueError)
    assert isinstance(raised.value, ScoringError)


def test_an_import_path_is_simply_an_unknown_name() -> None:
    with pytest.raises(UnknownRuleError) as raised:
        get_rule("benchmarkkit_never_imported:run")
    assert "benchmarkkit_never_imported" not in sys.modules
    error = raised.value
    assert isinstance(error, LookupError)
    assert isinstance(error, ScoringError)
    assert isinstance(error, BenchmarkkitError)
    assert "status-mapping" in str(error)
    assert error.known == rule_names()
    with pytest.raises(UnknownRuleError, match="os:system"):
        get_rule("os:system")


def test_scoring_with_an_unknown_rule_raises_before_scoring() -> None:
    with pytest.raises(UnknownRuleError, match="no-such-rule"):
        score(make_dataset(), as_of="2012-03-20", rules=["no-such-rule"])
    config = ScoringConfig(overall_aggregation=RuleSpec(rule="status-mapping"))
    with pytest.raises(UnknownRuleError, match="aggregation"):
        score(make_dataset(), as_of="2012-03-20", config=config)


@pytest.mark.parametrize(
    "error",
    [
        UnknownRuleError("x", "rule", ("a", "b")),
        InvalidParametersError("x", ("bad",)),
        PluginLoadError("'x' (m:f)", "could not be loaded"),
        RegistrationError("taken"),
    ],
)
def test_errors_pickle(error: ScoringError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy)) == (type(error), str(error))


# -- entry points ------------------------------------------------------------------------

PLUGIN = '''
"""A package that ships benchmarkkit scoring rules."""

CONSTANT = 3


def always_half(benchmark, context, parameters):
    """Score every benchmark by the parameter "value" (default 0.5)."""
    from benchmarkkit.scoring import RuleOutcome

    return RuleOutcome(score=parameters.get("value", 0.5), steps=["the plugin says so"])


always_half.parameters_schema = {
    "type": "object",
    "properties": {"value": {"type": "number", "minimum": 0, "maximum": 1}},
    "additionalProperties": False,
}


def explode(benchmark, context, parameters):
    raise KeyError("boom")


def junk(benchmark, context, parameters):
    return 0.5


def highest(items, parameters):
    from benchmarkkit.scoring import AggregateOutcome

    scores = [score for score, _ in items if score is not None]
    return AggregateOutcome(score=max(scores) if scores else None, steps=["the highest"])
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forget: list[str]) -> Iterator[str]:
    """Install a distribution 'scoring-plugin' with rules and an aggregation; yield its module."""
    module = f"scoring_plugin_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{module}.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "scoring_plugin-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: scoring-plugin\nVersion: 1.2\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        textwrap.dedent(
            f"""\
            [{RULES_GROUP}]
            plugin-half = {module}:always_half
            plugin-explodes = {module}:explode
            plugin-junk = {module}:junk
            plugin-not-callable = {module}:CONSTANT
            plugin-missing = {module}_missing:rule

            [{AGGREGATIONS_GROUP}]
            plugin-highest = {module}:highest
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    forget.extend(["plugin-half", "plugin-explodes", "plugin-junk", "plugin-highest"])
    yield module
    sys.modules.pop(module, None)


def _two_benchmarks() -> Any:
    return make_dataset(
        benchmarks=(make_benchmark("bm-1"), make_benchmark("bm-2")),
        assessments=(make_assessment("as-1", "bm-2", "2012", "met"),),
    )


def test_a_rule_installed_through_an_entry_point_is_used_by_name(plugin: str) -> None:
    assert "plugin-half" in rule_names()
    assert "plugin-highest" in aggregation_names()
    config = ScoringConfig(
        benchmark_rules=(RuleSpec(rule="plugin-half", parameters={"value": 0.75}),),
        area_aggregation=RuleSpec(rule="plugin-highest"),
    )
    dataset = make_dataset(benchmarks=(make_benchmark("bm-1"),), scoring=config)
    card = score(dataset, as_of="2012-03-20")
    result = card.benchmark("bm-1")
    assert (result.score, result.rule) == (0.75, "plugin-half")
    assert result.explanation.steps[0] == "the plugin says so"
    assert card.area("area-1").explanation.rule == "plugin-highest"
    assert card.problems == ()
    info = rule_info("plugin-half")
    assert info.plugin is not None
    assert "scoring-plugin 1.2" in info.plugin
    assert info.origin.startswith("entry point")


def test_an_entry_point_rule_keeps_its_parameter_schema(plugin: str) -> None:
    with pytest.raises(InvalidParametersError, match="value"):
        score(
            make_dataset(),
            as_of="2012-03-20",
            rules=[RuleSpec(rule="plugin-half", parameters={"value": 3})],
        )


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("plugin-explodes", "raised KeyError: 'boom'"),
        ("plugin-junk", "returned float, not a RuleOutcome or None"),
        ("plugin-missing", "could not be loaded: ModuleNotFoundError"),
        ("plugin-not-callable", "is not callable"),
    ],
)
def test_a_failing_plugin_is_reported_and_never_crashes(plugin: str, rule: str, says: str) -> None:
    card = score(_two_benchmarks(), as_of="2012-03-20", rules=[rule, "status-mapping"])
    assert [p.code for p in card.problems] == ["plugin-failed"]
    problem = card.problems[0]
    assert says in problem.message
    assert rule in problem.message
    assert problem.plugin == rule
    for benchmark_id in ("bm-1", "bm-2"):
        result = card.benchmark(benchmark_id)
        assert result.score is None
        assert result.rule == rule
        assert any(says in step for step in result.explanation.steps)


def test_checking_a_configuration_reports_a_plugin_that_cannot_load(plugin: str) -> None:
    config = ScoringConfig(
        benchmark_rules=(RuleSpec(rule="plugin-missing"), RuleSpec(rule="plugin-half"))
    )
    context = CheckContext(root=None, dataset_file="dataset.yaml")
    problems = list(check_scoring_config(make_dataset(scoring=config), context))
    assert [(p.code, p.pointer, p.plugin) for p in problems] == [
        ("plugin-failed", "/scoring/benchmark_rules/0/rule", "plugin-missing")
    ]
    assert "scoring-plugin 1.2" in problems[0].message
