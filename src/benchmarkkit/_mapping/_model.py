"""The mapping file as typed values, structured with cattrs once its schema has passed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs
import cattrs

__all__ = [
    "ActorsSpec",
    "Condition",
    "IdSpec",
    "ItemSpec",
    "Lookup",
    "MappingSpec",
    "RecordSpec",
    "TableSpec",
    "ValueSpec",
    "structure_mapping",
]


@attrs.frozen(kw_only=True)
class TableSpec:
    """How to read the table."""

    sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None


@attrs.frozen(kw_only=True)
class Condition:
    """A condition on one cell of a row; exactly one test is set (``test``, ``operand``)."""

    column: str
    test: Literal["is", "is_not", "in", "not_in", "matches", "filled"]
    operand: Any


@attrs.frozen(kw_only=True)
class ActorsSpec:
    """How names become actors."""

    kind: str = "other"
    aliases: Mapping[str, str] = attrs.field(factory=dict)
    ids: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class Lookup:
    """A table of values by key; ``rows`` is ``None`` until a ``file`` is read."""

    key: tuple[str, ...]
    missing: Literal["error", "empty"] = "error"
    file: str | None = None
    rows: Mapping[str, Mapping[str, Any]] | None = None


@attrs.frozen(kw_only=True)
class IdSpec:
    """A record's id: from a column, or a stable hash of the identifying columns."""

    column: str | None = None
    from_: tuple[str, ...] = ()
    prefix: str = ""


@attrs.frozen(kw_only=True)
class ValueSpec:
    """Where one field's value comes from, and what is done to it."""

    column: str | None = None
    value: Any = None
    #: Whether ``value`` is given: ``value: null`` is a constant too.
    constant: bool = False
    lookup: str | None = None
    field: str | None = None
    map: Mapping[str, Any] | None = None
    unmapped: Literal["error", "keep", "empty"] = "error"
    split: str | None = None
    actor: bool = False


@attrs.frozen(kw_only=True)
class ItemSpec(Mapping[str, ValueSpec]):
    """One nested record each row makes: its fields' specs, and when it is made.

    It reads as the mapping of its fields to their specs; ``when`` (``None``:
    always) is the condition a row must meet for the item to be made.
    """

    fields: Mapping[str, ValueSpec]
    when: Condition | None = None

    def __getitem__(self, name: str) -> ValueSpec:
        return self.fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)


#: A field's spec: one value, or the items of a list of nested records.
FieldSpec = ValueSpec | tuple[ItemSpec, ...]


@attrs.frozen(kw_only=True)
class RecordSpec:
    """The record of one collection each kept row makes."""

    collection: str
    id: IdSpec
    fields: Mapping[str, FieldSpec]
    #: Each nested-record field -> its items' ``when``: made once, read for every row.
    _when: Mapping[str, tuple[Condition | None, ...]] = attrs.field(
        init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        when = {
            field: tuple(item.when for item in given)
            for field, given in self.fields.items()
            if not isinstance(given, ValueSpec)
        }
        object.__setattr__(self, "_when", when)

    def conditions(self, field: str) -> tuple[Condition | None, ...]:
        """The ``when`` of each item of the nested-record field ``field``, in order."""
        return self._when.get(field, ())


@attrs.frozen(kw_only=True)
class MappingSpec:
    """A whole mapping file."""

    mapping_version: str
    records: tuple[RecordSpec, ...]
    title: str | None = None
    table: TableSpec = TableSpec()
    dataset: Mapping[str, Any] = attrs.field(factory=dict)
    add: Mapping[str, tuple[Mapping[str, Any], ...]] = attrs.field(factory=dict)
    keep: tuple[Condition, ...] = ()
    actors: ActorsSpec = ActorsSpec()
    lookups: Mapping[str, Lookup] = attrs.field(factory=dict)
    ignore: tuple[str, ...] = ()


_TESTS = ("is", "is_not", "in", "not_in", "matches", "filled")


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)

    def condition(data: Mapping[str, Any], _type: Any) -> Condition:
        test = next(key for key in _TESTS if key in data)
        return Condition(column=data["column"], test=test, operand=data[test])  # type: ignore[arg-type]

    def id_spec(data: Mapping[str, Any], _type: Any) -> IdSpec:
        return IdSpec(
            column=data.get("column"),
            from_=tuple(data.get("from", ())),
            prefix=data.get("prefix", ""),
        )

    def item_spec(data: Mapping[str, Any]) -> ItemSpec:
        when = data.get("when")
        return ItemSpec(
            fields={n: value_spec(s, ValueSpec) for n, s in data.items() if n != "when"},
            when=None if when is None else condition(when, Condition),
        )

    def field_spec(data: Any, _type: Any) -> FieldSpec:
        if isinstance(data, list):
            return tuple(item_spec(item) for item in data)
        return value_spec(data, ValueSpec)

    value_fields = converter.get_structure_hook(ValueSpec)

    def value_spec(data: Mapping[str, Any], _type: Any) -> ValueSpec:
        spec: ValueSpec = value_fields(data, ValueSpec)
        return attrs.evolve(spec, constant="value" in data)

    def plain(data: Any, _type: Any) -> Any:
        return data

    converter.register_structure_hook(Condition, condition)
    converter.register_structure_hook(IdSpec, id_spec)
    converter.register_structure_hook(ValueSpec, value_spec)
    converter.register_structure_hook_func(lambda t: t == FieldSpec, field_spec)
    converter.register_structure_hook_func(lambda t: t is Any, plain)
    return converter


_CONVERTER = _converter()


def structure_mapping(data: Mapping[str, Any]) -> MappingSpec:
    """The typed mapping of a document that has passed the mapping schema."""
    return _CONVERTER.structure(data, MappingSpec)
