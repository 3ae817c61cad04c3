"""Checks no schema can express: unique ids, references, dates, values, conditions.

Each check takes the typed dataset and a :class:`CheckContext` and yields
problems. The checks share one index of the records by id (the first record
of an id, :mod:`benchmarkkit._index`), so the cost grows linearly with the
dataset. Which fields are references is declared on the record classes
(:mod:`benchmarkkit._references`); nothing here lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from operator import attrgetter
from typing import Any

import attrs

from benchmarkkit._conditions import AllOf, AnyOf, AtLeast, BenchmarkCondition, Condition
from benchmarkkit._context import CheckContext
from benchmarkkit._index import RecordIndex, collections_of, index_of
from benchmarkkit._model import Dataset, Indicator, IndicatorValue
from benchmarkkit._problems import Problem
from benchmarkkit._recommendation_checks import RECOMMENDATION_CHECKS
from benchmarkkit._references import Reference, plan
from benchmarkkit._since import version_at_least
from benchmarkkit._vocabulary import IndicatorKind
from benchmarkkit._wording import (
    field_name,
    one_of,
    short,
    singular,
    suggest,
    suggest_ids,
)

__all__ = ["CORE_CHECKS", "Check", "named_by"]

Check = Callable[[Dataset, CheckContext], Iterable[Problem]]
"""A check: given a dataset and its context, the problems it finds."""


def check_unique_ids(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Ids are unique within each collection, and level ids within each scale."""
    index = index_of(dataset)
    for collection in collections_of(type(dataset)):
        records = getattr(dataset, collection)
        first = index[collection]
        if len(first) == len(records):
            continue  # no id repeats: nothing to report
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                where = context.origin(first[record.id]).words()
                yield context.problem(
                    "duplicate-id",
                    f"{singular(collection)} id {short(record.id)} is used twice; "
                    f"the first is {where}",
                    record,
                    "id",
                    value=record.id,
                )
            seen.add(record.id)
    for scale in dataset.scales:
        levels: set[str] = set()
        for position, level in enumerate(scale.levels):
            if level.id in levels:
                yield context.problem(
                    "duplicate-id",
                    f"scale {short(scale.id)} has two levels with the id {short(level.id)}",
                    scale,
                    "levels",
                    position,
                    "id",
                    value=level.id,
                )
            levels.add(level.id)


#: How many unknown references get a "did you mean": each look compares the reference with
#: the declared ids of its kind, so the cost stays linear however many references are wrong.
_SUGGESTED = 100


class _Known:
    """The ids declared in each collection (built when first asked for), and near misses."""

    def __init__(self, index: RecordIndex, context: CheckContext) -> None:
        self._index = index
        self._declared = context.declared_ids
        self._ids: dict[str, frozenset[str]] = {}
        self._left = _SUGGESTED
        self._found: dict[tuple[str, str], str] = {}

    def __getitem__(self, target: str) -> frozenset[str]:
        ids = self._ids.get(target)
        if ids is None:
            mapping = self._index.scales if target == "scales" else self._index[target]
            ids = frozenset(mapping) | self._declared.get(target, frozenset())
            self._ids[target] = ids
        return ids

    def suggestion(self, target: str, ref: str) -> str:
        """``" (did you mean 'x'?)"`` for ``ref``, among the ids of ``target``, or ``""``."""
        key = (target, ref)
        if key not in self._found:
            if self._left <= 0:
                return ""
            self._left -= 1
            self._found[key] = suggest_ids(ref, self[target])
        return self._found[key]


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
        f"{singular(target)} {short(ref)}, "
        "which the dataset does not define" + known.suggestion(target, ref),
        record,
        *path,
        value=ref,
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


@attrs.frozen
class _Group:
    """Records (or nested records) of one class, each with its top-level record and path."""

    collection: str
    objects: list[Any]
    tops: list[Any]
    paths: list[tuple[str | int, ...]] | None  # None: the objects are the top-level records

    def path(self, position: int) -> tuple[str | int, ...]:
        return () if self.paths is None else self.paths[position]

    def label(self, position: int) -> str:
        return f"{singular(self.collection)} {short(self.tops[position].id)}"


def _unknown_in_field(
    context: CheckContext, group: _Group, reference: Reference, known: _Known
) -> Iterator[Problem]:
    # Gather every reference of the field first: when all are known, as in a consistent
    # dataset, no record needs to be looked at one by one.
    values = list(map(attrgetter(reference.field), group.objects))
    unknown = _references(values) - known[reference.target]
    if not unknown:
        return
    for position, value in enumerate(values):
        refs: tuple[tuple[str, tuple[int, ...]], ...] = ()
        if isinstance(value, str) and value in unknown:
            refs = ((value, ()),)
        elif isinstance(value, tuple) and not unknown.isdisjoint(value):
            refs = tuple((ref, (i,)) for i, ref in enumerate(value) if ref in unknown)
        for ref, at in refs:
            yield _unknown(
                context,
                group.tops[position],
                group.label(position),
                reference.target,
                ref,
                *group.path(position),
                reference.field,
                *at,
                known=known,
            )


def _unknown_levels(
    context: CheckContext, group: _Group, levels: tuple[tuple[str, str], ...], index: RecordIndex
) -> Iterator[Problem]:
    for field, scale_field in levels:
        for position, item in enumerate(group.objects):
            level = getattr(item, field)
            # An unknown scale is its own problem; a declared one too broken to load has one.
            scale = index.scales.get(getattr(item, scale_field))
            if level is None or scale is None or scale.level(level) is not None:
                continue
            on_scale = (lv.id for lv in scale.levels)
            yield context.problem(
                "unknown-level",
                f"{group.label(position)}: level {short(level)} is not on scale "
                f"{short(scale.id)}, whose levels are {one_of(lv.id for lv in scale.levels)}"
                + suggest(level, on_scale),
                group.tops[position],
                *group.path(position),
                field,
                value=level,
            )


def _nested(group: _Group, field: str) -> Iterator[tuple[type, _Group]]:
    """The records held in ``field`` of the group's records, one group per class."""
    by_class: dict[type, tuple[list[Any], list[Any], list[tuple[str | int, ...]]]] = {}
    for position, item in enumerate(group.objects):
        value = getattr(item, field)
        if value is None or value == ():
            continue
        where = (*group.path(position), field)
        children = (
            [(child, (*where, i)) for i, child in enumerate(value)]
            if isinstance(value, tuple)
            else [(value, where)]
        )
        for child, path in children:
            objects, tops, paths = by_class.setdefault(type(child), ([], [], []))
            objects.append(child)
            tops.append(group.tops[position])
            paths.append(path)
    for kind, (objects, tops, paths) in by_class.items():
        yield kind, _Group(group.collection, objects, tops, paths)


def check_references(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Every reference names a record that exists, and every level is on its scale.

    Which fields refer to what is declared on the record classes (see
    :mod:`benchmarkkit._references`); records nested in others (an
    indicator's baseline, evidence's readings, a gate's conditions) are
    checked the same way, and a problem names the top-level record.
    """
    index = index_of(dataset)
    known = _Known(index, context)
    for collection, cls in collections_of(type(dataset)).items():
        records = list(getattr(dataset, collection))
        pending = [(cls, _Group(collection, records, records, None))] if records else []
        while pending:
            kind, group = pending.pop()
            steps = plan(kind)
            for reference in steps.references:
                yield from _unknown_in_field(context, group, reference, known)
            yield from _unknown_levels(context, group, steps.levels, index)
            for field in reversed(steps.nested):
                pending.extend(_nested(group, field))


#: Records that ought to be linked to (format 1.1): what it means that nothing names one.
_LINKED = {
    "recommendations": (
        "unlinked-recommendation",
        (
            "so it stands beside no benchmark or gate in the reports, and nothing tracks "
            "its implementation"
        ),
    ),
    "commitments": (
        "unlinked-commitment",
        "so no report shows it",
    ),
}


@functools.cache
def named_by(target: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each field that names a record of ``target``, with the collections whose records hold it.

    Only fields of top-level records, which is where every such field is (a
    test holds it so): the check reads them without walking nested records.
    """
    found: dict[str, dict[str, None]] = {}
    for collection, top in collections_of(Dataset).items():
        for reference in plan(top).references:
            if reference.target == target:
                found.setdefault(reference.field, {})[collection] = None
    return tuple((field, tuple(collections)) for field, collections in found.items())


def _records_words(collections: Iterable[str]) -> str:
    """``benchmark, commitment or gate``: the records of ``collections`` in words."""
    names = [singular(c) for c in collections]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def check_links(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Every recommendation and commitment is named by a record (format 1.1 and later).

    A recommendation or commitment nothing names stands beside no benchmark in
    the reports: an ``info`` problem says so, so that it does not vanish unnoticed.
    While a record that could name one did not load (its file or the record is
    broken, and reported), which ones it names is not known: nothing is reported.
    """
    if not version_at_least(dataset.schema_version, "1.1"):
        return  # format 1.0 validates as it always did
    index = index_of(dataset)
    for target, (code, meaning) in _LINKED.items():
        fields = named_by(target)
        naming = dict.fromkeys(c for _, cs in fields for c in cs)
        if any(context.declared_ids.get(c, frozenset()) - index[c].keys() for c in naming):
            continue
        named: set[Any] = set()
        for field, collections in fields:
            for collection in collections:
                named |= _references(list(map(attrgetter(field), getattr(dataset, collection))))
        nothing = _records_words(naming)
        for record in getattr(dataset, target):
            if record.id in named:
                continue
            yield context.problem(  # the record first, so that many are shown as one problem
                code,
                f"{singular(target)} {short(record.id)}: no {nothing} names it, {meaning}",
                record,
                value=record.id,
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
    """Gate conditions have one threshold each and can be met.

    What they refer to (benchmarks, areas, scales, levels) is checked with
    every other reference, by :func:`check_references`.
    """
    for gate in dataset.gates:
        label = f"gate {short(gate.id)}"
        for condition, path in _walk_conditions(gate.condition, ("condition",)):
            if isinstance(condition, BenchmarkCondition):
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
    records = index_of(dataset)
    evidence_by_id, sources = records["evidence"], records["sources"]
    for item in dataset.evidence:
        source = sources.get(item.source)
        when = None if source is None else source.date
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
    indicators = index_of(dataset)["indicators"]
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
    check_links,
    *RECOMMENDATION_CHECKS,
)
