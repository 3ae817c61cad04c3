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
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate

import attrs

from benchmarkkit._quote_text import (
    AS_PRINTED,
    JOINED,
    LINE_END_HYPHEN,
    READINGS,
    WORD,
    OffsetMap,
    Reading,
    character_regions,
    join_line_ends,
    normalise_characters,
    normalize,
)

__all__ = ["RULES_VERSION", "QuoteIndex", "QuoteMatch", "QuoteMismatch", "find_quote", "normalize"]

#: The version of the matching rules above. Quotes verified under other rules are not
#: trusted (``_quote_cache``): raise it whenever a change could make a quote that occurred
#: no longer occur.
RULES_VERSION = 1

_ELLIPSIS = re.compile(r"\[\s*\.{3}\s*\]|\.{3,}")
# What a mismatch is told in: a word, or one sign that is neither a word character nor a space.
_TOKEN = re.compile(r"\w+|[^\w\s]")


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
        self._characters = normalise_characters(text)
        self._has_hyphens = LINE_END_HYPHEN.search(self._characters) is not None
        self._readings: dict[str, Reading] = {}
        self._map: OffsetMap | None = None
        self._line_starts: array[int] | None = None

    def __repr__(self) -> str:
        return f"<QuoteIndex of {len(self._text):,} characters>"

    def find(self, quote: str) -> QuoteMatch | None:
        """Return where ``quote`` first occurs in the text, or ``None``.

        Readings of line-end hyphens are tried as printed, joined, then
        hyphenated; the first that matches gives the position.
        """
        located = self._locate(normalise_characters(quote))
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
        characters = normalise_characters(quote)
        best: tuple[int, int, int, str, Reading] | None = None
        tried: set[tuple[int, tuple[str, ...]]] = set()
        for kind in READINGS:
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
        self, reading: Reading, index: int, part: str, position: int
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
        words_in_end = len(WORD.findall(part, cut))
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

    def _original(self, reading: Reading, offset: int, *, end: bool = True) -> int:
        """The offset in the original text of ``offset`` in ``reading``."""
        if self._map is None:
            self._map = OffsetMap(character_regions(self._text))
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

        Most quotes have neither a hyphen nor an ellipsis once normalised. Such
        a quote reads the same in every reading, and any reading it occurs in
        will do, so it is looked for first in the joined one, where it also
        occurs across a line-end hyphen (``government`` for ``govern-``,
        ``ment``): one scan where the readings in order would take two. Those
        are looked for together (:meth:`Reading.contains_parts`); the others,
        and those not found there, one by one in every reading.
        """
        normal = [normalise_characters(quote) for quote in quotes]
        plain: list[int] = []  # the quotes looked for in the joined reading, as one part
        parts: list[str] = []
        for number, characters in enumerate(normal):
            if "-" in characters or "..." in characters:
                continue  # read differently in each reading, or in parts
            part = _one_part(characters)
            if part:
                plain.append(number)
                parts.append(part)
        found = [False] * len(normal)
        for number, occurs in zip(plain, self._reading(JOINED).contains_parts(parts), strict=True):
            found[number] = occurs
        return [
            occurs or self._locate(characters) is not None
            for characters, occurs in zip(normal, found, strict=True)
        ]

    def _locate(self, characters: str) -> tuple[Reading, int, int] | None:
        """Where the quote whose characters are normalised (rule 2) occurs, in the first reading."""
        # Whether the quote has line-end hyphens of its own; found out when it matters.
        hyphens = None if self._has_hyphens else LINE_END_HYPHEN.search(characters) is not None
        readings = READINGS[:1] if hyphens is False else READINGS  # False: all read the same
        parts: list[str] = []
        for kind in readings:
            if kind != AS_PRINTED and hyphens is None:
                hyphens = LINE_END_HYPHEN.search(characters) is not None
            if not parts or hyphens:  # without hyphens, the quote reads the same every way
                parts = _parts(characters, kind)
                if not parts:
                    return None
            reading = self._reading(kind)
            span = reading.find(parts)
            if span is not None:
                return reading, *span
        return None

    def _reading(self, kind: str) -> Reading:
        if not self._has_hyphens:
            kind = AS_PRINTED
        reading = self._readings.get(kind)
        if reading is None:
            printed = None if kind == AS_PRINTED else self._reading(AS_PRINTED)
            reading = self._readings[kind] = Reading(self._characters, kind, printed)
        return reading


def _one_part(characters: str) -> str:
    """``" ".join(characters.split())``: the part a quote without ellipses is in every reading.

    A printable text holds no whitespace but spaces (every other whitespace
    character is a control character or a separator), so one without a run
    of spaces or a space at an edge is its own part: no list of words made.
    """
    if (
        characters.isprintable()
        and "  " not in characters
        and characters[:1] != " " != characters[-1:]
    ):
        return characters
    return " ".join(characters.split())


def _parts(characters: str, kind: str) -> list[str]:
    """The parts of a quote, between its ellipses, in one reading, each stripped (rules 1-3, 5)."""
    # What read gives, stripped: each part is stripped.
    words = _one_part(join_line_ends(characters, kind))
    if "..." not in words:  # every ellipsis has three dots in a row; most quotes have none
        return [words] if words else []
    return [stripped for part in _ELLIPSIS.split(words) if (stripped := part.strip())]


def _stop(reading: Reading, parts: list[str]) -> tuple[int, int, int, str] | None:
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
        at = reading.find_part(part, position)
        if at >= 0:
            position = at + len(part)
            continue
        return _longest_beginning(reading, index, part, position)
    return None


def _longest_beginning(
    reading: Reading, index: int, part: str, position: int
) -> tuple[int, int, int, str]:
    """:func:`_stop`'s answer for the part that does not occur, found after ``position``."""
    ends = [token.end() for token in _TOKEN.finditer(part)]
    low, low_at = _most_words(
        len(ends), lambda k: reading.find_part(part[: ends[k - 1]], position), position
    )
    return index, ends[low - 1] if low else 0, low_at, part


def _stop_from_end(reading: Reading, part: str, position: int) -> tuple[int, int] | None:
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
        len(starts), lambda k: reading.find_part(part[starts[k - 1] :], position), -1
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
