"""One index of a dataset's records by id, used by the checks, scoring and the reports.

When an id is used twice in a collection (which validation reports as
``duplicate-id``, naming where the first one is), the first record with
that id is the one every part of the library uses: the checks, the rule
context of scoring and the published reports look it up by id, and every
listing (the benchmarks scored, the areas counted, the gates decided, the
evidence shown) takes :meth:`RecordIndex.records`, the first record of each
id in dataset order. A later copy is reported by validation and changes
nothing else.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from operator import attrgetter
from typing import Any

from benchmarkkit._model import Dataset, collections_of
from benchmarkkit._scales import BUILTIN_SCALES, StatusScale

__all__ = ["RecordIndex", "collections_of", "first_by_id", "index_of"]

_ID = attrgetter("id")


def first_by_id(records: tuple[Any, ...]) -> dict[str, Any]:
    """The records of a collection by id, in their order; the first record of an id wins."""
    found = dict(zip(map(_ID, records), records, strict=True))
    if len(found) != len(records):  # an id is used twice: keep the first, as the check says
        found = {}
        for record in records:
            found.setdefault(record.id, record)
    return found


class RecordIndex:
    """The records of a dataset by id, collection by collection, each built when first asked for.

    ``index["actors"]["eu"]`` is the first actor with the id ``eu``;
    ``index.records("actors")`` lists the first actor of each id, in order;
    :attr:`scales` adds the built-in scales the dataset does not replace.
    The index holds the collections, not the dataset.
    """

    __slots__ = ("_by_id", "_collections", "_listed", "_scales")

    def __init__(self, dataset: Dataset) -> None:
        self._collections: dict[str, tuple[Any, ...]] = {
            name: getattr(dataset, name) for name in collections_of(type(dataset))
        }
        self._by_id: dict[str, Mapping[str, Any]] = {}
        self._listed: dict[str, tuple[Any, ...]] = {}
        self._scales: Mapping[str, StatusScale] | None = None

    def __getitem__(self, collection: str) -> Mapping[str, Any]:
        """The records of ``collection`` by id (a ``KeyError`` for an unknown collection)."""
        found = self._by_id.get(collection)
        if found is None:
            found = self._by_id[collection] = first_by_id(self._collections[collection])
        return found

    def records(self, collection: str) -> tuple[Any, ...]:
        """The records of ``collection`` in dataset order, the first record of each id only.

        Without a repeated id this is the dataset's own tuple, not a copy.
        """
        found = self._listed.get(collection)
        if found is None:
            everything = self._collections[collection]
            by_id = self[collection]
            found = everything if len(by_id) == len(everything) else tuple(by_id.values())
            self._listed[collection] = found
        return found

    @property
    def scales(self) -> Mapping[str, StatusScale]:
        """Every scale a dataset can use: its own, and the built-in ones it does not replace."""
        if self._scales is None:
            self._scales = {**BUILTIN_SCALES, **self["scales"]}
        return self._scales

    def __repr__(self) -> str:
        built = ", ".join(self._by_id) or "nothing yet"
        return f"<RecordIndex of {len(self._collections)} collections; built: {built}>"


# The index of the dataset last asked for, so that the checks of one validation (and a
# scoring or a report that follows) build it once. It is dropped when that dataset is.
_last: tuple[weakref.ref[Dataset], RecordIndex] | None = None


def _forget(reference: weakref.ref[Dataset]) -> None:
    global _last  # noqa: PLW0603 - the one-entry memo above, private to this module
    last = _last
    if last is not None and last[0] is reference:
        _last = None


def index_of(dataset: Dataset) -> RecordIndex:
    """The index of ``dataset``: the same one for every caller while the dataset lives."""
    global _last  # noqa: PLW0603 - the one-entry memo above, private to this module
    last = _last
    if last is not None and last[0]() is dataset:
        return last[1]
    index = RecordIndex(dataset)
    _last = (weakref.ref(dataset, _forget), index)
    return index
