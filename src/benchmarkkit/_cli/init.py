"""``benchmarkkit init``: a new dataset folder, copied from a small, valid, commented example."""

from __future__ import annotations

import argparse
import re
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_text
from benchmarkkit._yaml import reads_as_text

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = ["TEMPLATE", "dataset_id", "run"]

#: The example the new dataset is copied from, inside the installed package.
TEMPLATE = resources.files("benchmarkkit") / "templates" / "dataset"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$")
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


def run(args: argparse.Namespace) -> int:
    """Create the folder and copy the example into it; never overwrite anything."""
    target = Path(args.directory)
    try:
        occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
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
    try:
        for relative, source in files:
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if relative == "dataset.yaml":
                text = text.replace(_TEMPLATE_ID, id_line, 1)
            path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot create {args.directory!r}: {error.strerror or error}") from None
    listing = "".join(f"  {target / relative}\n" for relative, _ in files)
    write_text(
        sys.stdout,
        f"Created a new dataset in {target}:\n{listing}"
        f"It is valid as it stands. Replace the example records with your own, then run:\n"
        f"  benchmarkkit validate {target}\n",
    )
    return 0
