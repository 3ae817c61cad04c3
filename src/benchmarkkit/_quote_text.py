"""A text as quotes are matched in it: normalised, in three readings, searched at word boundaries.

The rules are listed in :mod:`benchmarkkit._quotes`, which matches whole quotes
(ellipses, mismatches) in the readings made here. A text is normalised in two
steps: its characters (rule 2), then its whitespace in one of three readings of
its line-end hyphens (rules 1 and 3). Where a step changes the length of a
stretch of text, the stretch is a region, and an :class:`OffsetMap` of the
regions maps an offset in the normalised text back to the text it was made from.
A :class:`Reading` finds a part of a quote at word boundaries (rule 4).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice
from typing import TypeAlias

__all__ = [
    "AS_PRINTED",
    "CHARACTERS",
    "HYPHENATED",
    "JOINED",
    "LINE_END_HYPHEN",
    "READINGS",
    "SCAN_LIMIT",
    "WORD",
    "OffsetMap",
    "Reading",
    "Region",
    "character_regions",
    "index_words",
    "is_word",
    "join_line_ends",
    "normalise_characters",
    "normalize",
    "read",
    "reread",
    "space_regions",
]

#: ``(old_start, old_end, new_start, new_end)``: a stretch whose length normalising changed.
Region: TypeAlias = tuple[int, int, int, int]

# The characters of rule 2 (listed in the docstring of _quotes), and a few more of each kind.
CHARACTERS = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u2035\u00b4\u02bc", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2036\u301d\u301e\u301f", '"')
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u2e3a\u2e3b", "-")
)
# The same characters as a pattern: substituting the few that occur is ten times faster
# than ``str.translate``, which looks every character of a non-ASCII text up in the table.
_TYPOGRAPHIC = re.compile("[" + "".join(re.escape(chr(code)) for code in CHARACTERS) + "]")
_LETTER = r"[^\W\d_]"
# Written to start with the hyphen (the letter before it is looked behind for from there), so
# that the regular expression engine jumps from hyphen to hyphen instead of trying each place.
LINE_END_HYPHEN = re.compile(rf"-(?<={_LETTER}-)[^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*(?={_LETTER})")
# A hyphen between letters with whitespace after it, in the characters and as printed, and
# the whitespace that makes it a line-end hyphen.
_HYPHEN_GAP = re.compile(rf"-(?<={_LETTER}-)(\s+)(?={_LETTER})")
_PRINTED_HYPHEN_GAP = re.compile(rf"-(?<={_LETTER}-) (?={_LETTER})")
_ONE_LINE_BREAK = re.compile(r"[^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*")
_LONG_SPACES = re.compile(r"\s{2,}")
_LENGTH_CHANGES = re.compile(rf"(?P<hyphen>{LINE_END_HYPHEN.pattern})|\s{{2,}}")
# NFKC never joins a character to a following ASCII one, so a text can be
# normalised piece by piece when it is cut just before ASCII characters.
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
# A reading answers by scanning its text (a C loop, about a nanosecond a character) until the
# scans have read this many times its length; then it builds its word index (about forty
# nanoseconds a character, in Python) and answers from that. Few quotes in a text cost a few
# scans; many cost at most about twice the index, so the cost stays linear in the text.
SCAN_LIMIT = 64
AS_PRINTED, JOINED, HYPHENATED = "as printed", "joined", "hyphenated"
READINGS = (AS_PRINTED, JOINED, HYPHENATED)


def normalize(text: str) -> str:
    r"""Return the canonical form in which quotes and texts are compared (rules 1 and 2).

    >>> normalize("  does not \u2013 and\ncannot \u2013 occur ")
    'does not - and cannot - occur'
    """
    return read(normalise_characters(text), AS_PRINTED).strip()


class OffsetMap:
    """Offsets in a normalised string mapped back to the string it was made from.

    Only the regions whose length normalising changed are stored; offsets
    between them map by a constant shift. An offset inside a region maps to
    the region's start (a start) or end (an end).
    """

    __slots__ = ("_new_end", "_new_start", "_old_end", "_old_start")

    def __init__(self, regions: Iterable[Region]) -> None:
        self._old_start, self._old_end = array("q"), array("q")
        self._new_start, self._new_end = array("q"), array("q")
        for old_start, old_end, new_start, new_end in regions:
            if self._old_end and (self._old_end[-1], self._new_end[-1]) == (old_start, new_start):
                self._old_end[-1], self._new_end[-1] = old_end, new_end  # adjacent: merge
                continue
            self._old_start.append(old_start)
            self._old_end.append(old_end)
            self._new_start.append(new_start)
            self._new_end.append(new_end)

    def original(self, offset: int, *, end: bool) -> int:
        """Return the offset in the original string of ``offset`` (a start, or an ``end``)."""
        index = bisect_right(self._new_start, offset) - 1
        if index < 0:
            return offset
        if offset >= self._new_end[index]:
            return self._old_end[index] + offset - self._new_end[index]
        if end and offset > self._new_start[index]:
            return self._old_end[index]
        return self._old_start[index]


def normalise_characters(text: str) -> str:
    """Apply rule 2: typographic quotes and dashes to ASCII, then NFKC."""
    if text.isascii():
        return text
    text = _typographic(text)
    normal = unicodedata.normalize("NFKC", text)
    # NFKC returns the very string it was given when that is normal already; then there is
    # no typographic character left to replace.
    return text if normal is text else _typographic(normal)


def _typographic_character(match: re.Match[str]) -> str:
    return CHARACTERS[ord(match.group())]


def _typographic(text: str) -> str:
    """Replace the typographic quotes and dashes of rule 2 (what ``translate`` would do)."""
    return _TYPOGRAPHIC.sub(_typographic_character, text)


def join_line_ends(characters: str, kind: str) -> str:
    """Apply rule 3 in one reading: join line-end hyphens, keep them, or leave them as printed."""
    if kind == JOINED:
        return LINE_END_HYPHEN.sub("", characters)
    if kind == HYPHENATED:
        return LINE_END_HYPHEN.sub("-", characters)
    return characters


def read(characters: str, kind: str) -> str:
    """Apply rule 3 in one reading, then rule 1 (without stripping)."""
    characters = join_line_ends(characters, kind)
    # Each run of whitespace becomes one space (what ``re.sub(r"\s+", " ", ...)`` does, three
    # times faster: ``str.split`` and ``\s`` agree on what whitespace is).
    collapsed = " ".join(characters.split())
    if not collapsed:
        return " " if characters else ""
    if characters[0].isspace():
        collapsed = " " + collapsed
    if characters[-1].isspace():
        collapsed += " "
    return collapsed


def reread(characters: str, printed: str, kind: str) -> str:
    """Return ``read(characters, kind)``, given ``printed``, the as-printed reading.

    A hyphen between letters with whitespace after it reads as ``"- "`` as
    printed; where that whitespace holds one line break (a line-end hyphen,
    rule 3), the joined reading drops the ``"- "`` and the hyphenated one the
    space. These places come in the same order in the characters and in the
    printed reading, which is cut there rather than read again from the start.
    """
    if kind == AS_PRINTED:
        return printed
    breaks = [
        _ONE_LINE_BREAK.fullmatch(match.group(1)) is not None
        for match in _HYPHEN_GAP.finditer(characters)
    ]
    if not any(breaks):
        return printed
    places = [match.start() for match in _PRINTED_HYPHEN_GAP.finditer(printed)]
    if len(places) != len(breaks):  # pragma: no cover - the readings always agree
        return read(characters, kind)
    pieces, last = [], 0
    for at, line_end in zip(places, breaks, strict=True):
        if line_end:
            pieces.append(printed[last : at if kind == JOINED else at + 1])
            last = at + 2
    pieces.append(printed[last:])
    return "".join(pieces)


def character_regions(text: str) -> Iterator[Region]:
    """Yield the regions of ``text`` whose length :func:`normalise_characters` changes."""
    shift = 0
    for match in _NON_ASCII.finditer(text):
        span = match.group()
        normal = normalise_characters(span)
        if normal == span:
            continue
        # Finer regions, character by character with its combining marks, when that is exact.
        clusters: list[str] = []
        for character in span:
            if clusters and unicodedata.combining(character):
                clusters[-1] += character
            else:
                clusters.append(character)
        pieces = [normalise_characters(cluster) for cluster in clusters]
        if "".join(pieces) != normal:
            clusters, pieces = [span], [normal]
        old = match.start()
        new = old + shift
        for cluster, piece in zip(clusters, pieces, strict=True):
            if len(piece) != len(cluster):
                yield old, old + len(cluster), new, new + len(piece)
            old, new = old + len(cluster), new + len(piece)
        shift += len(normal) - len(span)


def space_regions(characters: str, kind: str) -> Iterator[Region]:
    """Yield the regions of ``characters`` whose length :func:`read` changes."""
    pattern = _LONG_SPACES if kind == AS_PRINTED else _LENGTH_CHANGES
    shift = 0
    for match in pattern.finditer(characters):
        start, end = match.span()
        size = 1
        if match.lastgroup == "hyphen":
            size = 0
            if kind == HYPHENATED:
                start += 1  # the hyphen stays
        yield start, end, start + shift, start + shift + size
        shift += size - (end - start)


class Reading:
    """The text in one reading of its line-end hyphens, with its word index and offset map."""

    __slots__ = ("_characters", "_kind", "_map", "_scanned", "_words", "text")

    def __init__(self, characters: str, kind: str, printed: Reading | None = None) -> None:
        self._characters = characters
        self._kind = kind
        if printed is None:
            self.text = read(characters, kind)
        else:
            self.text = reread(characters, printed.text, kind)
        self._words: dict[str, list[int]] | None = None
        self._map: OffsetMap | None = None
        self._scanned = 0  # characters read by scans, until the word index is built

    def offset_map(self) -> OffsetMap:
        """Map offsets in this reading back to offsets in the character-normalised text."""
        if self._map is None:
            self._map = OffsetMap(space_regions(self._characters, self._kind))
        return self._map

    def find(self, parts: list[str]) -> tuple[int, int] | None:
        """Return the start of the first part and the end of the last, found in order."""
        if len(parts) == 1:  # most quotes leave nothing out
            at = self.find_part(parts[0], 0)
            return None if at < 0 else (at, at + len(parts[0]))
        position, first = 0, -1
        for part in parts:
            at = self.find_part(part, position)
            if at < 0:
                return None
            if first < 0:
                first = at
            position = at + len(part)
        return first, position

    def contains_parts(self, parts: Iterable[str]) -> list[bool]:
        """Whether each part occurs from the start: ``find_part(part, 0) >= 0`` for many.

        Most quotes are checked here, so the scan of :meth:`_scan` is written
        out in one loop over them, with the text's methods looked up once.
        """
        text = self.text
        find, end, limit = text.find, len(text), SCAN_LIMIT * len(text)
        found: list[bool] = []
        append = found.append
        scanned = self._scanned
        for part in parts:
            if self._words is not None or scanned > limit:
                self._scanned = scanned
                append(self.find_part(part, 0) >= 0)
                continue
            size = len(part)
            first, last = part[0], part[-1]
            check_start = first.isalnum() or first == "_"  # is_word, inline
            check_end = last.isalnum() or last == "_"
            at = find(part)
            while at >= 0:
                before = text[at - 1] if check_start and at > 0 else " "
                after = text[at + size] if check_end and at + size < end else " "
                if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                    break
                at = find(part, at + 1)
            scanned += end if at < 0 else at + size
            append(at >= 0)
        self._scanned = scanned
        return found

    def find_part(self, part: str, start: int) -> int:
        text = self.text
        if self._words is None and self._scanned <= SCAN_LIMIT * len(text):
            return self._scan(part, start)
        words = [(match.start(), match.group()) for match in WORD.finditer(part)]
        if not words:
            return text.find(part, start)  # no word characters at the edges: no boundaries
        if self._words is None:
            self._words = index_words(text)
        found: list[tuple[int, list[int]]] = []
        for offset, word in words:
            places = self._words.get(word)
            if places is None:
                return -1
            found.append((offset, places))
        offset, places = min(found, key=lambda pair: len(pair[1]))
        check_start, check_end, size = is_word(part[0]), is_word(part[-1]), len(part)
        for index in range(bisect_left(places, start + offset), len(places)):
            at = places[index] - offset
            if (
                text.startswith(part, at)
                and not (check_start and at > 0 and is_word(text[at - 1]))
                and not (check_end and at + size < len(text) and is_word(text[at + size]))
            ):
                return at
        return -1

    def _scan(self, part: str, start: int) -> int:
        """Find ``part`` as :meth:`find_part` does, by reading the text instead of the index.

        The first place where the part occurs and starts and ends at word
        boundaries is where the index lookup ends too: there every word of the
        part is a whole word of the text, its rarest one included.
        """
        text = self.text
        first, last, size = part[0], part[-1], len(part)
        check_start = first.isalnum() or first == "_"  # is_word, inline: this runs per quote
        check_end = last.isalnum() or last == "_"
        at = text.find(part, start)
        end = len(text)
        while at >= 0:
            before = text[at - 1] if check_start and at > 0 else " "
            after = text[at + size] if check_end and at + size < end else " "
            if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
                break
            at = text.find(part, at + 1)
        self._scanned += (len(text) if at < 0 else at + size) - start
        return at


def index_words(text: str) -> dict[str, list[int]]:
    """Return the start offsets of each word of ``text``, in order."""
    parts = _WORD_SPLIT.split(text)  # separator, word, separator, ..., word, separator
    starts = islice(accumulate(map(len, parts), initial=0), 1, None, 2)
    index: defaultdict[str, list[int]] = defaultdict(list)
    for word, start in zip(parts[1::2], starts, strict=False):  # one start more than words
        index[word].append(start)
    return index


def is_word(character: str) -> bool:
    return character.isalnum() or character == "_"  # exactly what \w matches
