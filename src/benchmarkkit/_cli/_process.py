"""What the command line may do to its process, and the library never does."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


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
