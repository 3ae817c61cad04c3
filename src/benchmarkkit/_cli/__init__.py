"""The subcommands of the ``benchmarkkit`` command, each imported only when it runs.

``benchmarkkit.cli`` parses the arguments and calls ``run(args)`` of one
module here; that module imports what its command needs.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["CommandError", "collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a command runs: the command owns its process.

    Validating builds millions of dicts, lists, strings and frozen records,
    none of them in a cycle; every collection while they are built walks all
    of them again, for nothing (about half the time of a large dataset), and
    scoring would walk them again each time it runs. Whatever a command frees
    is freed by reference counting. The library never does this itself: an
    application that imports benchmarkkit keeps its collector as it set it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class CommandError(Exception):
    """The command cannot do what was asked; the message says why, for the person who asked.

    ``main`` prints ``benchmarkkit COMMAND: error: MESSAGE`` and exits with
    ``status`` (2: the command could not run).
    """

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status
