"""Upgrading a dataset to the newest format version, in place, changing as little as it can.

An upgrade is a chain of steps, one per format version: :data:`STEPS` maps the
version a step reads to the version it writes and the function that says what
else must change. A step returns the edits it makes to the files' text, and
notes on what it cannot decide for the user (printed, never dropped). The
upgrade itself rewrites ``schema_version`` in the file that holds it (a
folder's manifest), and a ``$schema`` that names the published schema of the
old version in any file, each as one scalar in the text: every other byte,
comments and layout included, stays as it was. Format 1.1 (``"1.0"`` here)
changes nothing else; a step from 1.1 to 1.2 is one more entry.

A dataset is upgraded only if it validates in its own version, apart from the
fields of later versions it already uses (the upgrade is what fixes those), and
the upgraded files, all together, are validated before any of them replaces
anything: an upgrade never writes over a dataset with one that is worse. No
file is written if one of them is read-only; each is replaced atomically
(``_write``), the manifest last.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from benchmarkkit._files import DataFile
from benchmarkkit._model import SCHEMA_VERSION
from benchmarkkit._problems import Problem, Severity, ValidationReport, pointer
from benchmarkkit._wording import short

__all__ = [
    "STEPS",
    "Changes",
    "Edit",
    "Note",
    "Upgrade",
    "UpgradeImpossibleError",
    "UpgradeRefusedError",
    "apply_upgrade",
    "plan_upgrade",
]

_BOM = "\ufeff"
#: The problems an upgrade itself fixes: a field of a later version (any version this
#: library reads is at most the one it upgrades to).
_FIXED_BY_UPGRADE = frozenset({"field-from-later-version"})
#: The schemas a dataset's files name in ``$schema``: the manifest's and the other files'.
_DATA_SCHEMAS = ("dataset", "fragment")


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
    dataset is already of the newest version), the manifest last; ``names``
    maps each to the name messages give it. ``changes`` says in words what
    changes, ``notes`` what the user must decide. The new texts were validated
    together when the upgrade was planned.
    """

    path: str
    from_version: str
    to_version: str
    texts: Mapping[Path, bytes]
    changes: tuple[str, ...]
    notes: tuple[Note, ...]
    names: Mapping[Path, str] = attrs.field(factory=dict, repr=False, eq=False)

    @property
    def needed(self) -> bool:
        """Whether anything changes."""
        return bool(self.texts)


class UpgradeRefusedError(Exception):
    """The dataset is not upgraded; ``str`` says why, ``report`` holds its problems, if any."""

    def __init__(self, message: str, report: ValidationReport | None = None) -> None:
        super().__init__(message)
        self.report = report


class UpgradeImpossibleError(UpgradeRefusedError):
    """The upgrade cannot be done as things are, whatever the data says; nothing was written.

    A dataset of a later format than this library's, a file that is read-only,
    a ``schema_version`` written in a way the upgrade cannot rewrite.
    """


def _standards_of_kind_recommendation(files: Sequence[DataFile]) -> Changes:
    """1.0 -> 1.1: a standard of kind ``recommendation`` may be better recorded as one."""
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
                    "if a body addressed it to one duty bearer, format 1.1 records it under "
                    "recommendations, where its responses and implementation are tracked "
                    "(see docs/reference/data-format.md); a general recommendation to every "
                    "State stays a standard. It is left as it is",
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


def _json_value_span(file: DataFile, key: str) -> tuple[int, int] | None:
    """Where the value of the top-level ``key`` of a JSON file stands in its text."""
    from benchmarkkit._positions import locate_json

    where = pointer((key,))
    line, column = locate_json(file.text, file.data, [where])[where]
    lines = file.text.split("\n")
    at = sum(len(text) + 1 for text in lines[: line - 1]) + column - 1
    decoder = json.JSONDecoder()
    try:
        _, after_key = decoder.raw_decode(file.text, at)
        colon = file.text.index(":", after_key)
        start = colon + 1
        while file.text[start] in " \t\r\n":
            start += 1
        _, end = decoder.raw_decode(file.text, start)
    except (ValueError, IndexError):
        return None
    return start, end


def _yaml_value_span(file: DataFile, key: str) -> tuple[int, int] | None:
    """Where the value of the top-level ``key`` of a YAML file stands in its text."""
    import yaml

    node = file.node
    if not isinstance(node, yaml.MappingNode):
        return None
    for name, value in node.value:
        if isinstance(name, yaml.ScalarNode) and name.value == key:
            return value.start_mark.index, value.end_mark.index
    return None


def _scalar_edit(file: DataFile, key: str, old: str, new: str) -> Edit | None:
    """The edit that writes ``new`` where the file's top-level ``key`` says ``old``, if found.

    Only a scalar written as ``old`` itself, quoted or (in YAML) plain, is
    rewritten, keeping its quotes: not one with an anchor, a tag, escapes, or
    in a block, whose rewriting could change more than the one value.
    """
    span = _json_value_span(file, key) if file.format == "json" else _yaml_value_span(file, key)
    if span is None:
        return None
    written = file.text[span[0] : span[1]]
    if written not in (f'"{old}"', f"'{old}'", old):
        return None
    rewritten = written.replace(old, new)
    try:
        if (_read_scalar(written, file.format), _read_scalar(rewritten, file.format)) != (old, new):
            return None
    except ValueError:  # a plain YAML scalar that reads as something else (yaml.YAMLError)
        return None
    return Edit(path=file.path, start=span[0], end=span[1], new=rewritten)


def _version_edit(file: DataFile, old: str, new: str) -> Edit:
    """The one edit that writes ``new`` where the file says ``old``, quoted as it was."""
    edit = _scalar_edit(file, "schema_version", old, new)
    if edit is None:
        line, _ = _position(file, "/schema_version")
        where = file.display if line is None else f"{file.display}:{line}"
        raise UpgradeImpossibleError(
            f"{where}: the upgrade cannot rewrite schema_version as this file writes it (with an "
            "anchor, a tag, escapes or a block such as >-), so nothing was written; write it "
            f"by hand as schema_version: {json.dumps(old)} (in quotes, on one line, nothing "
            "else), then run benchmarkkit upgrade again"
        )
    return edit


def _read_scalar(written: str, fmt: str) -> Any:
    if fmt == "json":
        return json.loads(written)
    import yaml

    try:
        return yaml.safe_load(written)
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None


@functools.cache
def _published_ids() -> Mapping[str, tuple[str, str]]:
    """The ``$id`` of each published dataset and fragment schema -> its version and name."""
    from benchmarkkit._bundle import published_text, published_versions

    return {
        json.loads(published_text(name, version))["$id"]: (version, name)
        for version in published_versions()
        for name in _DATA_SCHEMAS
    }


def _schema_id(version: str, name: str) -> str:
    return next(url for url, known in _published_ids().items() if known == (version, name))


def _local_schema_note(file: DataFile, named: str) -> str:
    """What to do about a ``$schema`` that names something else than a published schema."""
    if "://" in named:
        folder = "DIR"
    else:  # a path, from the file's folder, as the user would write it
        folder = os.path.normpath(Path(file.display).parent / Path(named).parent)
    return (
        f"$schema names {short(named, 200)}, not a schema benchmarkkit publishes, so it is left "
        "as it is: if it is a copy of benchmarkkit's schemas, refresh the local copies with "
        f"`benchmarkkit schema --output {folder}`"
    )


def _schema_references(
    files: Sequence[DataFile], older: Iterable[str]
) -> tuple[list[Edit], list[Note], list[str]]:
    """``$schema`` in each file: rewritten if it names an ``older`` published schema, else noted.

    Returns the edits, the notes, and the changes in words.
    """
    older = set(older)
    edits: list[Edit] = []
    notes: list[Note] = []
    words: list[str] = []
    for file in files:
        named = file.data.get("$schema") if isinstance(file.data, dict) else None
        if not isinstance(named, str):
            continue
        version, name = _published_ids().get(named, (None, None))
        line, column = _position(file, "/$schema")
        if version is None or name is None:
            notes.append(Note(file.display, line, column, _local_schema_note(file, named)))
            continue
        if version not in older:
            continue
        new = _schema_id(SCHEMA_VERSION, name)
        edit = _scalar_edit(file, "$schema", named, new)
        if edit is None:
            message = f"$schema names the {name} schema of format {version}: set it to {new}"
            notes.append(Note(file.display, line, column, message))
            continue
        edits.append(edit)
        words.append(f"{file.display}:{line}: $schema {short(named, 200)} -> {short(new, 200)}")
    return edits, notes, words


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


def _them(count: int) -> str:
    return "it" if count == 1 else "them"


def _refuse_invalid(report: ValidationReport, version: str | None) -> None:
    """Refuse a dataset with errors that the upgrade does not fix, saying why in words."""
    from benchmarkkit._validate import _is_newer

    errors = sum(
        1
        for problem in report.problems
        if problem.severity is Severity.ERROR and problem.code not in _FIXED_BY_UPGRADE
    )
    if not errors:
        return
    if version is None:
        raise UpgradeRefusedError(
            f"{report.path} was not upgraded: it could not be read as a dataset", report
        )
    if _is_newer(version):
        raise UpgradeImpossibleError(
            f"{report.path} was not upgraded: it is written in format {version}, and this "
            f"benchmarkkit is older than that format (it reads formats up to {SCHEMA_VERSION}); "
            f"upgrade benchmarkkit to a release that reads format {version} "
            "(pip install --upgrade benchmarkkit)"
        )
    problem = "error" if errors == 1 else "errors"
    raise UpgradeRefusedError(
        f"{report.path} was not upgraded: it has {errors} {problem} in its own format version, "
        f"{version}; fix {_them(errors)} first (benchmarkkit validate {report.path} shows "
        f"{_them(errors)}), then upgrade",
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


def _changes(
    files: Sequence[DataFile], manifest: DataFile, version: str
) -> tuple[list[Edit], list[Note], list[str]]:
    """Every edit and note of the upgrade from ``version``, and the changes in words."""
    steps = _chain(version)
    edits: list[Edit] = []
    notes: list[Note] = []
    for _, step in steps:
        changes = step(files)
        edits.extend(changes.edits)
        notes.extend(changes.notes)
    if not steps:
        return edits, notes, []
    edits.append(_version_edit(manifest, version, SCHEMA_VERSION))
    line, _ = _position(manifest, "/schema_version")
    words = [
        f"{manifest.display}:{line}: schema_version {short(version)} -> {short(SCHEMA_VERSION)}"
    ]
    older = [version, *(reached for reached, _ in steps[:-1])]
    schema_edits, schema_notes, schema_words = _schema_references(files, older)
    return [*edits, *schema_edits], [*notes, *schema_notes], [*words, *schema_words]


def _refuse_tables(given: str) -> None:
    """Refuse a workbook or a folder of CSV files: the upgrade edits YAML and JSON text only."""
    from benchmarkkit._files import _is_table_dataset

    target = Path(given)
    try:
        table = _is_table_dataset(target)
    except (OSError, ValueError):  # reading the path says what is wrong with it
        return
    if not table:
        return
    folder = target.is_dir()
    what = "a folder of CSV files" if folder else "a workbook"
    sheet = "dataset.csv" if folder else "the dataset sheet"
    raise UpgradeImpossibleError(
        f"{given} is {what}, and upgrade rewrites only datasets in YAML or JSON: it never "
        f"writes into a workbook or CSV files, so nothing was changed. Import it "
        f"(benchmarkkit import {given} -o DATASET), upgrade that folder (benchmarkkit "
        "upgrade DATASET) and export it again; or write the newest version, "
        f'"{SCHEMA_VERSION}", in the schema_version cell of {sheet} yourself and '
        f"validate it (benchmarkkit validate {given})"
    )


def plan_upgrade(path: str | os.PathLike[str]) -> Upgrade:
    """What upgrading the dataset at ``path`` to the newest format changes; nothing is written.

    The upgraded files are validated, all together, before the plan is returned.
    Raises :class:`UpgradeRefusedError` for a dataset that cannot be read, has
    errors in its own version (other than the fields of later versions the
    upgrade fixes), says no version, or would have errors once upgraded; its
    subclass :class:`UpgradeImpossibleError` for one of a version newer than
    this library, whose ``schema_version`` the upgrade cannot rewrite, or that
    is a workbook or a folder of CSV files (whose text it does not edit).
    """
    from benchmarkkit._files import read_dataset_files
    from benchmarkkit._validate import validate

    given = os.fspath(path)
    _refuse_tables(given)
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
    edits, notes, words = _changes(files, manifest, version)
    by_path = {file.path: file for file in files}
    changed = sorted({edit.path for edit in edits}, key=lambda p: p == manifest.path)
    texts = {
        path: _encoded(
            by_path[path], _apply(by_path[path].text, [e for e in edits if e.path == path])
        )
        for path in changed
    }
    if texts:
        _check_upgraded(given, root, files, read_problems, texts)
    return Upgrade(
        path=given,
        from_version=version,
        to_version=SCHEMA_VERSION,
        texts=texts,
        changes=tuple(words),
        notes=tuple(notes),
        names={path: by_path[path].display for path in texts},
    )


def _check_upgraded(
    given: str,
    root: Path,
    files: Sequence[DataFile],
    read_problems: list[Problem],
    texts: Mapping[Path, bytes],
) -> None:
    """Validate the dataset with every file in ``texts`` replaced by its new text; refuse errors.

    The new texts are written to a temporary folder and read back from there, as
    the files will be read once they replace the old ones.
    """
    from benchmarkkit._files import _read_file
    from benchmarkkit._validate import DEFAULT_CHECKS, _validate_files

    now: list[DataFile] = []
    problems = list(read_problems)
    with tempfile.TemporaryDirectory(prefix=".benchmarkkit.") as folder:
        for number, file in enumerate(files):
            if file.path not in texts:
                now.append(file)
                continue
            staged = Path(folder) / f"{number}{file.path.suffix}"
            staged.write_bytes(texts[file.path])
            new, found = _read_file(staged, file.display, file.role)
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


def _is_read_only(path: Path) -> bool:
    """Whether the user has made the file at ``path`` read-only (no write permission bit).

    Replacing a file needs only the right to write in its folder, so the bits are
    read, not the right to write into the file (which the superuser always has).
    """
    try:
        mode = Path(os.path.realpath(path)).stat().st_mode
    except OSError:  # writing it will say what is wrong
        return False
    no_write_bits = not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    return no_write_bits or not os.access(path, os.W_OK)


def apply_upgrade(upgrade: Upgrade) -> None:
    """Write the upgraded files (validated when planned), the manifest last.

    Raises :class:`UpgradeImpossibleError`, before anything is written, if a file
    is read-only; :class:`OSError` if the system refuses the first write (the
    dataset is then unchanged), :class:`UpgradeImpossibleError` if it refuses a
    later one (the files before it name the new schema; the manifest, written
    last, is unchanged, so the dataset is still of its old version).
    """
    from benchmarkkit._write import write_atomically

    for path in upgrade.texts:
        if _is_read_only(path):
            name = upgrade.names.get(path, str(path))
            raise UpgradeImpossibleError(
                f"{name} is read-only; the dataset is unchanged (make the file writable to "
                "upgrade it)"
            )
    written: list[str] = []
    for path, data in upgrade.texts.items():

        def check(staged: Path, expected: bytes = data) -> None:
            if staged.read_bytes() != expected:
                raise OSError(f"{staged} does not hold what was written")

        try:
            write_atomically(path, data, check=check)
        except OSError as error:
            if not written:
                raise
            raise UpgradeImpossibleError(
                f"cannot write {upgrade.names.get(path, str(path))}: "
                f"{error.strerror or error}; {', '.join(written)} already upgraded, but not "
                f"the manifest, so the dataset is still in format {upgrade.from_version}: "
                "run benchmarkkit upgrade again once the file can be written"
            ) from error
        written.append(upgrade.names.get(path, str(path)))
