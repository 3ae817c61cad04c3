"""A workbook in our own layout read back into a dataset document, each value's cell remembered.

The inverse of the writers, derived from :data:`~benchmarkkit._tables._layout.LAYOUT`
alone. ``_sheets`` finds which sheet and column is which and reads each row's
cells; here the rows become records: a collection's rows its records in order,
the rows of a sheet of nested records join their parent's by its id and their
``order``, and conditions their gate's tree by ``path``. What cannot be read
with its obvious meaning is a problem at its cell, never dropped: a row whose
parent is not there, an ``order`` or ``path`` that skips or repeats, a second
row of the dataset's own fields.

The result is an :class:`Imported`: the document (JSON data, as a dataset file
holds it), where each JSON pointer's value is (:attr:`Imported.cells`), and the
problems. Validation takes it from there, as for any file.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from benchmarkkit._converter import unstructure
from benchmarkkit._later_fields import _record_class, later_fields
from benchmarkkit._model import SCHEMA_VERSION, Dataset
from benchmarkkit._problems import Problem, value_at
from benchmarkkit._tables._layout import LAYOUT, ORDER, PATH, Sheet
from benchmarkkit._tables._read import CellRef, RawBook
from benchmarkkit._tables._sheets import UNREADABLE, Found, SheetReader
from benchmarkkit._wording import A_RECORD

__all__ = ["Imported", "import_book"]


@attrs.frozen
class Imported:
    """A workbook read as a dataset document, with the cell of each value and the problems."""

    document: dict[str, Any]
    """The dataset as JSON data, as a dataset file would hold it."""
    cells: Mapping[str, CellRef]
    """JSON pointer -> the cell holding it; a record's own pointer -> its row's first cell."""
    problems: tuple[Problem, ...]
    """What reading the cells found, each at its cell."""


# -- records and their links --------------------------------------------------------------


@attrs.frozen
class _Owner:
    """A record that rows of another sheet may belong to: the record and its pointer."""

    record: dict[str, Any]
    pointer: str


@attrs.define
class _Book(SheetReader):
    """The reader, with the document it builds and the records rows of other sheets join."""

    document: dict[str, Any] = attrs.field(factory=dict)
    owners: dict[str, dict[str, _Owner]] = attrs.field(factory=dict)

    def read(self) -> Imported:
        matched = self.match_sheets()
        for sheet in LAYOUT:
            raw = matched.get(sheet.name)
            found = None if raw is None else self.columns(raw, sheet)
            if found is None:
                continue
            self.merged_cells(found)
            if sheet.name == "dataset":
                self.read_dataset(found)
            elif sheet.parent is None:
                self.read_collection(found)
            elif not self.missing_links(found):
                if sheet.name == "gates_conditions":
                    self.read_conditions(found)
                else:
                    self.read_nested(found)
        _without_later_defaults(self.document)
        return Imported(self.document, _Cells(self.records), tuple(self.problems))

    def read_dataset(self, found: Found) -> None:
        self.owners["dataset"] = {"": _Owner(self.document, "")}
        first: int | None = None
        for row, record, _links in self.rows(found):
            if first is None:
                first = row
                self.document.update(record)
                self.records[""] = (found, row)
                continue
            self.problem(
                "extra-dataset-row",
                f"the sheet dataset holds the dataset's own fields in one row, row {first}; "
                "this row was not read: move what it says into that row, and delete it",
                found.ref(row, 1),
            )

    def read_collection(self, found: Found) -> None:
        name = found.sheet.name
        records: list[dict[str, Any]] = []
        owners = self.owners.setdefault(name, {})
        for row, record, _links in self.rows(found):
            pointer = f"/{name}/{len(records)}"
            records.append(record)
            self.records[pointer] = (found, row)
            ident = record.get("id")
            if isinstance(ident, str):
                owners.setdefault(ident, _Owner(record, pointer))
        if records:
            self.document[name] = records

    def owner(self, found: Found, row: int, links: Mapping[str, Any]) -> _Owner | None:
        """The record a row of nested records belongs to; a problem if it is not there."""
        sheet = found.sheet
        if sheet.parent == "dataset":
            return self.owners.get("dataset", {}).get("") or self.dataset_owner()
        link = sheet.columns[0]
        ident = links.get(link.header)
        ref = found.ref(row, found.where[link.header])
        if ident is UNREADABLE:
            return None
        if ident is None:
            self.problem(
                "row-without-parent",
                f"the {link.header} cell is empty, so the row belongs to no {link.header}: "
                f"give the id of {A_RECORD[str(sheet.parent)]} on the sheet {sheet.parent}",
                ref,
            )
            return None
        owner = self.owners.get(str(sheet.parent), {}).get(str(ident))
        if owner is None:
            ids = list(self.owners.get(str(sheet.parent), {}))
            close = difflib.get_close_matches(str(ident), ids, n=1)
            maybe = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(
                "row-without-parent",
                f"there is no {link.header} {ident!r} on the sheet {sheet.parent}{maybe}, so "
                f"this row belongs to none and was not read: give the id of "
                f"{A_RECORD[str(sheet.parent)]} there, or add the {link.header}",
                ref,
                value=ident,
            )
        return owner

    def dataset_owner(self) -> _Owner:
        owner = _Owner(self.document, "")
        self.owners["dataset"] = {"": owner}
        return owner

    def place(self, found: Found, row: int, links: Mapping[str, Any], what: str) -> int | None:
        """A row's ``order`` (or a part of its ``path``): a whole number from 1, or a problem."""
        value = links.get(what)
        if type(value) is int and value >= 1:
            return value
        if value is not UNREADABLE:
            self.unplaced(
                found,
                row,
                what,
                value,
                "it says where the row stands among its siblings: 1, 2, 3, ...",
            )
        return None

    def unplaced(self, found: Found, row: int, what: str, value: Any, meaning: str) -> None:
        """The problem of a link cell (``order``, ``path``) that does not place its row."""
        written = "empty" if value is None else f"{value!r}"
        self.problem(
            "cell-not-readable",
            f"the {what} cell is {written}; {meaning}",
            found.ref(row, found.where[what]),
            value=value,
        )

    def read_nested(self, found: Found) -> None:
        groups: dict[int, tuple[_Owner, list[tuple[int, int, dict[str, Any]]]]] = {}
        unsure: set[int] = set()  # the parents one of whose rows has no order: gaps are echoes
        for row, record, links in self.rows(found):
            owner = self.owner(found, row, links)
            order = self.place(found, row, links, ORDER)
            if owner is not None and order is None:
                unsure.add(id(owner.record))
            if owner is None or order is None:
                continue
            groups.setdefault(id(owner.record), (owner, []))[1].append((order, row, record))
        field = found.sheet.field
        for owner, rows in groups.values():
            rows.sort(key=lambda item: item[:2])
            if id(owner.record) not in unsure:
                places = [(order, row) for order, row, _ in rows]
                self.consecutive(found, places, owner, lambda number: f"order {number}")
            place = owner.record
            for part in field[:-1]:
                place = place.setdefault(part, {})
            items = place.setdefault(field[-1], [])
            base = f"{owner.pointer}/{'/'.join(field)}"
            for _order, row, record in rows:
                self.records[f"{base}/{len(items)}"] = (found, row)
                items.append(record)

    def consecutive(
        self,
        found: Found,
        places: list[tuple[int, int]],
        owner: _Owner,
        label: Callable[[int], str],
    ) -> None:
        """A problem where sorted places (number, row) skip or repeat a number of 1, 2, 3, ..."""
        column = PATH if found.sheet.name == "gates_conditions" else ORDER
        for expected, (number, row) in enumerate(places, start=1):
            if number == expected:
                continue
            whose = _whose(found.sheet, owner)
            if number < expected:
                first = next(r for n, r in places if n == number)
                message = (
                    f"{label(number)} is given twice for {whose} (rows {first} and {row}); "
                    "number the rows 1, 2, 3, ... without repeats"
                )
            else:
                message = (
                    f"the rows of {whose} skip {label(expected)}: this row has "
                    f"{label(number)}; number them 1, 2, 3, ... without gaps"
                )
            self.problem("order-not-consecutive", message, found.ref(row, found.where[column]))
            return

    def read_conditions(self, found: Found) -> None:
        trees: dict[int, tuple[_Owner, dict[tuple[int, ...], tuple[int, dict[str, Any]]]]] = {}
        unsure: set[int] = set()  # the gates one of whose rows has no path: gaps are echoes
        for row, record, links in self.rows(found):
            owner = self.owner(found, row, links)
            path = self.path(found, row, links)
            if owner is not None and path is None:
                unsure.add(id(owner.record))
            if owner is None or path is None:
                continue
            tree = trees.setdefault(id(owner.record), (owner, {}))[1]
            if path in tree:
                self.problem(
                    "order-not-consecutive",
                    f"path {_dotted(path)} is given twice for {_whose(found.sheet, owner)} "
                    f"(rows {tree[path][0]} and {row}); give each condition its own path",
                    found.ref(row, found.where[PATH]),
                )
                continue
            tree[path] = (row, record)
        for owner, tree in trees.values():
            self.build_tree(found, owner, tree, quiet=id(owner.record) in unsure)

    def path(self, found: Found, row: int, links: Mapping[str, Any]) -> tuple[int, ...] | None:
        text = links.get(PATH)
        if text is UNREADABLE:
            return None
        parts = str(text).split(".") if text is not None else []
        if parts and all(part.isascii() and part.isdigit() and int(part) >= 1 for part in parts):
            path = tuple(int(part) for part in parts)
            if path[0] == 1:
                return path
        self.unplaced(
            found,
            row,
            PATH,
            text,
            "a path places the condition in its gate's "
            "tree: 1 is the gate's condition, 1.2 the second of its conditions, "
            "1.2.1 the first of those",
        )
        return None

    def build_tree(
        self,
        found: Found,
        owner: _Owner,
        tree: dict[tuple[int, ...], tuple[int, dict[str, Any]]],
        *,
        quiet: bool,
    ) -> None:
        """Place each condition under its parent, by path; a problem where a parent is missing.

        ``quiet``: a row of the gate has no path, so a missing parent or a gap is its echo.
        """
        pointers: dict[tuple[int, ...], str] = {}
        children: dict[tuple[int, ...], list[tuple[int, int]]] = {}
        orphans: dict[tuple[int, ...], list[tuple[tuple[int, ...], int]]] = {}
        for path in sorted(tree, key=lambda path: (len(path), path)):
            row, record = tree[path]
            if len(path) == 1:
                pointers[path] = f"{owner.pointer}/condition"
                owner.record["condition"] = record
                self.records[pointers[path]] = (found, row)
                continue
            parent = pointers.get(path[:-1])
            if parent is None:
                if path[:-1] not in tree:  # else its parent is missing, and said
                    orphans.setdefault(path[:-1], []).append((path, row))
                continue
            above = tree[path[:-1]][1].setdefault("conditions", [])
            pointers[path] = f"{parent}/conditions/{len(above)}"
            above.append(record)
            self.records[pointers[path]] = (found, row)
            children.setdefault(path[:-1], []).append((path[-1], row))
        if quiet:
            return
        self.orphans(found, owner, orphans)
        for above_path, places in children.items():
            self.consecutive(found, places, owner, functools.partial(_child_path, above_path))

    def orphans(
        self,
        found: Found,
        owner: _Owner,
        orphans: Mapping[tuple[int, ...], list[tuple[tuple[int, ...], int]]],
    ) -> None:
        """One problem for the conditions placed under each condition that is not there."""
        for missing, rows in orphans.items():
            paths = " and ".join(", ".join(_dotted(path) for path, _ in rows).rsplit(", ", 1))
            one = len(rows) == 1
            self.problem(
                "row-without-parent",
                f"condition{'' if one else 's'} {paths} of {_whose(found.sheet, owner)} "
                f"{'has' if one else 'have'} no condition {_dotted(missing)} above "
                f"{'it' if one else 'them'}, so {'it was' if one else 'they were'} not read: "
                "add that condition, or correct the path",
                found.ref(rows[0][1], found.where[PATH]),
            )


def _child_path(parent: tuple[int, ...], number: int) -> str:
    return f"path {_dotted((*parent, number))}"


def _dotted(path: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in path)


def _whose(sheet: Sheet, owner: _Owner) -> str:
    if sheet.parent == "dataset":
        return "the dataset"
    return f"{sheet.columns[0].header} {owner.record.get('id')!r}"


class _Cells(Mapping[str, CellRef]):
    """The cell of each JSON pointer, found when asked: from the record's row and the column.

    A record's own pointer gives its row's first cell; a field's pointer its
    column's cell on that row, empty or not, when the sheet has the column.
    """

    def __init__(self, records: Mapping[str, tuple[Found, int]]) -> None:
        self._records = records

    def __getitem__(self, pointer: str) -> CellRef:
        if pointer in self._records:
            if not pointer:
                raise KeyError(pointer)  # the whole dataset is the whole book, not a cell
            found, row = self._records[pointer]
            return found.ref(row, 1)
        head, rest = pointer, []
        while head:
            head, _, part = head.rpartition("/")
            rest.append(part)
            if head in self._records:
                found, row = self._records[head]
                number = found.where.get("/".join(reversed(rest)))
                if number is None:
                    break
                return found.ref(row, number)
        raise KeyError(pointer)

    def __iter__(self) -> Iterator[str]:
        for pointer, (found, _row) in self._records.items():
            if pointer:
                yield pointer
            for number, column in found.columns:
                if column.path and number:
                    yield f"{pointer}/{'/'.join(column.path)}"

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _field_at(path: tuple[str | int, ...]) -> attrs.Attribute[Any] | None:
    """The attrs field a value at ``path`` in a dataset document is of, if a record's."""
    cls: type | None = Dataset
    for step in path[:-1]:
        if isinstance(step, str) and cls is not None:
            cls = _record_class(typing.get_type_hints(cls).get(step))
    if cls is None or not attrs.has(cls):
        return None
    return attrs.fields_dict(cls).get(str(path[-1]))


def _without_later_defaults(document: dict[str, Any]) -> None:
    """Leave out, in a workbook of an older format, the newer fields that hold their default.

    Export writes every field, so a 1.0 dataset's workbook holds ``archive_kind``
    (new in 1.1) as ``verbatim``, its default: what 1.0 means without it. Any
    other value of a newer field stays, and validation says it is newer.
    """
    declared = document.get("schema_version")
    if not isinstance(declared, str) or declared == SCHEMA_VERSION:
        return
    for found in later_fields(document, declared):
        owner, field = value_at(document, found.path[:-1]), _field_at(found.path)
        if not isinstance(owner, dict) or field is None or field.default is attrs.NOTHING:
            continue
        default: Any = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs' own class
            default = default.factory()
        if owner.get(found.key) == unstructure(default):
            del owner[found.key]


def import_book(book: RawBook) -> Imported:
    """The dataset document the book holds in the workbook layout, each value's cell, problems."""
    return _Book(book).read()
