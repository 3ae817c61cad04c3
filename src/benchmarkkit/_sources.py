"""Archived source texts: reading them safely, and verifying quotes against them.

A source may ship a plain-text copy inside the dataset folder. Every quote
taken from the source (in evidence, commitments, areas and gates) must occur
in that text. A source known only through another one (``cited_in``) is
checked against the citing source's copy: the quote is verified as cited.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from benchmarkkit._context import CheckContext
from benchmarkkit._model import Dataset, Source
from benchmarkkit._problems import Problem
from benchmarkkit._quotes import QuoteIndex
from benchmarkkit._wording import SINGULAR, short

__all__ = ["MAX_ARCHIVE_BYTES", "check_sources_and_quotes"]

#: Archived texts larger than this are not read.
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
_QUOTED = ("commitments", "areas", "gates", "evidence")


def archive_path(root: Path, archive: str) -> Path | None:
    """The file an archive path names, or ``None`` if it would leave ``root``.

    Absolute paths, drive letters, ``..`` and links that lead out of the
    folder are all refused.
    """
    if "\\" in archive or PureWindowsPath(archive).drive:
        return None
    relative = PurePosixPath(archive)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    candidate = root / relative
    try:
        candidate.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return None
    return candidate


class _Archives:
    """Reads each archived text once and keeps one quote index per file."""

    def __init__(self, dataset: Dataset, context: CheckContext) -> None:
        self.context = context
        self.sources = {source.id: source for source in dataset.sources}
        self.indexes: dict[str, QuoteIndex | None] = {}
        self.problems: list[Problem] = []

    def load(self, source: Source) -> QuoteIndex | None:
        if source.id in self.indexes:
            return self.indexes[source.id]
        self.indexes[source.id] = index = self._read(source)
        return index

    def _read(self, source: Source) -> QuoteIndex | None:
        assert source.archive is not None  # noqa: S101 - callers only pass archived sources
        context = self.context
        label = f"source {short(source.id)}"
        if context.root is None:
            return None
        path = archive_path(context.root, source.archive)
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
            text = path.read_bytes().decode("utf-8-sig")
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
        return QuoteIndex(text)

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
    """Archived texts are inside the folder and readable; every quote occurs in its source."""
    archives = _Archives(dataset, context)
    for source in dataset.sources:
        if source.archive is not None:
            archives.load(source)
    for collection in _QUOTED:
        for record in getattr(dataset, collection):
            if record.quote is None or record.source is None:
                continue
            cited = archives.sources.get(record.source)
            if cited is None:
                continue  # reported as an unknown reference
            label = f"{SINGULAR[collection]} {short(record.id)}"
            holder = archives.archived(cited)
            if holder is None or context.root is None:
                why = (
                    f"source {short(cited.id)} has no archived text"
                    if holder is None
                    else "no dataset folder was given to read the archived text from"
                )
                yield context.problem(
                    "quote-unverifiable",
                    f"{label}: the quote cannot be verified because {why}",
                    record,
                    "quote",
                    value=record.quote,
                )
                continue
            index = archives.load(holder)
            if index is None:
                continue  # the archive's own problem is reported once, on the source
            if not index.contains(record.quote):
                via = f" (where {short(cited.id)} is cited)" if holder is not cited else ""
                yield context.problem(
                    "quote-not-found",
                    f"{label}: the quote {short(record.quote)} does not occur in the archived "
                    f"text of source {short(holder.id)}{via}",
                    record,
                    "quote",
                    value=record.quote,
                )
    yield from archives.problems
