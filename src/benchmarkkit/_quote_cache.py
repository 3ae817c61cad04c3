"""Quotes found in archived texts, kept between runs: unchanged texts are not searched again.

The cache is content-addressed: each archived text has an entry, keyed by the
SHA-256 of the library's version, the version of the quote-matching rules
(:data:`benchmarkkit._quotes.RULES_VERSION`) and the SHA-256 of the text's
UTF-8 bytes. It holds the quotes that were found in that text. A text that
changes by one byte, a new benchmarkkit or a change of the matching rules
gets another key, so an entry is never trusted for a text, a version or a
rule it was not written under. Only quotes that occur are kept: a quote that
does not occur is searched again each time, so its problem (where it stops
matching) is always computed, never recalled.

The entries are kept in at most :data:`SHARDS` files, by the first hex digits
of their key: one file per text made a cold run of thousands of texts slower
than no cache, by the cost of creating a file each. Each shard is a JSON
object mapping keys to ``{"rules": ..., "quotes": [...]}``. A run reads a
shard at most once, when a text of it is first looked up, and writes each
shard it added to once, in :meth:`QuoteCache.save`, at the end of the check.

A shard is written to a hidden temporary file and renamed over the old one,
so concurrent runs never see part of one: each reads a whole old shard or a
whole new one, and the last rename wins (the quotes another run added to it
in between are only searched again next time). The temporary file is not
synced to the disk: what a crash loses is cache. A shard that cannot be
read, is cut short or is not an object of entries is ignored and rewritten;
so is an entry that is not one the cache writes. A folder that cannot be
written turns the cache off for the rest of the run without a word:
validation never depends on it, and its output is the same with the cache,
without it, warm or cold.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import orjson

from benchmarkkit._quotes import RULES_VERSION
from benchmarkkit._version import __version__

__all__ = ["ENVIRONMENT", "SHARDS", "QuoteCache", "cache_folder"]

#: The environment variable that names the folder the cache is kept in (its ``quotes``
#: sub-folder holds the shards).
ENVIRONMENT = "BENCHMARKKIT_CACHE_DIR"
#: How many files the entries are spread over, by the first two hex digits of their key.
SHARDS = 64
#: A shard larger than this is not read (a corrupt file, not one the cache wrote).
_MAX_SHARD_BYTES = 256 * 1024 * 1024


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
    """The verified quotes of each archived text, in at most :data:`SHARDS` files in ``folder``.

    Added quotes are kept in memory until :meth:`save`, which writes each
    shard they changed once. ``folder`` is made when the first shard is written.
    """

    __slots__ = ("_changed", "_folder", "_made", "_shards", "_writable")

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self._folder = Path(folder)
        self._writable = True
        self._made = False  # whether the folder is known to exist
        self._shards: dict[str, dict[str, Any]] = {}  # the shards read, by name
        self._changed: set[str] = set()  # the names of the shards added to since saved

    def __repr__(self) -> str:
        return f"QuoteCache({os.fspath(self._folder)!r})"

    @property
    def folder(self) -> Path:
        """Where the shards are kept."""
        return self._folder

    @staticmethod
    def key(text: str) -> str:
        """The entry key of ``text``: its content, the library's version and the rules, hashed."""
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return _entry_key(digest)

    def verified(self, key: str) -> frozenset[str]:
        """The quotes known to occur in the text of ``key``; empty if none or unreadable."""
        quotes = _quotes_of(self._shard(shard_name(key)).get(key))
        return frozenset() if quotes is None else frozenset(quotes)

    def add(self, key: str, known: Collection[str], found: Collection[str]) -> None:
        """Keep ``found``, newly verified quotes of the text of ``key``, with those ``known``.

        Does nothing when nothing is new, or once the folder has proved
        unwritable. The shard is written by :meth:`save`.
        """
        if not self._writable or not found:
            return
        name = shard_name(key)
        self._shard(name)[key] = {"rules": RULES_VERSION, "quotes": sorted({*known, *found})}
        self._changed.add(name)

    def save(self) -> None:
        """Write each shard added to since the last save, once; stop at the first that fails."""
        changed, self._changed = sorted(self._changed), set()
        if not self._writable:
            return
        try:
            if changed and not self._made:
                self._folder.mkdir(parents=True, exist_ok=True)
                self._made = True
            for name in changed:
                shard = self._shards[name]
                kept = {key: shard[key] for key in shard if _belongs(key, name, shard[key])}
                _replace(self._folder / f"{name}.json", orjson.dumps(kept, option=_SORTED))
        except (OSError, ValueError):
            self._writable = False  # read-only, full, or not a folder: run without it

    def _shard(self, name: str) -> dict[str, Any]:
        """The entries of shard ``name``, read from its file the first time it is asked for."""
        shard = self._shards.get(name)
        if shard is None:
            shard = self._shards[name] = _read(self._folder / f"{name}.json")
        return shard


_SORTED = orjson.OPT_SORT_KEYS
_KEY = re.compile(r"[0-9a-f]{64}")


def shard_name(key: str) -> str:
    """The name of the shard (``00`` to ``3f``) that holds the entry of ``key``."""
    return f"{int(key[:2], 16) * SHARDS // 256:02x}"


def _read(path: Path) -> dict[str, Any]:
    """The entries in the shard at ``path``; none if it is missing, too large or damaged."""
    try:
        with path.open("rb") as file:
            data = file.read(_MAX_SHARD_BYTES + 1)
    except (OSError, ValueError):
        return {}
    if len(data) > _MAX_SHARD_BYTES:
        return {}
    try:
        shard = orjson.loads(data)
    except orjson.JSONDecodeError:
        return {}  # cut short or damaged: rewritten when next added to
    return shard if isinstance(shard, dict) else {}


def _quotes_of(entry: object) -> list[str] | None:
    """The quotes of an entry as the cache writes it, or None if it is not one."""
    if not isinstance(entry, dict):
        return None
    quotes = entry.get("quotes")
    # Every quote is text: the set of their types, gathered without a loop in Python.
    if not isinstance(quotes, list) or not set(map(type, quotes)) <= {str}:
        return None
    return quotes


def _belongs(key: str, name: str, entry: object) -> bool:
    """Whether ``entry``, under ``key`` in shard ``name``, is one the cache would write there."""
    return bool(_KEY.fullmatch(key)) and shard_name(key) == name and _quotes_of(entry) is not None


def _entry_key(digest: str) -> str:
    """The key of the text whose UTF-8 bytes have the SHA-256 ``digest``, under this version."""
    versioned = f"benchmarkkit {__version__}\0rules {RULES_VERSION}\0text {digest}"
    return hashlib.sha256(versioned.encode()).hexdigest()


def _replace(entry: Path, data: bytes) -> None:
    """Write ``entry`` whole or not at all: a temporary file beside it, renamed over it."""
    from benchmarkkit._write import temporary_name  # only when a shard is written (start-up)

    temporary = temporary_name(entry)
    try:
        with temporary.open("xb") as file:
            file.write(data)
        temporary.replace(entry)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
