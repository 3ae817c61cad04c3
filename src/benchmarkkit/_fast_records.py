"""Records built by msgspec straight into the attrs classes: the fast way to type parsed data.

cattrs (:mod:`benchmarkkit._converter`) is the reference converter. Validation
builds with this module the records of files it parsed that passed the schema,
and asks cattrs for any record this module refuses, so the problems are always
cattrs' own; data built in Python (which may hold a ``str`` subclass, say, that
the two treat differently) is left to cattrs whole.

msgspec fills an attrs record's fields from the data by their annotations, in C,
and runs the field validators, but not the converters: every converter of the
model returns the type its field is annotated with (a vocabulary, a float), so
msgspec gives what the converter would. What msgspec cannot build is built around it:

- a date is written as text, but :class:`PartialDate` is itself an attrs class:
  it is read here first (once per text, as cattrs reads it) and handed to msgspec
  as the value, which msgspec takes as it is;
- a gate condition is a union of attrs classes tagged by ``kind``, which msgspec
  refuses: a condition is built by its kind, and a record that holds one (a gate,
  a condition of conditions, the dataset itself) field by field, each field by
  msgspec, then the class is called with them, as cattrs calls it.

msgspec ignores keys a record does not have; the schema, which allows no other
key anywhere in a record, has refused those before this module sees them.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import msgspec

from benchmarkkit._conditions import CONDITION_KINDS, Condition
from benchmarkkit._dates import PartialDate
from benchmarkkit._field_types import field_types

__all__ = ["builder", "read_date", "structure"]

#: The ``kind`` each condition class is written with.
_KIND_OF: dict[type, str] = {cls: kind for kind, cls in CONDITION_KINDS.items()}

T = TypeVar("T")
_Build = Callable[[Any], Any]

#: Dates already read: a dataset repeats a few thousand dates over its records, and a
#: PartialDate is an immutable value, so records may share one.
_DATES: dict[str, PartialDate] = {}


def read_date(value: Any) -> PartialDate:
    """The date written ``value`` (``"2012-03"``), or ``value`` if it is a date already.

    Raises :class:`ValueError` for what is not a date, in the words of
    :meth:`PartialDate.parse`. Both converters read dates with it.
    """
    if type(value) is str:
        date = _DATES.get(value)
        if date is None:
            date = PartialDate.parse(value)  # raises for what is not a date
            if len(_DATES) >= 100_000:
                _DATES.clear()
            _DATES[value] = date
        return date
    if isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)


def builder(cls: type[T]) -> Callable[[Any], T]:
    """What builds a record of class ``cls`` from parsed JSON that passed the schema.

    The function it gives raises (any exception) where it cannot give exactly
    what cattrs would: the caller then asks cattrs, which builds the record or
    says what is wrong.
    """
    hint: Any = cls  # a class, hashable, as the cache of builders needs
    build = _builder(hint)
    if build is None:
        return functools.partial(msgspec.convert, type=cls)
    return build


def structure(value: Any, cls: type[T]) -> T:
    """The record of class ``cls`` that ``value`` holds, as :func:`builder` builds it."""
    return builder(cls)(value)


@functools.cache
def _builder(hint: Any) -> _Build | None:
    """How to build a value of type ``hint`` where msgspec alone cannot; ``None`` where it can."""
    if hint is PartialDate:
        return read_date
    if hint == Condition:
        return _build_condition
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and len(args) == 2 and type(None) in args:
        return _optional(_builder(args[0] if args[1] is type(None) else args[1]))
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _items(_builder(args[0]))
    if isinstance(hint, type) and attrs.has(hint):
        kind = _KIND_OF.get(hint)
        build = _record_builder(hint)
        return build if kind is None else _of_kind(kind, build or _converter(hint))
    return None


def _optional(build: _Build | None) -> _Build | None:
    if build is None:
        return None

    def build_optional(value: Any) -> Any:
        return None if value is None else build(value)

    return build_optional


def _items(build: _Build | None) -> _Build | None:
    if build is None:
        return None

    def build_items(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise TypeError(f"expected a list, found {type(value).__name__}")
        return tuple([build(item) for item in value])

    return build_items


def _takes(cls: type) -> bool:
    """Whether msgspec builds ``cls`` (it refuses a union of several attrs classes).

    Asked by converting nothing into it: msgspec then learns the class, as it
    must before it builds one, and says whether it can (``msgspec.inspect``
    would say the same, ten times slower).
    """
    try:
        msgspec.convert(None, cls)
    except msgspec.ValidationError:  # the class is known; null is no record
        return True
    except TypeError:  # a type msgspec does not support
        return False
    return True


def _record_builder(cls: type) -> _Build | None:
    """How to build a record of ``cls``: by msgspec, with its dates and conditions built first.

    The fields left out take their default values before msgspec sees the data:
    msgspec fills a field left out of a slotted class three times slower than
    one given (about 0.3 µs a field). Each default is what the field's converter
    makes of it, so the record is the same.
    """
    hints = field_types(cls)
    fields = [field for field in attrs.fields(cls) if field.init]
    first = {field.name: build for field in fields if (build := _builder(hints[field.name]))}
    if not _takes(cls):
        return _fieldwise(
            cls,
            {
                field.name: first.get(field.name) or _converter(hints[field.name])
                for field in fields
            },
        )
    defaults = {
        field.name: field.default
        for field in fields
        if field.default is not attrs.NOTHING and not isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
    }
    if not first and not defaults:
        return None
    built_first = tuple(first.items())

    def build_record(value: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(f"expected a mapping, found {type(value).__name__}")
        filled = {**defaults, **value}
        for name, build in built_first:
            if name in value:  # a default is already what the field holds
                filled[name] = build(value[name])
        return msgspec.convert(filled, cls)

    return build_record


def _converter(hint: Any) -> _Build:
    def convert(value: Any) -> Any:
        return msgspec.convert(value, hint)

    return convert


def _fieldwise(cls: type, fields: dict[str, _Build]) -> _Build:
    """Build a record of ``cls`` field by field, then call the class, as cattrs does."""

    def build_fieldwise(value: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(f"expected a mapping, found {type(value).__name__}")
        # A key that is no field raises KeyError: cattrs would refuse it too.
        return cls(**{key: fields[key](item) for key, item in value.items()})

    return build_fieldwise


def _build_condition(value: Any) -> Any:
    """A gate condition, of the class its ``kind`` names."""
    if type(value) is not dict:
        raise TypeError(f"expected a condition, found {type(value).__name__}")
    return structure(value, CONDITION_KINDS[value["kind"]])


def _of_kind(kind: str, build: _Build) -> _Build:
    """A condition class's builder: a ``kind`` given must name it, and is then dropped."""

    def build_condition(value: Any) -> Any:
        if type(value) is not dict:
            raise TypeError(f"expected a condition, found {type(value).__name__}")
        if "kind" in value:
            if value["kind"] != kind:
                raise ValueError(f"expected a condition of kind {kind!r}, found {value['kind']!r}")
            value = {key: item for key, item in value.items() if key != "kind"}
        return build(value)

    return build_condition
