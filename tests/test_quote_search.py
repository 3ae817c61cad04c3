"""The quick paths of the quote search answer exactly as the general ones they stand for."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import _quote_text
from benchmarkkit._quote_text import AS_PRINTED, JOINED, Reading, normalise_characters
from benchmarkkit._quotes import QuoteIndex, _one_part

#: Every character Python calls whitespace (str.split splits at each).
WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
WORDS = ["rights", "caf\u00e9", "\u0441\u0443\u0434", "well-known", "free", "_x", "9"]


@settings(max_examples=500)
@given(st.text(st.sampled_from([*WHITESPACE, "a", "\u00e9", "-", ".", "\x00"]) | st.characters()))
def test_one_part_is_the_quote_with_its_whitespace_collapsed(characters: str) -> None:
    assert _one_part(characters) == " ".join(characters.split())


def test_a_tidy_quote_is_its_own_part_and_not_copied() -> None:
    quote = "does not - and cannot - occur"
    assert _one_part(quote) is quote
    assert _one_part(" does\nnot ") == "does not"


@settings(max_examples=100)
@given(
    words=st.lists(st.sampled_from([*WORDS, "a-\nb", ".", ","]), min_size=1, max_size=40),
    parts=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3), max_size=30),
    limit=st.sampled_from([0, 1, _quote_text.SCAN_LIMIT]),
)
def test_contains_parts_answers_as_find_part_does_for_each(
    words: list[str], parts: list[list[str]], limit: int
) -> None:
    characters = normalise_characters(" ".join(words))
    wanted = [" ".join(part) for part in parts]
    # A small scan limit makes the batch go over to the word index part way through.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_quote_text, "SCAN_LIMIT", limit)
        for kind in (AS_PRINTED, JOINED):
            batch = Reading(characters, kind).contains_parts(wanted)
            one_by_one = [Reading(characters, kind).find_part(part, 0) >= 0 for part in wanted]
            assert batch == one_by_one


def test_quotes_with_typographic_characters_are_found_without_trying_every_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "The \u201cright\u201d to a fair trial was gov-\nernment policy."
    index = QuoteIndex(text)
    located: list[str] = []
    locate = QuoteIndex._locate

    def counted(self: QuoteIndex, characters: str) -> object:
        located.append(characters)
        return locate(self, characters)

    monkeypatch.setattr(QuoteIndex, "_locate", counted)
    quotes = [
        "The \u201cright\u201d to",
        "government policy",
        "gov- ernment",
        "a fair trial wasn't",
    ]
    assert index.contains_all(quotes) == [True, True, True, False]
    # Only the quote with a hyphen, and the one that does not occur, are looked for in
    # each reading in turn.
    assert located == ["gov- ernment", "a fair trial wasn't"]
