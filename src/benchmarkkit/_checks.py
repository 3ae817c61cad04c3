"""Checks no schema can express: unique ids, references, dates, values, conditions.

Each check takes the typed dataset and a :class:`CheckContext` and yields
problems. Every check indexes the records once and looks them up by id, so
the cost grows linearly with the dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from operator import attrgetter
from typing import Any

from benchmarkkit._conditions import (
    AllOf,
    AnyOf,
    AreaCondition,
    AtLeast,
    BenchmarkCondition,
    Condition,
)
from benchmarkkit._context import CheckContext
from benchmarkkit._model import COLLECTIONS, Dataset, Indicator, IndicatorValue
from benchmarkkit._problems import Problem
from benchmarkkit._vocabulary import IndicatorKind
from benchmarkkit._wording import SINGULAR, field_name, one_of, short, suggest, suggest_ids

__all__ = ["CORE_CHECKS", "Check"]

Check = Callable[[Dataset, CheckContext], Iterable[Problem]]
"""A check: given a dataset and its context, the problems it finds."""

_ID = attrgetter("id")

#: Reference fields of each collection: field name -> the collection it refers to.
REFERENCES: dict[str, dict[str, str]] = {
    "actors": {"part_of": "actors"},
    "sources": {"publishers": "actors", "cited_in": "sources"},
    "standards": {"body": "actors", "source": "sources"},
    "commitments": {
        "actor": "actors",
        "addressees": "actors",
        "made_in": "sources",
        "source": "sources",
    },
    "areas": {"source": "sources"},
    "benchmarks": {
        "area": "areas",
        "commitments": "commitments",
        "standards": "standards",
        "demanded_by": "actors",
        "responsible": "actors",
    },
    "indicators": {"benchmark": "benchmarks"},
    "evidence": {"source": "sources", "benchmarks": "benchmarks", "actors": "actors"},
    "assessments": {"benchmark": "benchmarks", "evidence": "evidence"},
    "gates": {"demanded_by": "actors", "source": "sources"},
}


def check_unique_ids(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Ids are unique within each collection, and level ids within each scale."""
    for collection in COLLECTIONS:
        records = getattr(dataset, collection)
        if len(set(map(_ID, records))) == len(records):
            continue  # no id repeats: nothing to report
        first: dict[str, Any] = {}
        for record in records:
            if record.id in first:
                where = context.origin(first[record.id])
                yield context.problem(
                    "duplicate-id",
                    f"{SINGULAR[collection]} id {short(record.id)} is used twice; "
                    f"the first is in {where.file or 'the dataset'} at {where.pointer}",
                    record,
                    "id",
                    value=record.id,
                )
            else:
                first[record.id] = record
    for scale in dataset.scales:
        seen: set[str] = set()
        for index, level in enumerate(scale.levels):
            if level.id in seen:
                yield context.problem(
                    "duplicate-id",
                    f"scale {short(scale.id)} has two levels with the id {short(level.id)}",
                    scale,
                    "levels",
                    index,
                    "id",
                    value=level.id,
                )
            seen.add(level.id)


#: How many unknown references get a "did you mean": each look compares the reference with
#: the declared ids of its kind, so the cost stays linear however many references are wrong.
_SUGGESTED = 100


class _Known(dict[str, frozenset[str]]):
    """The ids declared in each collection, and the nearest ones to an unknown id."""

    def __init__(self, ids: dict[str, frozenset[str]]) -> None:
        super().__init__(ids)
        self._left = _SUGGESTED
        self._found: dict[tuple[str, str], str] = {}

    def suggestion(self, target: str, ref: str) -> str:
        """``" (did you mean 'x'?)"`` for ``ref``, among the ids of ``target``, or ``""``."""
        key = (target, ref)
        if key not in self._found:
            if self._left <= 0:
                return ""
            self._left -= 1
            self._found[key] = suggest_ids(ref, self[target])
        return self._found[key]


def _known_ids(
    dataset: Dataset, context: CheckContext, collections: Iterable[str] = COLLECTIONS
) -> _Known:
    known = {
        collection: frozenset(map(_ID, getattr(dataset, collection)))
        | context.declared_ids.get(collection, frozenset())
        for collection in collections
    }
    if "scales" in known:
        known["scales"] = known["scales"] | frozenset(context.scales(()))
    return _Known(known)


def _unknown(
    context: CheckContext,
    record: Any,
    label: str,
    target: str,
    ref: str,
    *path: str | int,
    known: _Known,
) -> Problem:
    return context.problem(
        "unknown-reference",
        f"{label}: '{field_name(path[:-1] if isinstance(path[-1], int) else path)}' refers to "
        f"{SINGULAR[target]} {short(ref)}, "
        "which the dataset does not define" + known.suggestion(target, ref),
        record,
        *path,
        value=ref,
    )


def _check_fields(dataset: Dataset, context: CheckContext, known: _Known) -> Iterator[Problem]:
    for collection, fields in REFERENCES.items():
        records = getattr(dataset, collection)
        for field, target in fields.items():
            # Gather every reference of the field first: when all are known, as in a
            # consistent dataset, no record needs to be looked at one by one.
            values = list(map(attrgetter(field), records))
            unknown = _references(values) - known[target]
            if not unknown:
                continue
            for record, value in zip(records, values, strict=True):
                if (isinstance(value, str) and value in unknown) or (
                    isinstance(value, tuple) and not unknown.isdisjoint(value)
                ):
                    yield from _unknown_in_record(
                        context, record, collection=collection, field=field, known=known
                    )


def _references(values: list[Any]) -> set[Any]:
    """Every reference in ``values``, one field of every record: ids, tuples of ids or None.

    The common cases are gathered without a loop in Python.
    """
    kinds = set(map(type, values))
    if kinds <= {str, type(None)}:
        refs: set[Any] = set(values)
        refs.discard(None)
        return refs
    if kinds <= {tuple}:
        return set(chain.from_iterable(values))
    refs = set()
    for value in values:
        if isinstance(value, str):
            refs.add(value)
        elif isinstance(value, tuple):
            refs.update(value)
    return refs


def _unknown_in_record(
    context: CheckContext, record: Any, *, collection: str, field: str, known: _Known
) -> Iterator[Problem]:
    target = REFERENCES[collection][field]
    ids = known[target]
    value = getattr(record, field)
    refs: tuple[tuple[str, tuple[int, ...]], ...] = ((value, ()),) if isinstance(value, str) else ()
    if isinstance(value, tuple):
        refs = tuple((ref, (index,)) for index, ref in enumerate(value))
    for ref, index in refs:
        if ref not in ids:
            label = f"{SINGULAR[collection]} {short(record.id)}"
            yield _unknown(context, record, label, target, ref, field, *index, known=known)


def _check_nested(dataset: Dataset, context: CheckContext, known: _Known) -> Iterator[Problem]:
    for indicator in dataset.indicators:
        label = f"indicator {short(indicator.id)}"
        for field in ("baseline", "target"):
            source = getattr(getattr(indicator, field), "source", None)
            if source is not None and source not in known["sources"]:
                yield _unknown(
                    context, indicator, label, "sources", source, field, "source", known=known
                )
    for evidence in dataset.evidence:
        for index, reading in enumerate(evidence.readings):
            if reading.indicator not in known["indicators"]:
                yield _unknown(
                    context,
                    evidence,
                    f"evidence {short(evidence.id)}",
                    "indicators",
                    reading.indicator,
                    "readings",
                    index,
                    "indicator",
                    known=known,
                )


def check_references(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Every reference names a record that exists, and every level is on its scale."""
    known = _known_ids(dataset, context)
    yield from _check_fields(dataset, context, known)
    yield from _check_nested(dataset, context, known)
    yield from _check_levels(dataset, context, known)


def _check_levels(dataset: Dataset, context: CheckContext, known: _Known) -> Iterator[Problem]:
    scales = context.scales(dataset.scales)
    for assessment in dataset.assessments:
        label = f"assessment {short(assessment.id)}"
        if assessment.scale not in known["scales"]:
            yield _unknown(
                context, assessment, label, "scales", assessment.scale, "scale", known=known
            )
            continue
        scale = scales.get(assessment.scale)
        if (
            scale is not None
            and assessment.level is not None
            and scale.level(assessment.level) is None
        ):
            yield context.problem(
                "unknown-level",
                f"{label}: level {short(assessment.level)} is not on scale {short(scale.id)}, "
                f"whose levels are {one_of(level.id for level in scale.levels)}"
                + suggest(assessment.level, (level.id for level in scale.levels)),
                assessment,
                "level",
                value=assessment.level,
            )


def _walk_conditions(
    condition: Condition, path: tuple[str | int, ...]
) -> Iterator[tuple[Condition, tuple[str | int, ...]]]:
    stack = [(condition, path)]
    while stack:
        current, where = stack.pop()
        yield current, where
        if isinstance(current, AllOf | AnyOf | AtLeast):
            stack.extend(
                (child, (*where, "conditions", index))
                for index, child in enumerate(current.conditions)
            )


def check_gates(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Gate conditions name existing benchmarks, areas and levels, and can be met."""
    known = _known_ids(dataset, context, ("benchmarks", "areas", "scales"))
    scales = context.scales(dataset.scales)
    broken_scales = context.declared_ids.get("scales", frozenset())
    for gate in dataset.gates:
        label = f"gate {short(gate.id)}"
        for condition, path in _walk_conditions(gate.condition, ("condition",)):
            if isinstance(condition, BenchmarkCondition):
                if condition.benchmark not in known["benchmarks"]:
                    yield _unknown(
                        context,
                        gate,
                        label,
                        "benchmarks",
                        condition.benchmark,
                        *path,
                        "benchmark",
                        known=known,
                    )
                has_score = condition.minimum_score is not None
                has_level = condition.minimum_level is not None
                if has_score == has_level:
                    yield context.problem(
                        "ambiguous-threshold",
                        f"{label}: the condition on benchmark {short(condition.benchmark)} needs "
                        "either minimum_score or scale with minimum_level"
                        + (", not both" if has_score else ""),
                        gate,
                        *path,
                    )
                if condition.scale is not None and condition.minimum_level is not None:
                    scale = scales.get(condition.scale)
                    if scale is None and condition.scale not in broken_scales:
                        yield _unknown(
                            context,
                            gate,
                            label,
                            "scales",
                            condition.scale,
                            *path,
                            "scale",
                            known=known,
                        )
                    elif scale is None:
                        pass  # declared, but too broken to load: its own problem says why
                    elif scale.level(condition.minimum_level) is None:
                        yield context.problem(
                            "unknown-level",
                            f"{label}: level {short(condition.minimum_level)} is not on scale "
                            f"{short(scale.id)}, whose levels are "
                            f"{one_of(level.id for level in scale.levels)}"
                            + suggest(condition.minimum_level, (lv.id for lv in scale.levels)),
                            gate,
                            *path,
                            "minimum_level",
                            value=condition.minimum_level,
                        )
            elif isinstance(condition, AreaCondition):
                if condition.area not in known["areas"]:
                    yield _unknown(
                        context, gate, label, "areas", condition.area, *path, "area", known=known
                    )
            elif isinstance(condition, AtLeast) and condition.count > len(condition.conditions):
                yield context.problem(
                    "impossible-condition",
                    f"{label}: asks for at least {condition.count} of "
                    f"{len(condition.conditions)} conditions, which can never hold",
                    gate,
                    *path,
                    "count",
                    value=condition.count,
                )


def check_dates(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Assessments cite no later evidence, evidence no later source; baselines precede targets."""
    evidence_by_id = {evidence.id: evidence for evidence in dataset.evidence}
    published = {source.id: source.date for source in dataset.sources if source.date is not None}
    for item in dataset.evidence:
        when = published.get(item.source)
        if when is not None and item.date.is_certainly_after(when):
            yield context.problem(
                "evidence-after-source",
                f"evidence {short(item.id)} is dated {item.date}, after source "
                f"{short(item.source)} was published ({when}): a source cannot report "
                "what happened after it was published",
                item,
                "date",
                value=str(item.date),
            )
    for assessment in dataset.assessments:
        for index, ref in enumerate(assessment.evidence):
            evidence = evidence_by_id.get(ref)
            if evidence is not None and evidence.date.is_certainly_after(assessment.as_of):
                yield context.problem(
                    "evidence-after-assessment",
                    f"assessment {short(assessment.id)} is as of {assessment.as_of} but cites "
                    f"evidence {short(evidence.id)}, dated {evidence.date}",
                    assessment,
                    "evidence",
                    index,
                    value=ref,
                )
    for indicator in dataset.indicators:
        baseline, target = indicator.baseline, indicator.target
        if baseline is None or target is None or baseline.date is None or target.date is None:
            continue
        if not baseline.date < target.date:
            yield context.problem(
                "baseline-after-target",
                f"indicator {short(indicator.id)}: the baseline ({baseline.date}) "
                f"must be dated before the target ({target.date})",
                indicator,
                "baseline",
                "date",
                value=str(baseline.date),
            )


def value_fits(indicator: Indicator, value: IndicatorValue) -> bool:
    """Whether ``value`` is a possible value of ``indicator``."""
    if indicator.kind is IndicatorKind.BOOLEAN:
        return isinstance(value, bool)
    if indicator.kind is IndicatorKind.NUMERIC:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, str) and value in indicator.levels


def _expected(indicator: Indicator) -> str:
    if indicator.kind is IndicatorKind.BOOLEAN:
        return "true or false"
    if indicator.kind is IndicatorKind.NUMERIC:
        return f"a number ({indicator.unit})" if indicator.unit else "a number"
    return f"one of its levels, {one_of(indicator.levels)}"


def check_indicator_values(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Baselines, targets and readings fit their indicator's kind."""
    indicators = {indicator.id: indicator for indicator in dataset.indicators}
    for indicator in dataset.indicators:
        for field in ("baseline", "target"):
            measurement = getattr(indicator, field)
            if measurement is not None and not value_fits(indicator, measurement.value):
                yield context.problem(
                    "indicator-value-mismatch",
                    f"indicator {short(indicator.id)}: the {field} value "
                    f"{short(measurement.value)} is not {_expected(indicator)}",
                    indicator,
                    field,
                    "value",
                    value=measurement.value,
                )
    for evidence in dataset.evidence:
        for index, reading in enumerate(evidence.readings):
            measured = indicators.get(reading.indicator)
            if measured is not None and not value_fits(measured, reading.value):
                yield context.problem(
                    "indicator-value-mismatch",
                    f"evidence {short(evidence.id)}: the value {short(reading.value)} for "
                    f"indicator {short(measured.id)} is not {_expected(measured)}",
                    evidence,
                    "readings",
                    index,
                    "value",
                    value=reading.value,
                )


#: The checks every validation runs, in order (the archive and quote checks are added
#: by the pipeline; see :data:`benchmarkkit._validate.DEFAULT_CHECKS`).
CORE_CHECKS: tuple[Check, ...] = (
    check_unique_ids,
    check_references,
    check_gates,
    check_dates,
    check_indicator_values,
)
