"""Scoring: benchmark scores, area and overall aggregates and gate verdicts, as of a date.

Score a dataset and read how every number was reached::

    from benchmarkkit.scoring import score

    card = score(dataset, as_of="2012-03-20")
    card.overall.score              # in [0, 1], or None when nothing is assessable
    card.benchmark("bm-x").explanation.steps
    card.gates[0].verdict           # Verdict.PASS / FAIL / UNDETERMINED
    card.recommendations.overall.count("supported")  # None without recommendations

Add a rule of your own; a dataset (or ``score(rules=[...])``) then names it::

    from benchmarkkit.scoring import RuleOutcome, register_rule

    @register_rule("always-half")
    def always_half(benchmark, context, parameters):
        return RuleOutcome(score=0.5, steps=["every benchmark scores 0.5"])

An installed package ships rules through the ``benchmarkkit.rules`` entry-point
group (aggregations: ``benchmarkkit.aggregations``). The semantics of every
built-in rule and aggregation are in ``docs/scoring.md``.
"""

from benchmarkkit import _lazy
from benchmarkkit.scoring import _aggregate as _aggregate  # registers the built-in aggregations
from benchmarkkit.scoring import _rules as _rules  # registers the built-in rules

# What type checkers see: `_EXPORTS` below, written as imports (tests/test_public_api.py).
TYPE_CHECKING = False  # without importing typing
if TYPE_CHECKING:
    from benchmarkkit.scoring._compare import Comparison as Comparison
    from benchmarkkit.scoring._compare import compare as compare
    from benchmarkkit.scoring._context import RuleContext as RuleContext
    from benchmarkkit.scoring._explain import Input as Input
    from benchmarkkit.scoring._json import comparison_to_json as comparison_to_json
    from benchmarkkit.scoring._json import scorecard_to_json as scorecard_to_json
    from benchmarkkit.scoring._protocols import AggregateOutcome as AggregateOutcome
    from benchmarkkit.scoring._protocols import Aggregation as Aggregation
    from benchmarkkit.scoring._protocols import RuleOutcome as RuleOutcome
    from benchmarkkit.scoring._protocols import ScoringRule as ScoringRule
    from benchmarkkit.scoring._registry import get_aggregation as get_aggregation
    from benchmarkkit.scoring._registry import register_aggregation as register_aggregation
    from benchmarkkit.scoring._registry import register_rule as register_rule
    from benchmarkkit.scoring._results import Scorecard as Scorecard
    from benchmarkkit.scoring._scorecard import score as score

# The public API of scoring: each name and the private module it lives in; the one list,
# which makes `__all__` and `dir()` and imports each name on first use.
_EXPORTS: dict[str, str] = {
    # Score a dataset, compare two dates, and the JSON form.
    "score": "benchmarkkit.scoring._scorecard",
    "Scorecard": "benchmarkkit.scoring._results",
    "compare": "benchmarkkit.scoring._compare",
    "Comparison": "benchmarkkit.scoring._compare",
    "scorecard_to_json": "benchmarkkit.scoring._json",
    "comparison_to_json": "benchmarkkit.scoring._json",
    # Rules and aggregations of your own.
    "ScoringRule": "benchmarkkit.scoring._protocols",
    "RuleContext": "benchmarkkit.scoring._context",
    "RuleOutcome": "benchmarkkit.scoring._protocols",
    "Input": "benchmarkkit.scoring._explain",
    "register_rule": "benchmarkkit.scoring._registry",
    "Aggregation": "benchmarkkit.scoring._protocols",
    "AggregateOutcome": "benchmarkkit.scoring._protocols",
    "register_aggregation": "benchmarkkit.scoring._registry",
    "get_aggregation": "benchmarkkit.scoring._registry",
}
if not TYPE_CHECKING:  # type checkers see the imports above, and no other name
    __all__, __getattr__, __dir__ = _lazy.lazy_exports(__name__, _EXPORTS, globals())
del TYPE_CHECKING
