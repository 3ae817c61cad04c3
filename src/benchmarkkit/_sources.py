"""Archived source texts: reading them safely, and verifying quotes against them.

A source may ship a plain-text copy inside the dataset folder. Every quote
taken from the source (in evidence, commitments, areas and gates) must occur
in that text. A source known only through another one (``cited_in``) is
checked against the citing source's copy: the quote is verified as cited.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from benchmarkkit._context import CheckContext
from benchmarkkit._model import Dataset, Source
from benchmarkkit._problems import Problem
from benchmarkkit._quotes import QuoteIndex
from benchmarkkit._wording import SINGULAR, short

__all__ = ["MAX_ARCHIVE_BYTES", "check_sources_and_quotes"]

#: Archived texts larger than this are not read.
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
_QUOTED = ("commitments", "areas", "gates", "evidence")


def archive_path(
    root: Path,
    archive: str,
    *,
    resolved_root: Path | None = None,
    resolve: Callable[[Path], Path] = Path.resolve,
) -> Path | None:
    """The file an archive path names, or ``None`` if it would leave ``root``.

    Absolute paths, drive letters, ``..`` and links that lead out of the
    folder are all refused. ``resolved_root`` (``root.resolve()``) and
    ``resolve`` (a :meth:`Path.resolve` that remembers folders) serve callers
    that check many paths.
    """
    if "\\" in archive or PureWindowsPath(archive).drive:
        return None
    relative = PurePosixPath(archive)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    candidate = root / relative
    try:
        resolve(candidate).relative_to(resolved_root or root.resolve())
    except (ValueError, OSError):
        return None
    return candidate


class _Archives:
    """Reads each archived text once, and says which source's text holds a source's words."""

    def __init__(self, dataset: Dataset, context: CheckContext) -> None:
        self.context = context
        self.sources = {source.id: source for source in dataset.sources}
        self.problems: list[Problem] = []
        self._folders: dict[Path, Path] = {}
        self._root: Path | None = None
        if context.root is not None:
            try:
                self._root = context.root.resolve()
            except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the path
                self._root = None  # archive_path will refuse every archive, as before

    def read(self, source: Source) -> str | None:
        """The archived text of ``source``, or ``None`` (with its problem noted) if unusable."""
        assert source.archive is not None  # noqa: S101 - callers only pass archived sources
        context = self.context
        label = f"source {short(source.id)}"
        if context.root is None:
            return None
        path = archive_path(
            context.root, source.archive, resolved_root=self._root, resolve=self._resolve
        )
        if path is None:
            self.problems.append(
                context.problem(
                    "archive-outside-dataset",
                    f"{label}: the archive path {short(source.archive)} leads outside the "
                    "dataset folder; it was not read",
                    source,
                    "archive",
                    value=source.archive,
                )
            )
            return None
        try:
            if not path.is_file():
                raise FileNotFoundError(path)  # noqa: TRY301 - one handler for both ways of missing
            if path.stat().st_size > MAX_ARCHIVE_BYTES:
                self.problems.append(
                    context.problem(
                        "archive-unreadable",
                        f"{label}: the archived text {short(source.archive)} is larger than "
                        f"{MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB; it was not read",
                        source,
                        "archive",
                        value=source.archive,
                    )
                )
                return None
            return path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            self.problems.append(
                context.problem(
                    "archive-missing",
                    f"{label}: the archived text {short(source.archive)} does not exist in the "
                    "dataset folder",
                    source,
                    "archive",
                    value=source.archive,
                )
            )
            return None
        except (OSError, UnicodeDecodeError) as error:
            reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
            self.problems.append(
                context.problem(
                    "archive-unreadable",
                    f"{label}: the archived text {short(source.archive)} cannot be read: {reason}",
                    source,
                    "archive",
                    value=source.archive,
                )
            )
            return None

    def _resolve(self, path: Path) -> Path:
        """``path.resolve()``, resolving each folder only once.

        On POSIX a path resolves to its resolved folder and its name, unless
        the name is a link; thousands of archives in one folder then cost one
        ``lstat`` each instead of one per part of their path.
        """
        # os.path.islink, like resolve() itself, takes a path it cannot lstat for no link.
        if os.name != "posix" or os.path.islink(path):  # noqa: PTH114
            return path.resolve()
        folder = self._folders.get(path.parent)
        if folder is None:
            folder = self._folders[path.parent] = path.parent.resolve()
        return folder / path.name

    def archived(self, source: Source) -> Source | None:
        """The source whose archive holds this source's words, following ``cited_in``."""
        seen: set[str] = set()
        current: Source | None = source
        while current is not None and current.id not in seen:
            if current.archive is not None:
                return current
            seen.add(current.id)
            current = self.sources.get(current.cited_in) if current.cited_in else None
        return None


def check_sources_and_quotes(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Archived texts are inside the folder and readable; every quote occurs in its source.

    Each archived text is read once, and its quotes are checked together
    before the next text is read, so only one text is held at a time.
    """
    archives = _Archives(dataset, context)
    sources = archives.sources
    # The source whose archived text holds each source's words; None if no text does.
    holders = {source_id: archives.archived(source) for source_id, source in sources.items()}
    # The id of the source whose archived text each quote must occur in, when there is one.
    holder_ids = {
        source_id: holder.id
        for source_id, holder in holders.items()
        if holder is not None and context.root is not None
    }
    # The quotes each archived text must hold, with their records and collections.
    waiting: dict[str, tuple[list[str], list[tuple[Any, str]]]] = {}
    for collection in _QUOTED:
        for record in getattr(dataset, collection):
            quote = record.quote
            if quote is None:
                continue
            holder_id = holder_ids.get(record.source)
            if holder_id is None:
                if record.source in holders:  # else an unknown source, reported as such
                    yield _unverifiable(context, record, collection, holders[record.source])
                continue
            quotes, quoted = waiting.setdefault(holder_id, ([], []))
            quotes.append(quote)
            quoted.append((record, collection))
    read: set[str] = set()
    for source in dataset.sources:
        if source.archive is None or source.id in read:
            continue  # a repeated id is reported as such; its first archive is the one read
        read.add(source.id)
        text = archives.read(source)
        quotes, quoted = waiting.pop(source.id, ([], []))
        if text is None or not quoted:
            continue  # an archive's own problem is reported once, on the source
        found = QuoteIndex(text).contains_all(quotes)
        for (record, collection), occurs in zip(quoted, found, strict=True):
            if not occurs:
                cited, holder = sources[record.source], holders[record.source]
                via = f" (where {short(cited.id)} is cited)" if holder is not cited else ""
                yield context.problem(
                    "quote-not-found",
                    f"{SINGULAR[collection]} {short(record.id)}: the quote {short(record.quote)} "
                    f"does not occur in the archived text of source {short(source.id)}{via}",
                    record,
                    "quote",
                    value=record.quote,
                )
    yield from archives.problems


def _unverifiable(
    context: CheckContext, record: Any, collection: str, holder: Source | None
) -> Problem:
    why = (
        f"source {short(record.source)} has no archived text"
        if holder is None
        else "no dataset folder was given to read the archived text from"
    )
    return context.problem(
        "quote-unverifiable",
        f"{SINGULAR[collection]} {short(record.id)}: the quote cannot be verified because {why}",
        record,
        "quote",
        value=record.quote,
    )
