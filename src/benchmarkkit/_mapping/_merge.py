"""Imported records into a dataset document: added, unchanged, updated, or in conflict.

A record whose id the dataset lacks is added. One it has is compared field by
field, on the fields the import fills: equal, it is left as it is; different,
each differing field is an ``import-conflict`` (nothing is written) unless
``update`` is asked for, which sets those fields and keeps the others (a field
added by hand survives a re-import). The actors made for names in the table
are always new (a name the dataset knows, by id, name or short name, was
matched to its actor); the mapping's ``add`` records are compared like the rest.

An id the import itself gives twice (two ``add`` records, or an ``add`` record
and a record the rows make) is a ``duplicate-id``, never dropped: it is placed
at the ``add`` record in the mapping file, or at the later row's cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from benchmarkkit._mapping._apply import Made, first_difference, label_of
from benchmarkkit._problems import Problem, pointer_parts, value_at
from benchmarkkit._wording import A_RECORD, short, singular

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
    described: Callable[[Made], str],
) -> Merged:
    """Merge ``records`` into ``document`` (changed in place), in order.

    ``into`` names the dataset imported into, for messages; ``problem_at``
    places a problem at the cell of a record's field (pointer inside the record);
    ``described`` says in words where a record comes from (``row 3 (upr!A3)``).
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
        earlier = merged.placed.get((made.collection, where))
        if earlier is not None:
            merged.problems.append(_repeated(earlier, made, problem_at, described))
            continue
        merged.placed[(made.collection, where)] = made
        _compare(merged, collection[where], made, update=update, into=into, problem_at=problem_at)
    return merged


def _repeated(
    first: Made,
    later: Made,
    problem_at: Callable[[Problem, Made, str], Problem],
    described: Callable[[Made], str],
) -> Problem:
    """A ``duplicate-id``: ``later`` has the id of ``first``, which this import also made."""
    record = singular(later.collection)
    one = A_RECORD.get(later.collection, f"a {record}")
    identifier = short(later.id)
    if first.in_mapping and later.in_mapping:
        at = later
        message = (
            f"the mapping's `add` has two {record} records with the id {identifier}; the "
            f"first is at {described(first)}: give each its own id, or remove the repeated one"
        )
    elif first.in_mapping or later.in_mapping:
        at, other = (first, later) if first.in_mapping else (later, first)
        message = (
            f"this {record} of the mapping's `add` has the id {identifier}, and the table "
            f"makes {one} with the same id at {described(other)}; a record comes from "
            "one place: remove it from `add`, or change its id"
        )
    else:
        at = later
        message = (
            f"this row makes {one} with the id {identifier}, which {described(first)} "
            "already made; the two are not merged: make the record in one place only, or "
            "change how the mapping makes their ids"
        )
    problem = Problem.create("duplicate-id", message, value=later.id)
    return problem_at(problem, at, "/id")


def _compare(
    merged: Merged,
    old: dict[str, Any],
    made: Made,
    *,
    update: bool,
    into: str | None,
    problem_at: Callable[[Problem, Made, str], Problem],
) -> None:
    changed = [f for f, v in made.data.items() if f != "id" and not _same(made, f, old.get(f), v)]
    if not changed:
        merged.unchanged += 1
        return
    if update:
        old.update({field: made.data[field] for field in changed})
        merged.updated += 1
        return
    record = f"{singular(made.collection)} {made.id!r}"
    there = f"in {into}" if into else "already in the dataset"
    origin = "the mapping's `add`" if made.in_mapping else "the table"
    for field in changed:
        new = made.data[field]
        inner = "" if field in made.collected else first_difference(old.get(field), new)
        parts = pointer_parts(inner)
        was, given = value_at(old.get(field), parts), value_at(new, parts)
        label = label_of([field, *parts])
        if field in made.collected and isinstance(was, list) and isinstance(given, list):
            had, gives = f"lists {_listed(was)}", _listed(given)  # in any order
        else:
            had = f"is {short(was)}" if was is not None else "is not given"
            gives = short(given) if given is not None else "nothing"
        problem = Problem.create(
            "import-conflict",
            f"the {record} is {there}, where its {label} {had}; {origin} gives {gives}",
            value=new,
        )
        merged.problems.append(problem_at(problem, made, f"/{field}{inner}"))


def _same(made: Made, field: str, old: Any, new: Any) -> bool:
    """Whether a field the import fills is unchanged.

    A list the rows collect (``by``, ``themes``) follows the order of the
    table's rows, so the same items in another order are the same list.
    """
    if old == new:
        return True
    if field not in made.collected or not isinstance(old, list) or not isinstance(new, list):
        return False
    try:
        return Counter(old) == Counter(new)
    except TypeError:  # an item that is not a plain value: only an equal list is the same
        return False


def _listed(items: list[Any]) -> str:
    """The items of a list, for a message: ``'france', 'germany'``."""
    return ", ".join(short(item) for item in items) or "nothing"
