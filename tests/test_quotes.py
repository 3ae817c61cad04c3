"""Quotes are found in their source's text despite extraction noise, and only when verbatim."""

from __future__ import annotations

import doctest
import re
import string
import unicodedata
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmarkkit import _quote_text, _quotes
from benchmarkkit._model import COLLECTIONS
from benchmarkkit._quotes import QuoteIndex, QuoteMatch, find_quote, normalize
from benchmarkkit._references import record_classes
from benchmarkkit._sources import _NESTED_QUOTES, _QUOTED

# Paragraphs copied verbatim from the appeal (examples/kazakhstan-2012/sources/
# 2012-03-20-appeal-eu-kazakhstan.txt), so that these tests need no file. The en
# dashes are written as escapes because the linter flags them as ambiguous.
STATEMENT = (
    "According to a statement delivered on behalf of EU High Representative for Foreign Affairs "
    'Catherine Ashton on 14 March 2012, "strengthening EU-Kazakhstan relations does not \u2013 '
    'and cannot \u2013 occur independently from the progress of political reforms in Kazakhstan."'
)
FOOTNOTE = (
    "The objective should be to hold the Kazakhstani government accountable to international "
    "human rights standards, recommendations made by international\n\n\n\n^{*} This publication "
    "has been partly produced with the assistance of the European Union. The contents of this "
    "publication are the sole responsibility of the three NGOs issuing it and can in no way be "
    "taken to reflect the views of the European Union.\n\nhuman rights bodies overseeing "
    "compliance with such standards, as well as the government's own reform promises."
)
STEADY = (
    'Later it committed itself to continuing to make "steady" progress, including by implementing '
    'the 2009-2012 National Human Rights Action Plan in "close cooperation" with "civil society '
    'groups as well as foreign government and non-government actors." However, while the '
    "Kazakhstani authorities have taken some limited reform steps in the last few years, the "
    "impact of these have been outweighed by other repressive measures. As a result, there has "
    "beeen no meaningful overall progress on human rights protection in the country."
)
NAZARBAEV = (
    "President Nazarbaev ordered that the events be investigated in a thorough and transparent "
    'way, "if need be" with the involvement of\n\nindependent experts. The EU has supported this '
    'call, emphasizing the importance of ensuring "full respect for human rights."'
)
VZGLIAD = (
    "It was welcome that Igor Viniavskii, chief editor of the opposition *Vzgliad* newspaper who "
    "had been held in for custody since January 2012, was amnestied and released on 15 March 2012."
)
APPEAL = "\n\n".join([STATEMENT, FOOTNOTE, STEADY, NAZARBAEV, VZGLIAD])
INDEX = QuoteIndex(APPEAL)
# The same words as the appeal, reflowed with line-end hyphens (the appeal itself has none).
HYPHENATED = (
    "the Kazakhstani govern-\nment pledged to liberalize legislation on media, Use new\n"
    "cooperation agreement to push for follow- \n  through on Kazakhstan's promises 2009-\n2012"
)
ARCHIVE = (
    Path(__file__).resolve().parents[1]
    / "examples/kazakhstan-2012/sources/2012-03-20-appeal-eu-kazakhstan.txt"
)


def original(match: QuoteMatch | None, text: str = APPEAL) -> str | None:
    return None if match is None else text[match.start : match.end]


@pytest.mark.skipif(not ARCHIVE.is_file(), reason="the example's archived text is not here")
@pytest.mark.parametrize("paragraph", [STATEMENT, FOOTNOTE, STEADY, NAZARBAEV, VZGLIAD])
def test_the_copied_paragraphs_are_verbatim_from_the_appeal(paragraph: str) -> None:
    assert paragraph in ARCHIVE.read_text(encoding="utf-8")


def test_the_docstring_examples_hold() -> None:
    assert doctest.testmod(_quotes).failed == 0
    assert doctest.testmod(_quote_text).failed == 0


# -- rule 1: whitespace ------------------------------------------------------------------


def test_a_quote_across_a_blank_line_is_found_where_it_starts() -> None:
    match = INDEX.find("with the involvement of independent experts")
    assert original(match) == "with the involvement of\n\nindependent experts"
    assert match is not None
    before = APPEAL[: match.start]
    assert (before.count("\n") + 1, len(before) - before.rfind("\n")) == (match.line, match.column)


def test_a_match_gives_offsets_line_and_column_in_the_original_text() -> None:
    expected = QuoteMatch(start=7, end=10, line=3, column=5)
    assert expected == find_quote('"c"', "a\n\n  b \u201cc\u201d d")


def test_tabs_unicode_spaces_and_runs_of_whitespace_equal_one_space() -> None:
    quote = "  with\tthe\u00a0involvement\u2009of \u3000 independent\r\nexperts \n"
    assert original(INDEX.find(quote)) == "with the involvement of\n\nindependent experts"


def test_a_quote_across_the_page_break_may_include_the_footnote() -> None:
    quote = "recommendations made by international ^{*} This publication has been"
    assert INDEX.contains(quote)


def test_a_quote_that_leaves_out_the_footnote_is_not_found() -> None:
    assert not INDEX.contains("made by international human rights bodies overseeing compliance")


# -- rule 2: typographic characters and NFKC ---------------------------------------------


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2014", "\u2212", "\u2010", "\u2015"])
def test_any_dash_equals_the_en_dash_of_the_text(dash: str) -> None:
    match = INDEX.find(f"does not {dash} and cannot {dash} occur")
    assert original(match) == "does not \u2013 and cannot \u2013 occur"


@pytest.mark.parametrize(
    "quote",
    [
        "to make \u201csteady\u201d progress",
        "to make \u201esteady\u201f progress",
        "to make \u00absteady\u00bb progress",
        "to make \u2033steady\u2033 progress",
        "to make \uff02steady\uff02 progress",
    ],
)
def test_typographic_double_quotes_equal_straight_ones(quote: str) -> None:
    assert original(INDEX.find(quote)) == 'to make "steady" progress'


def test_a_curly_apostrophe_equals_a_straight_one() -> None:
    assert INDEX.contains("as well as the government\u2019s own reform promises.")


def test_full_width_letters_equal_ascii_ones() -> None:
    assert INDEX.contains("\uff25\uff35 High Representative")


def test_a_ligature_equals_its_letters_and_is_returned_whole() -> None:
    text = "the \ufb01nal report, \u201c\ufb01ne\u201d"
    assert original(find_quote("final report", text), text) == "\ufb01nal report"
    assert original(find_quote('"fine"', text), text) == "\u201c\ufb01ne\u201d"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u201cA\u201d \u2013 \u2018b\u2019", "\"A\" - 'b'"),
        ("\ufb01 \uff21 \u2026", "fi A ..."),
        ("e\u0301", "\u00e9"),
        (" \n\ta\u00a0\u2003b\r\n", "a b"),
    ],
)
def test_normalize_gives_the_canonical_form(text: str, expected: str) -> None:
    assert normalize(text) == expected


# -- rule 3: line-end hyphens --------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("Kazakhstani government pledged", "Kazakhstani govern-\nment pledged"),
        ("Kazakhstani govern-ment pledged", "Kazakhstani govern-\nment pledged"),
        ("Kazakhstani govern- ment pledged", "Kazakhstani govern-\nment pledged"),
        ("push for follow-through on", "push for follow- \n  through on"),
        ("push for followthrough on", "push for follow- \n  through on"),
    ],
)
def test_a_line_end_hyphen_may_be_joined_kept_or_left_as_printed(quote: str, expected: str) -> None:
    assert original(find_quote(quote, HYPHENATED), HYPHENATED) == expected


def test_a_quote_with_a_line_end_hyphen_of_its_own_matches_the_joined_word() -> None:
    assert find_quote("the Kazakh-\nstani government", "the Kazakhstani government") is not None


def test_a_hyphen_between_digits_or_before_a_blank_line_is_not_a_line_end_hyphen() -> None:
    assert find_quote("promises 20092012", HYPHENATED) is None
    assert find_quote("government pledged", "govern-\n\nment pledged") is None


def test_one_quote_cannot_join_one_line_end_hyphen_and_keep_another() -> None:
    text = "a govern-\nment and a well-\nknown fact"
    assert find_quote("a government and a wellknown fact", text) is not None
    assert find_quote("a govern-ment and a well-known fact", text) is not None
    assert find_quote("a government and a well-known fact", text) is None


# -- rule 4: words are exact -----------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "there has been no meaningful overall progress",
        "TheEU has supported this call",
        "the EU has supported this call",
        "THERE HAS BEEEN",
        "rogress on human rights",
        "meaningful overall progr",
        "rogress",
        "the opposition Vzgliad newspaper",
        "the opposition *Vzglia",
    ],
)
def test_a_quote_whose_words_differ_from_the_text_is_not_found(quote: str) -> None:
    assert INDEX.find(quote) is None
    assert not INDEX.contains(quote)


@pytest.mark.parametrize(
    "quote",
    [
        "there has beeen no meaningful overall progress",
        "The EU has supported this call",
        '"steady"',
        "progress,",
        ", including by implementing",
        "the opposition *Vzgliad* newspaper",
        "*Vzgliad*",
        "in Kazakhstan.",
    ],
)
def test_a_verbatim_quote_with_punctuation_at_its_edges_is_found(quote: str) -> None:
    match = INDEX.find(quote)
    assert original(match) == quote


# -- rule 5: ellipses ------------------------------------------------------------------------


@pytest.mark.parametrize("ellipsis", ["...", "\u2026", "[...]", "[\u2026]", "[ ... ]", "...."])
def test_an_ellipsis_skips_the_footnote(ellipsis: str) -> None:
    quote = f"recommendations made by international {ellipsis} human rights bodies overseeing"
    match = INDEX.find(quote)
    assert match is not None
    found = APPEAL[match.start : match.end]
    assert found.startswith("recommendations made by international\n\n\n\n^{*} This")
    assert found.endswith("European Union.\n\nhuman rights bodies overseeing")


def test_ellipsis_parts_must_occur_in_order() -> None:
    assert INDEX.contains("does not [...] occur independently")
    assert not INDEX.contains("occur independently [...] does not")


def test_ellipsis_parts_must_not_overlap() -> None:
    assert INDEX.contains("no meaningful ... progress on human rights")
    assert not INDEX.contains("no meaningful ... meaningful overall")


def test_each_ellipsis_part_starts_and_ends_at_word_boundaries() -> None:
    assert not INDEX.contains("there has bee... progress")
    assert INDEX.contains("there has ... progress")


@pytest.mark.parametrize("quote", ["", "   \n", "...", "\u2026", "[...] \u2026 [\u2026]"])
def test_a_quote_of_only_ellipses_and_whitespace_matches_nothing(quote: str) -> None:
    assert INDEX.find(quote) is None
    assert not INDEX.contains(quote)


def test_a_part_without_words_is_found_too() -> None:
    assert find_quote("--", "a \u2014\u2014 b") == QuoteMatch(start=2, end=4, line=1, column=3)
    assert find_quote("a ... --", "a b") is None


# -- rule 6: the text is prepared once ---------------------------------------------------------


def test_the_word_index_is_built_once_per_reading_and_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[str] = []

    def counting(text: str) -> dict[str, list[int]]:
        built.append(text)
        return index_words(text)

    index_words = _quote_text.index_words
    monkeypatch.setattr(_quote_text, "index_words", counting)
    appeal = QuoteIndex(APPEAL)
    assert built == []
    for _ in range(3):  # a few quotes are answered by reading the text: no index yet
        assert appeal.contains("there has beeen no meaningful overall progress")
        assert appeal.find("does not \u2013 and cannot \u2013 occur") is not None
        assert not appeal.contains("there has been no meaningful overall progress")
    assert built == []
    for _ in range(2 * _quote_text.SCAN_LIMIT):  # many quotes: the index is built, once
        assert appeal.contains("there has beeen no meaningful overall progress")
        assert appeal.find("does not \u2013 and cannot \u2013 occur") is not None
        assert not appeal.contains("there has been no meaningful overall progress")
    assert len(built) == 1
    hyphenated = QuoteIndex(HYPHENATED)
    for _ in range(2 * _quote_text.SCAN_LIMIT):
        assert hyphenated.contains("push for followthrough on")
        assert hyphenated.contains("push for follow-through on")
    assert len(built) == 4  # one more for each of the three readings


def test_contains_maps_no_offset_back_to_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("an offset map was built")

    monkeypatch.setattr(_quotes, "character_regions", refuse)
    monkeypatch.setattr(_quote_text, "space_regions", refuse)
    assert INDEX.contains("with the involvement of independent experts")
    assert QuoteIndex(HYPHENATED).contains("Kazakhstani government pledged")


def test_the_index_has_a_short_repr() -> None:
    assert repr(QuoteIndex("abc")) == "<QuoteIndex of 3 characters>"


# -- properties -------------------------------------------------------------------------------

WORDS = st.one_of(
    st.text(string.ascii_letters, min_size=1, max_size=6),
    st.sampled_from(
        [
            "the",
            "EU",
            "progress",
            "\u201csteady\u201d",
            "Kazakhstan\u2019s",
            "\u2013",
            "\ufb01nal",
            "cafe\u0301",
            "na\u00efve",
            "\uff25\uff35",
            "2009-2012",
            "co-",
            "*Vzgliad*",
            "(PCA)",
        ]
    ),
)
GAPS = st.text(" \t\n\u00a0\u2009\u3000", min_size=1, max_size=4)


@st.composite
def reflowed_texts(draw: st.DrawFn) -> tuple[list[str], str]:
    words = draw(st.lists(WORDS, min_size=1, max_size=30))
    gaps = draw(st.lists(GAPS, min_size=len(words) + 1, max_size=len(words) + 1))
    text = gaps[0] + "".join(word + gap for word, gap in zip(words, gaps[1:], strict=True))
    return words, text


@given(reflowed_texts(), st.data())
def test_any_run_of_words_is_found_however_the_text_is_reflowed(
    words_and_text: tuple[list[str], str], data: st.DataObject
) -> None:
    words, text = words_and_text
    start = data.draw(st.integers(0, len(words) - 1))
    stop = data.draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:stop])
    match = QuoteIndex(text).find(quote)
    assert match is not None
    assert normalize(text[match.start : match.end]) == normalize(quote)
    before = text[: match.start]
    assert (before.count("\n") + 1, len(before) - before.rfind("\n")) == (match.line, match.column)


@given(
    st.lists(st.text("abcdefgh", min_size=1, max_size=5), min_size=1, max_size=25),
    GAPS,
    st.data(),
)
def test_changing_one_letter_of_a_word_makes_the_quote_not_found(
    words: list[str], gap: str, data: st.DataObject
) -> None:
    text = gap.join(words)
    start = data.draw(st.integers(0, len(words) - 1))
    stop = data.draw(st.integers(start + 1, len(words)))
    quoted = words[start:stop]
    which = data.draw(st.integers(0, len(quoted) - 1))
    position = data.draw(st.integers(0, len(quoted[which]) - 1))
    letter = data.draw(
        st.sampled_from(string.ascii_letters).filter(lambda c: c != quoted[which][position])
    )
    changed = quoted[which][:position] + letter + quoted[which][position + 1 :]
    assume(changed not in words)
    quoted[which] = changed
    assert not QuoteIndex(text).contains(" ".join(quoted))


@given(
    st.lists(
        st.tuples(
            st.text("abc\u00e9", min_size=1, max_size=4),
            st.sampled_from([" ", "\n", "-\n", "- \n  ", "\u2013\n"]),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["", "-"]),
    st.data(),
)
def test_a_run_of_words_is_found_with_its_line_end_hyphens_joined_or_kept(
    pairs: list[tuple[str, str]], reading: str, data: st.DataObject
) -> None:
    text = "".join(word + gap for word, gap in pairs)
    start = data.draw(st.integers(0, len(pairs) - 1))
    stop = data.draw(st.integers(start + 1, len(pairs)))
    # The quote starts and ends with whole words: not next to a line-end hyphen.
    assume(start == 0 or pairs[start - 1][1].isspace())
    assume(stop == len(pairs) or pairs[stop - 1][1].isspace())
    quote = "".join(word + gap for word, gap in pairs[start:stop]).rstrip("-\u2013 \n")
    quote = re.sub(r"[-\u2013][^\S\n]*\n\s*", reading, quote)
    assert QuoteIndex(text).contains(quote)
    assert reference_find(quote, text) is not None


# A naive reference: both sides normalised whole, each reading tried, each part of the
# quote searched for with a regular expression that checks the word boundaries.
_READINGS = {
    "as printed": None,
    "joined": "",
    "hyphenated": "-",
}
_BREAK = re.compile(r"(?<=[^\W\d_])[-\u2013][^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*(?=[^\W\d_])")
_ELLIPSIS = re.compile(r"\[\s*\.{3}\s*\]|\.{3,}")


def read(text: str, reading: str) -> str:
    replacement = _READINGS[reading]
    text = unicodedata.normalize("NFKC", text)
    return normalize(text if replacement is None else _BREAK.sub(replacement, text))


def reference_find(quote: str, text: str) -> tuple[str, int, int] | None:
    for reading in _READINGS:
        haystack = read(text, reading)
        parts = [part.strip() for part in _ELLIPSIS.split(read(quote, reading))]
        parts = [part for part in parts if part]
        if not parts:
            return None
        position = 0
        spans: list[tuple[int, int]] = []
        for part in parts:
            before = r"(?<!\w)" if re.match(r"\w", part) else ""
            after = r"(?!\w)" if re.match(r".*\w\Z", part, re.DOTALL) else ""
            found = re.compile(before + re.escape(part) + after).search(haystack, position)
            if found is None:
                break
            spans.append(found.span())
            position = found.end()
        else:
            return reading, spans[0][0], spans[-1][1]
    return None


LETTERS = ["a", "b", "ab", "ba", "A", "1", "\u00e9", "\ufb01", "\u0301"]
SPACES = [" ", "  ", "\n", "\t", "\u00a0"]
MARKS = ["-", "-\n", "- \n ", "\u2013", ".", ",", "'", '"', "\u201c", "\u201d", "*", "\u2026"]
PIECES = st.sampled_from([*LETTERS, *SPACES, *MARKS])
ELLIPSES = st.sampled_from(["...", "\u2026", "[...]", " [\u2026] "])
# Texts of any of these pieces, and texts of words with many line-end hyphens between them.
TEXTS = st.lists(PIECES, max_size=40).map("".join) | st.lists(
    st.tuples(
        st.sampled_from(["ab", "ba", "a", "b", "A", "\u00e9", "\ufb01", "1"]),
        st.sampled_from([" ", "\n", "-\n", "- \n ", "-", "\u2013\n", "  ", ", "]),
    ),
    max_size=20,
).map(lambda pairs: "".join(word + gap for word, gap in pairs))


@st.composite
def quotes_for(draw: st.DrawFn, text: str) -> str:
    if text and draw(st.booleans()):
        start = draw(st.integers(0, len(text) - 1))
        quote = text[start : draw(st.integers(start + 1, len(text)))]
        if len(quote) > 1 and draw(st.booleans()):
            cut = draw(st.integers(1, len(quote) - 1))
            skip = draw(st.integers(0, len(quote) - cut))
            quote = quote[:cut] + draw(ELLIPSES) + quote[cut + skip :]
        if draw(st.booleans()):  # join or keep the hyphens at line ends
            quote = re.sub(r"-[^\S\n]*\n\s*", draw(st.sampled_from(["", "-"])), quote)
        return quote
    return "".join(draw(st.lists(PIECES | ELLIPSES, max_size=6)))


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_find_agrees_with_a_naive_reference(text: str, data: st.DataObject) -> None:
    quote = data.draw(quotes_for(text))
    expected = reference_find(quote, text)
    index = QuoteIndex(text)
    match = index.find(quote)
    assert (match is None) == (expected is None)
    assert index.contains(quote) == (expected is not None)
    if match is not None and expected is not None and expected[0] == "as printed":
        # The offsets in the original text are where the normalised match is, except that
        # a character that normalising expands or merges (an ellipsis, e + accent) is taken whole.
        def normalised_offset(offset: int) -> int:
            return len(normalize(text[:offset] + "\0")) - 1

        start, end = normalised_offset(match.start), normalised_offset(match.end)
        assert start <= expected[1]
        assert end >= expected[2]
        if "\u2026" not in text and "\u0301" not in text:
            assert (start, end) == expected[1:]


@settings(max_examples=50)
@given(TEXTS, st.data())
def test_contains_all_answers_as_each_quote_alone_would(text: str, data: st.DataObject) -> None:
    # Enough quotes that one batch goes from scanning the text to its word index.
    quotes = data.draw(st.lists(quotes_for(text), min_size=1, max_size=5))
    batch = quotes * (2 * _quote_text.SCAN_LIMIT)
    assert QuoteIndex(text).contains_all(batch) == [
        reference_find(quote, text) is not None for quote in batch
    ]


def test_a_quote_with_a_line_end_hyphen_of_its_own_is_not_taken_as_printed_in_the_joined_text() -> (
    None
):
    # Read joined, the quote is "ab government"; as printed, the text is "govern- ment".
    # Neither reading holds the quote, though the joined text holds it as printed.
    text, quote = "x a- b govern-\nment y", "a-\nb government"
    assert reference_find(quote, text) is None
    assert not QuoteIndex(text).contains(quote)
    assert QuoteIndex(text).contains_all([quote, "a- b government"]) == [False, True]


def test_every_record_with_a_quote_has_it_checked() -> None:
    """The quoted collections, and the nested records with a quote, are every one the model has."""
    with_quote = {c for c, cls in COLLECTIONS.items() if "quote" in attrs.fields_dict(cls)}
    assert set(_QUOTED) == with_quote
    nested = {
        (collection, field.name)
        for collection in with_quote
        for field in attrs.fields(COLLECTIONS[collection])
        for inner in record_classes([COLLECTIONS[collection]])
        if inner is not COLLECTIONS[collection]
        and "quote" in attrs.fields_dict(inner)
        and inner.__name__ in str(field.type)
    }
    assert nested == {(c, field) for c, (field, _) in _NESTED_QUOTES.items()}
