"""Quotes found in archived texts, kept between runs: unchanged texts are not searched again.

The cache is content-addressed: one file per archived text, named by the
SHA-256 of the library's version, the version of the quote-matching rules
(:data:`benchmarkkit._quotes.RULES_VERSION`) and the SHA-256 of the text's
UTF-8 bytes. It holds the quotes that were found in that text. A text that
changes by one byte, a new benchmarkkit or a change of the matching rules
gets another file, so an entry is never trusted for a text, a version or a
rule it was not written under. Only quotes that occur are kept: a quote that
does not occur is searched again each time, so its problem (where it stops
matching) is always computed, never recalled.

Entries are written to a hidden temporary file and renamed over the entry,
so concurrent runs never see part of one: each reads a whole old entry or a
whole new one, and the last rename wins (a quote it drops is only searched
again next time). The temporary file is not synced to the disk: what a crash
loses is a cache entry. An entry that cannot be read, is cut short, or was
written for another text or version (its header says which) is ignored and
rewritten. A folder that cannot be written turns the cache off for the rest
of the run without a word: validation never depends on it, and its output is
the same with the cache, without it, warm or cold.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Mapping
from pathlib import Path

import orjson

from benchmarkkit._quotes import RULES_VERSION
from benchmarkkit._version import __version__
from benchmarkkit._write import temporary_name

__all__ = ["ENVIRONMENT", "QuoteCache", "cache_folder"]

#: The environment variable that names the folder the cache is kept in (its ``quotes``
#: sub-folder holds the entries).
ENVIRONMENT = "BENCHMARKKIT_CACHE_DIR"
#: An entry larger than this is not read (a corrupt file, not one the cache wrote).
_MAX_ENTRY_BYTES = 256 * 1024 * 1024


def cache_folder(
    given: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    r"""The folder of the quote cache: ``quotes`` in ``given``, else in the user's cache folder.

    The user's cache folder is ``$BENCHMARKKIT_CACHE_DIR`` if set, else the
    platform's (``~/.cache/benchmarkkit`` on Linux,
    ``~/Library/Caches/benchmarkkit`` on macOS,
    ``%LOCALAPPDATA%\benchmarkkit\Cache`` on Windows), from platformdirs.
    """
    if given is None:
        given = (os.environ if environ is None else environ).get(ENVIRONMENT)
    if given:
        return Path(given) / "quotes"
    import platformdirs  # only when the cache is used

    return Path(platformdirs.user_cache_dir("benchmarkkit", appauthor=False)) / "quotes"


class QuoteCache:
    """The verified quotes of each archived text, one file per text in ``folder``.

    ``folder`` is made when the first entry is written.
    """

    __slots__ = ("_folder", "_made", "_writable")

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self._folder = Path(folder)
        self._writable = True
        self._made = False  # whether the folder is known to exist

    def __repr__(self) -> str:
        return f"QuoteCache({os.fspath(self._folder)!r})"

    @property
    def folder(self) -> Path:
        """Where the entries are kept."""
        return self._folder

    @staticmethod
    def key(text: str) -> str:
        """The entry name of ``text``: its content, the library's version and the rules, hashed."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return _entry_name(digest)

    def verified(self, key: str) -> frozenset[str]:
        """The quotes known to occur in the text of ``key``; empty if none or unreadable."""
        try:
            with (self._folder / f"{key}.json").open("rb") as file:
                data = file.read(_MAX_ENTRY_BYTES + 1)
        except (OSError, ValueError):
            return frozenset()
        if len(data) > _MAX_ENTRY_BYTES:
            return frozenset()
        try:
            entry = orjson.loads(data)
        except orjson.JSONDecodeError:
            return frozenset()  # cut short or damaged: rewritten on the next verification
        if not isinstance(entry, dict) or entry.get("key") != key:
            return frozenset()  # another entry's content, or not one of ours
        quotes = entry.get("quotes")
        if not isinstance(quotes, list) or not set(map(type, quotes)) <= {str}:
            return frozenset()
        return frozenset(quotes)

    def add(self, key: str, known: Collection[str], found: Collection[str]) -> None:
        """Keep ``found``, newly verified quotes of the text of ``key``, with those ``known``.

        Does nothing when nothing is new, or once the folder has proved
        unwritable.
        """
        if not self._writable or not found:
            return
        quotes = sorted({*known, *found})
        data = orjson.dumps({"key": key, "rules": RULES_VERSION, "quotes": quotes})
        entry = self._folder / f"{key}.json"
        try:
            if not self._made:
                self._folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            _replace(entry, data)
        except (OSError, ValueError):
            self._writable = False  # read-only, full, or not a folder: run without it


def _entry_name(digest: str) -> str:
    """The entry of the text whose UTF-8 bytes have the SHA-256 ``digest``, under this version."""
    versioned = f"benchmarkkit {__version__}\0rules {RULES_VERSION}\0text {digest}"
    return hashlib.sha256(versioned.encode()).hexdigest()


def _replace(entry: Path, data: bytes) -> None:
    """Write ``entry`` whole or not at all: a temporary file beside it, renamed over it."""
    temporary = temporary_name(entry)
    try:
        with temporary.open("xb") as file:
            file.write(data)
        temporary.replace(entry)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
