"""A quote that is not found says where it stops matching, and archives are what they say."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from benchmarkkit import validate
from benchmarkkit._quote_text import Reading, normalize
from benchmarkkit._quotes import QuoteIndex, QuoteMismatch
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, ROOT

ARCHIVE = "sources/2012-03-20-appeal-eu-kazakhstan.txt"
# The appeal's words, as the example quotes them in evidence 'ev-no-overall-progress'.
QUOTE = (
    "while the Kazakhstani authorities have taken some limited reform steps in the last few "
    "years, the impact of these have been outweighed by other repressive measures. As a result, "
    "there has beeen no meaningful overall progress on human rights protection in the country"
)
# The same quote with one word changed in the middle: "other" became "many".
NEAR_MISS = QUOTE.replace("outweighed by other", "outweighed by many")


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the quote search looks for in a reading, in order."""
    looked_for: list[str] = []
    find_part = Reading.find_part

    def counted(self: Reading, part: str, start: int) -> int:
        looked_for.append(part)
        return find_part(self, part, start)

    monkeypatch.setattr(Reading, "find_part", counted)
    return looked_for


@pytest.fixture(scope="module")
def appeal() -> QuoteIndex:
    return QuoteIndex((EXAMPLE / ARCHIVE).read_text(encoding="utf-8-sig"))


# -- where a quote stops matching ------------------------------------------------------------


def test_a_changed_word_is_named_with_the_archive_word_and_line(appeal: QuoteIndex) -> None:
    assert appeal.mismatch(NEAR_MISS) == QuoteMismatch(
        part=0,
        matched=NEAR_MISS[: NEAR_MISS.index(" many")],
        expected="many",
        found="other",
        line=23,
        column=704,
    )


def test_a_quote_that_occurs_has_no_mismatch(appeal: QuoteIndex) -> None:
    assert appeal.mismatch(QUOTE) is None


def test_a_misspelt_word_is_named_whole_not_letter_by_letter(appeal: QuoteIndex) -> None:
    corrected = "As a result, there has been no meaningful overall progress"
    mismatch = appeal.mismatch(corrected)
    assert mismatch is not None
    assert (mismatch.matched, mismatch.expected, mismatch.found) == (
        "As a result, there has",
        "been",
        "beeen",
    )


def test_a_changed_punctuation_sign_is_named(appeal: QuoteIndex) -> None:
    mismatch = appeal.mismatch("in the last few years; the impact of these")
    assert mismatch is not None
    assert (mismatch.matched, mismatch.expected, mismatch.found) == (
        "in the last few years",
        ";",
        ",",
    )


def test_a_space_before_punctuation_is_shown_as_the_difference() -> None:
    mismatch = QuoteIndex("reform, steps were taken").mismatch("reform , steps")
    assert mismatch is not None
    assert (mismatch.matched, mismatch.expected, mismatch.found) == ("reform", " ,", ",")


def test_a_quote_whose_first_word_is_nowhere_matches_nothing(appeal: QuoteIndex) -> None:
    assert appeal.mismatch("Qzxv Kazakhstani Yzzq") == QuoteMismatch(
        part=0, matched="", expected="Qzxv", found=None, line=None, column=None
    )


def test_a_wrong_first_word_is_found_by_matching_from_the_end(appeal: QuoteIndex) -> None:
    quote = "Zzz the Kazakhstani authorities have taken some limited reform steps"
    assert appeal.mismatch(quote) == QuoteMismatch(
        part=0,
        matched="",
        expected="Zzz",
        found="while",
        line=23,
        column=566,
        matched_end="the Kazakhstani authorities have taken some limited reform steps",
    )


def test_the_longest_matching_end_stops_at_the_word_that_differs(appeal: QuoteIndex) -> None:
    mismatch = appeal.mismatch("Zzz Yyy, while the Kazakhstani authorities")
    assert mismatch is not None
    # ", while ..." occurs too ("However, while ..."): the difference is the word before it.
    assert (mismatch.matched_end, mismatch.expected, mismatch.found) == (
        ", while the Kazakhstani authorities",
        "Yyy",
        "However",
    )
    assert (mismatch.line, mismatch.column) == (23, 557)


def test_a_matching_end_at_the_start_of_the_text_has_nothing_before_it() -> None:
    mismatch = QuoteIndex("reform steps were taken").mismatch("Some reform steps were taken")
    assert mismatch == QuoteMismatch(
        part=0,
        matched="",
        expected="Some",
        found=None,
        line=1,
        column=1,
        matched_end="reform steps were taken",
    )


def test_a_single_matching_last_word_is_not_taken_for_a_match() -> None:
    """One common word at the end says nothing; the quote still matches nothing."""
    mismatch = QuoteIndex("the law was passed").mismatch("Qzxv Yzzq Wvvx law")
    assert mismatch == QuoteMismatch(
        part=0, matched="", expected="Qzxv", found=None, line=None, column=None
    )


def test_the_end_is_found_in_the_same_bounded_number_of_lookups(
    lookups: list[str], appeal: QuoteIndex
) -> None:
    quote = "Zzz " + QUOTE
    words = len(quote.split())
    mismatch = appeal.mismatch(quote)
    assert mismatch is not None
    assert mismatch.matched_end == QUOTE
    # The first word once; then doubling and bisection from the end: no word-by-word search.
    assert len(lookups) <= 2 * (2 * math.ceil(math.log2(words + 3)) + 2)


def test_a_quote_running_past_the_end_of_the_text_says_the_text_ends() -> None:
    assert QuoteIndex("first line\nthe last words").mismatch("the last words and more") == (
        QuoteMismatch(
            part=0, matched="the last words", expected="and", found=None, line=2, column=15
        )
    )


def test_the_part_after_an_ellipsis_is_the_one_named(appeal: QuoteIndex) -> None:
    mismatch = appeal.mismatch("the Kazakhstani authorities ... outweighed by many repressive")
    assert mismatch is not None
    assert (mismatch.part, mismatch.matched, mismatch.expected, mismatch.found) == (
        1,
        "outweighed by",
        "many",
        "other",
    )
    assert (mismatch.line, mismatch.column) == (23, 704)


def test_a_part_after_an_ellipsis_is_looked_for_only_after_the_part_before() -> None:
    text = "alpha beta gamma. delta epsilon zeta."
    mismatch = QuoteIndex(text).mismatch("delta ... alpha beta")
    assert mismatch is not None
    assert (mismatch.part, mismatch.matched, mismatch.found) == (1, "", None)


def test_the_prefix_is_in_the_matchers_normal_form_and_the_line_in_the_original() -> None:
    # Curly quotes, a line break, an en dash and a non-breaking space in the text; straight
    # ones in the quote: the quote matches them, and stops at "may".
    text = (
        "Preamble.\n\u201cStrengthening relations does\n"
        "not \u2013 and\u00a0cannot \u2013 occur\u201d"
    )
    mismatch = QuoteIndex(text).mismatch('"Strengthening relations does not - and may not')
    assert mismatch == QuoteMismatch(
        part=0,
        matched='"Strengthening relations does not - and',
        expected="may",
        found="cannot",
        line=3,
        column=11,
    )


def test_a_line_end_hyphen_is_read_as_the_matcher_reads_it() -> None:
    text = "the Kazakhstani govern-\nment pledged to liberalize"
    mismatch = QuoteIndex(text).mismatch("the Kazakhstani government promised to liberalize")
    assert mismatch is not None
    assert (mismatch.matched, mismatch.expected, mismatch.found) == (
        "the Kazakhstani government",
        "promised",
        "pledged",
    )
    assert (mismatch.line, mismatch.column) == (2, 6)


def test_a_quote_that_occurs_only_as_printed_has_no_mismatch() -> None:
    index = QuoteIndex("the well-\nknown fact")
    assert index.mismatch("the well") is None
    mismatch = index.mismatch("the well and")
    assert mismatch is not None
    assert (mismatch.matched, mismatch.expected, mismatch.found) == ("the well", " and", "-")
    assert (mismatch.line, mismatch.column) == (1, 9)


WORDS = st.sampled_from(["the", "a", "reform", "steps", "EU", "has", "been", "beeen", "law"])
SIGNS = st.sampled_from([",", ".", ";", ""])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.tuples(WORDS, SIGNS), min_size=1, max_size=40))
    breaks = draw(st.lists(st.sampled_from([" ", " ", "\n", "  "]), min_size=len(words)))
    return "".join(word + sign + gap for (word, sign), gap in zip(words, breaks, strict=False))


@given(texts(), st.lists(st.tuples(WORDS, SIGNS), min_size=1, max_size=12))
def test_the_stop_is_true_under_the_matchers_normalisation(
    text: str, words: list[tuple[str, str]]
) -> None:
    """What matched occurs; one more word of the quote does not; the line shows the text's word."""
    quote = " ".join(word + sign for word, sign in words)
    index = QuoteIndex(text)
    assume(not index.contains(quote))
    mismatch = index.mismatch(quote)
    assert mismatch is not None
    assert normalize(quote).startswith(mismatch.matched)
    if mismatch.matched_end:
        _assert_the_end_is_true(text, index, normalize(quote), mismatch)
        return
    if not mismatch.matched:
        assert not index.contains(mismatch.expected)
        assert (mismatch.found, mismatch.line, mismatch.column) == (None, None, None)
        return
    assert index.contains(mismatch.matched)
    one_more = mismatch.matched + (" " if mismatch.expected[0] != " " else "") + mismatch.expected
    if not mismatch.expected.startswith(" ") and not normalize(quote).startswith(one_more):
        one_more = mismatch.matched + mismatch.expected  # punctuation right after the match
    assert normalize(quote).startswith(one_more.strip())
    assert not index.contains(one_more.strip())
    assert mismatch.line is not None
    assert mismatch.column is not None
    line = text.split("\n")[mismatch.line - 1]
    rest = line[mismatch.column - 1 :]
    if mismatch.found is None:
        assert rest.strip() == ""
    else:
        assert rest.startswith(mismatch.found.strip())


def _assert_the_end_is_true(
    text: str, index: QuoteIndex, quote: str, mismatch: QuoteMismatch
) -> None:
    """What matched at the end occurs; one more word or sign before it does not."""
    end = mismatch.matched_end
    assert not mismatch.matched
    assert quote.endswith(end)
    assert index.contains(end)
    before = quote[: len(quote) - len(end)].rstrip()  # a space before the end is no difference
    assert before.endswith(mismatch.expected.strip())
    one_more = quote[len(before) - len(mismatch.expected.strip()) :].strip()
    assert one_more.startswith(mismatch.expected.strip())
    assert not index.contains(one_more)
    assert mismatch.line is not None
    assert mismatch.column is not None
    rest = text.split("\n")[mismatch.line - 1][mismatch.column - 1 :]
    if mismatch.found is None:  # the end occurs where the text begins
        assert text[: text.index(rest)].strip() == ""
        assert rest.startswith(end.split(" ")[0])
    else:
        assert rest.startswith(mismatch.found.strip())


def test_the_work_per_quote_grows_with_the_log_of_its_length(
    lookups: list[str], appeal: QuoteIndex
) -> None:
    words = len(NEAR_MISS.split())
    assert appeal.mismatch(NEAR_MISS + " and so on") is not None
    # The whole quote once, then doubling and bisection over its words: no word-by-word search.
    assert len(lookups) <= 2 * math.ceil(math.log2(words + 3)) + 2


# -- what the user sees ------------------------------------------------------------------------


@pytest.fixture
def near_miss(tmp_path: Path) -> Path:
    """A copy of the example whose quote of the appeal has one word changed in the middle."""
    folder = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, folder)
    evidence = folder / "evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    line = "      the last few years, the impact of these have been outweighed by other\n"
    assert text.count(line) == 1
    evidence.write_text(text.replace(line, line.replace("other", "many")), "utf-8")
    return folder


EXPECTED_MESSAGE = (
    "evidence 'ev-no-overall-progress': the quote does not occur in the archived text of source "
    "'appeal': it matches as far as '...impact of these have been outweighed by', then has "
    f"'many' where the archived text has 'other' (line 23, column 704 of {ARCHIVE}). "
    f"The whole quote: {NEAR_MISS!r}"
)


def test_validate_names_the_changed_word_and_the_archive_line(
    near_miss: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", str(near_miss)])
    out = capsys.readouterr().out
    assert status == 1
    assert f"{near_miss}/evidence.yaml:31:5: quote-not-found {EXPECTED_MESSAGE}\n" in out
    assert out.endswith(f"{near_miss}: invalid: 1 error, 0 warnings, 2 info\n")


def test_the_json_report_holds_the_whole_quote_and_the_stop(
    near_miss: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["validate", str(near_miss), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert status == 1
    [problem] = [p for p in report["datasets"][0]["problems"] if p["severity"] == "error"]
    assert len(NEAR_MISS) > 200  # longer than the JSON report's values may be
    assert problem["value_truncated"] is True
    assert (problem["code"], problem["file"], problem["pointer"], problem["line"]) == (
        "quote-not-found",
        f"{near_miss}/evidence.yaml",
        "/evidence/0/quote",
        31,
    )
    assert problem["message"] == EXPECTED_MESSAGE
    assert problem["message"].endswith(f"The whole quote: {NEAR_MISS!r}")


def test_a_quote_with_no_word_in_the_archive_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, folder)
    evidence = folder / "evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    evidence.write_text(text.replace("      while the Kazakhstani", "      Qzxv the Kazakhstani"))
    [problem] = validate(folder).errors
    assert problem.message.startswith(
        "evidence 'ev-no-overall-progress': the quote does not occur in the archived text of "
        "source 'appeal': it matches from 'the Kazakhstani authorities have taken...' to "
        "the end, but not before: it has 'Qzxv' where the archived text has 'while' (line 23, "
        f"column 566 of {ARCHIVE}). The whole quote: 'Qzxv the "
    )


def test_a_quote_with_no_word_in_the_archive_at_either_end_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, folder)
    evidence = folder / "evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    quote = re.search(r"    quote: >-\n      while the Kazakhstani.*?country\n", text, re.DOTALL)
    assert quote is not None
    evidence.write_text(
        text.replace(quote.group(), "    quote: Qzxv Kazakhstani Yzzq\n"), encoding="utf-8"
    )
    [problem] = validate(folder).errors
    assert problem.message == (
        "evidence 'ev-no-overall-progress': the quote does not occur in the archived text of "
        "source 'appeal': it matches nothing: not even its first word 'Qzxv' occurs in it. The "
        "whole quote: 'Qzxv Kazakhstani Yzzq'"
    )


def test_a_quote_of_only_ellipses_says_it_has_nothing_to_look_for(tmp_path: Path) -> None:
    folder = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, folder)
    evidence = folder / "evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    quote = re.search(r"    quote: >-\n      while the Kazakhstani.*?country\n", text, re.DOTALL)
    assert quote is not None
    evidence.write_text(text.replace(quote.group(), "    quote: '...'\n"), encoding="utf-8")
    problems = [p for p in validate(folder).problems if p.code == "quote-not-found"]
    assert [(p.line, p.message) for p in problems] == [
        (
            31,
            (
                "evidence 'ev-no-overall-progress': the quote does not occur in the archived text "
                "of source 'appeal': it has nothing to look for but ellipses ('...') and spaces. "
                "The whole quote: '...'"
            ),
        )
    ]


# -- archives that are not files ---------------------------------------------------------------


def _with_archive(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example, and the path of the appeal's archive, removed."""
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    archive = folder / ARCHIVE
    archive.unlink()
    return folder, archive


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_as_archive_is_named_and_never_opened(tmp_path: Path) -> None:
    folder, archive = _with_archive(tmp_path)
    os.mkfifo(archive)
    # As a process with a time limit: opening a pipe that no one writes to would never end.
    result = subprocess.run(
        [sys.executable, "-m", "benchmarkkit", "validate", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert (
        f"{folder}/sources.yaml:34:5: archive-not-a-file source 'appeal': the archive '{ARCHIVE}' "
        "is a named pipe (FIFO), not a file; it was not read\n"
    ) in result.stdout
    assert "does not exist" not in result.stdout
    assert result.stdout.endswith(f"{folder}: invalid: 1 error, 0 warnings, 2 info\n")


def test_a_folder_as_archive_is_named_a_folder(tmp_path: Path) -> None:
    folder, archive = _with_archive(tmp_path)
    archive.mkdir()
    [problem] = validate(folder).errors
    assert (problem.code, problem.pointer, problem.message) == (
        "archive-not-a-file",
        "/sources/0/archive",
        f"source 'appeal': the archive '{ARCHIVE}' is a folder, not a file; it was not read",
    )


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: a socket's path must fit in about a hundred bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_as_archive_is_named_a_socket(short_tmp: Path) -> None:
    folder = short_tmp / "d"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(
        "schema_version: '1.0'\nid: d\ntitle: T\nsources:\n"
        "  - {id: s, title: S, kind: report, archive: s.txt}\n",
        encoding="utf-8",
    )
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(folder / "s.txt"))
        [problem] = validate(folder).problems
    assert (problem.code, problem.line) == ("archive-not-a-file", 5)
    assert (
        problem.message
        == "source 's': the archive 's.txt' is a socket, not a file; it was not read"
    )


def test_a_missing_archive_still_does_not_exist(tmp_path: Path) -> None:
    folder, _ = _with_archive(tmp_path)
    [problem] = validate(folder).errors
    assert problem.code == "archive-missing"
    assert re.search("does not exist in the dataset folder$", problem.message)
