"""Imported records into a dataset document: added, unchanged, updated, or in conflict.

A record whose id the dataset lacks is added. One it has is compared field by
field, on the fields the import fills: equal, it is left as it is; different,
each differing field is an ``import-conflict`` (nothing is written) unless
``update`` is asked for, which sets those fields and keeps the others (a field
added by hand survives a re-import). Actors are only ever added: an actor the
import names was matched to one the dataset has, by id, name or short name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs

from benchmarkkit._mapping._apply import Made
from benchmarkkit._problems import Problem, pointer_parts, value_at
from benchmarkkit._wording import short, singular

__all__ = ["Merged", "merge"]


@attrs.define
class Merged:
    """The dataset document after the merge, and where each imported record went."""

    document: dict[str, Any]
    #: (collection, index in it) -> the record that went there.
    placed: dict[tuple[str, int], Made] = attrs.field(factory=dict)
    problems: list[Problem] = attrs.field(factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def merge(
    document: dict[str, Any],
    records: Iterable[Made],
    *,
    update: bool,
    into: str | None,
    problem_at: Callable[[Problem, Made, str], Problem],
) -> Merged:
    """Merge ``records`` into ``document`` (changed in place), in order.

    ``into`` names the dataset imported into, for messages; ``problem_at``
    places a problem at the cell of a record's field (pointer inside the record).
    """
    merged = Merged(document)
    indexes: dict[str, dict[str, int]] = {}
    for made in records:
        collection = document.setdefault(made.collection, [])
        index = indexes.get(made.collection)
        if index is None:
            index = indexes[made.collection] = {
                r["id"]: n for n, r in enumerate(collection) if isinstance(r, dict) and "id" in r
            }
        where = index.get(made.id)
        if where is None:
            index[made.id] = len(collection)
            merged.placed[(made.collection, len(collection))] = made
            collection.append(made.data)
            merged.added += 1
            continue
        merged.placed[(made.collection, where)] = made
        if made.collection == "actors":
            merged.unchanged += 1
            continue
        _compare(merged, collection[where], made, update=update, into=into, problem_at=problem_at)
    return merged


def _compare(
    merged: Merged,
    old: dict[str, Any],
    made: Made,
    *,
    update: bool,
    into: str | None,
    problem_at: Callable[[Problem, Made, str], Problem],
) -> None:
    changed = [f for f, v in made.data.items() if f != "id" and old.get(f) != v]
    if not changed:
        merged.unchanged += 1
        return
    if update:
        old.update({field: made.data[field] for field in changed})
        merged.updated += 1
        return
    record = f"{singular(made.collection)} {made.id!r}"
    there = f"in {into}" if into else "already in the dataset"
    for field in changed:
        new = made.data[field]
        inner = _where(old.get(field), new)
        parts = pointer_parts(inner)
        was, given = value_at(old.get(field), parts), value_at(new, parts)
        label = field + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in parts)
        had = f"is {short(was)}" if was is not None else "is not given"
        gives = short(given) if given is not None else "nothing"
        problem = Problem.create(
            "import-conflict",
            f"the {record} is {there}, where its {label} {had}; the table gives {gives}",
            value=new,
        )
        merged.problems.append(problem_at(problem, made, f"/{field}{inner}"))


def _where(old: Any, new: Any) -> str:
    """Where inside two values of a field the first difference is: ``/0/position``, or ``""``."""
    if isinstance(old, list) and isinstance(new, list):
        for index, (one, other) in enumerate(zip(old, new, strict=False)):
            if one != other:
                return f"/{index}{_where(one, other)}"
        return f"/{min(len(old), len(new))}"
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            if old.get(key) != value:
                return f"/{key}"
    return ""
