"""Archived source texts: reading them safely, and verifying quotes against them.

A source may ship a plain-text copy inside the dataset folder, or inside a
shared archive folder the dataset names (``_archive_folders``). Every quote
taken from the source (in evidence, commitments, recommendations and their
responses, areas and gates) must occur in that text, whatever kind of text it
is (a verbatim copy, a translation, notes: ``Source.archive_kind``). A source
known only through another one (``cited_in``) is checked against the citing
source's copy: the quote is verified as cited.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from benchmarkkit._archive_folders import (
    ArchiveFolder,
    archive_path,
    in_named_folder,
    named_folders,
)
from benchmarkkit._context import CheckContext
from benchmarkkit._index import index_of
from benchmarkkit._model import Dataset, Source
from benchmarkkit._problems import Problem
from benchmarkkit._quotes import QuoteIndex, QuoteMismatch
from benchmarkkit._regular_files import NotAFileError, TooLargeError, read_regular_bytes
from benchmarkkit._since import version_at_least
from benchmarkkit._wording import SINGULAR, short

if TYPE_CHECKING:
    from benchmarkkit._quote_cache import QuoteCache

__all__ = ["MAX_ARCHIVE_BYTES", "archive_holder", "check_sources_and_quotes", "quoted_records"]

#: Archived texts larger than this are not read.
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
#: The collections whose records have a quote checked against their source's archived text.
_QUOTED = ("commitments", "recommendations", "areas", "gates", "evidence")
#: Records nested in those of a collection that carry their own quote: the field that
#: holds them, and what a message calls one.
_NESTED_QUOTES = {"recommendations": ("responses", "response")}

#: The hint of ``archive-outside-dataset`` for a dataset of format 1.1 or later, which can
#: name shared archive folders; an older dataset keeps the catalogue's hint.
_SHARE_HINT = (
    "Keep archived texts inside the dataset folder and give a relative path without '..'; "
    "to share texts between datasets, name their folder in archive_folders and point into "
    "it (archive: ../shared-sources/appeal.txt)."
)

#: A record with a quote, as :func:`quoted_records` gives it.
_Quoted = tuple[Any, str, tuple[str | int, ...], Any]


def quoted_records(dataset: Dataset) -> Iterator[_Quoted]:
    """Every record with a quote, nested ones (a recommendation's responses) included.

    Each as its top-level record, its collection, the path to the record with
    the quote within it (``()`` for the record itself), and that record.
    """
    for collection in _QUOTED:
        nested = _NESTED_QUOTES.get(collection)
        for record in getattr(dataset, collection):
            if record.quote is not None:
                yield record, collection, (), record
            if nested is not None:
                field = nested[0]
                for position, item in enumerate(getattr(record, field)):
                    if item.quote is not None:
                        yield record, collection, (field, position), item


def _label(quoted: _Quoted) -> str:
    """``recommendation 'r1', response 2``: the record with the quote, in words."""
    record, collection, path, _ = quoted
    label = f"{SINGULAR[collection]} {short(record.id)}"
    if not path:
        return label
    return f"{label}, {_NESTED_QUOTES[collection][1]} {int(path[-1]) + 1}"


def archive_holder(source: Source, sources: Mapping[str, Source]) -> Source | None:
    """The source whose archived text holds ``source``'s words, following ``cited_in``.

    ``sources`` maps ids to sources (the first source of an id). ``None`` when
    no source in the chain has an archived text.
    """
    seen: set[str] = set()
    current: Source | None = source
    while current is not None and current.id not in seen:
        if current.archive is not None:
            return current
        seen.add(current.id)
        current = sources.get(current.cited_in) if current.cited_in else None
    return None


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
        #: The named archive folders that may be used, and the parts of those refused.
        self._named: list[ArchiveFolder] = []
        self._refused: list[tuple[str, ...]] = []
        self._names = dataset.archive_folders
        # Format 1.1 can share texts between datasets: the hint says how, from 1.1 on.
        self._can_share = version_at_least(dataset.schema_version, "1.1")
        if context.root is not None:
            try:
                self._root = context.root.resolve()
            except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the path
                self._root = None  # archive_path will refuse every archive, as before
        if self._root is not None and context.root is not None and dataset.archive_folders:
            usable, refused = named_folders(context.root, self._root, dataset.archive_folders)
            self._named = usable
            for refusal in refused:
                self._refused.append(refusal.parts)
                self.problems.append(
                    context.problem(
                        refusal.code,
                        f"{refusal.words}; the archived texts in it were not read",
                        None,
                        "archive_folders",
                        refusal.index,
                        value=refusal.name,
                    )
                )

    def read(self, source: Source) -> str | None:
        """The archived text of ``source``, or ``None`` (with its problem noted) if unusable."""
        assert source.archive is not None  # noqa: S101 - callers only pass archived sources
        if self.context.root is None:
            return None
        name = short(source.archive)
        if self._in_refused_folder(source.archive):
            return None  # its folder's problem is reported once, on the folder
        path = archive_path(
            self.context.root,
            source.archive,
            folders=self._named,
            resolved_root=self._root,
            resolve=self._resolve,
        )
        if path is None:
            code = "archive-outside-dataset"
            words = f"the archive path {name} leads outside the dataset folder{self._nor_named()}"
            words += "; it was not read"
        else:
            try:
                return _read_text(path)
            except FileNotFoundError:
                code = "archive-missing"
                words = f"the archived text {name} does not exist in {self._place(source.archive)}"
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
        hint = _SHARE_HINT if code == "archive-outside-dataset" and self._can_share else None
        self.problems.append(
            self.context.problem(
                code,
                f"source {short(source.id)}: {words}",
                source,
                "archive",
                hint=hint,
                value=source.archive,
            )
        )
        return None

    def _in_refused_folder(self, archive: str) -> bool:
        """Whether ``archive`` lies, by its written path, in a named folder that was refused."""
        refused = [folder for folder in self._refused if folder]  # () for an absolute name
        return in_named_folder(PurePosixPath(archive), refused)

    def _place(self, archive: str) -> str:
        """Where an archived text should be, in words: a named folder, or the dataset folder."""
        parts = PurePosixPath(archive).parts
        for folder in self._named:
            if parts[: len(folder.parts)] == folder.parts:
                return f"the archive folder {short('/'.join(folder.parts))}"
        return "the dataset folder"

    def _nor_named(self) -> str:
        """`` and is not inside an archive folder the dataset names ('../shared')``, if any."""
        if not self._names:
            return ""
        names = ", ".join(short(name) for name in self._names)
        return f" and is not inside an archive folder the dataset names ({names})"

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


def check_sources_and_quotes(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Archived texts are inside the folder and readable; every quote occurs in its source.

    Each archived text is read once, and its quotes are checked together
    before the next text is read, so only one text is held at a time.
    """
    archives = _Archives(dataset, context)
    cache = context._quote_cache  # set by the pipeline, which made the context
    sources = archives.sources
    # The source whose archived text holds each source's words; None if no text does.
    holders = {source_id: archive_holder(source, sources) for source_id, source in sources.items()}
    # The id of the source whose archived text each quote must occur in, when there is one.
    holder_ids = {
        source_id: holder.id
        for source_id, holder in holders.items()
        if holder is not None and context.root is not None
    }
    # The quotes each archived text must hold, with the numbers of the records that hold them
    # in quoted_records' order. Numbers, not the records: a tuple per quote kept until its text
    # is read was enough, at 100k records, for a full collection of the whole heap (parsed
    # files and records) while the texts are read: 0.4 CPU seconds with the collector on.
    waiting: dict[str, tuple[list[str], list[int]]] = {}
    for number, quoted in enumerate(quoted_records(dataset)):
        item = quoted[3]
        holder_id = holder_ids.get(item.source)
        if holder_id is None:
            if item.source in holders:  # else an unknown source, reported as such
                yield _unverifiable(context, quoted, holders[item.source])
            continue
        entry = waiting.get(holder_id)
        if entry is None:  # not setdefault: that would make two lists for every quote
            entry = waiting[holder_id] = ([], [])
        entry[0].append(item.quote)
        entry[1].append(number)
    every: list[_Quoted] = []  # each record with a quote, listed once a quote is not found
    read: set[str] = set()
    for source in dataset.sources:
        if source.archive is None or source.id in read:
            continue  # a repeated id is reported as such; its first archive is the one read
        read.add(source.id)
        text = archives.read(source)
        quotes, holding = waiting.pop(source.id, ([], []))
        if text is None or not holding:
            continue  # an archive's own problem is reported once, on the source
        found, index = _occurrences(text, quotes, cache)
        if all(found):
            continue  # as in a valid dataset: no quote to look at one by one
        every = every or list(quoted_records(dataset))
        for number, occurs in zip(holding, found, strict=True):
            if not occurs:
                index = index or QuoteIndex(text)
                each = every[number]
                record, _, path, item = each
                cited, holder = sources[item.source], holders[item.source]
                via = f" (where {short(cited.id)} is cited)" if holder is not cited else ""
                where = _where_it_stops(index.mismatch(item.quote), source)
                yield context.problem(
                    "quote-not-found",
                    f"{_label(each)}: the quote does not occur in the archived text of source "
                    f"{short(source.id)}{via}: {where}. The whole quote: {item.quote!r}",
                    record,
                    *path,
                    "quote",
                    value=item.quote,
                )
    if cache is not None:
        cache.save()  # each shard of the cache that changed, written once
    yield from archives.problems


def _occurrences(
    text: str, quotes: list[str], cache: QuoteCache | None
) -> tuple[list[bool], QuoteIndex | None]:
    """Whether each of ``quotes`` occurs in ``text``, and the index that found out, if any.

    Each distinct quote is looked for once. With a cache, the quotes it holds
    for this text are known to occur, the others are looked for, and those
    found are added to it; with every quote known, no index is built.
    """
    known = frozenset[str]()
    key = None
    if cache is not None:
        key = cache.key(text)
        known = cache.verified(key)
        if known.issuperset(quotes):  # every quote known: no loop over them in Python
            return [True] * len(quotes), None
    distinct = list(dict.fromkeys([quote for quote in quotes if quote not in known]))
    if not distinct:
        return [True] * len(quotes), None
    index = QuoteIndex(text)
    found = index.contains_all(distinct)
    occurs = {quote for quote, yes in zip(distinct, found, strict=True) if yes}
    if cache is not None and key is not None:
        cache.add(key, known, occurs)
    return [quote in occurs or quote in known for quote in quotes], index


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


def _unverifiable(context: CheckContext, quoted: _Quoted, holder: Source | None) -> Problem:
    record, _, path, item = quoted
    why = (
        f"source {short(item.source)} has no archived text"
        if holder is None
        else "no dataset folder was given to read the archived text from"
    )
    return context.problem(
        "quote-unverifiable",
        f"{_label(quoted)}: the quote cannot be verified because {why}",
        record,
        *path,
        "quote",
        value=item.quote,
    )
