"""Check that a quote occurs verbatim in a source's archived text, despite PDF-extraction noise.

A quote and the text are compared in a canonical form, so that what a PDF or a
word processor changes does not count, while every word must still be exactly
the source's:

1. Line breaks, tabs, non-breaking and other Unicode spaces, and any run of
   whitespace equal one space; whitespace around the quote is ignored.
2. Typographic quotes (``‘ ’ ‚ ‛ “ ” „ ‟ « » ‹ › ′ ″`` and similar) equal the
   straight ``'`` or ``"``, dashes (``‐ ‑ ‒ – — ― −`` and similar) equal ``-``,
   and both sides are put in Unicode NFKC form (``ﬁ`` is ``fi``, full-width
   letters are ASCII, ``…`` is ``...``). See :func:`normalize`.
3. A hyphen directly after a letter and followed by one line break (spaces
   around it allowed) and a letter is a line-end hyphen, which the text can be
   read three ways: as printed (``well- known``, by rule 1), joined
   (``govern-`` at a line end, then ``ment``, reads ``government``) or
   hyphenated (``well-known``). The quote's own line-end hyphens are read the
   same way, and one reading applies to the whole quote: a quote cannot join
   one line-end hyphen and keep another.
4. Matching is case-sensitive and never crosses or splits words: ``been``
   does not match ``beeen``, ``theEU`` does not match ``the EU``, and a quote
   that starts or ends with a letter or digit must start or end at a word
   boundary of the text (``rogress`` does not match inside ``progress``).
   Punctuation at the edges of a quote needs no boundary.
5. ``...``, ``…``, ``[...]`` or ``[…]`` in a quote mark omitted text: the parts
   between them must occur in order, without overlapping. A quote of nothing
   but ellipses and whitespace matches nothing.

Anything else is a difference: an emphasis mark such as ``*Vzgliad*`` in the
text must be in the quote too, and a quote must skip an interrupting footnote
with an ellipsis. :class:`QuoteIndex` normalises a text once and then answers
each quote at a cost that depends on the quote, not on the length of the text.
For a quote that does not occur, :meth:`QuoteIndex.mismatch` says where it
stops matching, under the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import accumulate, islice
from typing import TypeAlias

import attrs

__all__ = ["QuoteIndex", "QuoteMatch", "QuoteMismatch", "find_quote", "normalize"]

#: ``(old_start, old_end, new_start, new_end)``: a stretch whose length normalising changed.
_Region: TypeAlias = tuple[int, int, int, int]

# The characters of rule 2 (listed in the module docstring), and a few more of each kind.
_CHARACTERS = str.maketrans(
    dict.fromkeys("\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u2035\u00b4\u02bc", "'")
    | dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2036\u301d\u301e\u301f", '"')
    | dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\u2e3a\u2e3b", "-")
)
# The same characters as a pattern: substituting the few that occur is ten times faster
# than ``str.translate``, which looks every character of a non-ASCII text up in the table.
_TYPOGRAPHIC = re.compile("[" + "".join(re.escape(chr(code)) for code in _CHARACTERS) + "]")
_LETTER = r"[^\W\d_]"
# Written to start with the hyphen (the letter before it is looked behind for from there), so
# that the regular expression engine jumps from hyphen to hyphen instead of trying each place.
_LINE_END_HYPHEN = re.compile(rf"-(?<={_LETTER}-)[^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*(?={_LETTER})")
# A hyphen between letters with whitespace after it, in the characters and as printed, and
# the whitespace that makes it a line-end hyphen.
_HYPHEN_GAP = re.compile(rf"-(?<={_LETTER}-)(\s+)(?={_LETTER})")
_PRINTED_HYPHEN_GAP = re.compile(rf"-(?<={_LETTER}-) (?={_LETTER})")
_ONE_LINE_BREAK = re.compile(r"[^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*")
_LONG_SPACES = re.compile(r"\s{2,}")
_LENGTH_CHANGES = re.compile(rf"(?P<hyphen>{_LINE_END_HYPHEN.pattern})|\s{{2,}}")
_ELLIPSIS = re.compile(r"\[\s*\.{3}\s*\]|\.{3,}")
_WORD = re.compile(r"\w+")
_WORD_SPLIT = re.compile(r"(\w+)")
# What a mismatch is told in: a word, or one sign that is neither a word character nor a space.
_TOKEN = re.compile(r"\w+|[^\w\s]")
# NFKC never joins a character to a following ASCII one, so a text can be
# normalised piece by piece when it is cut just before ASCII characters.
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_AS_PRINTED, _JOINED, _HYPHENATED = "as printed", "joined", "hyphenated"
_READINGS = (_AS_PRINTED, _JOINED, _HYPHENATED)
# A reading answers by scanning its text (a C loop, about a nanosecond a character) until the
# scans have read this many times its length; then it builds its word index (about forty
# nanoseconds a character, in Python) and answers from that. Few quotes in a text cost a few
# scans; many cost at most about twice the index, so the cost stays linear in the text.
_SCAN_LIMIT = 64


def normalize(text: str) -> str:
    r"""Return the canonical form in which quotes and texts are compared (rules 1 and 2).

    >>> normalize("  does not \u2013 and\ncannot \u2013 occur ")
    'does not - and cannot - occur'
    """
    return _read(_normalise_characters(text), _AS_PRINTED).strip()


@attrs.frozen(kw_only=True)
class QuoteMatch:
    """Where a quote occurs in the original (not normalised) text.

    ``start`` and ``end`` delimit the first to the last part of the quote, so
    ``text[start:end]`` includes any text an ellipsis left out. Characters that
    normalising expands or merges (``…``, ``ﬁ``, a letter and its accent) are
    included whole.
    """

    start: int
    end: int
    line: int
    column: int


@attrs.frozen(kw_only=True)
class QuoteMismatch:
    """Where a quote that does not occur in a text stops matching it, under the matching rules.

    ``part`` is the quote's part that fails (0 for the first; the parts are
    between ellipses). ``matched`` is the longest beginning of that part, in
    the normal form the quote is matched in, that occurs in the text (after
    the parts before it), ending with a whole word or a sign; ``""`` if not
    even its first word does. ``expected`` is the part's next word or sign
    there, and ``found`` the text's, with the space before it only when the
    other has none; ``found`` is ``None`` where the text ends or nothing
    matched. ``line`` and ``column`` (1-based) are where ``found`` (or the end
    of the text) is in the original text; ``None`` when nothing matched.

    When not even the first word occurs, the part is matched from its end:
    ``matched_end`` is then the longest end of the part that occurs (two
    words or more, or all the part but its first word or sign, if that holds
    a word), ``expected`` the
    part's word or sign just before it, ``found`` the text's word or sign
    just before where it occurs (``None`` where the text begins there), and
    ``line`` and ``column`` where ``found`` (or the matching end) is.
    ``matched_end`` is ``""`` otherwise.
    """

    part: int
    matched: str
    expected: str
    found: str | None
    line: int | None
    column: int | None
    matched_end: str = ""


class QuoteIndex:
    """One source text, normalised once, against which many quotes are checked.

    The word index and the map back to original offsets are built on first
    need. Every word of a quote is a whole word of the text where the quote
    occurs (rule 4), so a lookup takes the quote's rarest word and checks only
    the places where that word occurs; a part of a quote without any word
    (only punctuation) is searched for in the whole text.
    """

    __slots__ = ("_characters", "_has_hyphens", "_line_starts", "_map", "_readings", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._characters = _normalise_characters(text)
        self._has_hyphens = _LINE_END_HYPHEN.search(self._characters) is not None
        self._readings: dict[str, _Reading] = {}
        self._map: _OffsetMap | None = None
        self._line_starts: array[int] | None = None

    def __repr__(self) -> str:
        return f"<QuoteIndex of {len(self._text):,} characters>"

    def find(self, quote: str) -> QuoteMatch | None:
        """Return where ``quote`` first occurs in the text, or ``None``.

        Readings of line-end hyphens are tried as printed, joined, then
        hyphenated; the first that matches gives the position.
        """
        located = self._locate(quote)
        if located is None:
            return None
        reading, start, end = located
        start, end = self._original(reading, start, end=False), self._original(reading, end)
        line, column = self._line_column(start)
        return QuoteMatch(start=start, end=end, line=line, column=column)

    def mismatch(self, quote: str) -> QuoteMismatch | None:
        """Return where ``quote`` stops matching the text, or ``None`` if it occurs.

        Each reading of line-end hyphens is tried, and the one that matches
        the most of the quote kept (the first of them, as :meth:`find` orders
        them). The longest matching beginning is found by doubling, then
        halving, the number of words looked up: a few lookups per quote, as
        many as the logarithm of its length, each as cheap as :meth:`contains`.
        """
        characters = _normalise_characters(quote)
        best: tuple[int, int, int, str, _Reading] | None = None
        tried: set[tuple[int, tuple[str, ...]]] = set()
        for kind in _READINGS:
            parts = _parts(characters, kind)
            reading = self._reading(kind)
            if not parts or (id(reading), tuple(parts)) in tried:
                continue
            tried.add((id(reading), tuple(parts)))
            stop = _stop(reading, parts)
            if stop is None:
                return None  # the quote occurs in this reading
            if best is None or stop[:2] > best[:2]:
                best = (*stop, reading)
        if best is None:
            return None  # a quote of nothing but ellipses matches nothing, and stops nowhere
        index, matched, at, part, reading = best
        expected = _next_token(part, matched)
        if not matched:
            from_end = self._mismatch_from_end(reading, index, part, at)
            if from_end is not None:
                return from_end
            return QuoteMismatch(
                part=index,
                matched="",
                expected=expected.lstrip(),
                found=None,
                line=None,
                column=None,
            )
        found = _next_token(reading.text, at + matched)
        offset = at + matched + len(found) - len(found.lstrip())
        if expected.startswith(" ") and (found.startswith(" ") or not found):
            expected, found = expected[1:], found[1:]  # the space is no difference
        line, column = self._line_column(self._original(reading, offset, end=False))
        return QuoteMismatch(
            part=index,
            matched=part[:matched],
            expected=expected,
            found=found or None,
            line=line,
            column=column,
        )

    def _mismatch_from_end(
        self, reading: _Reading, index: int, part: str, position: int
    ) -> QuoteMismatch | None:
        """Where a part whose first word is not found stops matching, seen from its end.

        ``None`` when too little of its end occurs to tell (see
        :class:`QuoteMismatch`). The same doubling and bisection as the
        search from the beginning, over the part's words counted from its end.
        """
        stop = _stop_from_end(reading, part, position)
        if stop is None:
            return None
        cut, at = stop  # the part matches from part[cut:], found at ``at`` in the reading
        tokens = list(_TOKEN.finditer(part, 0, cut))
        words_in_end = len(_WORD.findall(part, cut))
        if not tokens or not words_in_end or (words_in_end < 2 and len(tokens) > 1):
            return None  # one word at the end (a sign, or one word after several) tells nothing
        expected = part[tokens[-1].start() : cut]
        found = _previous_token(reading.text, at)
        offset = at - len(found)
        if expected.endswith(" ") and (found.endswith(" ") or not found):
            expected, found = expected.rstrip(), found.rstrip()  # the space is no difference
        line, column = self._line_column(self._original(reading, offset, end=False))
        return QuoteMismatch(
            part=index,
            matched="",
            expected=expected,
            found=found or None,
            line=line,
            column=column,
            matched_end=part[cut:],
        )

    def _original(self, reading: _Reading, offset: int, *, end: bool = True) -> int:
        """The offset in the original text of ``offset`` in ``reading``."""
        if self._map is None:
            self._map = _OffsetMap(_character_regions(self._text))
        return self._map.original(reading.offset_map().original(offset, end=end), end=end)

    def _line_column(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of ``offset`` in the original text."""
        if self._line_starts is None:
            lengths = (len(line) + 1 for line in self._text.split("\n"))
            self._line_starts = array("q", accumulate(lengths, initial=0))
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def contains(self, quote: str) -> bool:
        """Return whether ``quote`` occurs in the text (cheaper than :meth:`find`)."""
        return self.contains_all((quote,))[0]

    def contains_all(self, quotes: Iterable[str]) -> list[bool]:
        """Return whether each of ``quotes`` occurs in the text: :meth:`contains` for many.

        Most quotes are plain ASCII without a hyphen or an ellipsis. Such a
        quote reads the same in every reading, and any reading it occurs in
        will do, so it is looked for first in the joined one, where it also
        occurs across a line-end hyphen (``government`` for ``govern-``,
        ``ment``): one scan where the readings in order would take two.
        """
        reading = self._reading(_JOINED)
        find_part = reading._find_part
        found: list[bool] = []
        for quote in quotes:
            if quote.isascii() and "-" not in quote and "..." not in quote:
                part = " ".join(quote.split())
                if part and find_part(part, 0) >= 0:
                    found.append(True)
                    continue
            found.append(self._locate(quote) is not None)
        return found

    def _locate(self, quote: str) -> tuple[_Reading, int, int] | None:
        characters = _normalise_characters(quote)
        # Whether the quote has line-end hyphens of its own; found out when it matters.
        hyphens = None if self._has_hyphens else _LINE_END_HYPHEN.search(characters) is not None
        readings = _READINGS[:1] if hyphens is False else _READINGS  # False: all read the same
        parts: list[str] = []
        for kind in readings:
            if kind != _AS_PRINTED and hyphens is None:
                hyphens = _LINE_END_HYPHEN.search(characters) is not None
            if not parts or hyphens:  # without hyphens, the quote reads the same every way
                parts = _parts(characters, kind)
                if not parts:
                    return None
            reading = self._reading(kind)
            span = reading.find(parts)
            if span is not None:
                return reading, *span
        return None

    def _reading(self, kind: str) -> _Reading:
        if not self._has_hyphens:
            kind = _AS_PRINTED
        reading = self._readings.get(kind)
        if reading is None:
            printed = None if kind == _AS_PRINTED else self._reading(_AS_PRINTED)
            reading = self._readings[kind] = _Reading(self._characters, kind, printed)
        return reading


def _parts(characters: str, kind: str) -> list[str]:
    """The parts of a quote, between its ellipses, in one reading, each stripped (rules 1-3, 5)."""
    if kind == _JOINED:
        characters = _LINE_END_HYPHEN.sub("", characters)
    elif kind == _HYPHENATED:
        characters = _LINE_END_HYPHEN.sub("-", characters)
    read = " ".join(characters.split())  # what _read gives, stripped: each part is stripped
    if "..." not in read:  # every ellipsis has three dots in a row; most quotes have none
        return [read] if read else []
    return [stripped for part in _ELLIPSIS.split(read) if (stripped := part.strip())]


def _stop(reading: _Reading, parts: list[str]) -> tuple[int, int, int, str] | None:
    """Where the parts stop matching ``reading``, found in order; ``None`` if they all occur.

    Returns the index of the first part that does not occur, the length of
    its longest beginning that does (a number of whole words and signs), the
    place of that beginning in the reading's text, and the part. Every
    shorter beginning of a beginning that occurs occurs too (at the same
    place, and at word boundaries), so the number of words is found by
    doubling, then bisection.
    """
    position = 0
    for index, part in enumerate(parts):
        at = reading._find_part(part, position)
        if at >= 0:
            position = at + len(part)
            continue
        return _longest_beginning(reading, index, part, position)
    return None


def _longest_beginning(
    reading: _Reading, index: int, part: str, position: int
) -> tuple[int, int, int, str]:
    """:func:`_stop`'s answer for the part that does not occur, found after ``position``."""
    ends = [token.end() for token in _TOKEN.finditer(part)]
    low, low_at = _most_words(
        len(ends), lambda k: reading._find_part(part[: ends[k - 1]], position), position
    )
    return index, ends[low - 1] if low else 0, low_at, part


def _stop_from_end(reading: _Reading, part: str, position: int) -> tuple[int, int] | None:
    """The longest end of ``part`` (whole words and signs) that occurs in ``reading``.

    Looked for after ``position``. Returns where that end starts in the
    part and where it occurs in the reading's text; ``None`` if not even the
    last word or sign occurs. Every shorter end of an end that occurs occurs
    too (inside it, at word boundaries), so the number of words is found by
    doubling, then bisection, as :func:`_stop` finds a beginning.
    """
    starts = [token.start() for token in _TOKEN.finditer(part)]
    starts.reverse()  # starts[k - 1]: where the last k words and signs begin
    low, low_at = _most_words(
        len(starts), lambda k: reading._find_part(part[starts[k - 1] :], position), -1
    )
    return (starts[low - 1], low_at) if low else None


def _most_words(count: int, find: Callable[[int], int], none_at: int) -> tuple[int, int]:
    """The most words ``k`` below ``count`` for which ``find(k)`` finds them, and where.

    ``find(k)`` is where the run of ``k`` words occurs, or -1; a run of
    ``count`` words is known not to occur, and every shorter run of a run
    that occurs occurs too. Doubling, then bisection: about 2 log2(count)
    calls. With no word found, the place is ``none_at``.
    """
    low, low_at, high = 0, none_at, count  # low words occur; high do not
    probe = 1
    while probe < high:  # doubling
        at = find(probe)
        if at < 0:
            high = probe
            break
        low, low_at, probe = probe, at, probe * 2
    while high - low > 1:  # bisection
        middle = (low + high) // 2
        at = find(middle)
        if at < 0:
            high = middle
        else:
            low, low_at = middle, at
    return low, low_at


def _previous_token(text: str, at: int) -> str:
    """The word or sign of ``text`` that ends before ``at``, with the spaces after it."""
    size = 64
    while True:
        start = max(0, at - size)
        last = None
        for last in _TOKEN.finditer(text, start, at):  # noqa: B007 - the last one is wanted
            pass
        if last is None and start == 0:
            return ""
        if last is not None and (last.start() > start or start == 0):
            return text[last.start() : at]
        size *= 4  # the window may have cut a word: look further back


def _next_token(text: str, at: int) -> str:
    """The word or sign of ``text`` from ``at``, with the spaces before it; ``""`` at the end."""
    match = _TOKEN.search(text, at)
    return "" if match is None else text[at : match.end()]


def find_quote(quote: str, text: str) -> QuoteMatch | None:
    """Return where ``quote`` occurs in ``text``; use a :class:`QuoteIndex` for many quotes."""
    return QuoteIndex(text).find(quote)


class _Reading:
    """The text in one reading of its line-end hyphens, with its word index and offset map."""

    __slots__ = ("_characters", "_kind", "_map", "_scanned", "_words", "text")

    def __init__(self, characters: str, kind: str, printed: _Reading | None = None) -> None:
        self._characters = characters
        self._kind = kind
        if printed is None:
            self.text = _read(characters, kind)
        else:
            self.text = _reread(characters, printed.text, kind)
        self._words: dict[str, list[int]] | None = None
        self._map: _OffsetMap | None = None
        self._scanned = 0  # characters read by scans, until the word index is built

    def offset_map(self) -> _OffsetMap:
        """Map offsets in this reading back to offsets in the character-normalised text."""
        if self._map is None:
            self._map = _OffsetMap(_space_regions(self._characters, self._kind))
        return self._map

    def find(self, parts: list[str]) -> tuple[int, int] | None:
        """Return the start of the first part and the end of the last, found in order."""
        if len(parts) == 1:  # most quotes leave nothing out
            at = self._find_part(parts[0], 0)
            return None if at < 0 else (at, at + len(parts[0]))
        position, first = 0, -1
        for part in parts:
            at = self._find_part(part, position)
            if at < 0:
                return None
            if first < 0:
                first = at
            position = at + len(part)
        return first, position

    def _find_part(self, part: str, start: int) -> int:
        text = self.text
        if self._words is None and self._scanned <= _SCAN_LIMIT * len(text):
            return self._scan(part, start)
        words = [(match.start(), match.group()) for match in _WORD.finditer(part)]
        if not words:
            return text.find(part, start)  # no word characters at the edges: no boundaries
        if self._words is None:
            self._words = _index_words(text)
        found: list[tuple[int, list[int]]] = []
        for offset, word in words:
            places = self._words.get(word)
            if places is None:
                return -1
            found.append((offset, places))
        offset, places = min(found, key=lambda pair: len(pair[1]))
        check_start, check_end, size = _is_word(part[0]), _is_word(part[-1]), len(part)
        for index in range(bisect_left(places, start + offset), len(places)):
            at = places[index] - offset
            if (
                text.startswith(part, at)
                and not (check_start and at > 0 and _is_word(text[at - 1]))
                and not (check_end and at + size < len(text) and _is_word(text[at + size]))
            ):
                return at
        return -1

    def _scan(self, part: str, start: int) -> int:
        """Find ``part`` as :meth:`_find_part` does, by reading the text instead of the index.

        The first place where the part occurs and starts and ends at word
        boundaries is where the index lookup ends too: there every word of the
        part is a whole word of the text, its rarest one included.
        """
        text = self.text
        first, last, size = part[0], part[-1], len(part)
        check_start = first.isalnum() or first == "_"  # _is_word, inline: this runs per quote
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


class _OffsetMap:
    """Offsets in a normalised string mapped back to the string it was made from.

    Only the regions whose length normalising changed are stored; offsets
    between them map by a constant shift. An offset inside a region maps to
    the region's start (a start) or end (an end).
    """

    __slots__ = ("_new_end", "_new_start", "_old_end", "_old_start")

    def __init__(self, regions: Iterable[_Region]) -> None:
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


def _normalise_characters(text: str) -> str:
    """Apply rule 2: typographic quotes and dashes to ASCII, then NFKC."""
    if text.isascii():
        return text
    text = _typographic(text)
    normal = unicodedata.normalize("NFKC", text)
    # NFKC returns the very string it was given when that is normal already; then there is
    # no typographic character left to replace.
    return text if normal is text else _typographic(normal)


def _typographic_character(match: re.Match[str]) -> str:
    return _CHARACTERS[ord(match.group())]


def _typographic(text: str) -> str:
    """Replace the typographic quotes and dashes of rule 2 (what ``translate`` would do)."""
    return _TYPOGRAPHIC.sub(_typographic_character, text)


def _read(characters: str, kind: str) -> str:
    """Apply rule 3 in one reading, then rule 1 (without stripping)."""
    if kind == _JOINED:
        characters = _LINE_END_HYPHEN.sub("", characters)
    elif kind == _HYPHENATED:
        characters = _LINE_END_HYPHEN.sub("-", characters)
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


def _reread(characters: str, printed: str, kind: str) -> str:
    """Return ``_read(characters, kind)``, given ``printed``, the as-printed reading.

    A hyphen between letters with whitespace after it reads as ``"- "`` as
    printed; where that whitespace holds one line break (a line-end hyphen,
    rule 3), the joined reading drops the ``"- "`` and the hyphenated one the
    space. These places come in the same order in the characters and in the
    printed reading, which is cut there rather than read again from the start.
    """
    if kind == _AS_PRINTED:
        return printed
    breaks = [
        _ONE_LINE_BREAK.fullmatch(match.group(1)) is not None
        for match in _HYPHEN_GAP.finditer(characters)
    ]
    if not any(breaks):
        return printed
    places = [match.start() for match in _PRINTED_HYPHEN_GAP.finditer(printed)]
    if len(places) != len(breaks):  # pragma: no cover - the readings always agree
        return _read(characters, kind)
    pieces, last = [], 0
    for at, line_end in zip(places, breaks, strict=True):
        if line_end:
            pieces.append(printed[last : at if kind == _JOINED else at + 1])
            last = at + 2
    pieces.append(printed[last:])
    return "".join(pieces)


def _index_words(text: str) -> dict[str, list[int]]:
    """Return the start offsets of each word of ``text``, in order."""
    parts = _WORD_SPLIT.split(text)  # separator, word, separator, ..., word, separator
    starts = islice(accumulate(map(len, parts), initial=0), 1, None, 2)
    index: defaultdict[str, list[int]] = defaultdict(list)
    for word, start in zip(parts[1::2], starts, strict=False):  # one start more than words
        index[word].append(start)
    return index


def _is_word(character: str) -> bool:
    return character.isalnum() or character == "_"  # exactly what \w matches


def _character_regions(text: str) -> Iterator[_Region]:
    """Yield the regions of ``text`` whose length :func:`_normalise_characters` changes."""
    shift = 0
    for match in _NON_ASCII.finditer(text):
        span = match.group()
        normal = _normalise_characters(span)
        if normal == span:
            continue
        # Finer regions, character by character with its combining marks, when that is exact.
        clusters: list[str] = []
        for character in span:
            if clusters and unicodedata.combining(character):
                clusters[-1] += character
            else:
                clusters.append(character)
        pieces = [_normalise_characters(cluster) for cluster in clusters]
        if "".join(pieces) != normal:
            clusters, pieces = [span], [normal]
        old = match.start()
        new = old + shift
        for cluster, piece in zip(clusters, pieces, strict=True):
            if len(piece) != len(cluster):
                yield old, old + len(cluster), new, new + len(piece)
            old, new = old + len(cluster), new + len(piece)
        shift += len(normal) - len(span)


def _space_regions(characters: str, kind: str) -> Iterator[_Region]:
    """Yield the regions of ``characters`` whose length :func:`_read` changes."""
    pattern = _LONG_SPACES if kind == _AS_PRINTED else _LENGTH_CHANGES
    shift = 0
    for match in pattern.finditer(characters):
        start, end = match.span()
        size = 1
        if match.lastgroup == "hyphen":
            size = 0
            if kind == _HYPHENATED:
                start += 1  # the hyphen stays
        yield start, end, start + shift, start + shift + size
        shift += size - (end - start)
