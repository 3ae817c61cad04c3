"""Which field refers to which kind of record: declared once, on the field, and read here.

A field that holds the id (or a tuple of ids) of another record says so in its
attrs metadata, and a field that names a level says which field holds its scale::

    part_of: str | None = attrs.field(default=None, metadata=refers_to("actors"))
    level: str | None = attrs.field(default=None, metadata=level_of("scale"))

:func:`plan` reads a record class once: its reference fields, its level fields,
and the fields that hold nested records which refer to records in turn (an
indicator's baseline, evidence's readings, a gate's conditions). The reference
checks, the reports' lookups and the data-format reference are derived from it,
so a new record type or reference field is declared in one place.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from benchmarkkit._field_types import field_types

__all__ = ["Plan", "Reference", "level_of", "plan", "record_classes", "refers_to"]

_REFERS_TO = "benchmarkkit.refers_to"
_LEVEL_OF = "benchmarkkit.level_of"


def refers_to(collection: str) -> Mapping[str, str]:
    """The attrs metadata of a field holding the id, or ids, of records of ``collection``."""
    return {_REFERS_TO: collection}


def level_of(scale_field: str) -> Mapping[str, str]:
    """The attrs metadata of a field holding the id of a level of the scale in ``scale_field``."""
    return {_LEVEL_OF: scale_field}


@attrs.frozen
class Reference:
    """A field of ``owner`` that holds the id (``many``: ids) of a record of ``target``."""

    owner: type
    field: str
    target: str
    many: bool


@attrs.frozen
class Plan:
    """What a record class refers to: read once per class, used for every record."""

    references: tuple[Reference, ...]
    #: (level field, the field naming its scale)
    levels: tuple[tuple[str, str], ...]
    #: Fields holding nested records (or tuples of them) that refer to records in turn.
    nested: tuple[str, ...]


def _record_types(hint: Any) -> Iterator[type]:
    """The attrs classes a type hint can hold: ``Measurement | None``, ``tuple[Condition, ...]``."""
    if isinstance(hint, type) and attrs.has(hint):
        yield hint
        return
    if typing.get_origin(hint) in (typing.Union, types.UnionType, tuple):
        for argument in typing.get_args(hint):
            yield from _record_types(argument)


@functools.cache
def _children(cls: type) -> Mapping[str, tuple[type, ...]]:
    """The record classes each field of ``cls`` can hold, by field name; read once per class."""
    types_of = field_types(cls)
    return {field.name: tuple(_record_types(types_of[field.name])) for field in attrs.fields(cls)}


def record_classes(roots: Iterable[type]) -> tuple[type, ...]:
    """Every record class reachable from ``roots`` through their fields, roots first."""
    found: dict[type, None] = {}
    pending = list(roots)
    while pending:
        cls = pending.pop(0)
        if cls in found:
            continue
        found[cls] = None
        pending.extend(child for group in _children(cls).values() for child in group)
    return tuple(found)


@functools.cache
def _own(cls: type) -> tuple[tuple[Reference, ...], tuple[tuple[str, str], ...]]:
    """The reference fields and level fields of ``cls`` itself; read once per class."""
    types_of = field_types(cls)
    references = tuple(
        Reference(
            owner=cls,
            field=field.name,
            target=field.metadata[_REFERS_TO],
            many=typing.get_origin(types_of[field.name]) is tuple,
        )
        for field in attrs.fields(cls)
        if _REFERS_TO in field.metadata
    )
    levels = tuple(
        (field.name, field.metadata[_LEVEL_OF])
        for field in attrs.fields(cls)
        if _LEVEL_OF in field.metadata
    )
    return references, levels


@functools.cache
def plan(cls: type) -> Plan:
    """The reference fields, level fields and nested record fields of a record class."""
    references, levels = _own(cls)
    nested = tuple(
        name
        for name, children in _children(cls).items()
        if any(map(_reaches_a_reference, children))
    )
    return Plan(references=references, levels=levels, nested=nested)


@functools.cache
def _reaches_a_reference(cls: type) -> bool:
    """Whether ``cls``, or a record class reachable from it, has a reference or level field."""
    return any(_refers(found) for found in record_classes((cls,)))


@functools.cache
def _refers(cls: type) -> bool:
    references, levels = _own(cls)
    return bool(references or levels)
