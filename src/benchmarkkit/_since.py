"""Which version of the format added a field: declared once, on the field, and read here.

A field added after format 1.0 says so in its attrs metadata::

    recommendations: tuple[str, ...] = attrs.field(
        default=(), metadata={**refers_to("recommendations"), **added_in("1.1")}
    )

A record of an earlier version holds such a field only at its default. The
fingerprint leaves these fields out while they hold it, so that a scorecard of a
1.0 dataset keeps its fingerprint, and the checks of a dataset's version and the
data-format reference read them from here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

__all__ = ["added_fields", "added_in", "added_in_version", "version_at_least"]

_ADDED_IN = "benchmarkkit.added_in"


def added_in(version: str) -> Mapping[str, str]:
    """The attrs metadata of a field that format ``version`` added."""
    return {_ADDED_IN: version}


def added_in_version(field: attrs.Attribute) -> str | None:  # type: ignore[type-arg]
    """The format version that added ``field``, or ``None`` for a field of format 1.0."""
    version: str | None = field.metadata.get(_ADDED_IN)
    return version


@functools.cache
def added_fields(cls: type) -> Mapping[str, object]:
    """The fields of ``cls`` added after format 1.0, each with its default value.

    Every such field has a plain default (``None``, ``()``): a record of an earlier
    version holds it.
    """
    found: dict[str, object] = {}
    for field in attrs.fields(cls):
        if added_in_version(field) is None:
            continue
        found[field.name] = field.default
    return found


def version_at_least(version: str, minimum: str) -> bool:
    """Whether format ``version`` ("1.0") is ``minimum`` ("1.1") or later.

    A check added with a later version of the format applies to datasets of that
    version and later only, so that a dataset of an earlier version validates as it
    always did; upgrading it opts in.
    """
    return _numbers(version) >= _numbers(minimum)


def _numbers(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()
