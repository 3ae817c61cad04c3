"""The fingerprint of a scorecard: a hash of the configuration, the date and the inputs used.

Two scorecards with the same fingerprint were computed by the same rules
with the same parameters, as of the same day, from the same records. The
hash covers each record's full content, in a canonical order that does not
depend on the order of the dataset's files or lists.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from benchmarkkit._dates import PartialDate
from benchmarkkit._since import added_fields

__all__ = ["FINGERPRINT_VERSION", "canonical", "fingerprint"]

#: Changes whenever what the fingerprint covers changes, so that old and new never collide.
FINGERPRINT_VERSION = 1


_FIELDS: dict[type, tuple[str, ...]] = {}
_KEPT = object()  # compares unequal to every value: a field of format 1.0 is always hashed


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(field.name for field in attrs.fields(cls))
    return names


def canonical(value: Any) -> Any:
    """Turn ``value`` into plain JSON data: every attrs field (defaults included), dates as text.

    The exception: a field added after format 1.0 is left out while it holds its
    default, so that a record of format 1.0 hashes as it always did.
    """
    if isinstance(value, enum.Enum):  # first: the vocabularies are str enums
        result: Any = canonical(value.value)
    elif value is None or isinstance(value, str | bool | int):
        result = value
    elif isinstance(value, float):
        result = value if math.isfinite(value) else repr(value)
    elif isinstance(value, PartialDate):
        result = str(value)
    elif isinstance(value, dt.date):
        result = value.isoformat()
    elif attrs.has(type(value)):
        added = added_fields(value.__class__)
        # A field a later format added, at its default, is left out: a record of
        # format 1.0 keeps the fingerprint it had.
        result = {
            name: canonical(item)
            for name in _field_names(type(value))
            if (item := getattr(value, name)) != added.get(name, _KEPT)
        }
    elif isinstance(value, Mapping):
        result = {str(key): canonical(item) for key, item in value.items()}
    elif isinstance(value, list | tuple):
        result = [canonical(item) for item in value]
    else:
        result = repr(value)
    return result


def _dumps(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def fingerprint(
    *,
    as_of: dt.date,
    config: Any,
    rules: Mapping[str, str],
    structure: Mapping[str, Iterable[Any]],
    inputs: Iterable[tuple[str, str, Any]],
) -> str:
    """Hash the canonical JSON of everything a scorecard was computed from (hex SHA-256).

    ``rules`` maps each rule and aggregation name used to where it comes
    from; ``structure`` holds the benchmarks, areas and gates the scorecard
    is made of; ``inputs`` are the records the rules read, as
    ``(collection, id, record)``. The hashed text is one JSON line for the
    configuration, the date and the rules, then one line per record, the
    record lines sorted so that the order of the dataset does not matter.
    """
    header = {
        "fingerprint_version": FINGERPRINT_VERSION,
        "as_of": as_of.isoformat(),
        "config": canonical(config),
        "rules": dict(rules),
    }
    records = [
        _dumps(["structure", name, canonical(record)])
        for name, collection in structure.items()
        for record in collection
    ]
    records.extend(
        _dumps(["input", collection, record_id, canonical(record)])
        for collection, record_id, record in inputs
    )
    records.sort()
    digest = hashlib.sha256(_dumps(header).encode("utf-8"))
    for line in records:
        digest.update(b"\n")
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()
