"""The JSON form of scorecards and comparisons, as described by ``scorecard.schema.json``.

Plain dicts and lists with a stable key order; every key is always
present (``null`` when there is no value), numbers stay numbers, dates are
ISO 8601 text. ``json.dumps(scorecard_to_json(card))`` is the document.
"""

from __future__ import annotations

from typing import Any

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit.scoring._compare import Change, Comparison
from benchmarkkit.scoring._explain import Explanation, Input
from benchmarkkit.scoring._fingerprint import canonical
from benchmarkkit.scoring._gates import ConditionResult
from benchmarkkit.scoring._protocols import Status
from benchmarkkit.scoring._results import (
    AreaResult,
    BenchmarkResult,
    GateVerdict,
    OverallResult,
    Scorecard,
)

__all__ = ["SCORECARD_SCHEMA_ID", "comparison_to_json", "scorecard_to_json"]

#: The ``$id`` of the JSON Schema that describes both documents.
SCORECARD_SCHEMA_ID = "https://schemas.benchmarkkit.org/1.0/scorecard.schema.json"


def _rule_spec(spec: RuleSpec) -> dict[str, Any]:
    return {"rule": spec.rule, "parameters": canonical(dict(spec.parameters))}


def _config(config: ScoringConfig) -> dict[str, Any]:
    return {
        "benchmark_rules": [_rule_spec(spec) for spec in config.benchmark_rules],
        "area_aggregation": _rule_spec(config.area_aggregation),
        "overall_aggregation": _rule_spec(config.overall_aggregation),
        "met_threshold": config.met_threshold,
    }


def _input(item: Input) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "date": str(item.date) if item.date is not None else None,
        "value": canonical(item.value),
        "weight": item.weight,
        "indicator": item.indicator,
        "note": item.note,
    }


def _explanation(explanation: Explanation) -> dict[str, Any]:
    return {
        "rule": explanation.rule,
        "parameters": canonical(dict(explanation.parameters)),
        "inputs": [_input(item) for item in explanation.inputs],
        "steps": list(explanation.steps),
        "intermediate": dict(explanation.intermediate),
    }


def _status(status: Status | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"level": status.level, "label": status.label, "scale": status.scale}


def _benchmark(result: BenchmarkResult) -> dict[str, Any]:
    return {
        "benchmark_id": result.benchmark_id,
        "title": result.title,
        "area_id": result.area_id,
        "weight": result.weight,
        "score": result.score,
        "met": result.met,
        "provisional": result.provisional,
        "status": _status(result.status),
        "rule": result.rule,
        "explanation": _explanation(result.explanation),
    }


def _area(result: AreaResult) -> dict[str, Any]:
    return {
        "area_id": result.area_id,
        "title": result.title,
        "weight": result.weight,
        "score": result.score,
        "scored": result.scored,
        "total": result.total,
        "explanation": _explanation(result.explanation),
    }


def _overall(result: OverallResult) -> dict[str, Any]:
    return {
        "score": result.score,
        "scored": result.scored,
        "total": result.total,
        "explanation": _explanation(result.explanation),
    }


def _condition(result: ConditionResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "label": result.label,
        "verdict": result.verdict.value,
        "detail": result.detail,
        "target": result.target,
        "score": result.score,
        "threshold": result.threshold,
        "count": result.count,
        "children": [_condition(child) for child in result.children],
        "decided_by": list(result.decided_by),
    }


def _gate(result: GateVerdict) -> dict[str, Any]:
    return {
        "gate_id": result.gate_id,
        "title": result.title,
        "applies_to": result.applies_to,
        "verdict": result.verdict.value,
        "condition": _condition(result.condition),
        "explanation": _explanation(result.explanation),
    }


def scorecard_to_json(scorecard: Scorecard) -> dict[str, Any]:
    """Return the JSON form of a scorecard: plain data in a stable key order."""
    return {
        "$schema": SCORECARD_SCHEMA_ID,
        "kind": "scorecard",
        "dataset_id": scorecard.dataset_id,
        "title": scorecard.title,
        "subject": scorecard.subject,
        "as_of": scorecard.as_of.isoformat(),
        "fingerprint": scorecard.fingerprint,
        "config": _config(scorecard.config),
        "overall": _overall(scorecard.overall),
        "areas": [_area(area) for area in scorecard.areas],
        "benchmarks": [_benchmark(result) for result in scorecard.benchmarks],
        "gates": [_gate(gate) for gate in scorecard.gates],
        "problems": [problem.to_json() for problem in scorecard.problems],
    }


def _change(change: Change) -> dict[str, Any]:
    return {
        "subject": change.subject,
        "id": change.id,
        "title": change.title,
        "kind": change.kind.value,
        "summary": change.summary,
        "before": change.before,
        "after": change.after,
        "delta": change.delta,
        "status_before": _status(change.status_before),
        "status_after": _status(change.status_after),
        "verdict_before": change.verdict_before.value if change.verdict_before else None,
        "verdict_after": change.verdict_after.value if change.verdict_after else None,
    }


def comparison_to_json(comparison: Comparison) -> dict[str, Any]:
    """Return the JSON form of a comparison; the scorecards themselves are not repeated."""
    return {
        "$schema": SCORECARD_SCHEMA_ID,
        "kind": "comparison",
        "dataset_id": comparison.dataset_id,
        "title": comparison.title,
        "subject": comparison.subject,
        "before": comparison.before.isoformat(),
        "after": comparison.after.isoformat(),
        "fingerprint_before": comparison.fingerprint_before,
        "fingerprint_after": comparison.fingerprint_after,
        "config": _config(comparison.config),
        "materiality": comparison.materiality,
        "overall": _change(comparison.overall),
        "areas": [_change(change) for change in comparison.areas],
        "benchmarks": [_change(change) for change in comparison.benchmarks],
        "gates": [_change(change) for change in comparison.gates],
        "problems": [problem.to_json() for problem in comparison.problems],
    }
