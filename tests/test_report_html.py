"""The HTML report: one self-contained page, every dataset string inert, only safe links.

The datasets built here (a hostile one, and the example with assessments on
more dates) are shared with the Markdown and browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import html
import html.parser
import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import Dataset, load_dataset, structure, validate_data
from benchmarkkit.cli import main
from benchmarkkit.reports import build_report, report_to_html
from benchmarkkit.reports._links import safe_url
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE

AS_OF = "2012-03-20"

#: Text that would run a script, break out of an attribute or a tag, or turn into markup.
HOSTILE_TEXT = (
    '<script>document.title="pwned";window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    '"><svg onload=window.__pwned=3>',
    "' onmouseover='window.__pwned=4' x='",
    "&lt;script&gt;window.__pwned=5&lt;/script&gt; &amp; &#60;b&#62;",
    "</style><script>window.__pwned=6</script>",
    "</title><script>window.__pwned=7</script>",
    "{{ 7 * 7 }} {% raw %} ${7*7}",
    "[link](javascript:window.__pwned=8) ![img](https://evil.example/x.png)",
    "| cell | break |\n# heading\n> quote\n- item\n1. item\n```\ncode\n```",
    "<b>raw html</b> <a href='javascript:window.__pwned=9'>x</a> `code` *em* _em_",
    "@someone #123 ~~struck~~ :emoji: \\ backslash",
)
#: Addresses that must not become links.
UNSAFE_URLS = (
    "javascript:window.__pwned=10",
    " JaVaScRiPt:window.__pwned=11",
    "java\tscript:window.__pwned=12",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xMzwvc2NyaXB0Pg==",
    "vbscript:msgbox(14)",
    'https://example.org/"><script>window.__pwned=15</script>',
    "//evil.example/protocol-relative",
    "file:///etc/passwd",
    "&#106;avascript:window.__pwned=16",
)
#: Addresses that must become links, escaped.
SAFE_URLS = ("https://example.org/report?a=1&b=2", "mailto:monitor@example.org")


def hostile_document() -> dict[str, Any]:
    """A dataset with hostile text in every text field and hostile addresses in every URL."""
    text = itertools.cycle(HOSTILE_TEXT)
    urls = itertools.cycle(UNSAFE_URLS)

    def t() -> str:
        return next(text)

    def u() -> str:
        return next(urls)

    return {
        "schema_version": "1.0",
        "id": "hostile",
        "title": HOSTILE_TEXT[0] + " " + HOSTILE_TEXT[6],
        "subject": t(),
        "description": t(),
        "language": "en",  # checked by the schema; the property test below tries others
        "editors": [t(), t()],
        "license": t(),
        "url": u(),
        "scales": [
            {
                "id": "hostile-scale",
                "title": t(),
                "description": t(),
                "url": u(),
                "levels": [
                    {"id": "bad", "label": t(), "value": 0, "description": t()},
                    {"id": "good", "label": t(), "value": 1, "description": t()},
                ],
            }
        ],
        "actors": [
            {"id": "ngo", "name": t(), "kind": "ngo", "description": t(), "url": u()},
            {"id": "state", "name": t(), "kind": "state", "role": t()},
        ],
        "sources": [
            {
                "id": "s-unsafe",
                "title": t(),
                "kind": "report",
                "publishers": ["ngo"],
                "date": "2012-01",
                "places": [t()],
                "url": u(),
                "description": t(),
            },
            {"id": "s-safe", "title": t(), "kind": "media", "url": SAFE_URLS[0]},
            {"id": "s-mail", "title": t(), "kind": "statement", "url": SAFE_URLS[1]},
        ],
        "standards": [
            {
                "id": "std",
                "title": t(),
                "kind": "treaty-provision",
                "instrument": t(),
                "provision": t(),
                "body": "ngo",
                "url": u(),
                "description": t(),
            }
        ],
        "commitments": [
            {
                "id": "cm",
                "title": t(),
                "actor": "state",
                "addressees": ["ngo"],
                "date": "2011",
                "made_in": "s-unsafe",
                "source": "s-unsafe",
                "locator": t(),
                "quote": t(),
                "summary": t(),
            }
        ],
        "areas": [
            {"id": "a1", "title": t(), "description": t(), "source": "s-safe", "quote": t()},
            {"id": "a2", "title": t()},
        ],
        "benchmarks": [
            {
                "id": "b1",
                "title": t(),
                "statement": t(),
                "area": "a1",
                "type": "structural",
                "commitments": ["cm"],
                "standards": ["std"],
                "demanded_by": ["ngo"],
                "responsible": ["state"],
                "rationale": t(),
            },
            {"id": "b2", "title": t(), "statement": t(), "area": "a1", "type": "outcome"},
            {"id": "b3", "title": t(), "statement": t(), "area": "a2", "type": "process"},
        ],
        "indicators": [
            {
                "id": "ind",
                "benchmark": "b2",
                "title": t(),
                "kind": "numeric",
                "unit": t(),
                "direction": "higher-is-better",
                "baseline": {"value": 0, "date": "2011", "note": t()},
                "target": {"value": 10, "note": t()},
                "description": t(),
            }
        ],
        "evidence": [
            {
                "id": "ev1",
                "source": "s-unsafe",
                "date": "2012-02-01",
                "benchmarks": ["b1", "b3"],
                "direction": "regression",
                "summary": t(),
                "locator": t(),
                "quote": t(),
            },
            {
                "id": "ev2",
                "source": "s-safe",
                "date": "2012-03",
                "benchmarks": ["b2"],
                "direction": "progress",
                "summary": t(),
                "quote": t(),
                "readings": [{"indicator": "ind", "value": 4}],
            },
            {
                "id": "ev3",
                "source": "s-mail",
                "date": "2012-03-01",
                "benchmarks": ["b3"],
                "direction": "mixed",
                "summary": t(),
            },
        ],
        "assessments": [
            {
                "id": "as1",
                "benchmark": "b1",
                "as_of": "2012-03-01",
                "scale": "hostile-scale",
                "level": "bad",
                "assessor": t(),
                "rationale": t(),
                "evidence": ["ev1"],
            }
        ],
        "gates": [
            {
                "id": "g",
                "title": t(),
                "applies_to": t(),
                "demanded_by": ["ngo"],
                "description": t(),
                "source": "s-unsafe",
                "locator": t(),
                "quote": t(),
                "condition": {
                    "kind": "any-of",
                    "label": t(),
                    "conditions": [
                        {"kind": "benchmark", "benchmark": "b1", "minimum_score": 0.5},
                        {
                            "kind": "benchmark",
                            "benchmark": "b2",
                            "minimum_score": 0.5,
                            "label": t(),
                        },
                        {"kind": "area", "area": "a2", "minimum_score": 0.5, "label": t()},
                    ],
                },
            }
        ],
    }


def hostile_dataset() -> Dataset:
    """The hostile dataset, checked to be a valid one: hostile text is allowed text."""
    document = hostile_document()
    problems = validate_data(document).problems
    assert [p for p in problems if p.severity.value == "error"] == [], [str(p) for p in problems]
    return structure(document, Dataset)


def hostile_html() -> str:
    dataset = hostile_dataset()
    card = score(dataset, as_of=AS_OF)
    comparison = compare(dataset, "2012-01-15", AS_OF)
    return report_to_html(build_report(dataset, card, comparison=comparison))


def example_with_more_dates(folder: Path) -> Path:
    """The Kazakhstan example, copied, with test assessments later in 2012 (not the appeal's)."""
    shutil.copytree(EXAMPLE, folder)
    (folder / "report.md").unlink(missing_ok=True)
    later = [
        ("bm-sokolova", "2012-06-30", "met"),
        ("bm-assembly-law", "2012-06-30", "partially-met"),
        ("bm-media-law", "2012-11", "not-met"),
        ("bm-zhanaozen-fair-trials", "2012-11", "regressing"),
    ]
    assessments = [
        {
            "id": f"as-test-{benchmark}-{day}",
            "benchmark": benchmark,
            "as_of": day,
            "scale": "editors-status",
            "level": level,
            "assessor": "test editors",
            "rationale": "Test data for the report's chart; not from the appeal.",
        }
        for benchmark, day, level in later
    ]
    (folder / "later.yaml").write_text(
        yaml.safe_dump({"assessments": assessments}, sort_keys=False), encoding="utf-8"
    )
    return folder


class _Page(html.parser.HTMLParser):
    """Everything a browser would act on: elements, attributes, script text, links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "style" not in self._in:
            self.text.append(data)

    def hrefs(self) -> list[str]:
        """The addresses of the links a reader can follow."""
        return [value for tag, name, value in self.attributes if tag == "a" and name == "href"]


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _assert_inert(page: str) -> _Page:
    parsed = _parse(page)
    assert "script" not in parsed.tags
    assert not {"iframe", "object", "embed", "img"} & set(parsed.tags)
    handlers = [(tag, name) for tag, name, _ in parsed.attributes if name.startswith("on")]
    assert handlers == []
    for href in parsed.hrefs():
        assert href.startswith("#") or safe_url(href) == href, href
    sources = [(tag, name, v) for tag, name, v in parsed.attributes if name in ("src", "srcset")]
    assert sources == []
    resources = [v for tag, name, v in parsed.attributes if tag == "link" and name == "href"]
    assert all(value.startswith("data:") for value in resources), resources
    return parsed


# -- the example ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_html() -> str:
    dataset = load_dataset(EXAMPLE)
    return report_to_html(build_report(dataset, score(dataset, as_of=AS_OF)))


def test_example_page_is_self_contained_with_a_strict_content_policy(example_html: str) -> None:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', example_html)
    assert policy is not None
    directives = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    style = re.search(r"<style>(.*?)</style>", example_html, re.DOTALL)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert directives["style-src"] == f"'sha256-{digest}'"
    _assert_inert(example_html)
    assert "@import" not in example_html
    assert "url(" not in style.group(1)


def test_example_page_has_title_gate_areas_and_every_benchmark(example_html: str) -> None:
    dataset = load_dataset(EXAMPLE)
    text = html.unescape(example_html)
    assert f'<h1 id="report-title">{dataset.title}</h1>' in text
    assert 'data-verdict="fail"' in example_html
    for area in dataset.areas:
        assert f'data-area="{area.id}"' in example_html
        assert area.title in text
    for benchmark in dataset.benchmarks:
        assert f'id="benchmark-{benchmark.id}"' in example_html
    internal = {href[1:] for href in _parse(example_html).hrefs() if href.startswith("#")}
    ids = set(re.findall(r' id="([^"]+)"', example_html))
    assert internal - ids == set()


def test_example_page_lists_only_evidence_known_as_of_the_date() -> None:
    dataset = load_dataset(EXAMPLE)
    early = report_to_html(build_report(dataset, score(dataset, as_of="2012-01-01")))
    known = {e.id for e in dataset.evidence if e.date.first_day.isoformat() <= "2012-01-01"}
    later = {e.id for e in dataset.evidence} - known
    assert known
    assert later
    shown = set(re.findall(r'id="benchmark-[^"]+-evidence-([^"]+)"', early))
    assert shown == known


def test_rendering_is_deterministic(example_html: str) -> None:
    dataset = load_dataset(EXAMPLE)
    assert report_to_html(build_report(dataset, score(dataset, as_of=AS_OF))) == example_html


# -- hostile strings -----------------------------------------------------------------------


def test_every_hostile_string_comes_out_as_escaped_text() -> None:
    page = hostile_html()
    parsed = _assert_inert(page)
    text = "".join(parsed.text)
    for hostile in HOSTILE_TEXT:
        # Markup-free text in the page holds each string as it was (line breaks as spaces).
        assert " ".join(hostile.split()) in " ".join(text.split()), hostile
    assert "{{ 7 * 7 }} {% raw %} ${7*7}" in text  # not evaluated as a template


def test_only_http_https_and_mailto_addresses_become_links() -> None:
    hrefs = _parse(hostile_html()).hrefs()
    external = {href for href in hrefs if not href.startswith("#")}
    assert external == set(SAFE_URLS)


def test_unsafe_addresses_are_shown_as_text_saying_why() -> None:
    page = html.unescape(hostile_html())
    assert "address not linked" in page
    assert UNSAFE_URLS[0] in page


_PIECES = st.sampled_from([*"<>&\"'`=/ \n\t:;()[]{}|#*_!-\\", "script", "on", "a", "&lt;"])


@given(
    st.lists(_PIECES, max_size=30).map("".join),
    st.lists(st.sampled_from([*"<>\"' \t:/", "javascript", "http", "s", "x.org"]), max_size=12).map(
        "".join
    ),
)
def test_arbitrary_text_and_addresses_stay_inert(title: str, url: str) -> None:
    # The text goes into the records after they are checked: a report stays inert even for
    # a dataset nobody validated.
    base = structure(hostile_document(), Dataset)
    dataset = attrs.evolve(
        base,
        title=title or "t",
        language=title,
        sources=(attrs.evolve(base.sources[0], url=url or "u"), *base.sources[1:]),
        benchmarks=(attrs.evolve(base.benchmarks[0], title=title or "t"), *base.benchmarks[1:]),
    )
    page = report_to_html(build_report(dataset, score(dataset, as_of=AS_OF, validated=True)))
    _assert_inert(page)
    heading = re.search(r'<h1 id="report-title">(.*?)</h1>', page, re.DOTALL)
    assert heading is not None
    assert html.unescape(heading.group(1)) == (title or "t")


# -- the command ---------------------------------------------------------------------------


@pytest.fixture
def more_dates(tmp_path: Path) -> Path:
    return example_with_more_dates(tmp_path / "example")


def test_report_command_writes_html_with_a_chart_over_time(
    more_dates: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    status = main(
        ["report", str(more_dates), "--as-of", "2012-12-31", "--compare", "2012-01-01",
         "-o", str(target)]
    )  # fmt: skip
    assert (status, capsys.readouterr().out) == (0, f"wrote {target}\n")
    page = target.read_text(encoding="utf-8")
    _assert_inert(page)
    dates = ["2012-01-01", "2012-03-20", "2012-06-30", "2012-11-30", "2012-12-31"]
    header = re.search(r'<table class="timeline-table">.*?</thead>', page, re.DOTALL)
    assert header is not None
    assert re.findall(r"\d{4}-\d\d-\d\d", header.group(0)) == dates
    assert page.count('<svg class="chart chart-') == 2
    assert page.count("<polyline") >= 2 * 7  # the overall score and six areas, twice
    assert 'id="changes"' in page


def test_report_command_refuses_an_unknown_format_before_reading_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["report", str(tmp_path / "missing"), "-o", str(tmp_path / "r.pdf")])
    assert status == 2
    assert "give a file ending in .md (Markdown that renders on GitHub) or .html" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "r.pdf").exists()
