"""``benchmarkkit init``: a new dataset folder, copied from a small, valid, commented example.

A new folder appears whole or not at all: it is built under a hidden name
beside its place and renamed into place, which fails rather than overwrite
a folder another command filled meanwhile. An empty folder that exists
(``.``, or a link to one) is filled in place, so that it stays the folder
it was (its permissions, a shell working in it): each file is created
exclusively, the manifest last, so that the folder is a dataset only once
it is whole; on failure, what this run created is removed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_staging_folder, write_text
from benchmarkkit._write import fsync_folder, make_folders, write_new
from benchmarkkit._yaml import reads_as_text

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["TEMPLATE", "dataset_id", "run"]

#: The example the new dataset is copied from, inside the installed package.
TEMPLATE = resources.files("benchmarkkit") / "templates" / "dataset"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}\Z")
_TEMPLATE_ID = "id: my-dataset\n"


def dataset_id(folder: Path) -> str:
    """Make an id for the dataset from the folder's name, or fall back to ``my-dataset``."""
    name = re.sub(r"[^a-z0-9._-]+", "-", folder.name.lower()).strip("-._")
    return name if _ID.match(name) else "my-dataset"


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.startswith((".", "__")):
            continue
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_files(entry, relative + "/"))
        else:
            found.append((relative, entry))
    return found


def _create(target: Path, texts: list[tuple[str, str]], given: str) -> None:
    """Create the new folder ``target`` holding ``texts``, whole or not at all.

    The files are written into a hidden folder beside it, which is then
    renamed to ``target`` in one step. The rename fails if ``target`` has
    been filled meanwhile (another ``init`` of the same name), so nothing is
    ever overwritten; on any failure, what this run created is removed.
    """
    created: list[Path] = []
    try:
        created = make_folders(target.parent)
        staging = write_staging_folder(target, "init", texts)
        try:
            staging.rename(target)
        except OSError as error:
            shutil.rmtree(staging, ignore_errors=True)
            if error.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                raise CommandError(
                    f"{given!r} was created by someone else while this command ran; "
                    "nothing was overwritten"
                ) from None
            raise
        fsync_folder(target.parent)
    except BaseException as error:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if not isinstance(error, OSError):
            raise
        raise CommandError(
            f"cannot create {given!r}: {error.strerror or error}; nothing was left behind"
        ) from None


def _fill(folder: Path, texts: list[tuple[str, str]], given: str, *, existed: bool) -> None:
    """Fill the existing, empty ``folder`` with ``texts`` in place, exclusively, manifest last.

    ``existed`` says whether the folder was there when the command started
    (or was made meanwhile by someone else), for the message of a clash.
    """
    ordered = sorted(texts, key=lambda item: item[0] == "dataset.yaml")
    created: list[Path] = []
    try:
        for relative, text in ordered:
            path = folder / relative
            parent = folder
            for part in Path(relative).parent.parts:
                parent /= part
                if parent not in created:
                    parent.mkdir(mode=0o777)  # exclusive too: a clash is someone else's folder
                    created.append(parent)
            write_new(path, text.encode("utf-8"))  # exclusive: never over another file
            created.append(path)
        fsync_folder(folder)
    except BaseException as error:
        for path in reversed(created):  # files before the folders that hold them
            with contextlib.suppress(OSError):
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink()
        if isinstance(error, FileExistsError):
            raise CommandError(
                f"{given!r} was {'filled' if existed else 'created'} by someone else while "
                "this command ran; nothing was overwritten"
            ) from None
        if not isinstance(error, OSError):
            raise
        raise CommandError(
            f"cannot create {given!r}: {error.strerror or error}; nothing was left behind"
        ) from None


def run(args: argparse.Namespace) -> int:
    """Create the folder and copy the example into it; never overwrite anything."""
    target = Path(args.directory)
    try:
        existed = target.exists()
        occupied = existed and (not target.is_dir() or any(target.iterdir()))
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CommandError(f"cannot create {args.directory!r}: {reason}") from None
    if occupied:
        raise CommandError(
            f"{args.directory!r} already exists and is not an empty folder; "
            "choose a new folder name so that nothing is overwritten"
        )
    files = _files(TEMPLATE)
    identifier = dataset_id(target.resolve())
    # A folder named "2024" or "null" gives an id YAML would read as a number or nothing.
    id_line = f"id: {identifier}\n" if reads_as_text(identifier) else f'id: "{identifier}"\n'
    texts = []
    for relative, source in files:
        text = source.read_text(encoding="utf-8")
        if relative == "dataset.yaml":
            text = text.replace(_TEMPLATE_ID, id_line, 1)
        texts.append((relative, text))
    # Where the files go: through links (``init lnk``), and ``.`` as the folder it names.
    real = Path(os.path.realpath(target))
    if real.is_dir():
        _fill(real, texts, args.directory, existed=existed)
    else:
        _create(real, texts, args.directory)
    listing = "".join(f"  {target / relative}\n" for relative, _ in files)
    write_text(
        sys.stdout,
        f"Created a new dataset in {target}:\n{listing}"
        f"It is valid as it stands. Replace the example records with your own, then run:\n"
        f"  benchmarkkit validate {target}\n",
    )
    return 0
