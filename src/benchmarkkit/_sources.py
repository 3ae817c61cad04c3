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
from benchmarkkit._index import index_of
from benchmarkkit._model import Dataset, Source
from benchmarkkit._problems import Problem
from benchmarkkit._quotes import QuoteIndex, QuoteMismatch
from benchmarkkit._regular_files import NotAFileError, TooLargeError, read_regular_bytes
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


def _read_text(path: Path) -> str:
    """The UTF-8 text of the regular file ``path``, at most :data:`MAX_ARCHIVE_BYTES`."""
    return read_regular_bytes(path, limit=MAX_ARCHIVE_BYTES).decode("utf-8-sig")


def _reason(error: OSError | ValueError) -> str:
    """Why a file cannot be read, in words."""
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return f"the path cannot name a file ({error})"


class _Archives:
    """Reads each archived text once, and says which source's text holds a source's words."""

    def __init__(self, dataset: Dataset, context: CheckContext) -> None:
        self.context = context
        self.sources = index_of(dataset)["sources"]  # the first source of an id, as everywhere
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
        if self.context.root is None:
            return None
        name = short(source.archive)
        path = archive_path(
            self.context.root, source.archive, resolved_root=self._root, resolve=self._resolve
        )
        if path is None:
            code = "archive-outside-dataset"
            words = f"the archive path {name} leads outside the dataset folder; it was not read"
        else:
            try:
                return _read_text(path)
            except FileNotFoundError:
                code = "archive-missing"
                words = f"the archived text {name} does not exist in the dataset folder"
            except NotAFileError as error:
                code = "archive-not-a-file"
                words = f"the archive {name} is {error.kind}, not a file; it was not read"
            except TooLargeError:
                code = "archive-unreadable"
                words = (
                    f"the archived text {name} is larger than "
                    f"{MAX_ARCHIVE_BYTES // (1024 * 1024)} MiB; it was not read"
                )
            except (OSError, ValueError) as error:  # ValueError: not UTF-8, or a NUL in the path
                code = "archive-unreadable"
                words = f"the archived text {name} cannot be read: {_reason(error)}"
        self.problems.append(
            self.context.problem(
                code, f"source {short(source.id)}: {words}", source, "archive", value=source.archive
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
        index = QuoteIndex(text)
        found = index.contains_all(quotes)
        for (record, collection), occurs in zip(quoted, found, strict=True):
            if not occurs:
                cited, holder = sources[record.source], holders[record.source]
                via = f" (where {short(cited.id)} is cited)" if holder is not cited else ""
                where = _where_it_stops(index.mismatch(record.quote), source)
                yield context.problem(
                    "quote-not-found",
                    f"{SINGULAR[collection]} {short(record.id)}: the quote does not occur in the "
                    f"archived text of source {short(source.id)}{via}: {where}. "
                    f"The whole quote: {record.quote!r}",
                    record,
                    "quote",
                    value=record.quote,
                )
    yield from archives.problems


# How much of the matching beginning of a quote a message shows: its last words, about this long.
_SHOWN_MATCH = 40
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def _where_it_stops(mismatch: QuoteMismatch | None, source: Source) -> str:
    """In words: how far a quote matches its source's archived text, and what differs there."""
    if mismatch is None:  # a quote not found that stops nowhere has no words to look for
        return "it has nothing to look for but ellipses ('...') and spaces"
    if mismatch.part:
        ordinal = (
            _ORDINALS[mismatch.part - 1]
            if mismatch.part <= len(_ORDINALS)
            else f"number {mismatch.part}"
        )
        subject = f"after its {ordinal} omission ('...'), it"
    else:
        subject = "it"
    expected = short(mismatch.expected)
    if mismatch.matched_end:  # not even the first word occurs, but the end does
        end = mismatch.matched_end
        if len(end) > _SHOWN_MATCH:
            space = end.rfind(" ", 0, _SHOWN_MATCH)
            end = end[: space if space > 0 else _SHOWN_MATCH] + "..."
        found = "begins" if mismatch.found is None else f"has {short(mismatch.found)}"
        return (
            f"{subject} matches from {short(end, _SHOWN_MATCH + 10)} to the end, but not before: "
            f"it has {expected} where the archived text {found} (line {mismatch.line}, column "
            f"{mismatch.column} of {source.archive})"
        )
    if not mismatch.matched:
        what = "word" if mismatch.expected[:1].isalnum() or mismatch.expected[:1] == "_" else "sign"
        after = " after the part before" if mismatch.part else ""
        return (
            f"{subject} matches nothing{after}: not even its first {what} {expected} occurs in it"
        )
    matched = mismatch.matched
    if len(matched) > _SHOWN_MATCH:
        cut = matched[-_SHOWN_MATCH:]
        space = cut.find(" ")
        matched = "..." + (cut[space + 1 :] if 0 <= space < len(cut) - 1 else cut)
    found = "ends" if mismatch.found is None else f"has {short(mismatch.found)}"
    return (
        f"{subject} matches as far as {short(matched, _SHOWN_MATCH + 10)}, then has {expected} "
        f"where the archived text {found} (line {mismatch.line}, column {mismatch.column} "
        f"of {source.archive})"
    )


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
