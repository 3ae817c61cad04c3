"""Today's converter and scorecard serialiser, copied verbatim: what the rewrite must match.

Test-only. ``tests/test_converter_equivalence.py`` compares the rewritten
:mod:`benchmarkkit._converter` and :mod:`benchmarkkit.scoring._json` with these,
output for output and error for error, on the example and on generated data.
This module and that test are deleted once the rewrite is committed; the golden
files in ``tests/data/`` and the round-trip properties stay as the guard.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, get_args

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from benchmarkkit._conditions import CONDITION_KINDS, Condition, RuleSpec, ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import COLLECTIONS, Dataset, IndicatorValue, Measurement, Reading
from benchmarkkit._scales import Level
from benchmarkkit._vocabulary import _Vocabulary
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

# -- the converter (src/benchmarkkit/_converter.py) -----------------------------------------


def _enum_value(value: enum.Enum) -> Any:
    return value.value


#: Dates already read: a dataset repeats a few thousand dates over its records, and a
#: PartialDate is an immutable value, so records may share one.
_DATES: dict[str, PartialDate] = {}


def _structure_date(value: Any, _type: type) -> PartialDate:
    if type(value) is str:
        date = _DATES.get(value)
        if date is None:
            date = PartialDate.parse(value)  # raises for what is not a date
            if len(_DATES) >= 100_000:
                _DATES.clear()
            _DATES[value] = date
        return date
    if isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)


def _structure_vocabulary(value: Any, vocabulary: type[_Vocabulary]) -> _Vocabulary:
    try:
        return vocabulary._value2member_map_[value]  # type: ignore[return-value]  # Enum's own map
    except (KeyError, TypeError):
        pass
    return vocabulary(value)  # the member after all, or the error Enum raises


def _plain_text_hooks(conv: cattrs.Converter) -> None:
    """Hooks with a shortcut for what JSON gives: text, null, a list of text.

    They return what cattrs would (``str`` of each text is itself) without its
    dispatch per field and per item; any other value takes cattrs' own hook,
    so the errors are cattrs' own too.
    """
    optional_text = conv.get_structure_hook(str | None)
    texts = conv.get_structure_hook(tuple[str, ...])

    def structure_optional_text(value: Any, hint: Any) -> Any:
        if value is None or type(value) is str:
            return value
        return optional_text(value, hint)

    def structure_texts(value: Any, hint: Any) -> Any:
        if type(value) is list:
            for item in value:
                if type(item) is not str:
                    break
            else:
                return tuple(value)
        return texts(value, hint)

    conv.register_structure_hook_func(lambda t: t == str | None, structure_optional_text)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], structure_texts)
    # A text where a list of texts belongs (a record built in Python) is written as the
    # text, for the schema to refuse, rather than as a list of its characters.
    conv.register_unstructure_hook_func(
        lambda t: t == tuple[str, ...],
        lambda value: value if isinstance(value, str) else [*value],
    )


def _structure_indicator_value(value: Any, _type: object) -> IndicatorValue:
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(
        f"expected true/false, a number or a level id, found {type(value).__name__} {value!r}"
    )


def _structure_parameters(value: Any, _type: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping of parameters, found {type(value).__name__}")
    return dict(value)


def _structure_condition(value: Any, _type: object) -> Condition:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"expected a condition (a mapping with a kind), found {type(value).__name__}"
        )
    kind = value.get("kind")
    cls = CONDITION_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(
            f"expected a condition kind among {', '.join(CONDITION_KINDS)}, found {kind!r}"
        )
    return converter.structure(value, cls)


def _unstructure_condition(value: Condition) -> dict[str, Any]:
    return {"kind": value.kind, **_unstructure_record_fn(type(value))(value)}


_unstructure_fns: dict[type, Any] = {}


def _unstructure_record_fn(cls: type) -> Any:
    fn = _unstructure_fns.get(cls)
    if fn is None:
        overrides: dict[str, Any] = {}
        if cls is Dataset:
            overrides["schema_version"] = override(omit_if_default=False)
        if cls in CONDITION_KINDS.values():
            overrides["kind"] = override(omit=True)
        # A scoring configuration is written out in full even where it repeats the
        # defaults: a reader should see which rules a dataset asked for.
        omit_defaults = cls is not ScoringConfig
        fn = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=omit_defaults, **overrides
        )
        _unstructure_fns[cls] = fn
    return fn


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(PartialDate, _structure_date)
    conv.register_unstructure_hook(PartialDate, str)
    # The vocabularies subclass str; without a hook of their own cattrs would pass the
    # enum members through, and YAML cannot write them.
    for vocabulary in _Vocabulary.__subclasses__():
        conv.register_structure_hook(vocabulary, _structure_vocabulary)
        conv.register_unstructure_hook(vocabulary, _enum_value)
    indicator_types = set(get_args(IndicatorValue))
    conv.register_structure_hook_func(
        lambda t: set(get_args(t)) == indicator_types, _structure_indicator_value
    )
    conv.register_structure_hook_func(lambda t: t == Mapping[str, Any], _structure_parameters)
    condition_types = set(get_args(Condition))
    conv.register_structure_hook_func(
        lambda t: set(get_args(t)) == condition_types, _structure_condition
    )
    _plain_text_hooks(conv)
    return conv


converter = _make_converter()


def _structure_tagged(cls: type, generated: Any) -> Any:
    """A condition class's hook: its ``kind`` member must name it, and is then dropped."""
    kind = attrs.fields_dict(cls)["kind"].default

    def structure_condition(value: Any, _type: type) -> Any:
        if isinstance(value, Mapping) and "kind" in value:
            if value["kind"] != kind:
                raise ValueError(f"expected a condition of kind {kind!r}, found {value['kind']!r}")
            value = {key: item for key, item in value.items() if key != "kind"}
        return generated(value, _type)

    return structure_condition


for _cls in (
    *COLLECTIONS.values(),
    *CONDITION_KINDS.values(),
    Dataset,
    Measurement,
    Reading,
    Level,
):
    if attrs.has(_cls):
        _generated = make_dict_structure_fn(
            _cls, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        if _cls in CONDITION_KINDS.values():
            _generated = _structure_tagged(_cls, _generated)
        converter.register_structure_hook(_cls, _generated)
for _cls in CONDITION_KINDS.values():
    converter.register_unstructure_hook(_cls, _unstructure_condition)
converter.register_unstructure_hook_func(
    lambda t: attrs.has(t) and t not in CONDITION_KINDS.values(),
    lambda value: _unstructure_record_fn(type(value))(value),
)
converter.register_unstructure_hook_func(
    lambda t: set(get_args(t)) == set(get_args(Condition)), _unstructure_condition
)


def unstructure(value: Any) -> Any:
    """The JSON-compatible data of a typed value: dicts, lists, strings, numbers.

    Fields that hold their default value are left out.
    """
    return converter.unstructure(value)


# -- the scorecard serialiser (src/benchmarkkit/scoring/_json.py) ---------------------------


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
