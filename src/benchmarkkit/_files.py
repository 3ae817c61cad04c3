"""Reading dataset files and folders into plain data, with syntax problems as values.

This is the first step of the pipeline: bytes in, JSON-compatible data out.
It never runs code from a file (YAML tags that build objects are refused),
never follows a link out of the dataset folder, and reads YAML the way YAML
1.2 does (in :mod:`benchmarkkit._yaml`): ``2012-03-20`` and ``no`` stay text,
so the schema sees what the author wrote.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from benchmarkkit._problems import Problem
from benchmarkkit._regular_files import NotAFileError, read_regular_bytes, special_kind

if TYPE_CHECKING:
    import yaml

    from benchmarkkit._yaml import MAX_EXPANDED_NODES, read_yaml, reads_as_text

__all__ = [
    "DATA_SUFFIXES",
    "MANIFEST_NAMES",
    "MAX_EXPANDED_NODES",
    "TABLE_SUFFIXES",
    "DataFile",
    "LineIndex",
    "line_and_column",
    "read_dataset_files",
    "read_yaml",
    "reads_as_text",
]


def __getattr__(name: str) -> Any:
    # The YAML reader lives in benchmarkkit._yaml, imported on first use: a dataset of
    # JSON files never loads PyYAML.
    if name in ("read_yaml", "reads_as_text", "MAX_EXPANDED_NODES"):
        from benchmarkkit import _yaml

        return getattr(_yaml, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MANIFEST_NAMES = ("dataset.yaml", "dataset.yml", "dataset.json")
DATA_SUFFIXES = (".json", ".yaml", ".yml")
#: Workbooks read as datasets in the workbook layout (a folder of CSV files: one holding
#: ``dataset.csv`` and no manifest).
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_BOM = b"\xef\xbb\xbf"
#: The whole numbers every reader keeps exactly: those orjson reads as integers (a JSON
#: file's larger whole numbers become approximate floats).
SMALLEST_WHOLE_NUMBER = -(2**63)
LARGEST_WHOLE_NUMBER = 2**64 - 1

Role = Literal["dataset", "fragment"]


@attrs.define(kw_only=True)
class DataFile:
    """One parsed dataset file.

    ``display`` is the path as shown to people (the path given by the caller
    joined with the file's place in the folder). ``data`` is ``None`` when
    the file could not be parsed. ``node`` is the composed YAML tree, kept to
    find line numbers. A workbook or a folder of CSV files in the workbook
    layout is a ``table``: its ``data`` is the dataset its cells hold, and
    ``cells`` the cell of each JSON pointer, which locates its problems.
    """

    path: Path
    display: str
    format: Literal["json", "yaml", "table"]
    role: Role
    raw: bytes = attrs.field(repr=False)
    data: Any = attrs.field(default=None, repr=False)
    node: yaml.Node | None = attrs.field(default=None, repr=False)
    parsed: bool = True
    #: Whether every whole number is known to be one orjson reads exactly (the standard
    #: library's decoder read the file, refusing any other); if not, the bytes are searched.
    whole_numbers_exact: bool = attrs.field(default=False, repr=False)
    _text: str | None = attrs.field(default=None, repr=False, alias="text")
    #: A table's cells by JSON pointer (``_tables._read.CellRef`` values); None for a text file.
    cells: Mapping[str, Any] | None = attrs.field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The file's text (without BOM), decoded on first use unless parsing decoded it."""
        if self._text is None:
            self._text = self.raw.removeprefix(_BOM).decode("utf-8", errors="replace")
        return self._text

    @text.setter
    def text(self, text: str) -> None:
        self._text = text


# -- files and folders --------------------------------------------------------------------


#: The names of standard input, which a dataset is never read from.
_STANDARD_INPUT = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


def _special_problem(path: Path, kind: str, display: str) -> Problem:
    """The problem of a data file that is a pipe or a device: it is never opened."""
    what = "links to" if path.is_symlink() else "is"
    return Problem.create(
        "file-unreadable",
        f"this {what} {kind}, not a file: it was not read, so what it holds is not part of "
        "the dataset; replace it with a file, or move it out of the dataset folder",
        hint="Dataset files are regular files; a named pipe, a device or a socket is never "
        "opened, since reading it could wait forever.",
        file=display,
    )


def _read_file(path: Path, display: str, role: Role) -> tuple[DataFile | None, list[Problem]]:
    try:
        raw = read_regular_bytes(path)
    except NotAFileError as error:
        return None, [_special_problem(path, error.kind, display)]
    except OSError as error:
        return None, [
            Problem.create(
                "file-unreadable", f"cannot read the file: {error.strerror}", file=display
            )
        ]
    fmt: Literal["json", "yaml"] = "json" if path.suffix.lower() == ".json" else "yaml"
    file = DataFile(path=path, display=display, format=fmt, role=role, raw=raw)
    del raw  # the file holds the bytes; a large JSON file lets go of them before parsing
    if fmt == "json":
        from benchmarkkit._json_file import read_json  # the JSON reader, with its fallbacks

        return read_json(file)
    body = file.raw.removeprefix(_BOM)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        file.parsed = False
        return file, [not_utf8_problem(file, body, error)]
    from benchmarkkit._yaml import read_yaml  # PyYAML loads only for YAML files

    file._text = text
    file.data, file.node, problems = read_yaml(text, display)
    file.parsed = file.data is not None or not problems  # warnings come with the data
    return file, problems


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``, as people count them.

    A line ends at LF, CR LF or a lone CR, as in YAML 1.2 and in editors;
    NEL (U+0085), U+2028 and U+2029 do not end one (JSON and YAML 1.2 read
    them as text, though PyYAML's marks count them). The column counts
    characters.
    """
    breaks = text.count("\n", 0, offset)
    carriage_returns = text.count("\r", 0, offset)
    if carriage_returns:
        breaks += carriage_returns - text.count("\r\n", 0, offset)
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return breaks + 1, offset - line_start + 1


_LINE_BREAK = re.compile("\r\n|\r|\n")


class LineIndex:
    """:func:`line_and_column` for many offsets in one text: the line starts found once.

    For the places that locate every problem of a kind in a file, so that the
    cost is one pass over the text, not one per problem.
    """

    def __init__(self, text: str) -> None:
        self._starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset``, as :func:`line_and_column` gives them."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def _looks_like_utf16(body: bytes) -> bool:
    return body.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body[:2]


def _likely_encoding(body: bytes) -> tuple[str, str]:
    """A guess at what a file that is not UTF-8 was saved as: its text so read, and words."""
    if _looks_like_utf16(body):
        text = body.decode("utf-16", errors="replace")
        return text, "it looks like UTF-16, as some Windows programs save text"
    try:
        text = body.decode("cp1252")
    except UnicodeDecodeError:
        text = body.decode("utf-8", errors="replace")
        return text, "its encoding is not one benchmarkkit can guess"
    return text, "it may be Windows-1252 or Latin-1, as spreadsheets and older editors save text"


def not_utf8_problem(file: DataFile, body: bytes, error: UnicodeDecodeError) -> Problem:
    """The ``not-utf8`` problem of a file that cannot be decoded, at the first bad byte.

    The file's text becomes the text read in the encoding it seems to have, so
    that the ids it declares can still be found (and not reported as undefined
    where other files refer to them).
    """
    before = body[: error.start].decode("utf-8")  # the bytes before the first bad one decode
    line, column = line_and_column(before, len(before))
    file.text, guess = _likely_encoding(body)
    return Problem.create(
        "not-utf8",
        f"the file is not UTF-8 text: byte {body[error.start]:#04x} cannot be decoded "
        f"({guess}); save the file as UTF-8",
        file=file.display,
        line=line,
        column=column,
    )


def _display(given: str, relative: str) -> str:
    # os.path.join keeps the path as the user typed it ("./data/x.yaml"), unlike Path.
    return relative if given in ("", ".") else os.path.join(given, relative)  # noqa: PTH118


def _is_hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _within(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _glob(root: Path, pattern: str) -> list[Path]:
    """The paths ``pattern`` matches, where a final ``**`` matches files too, as in git.

    Before Python 3.13, ``Path.glob("**")`` gives only folders.
    """
    found = list(root.glob(pattern))
    if pattern.rstrip("/").endswith("**"):
        found.extend(root.glob(pattern.rstrip("/") + "/*"))
    return found


def _special_problems(paths: set[Path], root: Path, given: str) -> list[Problem]:
    """A problem for each pipe or device named like a data file, but a hidden one."""
    problems = []
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        kind = special_kind(path)
        relative = path.relative_to(root)
        if kind is not None and not _is_hidden(relative):
            problems.append(_special_problem(path, kind, _display(given, relative.as_posix())))
    return problems


def _fragment_paths(root: Path, manifest: DataFile, given: str) -> tuple[list[Path], list[Problem]]:
    """The fragment files of a folder dataset, sorted, each within the folder."""
    problems: list[Problem] = []
    patterns = None
    if isinstance(manifest.data, dict) and isinstance(manifest.data.get("include"), list):
        # Each pattern keeps its place in the list: the schema reports an empty or
        # non-text entry, and the pointers of those after it must still be right.
        patterns = [
            (index, p)
            for index, p in enumerate(manifest.data["include"])
            if isinstance(p, str) and p
        ]
    candidates: set[Path] = set()
    others: set[Path] = set()  # named like data files, but not regular files
    if patterns is None:

        def unlisted(error: OSError) -> None:
            folder = Path(error.filename or root)
            where = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else "."
            problems.append(
                Problem.create(
                    "file-unreadable",
                    f"cannot list the folder: {error.strerror or error}; its files were not read",
                    file=_display(given, where),
                )
            )

        for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                candidate = Path(dirpath) / name
                if name.lower().endswith(DATA_SUFFIXES) and not name.startswith("."):
                    # Only regular files are read: reading a named pipe or a device would
                    # never end. Anything else is reported below.
                    (candidates if candidate.is_file() else others).add(candidate)
    else:
        for index, pattern in patterns:
            pointer = f"/include/{index}"
            if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
                problems.append(
                    Problem.create(
                        "include-outside-folder",
                        f"the include pattern {pattern!r} must stay inside the dataset folder",
                        file=manifest.display,
                        pointer=pointer,
                        value=pattern,
                    )
                )
                continue
            found = [p for p in _glob(root, pattern) if p.suffix.lower() in DATA_SUFFIXES]
            matched = [p for p in found if p.is_file()]
            others.update(p for p in found if not p.is_file())
            if not found:
                problems.append(
                    Problem.create(
                        "include-matches-nothing",
                        f"the include pattern {pattern!r} matches no .json, .yaml or .yml file",
                        file=manifest.display,
                        pointer=pointer,
                        value=pattern,
                    )
                )
            candidates.update(matched)
    problems.extend(_special_problems(others, root, given))
    paths = []
    for path in sorted(candidates, key=lambda p: p.relative_to(root).as_posix()):
        relative = path.relative_to(root)
        if path == manifest.path or _is_hidden(relative):
            continue
        if not _within(path, root):
            problems.append(
                Problem.create(
                    "link-outside-folder",
                    "this file links to a place outside the dataset folder and was not read",
                    file=_display(given, relative.as_posix()),
                )
            )
            continue
        paths.append(path)
    return paths, problems


#: A single table file: not a dataset, but what ``benchmarkkit import`` reads.
_TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_TABLE_HINT = (
    "A table that is not a dataset file is read into one by a mapping file: "
    "`benchmarkkit import TABLE --mapping MAPPING -o DATASET/` (docs/how-to/"
    "import-upr-recommendations.md shows how). A dataset is a .json/.yaml/.yml file, or a "
    "folder holding dataset.yaml, or a workbook exported by `benchmarkkit export`."
)


def _is_table_dataset(target: Path) -> bool:
    """Whether ``target`` is a workbook, or a folder of CSV files in the workbook layout."""
    if target.is_file():
        return target.suffix.lower() in TABLE_SUFFIXES
    return (target / "dataset.csv").is_file() and not any(
        (target / name).exists() for name in MANIFEST_NAMES
    )


def read_dataset_files(
    path: str | os.PathLike[str],
) -> tuple[Path, list[DataFile], list[Problem]]:
    """Read a dataset file, or a folder with a manifest and fragment files.

    A workbook (``.xlsx``, ``.xls``, ``.ods``) or a folder of CSV files holding
    ``dataset.csv`` is read as the dataset its cells hold (``_tables._book``).
    Returns the dataset's root folder (archived texts are looked up inside
    it), the files read, and the problems found reading them. A path the
    system refuses (too long, not allowed, a NUL character) is a problem too.
    """
    given = os.fspath(path)
    try:
        return _read_dataset_files(given)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        problem = Problem.create(
            "file-unreadable", f"{given!r} cannot be read: {reason}", file=given
        )
        return Path(given), [], [problem]


def _read_dataset_files(  # noqa: PLR0911 - one return for each way a path is not a dataset
    given: str,
) -> tuple[Path, list[DataFile], list[Problem]]:
    target = Path(given)
    if given in _STANDARD_INPUT and (given != "-" or not target.exists()):
        message = (
            f"{given!r} is standard input: benchmarkkit reads a dataset from a file or a "
            "folder, not from standard input; save it as a .yaml or .json file and give that file"
        )
        return target, [], [Problem.create("not-a-dataset", message, file=given)]
    kind = special_kind(target)
    if kind is not None:
        message = (
            f"{given!r} is {kind}, not a file or a folder: a dataset is a .json, .yaml or .yml "
            "file, or a folder holding a dataset.yaml; it was not opened"
        )
        return target, [], [Problem.create("not-a-dataset", message, file=given)]
    if not target.exists():
        return (
            target,
            [],
            [Problem.create("path-not-found", f"{given!r} does not exist", file=given)],
        )
    if _is_table_dataset(target):
        from benchmarkkit._tables._book import read_table_dataset  # the spreadsheet layer

        return read_table_dataset(target, given)
    if target.is_file():
        if target.suffix.lower() not in DATA_SUFFIXES:
            return (
                target.parent.resolve(),
                [],
                [
                    Problem.create(
                        "not-a-dataset",
                        f"{given!r} is not a dataset file: expected a .json, .yaml or .yml file",
                        file=given,
                        hint=_TABLE_HINT if target.suffix.lower() in _TABLE_SUFFIXES else None,
                    )
                ],
            )
        file, problems = _read_file(target, given, "dataset")
        return target.parent.resolve(), [file] if file else [], problems
    root = target.resolve()
    manifests = [root / name for name in MANIFEST_NAMES if (root / name).is_file()]
    special = [
        _special_problem(root / name, kind, _display(given, name))
        for name in MANIFEST_NAMES
        if (kind := special_kind(root / name)) is not None
    ]
    if special and not manifests:
        return root, [], special
    if len(manifests) != 1:
        found = "none" if not manifests else ", ".join(m.name for m in manifests)
        return (
            root,
            [],
            [
                Problem.create(
                    "not-a-dataset",
                    f"a dataset folder holds exactly one manifest ({', '.join(MANIFEST_NAMES)}); "
                    f"{given!r} has {found}",
                    file=given,
                )
            ],
        )
    if not _within(manifests[0], root):
        return (
            root,
            [],
            [
                Problem.create(
                    "link-outside-folder",
                    "the manifest links to a place outside the dataset folder and was not read",
                    file=_display(given, manifests[0].name),
                )
            ],
        )
    manifest, problems = _read_file(manifests[0], _display(given, manifests[0].name), "dataset")
    problems[:0] = special
    files = [manifest] if manifest else []
    if manifest is None:
        return root, files, problems
    fragment_paths, fragment_problems = _fragment_paths(root, manifest, given)
    problems.extend(fragment_problems)
    for fragment_path in fragment_paths:
        display = _display(given, fragment_path.relative_to(root).as_posix())
        file, file_problems = _read_file(fragment_path, display, "fragment")
        problems.extend(file_problems)
        if file is not None:
            files.append(file)
    return root, files, problems
