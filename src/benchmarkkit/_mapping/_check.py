"""What the mapping schema cannot see, checked before any row is read.

A column the table lacks, a collection or field the format does not have, a
lookup no one defined, a word a ``map`` gives that the field does not allow:
each a problem located in the mapping file, naming what there is instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from benchmarkkit._mapping._model import Condition, MappingSpec, RecordSpec, ValueSpec
from benchmarkkit._mapping._patterns import pattern_refusal
from benchmarkkit._mapping._schema import MappingFile
from benchmarkkit._mapping._targets import Target, all_fields, fields_of, nested_fields_of
from benchmarkkit._model import COLLECTIONS
from benchmarkkit._problems import Problem
from benchmarkkit._wording import one_of, singular, suggest

__all__ = ["Headers", "check_mapping"]

Path_ = tuple[str | int, ...]


@attrs.frozen
class Headers:
    """A table's header row: each header (stripped) and its 1-based column, first one first."""

    table: str
    names: Mapping[str, int]
    #: The row the headers are on, counted as the spreadsheet counts rows.
    row: int = 1
    #: Headers written again in a later column: (header, that column).
    repeated: tuple[tuple[str, int], ...] = ()

    def by_column(self) -> dict[int, str]:
        """Each column's header, a repeated one included."""
        return {**{c: h for h, c in self.names.items()}, **{c: h for h, c in self.repeated}}

    def find(self, header: str) -> int | None:
        """The column of ``header``: matched stripped, exactly, then ignoring case."""
        wanted = header.strip()
        found = self.names.get(wanted)
        if found is None:
            folded = wanted.casefold()
            found = next((c for h, c in self.names.items() if h.casefold() == folded), None)
        return found


def _column_problem(where: MappingFile, headers: Headers, header: str, path: Path_) -> Problem:
    if headers.names:
        listed = ", ".join(repr(h) for h in headers.names)
        there = f"{suggest(header, list(headers.names))}; its columns are {listed}"
    else:
        there = f"; its row {headers.row} holds no headers (is `table: header_row` right?)"
    return where.problem(
        "mapping-unknown-column", f"the column {header!r} is not in {headers.table}{there}", path
    )


def _columns(mapping: MappingSpec) -> Iterator[tuple[str, Path_]]:
    """Every column the mapping reads, with where the mapping names it."""
    for number, condition in enumerate(mapping.keep):
        yield condition.column, ("keep", number, "column")
    for name, lookup in mapping.lookups.items():
        for number, column in enumerate(lookup.key):
            yield column, ("lookups", name, "key", number)
    for number, record in enumerate(mapping.records):
        at: Path_ = ("records", number)
        if record.id.column is not None:
            yield record.id.column, (*at, "id", "column")
        for index, column in enumerate(record.id.from_):
            yield column, (*at, "id", "from", index)
        for field, spec, path in _specs(record.fields, (*at, "fields")):
            del field
            if spec.column is not None:
                yield spec.column, (*path, "column")
        for condition, path in _item_conditions(record, at):
            yield condition.column, (*path, "column")


def _conditions(mapping: MappingSpec) -> Iterator[tuple[Condition, Path_]]:
    """Every condition of the mapping (``keep``'s, the items' ``when``), with where it is."""
    for number, condition in enumerate(mapping.keep):
        yield condition, ("keep", number)
    for number, record in enumerate(mapping.records):
        yield from _item_conditions(record, ("records", number))


def _item_conditions(record: RecordSpec, at: Path_) -> Iterator[tuple[Condition, Path_]]:
    for field in record.fields:
        for index, when in enumerate(record.conditions(field)):
            if when is not None:
                yield when, (*at, "fields", field, index, "when")


def _specs(fields: Mapping[str, Any], at: Path_) -> Iterator[tuple[str, ValueSpec, Path_]]:
    for field, spec in fields.items():
        if isinstance(spec, ValueSpec):
            yield field, spec, (*at, field)
        else:
            for index, item in enumerate(spec):
                for name, inner in item.items():
                    yield name, inner, (*at, field, index, name)


def read_columns(mapping: MappingSpec) -> set[str]:
    """The columns the mapping reads or ignores, as it names them."""
    return {column for column, _ in _columns(mapping)} | set(mapping.ignore)


def _allowed(
    where: MappingFile, target: Target, spec: ValueSpec, path: Path_, record: str
) -> Iterator[Problem]:
    """A constant or a ``map`` word an enumerated field does not allow."""
    if not target.allowed:
        return
    given: list[tuple[Any, Path_]] = []
    if spec.constant:
        given.append((spec.value, (*path, "value")))
    if spec.map is not None and not spec.actor:
        given += [(value, (*path, "map", key)) for key, value in spec.map.items()]
    for value, at in given:
        if value not in target.allowed:
            yield where.problem(
                "mapping-value-not-allowed",
                f"{value!r} is not a {target.header} {record} may have"
                f"{suggest(str(value), target.allowed)}; it must be {one_of(target.allowed)}",
                at,
            )


@attrs.frozen
class _Record:
    """The record a group of value specs fills: its fields, and its name in messages."""

    targets: Mapping[str, Target]
    name: str
    known: Sequence[str]


def _field_problems(
    where: MappingFile,
    mapping: MappingSpec,
    record: _Record,
    fields: Mapping[str, ValueSpec],
    at: Path_,
) -> Iterator[Problem]:
    for field, spec in fields.items():
        path = (*at, field)
        target = record.targets.get(field)
        if target is None or field == "id":  # a record's id is made by its ``id`` spec
            yield where.problem(
                "mapping-unknown-field",
                f"{record.name} has no field {field!r}{suggest(field, record.known)}; "
                f"its fields are {', '.join(record.known)}",
                path,
            )
            continue
        if spec.lookup is not None and spec.lookup not in mapping.lookups:
            names = ", ".join(mapping.lookups) or "none"
            yield where.problem(
                "mapping-unknown-lookup",
                f"there is no lookup {spec.lookup!r}{suggest(spec.lookup, list(mapping.lookups))}"
                f"; the lookups under 'lookups' are {names}",
                (*path, "lookup"),
            )
        yield from _allowed(where, target, spec, path, record.name)


def _record_problems(where: MappingFile, mapping: MappingSpec) -> Iterator[Problem]:
    for number, record in enumerate(mapping.records):
        at: Path_ = ("records", number)
        targets = fields_of(record.collection)
        if targets is None:
            yield where.problem(
                "mapping-unknown-field",
                f"there is no collection {record.collection!r}"
                f"{suggest(record.collection, list(COLLECTIONS))}; the collections are "
                f"{', '.join(COLLECTIONS)}",
                (*at, "collection"),
            )
            continue
        word = singular(record.collection)
        known = [f for f in all_fields(record.collection) if f != "id"]
        flat = {f: s for f, s in record.fields.items() if isinstance(s, ValueSpec)}
        own = _Record(targets, f"a {word}", known)
        yield from _field_problems(where, mapping, own, flat, (*at, "fields"))
        for field, items in record.fields.items():
            if isinstance(items, ValueSpec):
                continue
            nested = nested_fields_of(record.collection, field)
            if nested is None:
                yield where.problem(
                    "mapping-unknown-field",
                    f"the field {field!r} of a {word} does not hold a list of nested records, "
                    "so it takes one value spec, not a list of items",
                    (*at, "fields", field),
                )
                continue
            inner = _Record(nested, f"an item of {field!r}", list(nested))
            for index, item in enumerate(items):
                yield from _field_problems(
                    where, mapping, inner, item, (*at, "fields", field, index)
                )


def _pattern_problems(where: MappingFile, mapping: MappingSpec) -> Iterator[Problem]:
    for condition, path in _conditions(mapping):
        if condition.test == "matches":
            try:
                re.compile(str(condition.operand))
            except re.error as error:
                yield where.problem(
                    "mapping-invalid-pattern",
                    f"{condition.operand!r} is not a regular expression: {error}",
                    (*path, "matches"),
                )
            else:
                refusal = pattern_refusal(str(condition.operand))
                if refusal is not None:
                    yield where.problem("mapping-invalid-pattern", refusal, (*path, "matches"))


def check_mapping(
    mapping: MappingSpec, where: MappingFile, headers: Headers | None
) -> list[Problem]:
    """Every mistake of ``mapping`` the schema cannot see, located in the mapping file.

    ``headers`` is the table's header row (``None`` checks the mapping alone).
    """
    problems = [*_record_problems(where, mapping), *_pattern_problems(where, mapping)]
    if headers is not None:
        problems += [
            _column_problem(where, headers, column, path)
            for column, path in _columns(mapping)
            if headers.find(column) is None
        ]
    return where.locate(problems)
