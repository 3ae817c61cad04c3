"""Upgrading a dataset to the newest format version, in place, changing as little as it can.

An upgrade is a chain of steps, one per format version: :data:`STEPS` maps the
version a step reads to the version it writes and the function that says what
else must change. A step returns the edits it makes to the files' text, and
notes on what it cannot decide for the user (printed, never dropped). The
upgrade itself rewrites ``schema_version`` in the file that holds it (a
folder's manifest), as one scalar in the text: every other byte, comments and
layout included, stays as it was. Format 1.1 (``"1.0"`` here) changes nothing
else; a step from 1.1 to 1.2 is one more entry.

A dataset is upgraded only if it validates, without errors, in its own version,
and the upgraded files are validated before they replace anything: an upgrade
never writes over a dataset with one that is worse. Each file is replaced
atomically (``_write``).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._files import DataFile
from benchmarkkit._model import SCHEMA_VERSION
from benchmarkkit._problems import Problem, ValidationReport, pointer
from benchmarkkit._wording import short

__all__ = [
    "STEPS",
    "Changes",
    "Edit",
    "Note",
    "Upgrade",
    "UpgradeRefusedError",
    "apply_upgrade",
    "plan_upgrade",
]

_BOM = "\ufeff"


@attrs.frozen
class Edit:
    """Replace ``text[start:end]`` of the file ``path`` with ``new``."""

    path: Path
    start: int
    end: int
    new: str


@attrs.frozen
class Note:
    """Something the upgrade cannot decide, at a place in a file: the user decides."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.file + "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{where}: note: {self.message}"


@attrs.frozen
class Changes:
    """What one step changes besides the version: edits to the text, and notes."""

    edits: tuple[Edit, ...] = ()
    notes: tuple[Note, ...] = ()


#: One step: the dataset's files as read -> what must change besides ``schema_version``.
Step = Callable[[Sequence[DataFile]], Changes]


@attrs.frozen
class Upgrade:
    """What upgrading a dataset does: from which version to which, and the files' new text.

    ``texts`` maps each file that changes to its new bytes (empty when the
    dataset is already of the newest version); ``changes`` says in words what
    changes, ``notes`` what the user must decide.
    """

    path: str
    from_version: str
    to_version: str
    texts: Mapping[Path, bytes]
    changes: tuple[str, ...]
    notes: tuple[Note, ...]
    check: Callable[[Path, Path], None] = attrs.field(repr=False, eq=False)

    @property
    def needed(self) -> bool:
        """Whether anything changes."""
        return bool(self.texts)


class UpgradeRefusedError(Exception):
    """The dataset is not upgraded; ``str`` says why, ``report`` holds its problems, if any."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


def _standards_of_kind_recommendation(files: Sequence[DataFile]) -> Changes:
    """1.0 -> 1.1: a standard of kind ``recommendation`` now means a general recommendation."""
    notes = []
    for file in files:
        items = file.data.get("standards") if isinstance(file.data, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict) or item.get("kind") != "recommendation":
                continue
            line, column = _position(file, pointer(("standards", index)))
            notes.append(
                Note(
                    file=file.display,
                    line=line,
                    column=column,
                    message=f"standard {short(item.get('id'))} is of kind recommendation: "
                    "format 1.1 keeps that kind for general recommendations and comments "
                    "addressed to every State; if a body addressed it to one duty bearer, "
                    "record it under recommendations (see docs/reference/data-format.md). "
                    "It is left as it is",
                )
            )
    return Changes(notes=tuple(notes))


#: The upgrade steps: the version a step reads -> the version it writes, and what else changes.
STEPS: Mapping[str, tuple[str, Step]] = {
    "1.0": ("1.1", _standards_of_kind_recommendation),
}


def _position(file: DataFile, where: str) -> tuple[int | None, int | None]:
    from benchmarkkit._positions import locate_json, locate_yaml

    if file.format == "yaml" and file.node is not None:
        return locate_yaml(file.node, [where], file.text)[where]
    if file.format == "json" and file.data is not None:
        return locate_json(file.text, file.data, [where])[where]
    return None, None


def _json_version_span(file: DataFile) -> tuple[int, int] | None:
    """Where the ``schema_version`` string of a JSON file stands in its text."""
    from benchmarkkit._positions import locate_json

    line, column = locate_json(file.text, file.data, ["/schema_version"])["/schema_version"]
    lines = file.text.split("\n")
    key = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    decoder = json.JSONDecoder()
    try:
        _, after_key = decoder.raw_decode(file.text, key)
        colon = file.text.index(":", after_key)
        start = colon + 1
        while file.text[start] in " \t\r\n":
            start += 1
        _, end = decoder.raw_decode(file.text, start)
    except (ValueError, IndexError):
        return None
    return start, end


def _yaml_version_span(file: DataFile) -> tuple[int, int] | None:
    """Where the ``schema_version`` scalar of a YAML file stands in its text."""
    import yaml

    node = file.node
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "schema_version":
            return value.start_mark.index, value.end_mark.index
    return None


def _version_edit(file: DataFile, old: str, new: str) -> Edit:
    """The one edit that writes ``new`` where the file says ``old``, quoted as it was."""
    span = _json_version_span(file) if file.format == "json" else _yaml_version_span(file)
    written = file.text[span[0] : span[1]] if span is not None else ""
    quote = written[:1]
    if span is None or quote not in "\"'" or _read_scalar(written, file.format) != old:
        raise UpgradeRefusedError(
            f"{file.display}: cannot find where the text says schema_version {short(old)}; "
            f"set it to {short(new)} by hand"
        )
    return Edit(path=file.path, start=span[0], end=span[1], new=f"{quote}{new}{quote}")


def _read_scalar(written: str, fmt: str) -> Any:
    if fmt == "json":
        return json.loads(written)
    import yaml

    return yaml.safe_load(written)


def _apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits`` made, last first so that the offsets of the others hold."""
    ordered = sorted(edits, key=lambda edit: edit.start, reverse=True)
    for later, earlier in itertools.pairwise(ordered):
        if earlier.end > later.start:
            raise ValueError(f"two upgrade edits overlap in {later.path}")
    for edit in ordered:
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


def _encoded(file: DataFile, text: str) -> bytes:
    bom = _BOM if file.raw.startswith(_BOM.encode("utf-8")) else ""
    return (bom + text).encode("utf-8")


def _refuse_invalid(report: ValidationReport, version: str | None) -> None:
    errors = report.counts()["error"]
    if not errors:
        return
    problem = "error" if errors == 1 else "errors"
    if version is None or any(p.code == "unsupported-schema-version" for p in report.problems):
        where = "it cannot be read"
    else:
        where = f"in its own format version, {version}"
    raise UpgradeRefusedError(
        f"{report.path} was not upgraded: it has {errors} {problem} {where}; fix "
        f"{'it' if errors == 1 else 'them'} first (benchmarkkit validate {report.path} "
        f"shows {'it' if errors == 1 else 'them'}), then upgrade",
        report,
    )


def _chain(version: str) -> list[tuple[str, Step]]:
    steps = []
    while version != SCHEMA_VERSION:
        if version not in STEPS:
            raise UpgradeRefusedError(
                f"no upgrade leads from format version {short(version)} to {SCHEMA_VERSION}"
            )
        version, step = STEPS[version]
        steps.append((version, step))
    return steps


def plan_upgrade(path: str | os.PathLike[str]) -> Upgrade:
    """What upgrading the dataset at ``path`` to the newest format changes; nothing is written.

    Raises :class:`UpgradeRefusedError` for a dataset that has errors in its own
    version, of a version newer than this library, or that says no version.
    """
    from benchmarkkit._files import read_dataset_files
    from benchmarkkit._validate import validate

    given = os.fspath(path)
    root, files, read_problems = read_dataset_files(given)
    manifest = next((f for f in files if f.role == "dataset" and f.parsed), None)
    data = manifest.data if manifest is not None else None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if manifest is not None and isinstance(data, dict) and "schema_version" not in data:
        raise UpgradeRefusedError(
            f"{manifest.display} does not say which format version it is written in: add "
            f'schema_version: "1.0" (or the version it was written for) as its first line, '
            "then upgrade"
        )
    _refuse_invalid(validate(given), version if isinstance(version, str) else None)
    if manifest is None or not isinstance(version, str):  # it validated: never so
        raise UpgradeRefusedError(f"{given} was not upgraded: it has no manifest to upgrade")
    steps = _chain(version)
    edits: list[Edit] = []
    notes: list[Note] = []
    for _, step in steps:
        changes = step(files)
        edits.extend(changes.edits)
        notes.extend(changes.notes)
    words: list[str] = []
    if steps:
        edits.append(_version_edit(manifest, version, SCHEMA_VERSION))
        line, _ = _position(manifest, "/schema_version")
        words.append(
            f"{manifest.display}:{line}: schema_version {short(version)} -> {short(SCHEMA_VERSION)}"
        )
    by_path = {file.path: file for file in files}
    texts = {
        changed: _encoded(by_path[changed], _apply(by_path[changed].text, mine))
        for changed in {edit.path for edit in edits}
        if (mine := [edit for edit in edits if edit.path == changed])
    }

    def check(original: Path, written: Path) -> None:
        _check_written(given, root, files, read_problems, replaced=(original, written))

    return Upgrade(
        path=given,
        from_version=version,
        to_version=SCHEMA_VERSION,
        texts=texts,
        changes=tuple(words),
        notes=tuple(notes),
        check=check,
    )


def _check_written(
    given: str,
    root: Path,
    files: Sequence[DataFile],
    read_problems: list[Problem],
    *,
    replaced: tuple[Path, Path],
) -> None:
    """Validate the dataset with one file replaced (``(original, written)``); refuse errors."""
    original, written = replaced
    from benchmarkkit._files import _read_file
    from benchmarkkit._validate import DEFAULT_CHECKS, _validate_files

    now: list[DataFile] = []
    problems = list(read_problems)
    for file in files:
        if file.path != original:
            now.append(file)
            continue
        new, found = _read_file(written, file.display, file.role)
        if new is None or not new.parsed:
            raise UpgradeRefusedError(f"{file.display}: the upgraded file does not read back")
        # What reading the file says (an unquoted date, say) is said of the new text instead.
        problems = [p for p in problems if p.file != file.display] + found
        now.append(new)
    report = _validate_files(
        given, root, now, problems, backend="auto", checks=DEFAULT_CHECKS, plugins=True
    )
    if report.counts()["error"]:
        raise UpgradeRefusedError(
            f"{given} was not upgraded: the upgraded dataset would have errors; it is unchanged",
            report,
        )


def apply_upgrade(upgrade: Upgrade) -> None:
    """Write the upgraded files, each validated before it replaces the old one.

    Raises :class:`OSError` if the system refuses a write (the file is then
    unchanged), :class:`UpgradeRefusedError` if the upgraded dataset would not
    validate.
    """
    from benchmarkkit._write import write_atomically

    for path, data in upgrade.texts.items():

        def check(written: Path, original: Path = path) -> None:
            upgrade.check(original, written)

        write_atomically(path, data, check=check)
