"""What a check needs to say where a problem is: each record's file and JSON pointer.

Checks work on typed records; people need the file and the pointer the
record came from. The context maps each record object to that place, so a
check (built-in or from a plugin) reports a problem by naming the record
and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._problems import Problem, Severity, pointer
from benchmarkkit._quote_cache import QuoteCache

__all__ = ["CheckContext", "Origin", "ids_in_text"]

#: An ``id`` key and its value, in YAML (block or flow) or JSON: the value quoted either
#: way, or plain up to a space, comma, bracket or comment; or, where a quote or a bracket
#: opens and does not close on the line (often what broke the file), the word after it.
_ID_IN_TEXT = re.compile(
    r"""(?:^|[\s{,\[])["']?id["']?[ \t]*:[ \t]*"""
    r"""(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s"',{}\[\]#][^\s,{}\[\]#]*)"""
    r"""|["'\[{][ \t]*([^\s"',{}\[\]#]+))""",
    re.MULTILINE,
)


def ids_in_text(text: str) -> frozenset[str]:
    """Every value written after an ``id`` key in ``text``, a file that could not be parsed.

    Its records are lost, but the ids they declare still count as declared,
    so that references to them are not reported as undefined on top of the
    file's own problem. Which collection an id belongs to is not known.
    """
    return frozenset(
        double.replace('\\"', '"')
        if double
        else single.replace("''", "'")
        if single
        else plain or unclosed
        for double, single, plain, unclosed in _ID_IN_TEXT.findall(text)
    )


@attrs.frozen
class Origin:
    """Where a record stands: the file shown to people and its JSON pointer there.

    ``cell`` names the record's first cell (``actors!A2``) when the file is a
    table (a workbook or CSV files), whose readers know no pointers.
    """

    file: str | None
    pointer: str
    cell: str | None = None

    def words(self) -> str:
        """Where the record is, in words: ``at actors!A2``, or ``in actors.yaml at /actors/0``."""
        if self.cell is not None:
            return f"at {self.cell}"
        return f"in {self.file or 'the dataset'} at {self.pointer}"


@attrs.define(kw_only=True)
class CheckContext:
    """Passed to every check together with the dataset.

    ``root`` is the dataset folder (archived texts live inside it);
    ``dataset_file`` the file that holds the dataset's own fields;
    ``declared_ids`` the ids every collection declares in the files, even
    records too broken to load, so that references to them are not reported
    a second time.
    """

    root: Path | None
    dataset_file: str | None = None
    declared_ids: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    # An Origin, or (until asked for) the file and collection and the record's index there.
    _origins: dict[int, Origin | tuple[tuple[str | None, str], int]] = attrs.field(
        factory=dict, alias="origins"
    )
    # The cells of the table files by display name: JSON pointer -> a cell with a ``name``.
    _cells: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, alias="cells")
    # The quotes already verified against archived texts, if validation was asked to use them.
    _quote_cache: QuoteCache | None = attrs.field(default=None, alias="quote_cache")

    def record_origin(self, record: object, origin: Origin) -> None:
        """Remember where ``record`` came from."""
        self._origins[id(record)] = origin

    def _record_items(
        self, records: Iterable[tuple[object, int]], file: str | None, collection: str
    ) -> None:
        """Remember that each record is item ``index`` of ``collection`` in ``file``.

        The pipeline's way of calling :meth:`record_origin` for a whole
        collection: the Origin of a record is made only if a problem needs it.
        """
        place = (file, collection)
        self._origins.update((id(record), (place, index)) for record, index in records)

    def origin(self, record: object) -> Origin:
        """Where ``record`` came from; the dataset file if unknown."""
        found = self._origins.get(id(record))
        if found is None:
            return Origin(self.dataset_file, "")
        if isinstance(found, tuple):
            (file, collection), index = found
            where = f"/{collection}/{index}"
            cell = self._cells.get(file or "", {}).get(where)
            found = Origin(file, where, None if cell is None else str(cell.name))
            self._origins[id(record)] = found
        return found

    def pointer(self, record: object, *path: str | int) -> tuple[str | None, str]:
        """The file and JSON pointer of ``path`` within ``record``."""
        origin = self.origin(record)
        return origin.file, origin.pointer + pointer(path)

    def problem(
        self,
        code: str,
        message: str,
        record: object | None = None,
        *path: str | int,
        severity: Severity | None = None,
        hint: str | None = None,
        value: Any = None,
    ) -> Problem:
        """A problem located at ``path`` within ``record`` (or the dataset)."""
        if record is None:
            file, where = self.dataset_file, pointer(path)
        else:
            file, where = self.pointer(record, *path)
        return Problem.create(
            code, message, severity=severity, hint=hint, file=file, pointer=where, value=value
        )
