"""Reading a mapping file: YAML or JSON, its schema, then the typed mapping; problems located."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._files import DataFile, _read_file
from benchmarkkit._mapping._model import MappingSpec, structure_mapping
from benchmarkkit._problems import Problem, pointer

__all__ = ["MappingFile", "read_mapping", "read_rows_file"]

SCHEMA = "mapping"


@attrs.define
class MappingFile:
    """A mapping file as read: its display name, parsed data, and where each value is."""

    display: str
    folder: Path
    file: DataFile | None

    def locate(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems, each given the line and column of its pointer in this file."""
        problems = list(problems)
        if self.file is None or not problems:
            return problems
        found = self._positions({p.pointer for p in problems})
        return [
            attrs.evolve(p, line=found[p.pointer][0], column=found[p.pointer][1])
            if p.pointer in found and p.line is None
            else p
            for p in problems
        ]

    def line_of(self, where: str) -> int | None:
        """The line of the value at the pointer ``where`` in this file, if it is known."""
        found = self._positions({where}).get(where)
        return None if found is None else found[0]

    def _positions(self, pointers: set[str]) -> Mapping[str, tuple[int, int]]:
        if self.file is None:
            return {}
        from benchmarkkit._validate import _positions

        return _positions(self.file, self.file.data, pointers)

    def problem(self, code: str, message: str, path: Sequence[str | int]) -> Problem:
        """A problem at ``path`` in this file (located later, with the others)."""
        return Problem.create(code, message, file=self.display, pointer=pointer(path))


def _read(path: Path, display: str) -> tuple[DataFile | None, list[Problem]]:
    if not path.exists():
        return None, [Problem.create("path-not-found", "there is no such file", file=display)]
    return _read_file(path, display, "dataset")


def read_mapping(path: Path, display: str) -> tuple[MappingSpec | None, MappingFile, list[Problem]]:
    """The typed mapping in ``path``, or ``None`` with the problems that stop it.

    Syntax problems are those of dataset files; schema problems are worded as
    for a dataset (``_schema_messages``) and located by line and column.
    """
    from benchmarkkit._schema import iter_violations
    from benchmarkkit._schema_messages import problems_from_violations

    file, problems = _read(path, display)
    where = MappingFile(display, path.resolve().parent, file)
    if file is None or file.data is None or any(p.severity == "error" for p in problems):
        return None, where, problems
    violations = iter_violations(file.data, SCHEMA)
    if violations:
        found = problems_from_violations(SCHEMA, file.data, violations, display)
        return None, where, [*problems, *where.locate(found)]
    return structure_mapping(file.data), where, problems


def read_rows_file(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """The rows of a lookup file beside the mapping (key -> fields), or ``None`` and why not."""
    file, problems = _read(path, display)
    data = file.data if file is not None else None
    if data is None:
        return None, problems
    if not isinstance(data, dict) or not all(isinstance(row, dict) for row in data.values()):
        problems.append(
            Problem.create(
                "mapping-lookup-not-readable",
                "a lookup file must map each key to its fields (key: {field: value, ...}); "
                "this file does not",
                file=display,
                line=1,
                column=1,
            )
        )
        return None, problems
    return {str(key): row for key, row in data.items()}, problems
