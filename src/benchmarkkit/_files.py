"""Reading dataset files and folders into plain data, with syntax problems as values.

This is the first step of the pipeline: bytes in, JSON-compatible data out.
It never runs code from a file (YAML tags that build objects are refused),
never follows a link out of the dataset folder, and reads YAML the way YAML
1.2 does (in :mod:`benchmarkkit._yaml`): ``2012-03-20`` and ``no`` stay text,
so the schema sees what the author wrote.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from benchmarkkit._problems import Problem

if TYPE_CHECKING:
    import yaml

    from benchmarkkit._yaml import MAX_EXPANDED_NODES, read_yaml, reads_as_text

__all__ = [
    "DATA_SUFFIXES",
    "MANIFEST_NAMES",
    "MAX_EXPANDED_NODES",
    "DataFile",
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
_BOM = b"\xef\xbb\xbf"

Role = Literal["dataset", "fragment"]


@attrs.define(kw_only=True)
class DataFile:
    """One parsed dataset file.

    ``display`` is the path as shown to people (the path given by the caller
    joined with the file's place in the folder). ``data`` is ``None`` when
    the file could not be parsed. ``node`` is the composed YAML tree, kept to
    find line numbers.
    """

    path: Path
    display: str
    format: Literal["json", "yaml"]
    role: Role
    raw: bytes = attrs.field(repr=False)
    data: Any = attrs.field(default=None, repr=False)
    node: yaml.Node | None = attrs.field(default=None, repr=False)
    parsed: bool = True
    #: Whether every whole number is known to be one orjson reads exactly (the standard
    #: library's decoder read the file, refusing any other); if not, the bytes are searched.
    whole_numbers_exact: bool = attrs.field(default=False, repr=False)
    _text: str | None = attrs.field(default=None, repr=False, alias="text")

    @property
    def text(self) -> str:
        """The file's text (without BOM), decoded on first use unless parsing decoded it."""
        if self._text is None:
            self._text = self.raw.removeprefix(_BOM).decode("utf-8", errors="replace")
        return self._text

    @text.setter
    def text(self, text: str) -> None:
        self._text = text


# -- JSON ---------------------------------------------------------------------------------


def _parse_json_bytes(raw: bytes) -> Any:
    """Parse with orjson: the reference for what a JSON file holds and how it is wrong.

    Its errors are :class:`json.JSONDecodeError` instances, with line and column.
    """
    try:  # orjson is a dependency; the fallback keeps an exotic platform working.
        import orjson
    except ImportError:  # pragma: no cover - exercised only where orjson has no wheel
        return json.loads(raw)
    return orjson.loads(raw)


class _DifferentReadingError(Exception):
    """The standard library would read this JSON differently from orjson."""


def _refuse(_text: str) -> Any:
    raise _DifferentReadingError  # NaN, Infinity and -Infinity: orjson refuses them


def _int(text: str) -> int:
    value = int(text)
    if -(2**63) <= value < 2**64:
        return value
    raise _DifferentReadingError  # orjson reads a larger integer as a float


def _float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise _DifferentReadingError  # orjson refuses a number too large for a float
    return value


# An escaped UTF-16 surrogate: the standard library keeps a lone one, orjson refuses it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
# The standard library's decoder counts nesting against the recursion limit, which must not let
# it read deeper than orjson (1,024 levels). From Python 3.12 it counts against a separate,
# larger C limit, so there orjson reads every file.
_STDLIB_NESTS_LESS = sys.version_info < (3, 12)


class _NotingRepeatedKeys:
    """An ``object_pairs_hook`` that builds each object as json does, noting a repeated key."""

    __slots__ = ("found",)

    def __init__(self) -> None:
        self.found = False

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)  # the last value of a repeated key wins, as in orjson
        if len(result) != len(pairs):
            self.found = True
        return result


def _repeats_a_key(document: bytes) -> bool | None:
    """Whether an object in the JSON ``document`` repeats a key; ``None`` if it cannot say.

    orjson keeps the last value of a repeated key without a word; the standard
    library's decoder is asked instead, building no object (a fifth of the time
    of a parse, in little memory).
    """
    found = False

    def note(pairs: list[tuple[str, Any]]) -> None:
        nonlocal found
        if len(pairs) > 1 and len(dict(pairs)) != len(pairs):
            found = True

    try:
        json.loads(document, object_pairs_hook=note)
    except (ValueError, RecursionError):
        return None  # orjson says what is wrong, or reads what the standard library cannot
    return found


def _parse_json_bytes_noting_keys(body: bytes) -> tuple[Any, bool | None]:
    # The repeated keys first: the text the check decodes is let go before orjson parses.
    repeats = _repeats_a_key(body)
    return _parse_json_bytes(body), repeats


def _parse_json(file: DataFile) -> tuple[Any, bool | None]:
    """Parse a JSON file's bytes as orjson does; keep its text instead of its bytes.

    Returns the data and whether an object repeats a key (``None``: unknown).
    The standard library's decoder, given the text, builds the same values as
    orjson (as fast, with the cyclic garbage collector paused) in far less
    memory for a large file: orjson holds a parsed copy of the whole document
    while it builds the Python values, and the bytes are let go before the
    text is parsed. Wherever the two could differ (numbers beyond orjson's
    range, NaN, escaped surrogates, deep nesting, any error), orjson reads
    the same bytes, so the result and every error message are orjson's.
    """
    body = file.raw.removeprefix(_BOM)
    if not (_STDLIB_NESTS_LESS and sys.getrecursionlimit() <= 1024):
        return _parse_json_bytes_noting_keys(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _parse_json_bytes(body), None  # orjson raises: the file is not UTF-8
    del body
    file.text, file.raw = text, b""  # problems need the text; nothing needs the bytes
    if _SURROGATE_ESCAPE.search(text) is None:
        hook = _NotingRepeatedKeys()
        try:
            data = json.loads(
                text,
                object_pairs_hook=hook,
                parse_constant=_refuse,
                parse_int=_int,
                parse_float=_float,
            )
        except (ValueError, RecursionError, _DifferentReadingError):
            pass  # orjson says what is wrong, or reads what the standard library would not
        else:
            file.whole_numbers_exact = True
            return data, hook.found
    return _parse_json_bytes_noting_keys(text.encode("utf-8"))


# -- files and folders --------------------------------------------------------------------


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# Opening never waits (a named pipe put in a file's place after it was looked at) and never
# makes a terminal the process's own; neither flag changes how a regular file reads.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)
#: The names of standard input, which a dataset is never read from.
_STANDARD_INPUT = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")


def _special_kind(path: Path) -> str | None:
    """What ``path`` is, in words, if it is neither a regular file nor a folder (links followed).

    ``None`` also when it does not exist: that has its own problem.
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), None)


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


class _NotAFileError(OSError):
    """What was opened is not a regular file (a named pipe put in the place of one)."""


def _read_bytes(path: Path) -> bytes:
    """The bytes of the regular file ``path``; a pipe or a device is never waited on."""
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(descriptor).st_mode
        kind = next((kind for test, kind in _KINDS if test(mode)), None)
        if kind is not None:
            raise _NotAFileError(kind)
        return file.read()


def _read_file(path: Path, display: str, role: Role) -> tuple[DataFile | None, list[Problem]]:
    try:
        raw = _read_bytes(path)
    except _NotAFileError as error:
        return None, [_special_problem(path, str(error), display)]
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
        return _read_json(file)
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


def _read_json(file: DataFile) -> tuple[DataFile, list[Problem]]:
    try:
        file.data, repeats = _parse_json(file)
    except json.JSONDecodeError as error:  # orjson's errors are JSONDecodeErrors too
        file.parsed = False
        return file, _json_error_problems(file, error)
    if repeats:
        from benchmarkkit._json_keys import repeated_key_problems

        file.parsed = False  # as for YAML: the file says two things; which is meant?
        return file, repeated_key_problems(file)
    if not file.whole_numbers_exact and _may_hold_long_numbers(file):
        from benchmarkkit._json_values import whole_numbers_too_large

        problems = whole_numbers_too_large(file)
        if problems:
            file.parsed = False  # orjson read them as approximate floats: not what was written
        return file, problems
    return file, []


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


def _json_error_problems(file: DataFile, error: json.JSONDecodeError) -> list[Problem]:
    """The problems of a JSON file the parser refused: what the refusal means, in words."""
    display = file.display
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    offset = getattr(error, "pos", None)
    document = getattr(error, "doc", None)
    if isinstance(document, str) and isinstance(offset, int):
        # The parsers count only LF as a line break; a lone CR ends a line too.
        line, column = line_and_column(document, offset)
    reason = getattr(error, "msg", str(error))
    if "surrogate" in reason and _is_utf8(file):
        from benchmarkkit._json_values import read_with_lone_surrogates

        return read_with_lone_surrogates(file)[1]
    if "infinity" in reason and isinstance(offset, int):
        from benchmarkkit._json_values import number_too_large

        return [number_too_large(file, offset)]
    if not _is_utf8(file):
        body = file.raw.removeprefix(_BOM)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            return [not_utf8_problem(file, body, decode_error)]
    code = "json-syntax"
    if "depth" in reason or "recursion" in reason:
        code, reason = "too-complex", f"nested too deeply to load ({reason})"
    return [
        Problem.create(code, f"not valid JSON: {reason}", file=display, line=line, column=column)
    ]


# Every digit as "0", anything else as a space: a run of 19 zeros is a run of 19 digits, the
# fewest a whole number beyond orjson's range has. Searched a megabyte at a time: a 30 MB
# file in about 50 ms, where a regex takes ten times as long.
_DIGITS_AS_ZEROS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_NINETEEN_DIGITS = b"0" * 19
_CHUNK = 1 << 20


def _may_hold_long_numbers(file: DataFile) -> bool:
    body = file.raw if file.raw else file.text.encode("utf-8")
    overlap = len(_NINETEEN_DIGITS) - 1
    return any(
        _NINETEEN_DIGITS in body[start : start + _CHUNK + overlap].translate(_DIGITS_AS_ZEROS)
        for start in range(0, len(body), _CHUNK)
    )


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


def _is_utf8(file: DataFile) -> bool:
    if file.raw == b"":
        return True  # the standard library's reader decoded it
    try:
        file.raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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
        kind = _special_kind(path)
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


def read_dataset_files(
    path: str | os.PathLike[str],
) -> tuple[Path, list[DataFile], list[Problem]]:
    """Read a dataset file, or a folder with a manifest and fragment files.

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
    kind = _special_kind(target)
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
        if (kind := _special_kind(root / name)) is not None
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
