"""What every subcommand shares: terminal detection, colour, progress, and writing output.

Colour only on a terminal, never with ``NO_COLOR`` set (https://no-color.org)
or ``TERM=dumb``; progress only when both output streams are terminals and
``CI`` is not set. ``rich`` is imported only when it will draw something, so
output that is piped or captured costs no start-up time.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from benchmarkkit._cli import CommandError

if TYPE_CHECKING:
    from rich.console import Console

    from benchmarkkit.reports import Line

__all__ = [
    "Status",
    "colour_enabled",
    "is_terminal",
    "make_console",
    "progress",
    "progress_enabled",
    "write_lines",
    "write_output",
    "write_text",
]


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is an interactive terminal."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def colour_enabled(stream: object, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what goes to ``stream``."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def progress_enabled(
    stdout: object, stderr: object, environ: Mapping[str, str] | None = None
) -> bool:
    """Whether to show progress: on a terminal, and never in CI or when output is piped."""
    environ = os.environ if environ is None else environ
    if environ.get("CI") or environ.get("TERM") == "dumb":
        return False
    return is_terminal(stdout) and is_terminal(stderr)


def make_console(stream: IO[str], *, colour: bool, width: int | None = None) -> Console:
    """Make a rich console that treats every string as text: no markup, highlighting or emoji."""
    from rich.console import Console

    return Console(
        file=stream,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=width is None,
        width=width,
    )


def write_text(stream: IO[str], text: str) -> None:
    """Write ``text``; characters the stream cannot encode are written as escapes."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def write_lines(stream: IO[str], lines: Iterable[Line], *, colour: bool) -> None:
    """Write styled lines: in colour (ANSI codes from rich's styles), or as plain text.

    The codes of each style are worked out once and the text is written in
    one go: printing line by line through rich takes seconds for the tens of
    thousands of lines a large broken dataset can give.
    """
    from benchmarkkit.reports import plain_text

    if not colour:
        write_text(stream, plain_text(lines))
        return
    from rich.color import ColorSystem
    from rich.style import Style

    console = make_console(stream, colour=True)
    if console.legacy_windows:  # a console without ANSI codes: let rich drive it
        from rich.text import Text

        for line in lines:
            console.print(Text.assemble(*((text, style or "") for text, style in line)))
        return
    systems = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}
    system = systems.get(str(console.color_system), ColorSystem.TRUECOLOR)
    codes: dict[str, tuple[str, str]] = {}
    parts = []
    for line in lines:
        for text, style in line:
            if style is None:
                parts.append(text)
                continue
            if style not in codes:
                before, _, after = (
                    Style.parse(style).render("\0", color_system=system).partition("\0")
                )
                codes[style] = (before, after)
            before, after = codes[style]
            parts.append(f"{before}{text}{after}")
        parts.append("\n")
    write_text(stream, "".join(parts))


class Status(Protocol):
    """What a command may do with progress: say what it is doing now."""

    def update(self, message: str) -> None:
        """Replace the message shown."""


class _Quiet:
    def update(self, message: str) -> None:
        pass


class _Spinner:
    def __init__(self, status: Any) -> None:
        self._status = status

    def update(self, message: str) -> None:
        self._status.update(message)


@contextlib.contextmanager
def progress(stdout: IO[str], stderr: IO[str], message: str) -> Iterator[Status]:
    """Show a spinner on ``stderr`` with ``message`` while the block runs, if progress is wanted.

    It disappears when the block ends, leaving only the output.
    """
    if not progress_enabled(stdout, stderr):
        yield _Quiet()
        return
    console = make_console(stderr, colour=colour_enabled(stderr))
    with console.status(message) as status:
        yield _Spinner(status)


def write_output(text: str, output: str | None, stdout: IO[str]) -> None:
    """Write ``text`` to the file ``output`` (UTF-8), or to ``stdout`` when it is None or ``-``."""
    if output is None or output == "-":
        write_text(stdout, text)
        return
    path = Path(output)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {output!r}: {error.strerror or error}") from None


_DATA_SUFFIXES = (".json", ".yaml", ".yml")


def _read_by_the_dataset(folder: Path, relative: str) -> bool:
    """Whether the folder dataset would read a data file at ``relative`` (a POSIX path)."""
    from benchmarkkit._files import MANIFEST_NAMES, read_yaml

    manifest = next((folder / name for name in MANIFEST_NAMES if (folder / name).is_file()), None)
    if manifest is None:
        return False
    try:
        data, _node, _problems = read_yaml(manifest.read_text(encoding="utf-8"), str(manifest))
    except (OSError, UnicodeDecodeError):
        return True
    include = data.get("include") if isinstance(data, dict) else None
    if not isinstance(include, list) or not include:
        return not any(part.startswith(".") for part in relative.split("/"))
    # fnmatch's * also crosses folders, so this errs towards refusing.
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.replace("**/", ""))
        for pattern in include
        if isinstance(pattern, str)
    )


def refuse_output_inside_dataset(output: str | None, dataset: str) -> None:
    """Refuse to write a data file where the dataset would read it as one of its own.

    Every ``.json``, ``.yaml`` and ``.yml`` file in a dataset folder is read as part of
    the dataset, unless the manifest's ``include`` leaves it out; a scorecard written
    there would make the next validation fail.
    """
    if output is None or output == "-" or not output.lower().endswith(_DATA_SUFFIXES):
        return
    folder = Path(dataset)
    if not folder.is_dir():
        return
    try:
        relative = Path(output).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return
    if _read_by_the_dataset(folder, relative):
        raise CommandError(
            f"{output!r} is inside the dataset folder {dataset!r}, which would read it as part "
            "of the dataset; write it somewhere else, or leave it out with the manifest's include"
        )
