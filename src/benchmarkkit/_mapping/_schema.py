"""Reading a mapping file: YAML or JSON, its schema, then the typed mapping; problems located."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._files import DataFile, _read_file
from benchmarkkit._mapping._model import MappingSpec, structure_mapping
from benchmarkkit._problems import Problem, pointer

__all__ = ["MappingFile", "read_lookup_file", "read_mapping"]

SCHEMA = "mapping"
LOOKUP_NOT_READABLE = "mapping-lookup-not-readable"


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


def _lookup_path(where: MappingFile, name: str, written: str) -> tuple[Path | None, list[Problem]]:
    """The lookup file ``written`` names, if it is a file inside the mapping file's folder.

    Kept inside that folder as a dataset's archived texts are kept inside its
    folder (``archive_path``): no absolute path, no ``..`` out of it, no link
    whose real path lies outside it.
    """
    from benchmarkkit._archive_folders import archive_path

    shown = (Path(where.display).parent / written).as_posix()
    path = archive_path(where.folder, written)
    if path is None:
        why = (
            f"the lookup file {written!r} is outside the mapping file's folder "
            f"({where.folder.as_posix()}); a lookup file must be in that folder or a folder "
            "inside it, named by its path from there"
        )
    elif path.is_dir():
        why = f"{shown!r} is a folder, not a lookup file"
    elif not path.exists():
        why = f"there is no lookup file {shown!r} (its path is read from the mapping file's folder)"
    else:
        return path, []
    return None, _at_file(where, name, why)


def _at_file(where: MappingFile, name: str, why: str) -> list[Problem]:
    """The lookup file of ``name`` cannot be used: one problem at its ``file:`` line."""
    return where.locate([where.problem(LOOKUP_NOT_READABLE, why, ("lookups", name, "file"))])


def read_lookup_file(where: MappingFile, name: str, written: str) -> tuple[Any, list[Problem]]:
    """The rows of the lookup ``name``'s ``file`` (key -> fields), or ``None`` and why not.

    A path outside the mapping file's folder, a missing, unreadable or folder
    path is one problem at the ``file:`` line of the mapping; a file whose
    content is not a mapping of keys to fields, one problem in that file.
    """
    path, problems = _lookup_path(where, name, written)
    if path is None:
        return None, problems
    shown = (Path(where.display).parent / written).as_posix()
    file, problems = _read_file(path, shown, "dataset")
    if file is None:  # not read at all: say so where the mapping names it
        reason = "; ".join(p.message for p in problems)
        why = f"the lookup file {shown!r} cannot be read ({reason})"
        return None, _at_file(where, name, why)
    data = file.data
    if data is None:
        return None, problems
    if not isinstance(data, dict) or not all(isinstance(row, dict) for row in data.values()):
        problems.append(
            Problem.create(
                LOOKUP_NOT_READABLE,
                "a lookup file must map each key to its fields (key: {field: value, ...}); "
                "this file does not",
                file=shown,
                line=1,
                column=1,
            )
        )
        return None, problems
    return {str(key): row for key, row in data.items()}, problems
