"""The subcommands of the ``benchmarkkit`` command, each imported only when it runs.

``benchmarkkit.cli`` parses the arguments and calls ``run(args)`` of one
module here; that module imports what its command needs.
"""

from __future__ import annotations

__all__ = ["CommandError"]


class CommandError(Exception):
    """The command cannot do what was asked; the message says why, for the person who asked.

    ``main`` prints ``benchmarkkit COMMAND: error: MESSAGE`` and exits with
    ``status`` (2: the command could not run).
    """

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status
