"""``benchmarkkit schema``: the published JSON Schema files, printed or written to a folder.

Each is the standalone form (``_bundle``): every definition inside it, every
``$ref`` local, so other validators use it alone, with no network.

Each format version has its files: ``--format-version 1.0`` prints or writes
those published with 1.0, unchanged. ``--output DIR`` with neither a name nor
a version writes the whole published tree: the newest files in ``DIR``, and
every version's files in ``DIR/1.0/``, ``DIR/1.1/``, ... (the repository's
``schemas/``). The mapping file's schema (``mapping``) has its own version
(``mapping_version``): it is written once, beside the newest files.

Written to a folder, they appear all together or not at all: a new folder
is built under a hidden name beside its place and renamed into place; in a
folder that exists, every file is written to a temporary file first, and
only when all are written are they renamed over the old ones.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
from pathlib import Path

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_new_folder, write_text
from benchmarkkit._errors import UnknownSchemaError
from benchmarkkit._schema import OTHER_SCHEMA_NAMES, SCHEMA_NAMES, schema_text

__all__ = ["run"]


def _text(name: str, version: str | None = None) -> str:
    from benchmarkkit._bundle import UnknownVersionError, published_text

    try:
        text = schema_text(name)  # checks the name
        if name in OTHER_SCHEMA_NAMES:
            return text  # versioned on its own: the same file for every format version
        return published_text(name, version)
    except (UnknownSchemaError, UnknownVersionError) as error:
        raise CommandError(str(error)) from None


def _files(name: str | None, version: str | None) -> dict[str, str]:
    """The files to write, by path relative to the folder.

    A name or a version asks for those files alone; neither, for the whole tree.
    """
    from benchmarkkit._bundle import published_versions

    names = [name] if name else list(SCHEMA_NAMES)
    files = {f"{n}.schema.json": _text(n, version) for n in names}
    if name is None and version is None:
        files.update({f"{n}.schema.json": _text(n) for n in OTHER_SCHEMA_NAMES})
        for each in published_versions():
            files.update({f"{each}/{n}.schema.json": _text(n, each) for n in names})
    return files


def _listing() -> str:
    lines = []
    names = (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES)
    width = max(len(name) for name in names)
    for name in names:
        document = json.loads(schema_text(name))
        lines.append(f"{name:<{width}}  {document.get('title', '')}")
    return "\n".join(lines) + "\n"


def _into_folder(folder: Path, texts: dict[str, str]) -> None:
    """Replace the files in ``folder`` (by relative path): all written first, then all renamed.

    A missing folder inside it (``1.1/``) is created first.

    A file that is a link is replaced where it points; one that is not a
    regular file (a named pipe) is written into, as every output is.
    """
    from benchmarkkit._write import (
        fsync_folder,
        make_folders,
        replaces,
        temporary_name,
        write_atomically,
        write_new,
    )

    staged: list[tuple[Path, Path, bytes]] = []
    created: list[Path] = []
    renamed = 0
    where = None
    try:
        for relative, text in texts.items():
            where = str(folder / relative)
            created += make_folders(Path(where).parent)
            path = Path(os.path.realpath(where))
            data = text.encode("utf-8")
            temporary = temporary_name(path)
            write_new(temporary, data, mode=_mode(path))
            staged.append((temporary, path, data))
        for (temporary, path, data), relative in zip(staged, texts, strict=True):
            where = str(folder / relative)
            if replaces(path):
                temporary.replace(path)
            else:
                write_atomically(path, data)  # written into, as it is not a regular file
                temporary.unlink()
            renamed += 1
    except OSError as error:
        for temporary, _path, _data in staged:
            temporary.unlink(missing_ok=True)
        if not renamed:
            for made in reversed(created):
                with contextlib.suppress(OSError):
                    made.rmdir()
        if renamed:
            outcome = "the files before it were replaced"
        else:
            outcome = "that file is unchanged" if len(texts) == 1 else "no file was changed"
        raise CommandError(
            f"cannot write {where!r}: {error.strerror or error}; {outcome}"
        ) from None
    for inner in sorted({(folder / relative).parent for relative in texts}):
        fsync_folder(inner)


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def run(args: argparse.Namespace) -> int:
    """Print one schema, list them, or write them into a folder."""
    if args.list:
        write_text(sys.stdout, _listing())
        return 0
    if args.output is None:
        text = _text(args.name or "dataset", args.format_version)
        write_text(sys.stdout, text if text.endswith("\n") else text + "\n")
        return 0
    texts = _files(args.name, args.format_version)
    folder = Path(args.output)
    if folder.is_dir():
        _into_folder(folder, texts)
    elif os.path.lexists(folder):
        raise CommandError(f"cannot write into {args.output!r}: it is not a folder")
    else:
        write_new_folder(folder, texts, args.output, "schema")
    written = "".join(f"wrote {folder / relative}\n" for relative in texts)
    write_text(sys.stdout, written)
    return 0
