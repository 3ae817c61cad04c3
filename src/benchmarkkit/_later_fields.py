"""Fields a dataset uses that are newer than the format version it declares.

The schema of format 1.1 accepts its new fields in a dataset of any version,
so that one schema reads every 1.x. A dataset that says it is 1.0 and uses
``recommendations`` is written for 1.1 all the same: this module finds such
fields in the parsed files, after the schema, so validation can say so.

Which keys are new is read from the ``added_in`` metadata of the records'
fields (``_since``), the one place that says it, walking the record classes
from :class:`~benchmarkkit.Dataset` down. Only the classes whose subtree has
a field added after 1.0 are visited, and only for a dataset of an earlier
version: a dataset of the current version costs nothing.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from benchmarkkit._field_types import field_types
from benchmarkkit._since import added_in_version, version_at_least

__all__ = ["LaterField", "later_fields"]


@attrs.frozen
class LaterField:
    """A key at ``path`` in a file's data that format ``version`` added."""

    path: tuple[str | int, ...]
    key: str
    version: str


@attrs.frozen
class _Plan:
    """What to look at in one record class: its added keys, and the records nested in it."""

    added: Mapping[str, str]
    nested: Mapping[str, _Plan]


def _record_class(annotation: Any) -> type | None:
    """The one record class a field holds (alone, in a tuple, or with ``None``), if any."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        arguments = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return _record_class(arguments[0]) if len(arguments) == 1 else None
    if origin in (typing.Union, types.UnionType):
        found = [c for c in map(_record_class, typing.get_args(annotation)) if c is not None]
        return found[0] if len(found) == 1 else None
    return annotation if isinstance(annotation, type) and attrs.has(annotation) else None


@functools.cache
def _plan(cls: type) -> _Plan | None:
    """The plan of ``cls``, or ``None`` when nothing in it or under it was added after 1.0."""
    types_of = field_types(cls)
    added: dict[str, str] = {}
    nested: dict[str, _Plan] = {}
    for field in attrs.fields(cls):
        version = added_in_version(field)
        if version is not None:
            added[field.name] = version
        inner = _record_class(types_of[field.name])
        inner_plan = _plan(inner) if inner is not None and inner is not cls else None
        if inner_plan is not None:
            nested[field.name] = inner_plan
    return _Plan(added=added, nested=nested) if added or nested else None


def _find_in(
    data: dict[str, Any], plan: _Plan, path: tuple[str | int, ...], declared: str
) -> Iterator[LaterField]:
    for key, version in plan.added.items():  # a few keys: cheaper than a set per record
        if key in data and not version_at_least(declared, version):
            yield LaterField(path=(*path, key), key=key, version=version)
    for key, inner_plan in plan.nested.items():
        value = data.get(key)
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            # Most records have none of the keys and nothing nested to look at: no generator.
            if isinstance(item, dict) and (
                inner_plan.nested or any(k in item for k in inner_plan.added)
            ):
                where = (*path, key, index) if isinstance(value, list) else (*path, key)
                yield from _find_in(item, inner_plan, where, declared)


def later_fields(data: Any, declared: str) -> list[LaterField]:
    """The keys in ``data`` (a dataset file or fragment) newer than format ``declared``.

    In document order of the record classes; a key the schema refused is found
    all the same, as the reader needs both messages.
    """
    from benchmarkkit._model import Dataset

    plan = _plan(Dataset)
    if plan is None or not isinstance(data, dict):
        return []
    return sorted(_find_in(data, plan, (), declared), key=lambda found: _order(found.path))


def _order(path: tuple[str | int, ...]) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in path)
