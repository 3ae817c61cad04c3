"""The fingerprint of a scorecard: a hash of the configuration, the date and the inputs used.

Two scorecards with the same fingerprint were computed by the same rules
with the same parameters, as of the same day, from the same records. The
hash covers each record's full content, in a canonical order that does not
depend on the order of the dataset's files or lists.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import orjson

from benchmarkkit._dates import PartialDate
from benchmarkkit._since import added_fields

__all__ = ["FINGERPRINT_VERSION", "LineCache", "canonical", "fingerprint"]

#: Changes whenever what the fingerprint covers changes, so that old and new never collide.
FINGERPRINT_VERSION = 1


_KEPT = object()  # compares unequal to every value: a field of format 1.0 is always hashed
#: Each attrs class's fields, in order, each with its default if a later format added it
#: (left out at that default), else ``_KEPT``: read once per class.
_SHAPES: dict[type, tuple[tuple[str, object], ...]] = {}
_PLAIN = frozenset({str, int, bool, type(None)})


def _shape(cls: type) -> tuple[tuple[str, object], ...]:
    shape = _SHAPES.get(cls)
    if shape is None:
        added = added_fields(cls)
        shape = tuple((field.name, added.get(field.name, _KEPT)) for field in attrs.fields(cls))
        _SHAPES[cls] = shape
    return shape


def canonical(value: Any) -> Any:
    """Turn ``value`` into plain JSON data: every attrs field (defaults included), dates as text.

    The exception: a field added after format 1.0 is left out while it holds its
    default, so that a record of format 1.0 hashes as it always did.
    """
    return _canonical(value, _same)


def _same(number: float) -> Any:
    return number


def _as_python_writes(number: float) -> Any:
    """A float as the standard library's ``json`` writes it (orjson writes ``1e-05`` otherwise)."""
    return orjson.Fragment(float.__repr__(number))


def _canonical(value: Any, finite: Callable[[float], Any]) -> Any:
    """:func:`canonical`, with each finite float written by ``finite``.

    The common kinds first, by their exact type (a str enum is no ``str`` here);
    everything else by the rules below them.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is float:
        return finite(value) if math.isfinite(value) else repr(value)
    if kind is tuple or kind is list:
        return [_canonical(item, finite) for item in value]
    if kind is not PartialDate and (kind in _SHAPES or attrs.has(kind)):
        result: dict[str, Any] = {}
        for name, default in _shape(kind):
            item = getattr(value, name)
            # A field a later format added, at its default, is left out: a record of
            # format 1.0 keeps the fingerprint it had.
            if default is _KEPT or item != default:
                result[name] = _canonical(item, finite)
        return result
    return _canonical_other(value, finite)


def _canonical_other(value: Any, finite: Callable[[float], Any]) -> Any:
    """:func:`_canonical` of the kinds it does not take by their exact type."""
    if isinstance(value, enum.Enum):  # first: the vocabularies are str enums
        result: Any = _canonical(value.value, finite)
    elif value is None or isinstance(value, str | bool | int):
        result = value
    elif isinstance(value, float):
        result = finite(value) if math.isfinite(value) else repr(value)
    elif isinstance(value, PartialDate):
        result = str(value)
    elif isinstance(value, dt.date):
        result = value.isoformat()
    elif isinstance(value, Mapping):
        result = {str(key): _canonical(item, finite) for key, item in value.items()}
    elif isinstance(value, list | tuple):
        result = [_canonical(item, finite) for item in value]
    else:  # an attrs class is taken by _canonical, whatever its subclasses
        result = repr(value)
    return result


#: How :func:`_fast_canonical` writes a value of each exact type, found once per type.
_Writer = Callable[[Any, Callable[[float], Any]], Any]
_WRITERS: dict[type, _Writer] = {}


def _fast_canonical(value: Any, finite: Callable[[float], Any]) -> Any:
    """:func:`_canonical`, with the branch for each exact type chosen once (dispatch on type).

    Which branch :func:`_canonical` takes depends only on the exact type of a
    value, so the branch is looked up in :data:`_WRITERS`; fields and items of
    the plain kinds are taken as they are, without a call. Encoding the 20,000
    evidence lines of the 100k harness dataset takes about 30% less CPU so;
    ``tests/test_fingerprint_encoder.py`` pins it to :func:`canonical`, the plain
    reference.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    writer = _WRITERS.get(kind)
    if writer is None:
        writer = _WRITERS[kind] = _writer_of(kind)
    return writer(value, finite)


def _float(value: float, finite: Callable[[float], Any]) -> Any:
    return finite(value) if math.isfinite(value) else repr(value)


def _sequence(value: Iterable[Any], finite: Callable[[float], Any]) -> list[Any]:
    return [item if type(item) in _PLAIN else _fast_canonical(item, finite) for item in value]


def _record(names: tuple[str, ...], value: Any, finite: Callable[[float], Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in names:
        item = getattr(value, name)
        result[name] = item if type(item) in _PLAIN else _fast_canonical(item, finite)
    return result


def _record_since(
    shape: tuple[tuple[str, object], ...], value: Any, finite: Callable[[float], Any]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, default in shape:
        item = getattr(value, name)
        if default is _KEPT or item != default:
            result[name] = item if type(item) in _PLAIN else _fast_canonical(item, finite)
    return result


def _enum(value: enum.Enum, finite: Callable[[float], Any]) -> Any:
    return _fast_canonical(value.value, finite)


def _text(value: object, finite: Callable[[float], Any]) -> str:
    return str(value)


def _mapping(value: Mapping[Any, Any], finite: Callable[[float], Any]) -> dict[str, Any]:
    return {str(key): _fast_canonical(item, finite) for key, item in value.items()}


#: The writers of the kinds taken by their exact type alone (a date as text, not as a record).
_KIND_WRITERS: dict[type, _Writer] = {
    float: _float,
    tuple: _sequence,
    list: _sequence,
    PartialDate: _text,
    dict: _mapping,
}


def _writer_of(kind: type) -> _Writer:
    """The writer of values of exactly ``kind``: the branch :func:`_canonical` takes for it."""
    writer = _KIND_WRITERS.get(kind)
    if writer is not None:
        return writer
    if attrs.has(kind):
        shape = _shape(kind)
        if all(default is _KEPT for _, default in shape):
            return functools.partial(_record, tuple(name for name, _ in shape))
        return functools.partial(_record_since, shape)
    if issubclass(kind, enum.Enum):
        return _enum
    return _canonical_other


def _dumps(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _encode(value: Any) -> bytes:
    """The canonical JSON line of ``value`` in UTF-8: keys sorted, compact, nothing escaped.

    orjson writes it, with floats as the standard library writes them; the
    standard library itself where orjson refuses (an integer beyond 64 bits),
    so that every line is the one it always was.
    """
    try:
        return orjson.dumps(_fast_canonical(value, _as_python_writes), option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError is one
        return _dumps(canonical(value)).encode("utf-8")


class LineCache:
    """Each record's canonical line, encoded once: a history of many dates shares them.

    Keyed by the record object itself (kept alive here), so that a record
    rebuilt for a date (a recommendation with only the responses given by
    then) is encoded on its own.
    """

    __slots__ = ("_lines",)

    def __init__(self) -> None:
        self._lines: dict[tuple[tuple[str, ...], int], tuple[object, bytes]] = {}

    def line(self, head: tuple[str, ...], record: object) -> bytes:
        """The line ``[*head, canonical(record)]``, encoded."""
        key = (head, id(record))
        found = self._lines.get(key)
        if found is None or found[0] is not record:
            found = self._lines[key] = (record, _encode([*head, record]))
        return found[1]


def fingerprint(
    *,
    as_of: dt.date,
    config: Any,
    rules: Mapping[str, str],
    structure: Mapping[str, Iterable[Any]],
    inputs: Iterable[tuple[str, str, Any]],
    lines: LineCache | None = None,
) -> str:
    """Hash the canonical JSON of everything a scorecard was computed from (hex SHA-256).

    ``rules`` maps each rule and aggregation name used to where it comes
    from; ``structure`` holds the benchmarks, areas and gates the scorecard
    is made of; ``inputs`` are the records the rules read, as
    ``(collection, id, record)``. The hashed text is one JSON line for the
    configuration, the date and the rules, then one line per record, the
    record lines sorted so that the order of the dataset does not matter
    (UTF-8 bytes sort as their text does). ``lines`` keeps the records'
    lines for the next scorecard of the same dataset.
    """
    cache = lines if lines is not None else LineCache()
    header = {
        "fingerprint_version": FINGERPRINT_VERSION,
        "as_of": as_of.isoformat(),
        "config": config,
        "rules": dict(rules),
    }
    records = [
        cache.line(("structure", name), record)
        for name, collection in structure.items()
        for record in collection
    ]
    records.extend(
        cache.line(("input", collection, record_id), record)
        for collection, record_id, record in inputs
    )
    records.sort()
    return hashlib.sha256(b"\n".join([_encode(header), *records])).hexdigest()
