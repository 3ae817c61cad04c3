"""Where an archived text may lie: in the dataset folder, or in a folder the dataset names.

A dataset may name shared archive folders outside itself (``archive_folders:
["../shared-sources"]``, relative to the dataset folder) so that datasets citing
the same source share one copy. Everything else that leaves the dataset folder
is refused, as it always was: an absolute path or a drive letter, a ``..`` that
does not lead into a named folder (or leads out of one again), and a link whose
real path is neither inside the dataset folder nor inside a named folder.

A named folder must exist, be a folder, be named relative to the dataset folder,
and not contain the dataset folder (naming ``..`` or the filesystem root would
let every file in).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath

import attrs

from benchmarkkit._wording import short

__all__ = [
    "ArchiveFolder",
    "FolderRefusal",
    "archive_path",
    "in_named_folder",
    "named_folders",
    "usable_folders",
]


@attrs.frozen
class ArchiveFolder:
    """A named archive folder that may be used: its parts as written and its real path."""

    parts: tuple[str, ...]
    real: Path


@attrs.frozen
class FolderRefusal:
    """A named archive folder that may not be used: which one, the problem code and why."""

    index: int
    name: str
    parts: tuple[str, ...]
    code: str
    words: str


def _written(path: str) -> PurePosixPath | None:
    """``path`` as POSIX path parts, or ``None`` if it is absolute or names a drive."""
    if "\\" in path or PureWindowsPath(path).drive:
        return None
    written = PurePosixPath(path)
    return None if written.is_absolute() else written


def _inside(real: Path, folder: Path) -> bool:
    return real == folder or folder in real.parents


def _named_folder(
    root: Path, resolved_root: Path, index: int, name: str
) -> ArchiveFolder | FolderRefusal:
    shown = short(name)
    written = _written(name)
    if written is None:
        what = "has backslashes" if "\\" in name else "is an absolute path"
        words = (
            f"the archive folder {shown} {what}; name it relative to the dataset folder, with "
            "forward slashes, such as '../shared-sources'"
        )
        return FolderRefusal(index, name, (), "archive-folder-not-allowed", words)
    try:
        real = (root / written).resolve(strict=True)
    except FileNotFoundError:
        words = f"the archive folder {shown} does not exist"
        return FolderRefusal(index, name, written.parts, "archive-folder-missing", words)
    except (OSError, RuntimeError, ValueError) as error:  # RuntimeError: a loop of links
        if isinstance(error, RuntimeError):
            reason = "its path is a loop of symbolic links"
        else:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        words = f"the archive folder {shown} cannot be reached: {reason}"
        return FolderRefusal(index, name, written.parts, "archive-folder-missing", words)
    if not real.is_dir():
        words = f"the archive folder {shown} is a file, not a folder"
        return FolderRefusal(index, name, written.parts, "archive-folder-not-a-folder", words)
    if _inside(resolved_root, real):
        words = (
            f"the archive folder {shown} contains the dataset folder, so it would let every "
            "file around the dataset in; name the folder that holds the shared texts, beside "
            "the dataset folder"
        )
        return FolderRefusal(index, name, written.parts, "archive-folder-not-allowed", words)
    return ArchiveFolder(written.parts, real)


def named_folders(
    root: Path, resolved_root: Path, names: Sequence[str]
) -> tuple[list[ArchiveFolder], list[FolderRefusal]]:
    """The named archive folders that may be used, and those refused with the reason."""
    usable: list[ArchiveFolder] = []
    refused: list[FolderRefusal] = []
    for index, name in enumerate(names):
        found = _named_folder(root, resolved_root, index, name)
        if isinstance(found, ArchiveFolder):
            usable.append(found)
        else:
            refused.append(found)
    return usable, refused


def usable_folders(root: Path, names: object) -> list[ArchiveFolder]:
    """The named archive folders that may be used, from a manifest's ``archive_folders`` value."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return []
    try:
        resolved_root = root.resolve()
    except (OSError, RuntimeError, ValueError):
        return []
    return named_folders(root, resolved_root, names)[0]


def in_named_folder(written: PurePosixPath, folders: Iterable[tuple[str, ...]]) -> bool:
    """Whether the path ``written`` begins with one of the folders and never leaves it."""
    parts = written.parts
    return any(
        len(parts) > len(folder)
        and parts[: len(folder)] == folder
        and ".." not in parts[len(folder) :]
        for folder in folders
    )


def archive_path(
    root: Path,
    archive: str,
    *,
    folders: Sequence[ArchiveFolder] = (),
    resolved_root: Path | None = None,
    resolve: Callable[[Path], Path] = Path.resolve,
) -> Path | None:
    """The file an archive path names, or ``None`` if it would leave the permitted folders.

    The permitted folders are ``root`` and the usable named ``folders``.
    Absolute paths, drive letters, a ``..`` that does not lead into a named
    folder by its name (or leaves it again), and links whose real path lies
    outside every permitted folder are all refused. ``resolved_root``
    (``root.resolve()``) and ``resolve`` (a :meth:`Path.resolve` that remembers
    folders) serve callers that check many paths.
    """
    written = _written(archive)
    if written is None:
        return None
    if ".." in written.parts and not in_named_folder(written, (f.parts for f in folders)):
        return None
    candidate = root / written
    try:
        permitted = [resolved_root or root.resolve(), *(folder.real for folder in folders)]
    except (OSError, RuntimeError, ValueError):
        return None
    try:
        real = resolve(candidate)
    except RuntimeError:  # a loop of links leads nowhere: opening it fails, and says so
        return candidate
    except (OSError, ValueError):
        return None
    return candidate if any(_inside(real, folder) for folder in permitted) else None
