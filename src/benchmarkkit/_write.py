"""Writing files so that a failure never leaves a truncated file where a good one stood.

Every file benchmarkkit writes goes through here. A file is written to a
temporary file in the same folder, flushed, synced to the disk, and renamed
over its destination: a full disk, a size limit, an error or a crash leaves
either the old file or the new one, never part of one. A temporary file is
named ``.NAME.RANDOM.tmpSUFFIX``: hidden, so that a dataset folder never reads
one, and with the destination's suffix, so that it can be checked as what it
will become before it replaces anything.

Only a regular file (or a name nothing has yet) is replaced. Anything else
that already exists, once links are followed, is written into directly, as
any program writes to it: a named pipe, a device such as ``/dev/null``, and
the descriptors ``/dev/stdout``, ``/dev/fd/N`` and ``>(...)`` name, whatever
they are open on. Replacing those would put a regular file where the pipe or
device was, or write nowhere the reader looks.

Files get the permissions an ordinary write gives them: a new file those the
user's umask allows (``open`` applies it), a replaced file those it had. The
umask itself is never read, since reading it means changing it, for the
whole process.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = [
    "fsync_folder",
    "make_folders",
    "make_sibling_folder",
    "replaces",
    "temporary_name",
    "write_atomically",
    "write_new",
]

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


#: The folders whose entries name open descriptors: /dev/fd and /proc/PID/fd (Linux).
_DESCRIPTOR_FOLDER = re.compile(r"/dev/fd|/proc/(?:self|thread-self|[0-9]+)(?:/task/[0-9]+)?/fd")


def _descriptor(path: str | os.PathLike[str]) -> tuple[str, int] | None:
    """The descriptor folder and number ``path`` names through its links, if it names one.

    ``/dev/stdout`` is a link to ``/proc/self/fd/1``, whose own link text is not
    a path (``pipe:[1234]``), so the chain is followed one link at a time.
    """
    current = Path(os.path.normpath(Path(path).absolute()))
    for _ in range(40):  # the system's own limit on links in a row
        real_folder = os.path.realpath(current.parent)
        if _DESCRIPTOR_FOLDER.fullmatch(real_folder) and current.name.isdigit():
            return real_folder, int(current.name)
        try:
            link = current.readlink()
        except OSError:
            return None
        current = Path(os.path.normpath(current.parent / link))
    return None


def _own_descriptor(path: str | os.PathLike[str]) -> int | None:
    """The number of this process's open descriptor that ``path`` names, if it names one."""
    found = _descriptor(path)
    if found is None:
        return None
    folder, number = found
    own = (os.path.realpath("/proc/self/fd"), os.path.realpath("/dev/fd"))
    if folder not in own and folder != f"/proc/{os.getpid()}/fd":
        return None
    try:
        os.fstat(number)
    except OSError:
        return None
    return number


def replaces(path: str | os.PathLike[str]) -> bool:
    """Whether :func:`write_atomically` replaces ``path`` (a regular file, or nothing yet).

    False for what is written into directly: a named pipe, a device, a socket,
    a folder (which the write then refuses), an open descriptor's name.
    """
    if _descriptor(path) is not None:
        return False
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except OSError:
        return True  # nothing there yet (or a dangling link): a new file is made


def _write_through(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` into what ``path`` names, as it is: a pipe, a device, a descriptor."""
    number = _own_descriptor(path)
    if number is not None:  # its offset and its append mode are shared, as for stdout
        _write_all(number, data)
        return
    flags = os.O_WRONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        regular = stat.S_ISREG(Path(path).stat().st_mode)
    except OSError:
        regular = False
    fd = os.open(path, flags | (os.O_TRUNC if regular else 0))  # another process's descriptor
    try:
        _write_all(fd, data)
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

    What is not a regular file (see :func:`replaces`) is written into
    directly instead, after ``check`` has passed on a temporary copy in the
    system's temporary folder; a failure can then leave part of ``content``
    written.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not replaces(path):
        if check is not None:
            suffix = Path(path).suffix[:20]
            with tempfile.TemporaryDirectory(prefix=".benchmarkkit.") as folder:
                temporary = Path(folder) / f"checked{suffix}"
                write_new(temporary, data)
                check(temporary)
        _write_through(path, data)
        return
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


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and the folders above it that are missing; return those created.

    Those made meanwhile by another process are not in the list: not ours to remove.
    """
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    created = []
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o777)
        except FileExistsError:
            continue
        created.append(path)
    return created


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
