"""Writing datasets: deterministic text, and files replaced atomically.

The same dataset always gives the same bytes (field order from the model,
two-space indentation, a final newline), so saving a loaded file changes
nothing and diffs in git show only real changes. A file is written next to
its destination and moved into place, so a failure never leaves a truncated
dataset behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml

from benchmarkkit._converter import unstructure
from benchmarkkit._errors import SaveError
from benchmarkkit._files import DATA_SUFFIXES, MANIFEST_NAMES, reads_as_text
from benchmarkkit._model import COLLECTIONS, Dataset

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


def dump_dataset(dataset: Dataset, fmt: Format = "yaml") -> str:
    """The text of ``dataset`` as one JSON or YAML file."""
    return _dump(unstructure(dataset), fmt)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the move, on every path
        "w",
        encoding="utf-8",
        newline="\n",
        dir=path.parent,
        prefix=f".{path.name}.",
        suffix=".tmp",
        delete=False,
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, handle.name)
        Path(handle.name).replace(path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _folder_texts(dataset: Dataset, fmt: Format) -> dict[str, str]:
    data = unstructure(dataset)
    suffix = "json" if fmt == "json" else "yaml"
    texts: dict[str, str] = {}
    for collection in COLLECTIONS:
        records = data.pop(collection, None)
        if records:
            texts[f"{collection}.{suffix}"] = _dump({collection: records}, fmt)
    if dataset.include:
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


def save_dataset(
    dataset: Dataset,
    path: str | os.PathLike[str],
    *,
    layout: Layout | None = None,
    fmt: Format | None = None,
) -> list[Path]:
    """Save ``dataset`` and return the files written.

    With ``layout="file"`` (the default when ``path`` ends in ``.json``,
    ``.yaml`` or ``.yml``) the dataset goes to one file. With
    ``layout="folder"`` it goes to a folder: ``dataset.yaml`` for the
    dataset's own fields and one file per kind of record (``actors.yaml``,
    ``evidence.yaml``...), so that people editing different kinds of record
    do not touch the same file. ``fmt`` is ``"yaml"`` or ``"json"``; by
    default the file's suffix decides, and folders get YAML.

    Each file is replaced atomically. A folder that already holds other data
    files is refused (:class:`SaveError`), since they would be read as part
    of the dataset.
    """
    target = Path(path)
    if layout is None:
        layout = "file" if target.suffix.lower() in DATA_SUFFIXES else "folder"
    if layout == "file":
        if fmt is None:
            fmt = "json" if target.suffix.lower() == ".json" else "yaml"
        texts = {target.name: dump_dataset(dataset, fmt)}
        folder = target.parent
    else:
        fmt = fmt or "yaml"
        texts = _folder_texts(dataset, fmt)
        folder = target
        other_manifests = [n for n in MANIFEST_NAMES if n not in texts and (folder / n).exists()]
        stale = _stale_files(folder, set(texts)) + other_manifests
        if stale:
            raise SaveError(
                f"{os.fspath(target)!r} already holds data files that would be read as part of "
                f"the dataset: {', '.join(sorted(set(stale)))}; save to an empty folder or "
                "remove them first"
            )
    written = []
    for name, text in texts.items():
        destination = folder / name
        try:
            _write_atomically(destination, text)
        except OSError as error:
            raise SaveError(f"cannot write {os.fspath(destination)!r}: {error}") from error
        written.append(destination)
    return written
