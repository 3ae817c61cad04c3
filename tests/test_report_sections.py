"""Every section of both report formats says what it should, in words, never as a Python repr.

The HTML page is read the way a person sees it (text nodes, and the title,
alt and aria-label attributes); the Markdown is rendered with markdown-it-py
and its text read. Reports are rendered without and with a comparison, with
gates (one that changes its verdict), and with scores on several dates.
"""

from __future__ import annotations

import html.parser
import re
from typing import Any

import attrs
import pytest
from markdown_it import MarkdownIt

from benchmarkkit import Dataset, load_dataset, structure, validate_data
from benchmarkkit.reports import Report, build_report, report_to_html, report_to_markdown
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE
from tests.test_report_html import example_with_more_dates

#: What a Python object looks like when it is printed instead of put in words.
REPR = re.compile(
    r"\b[A-Z]\w*\(\w+=|\bNone\b|object at 0x|<\w+(\.\w+)*: |\b[A-Z]\w*\.[A-Z][A-Z_]+\b"
)
#: The sections of the HTML page, by id, and the headings of the Markdown's sections.
HTML_SECTIONS = ("top", "verdict", "glance", "over-time", "changes", "gates", "benchmarks",
                 "sources", "method")  # fmt: skip


class _Visible(html.parser.HTMLParser):
    """The text a person sees on the page, section by section."""

    SEEN_ATTRIBUTES = ("title", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {"head": []}
        self._open: list[tuple[str, str | None]] = []

    def _section(self) -> str:
        found = [section for _, section in self._open if section is not None]
        return found[-1] if found else "head"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        section = values.get("id") if values.get("id") in HTML_SECTIONS else None
        if tag == "footer":
            section = "footer"
        if tag not in ("meta", "link", "br", "hr", "img", "input", "wbr", "col", "source"):
            self._open.append((tag, section))
        for name in self.SEEN_ATTRIBUTES:
            value = values.get(name)
            if value is not None and tag != "meta":
                self.sections.setdefault(section or self._section(), []).append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if any(tag == "style" for tag, _ in self._open):
            return
        if data.strip():
            self.sections.setdefault(self._section(), []).append(data)


def html_sections(page: str) -> dict[str, str]:
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return {name: " ".join(" ".join(parts).split()) for name, parts in parser.sections.items()}


def markdown_sections(markdown: str) -> dict[str, str]:
    """The text of each part under a level-two heading (the title's part is ``top``)."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    sections: dict[str, list[str]] = {"top": []}
    current = "top"
    tokens = parser.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            current = "".join(c.content for c in tokens[index + 1].children or ())
            sections[current] = []
        if token.type == "inline":
            sections[current].extend(
                child.content for child in token.children or () if child.content
            )
    return {name: " ".join(" ".join(parts).split()) for name, parts in sections.items()}


def gate_change_dataset() -> Dataset:
    """A small dataset whose gate fails on the earlier date and passes on the later one."""
    document: dict[str, Any] = {
        "schema_version": "1.0",
        "id": "gates",
        "title": "Gate test",
        "areas": [{"id": "a", "title": "Courts"}],
        "benchmarks": [
            {"id": "b", "title": "Fair trials", "statement": "Trials are fair.", "area": "a",
             "type": "outcome"},
            {"id": "b2", "title": "Open hearings", "statement": "Hearings are open.",
             "area": "a", "type": "outcome"},
        ],
        "assessments": [
            {"id": "as1", "benchmark": "b", "as_of": "2012-01-01", "scale": "ogp-completion",
             "level": "limited", "assessor": "Editors", "rationale": "Few trials were fair."},
            {"id": "as2", "benchmark": "b", "as_of": "2012-03-01", "scale": "ogp-completion",
             "level": "complete", "assessor": "Editors", "rationale": "All trials were fair."},
        ],
        "gates": [
            {"id": "g", "title": "Trials gate", "applies_to": "Further support",
             "condition": {"kind": "all-of", "conditions": [
                 {"kind": "benchmark", "benchmark": "b", "minimum_score": 0.5},
                 {"kind": "benchmark", "benchmark": "b2", "minimum_score": 0.5,
                  "label": "Hearings are open"},
             ]}},
            {"id": "g2", "title": "Fair trials gate", "applies_to": "Praise",
             "condition": {"kind": "benchmark", "benchmark": "b", "minimum_score": 0.5}},
        ],
    }  # fmt: skip
    problems = [p for p in validate_data(document).problems if p.severity.value == "error"]
    assert problems == [], [str(p) for p in problems]
    return structure(document, Dataset)


def _report(dataset: Dataset, as_of: str, before: str | None, *, timeline: bool) -> Report:
    comparison = compare(dataset, before, as_of) if before else None
    card = comparison.scorecard_after if comparison else score(dataset, as_of=as_of)
    done = {card.as_of} | ({comparison.before} if comparison else set())
    history = [
        score(dataset, as_of=day)
        for day in (history_dates(dataset, card.as_of, also=done) if timeline else ())
        if day not in done
    ]
    return build_report(dataset, card, comparison=comparison, history=history)


@pytest.fixture(scope="module")
def more_dates(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(example_with_more_dates(tmp_path_factory.mktemp("more") / "example"))


CASES = {
    "example": ("example", "2012-03-20", None, False),
    "example, compared": ("example", "2012-03-20", "2012-01-01", False),
    "several dates, compared": ("more", "2012-12-31", "2012-01-01", True),
    "several dates": ("more", "2012-12-31", None, True),
    "gate changes": ("gates", "2012-03-20", "2012-01-15", False),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest, more_dates: Dataset) -> tuple[Report, str, str, str]:
    """A report, and its HTML, full Markdown and summary Markdown."""
    which, as_of, before, timeline = CASES[request.param]
    dataset = {"example": load_dataset(EXAMPLE), "more": more_dates}.get(which)
    report = _report(dataset or gate_change_dataset(), as_of, before, timeline=timeline)
    return (
        report,
        report_to_html(report),
        report_to_markdown(report),
        report_to_markdown(report, details=False),
    )


def test_no_visible_text_is_a_python_repr(case: tuple[Report, str, str, str]) -> None:
    _, page, markdown, summary = case
    texts = {
        **{f"html {k}": v for k, v in html_sections(page).items()},
        **{f"markdown {k}": v for k, v in markdown_sections(markdown).items()},
        **{f"summary {k}": v for k, v in markdown_sections(summary).items()},
    }
    leaks = {
        name: text[max(0, match.start() - 60) : match.end() + 60]
        for name, text in texts.items()
        if (match := REPR.search(text))
    }
    assert leaks == {}


def test_every_section_says_what_it_should(case: tuple[Report, str, str, str]) -> None:
    report, page, markdown, _ = case
    shown = html_sections(page)
    written = markdown_sections(markdown)
    as_of = report.as_of.isoformat()
    assert report.title in shown["top"]
    assert f"As of {as_of}" in shown["top"]
    assert written["top"].startswith(report.title)
    assert f"Overall score {report.overall_text}" in shown["verdict"]
    for gate in report.gates:
        assert f"Gate {gate.verdict_label} {gate.title}" in shown["verdict"]
        assert f"{gate.title} {gate.verdict_label}" in shown["gates"]
        assert f"Gate {gate.verdict_label.lower()}: {gate.title}" in written["Verdict"]
    for area in report.areas:
        assert area.title in shown["glance"]
        assert f"{area.title} score {area.score_text}" in shown["benchmarks"]
        assert area.title in written["At a glance"]
    for benchmark in report.benchmarks:
        assert benchmark.title in shown["benchmarks"]
        assert benchmark.title in written["Benchmarks"]
    for source in report.sources:
        assert source.title in shown["sources"]
    assert report.method.fingerprint in shown["method"]
    assert report.method.fingerprint in written["How each score was reached"]
    if report.timeline is None:
        assert "over-time" not in shown
        assert "Scores over time" not in written
    else:
        dates = " ".join(day.isoformat() for day in report.timeline.dates)
        assert f"Area {dates}" in shown["over-time"]
        assert dates in written["Scores over time"]


def test_what_changed_is_one_sentence_per_change_naming_it_and_both_scores(
    case: tuple[Report, str, str, str],
) -> None:
    report, page, markdown, _ = case
    shown = html_sections(page)
    if report.compared_with is None:
        assert "changes" not in shown
        return
    since = report.compared_with.isoformat()
    written = markdown_sections(markdown)[f"Change from {since} to {report.as_of.isoformat()}"]
    assert f"What changed since {since} {len(report.changes)} changes" in shown["changes"]
    assert report.changes
    for item in report.changes:
        sentence = item.sentence
        assert sentence in shown["changes"]
        assert item.change.before in sentence
        assert item.change.after in sentence
        if item.subject != "overall":
            assert f"\u201c{item.title}\u201d" in sentence
        assert f"{item.title} ({item.subject})" in written


#: The example's benchmarks scored provisionally on 2012-01-01 and assessed on 2012-03-20.
DIFFERENT_KINDS = {
    "bm-zhanaozen-disclosure": "Full details of the deaths and injuries in Zhanaozen made public",
    "bm-zhanaozen-accountability": "Those who ordered the use of force in Zhanaozen brought to "
    "justice",
    "bm-political-charges-dropped": "Politically motivated charges dropped",
    "bm-sokolova": "Natalia Sokolova's conviction overturned and her ban lifted",
}
NOT_A_CHANGE = "so the difference is not a change"


def test_the_change_count_counts_only_real_changes_in_both_formats(tmp_path: Any, cli: Any) -> None:
    """Scores of different kinds are listed apart, under their own heading, and not counted."""
    args = ("report", EXAMPLE, "--as-of", "2012-03-20", "--compare", "2012-01-01")
    page_path = tmp_path / "report.html"
    assert cli(*args, "-o", page_path).status == 0
    markdown = cli(*args, "-o", "-")
    assert markdown.status == 0, markdown.err
    shown = html_sections(page_path.read_text("utf-8"))["changes"]
    written = markdown_sections(markdown.out)["Change from 2012-01-01 to 2012-03-20"]
    headings = (
        (shown, "What changed since 2012-01-01"),
        (written, "Change from 2012-01-01 to 2012-03-20 What changed"),
    )
    for text, heading in headings:
        counted, apart = text.split("Not counted as changes", 1)
        assert counted.startswith(f"{heading} 12 changes, and 4 differences that are not changes")
        assert NOT_A_CHANGE not in counted
        assert "different kind" not in counted
        assert apart.count(NOT_A_CHANGE) == 4
        for title in DIFFERENT_KINDS.values():
            assert title not in counted
            assert f"Benchmark \u201c{title}\u201d has scores of different kinds" in apart
    assert "The overall score improved, from 0.03 to 0.22." in shown
    assert "| Overall score (overall) | ▲ improved | 0.03 | 0.22 |" in markdown.out


def test_change_sentences_name_the_record_and_both_scores() -> None:
    dataset = load_dataset(EXAMPLE)
    report = _report(dataset, "2012-03-20", "2012-01-01", timeline=False)
    sentences = {item.id: item.sentence for item in report.changes}
    assert sentences[None] == "The overall score improved, from 0.03 to 0.22."
    assert sentences["area-political-participation"] == (
        "Area \u201cPolitical participation\u201d improved, from 0.17 to 0.33."
    )
    assert sentences["bm-election-law"] == (
        "Benchmark \u201cElection and party legislation consistent with international "
        "standards\u201d became assessable, from not assessable to 0.33."
    )


def test_a_gate_that_changes_its_verdict_says_so_in_words() -> None:
    report = _report(gate_change_dataset(), "2012-03-20", "2012-01-15", timeline=False)
    sentences = [item.sentence for item in report.changes if item.subject == "gate"]
    assert sentences == [
        "Gate \u201cTrials gate\u201d is no longer determined, from failing to undetermined.",
        "Gate \u201cFair trials gate\u201d improved, from failing to passing.",
    ]
    page = html_sections(report_to_html(report))
    assert all(sentence in page["changes"] for sentence in sentences)


def test_a_tiny_change_is_not_shown_as_zero() -> None:
    dataset = load_dataset(EXAMPLE)
    report = _report(dataset, "2012-03-20", "2012-01-01", timeline=False)
    [overall, *_] = report.changes
    tiny = attrs.evolve(overall.change, kind="regressed", before="0.333", after="0.330",
                        delta=-1 / 300)  # fmt: skip
    report = attrs.evolve(
        report, overall_change=tiny, changes=(attrs.evolve(overall, change=tiny),)
    )
    page = html_sections(report_to_html(report))
    assert re.search(r"[-+]0\.00(?!\d)", page["verdict"] + page["changes"]) is None
    assert (
        "▼ regressed -0.0033 The overall score regressed, from 0.333 to 0.330." in (page["changes"])
    )


def test_the_sections_of_the_page_are_the_contents(case: tuple[Report, str, str, str]) -> None:
    report, page, _, _ = case
    shown = html_sections(page)
    expected = {"head", "top", "verdict", "glance", "benchmarks", "method", "footer"}
    expected |= {"over-time"} if report.timeline else set()
    expected |= {"changes"} if report.compared_with else set()
    expected |= {"gates"} if report.gates else set()
    expected |= {"sources"} if report.sources else set()
    assert set(shown) == expected
