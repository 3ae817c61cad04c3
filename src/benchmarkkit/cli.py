"""The ``benchmarkkit`` command: a thin dispatch to the subcommands, and what it owns.

The argument parser is in ``benchmarkkit._cli._parser``. Start-up is kept
light on purpose: this module imports only the standard library, the tiny
``benchmarkkit._cli`` package, its parser (with ``benchmarkkit._version``) and
what the command does to its process (``benchmarkkit._cli._process``), so
``benchmarkkit --version`` and ``--help`` answer without loading the
library. Each subcommand lives in
``benchmarkkit._cli`` and is imported only when it runs; the heavy modules
(the validator, the scoring engine, rich) are imported there.

Exit statuses: 0 success (the dataset is valid), 1 the dataset has errors
(or warnings, with ``--strict``), 2 the command could not run (bad
arguments, a path that does not exist or holds no dataset, an unreadable
file, an unknown rule, an invalid date, or an unexpected failure).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._parser import PROG, build_parser
from benchmarkkit._cli._process import collector_paused, no_collection_at_exit

# Not ``typing.TYPE_CHECKING``: importing typing would cost --version a few milliseconds.
# Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["build_parser", "main"]

#: The variable that, set to 1, shows the traceback of an unexpected failure.
DEBUG_VARIABLE = "BENCHMARKKIT_DEBUG"

Handler = Callable[[argparse.Namespace], int]


def _load(reference: str) -> Handler:
    """The subcommand's ``run``, from its module (imported only now)."""
    module_name, _, function = reference.partition(":")
    handler: Handler = getattr(importlib.import_module(module_name), function)
    return handler


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    Never raises and never shows a traceback: an unexpected failure prints a
    short message naming the exception and returns 2 (set the environment
    variable ``BENCHMARKKIT_DEBUG=1`` to see the traceback).

    Without ``argv``, as the ``benchmarkkit`` command and ``python -m
    benchmarkkit`` call it, it is its process's command, and spares the
    process the collector's walks at exit (see no_collection_at_exit).
    """
    if argv is None:
        no_collection_at_exit()
    # From the start: the subcommand's imports make tens of thousands of objects too.
    with collector_paused():
        return _guarded(argv)


def _guarded(argv: Sequence[str] | None) -> int:
    """:func:`_main`, with the failures of the standard output told from the others."""
    _ignore_file_size_signal()
    stdout = sys.stdout
    guarded = _Stdout(stdout)
    sys.stdout = guarded
    try:
        status = _main(argv)
        sys.stdout.flush()  # what is still buffered fails here, not at exit
    except _StdoutError as error:
        _silence_stdout()
        sys.stderr.write(f"{PROG}: error: cannot write to the standard output: {error}\n")
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 2
    except SystemExit:
        if not guarded.reader_gone:
            raise
        # rich ends the process this way when the reader goes away: the same as above.
        _silence_stdout()
        return 2
    else:
        return status
    finally:
        sys.stdout = stdout


def _main(argv: Sequence[str] | None) -> int:  # noqa: PLR0911 - one return per outcome
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and argument errors
        return _exit_code(stop.code)
    try:
        handler = _load(args.handler)
        return handler(args)
    except _StdoutError as error:
        _silence_stdout()
        sys.stderr.write(
            f"{PROG} {args.command}: error: cannot write to the standard output: {error}\n"
        )
        return 2
    except CommandError as error:
        sys.stderr.write(f"{PROG} {args.command}: error: {_visible(error)}\n")
        return error.status
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``); say nothing more to it.
        _silence_stdout()
        return 2
    except Exception as error:  # no input may end in a traceback
        if os.environ.get(DEBUG_VARIABLE) == "1":
            import traceback

            traceback.print_exc()
        sys.stderr.write(
            f"{PROG} {args.command}: unexpected failure "
            f"({type(error).__name__}: {_visible(error)}).\n"
            f"This is a bug in benchmarkkit or in an installed plugin; please report it with the "
            f"command you ran. Set {DEBUG_VARIABLE}=1 to see the details.\n"
        )
        return 2


def _visible(error: BaseException) -> str:
    """An error's message with its control characters shown as escapes (it may quote data)."""
    from benchmarkkit.reports._controls import visible_controls

    return visible_controls(str(error))


def _silence_stdout() -> None:
    """Point the standard output at the null device, so that the flush at exit says nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _ignore_file_size_signal() -> None:
    """Make a file-size limit (``ulimit -f``) an error the command reports, not a crash.

    By default the system kills a process that writes past the limit; ignored,
    the write fails with "File too large", and the file being written is
    cleaned up like after any other failed write. The command owns its
    process, so it may change this.
    """
    import signal

    if hasattr(signal, "SIGXFSZ"):
        try:  # noqa: SIM105 - contextlib would add an import to every start
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        except (OSError, ValueError):  # not the main thread: leave it as it is
            pass


class _StdoutError(Exception):
    """The standard output cannot be written (a full disk, a closed stream); not a pipe gone."""


class _Stdout:
    """The standard output, with its failures told apart from every other ``OSError``.

    A reader that goes away (``BrokenPipeError``) stays what it is, and so do
    encoding errors, which the writers handle themselves.
    """

    def __init__(self, stream: object) -> None:
        self._stream = stream
        #: Whether a write failed because the reader went away (``| head``).
        self.reader_gone = False

    def _reason(self, error: Exception | None) -> str:
        if error is None or isinstance(error, ValueError):
            return "it is closed"
        return error.strerror if isinstance(error, OSError) and error.strerror else str(error)

    def write(self, text: str) -> int:
        if self._stream is None:
            raise _StdoutError(self._reason(None))
        try:
            buffer = self._buffer()
            if buffer is None:
                written: int = self._stream.write(text)  # type: ignore[attr-defined]
            else:
                self._write_bytes(buffer, text)
                written = len(text)
        except BrokenPipeError:
            self.reader_gone = True
            raise
        except UnicodeError:
            raise
        except (OSError, ValueError) as error:
            raise _StdoutError(self._reason(error)) from error
        return written

    def _buffer(self) -> Any:
        """The binary stream under the text one, where text can go to it as it is."""
        buffer = getattr(self._stream, "buffer", None)
        if buffer is None or os.linesep != "\n":  # Windows: the text layer turns \n into \r\n
            return None
        return buffer

    def _write_bytes(self, buffer: Any, text: str) -> None:
        """Write ``text`` to the binary stream, all of it or an error.

        The text layer ignores what its binary stream says it wrote: when a
        size limit cuts a large write short, the rest is dropped without an
        error. Here a short write is written again, and the system's error
        for it ("File too large") is raised.
        """
        stream: Any = self._stream
        data = text.encode(stream.encoding, stream.errors or "strict")
        stream.flush()  # what the text layer holds goes first
        view = memoryview(data)
        while view:
            count = buffer.write(view)
            if not count:
                import errno

                raise OSError(errno.EIO, "nothing more could be written")
            view = view[count:]

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()  # type: ignore[attr-defined]
        except BrokenPipeError:
            self.reader_gone = True
            raise
        except (OSError, ValueError) as error:
            raise _StdoutError(self._reason(error)) from error

    def isatty(self) -> bool:
        try:
            return self._stream is not None and bool(self._stream.isatty())  # type: ignore[attr-defined]
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> object:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)
