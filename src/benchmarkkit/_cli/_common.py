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
import shutil
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from benchmarkkit._cli import CommandError

if TYPE_CHECKING:
    from rich.console import Console

    from benchmarkkit.reports._validation import Line

__all__ = [
    "Status",
    "colour_enabled",
    "is_terminal",
    "make_console",
    "progress",
    "progress_enabled",
    "unused_folder",
    "write_lines",
    "write_new_folder",
    "write_output",
    "write_staging_folder",
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
    """Make a rich console that treats every string as text: no markup, highlighting or emoji.

    Control characters in what it prints are shown as escapes (see :func:`write_text`);
    the colour codes rich adds itself are kept.
    """
    from benchmarkkit.reports._controls import escaping_console_class

    return escaping_console_class()(
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
    r"""Write ``text``; control characters and characters the stream cannot encode as escapes.

    Text from a dataset must not drive the terminal: C0 and C1 controls, DEL and the
    bidirectional overrides are written as visible escapes (``\x1b``, ``\u202e``);
    line feeds and tabs are kept. JSON keeps its meaning (see ``reports._controls``).
    """
    _write_raw(stream, _visible(text))


def _visible(text: str) -> str:
    """``text`` with its control characters shown as escapes (line feeds and tabs kept)."""
    from benchmarkkit.reports._controls import visible_controls

    return visible_controls(text)


def _write_raw(stream: IO[str], text: str) -> None:
    """Write ``text`` as it is, but for characters the stream cannot encode."""
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
    from benchmarkkit.reports._controls import visible_controls
    from benchmarkkit.reports._validation import plain_text

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
        for raw, style in line:
            text = visible_controls(raw)
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
    _write_raw(stream, "".join(parts))  # the data is escaped above; the codes are ours


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


def write_output(text: str, output: str | None, stdout: IO[str], *, data: bool = False) -> None:
    """Write ``text`` to the file ``output`` (UTF-8), or to ``stdout`` when it is None or ``-``.

    A file is written beside its place and renamed over it, so a full disk
    or a size limit leaves the old file as it was, never a truncated one.
    What is not a regular file (a named pipe, a device, ``/dev/stdout``) is
    written into directly, as the standard output is.

    Text for people (tables, Markdown, HTML) shows control characters from
    the dataset as escapes wherever it goes. ``data`` output (CSV, which
    spreadsheets and pandas read) keeps every value exactly, except on a
    terminal, where nothing from a dataset may drive the screen.
    """
    if output is None or output == "-":
        if data and not is_terminal(stdout):
            _write_raw(stdout, text)
        else:
            write_text(stdout, text)
        return
    from benchmarkkit._write import replaces, write_atomically

    if replaces(output):
        existed = os.path.lexists(output)
        outcome = "the file is unchanged" if existed else "nothing was written"
    elif Path(output).is_dir():
        outcome = "nothing was written; give a file name"
    else:
        outcome = "it is not a regular file, so part of the output may have reached it"
        stdout.flush()  # what was printed before comes first, if both go to one place
    try:
        # A file is printed too, so text for people is escaped there as on a terminal.
        write_atomically(output, text if data else _visible(text))
    except BrokenPipeError:
        raise  # the reader went away (``-o /dev/stdout | head``): said nothing more, as stdout
    except OSError as error:
        raise CommandError(
            f"cannot write {output!r}: {error.strerror or error}; {outcome}"
        ) from None


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


def _same_file(one: Path, other: Path, output_stat: os.stat_result | None) -> bool:
    """Whether two paths name one file: the same place once links are followed, or one inode."""
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    if output_stat is None:
        return False
    try:
        other_stat = other.stat()
    except OSError:
        return False
    return (output_stat.st_dev, output_stat.st_ino) == (other_stat.st_dev, other_stat.st_ino)


def _archives(dataset: str) -> tuple[Path, list[Path], list[tuple[str, Path]]]:
    """The dataset's root folder, the data files it reads, and its archived texts by source id.

    Only the files are parsed (no validation): enough to know what the dataset reads.
    """
    from benchmarkkit._archive_folders import archive_path, usable_folders
    from benchmarkkit._files import read_dataset_files

    root, files, _problems = read_dataset_files(dataset)
    manifest = next((file.data for file in files if file.role == "dataset"), None)
    names = manifest.get("archive_folders") if isinstance(manifest, dict) else None
    folders = usable_folders(root, names) if names else []
    archives = []
    for file in files:
        sources = file.data.get("sources") if isinstance(file.data, dict) else None
        for source in sources if isinstance(sources, list) else []:
            archive = source.get("archive") if isinstance(source, dict) else None
            if isinstance(archive, str):
                path = archive_path(root, archive, folders=folders)
                if path is not None:
                    archives.append((str(source.get("id")), path))
    return root, [file.path for file in files], archives


def _inside(folder: Path, target: Path) -> bool:
    """Whether ``target`` is ``folder`` or lies in it, once links are followed."""
    real = os.path.realpath(folder)
    return os.path.commonpath([real, os.path.realpath(target)]) == real


def _inode_in_folder(folder: Path, output_stat: os.stat_result) -> Path | None:
    """A file in ``folder`` (at any depth) that is the same file as the output, through a link."""
    wanted = (output_stat.st_dev, output_stat.st_ino)
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            try:
                found = path.stat()
            except OSError:
                continue
            if (found.st_dev, found.st_ino) == wanted:
                return path
    return None


def _what_it_destroys(output: str, dataset: str) -> str | None:  # noqa: PLR0911, PLR0912 - per kind
    """What of the dataset writing ``output`` would destroy, in words; None if nothing."""
    target = Path(output)
    try:
        output_stat: os.stat_result | None = target.stat()
    except OSError:
        output_stat = None
    given = Path(dataset)
    if output_stat is None and not _inside(given if given.is_dir() else given.parent, target):
        # Nothing there to destroy, and outside the folder every archive must lie in: no
        # need to parse the dataset (validation parses it next) to know its archives.
        return None
    root, data_files, archives = _archives(dataset)
    if given.is_file() and _same_file(target, given, output_stat):
        return f"the dataset file {dataset!r} itself"
    for source_id, archive in archives:
        if _same_file(target, archive, output_stat):
            shown = Path(os.path.relpath(archive, root)).as_posix()
            return f"the archived text of source {source_id!r} ({shown})"
    for path in data_files:
        if _same_file(target, path, output_stat):
            return f"the dataset's data file {str(path)!r}"
    if not given.is_dir():
        return None
    folder = os.path.realpath(given)
    if _inside(given, target) and output_stat is not None:
        if not stat.S_ISDIR(output_stat.st_mode):
            return f"a file inside the dataset folder {dataset!r}"
        if os.path.realpath(target) == folder:
            return f"the dataset folder {dataset!r} itself"
        return f"a folder inside the dataset folder {dataset!r}"
    if output_stat is not None and output_stat.st_nlink > 1:  # a hard link, maybe into it
        linked = _inode_in_folder(given, output_stat)
        if linked is not None:
            return f"the same file as {str(linked)!r} in the dataset folder (a link to it)"
    return None


def refuse_output_inside_dataset(output: str | None, dataset: str, *, force: bool = False) -> None:
    """Refuse to write over anything the dataset reads, or where it would read the output.

    Protected: the dataset file, its data files, every archived text, and
    every file under the dataset folder, however the path is spelled (``./x``,
    a link, a hard link). A new data file inside the folder is refused too:
    every ``.json``, ``.yaml`` and ``.yml`` file there is read as part of the
    dataset, unless the manifest's ``include`` leaves it out. ``force``
    (``--force``) writes anyway.
    """
    if output is None or output == "-" or force:
        return
    destroyed = _what_it_destroys(output, dataset)
    if destroyed is not None:
        raise CommandError(
            f"{output!r} is {destroyed}, so writing there would destroy it; write to another "
            "file, or add --force to overwrite it anyway"
        )
    if not output.lower().endswith(_DATA_SUFFIXES):
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
            "of the dataset; write it somewhere else, leave it out with the manifest's include, "
            "or add --force to write it anyway"
        )


def write_staging_folder(target: Path, kind: str, texts: Iterable[tuple[str, str]]) -> Path:
    """Write ``texts`` (relative path, text) into a new hidden folder beside ``target``.

    Returns the folder, synced, for the caller to rename into place. Each file
    is created exclusively. On any failure the folder is removed; an
    ``OSError`` names the file as it would be under ``target``, not the hidden one.
    """
    import shutil

    from benchmarkkit._write import fsync_folder, make_sibling_folder, write_new

    staging = make_sibling_folder(target, kind)
    try:
        for relative, text in texts:
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                write_new(path, text.encode("utf-8"))  # exclusive: never over another file
            except OSError as error:
                error.filename = str(target / relative)
                raise
        fsync_folder(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def unused_folder(output: str, writes: str) -> Path:
    """The new folder ``output`` names (a trailing slash left out); refused if anything is there.

    ``writes`` says what the command writes there, for the message: "import writes a
    new dataset folder". Checked before any work, so nothing is read in vain.
    """
    folder = output.rstrip("/\\") or output
    if os.path.lexists(folder):
        raise CommandError(
            f"{output!r} already exists; {writes}, whole: give the name of a folder that does "
            "not exist yet"
        )
    return Path(folder)


def write_new_folder(folder: Path, texts: Mapping[str, str], given: str, purpose: str) -> None:
    """Create ``folder`` holding the files (by relative path), whole or not at all.

    The files are written into a hidden folder beside it, named for ``purpose``, which
    is renamed into place; a failure removes what was made and raises CommandError.
    """
    from benchmarkkit._write import fsync_folder, make_folders

    created: list[Path] = []
    files = texts.items()
    try:
        created = make_folders(folder.parent)
        staging = write_staging_folder(folder, purpose, files)
        try:
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        fsync_folder(folder.parent)
    except OSError as error:
        for made in reversed(created):
            with contextlib.suppress(OSError):
                made.rmdir()
        finals = {str(folder / relative) for relative in texts}
        where = error.filename if error.filename in finals else given  # not the hidden folder
        raise CommandError(
            f"cannot write {where!r}: {error.strerror or error}; {given!r} was not created"
        ) from None
