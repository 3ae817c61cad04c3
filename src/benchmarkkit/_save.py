"""Writing datasets: deterministic text, checked before it replaces anything, all or nothing.

The same dataset always gives the same bytes (field order from the model,
two-space indentation, a final newline), so saving a loaded file changes
nothing and diffs in git show only real changes. What is written is read
back and validated before it replaces anything, with every check loading
runs but the archived texts (looked for beside the saved dataset), so a
dataset that would not load again is never saved. A file is written next
to its destination and renamed into place; a folder is written whole
beside the old one (with the old one's other files, such as archived
texts) and swapped in, so a reader sees the old dataset or the new one,
never a mix, even after a crash. The process's state (its working folder)
is never changed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Literal

import attrs
import yaml

# At run time, not only for type checkers: the documentation's signature of save_dataset
# resolves its annotations, and one name it cannot resolve leaves them all unresolved.
from benchmarkkit._checks import Check
from benchmarkkit._converter import unstructure
from benchmarkkit._errors import SaveError
from benchmarkkit._files import DATA_SUFFIXES, MANIFEST_NAMES, reads_as_text
from benchmarkkit._in_memory import schema_problems, text_problems
from benchmarkkit._model import COLLECTIONS, Dataset
from benchmarkkit._problems import Problem, pointer, pointer_parts, walk
from benchmarkkit._wording import field_name, record_label
from benchmarkkit._write import fsync_folder, make_sibling_folder, write_atomically, write_new

__all__ = ["dump_dataset", "save_dataset"]

Format = Literal["json", "yaml"]
Layout = Literal["file", "folder"]


class _Dumper(yaml.SafeDumper):
    """Block style, text with line breaks as literal blocks, no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


_NEEDS_ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style: str | None = None
    if _NEEDS_ESCAPES.search(value):
        style = '"'  # YAML folds these in other styles; escaped, they survive the round trip
    elif "\n" in value.strip("\n"):
        style = "|"
    elif not reads_as_text(value):
        style = "'"  # PyYAML (YAML 1.1) would leave 0E0 plain; benchmarkkit reads it as a number
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
        indent=2,
    )
    return text


_FORMATS = ("json", "yaml")
_LAYOUTS = ("file", "folder")


def _check_choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        choices = " or ".join(repr(choice) for choice in allowed)
        raise ValueError(f"{name} must be {choices}, not {value!r}")


#: What the problems of a dump name as their file: a dump is text, not yet a file.
DUMPED = "<dataset>"


def dump_dataset(dataset: Dataset, fmt: Format = "yaml") -> str:
    r"""The text of ``dataset`` as one JSON or YAML file.

    ``fmt`` is ``"yaml"`` or ``"json"``; anything else raises :class:`ValueError`.
    The text is one that loads again, as far as one file can say: a value the
    format does not allow (an empty title, an id with a space, a list that must
    not be empty) or text or numbers no file can hold (a lone surrogate such as
    ``"\ud800"``, infinity) raises :class:`SaveError`, whose ``problems`` name
    the record and the field, as loading the text would. The checks across
    records (references, dates) are :func:`save_dataset`'s and
    :func:`load_dataset`'s.
    """
    _check_choice("fmt", fmt, _FORMATS)
    data = unstructure(dataset)
    _value_problems(data, DUMPED, schema=True)
    return _dump(data, fmt)


def _folder_texts(data: dict[str, Any], *, include: bool, fmt: Format) -> dict[str, str]:
    data = dict(data)
    suffix = "json" if fmt == "json" else "yaml"
    texts: dict[str, str] = {}
    for collection in COLLECTIONS:
        records = data.pop(collection, None)
        if records:
            texts[f"{collection}.{suffix}"] = _dump({collection: records}, fmt)
    if include and texts:  # with no record files, the manifest alone is the dataset
        data["include"] = sorted(texts)
    return {f"dataset.{suffix}": _dump(data, fmt), **texts}


def _stale_files(folder: Path, keep: set[str]) -> list[str]:
    if not folder.is_dir():
        return []
    stale = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            relative = (Path(dirpath) / name).relative_to(folder).as_posix()
            if (
                name.lower().endswith(DATA_SUFFIXES)
                and not name.startswith(".")
                and relative not in keep
            ):
                stale.append(relative)
    return sorted(stale)


def _first_difference(wanted: Any, got: Any) -> str:
    """The JSON pointer of the first place where two JSON values differ."""
    path: list[str | int] = []
    while True:
        if isinstance(wanted, dict) and isinstance(got, dict):
            keys = (
                key for key in wanted.keys() | got.keys() if _differ(wanted.get(key), got.get(key))
            )
        elif isinstance(wanted, list) and isinstance(got, list) and len(wanted) == len(got):
            keys = (index for index in range(len(wanted)) if _differ(wanted[index], got[index]))
        else:
            return pointer(path)
        step = next(keys, None)
        if step is None:
            return pointer(path)
        path.append(step)
        wanted, got = (
            (wanted.get(step), got.get(step))
            if isinstance(wanted, dict)
            else (wanted[step], got[step])
        )


def _differ(one: Any, other: Any) -> bool:
    return one != other or type(one) is not type(other)


def _reads_back(
    dataset: Dataset, shown: str, checks: tuple[Check, ...], *, plugins: bool, folder: bool
) -> Callable[[Path], None]:
    """A check that the dataset written at a temporary path loads as ``dataset`` again.

    Problems name ``shown`` (the path the caller gave) instead of the temporary path.
    A folder's manifest lists the files written under ``include`` (when the
    dataset has one) instead of the dataset's own patterns: that is the one
    difference allowed.
    """
    from benchmarkkit._validate import validate  # the loader, a later step than this module's

    def check(path: Path) -> None:
        written = os.fspath(path)

        def rename(problem: Problem) -> Problem:
            file = problem.file
            if file is not None and file.startswith(written):
                file = shown + file[len(written) :]
            message = problem.message.replace(written, shown)
            return attrs.evolve(problem, file=file, message=message)

        report = validate(path, checks=checks, plugins=plugins)
        if report.dataset is None or report.errors:
            raise SaveError(
                f"{shown!r} was not saved: it would not load again; fix these problems first",
                tuple(rename(problem) for problem in report.errors),
            )
        read = report.dataset
        if folder:
            read = attrs.evolve(read, include=dataset.include)
        if read != dataset:
            pointer = _first_difference(unstructure(dataset), unstructure(read))
            raise SaveError(
                f"{shown!r} was not saved: the value at {pointer or '/'} would read back "
                "different from what it is, so the file would not hold this dataset"
            )

    return check


def _rename_exchange(one: Path, other: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(one), at_fdcwd, os.fsencode(other), rename_exchange) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(number, os.strerror(number), os.fspath(other))


def _swap_in(new: Path, folder: Path) -> None:
    """Put the folder ``new`` where ``folder`` is; the old one is then removed."""
    if not folder.exists():
        new.rename(folder)
    elif _rename_exchange(new, folder):
        shutil.rmtree(new, ignore_errors=True)  # now the old folder
    else:  # two renames: a crash between them leaves no dataset, never a mixed one
        old = make_sibling_folder(folder, "old")
        old.rmdir()
        folder.rename(old)
        try:
            new.rename(folder)
        except BaseException:
            old.rename(folder)
            raise
        shutil.rmtree(old, ignore_errors=True)
    fsync_folder(folder.parent)


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)  # the file is not changed, only the folder it is in
    except OSError:
        shutil.copy2(source, destination)


def _copy_other_files(old: Path, new: Path, replaced: set[str]) -> None:
    """Copy (as hard links where possible) what the old folder holds besides the data files."""
    shutil.copystat(old, new)
    for entry in os.scandir(old):
        if entry.name in replaced and entry.is_file(follow_symlinks=False):
            continue
        destination = new / entry.name
        if entry.is_symlink():
            destination.symlink_to(Path(entry.path).readlink())
        elif entry.is_dir():
            shutil.copytree(entry.path, destination, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry.path, os.fspath(destination))


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def _save_folder(texts: dict[str, bytes], folder: Path, check: Callable[[Path], None]) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    new = make_sibling_folder(folder, "new")
    try:
        if folder.is_dir():
            _copy_other_files(folder, new, set(texts))
        for name, data in texts.items():
            write_new(new / name, data, mode=_mode(folder / name))
        check(new)
        fsync_folder(new)
        _swap_in(new, folder)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


def _save_checks() -> tuple[Check, ...]:
    """What a save checks by default: what loading checks, but for the archived texts."""
    from benchmarkkit._sources import check_sources_and_quotes
    from benchmarkkit._validate import DEFAULT_CHECKS  # a later step than this module's

    return tuple(check for check in DEFAULT_CHECKS if check is not check_sources_and_quotes)


def _in_record(problem: Problem, data: Any) -> Problem:
    """``problem``, its message opening with the record and the field its value is in.

    A file's problems have a line and column; a dataset in memory has only the
    pointer, so the message says where, as the schema's messages do.
    """
    _, path = walk(data, pointer_parts(problem.pointer))
    label, depth = record_label(data, path)
    field = field_name(path[depth:])
    where = f"{label}: in '{field}', " if field else f"{label}: "
    return attrs.evolve(problem, message=where + problem.message)


def _value_problems(data: Any, shown: str, *, schema: bool = False) -> None:
    """Refuse, before anything is written, values that no file can hold.

    With ``schema``, values the format does not allow too: saving finds those
    when it reads the written file back (with lines and columns), a dump here.
    """
    clean, problems = text_problems(data, shown)
    problems = [_in_record(problem, data) for problem in problems]
    what = "values no file can hold"
    if schema and not problems:
        problems, what = schema_problems(clean, Dataset, shown), "values the format does not allow"
    if problems:
        codes = ", ".join(sorted({problem.code for problem in problems}))
        done = "the dataset was not dumped" if shown == DUMPED else f"{shown!r} was not saved"
        raise SaveError(
            f"{done}: the dataset holds {what} ({codes}); fix these problems first",
            tuple(problems),
        )


def save_dataset(
    dataset: Dataset,
    path: str | os.PathLike[str],
    *,
    layout: Layout | None = None,
    fmt: Format | None = None,
    checks: Iterable[Check] | None = None,
    plugins: bool = True,
) -> list[Path]:
    r"""Save ``dataset`` and return the files written.

    With ``layout="file"`` (the default when ``path`` ends in ``.json``,
    ``.yaml`` or ``.yml``) the dataset goes to one file, whose name must end
    in one of those. With ``layout="folder"`` it goes to a folder:
    ``dataset.yaml`` for the dataset's own fields and one file per kind of
    record (``actors.yaml``, ``evidence.yaml``...), so that people editing
    different kinds of record do not touch the same file. ``fmt`` is
    ``"yaml"`` or ``"json"``; by default the file's suffix decides, and
    folders get YAML. Other values of ``layout`` or ``fmt`` raise
    :class:`ValueError`.

    What this function guarantees:

    - **Nothing that would not load again is written.** The text is read
      back and validated as :func:`load_dataset` reads a file, and must give
      back a dataset equal to ``dataset``. Text or numbers no file can hold
      (a lone surrogate such as ``"\ud800"``, ``10**30``, infinity), a value
      the format does not allow (an empty title, an id with a space), a
      record that refers to one the dataset does not define, a date, gate or
      indicator value :func:`load_dataset` refuses, or a value that would
      read back different raises :class:`SaveError`, whose ``problems`` say
      where; no file is changed. By default the checks are those of
      :func:`load_dataset` (:data:`~benchmarkkit.DEFAULT_CHECKS` and the installed plugins'
      checks) **except the archived texts and quotes**: they are looked for
      beside the saved dataset, and a dataset saved elsewhere than its
      ``sources/`` folder is still a dataset (copy the folder beside it to
      load it with its texts). ``checks=DEFAULT_CHECKS`` checks them there
      too; ``checks=()`` and ``plugins=False`` save a draft whose records are
      not yet consistent, as :func:`load_dataset` then loads it.
    - **All or nothing.** A file is written beside its destination, synced
      to the disk and renamed over it. A folder is written whole beside the
      old one, with the old one's other files (archived texts, hidden
      folders), and swapped in. A failure (a full disk, an interrupted
      process) leaves the old file or folder as it was, never a truncated
      file or a folder that mixes old and new records. Only an interrupted
      process can leave a hidden temporary file or folder (``.NAME.*``)
      behind, which no dataset reads. A target that exists and is not a
      regular file (a named pipe, a device) is written into directly, once
      a temporary copy has passed the checks.
    - **Permissions as an ordinary write gives.** A replaced file keeps its
      permissions; a new one gets those the umask allows.
    - **The process is left as it was.** The working folder is never
      changed. If it is the saved folder or inside it, it is then the old
      folder, which is removed once the new one is in place: a program
      working there should change to the folder's path again (the shell
      shows the same when a folder is replaced under it).

    A folder that already holds other data files is refused
    (:class:`SaveError`), since they would be read as part of the dataset.
    A failure to write raises :class:`SaveError` too, naming the file.
    """
    if layout is not None:
        _check_choice("layout", layout, _LAYOUTS)
    if fmt is not None:
        _check_choice("fmt", fmt, _FORMATS)
    target = Path(path)
    shown = os.fspath(path)
    suffix = target.suffix.lower()
    if layout is None:
        layout = "file" if suffix in DATA_SUFFIXES else "folder"
    if layout == "file" and suffix not in DATA_SUFFIXES:
        raise SaveError(
            f"{shown!r} was not saved: a dataset file's name must end in .json, .yaml or .yml, "
            "or it would not load again; add one of them, or save with layout='folder'"
        )
    data = unstructure(dataset)
    _value_problems(data, shown)
    checks = _save_checks() if checks is None else tuple(checks)
    try:
        if layout == "file":
            if fmt is None:
                fmt = "json" if suffix == ".json" else "yaml"
            target.parent.mkdir(parents=True, exist_ok=True)
            check = _reads_back(dataset, shown, checks, plugins=plugins, folder=False)
            write_atomically(target, _dump(data, fmt), check=check)
            return [target]
        fmt = fmt or "yaml"
        texts = _folder_texts(data, include=bool(dataset.include), fmt=fmt)
        other_manifests = [n for n in MANIFEST_NAMES if n not in texts and (target / n).exists()]
        stale = _stale_files(target, set(texts)) + other_manifests
        if stale:
            raise SaveError(
                f"{shown!r} already holds data files that would be read as part of "
                f"the dataset: {', '.join(sorted(set(stale)))}; save to an empty folder or "
                "remove them first"
            )
        folder = Path(os.path.realpath(target))
        if folder.exists() and not folder.is_dir():
            raise SaveError(f"{shown!r} is a file, not a folder; give a folder to save into")
        encoded = {name: text.encode("utf-8") for name, text in texts.items()}
        check = _reads_back(dataset, shown, checks, plugins=plugins, folder=True)
        _save_folder(encoded, folder, check)
        return [target / name for name in texts]
    except OSError as error:
        if isinstance(error, SaveError):
            raise
        raise SaveError(
            f"cannot write {shown!r}: {error.strerror or error}; nothing was changed"
        ) from error
