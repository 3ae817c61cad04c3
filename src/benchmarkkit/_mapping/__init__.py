"""Mapped imports: a table that does not have benchmarkkit's columns, read through a mapping file.

The layers, one way: the mapping file (``_schema``: YAML or JSON, its JSON
Schema, then typed with cattrs in ``_model``; ``_check``: what the schema
cannot see, against the table's headers, before any row is read) -> the rows
(``_tables._read``) -> records and the cell of each value (``_apply``) -> the
dataset document, merged into the dataset imported into (``_merge``) -> the
ordinary validation pipeline, whose problems are placed at the table's cells.

:func:`import_table` is the one entry point: the command (``_cli._mapped``)
and the performance harness both call it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._mapping._apply import Applied, Made, Table, apply, headers_of
from benchmarkkit._mapping._check import check_mapping
from benchmarkkit._mapping._merge import Merged, merge
from benchmarkkit._mapping._model import Lookup, MappingSpec
from benchmarkkit._mapping._schema import MappingFile, read_lookup_file, read_mapping
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem, Severity, pointer, pointer_parts
from benchmarkkit._tables._read import CellRef, RawBook, RawSheet, located, read_book
from benchmarkkit._wording import plural

__all__ = ["MappedImport", "Summary", "import_table"]


@attrs.define
class Summary:
    """What an import did, in numbers, for the lines on standard error."""

    rows_read: int = 0
    rows_kept: int = 0
    records_made: int = 0
    merged_rows: int = 0
    actors_created: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    encoding: str | None = None
    encoding_how: str | None = None

    def lines(self) -> list[str]:
        """The summary in words, one line per subject."""
        rows = (
            f"rows: {self.rows_read} read, {self.rows_kept} kept, {self.merged_rows} merged "
            "into a record an earlier row made"
        )
        records = (
            f"records: {self.records_made} made from the rows, "
            f"{plural(self.actors_created, 'actor')} created; {self.added} added, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        lines = [rows, records]
        if self.encoding is not None:
            lines.append(f"encoding: {self.encoding} ({self.encoding_how})")
        return lines


@attrs.define
class MappedImport:
    """The outcome of :func:`import_table`.

    ``dataset`` is the imported dataset when there is no error (it passed
    validation), else ``None``; ``problems`` lists every problem found, placed
    in the mapping file, the table's cells or the dataset imported into;
    ``root`` is the folder the dataset's archived texts are read from.
    """

    dataset: Dataset | None
    problems: list[Problem]
    summary: Summary
    document: dict[str, Any] | None = None
    cells: Mapping[str, CellRef] = attrs.field(factory=dict)
    root: Path | None = None


class _Cells(Mapping[str, CellRef]):
    """The cell of each pointer into the imported document, made when asked."""

    def __init__(self, placed: Mapping[tuple[str, int], Made], table: Table) -> None:
        self.placed = placed
        self.ref = table.ref

    def __getitem__(self, where: str) -> CellRef:
        parts = pointer_parts(where)
        if len(parts) >= 2 and parts[1].isdigit():
            made = self.placed.get((parts[0], int(parts[1])))
            if made is not None:
                inner = pointer(parts[2:])
                place = made.places.get(inner)
                if place is not None and place[0] >= 1:
                    return self.ref(place)
        raise KeyError(where)

    def __iter__(self) -> Iterator[str]:
        for (collection, index), made in self.placed.items():
            for inner, (row, _column) in made.places.items():
                if row >= 1:
                    yield f"{pointer([collection, index])}{inner}"

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def deepest(self, where: str) -> CellRef | None:
        """The cell of ``where`` or of its deepest ancestor that has one."""
        parts = pointer_parts(where)
        while len(parts) >= 2:
            found = self.get(pointer(parts))
            if found is not None:
                return found
            parts.pop()
        return None


def _errors(problems: list[Problem]) -> bool:
    return any(problem.severity == Severity.ERROR for problem in problems)


def _lookups(mapping: MappingSpec, where: MappingFile) -> tuple[dict[str, Lookup], list[Problem]]:
    """Every lookup with its rows: those of a ``file`` read from beside the mapping."""
    found: dict[str, Lookup] = {}
    problems: list[Problem] = []
    for name, lookup in mapping.lookups.items():
        if lookup.file is None:
            found[name] = lookup
            continue
        rows, trouble = read_lookup_file(where, name, lookup.file)
        problems += trouble
        found[name] = attrs.evolve(lookup, rows=rows or {})
    return found, problems


def _sheet(book: RawBook, wanted: str | None) -> tuple[RawSheet | None, list[Problem]]:
    if not book.sheets:
        return None, []
    if wanted is None:
        return book.sheets[0], []
    for sheet in book.sheets:
        if sheet.name == wanted:
            return sheet, []
    names = ", ".join(repr(sheet.name) for sheet in book.sheets)
    message = f"there is no sheet {wanted!r}; the sheets are {names}"
    return None, [Problem.create("sheet-not-found", message, file=book.file)]


def _into(into: str | os.PathLike[str]) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The document of the dataset imported into, if it validates without errors."""
    from benchmarkkit._converter import unstructure
    from benchmarkkit._validate import validate

    report = validate(into)
    if report.dataset is None:
        return None, [p for p in report.problems if p.severity == Severity.ERROR]
    document: dict[str, Any] = unstructure(report.dataset)
    return document, []


def _new_document(mapping: MappingSpec) -> dict[str, Any]:
    from benchmarkkit._model import SCHEMA_VERSION

    return {"schema_version": SCHEMA_VERSION, **mapping.dataset}


def _new_dataset_problems(mapping: MappingSpec, where: MappingFile) -> list[Problem]:
    """A new dataset needs an id and a title, and only the mapping's ``dataset:`` gives them."""
    lacking = [field for field in ("id", "title") if field not in mapping.dataset]
    if not lacking:
        return []
    if not mapping.dataset:
        said = "has no `dataset:` to give them"
        at: list[str] = []
    else:
        said = f"its `dataset:` has no {' and no '.join(lacking)}"
        at = ["dataset"]
    message = (
        f"this mapping makes a new dataset, which needs an id and a title, but {said}: give "
        "`dataset:` with an id and a title, or import --into a dataset"
    )
    return where.locate([where.problem("mapping-dataset-incomplete", message, at)])


def _added(mapping: MappingSpec) -> list[Made]:
    """The mapping's ``add`` records, each placed in the mapping file."""
    made = []
    for collection, records in mapping.add.items():
        for index, record in enumerate(records):
            identifier = record.get("id")
            made.append(
                Made(
                    collection,
                    identifier if isinstance(identifier, str) else f"#{index}",
                    dict(record),
                    {"": (-1, index)},  # a row number below 1: a place in the mapping file
                )
            )
    return made


class _Placer:
    """Places problems: at the table's cells, or in the mapping file for its ``add`` records."""

    def __init__(
        self,
        cells: _Cells,
        where: MappingFile,
        mapping_places: dict[str, str],
        dataset_fields: Iterable[str] = (),
    ) -> None:
        self.cells = cells
        self.where = where
        self.mapping_places = mapping_places
        #: The dataset's own fields the mapping's ``dataset:`` gives (a new dataset only).
        self.dataset_fields = frozenset(dataset_fields)

    def at_field(self, problem: Problem, made: Made, inner: str) -> Problem:
        """``problem`` at the cell of ``inner`` in ``made`` (or of its deepest ancestor).

        An ``add`` record holds the mapping file's data as written, so ``inner``
        is found in the file as it is, at its line and column.
        """
        if made.in_mapping:
            found = pointer([*pointer_parts(self.add_pointer(made)), *pointer_parts(inner)])
            moved = attrs.evolve(problem, file=self.where.display, pointer=found)
            return self.where.locate([moved])[0]
        while inner not in made.places:
            inner = inner.rpartition("/")[0]
        return located(problem, self.cells.ref(made.places[inner]))

    def described(self, made: Made) -> str:
        """Where ``made`` comes from, in words: ``row 3 (upr!A3)``, ``line 6 of m.yaml``."""
        if made.in_mapping:
            line = self.where.line_of(self.add_pointer(made))
            shown = self.where.display
            return (
                f"line {line} of {shown}"
                if line is not None
                else f"{self.add_pointer(made)} in {shown}"
            )
        ref = self.cells.ref(made.places[""])
        return f"row {ref.row} ({ref.name})"

    @staticmethod
    def add_pointer(made: Made) -> str:
        """The pointer of an ``add`` record in the mapping file."""
        return pointer(["add", made.collection, made.places[""][1]])

    def place(self, problems: list[Problem]) -> list[Problem]:
        """Dataset problems (pointers into the document) at the cells their values came from."""
        moved: list[Problem] = []
        in_mapping: list[Problem] = []
        for problem in problems:
            ref = self.cells.deepest(problem.pointer) if problem.pointer else None
            if ref is not None and ref.row >= 1:
                moved.append(located(problem, ref))
                continue
            target = self._in_mapping(problem.pointer)
            if target is not None:
                in_mapping.append(attrs.evolve(problem, file=self.where.display, pointer=target))
            else:
                moved.append(problem)
        return moved + self.where.locate(in_mapping)

    def _in_mapping(self, where: str) -> str | None:
        parts = pointer_parts(where)
        if parts and parts[0] in self.dataset_fields:  # a field the mapping's `dataset:` gives
            return pointer(["dataset", *parts])
        if len(parts) >= 2:
            origin = self.mapping_places.get(pointer(parts[:2]))
            if origin is not None:
                return origin + pointer(parts[2:])
        return None


@attrs.frozen(kw_only=True)
class _Job:
    """What one import reads: the mapping, the sheet, the lookups, the dataset it goes into."""

    mapping: MappingSpec
    where: MappingFile
    table: RawSheet
    lookups: dict[str, Lookup]
    base: dict[str, Any]
    into: str | None
    update: bool


def import_table(
    path: str | os.PathLike[str],
    mapping_path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    into: str | os.PathLike[str] | None = None,
    update: bool = False,
) -> MappedImport:
    """Read the table at ``path`` through the mapping at ``mapping_path``; never raise for it.

    ``encoding`` and ``sheet`` override the mapping's ``table``; ``into`` is a
    dataset to merge into (``update``: take the table's values where they
    differ). The result's ``dataset`` is set when nothing is wrong.
    """
    summary = Summary()
    mapping, where, problems = read_mapping(Path(mapping_path), os.fspath(mapping_path))
    if mapping is None:
        return MappedImport(None, problems, summary)
    lookups, trouble = _lookups(mapping, where)
    problems += trouble
    if into is None:
        problems += _new_dataset_problems(mapping, where)
    base, trouble = _into(into) if into is not None else (_new_document(mapping), [])
    problems += trouble
    book = read_book(Path(path), os.fspath(path), encoding=encoding or mapping.table.encoding)
    summary.encoding, summary.encoding_how = book.encoding, book.encoding_how
    problems += book.problems
    table, trouble = _sheet(book, sheet or mapping.table.sheet)
    problems += trouble
    if table is not None:
        problems += check_mapping(mapping, where, headers_of(table, mapping.table.header_row))
    if base is None or table is None or _errors(problems):
        return MappedImport(None, problems, summary)
    shown = os.fspath(into) if into is not None else None
    job = _Job(
        mapping=mapping,
        where=where,
        table=table,
        lookups=lookups,
        base=base,
        into=shown,
        update=update,
    )
    return _finish(job, problems, summary)


def _root(job: _Job) -> Path:
    """The folder archived texts are read from: the dataset imported into's, or the table's."""
    if job.into is None:
        return Path(job.table.file).parent
    return Path(job.into) if Path(job.into).is_dir() else Path(job.into).parent


def _finish(job: _Job, problems: list[Problem], summary: Summary) -> MappedImport:
    added = _added(job.mapping)
    known = [*job.base.get("actors", ()), *(m.data for m in added if m.collection == "actors")]
    applied: Applied = apply(job.mapping, job.table, job.lookups, known)
    problems += applied.problems
    summary.rows_read, summary.rows_kept = applied.rows_read, applied.rows_kept
    summary.records_made, summary.merged_rows = len(applied.records), applied.merged_rows
    summary.actors_created = len(applied.actors)
    cells = _Cells({}, applied.table)
    placer = _Placer(cells, job.where, {}, job.mapping.dataset if job.into is None else ())
    merged: Merged = merge(
        job.base,
        [*added, *applied.actors, *applied.records],
        update=job.update,
        into=job.into,
        problem_at=placer.at_field,
        described=placer.described,
    )
    cells.placed = merged.placed
    for (collection, index), made in merged.placed.items():
        if made.in_mapping:
            placer.mapping_places[pointer([collection, index])] = placer.add_pointer(made)
    problems += merged.problems
    summary.added, summary.updated = merged.added, merged.updated
    summary.unchanged = merged.unchanged
    root = _root(job)
    result = MappedImport(None, problems, summary, merged.document, cells, root.resolve())
    if _errors(problems):
        return result
    from benchmarkkit._validate import validate_data

    report = validate_data(merged.document, root=root, name=job.table.file)
    result.problems = [*problems, *placer.place(list(report.problems))]
    result.dataset = report.dataset
    return result
