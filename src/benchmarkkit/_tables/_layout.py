"""The workbook layout: which sheet and column hold each field of a dataset, defined once.

The layout is read from the model (the attrs classes, their field order, their
reference declarations) and the schema (descriptions, required fields,
enumerations), never listed by hand, so a field added to a record appears in
the workbook with no other change. The rules, after flatten-tool's:

- a ``dataset`` sheet with one row, for the dataset's own fields;
- a sheet per collection, named by it, one row per record, ``id`` first, then
  the fields in the model's order;
- a field holding one nested record (an indicator's ``baseline``, the
  dataset's ``scoring``) is a group of columns named by its path,
  ``baseline/value``;
- a field holding a list of nested records (a recommendation's ``responses``,
  a scale's ``levels``) is a sheet of its own, ``recommendations_responses``,
  whose rows start with the parent's id and their ``order`` among the parent's;
- a gate's condition tree is the sheet ``gates_conditions``, one row per
  condition, placed by its ``path`` in the tree (``1``, ``1.2``, ``1.2.1``);
- rule parameters, free-form, are one cell of JSON text.

:func:`tables` gives the rows of every sheet for a dataset, as typed cells
(text, whole numbers, numbers, true/false, or None for an empty cell); the
writers in ``_xlsx`` and ``_csv`` put them in cells as ``_cells`` says.
"""

from __future__ import annotations

import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from benchmarkkit._conditions import CONDITION_KINDS, AllOf, AnyOf, AtLeast, Condition, Gate
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import COLLECTIONS, Dataset, IndicatorValue
from benchmarkkit._references import _LEVEL_OF, _REFERS_TO
from benchmarkkit._schema import _document
from benchmarkkit._tables._cells import join_items
from benchmarkkit._wording import SINGULAR

__all__ = ["COLUMNS_SHEET", "LAYOUT", "Cell", "Column", "Kind", "Sheet", "Table", "tables"]

Kind = Literal[
    "text", "id", "date", "enum", "integer", "number", "value", "list", "json", "order", "path"
]
"""What a column holds, which says how its cells are written and read."""

Cell = str | bool | int | float | None
"""A cell's value before it is written: None is an empty cell."""

#: The sheet describing every column of the others.
COLUMNS_SHEET = "columns"
#: The order column of a sheet of nested records, and the path column of the conditions.
ORDER, PATH = "order", "path"


@attrs.frozen(kw_only=True)
class Column:
    """One column: its header, where its value is in a row's record, and what it may hold."""

    header: str
    #: The attribute names leading from the row's record to the value; () for a link column.
    path: tuple[str, ...]
    kind: Kind
    meaning: str
    #: "yes", "no", or when it is required, in words.
    required: str
    #: The enumeration a cell must be one of; empty when any value of its kind goes.
    allowed: tuple[str, ...] = ()
    #: The collection whose ids the cells hold (a list column: several ids).
    refers_to: str | None = None
    #: The header of the column naming the scale whose level the cells hold.
    level_of: str | None = None
    #: What the items of a list column are: "id" or "text".
    items: Kind | None = None


@attrs.frozen(kw_only=True)
class Sheet:
    """One sheet: its name, what its rows are, and its columns, link columns first."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    #: The sheet whose rows hold this sheet's (None: the dataset), and the path to them there.
    parent: str | None = None
    field: tuple[str, ...] = ()
    #: The records of the rows, each with the cells of its link columns.
    rows_of: Callable[[Dataset], Iterator[tuple[tuple[Cell, ...], Any]]] = attrs.field(
        eq=False, repr=False
    )


@attrs.frozen
class Table:
    """A sheet and its rows of cells, in column order."""

    sheet: Sheet
    rows: list[list[Cell]]


_Records = Callable[[Dataset], Iterator[tuple[tuple[Cell, ...], Any]]]


@functools.cache
def _definitions() -> Mapping[str, Any]:
    definitions: Mapping[str, Any] = _document("definitions")["$defs"]
    return definitions


def _definition(cls: type) -> Mapping[str, Any]:
    if cls is Dataset:
        return _document("dataset")
    found: Mapping[str, Any] = _definitions()[cls.__name__]
    return found


def _words(text: str) -> str:
    return " ".join(text.split())


def _without_none(hint: Any) -> Any:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return hint


def _record_class(hint: Any) -> type | None:
    hint = _without_none(hint)
    if hint is PartialDate:
        return None  # a value, written as text
    return hint if isinstance(hint, type) and attrs.has(hint) else None


def _records_in(hint: Any) -> type | None:
    """The record class of a ``tuple[Record, ...]`` hint."""
    if typing.get_origin(hint) is tuple:
        return _record_class(typing.get_args(hint)[0])
    return None


def _kind(hint: Any, node: Mapping[str, Any]) -> Kind:  # noqa: PLR0911 - one answer per type
    """What a field of type ``hint``, described in the schema by ``node``, holds."""
    if hint == IndicatorValue:
        return "value"
    hint = _without_none(hint)
    if hint is PartialDate:
        return "date"
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "enum"
    if hint is str:
        if "enum" in node:
            return "enum"
        return "id" if str(node.get("$ref", "")).endswith("/Id") else "text"
    if hint is int:
        return "integer"
    if hint is float:
        return "number"
    if typing.get_origin(hint) is tuple and typing.get_args(hint)[0] is str:
        return "list"
    if typing.get_origin(hint) in (Mapping, dict):
        return "json"
    raise TypeError(f"the workbook layout has no rule for a field of type {hint!r}")


def _scalar(
    field: attrs.Attribute[Any],
    hint: Any,
    node: Mapping[str, Any],
    *,
    prefix: tuple[str, ...],
    required: str,
) -> Column:
    kind = _kind(hint, node)
    items: Kind | None = None
    if kind == "list":
        item = node.get("items", {})
        items = "id" if str(item.get("$ref", "")).endswith("/Id") else "text"
    return Column(
        header="/".join((*prefix, field.name)),
        path=(*prefix, field.name),
        kind=kind,
        meaning=_words(node.get("description", "")),
        required=required,
        allowed=tuple(str(value) for value in node.get("enum", ())),
        refers_to=field.metadata.get(_REFERS_TO),
        level_of="/".join((*prefix, field.metadata[_LEVEL_OF]))
        if _LEVEL_OF in field.metadata
        else None,
        items=items,
    )


@attrs.define
class _Builder:
    """Collects the sheets while the record classes are read."""

    sheets: list[Sheet] = attrs.field(factory=list)

    def columns(
        self,
        cls: type,
        *,
        sheet: str,
        records: _Records,
        prefix: tuple[str, ...] = (),
        when: str | None = None,
    ) -> list[Column]:
        """The columns of ``cls``'s fields (nested records flattened), ``id`` first.

        A list of nested records becomes a sheet of its own, added after this one.
        """
        definition = _definition(cls)
        properties, needed = definition.get("properties", {}), set(definition.get("required", ()))
        hints = typing.get_type_hints(cls)
        found: list[Column] = []
        for field in attrs.fields(cls):
            if not field.init or (cls is Dataset and field.name in COLLECTIONS):
                continue  # a condition's kind is its own column; collections are sheets
            node, hint = properties[field.name], hints[field.name]
            required = (when or "yes") if field.name in needed else "no"
            nested, listed = _record_class(hint), _records_in(hint)
            if hint == Condition:
                self.conditions(field.name)
            elif hint == tuple[Condition, ...]:
                continue  # a condition's conditions are rows of the same sheet, placed by path
            elif listed is not None:
                self.nested(cls, listed, field.name, sheet=sheet, records=records, prefix=prefix)
            elif nested is not None:
                path = (*prefix, field.name)
                found += self.columns(
                    nested,
                    sheet=sheet,
                    records=records,
                    prefix=path,
                    when=f"when any {'/'.join(path)}/ column is filled",
                )
            else:
                found.append(_scalar(field, hint, node, prefix=prefix, required=required))
        return sorted(found, key=lambda column: column.header != "/".join((*prefix, "id")))

    def nested(
        self,
        owner: type,
        cls: type,
        field: str,
        *,
        sheet: str,
        records: _Records,
        prefix: tuple[str, ...],
    ) -> None:
        """Add the sheet of a list of nested records, linked to its owner's rows."""
        path = (*prefix, field)
        name = "_".join(path if owner is Dataset or sheet == "dataset" else (sheet, *path))
        parent = None if sheet == "dataset" else SINGULAR[sheet]
        links: list[Column] = []
        if parent is not None:
            links.append(
                Column(
                    header=parent,
                    path=(),
                    kind="id",
                    meaning=f"The {parent} the row belongs to (the id of a {parent}).",
                    required="yes",
                    refers_to=sheet,
                )
            )
        links.append(
            Column(
                header=ORDER,
                path=(),
                kind="order",
                meaning=f"The row's place in the {'/'.join(path)} list of its "
                f"{parent or 'dataset'}: 1, 2, 3, ...",
                required="yes",
            )
        )
        node = _definition(owner)["properties"][field]

        def rows(dataset: Dataset) -> Iterator[tuple[tuple[Cell, ...], Any]]:
            for _link, record in records(dataset):
                held = _follow(record, path)
                for position, item in enumerate(held or (), start=1):
                    yield ((record.id, position) if parent else (position,)), item

        index = len(self.sheets)
        columns = self.columns(cls, sheet=name, records=rows)
        if len(self.sheets) != index:
            raise TypeError(f"the workbook layout has no rule for lists inside {name}")
        self.sheets.append(
            Sheet(
                name=name,
                meaning=_words(node.get("description", "")),
                columns=(*links, *columns),
                parent=sheet,
                field=path,
                rows_of=rows,
            )
        )

    def conditions(self, field: str) -> None:
        """Add the sheet of the gates' condition trees: one row per condition."""
        kinds: dict[str, Column] = {}
        required: dict[str, list[str]] = {}
        for kind, cls in CONDITION_KINDS.items():
            for column in self.columns(cls, sheet="gates_conditions", records=_no_records):
                kinds.setdefault(column.header, column)
                if column.required == "yes":
                    required.setdefault(column.header, []).append(kind)
        columns = [
            attrs.evolve(
                column,
                required=f"for kind {', '.join(required[header])}" if header in required else "no",
            )
            for header, column in kinds.items()
        ]
        links = (
            Column(
                header=SINGULAR["gates"],
                path=(),
                kind="id",
                meaning="The gate the condition belongs to (the id of a gate).",
                required="yes",
                refers_to="gates",
            ),
            Column(
                header=PATH,
                path=(),
                kind="path",
                meaning="Where the condition stands in the gate's condition tree: 1 is the "
                "gate's condition, 1.2 the second of the conditions of condition 1, 1.2.1 the "
                "first of those of 1.2.",
                required="yes",
            ),
            Column(
                header="kind",
                path=("kind",),
                kind="enum",
                meaning=_words(_definitions()["Condition"]["properties"]["kind"]["description"]),
                required="yes",
                allowed=tuple(CONDITION_KINDS),
            ),
        )
        self.sheets.append(
            Sheet(
                name="gates_conditions",
                meaning=_words(_definitions()["Gate"]["properties"][field]["description"]),
                columns=(*links, *columns),
                parent="gates",
                field=(field,),
                rows_of=_condition_rows,
            )
        )


def _no_records(_dataset: Dataset) -> Iterator[tuple[tuple[Cell, ...], Any]]:
    return iter(())


def _follow(record: Any, path: Sequence[str]) -> Any:
    for name in path:
        record = getattr(record, name, None)
        if record is None:
            return None
    return record


def _tree(condition: Condition, path: str) -> Iterator[tuple[str, Condition]]:
    yield path, condition
    if isinstance(condition, AllOf | AnyOf | AtLeast):
        for position, child in enumerate(condition.conditions, start=1):
            yield from _tree(child, f"{path}.{position}")


def _condition_rows(dataset: Dataset) -> Iterator[tuple[tuple[Cell, ...], Any]]:
    gate: Gate
    for gate in dataset.gates:
        for path, condition in _tree(gate.condition, "1"):
            yield (gate.id, path), condition


def _dataset_rows(dataset: Dataset) -> Iterator[tuple[tuple[Cell, ...], Any]]:
    yield (), dataset


def _collection_rows(collection: str) -> _Records:
    def rows(dataset: Dataset) -> Iterator[tuple[tuple[Cell, ...], Any]]:
        for record in getattr(dataset, collection):
            yield (), record

    return rows


def _layout() -> tuple[Sheet, ...]:
    builder = _Builder()
    columns = builder.columns(Dataset, sheet="dataset", records=_dataset_rows)
    first = Sheet(
        name="dataset",
        meaning="The dataset's own fields, in one row.",
        columns=tuple(columns),
        rows_of=_dataset_rows,
    )
    sheets = [first, *builder.sheets]
    collections = _definitions()["Collections"]["properties"]
    for collection, cls in COLLECTIONS.items():
        builder.sheets = []
        records = _collection_rows(collection)
        own = builder.columns(cls, sheet=collection, records=records)
        meaning = _words(collections[collection]["description"])
        sheets += [
            Sheet(
                name=collection,
                meaning=meaning,
                columns=tuple(own),
                field=(collection,),
                rows_of=records,
            ),
            *builder.sheets,
        ]
    for sheet in sheets:
        if len(sheet.name) > 31 or sheet.name == COLUMNS_SHEET:
            raise ValueError(f"sheet name {sheet.name!r} cannot be used in a workbook")
        headers = [column.header for column in sheet.columns]
        if len(set(headers)) != len(headers):
            raise ValueError(f"sheet {sheet.name!r} has a column header twice: {headers}")
    return tuple(sheets)


#: Every sheet of the workbook but the columns sheet, in order.
LAYOUT: tuple[Sheet, ...] = _layout()


def _cell(column: Column, value: Any) -> Cell:  # noqa: PLR0911 - one answer per kind
    """What ``value``, of a field of ``column``, is in a cell."""
    if value is None:
        return None
    kind = column.kind
    if kind == "list":
        return join_items(value) if value else None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False) if value else None
    if kind == "date":
        return str(value)
    if kind == "enum":
        return str(value.value) if isinstance(value, enum.Enum) else str(value)
    if kind == "value":
        return value  # type: ignore[no-any-return]  # true/false, a number or a level id
    if kind == "number":
        return float(value)
    return value  # type: ignore[no-any-return]  # text, an id, a whole number


def _row_maker(sheet: Sheet) -> Callable[[tuple[Cell, ...], Any], list[Cell]]:
    """A function from a row's link cells and record to its cells."""
    links = sum(1 for column in sheet.columns if not column.path)
    own = sheet.columns[links:]
    simple = all(len(column.path) == 1 and column.kind in ("text", "id") for column in own)
    if simple:
        names = [column.path[0] for column in own]

        def quick(link: tuple[Cell, ...], record: Any) -> list[Cell]:
            return [*link, *(getattr(record, name) for name in names)]

        return quick

    def row(link: tuple[Cell, ...], record: Any) -> list[Cell]:
        return [*link, *(_cell(column, _follow(record, column.path)) for column in own)]

    return row


def tables(dataset: Dataset) -> list[Table]:
    """The rows of every sheet of the layout for ``dataset``, in sheet order."""
    found = []
    for sheet in LAYOUT:
        make = _row_maker(sheet)
        found.append(Table(sheet, [make(link, record) for link, record in sheet.rows_of(dataset)]))
    return found
