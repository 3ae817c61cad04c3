"""Rows of a table -> the records a mapping makes, each value with the cell it came from.

Each value spec is compiled once into a small reader of a row; the rows are
then read in one pass. Rows making a record of the same id are merged as they
come: lists of plain values collect their items in table order without
repeats, and every other field, a list of nested records included, must be
what the first row made (``rows-disagree`` at the later row's cell of the first
differing value, naming the first row).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

import attrs

from benchmarkkit._mapping._check import Headers, read_columns
from benchmarkkit._mapping._model import Condition, Lookup, MappingSpec, RecordSpec, ValueSpec
from benchmarkkit._mapping._patterns import pattern_refusal
from benchmarkkit._mapping._targets import Target, fields_of, nested_fields_of
from benchmarkkit._mapping._values import Actors, cell_text, collapsed, stable_id, typed
from benchmarkkit._problems import Problem, pointer_parts, value_at
from benchmarkkit._tables._cells import date_cell_note
from benchmarkkit._tables._read import CellRef, RawSheet, located
from benchmarkkit._wording import one_of, short, singular

__all__ = ["Applied", "Made", "Table", "apply", "first_difference", "headers_of", "label_of"]

#: Where a value came from: (row, column), both 1-based.
Place = tuple[int, int]
Row = Sequence[Any]


@attrs.define
class Made:
    """One record made from one or more rows, with the place of each value.

    ``places`` maps a pointer inside the record (``""`` for the record, its
    row's first cell; ``"/text"``, ``"/by/1"``, ``"/responses/0/position"``)
    to the cell the value came from.
    """

    collection: str
    id: str
    data: dict[str, Any]
    places: dict[str, Place]
    #: The list fields of plain values the rows fill, each row adding its items: their
    #: order is the table's, so they are compared as sets of items.
    collected: frozenset[str] = frozenset()

    @property
    def in_mapping(self) -> bool:
        """Whether the record is one of the mapping's ``add`` records (its row is below 1)."""
        return self.places[""][0] < 1


@attrs.define
class Applied:
    """What applying a mapping to a sheet made."""

    table: Table
    records: list[Made]
    actors: list[Made]
    problems: list[Problem]
    rows_read: int = 0
    rows_kept: int = 0
    merged_rows: int = 0


class Table:
    """The sheet being read: its cells' references, made only when a problem needs one."""

    def __init__(self, sheet: RawSheet, header_row: int) -> None:
        self.sheet = sheet
        self.header_row = header_row
        self.headers = headers_of(sheet, header_row)
        self.by_column = self.headers.by_column()

    def ref(self, place: Place) -> CellRef:
        row, column = place
        return CellRef(self.sheet.file, self.sheet.name, row, column, self.by_column.get(column))


def headers_of(sheet: RawSheet, header_row: int) -> Headers:
    """The header row of ``sheet``: each header, stripped, at its first column."""
    names: dict[str, int] = {}
    repeated: list[tuple[str, int]] = []
    row = sheet.rows[header_row - 1] if header_row <= len(sheet.rows) else ()
    for number, raw in enumerate(row, start=1):
        text = cell_text(raw)
        if text is None:
            continue
        if collapsed(text) in names:
            repeated.append((collapsed(text), number))
        else:
            names[collapsed(text)] = number
    csv = PurePath(sheet.file).stem == sheet.name  # a CSV file's one sheet is named by it
    shown = sheet.file if csv else f"{sheet.file} (sheet {sheet.name!r})"
    return Headers(shown, names, header_row, tuple(repeated))


# -- reading one value ---------------------------------------------------------------------


class _Context:
    """What every compiled spec shares: the table, the lookups, the actors, the problems."""

    def __init__(
        self, table: Table, lookups: Mapping[str, Lookup], actors: Actors, file: str
    ) -> None:
        self.table = table
        self.lookups = lookups
        self.actors = actors
        self.file = file
        self.problems: list[Problem] = []
        self.new_actors: list[tuple[str, Place]] = []

    def column(self, header: str) -> int:
        found = self.table.headers.find(header)
        if found is None:  # check_mapping reports it before any row is read
            raise KeyError(header)
        return found - 1

    def report(self, code: str, message: str, place: Place) -> None:
        problem = Problem.create(code, message, file=self.file)
        self.problems.append(located(problem, self.table.ref(place)))


def _cell(row: Row, index: int) -> Any:
    return row[index] if index < len(row) else None


def _lookup_reader(
    context: _Context, name: str, field: str
) -> Callable[[Row, int], tuple[Any, Place] | None]:
    lookup = context.lookups[name]
    columns = [context.column(c) for c in lookup.key]
    rows = lookup.rows or {}
    folded = {collapsed(k).casefold(): v for k, v in rows.items()}

    def read(row: Row, number: int) -> tuple[Any, Place] | None:
        parts = [cell_text(_cell(row, c)) or "" for c in columns]
        key = "|".join(collapsed(part) for part in parts)
        place = (number, columns[0] + 1)
        found = rows.get(key) or folded.get(key.casefold())
        if found is None:
            if lookup.missing == "error":
                context.report(
                    "lookup-missing",
                    f"the lookup {name!r} has no row {key!r}; add it to the lookup, or give "
                    "the lookup `missing: empty` to leave its fields out",
                    place,
                )
            return None
        value = found.get(field)
        return None if value is None else (value, place)

    return read


def _source(context: _Context, spec: ValueSpec) -> Callable[[Row, int], tuple[Any, Place] | None]:
    """Where a spec's raw value is: a column, a lookup, or the constant (placed at the row)."""
    if spec.column is not None:
        index = context.column(spec.column)

        def from_column(row: Row, number: int) -> tuple[Any, Place] | None:
            raw = row[index] if index < len(row) else None
            return None if raw is None else (raw, (number, index + 1))

        return from_column
    if spec.lookup is not None and spec.field is not None:
        return _lookup_reader(context, spec.lookup, spec.field)
    constant = spec.value

    def from_constant(_row: Row, number: int) -> tuple[Any, Place] | None:
        return None if constant is None else (constant, (number, 1))

    return from_constant


def _mapper(context: _Context, spec: ValueSpec) -> Callable[[str, Place], tuple[bool, Any]]:
    """Each item through ``map``: (whether it is kept, its value)."""
    table = {collapsed(k): v for k, v in (spec.map or {}).items()}
    folded = {k.casefold(): v for k, v in table.items()}
    written = one_of(list(table))

    def mapped(item: str, place: Place) -> tuple[bool, Any]:
        key = collapsed(item)
        if key in table:
            return True, table[key]
        if key.casefold() in folded:
            return True, folded[key.casefold()]
        if spec.unmapped == "keep":
            return True, item
        if spec.unmapped == "error":
            context.report(
                "value-not-mapped",
                f"{item!r} is not one of the values the mapping's `map` knows ({written}); add "
                "it to the map, or set `unmapped: keep` or `unmapped: empty`",
                place,
            )
        return False, None

    return mapped


@attrs.frozen
class _Value:
    """A compiled value spec: reads its field's value from a row, with the value's place."""

    source: Callable[[Row, int], tuple[Any, Place] | None]
    mapped: Callable[[str, Place], tuple[bool, Any]] | None
    split: str | None
    actor: bool
    kind: str
    many: bool
    from_row: bool
    #: The column (1-based) the value is read from, if the spec names one.
    column: int | None = None

    def read(self, context: _Context, row: Row, number: int) -> tuple[Any, Place] | None:
        found = self.source(row, number)
        if found is None:
            return None
        raw, place = found
        if isinstance(raw, list | dict):
            return raw, place  # a constant written as the dataset writes it
        if self.kind == "date" and self.column is not None and (note := date_cell_note(raw)):
            context.report("date-cell-read", f"the cell {note}", place)
        if isinstance(raw, str) or self.mapped is not None or self.actor:
            values = self._values(context, cell_text(raw), place)
        else:
            values = [typed(raw, self.kind)]  # a number or true/false, as its field needs
        if not values:
            return None
        if self.many:
            return list(dict.fromkeys(values)), place
        return (values[0] if len(values) == 1 else values), place

    def _values(self, context: _Context, text: str | None, place: Place) -> list[Any]:
        """The cell's items (split, mapped, actors' ids), each as its field's kind."""
        if text is None:
            return []
        items = [i.strip() for i in text.split(self.split)] if self.split else [text]
        values = []
        for item in items:
            if not item:
                continue
            value: Any = item
            if self.mapped is not None:
                kept, value = self.mapped(item, place)
                if not kept:
                    continue
            if self.actor and isinstance(value, str):
                value, new = context.actors.id_of(value)
                if new:
                    context.new_actors.append((value, place))
            values.append(typed(value, self.kind))
        return values


def _compile(context: _Context, spec: ValueSpec, target: Target) -> _Value:
    many = target.kind == "list"
    return _Value(
        source=_source(context, spec),
        mapped=_mapper(context, spec) if spec.map is not None else None,
        split=spec.split,
        actor=spec.actor,
        kind=(target.items or "text") if many else target.kind,
        many=many,
        from_row=not spec.constant,
        column=context.column(spec.column) + 1 if spec.column is not None else None,
    )


# -- reading one record --------------------------------------------------------------------


@attrs.frozen
class _Record:
    """A compiled record spec."""

    spec: RecordSpec
    values: tuple[tuple[str, _Value], ...]
    lists: tuple[tuple[str, tuple[tuple[tuple[str, _Value], ...], ...]], ...]
    id_columns: tuple[int, ...]
    id_column: int | None
    #: The column (1-based) an id's problems are placed at: its own, or the first it is made of.
    id_place: int
    #: The list fields of plain values read from the row (see :attr:`Made.collected`).
    collected: frozenset[str] = frozenset()
    #: Each nested list field's items' ``when`` tests, compiled once (``None``: always made).
    whens: Mapping[str, tuple[Callable[[Row], bool] | None, ...]] = attrs.field(factory=dict)

    def make(self, context: _Context, row: Row, number: int) -> Made | None:
        identifier = self._id(context, row, number)
        if identifier is None:
            return None
        data: dict[str, Any] = {"id": identifier}
        places: dict[str, Place] = {"": (number, 1), "/id": (number, self.id_place)}
        for field, value in self.values:
            found = value.read(context, row, number)
            if found is None:
                _place_empty(places, f"/{field}", value, number)
                continue
            data[field], places[f"/{field}"] = found
            if value.many:
                for index in range(len(found[0])):
                    places[f"/{field}/{index}"] = found[1]
        for field, items in self.lists:
            made: list[dict[str, Any]] = []
            for item, when in zip(items, self.whens[field], strict=True):
                if when is not None and not when(row):  # the item's `when`
                    continue
                at = f"/{field}/{len(made)}"
                one = _item(context, item, row, number, at=at, places=places)
                if one is not None:
                    for name, value in item:
                        if name not in one:
                            _place_empty(places, f"{at}/{name}", value, number)
                    made.append(one)
            if made:
                data[field] = made
        return Made(self.spec.collection, identifier, data, places, self.collected)

    def _id(self, context: _Context, row: Row, number: int) -> str | None:
        if self.id_column is None:
            values = [cell_text(_cell(row, c)) for c in self.id_columns]
            return stable_id(self.spec.id.prefix, values)
        text = cell_text(_cell(row, self.id_column))
        if text is None:
            context.report(
                "record-without-id",
                f"this row has no id in the column the mapping takes a "
                f"{singular(self.spec.collection)}'s id from, so it makes no "
                f"{singular(self.spec.collection)}; fill the cell in, or leave the row out "
                "with `keep`",
                (number, self.id_column + 1),
            )
            return None
        return self.spec.id.prefix + collapsed(text)


def _place_empty(places: dict[str, Place], at: str, value: _Value, number: int) -> None:
    """The cell of a field left out because its cell is empty: where its problems go."""
    if value.column is not None:
        places[at] = (number, value.column)


def _item(
    context: _Context,
    item: tuple[tuple[str, _Value], ...],
    row: Row,
    number: int,
    *,
    at: str,
    places: dict[str, Place],
) -> dict[str, Any] | None:
    """One nested record; ``None`` when none of its values from the row is filled."""
    data: dict[str, Any] = {}
    filled = False
    for field, value in item:
        found = value.read(context, row, number)
        if found is not None:
            data[field] = found[0]
            places[f"{at}/{field}"] = found[1]
            places.setdefault(at, found[1])
            filled = filled or value.from_row
    if not filled:
        places.pop(at, None)
        return None
    return data


def _compile_record(context: _Context, spec: RecordSpec) -> _Record:
    targets = fields_of(spec.collection) or {}
    values, lists = [], []
    for field, given in spec.fields.items():
        if isinstance(given, ValueSpec):
            values.append((field, _compile(context, given, targets[field])))
        else:
            nested = nested_fields_of(spec.collection, field) or {}
            items = tuple(
                tuple((name, _compile(context, inner, nested[name])) for name, inner in i.items())
                for i in given
            )
            lists.append((field, items))
    id_columns = tuple(context.column(c) for c in spec.id.from_)
    id_column = context.column(spec.id.column) if spec.id.column is not None else None
    return _Record(
        spec=spec,
        values=tuple(values),
        lists=tuple(lists),
        id_columns=id_columns,
        id_column=id_column,
        id_place=1 + (id_column if id_column is not None else (*id_columns, 0)[0]),
        collected=frozenset(field for field, value in values if value.many and value.from_row),
        whens={
            field: tuple(
                None if when is None else _test(context, when) for when in spec.conditions(field)
            )
            for field, _items in lists
        },
    )


# -- keeping rows --------------------------------------------------------------------------


def _words(values: Any) -> set[str]:
    return {cell_text(v) or "" for v in values}


def _test(context: _Context, condition: Condition) -> Callable[[Row], bool]:
    index = context.column(condition.column)
    operand = condition.operand
    if condition.test == "filled":
        return lambda row: (cell_text(_cell(row, index)) is not None) is bool(operand)
    if condition.test == "matches":
        pattern = re.compile(str(operand))
        return lambda row: pattern.search(cell_text(_cell(row, index)) or "") is not None
    words = _words(operand if isinstance(operand, list) else [operand])
    inside = condition.test in ("is", "in")
    return lambda row: ((cell_text(_cell(row, index)) or "") in words) is inside


def _refused_patterns(mapping: MappingSpec, context: _Context) -> bool:
    """Report each ``matches`` pattern that could run for hours; whether there is one.

    Each is placed at the header of the column it tests, and no row is read:
    such a pattern never runs on a cell (see :mod:`._patterns`).
    """
    conditions = [*mapping.keep]
    for spec in mapping.records:
        conditions += [c for field in spec.fields for c in spec.conditions(field) if c]
    refused = False
    for condition in conditions:
        if condition.test == "matches":
            refusal = pattern_refusal(str(condition.operand))
            if refusal is not None:
                place = (context.table.header_row, context.column(condition.column) + 1)
                context.report("mapping-invalid-pattern", refusal, place)
                refused = True
    return refused


# -- merging rows of one record ------------------------------------------------------------


def _merge(context: _Context, first: Made, later: Made, shown: str) -> None:
    """Add ``later`` (the same record, from a later row) to ``first``.

    A list of plain values collects the later row's new items; any other field
    (a single value, a list of nested records) must be what the first row made.
    """
    for field, value in later.data.items():
        had = first.data.get(field)
        at = f"/{field}"
        if had is None:
            first.data[field] = value
            _move(later.places, at, first.places, at)
        elif field in later.collected and isinstance(had, list) and isinstance(value, list):
            for index, item in enumerate(value):
                if item not in had:
                    _move(later.places, f"{at}/{index}", first.places, f"{at}/{len(had)}")
                    had.append(item)
        elif had != value:
            inner = at + first_difference(had, value)
            was = context.table.ref(_placed(first.places, inner))
            parts = pointer_parts(inner)
            given, other = value_at(later.data, parts), value_at(first.data, parts)
            context.report(
                "rows-disagree",
                f"this row makes the same {shown} as row {was.row} ({was.name}), but gives its "
                f"{label_of(parts)} as {_shown(given)} where row {was.row} gives "
                f"{_shown(other)}; rows that make one record must agree: correct one of them, "
                "or add the column that tells them apart to the id's `from` columns",
                _placed(later.places, inner),
            )


def _shown(value: Any) -> str:
    return "nothing" if value is None else short(value)


def _placed(places: Mapping[str, Place], inner: str) -> Place:
    """The place of ``inner`` in a record, or of its deepest ancestor that has one."""
    while inner not in places:
        inner = inner.rpartition("/")[0]
    return places[inner]


def first_difference(old: Any, new: Any) -> str:
    """Where inside two values the first difference is: ``/0/position``, or ``""`` for the whole.

    Lists are compared item by item (a missing item is the first difference);
    records key by key, the keys of ``new`` first.
    """
    if isinstance(old, list) and isinstance(new, list):
        for index, (one, other) in enumerate(zip(old, new, strict=False)):
            if one != other:
                return f"/{index}{first_difference(one, other)}"
        return f"/{min(len(old), len(new))}" if len(old) != len(new) else ""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*new, *(k for k in old if k not in new)]:
            if old.get(key) != new.get(key):
                return f"/{key}"
    return ""


def label_of(parts: Sequence[str]) -> str:
    """A pointer inside a record as people write it: ``responses[0].position``."""
    head, *rest = parts
    return head + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in rest)


def _move(source: dict[str, Place], old: str, target: dict[str, Place], new: str) -> None:
    for key, place in source.items():
        if key == old or key.startswith(old + "/"):
            target[new + key[len(old) :]] = place


# -- the whole table -----------------------------------------------------------------------


def _empty(row: Row) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _unread_columns(mapping: MappingSpec, table: Table, context: _Context) -> None:
    named = {table.headers.find(column) for column in read_columns(mapping)}
    unread = [h for h, c in table.headers.names.items() if c not in named]
    ignored = {column.casefold() for column in mapping.ignore}
    for header, column in table.headers.repeated:
        if header.casefold() not in ignored:
            first = table.ref((table.header_row, table.headers.names[header])).name
            context.report(
                "duplicate-header",
                f"the header {header!r} is on this column and on {first}; the mapping reads "
                f"the first, {first}, never this one: rename one of them, or list the header "
                "under `ignore` if neither is read",
                (table.header_row, column),
            )
    if unread:
        context.report(
            "columns-not-mapped",
            f"the mapping reads nothing from the columns {', '.join(map(repr, unread))}; "
            "map them to fields, or list them under `ignore` to say they are left out on "
            "purpose",
            (table.header_row, 1),
        )


def apply(
    mapping: MappingSpec,
    sheet: RawSheet,
    lookups: Mapping[str, Lookup],
    known_actors: Sequence[Mapping[str, Any]],
) -> Applied:
    """The records ``mapping`` makes of the rows of ``sheet``, merged by id, in table order.

    The mapping must have passed :func:`~benchmarkkit._mapping._check.check_mapping`
    against this sheet's headers. ``known_actors`` are those names may match
    (the dataset imported into, and the mapping's ``add``).
    """
    table = Table(sheet, mapping.table.header_row)
    actors = Actors(mapping.actors, known_actors)
    context = _Context(table, lookups, actors, sheet.file)
    records = [_compile_record(context, spec) for spec in mapping.records]
    keep = [_test(context, condition) for condition in mapping.keep]
    made: dict[tuple[str, str], Made] = {}
    applied = Applied(table, [], [], context.problems)
    if _refused_patterns(mapping, context):
        return applied  # not one row is read
    _unread_columns(mapping, table, context)
    for number in range(mapping.table.header_row + 1, len(sheet.rows) + 1):
        row = sheet.rows[number - 1]
        if _empty(row):
            continue
        applied.rows_read += 1
        if not all(test(row) for test in keep):
            continue
        applied.rows_kept += 1
        for record in records:
            one = record.make(context, row, number)
            if one is None:
                continue
            key = (one.collection, one.id)
            first = made.get(key)
            if first is None:
                made[key] = one
            else:
                applied.merged_rows += 1
                _merge(context, first, one, f"{singular(one.collection)} {one.id!r}")
    applied.records = list(made.values())
    applied.actors = [
        Made("actors", identifier, actors.created[identifier], {"": place, "/name": place})
        for identifier, place in dict(context.new_actors).items()
    ]
    return applied
