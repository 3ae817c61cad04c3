"""Reading dataset files and folders into plain data, with syntax problems as values.

This is the first step of the pipeline: bytes in, JSON-compatible data out.
It never runs code from a file (YAML tags that build objects are refused),
never follows a link out of the dataset folder, and reads YAML the way YAML
1.2 does: ``2012-03-20`` and ``no`` stay text, so the schema sees what the
author wrote.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, Literal

import attrs
import yaml

from benchmarkkit._problems import Problem

try:  # orjson is a dependency; the fallback keeps an exotic platform working.
    import orjson

    def _parse_json(raw: bytes) -> Any:
        return orjson.loads(raw)

    _JSONDecodeError: type[ValueError] = orjson.JSONDecodeError
except ImportError:  # pragma: no cover - exercised only where orjson has no wheel

    def _parse_json(raw: bytes) -> Any:
        return json.loads(raw)

    _JSONDecodeError = json.JSONDecodeError

__all__ = ["DATA_SUFFIXES", "MANIFEST_NAMES", "DataFile", "read_dataset_files", "read_yaml"]

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
    _text: str | None = attrs.field(default=None, repr=False, alias="text")

    @property
    def text(self) -> str:
        """The file's text, decoded on first use (only problems need it)."""
        if self._text is None:
            self._text = self.raw.removeprefix(_BOM).decode("utf-8", errors="replace")
        return self._text


# -- YAML ---------------------------------------------------------------------------------

_YAML_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_YAML_BASE):  # type: ignore[misc]
    """A safe loader with the YAML 1.2 core schema's implicit types.

    PyYAML follows YAML 1.1, where ``no`` is false, ``2012-03-20`` a date
    and ``010`` an octal number. Dataset files mean text by those.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)


_IMPLICIT: list[re.Pattern[str]] = []

for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _YamlLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )
    _IMPLICIT.append(re.compile(_pattern))
_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)


def reads_as_text(plain: str) -> bool:
    """Whether a plain (unquoted) YAML scalar is read back as text by this loader."""
    return not any(pattern.match(plain) for pattern in _IMPLICIT)


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: A YAML file may repeat content through aliases, but not expand beyond this many nodes.
MAX_EXPANDED_NODES = 2_000_000


def _yaml_mark_problem(
    code: str, message: str, display: str, mark: yaml.Mark | None, pointer: str = ""
) -> Problem:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem.create(code, message, file=display, line=line, column=column, pointer=pointer)


def _check_yaml_nodes(root: yaml.Node, display: str) -> list[Problem]:
    """Refuse tags that are not plain data, duplicate keys, and alias bombs."""
    problems: list[Problem] = []
    expanded: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in expanded:
            continue
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _PLAIN_TAGS and node.tag != _MERGE_TAG:
                problems.append(
                    _yaml_mark_problem(
                        "yaml-tag",
                        f"the tag {node.tag!r} is not allowed: dataset files hold plain data",
                        display,
                        node.start_mark,
                    )
                )
            expanded[id(node)] = 1
            continue
        children = (
            [item for pair in node.value for item in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if not children_done:
            if node.tag not in _PLAIN_TAGS:
                problems.append(
                    _yaml_mark_problem(
                        "yaml-tag",
                        f"the tag {node.tag!r} is not allowed: dataset files hold plain data",
                        display,
                        node.start_mark,
                    )
                )
            if isinstance(node, yaml.MappingNode):
                problems.extend(_duplicate_keys(node, display))
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in expanded)
            continue
        expanded[id(node)] = 1 + sum(expanded.get(id(child), 1) for child in children)
        if expanded[id(node)] > MAX_EXPANDED_NODES:
            problems.append(
                _yaml_mark_problem(
                    "too-complex",
                    f"this YAML expands to more than {MAX_EXPANDED_NODES:,} values through "
                    "aliases; benchmarkkit does not load it",
                    display,
                    node.start_mark,
                )
            )
            return problems
    return problems


def _duplicate_keys(node: yaml.MappingNode, display: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE_TAG:
            continue
        if key.value in seen:
            yield _yaml_mark_problem(
                "duplicate-key",
                f"the key {key.value!r} appears more than once in this mapping; "
                "only the last value would be kept",
                display,
                key.start_mark,
            )
        seen.add(key.value)


def read_yaml(text: str, display: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML text: its data, its node tree, and the problems found.

    The data is ``None`` when there are problems.
    """
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        problems = _check_yaml_nodes(node, display)
        if problems:
            return None, node, problems
        return loader.construct_document(node), node, []
    except yaml.MarkedYAMLError as error:
        detail = " ".join(part for part in (error.context, error.problem) if part)
        mark = error.problem_mark or error.context_mark
        return (
            None,
            None,
            [_yaml_mark_problem("yaml-syntax", f"not valid YAML: {detail}", display, mark)],
        )
    except yaml.YAMLError as error:
        return None, None, [Problem.create("yaml-syntax", f"not valid YAML: {error}", file=display)]
    except RecursionError:
        return (
            None,
            None,
            [Problem.create("too-complex", "this YAML is nested too deeply to load", file=display)],
        )
    finally:
        loader.dispose()


# -- files and folders --------------------------------------------------------------------


def _read_file(path: Path, display: str, role: Role) -> tuple[DataFile | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [
            Problem.create(
                "file-unreadable", f"cannot read the file: {error.strerror}", file=display
            )
        ]
    fmt: Literal["json", "yaml"] = "json" if path.suffix.lower() == ".json" else "yaml"
    file = DataFile(path=path, display=display, format=fmt, role=role, raw=raw)
    body = raw.removeprefix(_BOM)
    if fmt == "json":
        try:
            file.data = _parse_json(body)
        except _JSONDecodeError as error:
            line = getattr(error, "lineno", None)
            column = getattr(error, "colno", None)
            reason = getattr(error, "msg", str(error))
            code = "json-syntax"
            if "depth" in reason or "recursion" in reason:
                code, reason = "too-complex", f"nested too deeply to load ({reason})"
            elif "utf-8" in reason.lower() or "surrogate" in reason.lower():
                code, reason = "file-unreadable", f"not UTF-8 text ({reason})"
            file.parsed = False
            return file, [
                Problem.create(
                    code, f"not valid JSON: {reason}", file=display, line=line, column=column
                )
            ]
        return file, []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        line_start = body.rfind(b"\n", 0, error.start) + 1
        column = len(body[line_start : error.start].decode("utf-8", errors="replace")) + 1
        file.parsed = False
        return file, [
            Problem.create(
                "file-unreadable",
                f"not UTF-8 text: byte {error.object[error.start]:#04x} at offset {error.start} "
                "cannot be decoded; save the file as UTF-8",
                file=display,
                line=line,
                column=column,
            )
        ]
    file._text = text
    file.data, file.node, problems = read_yaml(text, display)
    file.parsed = not problems
    return file, problems


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


def _fragment_paths(root: Path, manifest: DataFile, given: str) -> tuple[list[Path], list[Problem]]:
    """The fragment files of a folder dataset, sorted, each within the folder."""
    problems: list[Problem] = []
    patterns = None
    if isinstance(manifest.data, dict) and isinstance(manifest.data.get("include"), list):
        patterns = [p for p in manifest.data["include"] if isinstance(p, str) and p]
    candidates: set[Path] = set()
    if patterns is None:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in filenames:
                if name.lower().endswith(DATA_SUFFIXES) and not name.startswith("."):
                    candidates.add(Path(dirpath) / name)
    else:
        for index, pattern in enumerate(patterns):
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
            matched = [
                p for p in root.glob(pattern) if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
            ]
            if not matched:
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


def read_dataset_files(  # noqa: PLR0911 - one return for each way a path is not a dataset
    path: str | os.PathLike[str],
) -> tuple[Path, list[DataFile], list[Problem]]:
    """Read a dataset file, or a folder with a manifest and fragment files.

    Returns the dataset's root folder (archived texts are looked up inside
    it), the files read, and the problems found reading them.
    """
    given = os.fspath(path)
    target = Path(given)
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
