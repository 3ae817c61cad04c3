"""Scoring: benchmark scores, area and overall aggregates and gate verdicts, as of a date.

Score a dataset and read how every number was reached::

    from benchmarkkit.scoring import score

    card = score(dataset, as_of="2012-03-20")
    card.overall.score              # in [0, 1], or None when nothing is assessable
    card.benchmark("bm-x").explanation.steps
    card.gates[0].verdict           # Verdict.PASS / FAIL / UNDETERMINED

Add a rule of your own; a dataset (or ``score(rules=[...])``) then names it::

    from benchmarkkit.scoring import RuleOutcome, register_rule

    @register_rule("always-half")
    def always_half(benchmark, context, parameters):
        return RuleOutcome(score=0.5, steps=["every benchmark scores 0.5"])

An installed package ships rules through the ``benchmarkkit.rules`` entry-point
group (aggregations: ``benchmarkkit.aggregations``). The semantics of every
built-in rule and aggregation are in ``docs/scoring.md``.
"""

from benchmarkkit.scoring import _aggregate as _aggregate  # registers the built-in aggregations
from benchmarkkit.scoring import _rules as _rules  # registers the built-in rules
from benchmarkkit.scoring._compare import (
    Change,
    ChangeKind,
    Comparison,
    compare,
    compare_scorecards,
)
from benchmarkkit.scoring._config import check_scoring_config
from benchmarkkit.scoring._context import RuleContext
from benchmarkkit.scoring._errors import (
    InvalidAsOfError,
    InvalidDatasetError,
    InvalidParametersError,
    PluginLoadError,
    RegistrationError,
    ScoringError,
    UnknownRuleError,
)
from benchmarkkit.scoring._explain import Explanation, Input
from benchmarkkit.scoring._gates import ConditionResult, Verdict
from benchmarkkit.scoring._json import SCORECARD_SCHEMA_ID, comparison_to_json, scorecard_to_json
from benchmarkkit.scoring._protocols import (
    AggregateOutcome,
    Aggregation,
    RuleOutcome,
    ScoringRule,
    Status,
)
from benchmarkkit.scoring._registry import (
    AGGREGATIONS_GROUP,
    RULES_GROUP,
    Registered,
    aggregation_info,
    aggregation_names,
    get_aggregation,
    get_rule,
    register_aggregation,
    register_rule,
    rule_info,
    rule_names,
)
from benchmarkkit.scoring._results import (
    AreaResult,
    BenchmarkResult,
    GateVerdict,
    OverallResult,
    Scorecard,
)
from benchmarkkit.scoring._rules import (
    DEFAULT_HALF_LIFE_DAYS,
    DIRECTION_VALUES,
    RELIABILITY_WEIGHTS,
)
from benchmarkkit.scoring._scorecard import score

__all__ = [
    "AGGREGATIONS_GROUP",
    "DEFAULT_HALF_LIFE_DAYS",
    "DIRECTION_VALUES",
    "RELIABILITY_WEIGHTS",
    "RULES_GROUP",
    "SCORECARD_SCHEMA_ID",
    "AggregateOutcome",
    "Aggregation",
    "AreaResult",
    "BenchmarkResult",
    "Change",
    "ChangeKind",
    "Comparison",
    "ConditionResult",
    "Explanation",
    "GateVerdict",
    "Input",
    "InvalidAsOfError",
    "InvalidDatasetError",
    "InvalidParametersError",
    "OverallResult",
    "PluginLoadError",
    "Registered",
    "RegistrationError",
    "RuleContext",
    "RuleOutcome",
    "Scorecard",
    "ScoringError",
    "ScoringRule",
    "Status",
    "UnknownRuleError",
    "Verdict",
    "aggregation_info",
    "aggregation_names",
    "check_scoring_config",
    "compare",
    "compare_scorecards",
    "comparison_to_json",
    "get_aggregation",
    "get_rule",
    "register_aggregation",
    "register_rule",
    "rule_info",
    "rule_names",
    "score",
    "scorecard_to_json",
]
