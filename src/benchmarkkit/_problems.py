"""Problems found in a dataset, as values: what, where, how bad, how to fix it."""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from benchmarkkit._codes import CODES

if TYPE_CHECKING:
    from benchmarkkit._model import Dataset

__all__ = [
    "TABLE_PLACE_KEYS",
    "Problem",
    "Severity",
    "ValidationReport",
    "pointer",
    "pointer_parts",
    "value_at",
    "walk",
    "without_consequences",
]


# A "~" that escapes nothing: RFC 6901 knows only "~0" and "~1".
_BAD_ESCAPE = re.compile(r"~(?![01])")


def pointer(path: Iterable[str | int]) -> str:
    """The RFC 6901 JSON pointer of a path: each part after a "/", "~" as "~0", "/" as "~1".

    >>> pointer(["actors", 0, "a/b~c"])
    '/actors/0/a~1b~0c'
    """
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def pointer_parts(where: str) -> list[str]:
    """The parts of a JSON pointer, unescaped; up to the first part that is not valid.

    A pointer that does not start with "/" has none; a part with a "~" not
    followed by "0" or "1" ends the parts, as nothing can be found below it.

    >>> pointer_parts("/actors/0/a~1b~0c")
    ['actors', '0', 'a/b~c']
    """
    if not where.startswith("/"):
        return []
    parts = []
    for raw in where[1:].split("/"):
        if _BAD_ESCAPE.search(raw):
            break
        parts.append(raw.replace("~1", "/").replace("~0", "~"))
    return parts


def walk(document: Any, path: Iterable[str | int]) -> tuple[Any, list[str | int]]:
    """How far ``path`` leads into ``document``: the value it reaches, and the steps taken.

    Only objects (mappings) and arrays (lists) have members; the walk stops at
    the first step that finds nothing: a key the object lacks, an index past
    the end of the array, any step into text, a number or ``null``. An index
    is a number, or digits written as text as :func:`pointer_parts` gives
    them, and is taken as a number.

    >>> walk({"actors": [{"id": "a"}]}, pointer_parts("/actors/0/name"))
    ({'id': 'a'}, ['actors', 0])
    """
    value, taken = document, []
    for step in path:
        if isinstance(value, Mapping) and step in value:
            value = value[step]
            taken.append(step)
        elif isinstance(value, list) and (index := _index(step)) is not None and index < len(value):
            value = value[index]
            taken.append(index)
        else:
            break
    return value, taken


def _index(step: str | int) -> int | None:
    """``step`` as an array index, or ``None`` if it is not one (RFC 6901: digits)."""
    if isinstance(step, str):
        return int(step) if step.isascii() and step.isdigit() else None
    return step if type(step) is int and step >= 0 else None


def value_at(document: Any, path: Sequence[str | int]) -> Any:
    """The value at ``path`` in ``document``, or ``None`` where :func:`walk` stops short.

    >>> value_at({"actors": [{"id": "a"}]}, ["actors", 0, "id"]), value_at([], [0])
    ('a', None)
    """
    value, taken = walk(document, path)
    return value if len(taken) == len(path) else None


class Severity(str, enum.Enum):
    """How bad a problem is.

    An ``error`` makes a dataset invalid. A ``warning`` does not, unless the
    caller asks for strict validation. ``info`` is advice.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return str(self.value)


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

#: The keys of :meth:`Problem.to_json` that place a problem in a table file.
TABLE_PLACE_KEYS = ("sheet", "row", "header", "cell")

#: The column letters that end a cell's name: "C" in "evidence!C17", "AA" in "'my sheet'!AA3".
_CELL_COLUMN = re.compile(r"([A-Za-z]{1,3})[0-9]+$")


def _column_number(cell: str) -> int:
    """The 1-based column of a cell's name (``evidence!C17``: 3, ``AA1``: 27); 0 if none.

    >>> _column_number("evidence!C17"), _column_number("'my sheet'!AA3"), _column_number("x")
    (3, 27, 0)
    """
    match = _CELL_COLUMN.search(cell)
    if match is None:
        return 0
    number = 0
    for letter in match.group(1).upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a dataset, and where it is.

    ``code`` is stable and documented (see ``docs/reference/problem-codes.md``);
    ``message`` names the field, what was expected and what was found, in
    plain words; ``pointer`` is a JSON pointer into ``file`` using the keys
    the file itself uses; ``line`` and ``column`` are 1-based and known for
    JSON and YAML files. A problem in a table file (a workbook, a CSV file)
    has no line: ``sheet`` names the sheet, ``row`` is the 1-based row as the
    spreadsheet numbers it, ``header`` is the column's header as written, and
    ``cell`` is the cell's name (``evidence!C17``; a whole row's first cell; ``None``,
    with ``sheet`` set, for a problem about a whole sheet). ``value`` is the
    offending value where there is one, and ``hint`` says how to fix the
    problem. ``plugin`` names the installed plugin that reported it, if any.
    """

    code: str
    severity: Severity
    message: str
    file: str | None = None
    pointer: str = ""
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    row: int | None = None
    header: str | None = None
    cell: str | None = None
    value: Any = attrs.field(default=None, eq=False, hash=False)
    hint: str | None = None
    plugin: str | None = None

    @classmethod
    def create(
        cls,
        code: str,
        message: str,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
        **where: Any,
    ) -> Problem:
        """A problem with the severity and hint the catalogue gives ``code``.

        Unknown codes (from plugins) default to an error without a hint.
        """
        entry = CODES.get(code)
        if severity is None:
            severity = Severity(entry.severity) if entry else Severity.ERROR
        if hint is None and entry is not None:
            hint = entry.hint
        return cls(code=code, severity=severity, message=message, hint=hint, **where)

    def sort_key(self) -> tuple[str, int, int, str, int, int, str, int, str, str, str]:
        """Order: by file, line, column, sheet, row, cell's column, pointer, severity, code.

        Problems alike in all of these (two messages at one place) go by their
        message and hint, so that the order never depends on the order found.

        A problem in a table file has no line: its sheet, row and the column of
        its cell order it. The problems of a file with lines never have a sheet,
        so their order is the same as without these three.
        """
        return (
            self.file or "",
            self.line or 0,
            self.column or 0,
            self.sheet or "",
            self.row or 0,
            _column_number(self.cell) if self.cell else 0,
            self.pointer,
            _SEVERITY_RANK[self.severity],
            self.code,
            self.message,
            self.hint or "",
        )

    @property
    def place(self) -> str | None:
        """Where in a table file: ``sheet!C17 (header)``, or the sheet; ``None`` if neither."""
        if self.cell is not None:
            return self.cell if self.header is None else f"{self.cell} ({self.header})"
        return self.sheet

    @property
    def location(self) -> str:
        """``file:line:column``, ``file:cell (header)`` or ``file:sheet``, as far as known."""
        parts = [self.file or "<dataset>"]
        place = self.place
        if place is not None:
            parts.append(place)
        elif self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The problem as JSON data; ``value`` is left out, since it may be any size."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
            "sheet": self.sheet,
            "row": self.row,
            "header": self.header,
            "cell": self.cell,
            "hint": self.hint,
            "plugin": self.plugin,
        }

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


@attrs.frozen(kw_only=True)
class ValidationReport:
    """Everything validation found in a dataset, and the dataset if it is usable.

    ``problems`` come root causes first (the problems that stopped a whole
    file from being read), then by file, line and column (in a table file: by
    sheet, row and column). ``dataset`` is the loaded
    :class:`~benchmarkkit.Dataset` when there is no error (warnings allowed),
    else ``None``. ``files`` lists the files read.
    """

    path: str
    problems: tuple[Problem, ...] = ()
    files: tuple[str, ...] = ()
    schema_version: str | None = None
    dataset: Dataset | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of error severity."""
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The problems of warning severity."""
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def is_valid(self, *, strict: bool = False) -> bool:
        """Whether the dataset has no error (and, if ``strict``, no warning)."""
        blocking = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return not any(p.severity in blocking for p in self.problems)

    @property
    def valid(self) -> bool:
        """Whether the dataset has no problem of error severity."""
        return self.is_valid()

    def counts(self) -> Mapping[str, int]:
        """How many problems there are of each severity (every severity listed)."""
        found = Counter(p.severity.value for p in self.problems)
        return {severity.value: found.get(severity.value, 0) for severity in Severity}

    def codes(self) -> Counter[str]:
        """How many problems there are of each code."""
        return Counter(p.code for p in self.problems)


def is_root_cause(problem: Problem, lost_files: Collection[str]) -> bool:
    """Whether ``problem`` lost a whole file's data: the file unread, unparsable, dropped.

    ``lost_files`` are the files whose data was lost whole. Nothing such a
    file held is in the checks that follow, so its problem is listed first:
    fixing it may change all the others.
    """
    if problem.file not in lost_files or problem.severity is not Severity.ERROR:
        return False
    entry = CODES.get(problem.code)
    return entry is not None and (
        entry.stage == "files" or problem.code == "unsupported-schema-version"
    )


def sort_problems(
    problems: Iterable[Problem], lost_files: Collection[str] = ()
) -> tuple[Problem, ...]:
    """The problems in report order, each listed once.

    The problems that lost a whole file come first (:func:`is_root_cause`);
    then every problem by file, line and column, or sheet, row and column in a
    table file (:meth:`Problem.sort_key`).
    """
    unique = dict.fromkeys(problems)
    if not lost_files:
        return tuple(sorted(unique, key=Problem.sort_key))
    return tuple(
        sorted(
            unique, key=lambda problem: (not is_root_cause(problem, lost_files), problem.sort_key())
        )
    )


#: The problems of a value that the later steps see replaced (text with a lone surrogate
#: by U+FFFD, a number by 1, a value inside itself by null, a file too deep by nothing):
#: whatever the schema or the checks then say at that value, or inside it, is its echo.
_REPLACED = frozenset({"invalid-text", "number-too-large", "too-complex"})


def _as_read(pointer: str) -> str:
    """``pointer`` with each lone surrogate as the U+FFFD the later steps see in its place."""
    return pointer.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def without_consequences(problems: Sequence[Problem]) -> list[Problem]:
    """The problems without those that only echo a value no file can hold.

    A problem at, or inside, a replaced value (see ``_REPLACED``) is left
    out: an id holding a lone surrogate then breaks the id pattern, a value
    found inside itself is null where a record belongs. So is a problem
    inside another replaced value. When a key held the surrogate, the field
    that key was meant to be is missing: a ``missing-field`` problem beside
    it, for a field named like the key, is left out too.
    """
    causes: set[tuple[str | None, str]] = set()
    keys: dict[tuple[str | None, str], list[str]] = {}
    for problem in problems:
        if problem.code in _REPLACED and problem.pointer:
            pointer = _as_read(problem.pointer)
            causes.add((problem.file, pointer))
            parent, _, key = pointer.rpartition("/")
            if "\ufffd" in key:
                keys.setdefault((problem.file, parent), []).append(key.replace("\ufffd", ""))
    if not causes:
        return list(problems)
    lengths = {len(pointer) for _file, pointer in causes}
    return [
        problem
        for problem in problems
        if not _inside_a_cause(problem, causes, lengths) and not _meant_key(problem, keys)
    ]


def _inside_a_cause(
    problem: Problem, causes: set[tuple[str | None, str]], lengths: set[int]
) -> bool:
    """Whether ``problem`` is at a replaced value (and not its cause) or inside one."""
    pointer = _as_read(problem.pointer)
    if problem.code not in _REPLACED and (problem.file, pointer) in causes:
        return True
    # Only the ancestors as long as some cause's pointer can be one: a pointer a hundred
    # thousand parts long is looked at in one pass, not cut a hundred thousand times.
    position = pointer.find("/", 1)
    while position > 0:
        if position in lengths and (problem.file, pointer[:position]) in causes:
            return True
        position = pointer.find("/", position + 1)
    return False


def _meant_key(problem: Problem, keys: dict[tuple[str | None, str], list[str]]) -> bool:
    """Whether ``problem`` is a field missing only because its key held a lone surrogate."""
    if problem.code != "missing-field" or not keys:
        return False
    parent, _, field = problem.pointer.rpartition("/")
    written = keys.get((problem.file, parent), ())
    if not written:
        return False
    import difflib

    return any(difflib.SequenceMatcher(None, key, field).ratio() >= 0.6 for key in written)
