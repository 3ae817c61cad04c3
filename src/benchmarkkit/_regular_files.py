"""Reading regular files only: a folder, a named pipe, a device or a socket is named, never read.

Dataset files and archived texts are read through :func:`read_regular_bytes`:
what a path names is looked at before it is opened and again on what was
opened (a named pipe put in a file's place in between), and opening never
waits and never makes a terminal the process's own.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

__all__ = ["NotAFileError", "TooLargeError", "not_a_file", "read_regular_bytes", "special_kind"]

_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
# Neither flag changes how a regular file reads.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)


class NotAFileError(OSError):
    """A path names something other than a regular file; ``kind`` says what, in words."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind

    def __reduce__(self) -> tuple[type[NotAFileError], tuple[str]]:
        return (type(self), (self.kind,))


class TooLargeError(Exception):
    """A file is larger than the limit it was read with."""


def not_a_file(mode: int) -> str | None:
    """What a file of ``mode`` is, in words, unless it is a regular file (then ``None``)."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def special_kind(path: Path) -> str | None:
    """What ``path`` is, in words, if it is neither a regular file nor a folder (links followed).

    ``None`` also when it does not exist: that has its own problem.
    """
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISDIR(mode) else not_a_file(mode)


def read_regular_bytes(path: Path, *, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`NotAFileError` for anything but a regular file (looked at
    before opening, and again on what was opened), :class:`TooLargeError`
    for a file over ``limit``, or what ``stat`` and ``open`` raise.
    """
    kind = not_a_file(path.stat().st_mode)
    if kind is not None:
        raise NotAFileError(kind)
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(descriptor)
        kind = not_a_file(status.st_mode)
        if kind is not None:
            raise NotAFileError(kind)
        if limit is None:
            return file.read()
        if status.st_size > limit:
            raise TooLargeError
        data = file.read(limit + 1)  # one byte more: a file that grew is too large
    if len(data) > limit:
        raise TooLargeError
    return data
