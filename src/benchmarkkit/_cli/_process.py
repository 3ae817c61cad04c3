"""What the command line may do to its process, and the library never does."""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused", "no_collection_at_exit"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a command runs: the command owns its process.

    Validating builds millions of dicts, lists, strings and frozen records,
    none of them in a cycle; every collection while they are built walks all
    of them again, for nothing (about half the time of a large dataset), and
    scoring would walk them again each time it runs. Importing the library's
    modules makes tens of thousands of objects too: paused from the command's
    start, not from its subcommand's, the collector no longer runs some forty
    times (about 5 ms) while a small dataset's command starts. Whatever a
    command frees is freed by reference counting. The library never does this
    itself: an application that imports benchmarkkit keeps its collector as
    it set it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _age_what_was_made()
            gc.enable()


def _age_what_was_made() -> None:
    """Count every object the paused command made, and kept, as old: collected less often.

    Resumed, the collector's next (youngest) collection would walk every object
    made while it was paused and still alive: the library's modules, and
    whatever the command keeps (about 6 ms after a small dataset's command).
    Moved to the oldest generation, they wait for a full collection, as
    objects that survived two collections do. Only when the application froze
    nothing (:func:`gc.freeze`): moving them unfreezes what is frozen.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()  # back into the oldest generation


def no_collection_at_exit() -> None:
    """Spare the process the collector's walks of every object at its exit.

    As the interpreter exits, it runs full collections over every object
    still alive (about 8 ms after a small dataset's command), although the
    memory is the system's again a moment later. Frozen at exit, those
    objects are left out of them: what reference counting frees is freed as
    the modules are cleared, and what only a collection would free (objects
    in reference cycles) goes back to the system with the rest of the memory
    (Python never promises to finalize the objects alive at exit; the command
    closes its files itself). For the process the command line owns; run at
    exit, so that a process that goes on after the command is not changed.
    """
    atexit.unregister(gc.freeze)  # registered once, however often the command runs
    atexit.register(gc.freeze)
