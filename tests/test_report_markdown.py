"""The Markdown report: the committed example stays in sync, and no dataset string is markup."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from benchmarkkit import load_dataset
from benchmarkkit.cli import main
from benchmarkkit.reports import build_report, report_to_markdown
from benchmarkkit.reports._markdown import escape_markdown
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE, ROOT
from tests.test_report_html import (
    AS_OF,
    HOSTILE_TEXT,
    SAFE_URLS,
    example_with_more_dates,
    hostile_dataset,
)

COMMITTED = EXAMPLE / "report.md"
REGENERATE = (
    f"benchmarkkit report examples/kazakhstan-2012 --as-of {AS_OF} "
    "-o examples/kazakhstan-2012/report.md --force"
)


def _parser() -> MarkdownIt:
    """GitHub-like Markdown that links any address, so that no link syntax goes unnoticed."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _tokens(markdown: str) -> list[Token]:
    flat: list[Token] = []
    for token in _parser().parse(markdown):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


def _text(tokens: list[Token]) -> str:
    return " ".join(t.content for t in tokens if t.type in ("text", "code_inline"))


def _headings(tokens: list[Token]) -> list[tuple[str, str]]:
    found = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = next(t for t in tokens[index + 1 :] if t.type == "inline")
            text = "".join(c.content for c in inline.children or () if c.type == "text")
            found.append((token.tag, text))
    return found


def _check_tables(markdown: str) -> None:
    """Every row of every table has as many cells as its header: no "|" escaped a cell."""
    cells = None
    for line in markdown.splitlines():
        if not line.startswith("|"):
            cells = None
            continue
        count = len(re.findall(r"(?<!\\)\|", line))
        if cells is None:
            cells = count
        assert count == cells, line


def _check_inert(markdown: str) -> list[Token]:
    tokens = _tokens(markdown)
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block", "image"}, kinds
    hrefs = {str(t.attrs["href"]) for t in tokens if t.type == "link_open"}
    assert hrefs <= set(SAFE_URLS) | {"#commitments"}, hrefs
    _check_tables(markdown)
    return tokens


# -- the committed example -------------------------------------------------------------------


def test_committed_example_report_is_what_the_command_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.md"
    assert main(["report", str(EXAMPLE), "--as-of", AS_OF, "-o", str(target)]) == 0
    capsys.readouterr()
    expected = COMMITTED.read_text(encoding="utf-8")
    actual = target.read_text(encoding="utf-8")
    assert actual == expected, f"{COMMITTED} is out of date; regenerate it with: {REGENERATE}"


def test_committed_example_report_has_every_part_of_the_scorecard() -> None:
    markdown = COMMITTED.read_text(encoding="utf-8")
    tokens = _check_inert(markdown)
    dataset = load_dataset(EXAMPLE)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    headings = _headings(tokens)
    assert headings[0] == ("h1", dataset.title)
    sections = [text for tag, text in headings if tag == "h2"]
    assert sections == [
        "Verdict",
        "At a glance",
        "Gates",
        "Benchmarks",
        *(["Recommendations"] if report.recommendations else []),
        "Commitments",
        "Sources",
        "How each score was reached",
    ]
    assert [text for tag, text in headings if tag == "h3"] == [
        f"{dataset.gates[0].title}: FAIL",
        *(area.title for area in dataset.areas),
        *(section.title for section in report.recommendations),  # area by area, then the rest
    ]
    assert len([tag for tag, _ in headings if tag == "h4"]) == len(dataset.benchmarks)
    assert "> [!CAUTION]\n> **Gate fails: " in markdown
    text = _text(tokens)
    for evidence in dataset.evidence:
        if evidence.quote:
            assert " ".join(evidence.quote.split()) in text


def test_example_dataset_still_validates_with_the_report_beside_it() -> None:
    from benchmarkkit import validate

    assert validate(EXAMPLE).valid


# -- hostile strings -----------------------------------------------------------------------


def test_hostile_strings_stay_text_in_markdown() -> None:
    dataset = hostile_dataset()
    comparison = compare(dataset, "2012-01-15", AS_OF)
    report = build_report(dataset, comparison.scorecard_after, comparison=comparison)
    markdown = report_to_markdown(report)
    tokens = _check_inert(markdown)
    links = {str(t.attrs["href"]) for t in tokens if t.type == "link_open"}
    assert links == set(SAFE_URLS) | {"#commitments"}
    text = " ".join(_text(tokens).split())
    for hostile in HOSTILE_TEXT:
        # Reads as written, but for a zero-width space after the sign of "@someone #123".
        assert " ".join(hostile.split()) in text.replace("\u200b", ""), hostile
    # GitHub links mentions and issue numbers after rendering: the space stops both.
    assert "@someone" not in markdown
    assert "@\u200bsomeone" in markdown
    assert "#123" not in markdown
    assert "#\u200b123" in markdown
    # Only the report's own headings: a title, its sections, "What changed", gates, areas...
    levels = [tag for tag, _ in _headings(tokens)]
    assert levels.count("h1") == 1
    assert levels.count("h3") == 1 + len(dataset.gates) + len(dataset.areas)
    assert levels.count("h4") == len(dataset.benchmarks)
    assert "javascript:" not in "".join(str(t.attrs.get("href", "")) for t in tokens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. first", "1\\. first"),  # a backslash before the digit would be shown
        ("2) second", "2\\) second"),
        ("0.33", "0.33"),  # no list marker without a space after it
        ("- item", "\\- item"),
        ("-2+3", "-2+3"),
        ("---", "\\---"),
        ("= x", "\\= x"),
        ("# h", "\\# h"),
        ("> q", "\\> q"),
        ("a | b", "a \\| b"),
        ("@octocat, (@team) and @@x", "@\u200boctocat, (@\u200bteam) and @@\u200bx"),
        ("mail a@b.org or write@", "mail a@b.org or write@"),
        ("see #12, item#3, #a1", "see \\#\u200b12, item\\#3, \\#a1"),
    ],
)
def test_markdown_escaping_escapes_only_punctuation(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected
    tokens = _tokens(escape_markdown(text))
    assert _text(tokens).replace("\u200b", "") == text  # reads as written
    assert [t.type for t in tokens if t.type.endswith("_open")] == ["paragraph_open"]


# -- the command ---------------------------------------------------------------------------


def test_report_to_the_standard_output_is_markdown_with_the_timeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = example_with_more_dates(tmp_path / "example")
    status = main(
        ["report", str(folder), "--as-of", "2012-12-31", "--compare", "2012-03-20", "-o", "-"]
    )
    markdown = capsys.readouterr().out
    assert status == 0
    _check_inert(markdown)
    assert "\n## Scores over time\n" in markdown
    assert "| | 2012-03-20 | 2012-06-30 | 2012-11-30 | 2012-12-31 | Trend |" in markdown
    assert "\n## Change from 2012-03-20 to 2012-12-31\n\n### What changed\n" in markdown
    assert (
        "| Natalia Sokolova's conviction overturned and her ban lifted (benchmark) | ▲ improved |"
        in markdown
    )


def test_only_the_report_command_imports_jinja2() -> None:
    program = (
        "import json, sys\nfrom benchmarkkit.cli import main\n"
        "main(sys.argv[1:])\nprint(json.dumps('jinja2' in sys.modules))"
    )

    def jinja_loaded(*args: str) -> bool:
        result = subprocess.run(
            [sys.executable, "-c", program, *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
        loaded: bool = json.loads(result.stdout.splitlines()[-1])
        return loaded

    assert not jinja_loaded("score", str(EXAMPLE), "--as-of", AS_OF, "--format", "json")
    assert not jinja_loaded("validate", str(EXAMPLE))
    assert jinja_loaded("report", str(EXAMPLE), "--as-of", AS_OF, "-o", "-")


def test_summary_fits_a_pull_request_comment() -> None:
    dataset = load_dataset(EXAMPLE)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    summary = report_to_markdown(report, details=False)
    assert len(summary) < 65_536 // 4
    _check_inert(summary)
    sections = [text for tag, text in _headings(_tokens(summary)) if tag == "h2"]
    assert sections == ["Verdict", "At a glance", "Gates", "How each score was reached"]
    assert 'Source "Appeal to the EU: Use new cooperation agreement' in summary
    full = report_to_markdown(report)
    assert full.startswith(summary[: summary.index("## Gates")])


def test_markdown_report_of_a_scorecard_alone_has_no_timeline() -> None:
    dataset = load_dataset(EXAMPLE)
    markdown = report_to_markdown(build_report(dataset, score(dataset, as_of=AS_OF)))
    assert "## Scores over time" not in markdown
    assert "## Change from" not in markdown
