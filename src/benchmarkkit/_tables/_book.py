"""A workbook or a folder of CSV files read as a dataset file, for validation and import.

The seam between the tables and the validation pipeline: the book is read
(``_read``), its cells read as a dataset document (``_import``), and the
document given to the pipeline as the data of one dataset file, whose problems
are then placed in cells by their JSON pointers (:func:`in_cells`): the same
codes and messages as for a YAML file, located in the workbook's own terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from benchmarkkit._files import DataFile
from benchmarkkit._in_memory import text_problems
from benchmarkkit._problems import Problem
from benchmarkkit._tables._import import Imported, import_book
from benchmarkkit._tables._read import CellRef, RawBook, located, read_book

__all__ = ["book_dataset_file", "cell_of", "in_cells", "read_table_dataset"]


def book_dataset_file(path: Path, given: str, imported: Imported) -> tuple[DataFile, list[Problem]]:
    """The dataset file the imported book stands for, and what no file could hold in it."""
    data, problems = text_problems(imported.document, given)
    file = DataFile(
        path=path,
        display=given,
        format="table",
        role="dataset",
        raw=b"",
        data=data,
        cells=imported.cells,
    )
    return file, problems


def read_table_dataset(
    target: Path, given: str, *, encoding: str | None = None
) -> tuple[Path, list[DataFile], list[Problem]]:
    """The dataset a workbook or CSV folder holds, as ``_files.read_dataset_files`` gives one.

    Its archived texts are looked for beside the workbook, or in the CSV folder.
    """
    root = (target if target.is_dir() else target.parent).resolve()
    book: RawBook = read_book(target, given, encoding=encoding)
    if not book.sheets:
        return root, [], list(book.problems)
    imported = import_book(book)
    file, problems = book_dataset_file(target, given, imported)
    return root, [file], [*book.problems, *imported.problems, *problems]


def cell_of(cells: Mapping[str, Any], where: str) -> CellRef | None:
    """The cell of the deepest prefix of the pointer ``where`` that has one."""
    while where:
        found = cells.get(where)
        if found is not None:
            return found  # type: ignore[no-any-return]
        where = where.rpartition("/")[0]
    return None


def in_cells(problems: Iterable[Problem], tables: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """The problems of table files placed in their cells, by their pointers; others unchanged.

    A field is missing because its cell could not be read: that cell's
    ``cell-not-readable`` problem says it once, and the ``missing-field`` its
    absence causes at the same cell is left out.
    """
    placed = []
    unreadable: set[tuple[str | None, str | None]] = set()
    for problem in problems:
        cells = tables.get(problem.file or "")
        if cells is not None and problem.cell is None and problem.sheet is None:
            ref = cell_of(cells, problem.pointer)
            if ref is not None:
                problem = located(problem, ref)  # noqa: PLW2901 - the same problem, placed
        if problem.code == "cell-not-readable":
            unreadable.add((problem.file, problem.cell))
        placed.append(problem)
    if not unreadable:
        return placed
    return [
        problem
        for problem in placed
        if problem.code != "missing-field" or (problem.file, problem.cell) not in unreadable
    ]
