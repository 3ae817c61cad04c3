"""Writing files so that a failure never leaves a truncated file where a good one stood.

Every file benchmarkkit writes goes through here. A file is written to a
temporary file in the same folder, flushed, synced to the disk, and renamed
over its destination: a full disk, a size limit, an error or a crash leaves
either the old file or the new one, never part of one. A temporary file is
named ``.NAME.RANDOM.tmpSUFFIX``: hidden, so that a dataset folder never reads
one, and with the destination's suffix, so that it can be checked as what it
will become before it replaces anything.

Files get the permissions an ordinary write gives them: a new file those the
user's umask allows (``open`` applies it), a replaced file those it had. The
umask itself is never read, since reading it means changing it, for the
whole process.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = ["fsync_folder", "make_sibling_folder", "temporary_name", "write_atomically", "write_new"]

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0)


def temporary_name(path: Path, kind: str = "tmp") -> Path:
    """A hidden name beside ``path`` that no one else uses: ``.NAME.RANDOM.KIND.SUFFIX``."""
    return path.with_name(f".{path.stem[:200]}.{secrets.token_hex(4)}.{kind}{path.suffix[:20]}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_new(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Create ``path`` (it must not exist) holding ``data``, synced to the disk.

    On failure the file is removed again and the error raised.
    """
    fd = os.open(path, _FLAGS, 0o666)
    try:
        try:
            if mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def fsync_folder(folder: Path) -> None:
    """Sync a folder's entries to the disk, where the system allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the rename is still atomic
    finally:
        os.close(fd)


def write_atomically(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    check: Callable[[Path], None] | None = None,
) -> None:
    """Replace the file at ``path`` with ``content`` (text is written as UTF-8), atomically.

    ``check``, if given, is called with the written temporary file before it
    replaces anything; whatever it raises stops the write. If ``path`` is a
    link, the file it points to is replaced. On any failure the old file is
    unchanged, the temporary file is removed, and the error is raised:
    :class:`OSError` for the system's errors, :class:`UnicodeEncodeError`
    (before anything is written) for text that UTF-8 cannot hold.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    destination = Path(os.path.realpath(path))
    try:
        old_mode: int | None = stat.S_IMODE(destination.stat().st_mode)
    except FileNotFoundError:
        old_mode = None
    temporary = temporary_name(destination)
    write_new(temporary, data, mode=old_mode)
    try:
        if check is not None:
            check(temporary)
        temporary.replace(destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(destination.parent)


def make_sibling_folder(path: Path, kind: str) -> Path:
    """Create a new, empty, hidden folder beside ``path``, with the umask's permissions."""
    while True:
        # Cut long names, so that the hidden name stays within the system's limit.
        folder = path.with_name(f".{path.name[:200]}.{secrets.token_hex(4)}.{kind}")
        try:
            folder.mkdir(mode=0o777)
        except FileExistsError:  # pragma: no cover - 32 random bits met an existing name
            continue
        return folder
