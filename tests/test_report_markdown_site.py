"""A large report as Markdown: a summary file GitHub shows, and detail pages it links to.

The site is laid out by :func:`benchmarkkit.reports._site.plan_site`, as the
HTML site is. Pages are read back with markdown-it as GitHub reads them
(CommonMark with tables); anchors are the ``<a id>`` the pages hold, which
GitHub keeps (as ``user-content-...``) and scrolls a ``#name`` link to.
"""

from __future__ import annotations

import collections
import functools
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from benchmarkkit import Dataset, load_dataset
from benchmarkkit.reports import Report, build_report, report_to_markdown
from benchmarkkit.reports._markdown_report import quoted, report_to_markdown_site
from benchmarkkit.reports._site import MARKDOWN_PAGE_SIZE, OVERVIEW, Site, SitePlan, plan_site
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE, Run
from tests.test_report_html import SAFE_URLS, example_with_more_dates, hostile_dataset
from tests.test_report_site import _generated

#: The date the generated datasets are scored on: after all of their evidence.
AS_OF = "2024-01-01"
#: GitHub cuts a README off at 512,000 bytes (and renders little more of any Markdown file).
GITHUB_SHOWS = 512_000
#: What an evidence item takes on its page, at most, for the generated text (quotes of 8 to 30
#: words, summaries of about 30): 500 items a page stay under what GitHub shows.
MOST_BYTES_AN_ITEM = 1_000
#: The only HTML a page holds: empty anchors of the report's own places (markdown-it reads the
#: tags apart).
ANCHOR_TAG = re.compile(r'<a id="([A-Za-z0-9._:-]+)">')


# -- reading pages back ---------------------------------------------------------------------


def _tokens(markdown: str) -> list[Token]:
    """The page's tokens, nested ones too, as GitHub would read it."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    flat: list[Token] = []
    for token in parser.parse(markdown):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


class Page:
    """One Markdown page read back: its anchors and its links; and no other HTML."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = _tokens(text)
        html = [t.content for t in tokens if t.type in ("html_inline", "html_block")]
        anchors = [ANCHOR_TAG.fullmatch(part) for part in html if part != "</a>"]
        assert all(anchors), [part for part in html if not ANCHOR_TAG.fullmatch(part)]
        self.ids = [match.group(1) for match in anchors if match]
        assert html.count("</a>") == len(self.ids) == text.count('"></a>')
        self.links = [str(t.attrs["href"]) for t in tokens if t.type == "link_open"]
        assert not [t for t in tokens if t.type == "image"]


def _write(site: Site, overview: Path) -> dict[Path, Page]:
    """Write ``site`` as the command lays it out, and read every page back."""
    overview.write_text(site.overview, encoding="utf-8")
    for relative, text in site.pages:
        page = overview.with_suffix("") / relative
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    files = [overview, *sorted(overview.with_suffix("").rglob("*.md"))]
    return {path.resolve(): Page(path.read_text(encoding="utf-8")) for path in files}


def _broken_links(pages: dict[Path, Page]) -> list[str]:
    """Every link between the pages that leads to no page, or to no anchor on it."""
    broken = []
    for path, page in pages.items():
        for href in page.links:
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, _, anchor = urllib.parse.unquote(href).partition("#")
            where = (path.parent / target).resolve() if target else path
            if where not in pages or (anchor and anchor not in pages[where].ids):
                broken.append(f"{path.name}: {href}")
    return broken


def _site(report: Report, folder: Path, **sizes: int) -> tuple[SitePlan, Path, dict[Path, Page]]:
    plan = plan_site(report, name="r", **sizes)
    overview = folder / "r.md"
    return plan, overview, _write(report_to_markdown_site(report, plan), overview)


# -- the datasets ---------------------------------------------------------------------------


def _report(dataset: Dataset) -> Report:
    """The report the command writes: with the scores over time."""
    card = score(dataset, as_of=AS_OF)
    days = [day for day in history_dates(dataset, card.as_of) if day != card.as_of]
    return build_report(dataset, card, history=[score(dataset, as_of=day) for day in days])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The report of a generated dataset of 2,000 evidence items (5 areas, 100 benchmarks)."""
    return _report(load_dataset(_generated(2000, tmp_path_factory.mktemp("generated"))))


@pytest.fixture(scope="module")
def small_site(
    generated: Report, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SitePlan, Path, dict[Path, Page]]:
    """The generated report as a site of small pages (so that every list goes over pages)."""
    return _site(generated, tmp_path_factory.mktemp("site"), page_size=40)


@functools.cache
def _example_report(compared: bool) -> Report:
    dataset = load_dataset(EXAMPLE)
    if not compared:
        return build_report(dataset, score(dataset, as_of="2016-01-01"))
    comparison = compare(dataset, "2012-03-20", "2016-01-01")
    return build_report(dataset, comparison.scorecard_after, comparison=comparison)


# -- links ----------------------------------------------------------------------------------


def test_every_link_of_every_page_leads_to_a_page_and_an_anchor_on_it(
    small_site: tuple[SitePlan, Path, dict[Path, Page]],
) -> None:
    plan, overview, pages = small_site
    assert len(pages) == 1 + len(plan.pages) > 20
    assert sorted(pages) == sorted(
        (overview.parent / plan.path(name, ".md")).resolve() for name in (OVERVIEW, *plan.pages)
    )
    assert sum(len(page.links) for page in pages.values()) > 2000
    assert _broken_links(pages) == []
    for page in pages.values():  # an anchor is on one page once
        assert len(page.ids) == len(set(page.ids))


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shown=st.integers(1, 8), size=st.integers(1, 30), compared=st.booleans())
def test_links_resolve_whatever_the_caps_and_page_sizes(
    tmp_path_factory: pytest.TempPathFactory, shown: int, size: int, compared: bool
) -> None:
    report = _example_report(compared)
    _plan, _overview, pages = _site(
        report, tmp_path_factory.mktemp("example-site"), evidence_shown=shown, page_size=size
    )
    assert _broken_links(pages) == []


def test_hostile_strings_stay_text_on_every_page(tmp_path: Path) -> None:
    dataset = hostile_dataset()
    comparison = compare(dataset, "2012-01-15", "2012-03-20")
    report = build_report(dataset, comparison.scorecard_after, comparison=comparison)
    _plan, _overview, pages = _site(report, tmp_path, evidence_shown=1, page_size=1)
    assert _broken_links(pages) == []  # and Page found no HTML but the anchors
    links = {link for page in pages.values() for link in page.links}
    assert set(SAFE_URLS) <= links
    assert not [link for link in links if ":" in link.split("#")[0] and link not in SAFE_URLS]
    text = "".join(page.text for page in pages.values())
    assert "@someone" not in text
    assert "#123" not in text


def test_a_name_that_markdown_would_break_is_percent_encoded(tmp_path: Path) -> None:
    report = _example_report(compared=False)
    plan = plan_site(report, name="my report (draft)")
    site = report_to_markdown_site(report, plan)
    assert "(my%20report%20%28draft%29/areas/1.md#area-area-political-participation)" in (
        site.overview
    )
    pages = _write(site, tmp_path / "my report (draft).md")
    assert _broken_links(pages) == []


# -- what each page holds -------------------------------------------------------------------


def test_each_quote_is_printed_once_across_the_site(
    generated: Report, small_site: tuple[SitePlan, Path, dict[Path, Page]]
) -> None:
    _plan, _overview, pages = small_site
    site = "\n".join(page.text for page in pages.values())
    quotes = collections.Counter(
        quoted(view.quote, view.quote_from) for view in generated.evidence if view.quote
    )
    assert sum(quotes.values()) > 1000
    printed = collections.Counter(line.strip() for line in site.splitlines())
    for quote, times in quotes.items():
        assert printed[quote] == times, quote
    # The single file prints each quote under every benchmark it bears on.
    single = report_to_markdown(generated)
    cited = sum(len(b.evidence) for b in generated.benchmarks)
    assert cited > len(generated.evidence)
    assert sum(single.count(quote) for quote in quotes) >= cited


def test_each_evidence_item_says_where_it_is_from_and_what_it_bears_on(
    small_site: tuple[SitePlan, Path, dict[Path, Page]],
) -> None:
    plan, overview, _pages = small_site
    first = plan.evidence_pages[0]
    text = (overview.parent / plan.path(first.name, ".md")).read_text(encoding="utf-8")
    items = text.split("\n- ")[1:]
    assert len(items) == len(first.items) == 40
    for item, evidence_id in zip(items, first.items, strict=True):
        assert item.startswith(f'<a id="evidence-{evidence_id}"></a>**')
        assert re.search(r"Source \[\d+\]\(\.\./sources/\d+\.md#source-[^)]+\)", item), item
        assert "; reliability: " in item
        bears_on = re.findall(
            r"\[[^]]+\]\(\.\./areas/\d+\.md#([^)]+)\)", item.split("Bears on:")[1]
        )
        assert bears_on == [where for _title, where in plan.bears_on(evidence_id)]


def test_each_benchmark_shows_its_latest_evidence_and_says_how_many_more(
    generated: Report, small_site: tuple[SitePlan, Path, dict[Path, Page]]
) -> None:
    plan, overview, _pages = small_site
    capped = 0
    for number, area in enumerate(generated.areas, start=1):
        page = (overview.parent / "r" / "areas" / f"{number}.md").read_text(encoding="utf-8")
        for benchmark in area.benchmarks:
            start = page.index(f'<a id="{benchmark.anchor}"></a>')
            detail = page[start : page.index("**How the score was reached**", start)]
            lines = re.findall(r"^- \[[^]]+\]\(\.\./evidence/\d+\.md#([^)]+)\), ", detail, re.M)
            assert lines == [view.anchor for view in benchmark.evidence[:5]]
            total = len(benchmark.evidence)
            planned = plan.benchmarks[benchmark.id]
            if total > 5:
                capped += 1
                assert (
                    f"And {total - 5} more, dated earlier: [all {total} items of evidence on this "
                    f"benchmark](../{planned.full[0]}.md#list-{benchmark.id})"
                ) in detail
            else:
                assert "more, dated earlier" not in detail
    assert capped > 10


def test_a_benchmarks_full_list_links_every_item_to_its_quote(
    generated: Report, small_site: tuple[SitePlan, Path, dict[Path, Page]]
) -> None:
    plan, overview, pages = small_site
    benchmark = max(generated.benchmarks, key=lambda b: len(b.evidence))
    planned = plan.benchmarks[benchmark.id]
    assert len(planned.full) > 1  # its list goes on over pages
    linked = []
    for name in planned.full:
        text = (overview.parent / plan.path(name, ".md")).read_text(encoding="utf-8")
        heading = f"({_up(name)}areas/"
        for part in text.split("\n## ")[1:]:
            if f".md#{benchmark.anchor})" in part.split("\n")[0] and heading in part:
                linked += re.findall(r"^- \[[^]]+\]\(\.\./evidence/\d+\.md#([^)]+)\)", part, re.M)
    assert linked == [view.anchor for view in benchmark.evidence]
    first = pages[(overview.parent / plan.path(planned.full[0], ".md")).resolve()]
    assert planned.list_anchor in first.ids


def _up(name: str) -> str:
    return "../" * name.count("/")


# -- the summary ----------------------------------------------------------------------------


def _summary(count: int, folder: Path) -> tuple[Report, str]:
    report = _report(load_dataset(_generated(count, folder)))
    return report, report_to_markdown_site(report, plan_site(report, name="r")).overview


def test_the_summary_stays_the_same_size_whatever_the_evidence(tmp_path: Path) -> None:
    small, small_text = _summary(1000, tmp_path / "1k")
    large, large_text = _summary(3900, tmp_path / "4k")
    assert len(large.evidence) > 3 * len(small.evidence)
    assert len(large.benchmarks) > 3 * len(small.benchmarks)
    assert (len(small.areas), len(small.gates)) == (len(large.areas), len(large.gates))
    # Its numbers have more digits, its dates may differ: nothing more.
    assert abs(len(large_text.encode()) - len(small_text.encode())) < 1_000
    assert len(large_text.encode()) < 20_000
    for report, text in ((small, small_text), (large, large_text)):
        for benchmark in report.benchmarks:
            assert benchmark.title not in text
        assert "<a id=" not in text
        assert "> " + (report.evidence[0].quote or "")[:40] not in text
        for number, area in enumerate(report.areas, start=1):
            assert f"| [{area.title}](r/areas/{number}.md#{area.anchor}) | " in text
        for gate in report.gates:
            assert f"[Every condition](r/gates.md#{gate.anchor})." in text
        assert (
            f"- [Evidence](r/evidence/1.md): all {len(report.evidence)} items known as of" in text
        )


def test_the_summary_shows_what_github_shows_first(
    small_site: tuple[SitePlan, Path, dict[Path, Page]],
) -> None:
    _plan, overview, _pages = small_site
    text = overview.read_text(encoding="utf-8")
    headings = re.findall(r"^(#+) (.*)$", text, re.M)
    assert [title for level, title in headings if level == "##"] == [
        "Verdict",
        "At a glance",
        "Scores over time",
        "Areas, evidence and sources",
        "How each score was reached",
    ]
    assert "| Area | Score | Met |\n|---|---|---|\n" in text
    assert "| Area | Benchmark | Status | Score |" not in text


def test_changes_of_benchmarks_are_on_their_areas_pages(tmp_path: Path) -> None:
    dataset = load_dataset(example_with_more_dates(tmp_path / "example"))
    comparison = compare(dataset, "2012-03-20", "2012-12-31")
    report = build_report(dataset, comparison.scorecard_after, comparison=comparison)
    changed = [item for item in report.changes if item.subject == "benchmark"]
    assert changed
    _plan, overview, _pages = _site(report, tmp_path)
    text = overview.read_text(encoding="utf-8")
    assert f"{len(report.changes)} changes" in text
    assert f"Changes of benchmarks are on their areas' pages: {len(changed)} change" in text
    for item in changed:
        assert f"| {item.title} (benchmark) |" not in text
        number = next(
            n for n, a in enumerate(report.areas, 1) if item.id in {b.id for b in a.benchmarks}
        )
        area = (tmp_path / "r" / "areas" / f"{number}.md").read_text(encoding="utf-8")
        assert "## What changed since 2012-03-20" in area
        kind = item.change.kind.replace("-", " ")
        assert f"| {item.title} (benchmark) | {'▲' if kind == 'improved' else '▼'} {kind} |" in area


def test_every_page_is_one_github_shows_whole(
    generated: Report, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("default-site")
    plan, overview, pages = _site(generated, folder, page_size=MARKDOWN_PAGE_SIZE)
    sizes = {path.name: len(page.text.encode()) for path, page in pages.items()}
    assert max(sizes.values()) < GITHUB_SHOWS, sizes
    # An evidence page grows with the items on it, not with the report.
    for listed in plan.evidence_pages:
        text = pages[(overview.parent / plan.path(listed.name, ".md")).resolve()].text
        assert len(text.encode()) < MOST_BYTES_AN_ITEM * len(listed.items)


def test_each_page_of_sources_goes_on_numbering_and_links_to_its_neighbours(
    small_site: tuple[SitePlan, Path, dict[Path, Page]],
) -> None:
    plan, overview, pages = small_site
    assert [page.name for page in plan.source_pages] == ["sources/1", "sources/2", "sources/3"]
    second = pages[(overview.parent / "r" / "sources" / "2.md").resolve()]
    assert second.text.startswith(
        "[← Overview](../../r.md) · [Previous page](1.md) · [Next page](3.md)\n\n"
        '# <a id="sources"></a>Sources, page 2 of 3\n'
    )
    assert "The documents this report cites: 41 to 80 of 100.\n" in second.text
    numbered = re.findall(r"^(\d+)\. <a id=\"(source-[^\"]+)\"></a>", second.text, re.M)
    assert [int(number) for number, _anchor in numbered] == list(range(41, 81))
    assert all(plan.page_of(anchor) == "sources/2" for _number, anchor in numbered)
    assert len(numbered) == len(plan.source_pages[1].items)


# -- the command ----------------------------------------------------------------------------


def test_a_markdown_site_has_250_items_a_page_and_every_page_github_shows_whole(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    dataset = _generated(600, tmp_path / "data")
    target = tmp_path / "r.md"
    result = cli("report", dataset, "--as-of", AS_OF, "-o", target, "--pages", "split")
    assert result.status == 0, result.err
    assert result.out == f"wrote {target} and its pages in {tmp_path / 'r'}/\n"
    pages = _write_nothing_and_read(target)
    assert _broken_links(pages) == []
    first = (tmp_path / "r" / "evidence" / "1.md").read_text(encoding="utf-8")
    assert "Items 1 to 250 of the 600 known as of 2024-01-01, newest first" in first
    assert first.count('\n- <a id="evidence-') == MARKDOWN_PAGE_SIZE == 250
    assert (tmp_path / "r" / "evidence" / "3.md").exists()
    assert not (tmp_path / "r" / "evidence" / "4.md").exists()
    for path, page in pages.items():
        assert len(page.text.encode()) < GITHUB_SHOWS, path


def test_split_writes_the_summary_and_its_markdown_pages_beside_it(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    target = tmp_path / "out" / "kz.md"
    target.parent.mkdir()
    result = cli("report", EXAMPLE, "--as-of", "2016-01-01", "-o", target, "--pages", "split")
    assert result.status == 0, result.err
    assert result.out == f"wrote {target} and its pages in {tmp_path / 'out' / 'kz'}/\n"
    pages = _write_nothing_and_read(target)
    assert _broken_links(pages) == []
    names = sorted(str(path.relative_to(target.parent)) for path in pages)
    assert names[:3] == ["kz.md", "kz/areas/1.md", "kz/areas/2.md"]
    assert "kz/evidence/1.md" in names
    assert "kz/sources/1.md" in names
    assert pages[target.resolve()].text.startswith(f"# {load_dataset(EXAMPLE).title}\n")


def _write_nothing_and_read(overview: Path) -> dict[Path, Page]:
    files = [overview, *sorted(overview.with_suffix("").rglob("*.md"))]
    return {path.resolve(): Page(path.read_text(encoding="utf-8")) for path in files}


def test_auto_writes_the_example_as_one_markdown_file_as_before(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    target = tmp_path / "kz.md"
    args = ("--as-of", "2016-01-01", "--compare", "2012-03-20", "-o", target)
    result = cli("report", EXAMPLE, *args)
    assert result.status == 0, result.err
    assert result.out == f"wrote {target}\n"
    assert not (tmp_path / "kz").exists()
    text = target.read_text(encoding="utf-8")
    assert "\n## Benchmarks\n" in text
    assert "<a id=" not in text
    assert cli("report", EXAMPLE, *args[:-1], "-").out == text


# -- an evidence item is written as the template wrote it -----------------------------------

#: The template that wrote each evidence item before ``_evidence_items`` (kept as the reference).
_EVIDENCE_TEMPLATE = """\
{% set pad = depth | indent_list %}
{{ pad }}- {% if plan %}{{ ev.anchor | anchor }}{% endif %}**{{ ev.date }}**, \
{{ ev.direction_label | lower }}: {{ ev.summary }}
{% if ev.quote %}

{{ pad }}  {{ ev.quote | quoted(ev.quote_from) }}

{% endif %}
{% for reading in ev.readings %}
{{ pad }}  Reading: {{ reading }}.

{% endfor %}
{% if ev.source %}
{{ pad }}  Source {% if plan and ev.source.anchor %}[{{ r.source_number(ev.source.id) or \
ev.source.title }}]({{ to(ev.source.anchor) }}){% else %}{{ r.source_number(ev.source.id) or \
ev.source.title }}{% endif %}{% if ev.source.locator %}, {{ ev.source.locator }}{% endif %}; \
reliability: {{ ev.reliability | lower }}.

{% endif %}
{% if plan %}
{% set cited = bears_on(ev) %}
{% if cited %}
{{ pad }}  Bears on: {{ cited }}.

{% endif %}
{% endif %}
"""

#: Text that Markdown, HTML or GitHub would read as more than text, and plain words.
_MARKDOWN_PIECES = [*"<>&|*_`[]()#@!~\\-+=.)\n\r\t ", "1.", "- ", "@name", "#12", "\x1b[2J"]
_MARKDOWN_TEXT = st.lists(
    st.sampled_from([*_MARKDOWN_PIECES, "\u202e", "a", "é"]), max_size=12
).map("".join)


@st.composite
def _evidence_views(draw: st.DrawFn, report: Report) -> Any:
    """An evidence view of any text, citing one of the report's sources or another."""
    from benchmarkkit.reports._links import link
    from benchmarkkit.reports._report import EvidenceView, SourceRef

    known = [(source.id, source.anchor, source.title) for source in report.sources]
    source_id, anchor, title = draw(
        st.sampled_from([*known, ("not-in-the-report", None, "Unknown source")])
    )
    source = SourceRef(
        id=source_id,
        anchor=anchor,
        title=title,
        link=link(title, None),
        locator=draw(st.none() | _MARKDOWN_TEXT),
    )
    return EvidenceView(
        id="ev-1",
        anchor="evidence-ev-1",
        date=draw(st.sampled_from(["2012", "2012-03", "2012-03-20"])),
        direction=draw(st.sampled_from(["progress", "regression", "no-change", "mixed"])),
        direction_label=draw(st.sampled_from(["Progress", "Regression", "No change", "Mixed"])),
        summary=draw(_MARKDOWN_TEXT),
        quote=draw(st.none() | _MARKDOWN_TEXT),
        quote_from=draw(st.none() | st.sampled_from(["From a translation", "From a summary"])),
        source=draw(st.none() | st.just(source)),
        reliability=draw(st.sampled_from(["High", "Medium", "Low"])),
        readings=tuple(draw(st.lists(_MARKDOWN_TEXT, max_size=2))),
    )


@functools.cache
def _example_plan() -> SitePlan:
    return plan_site(_example_report(compared=False), name="r")


@functools.cache
def _evidence_template() -> Any:
    from benchmarkkit.reports._markdown_report import _environment

    return _environment().from_string(_EVIDENCE_TEMPLATE)


@given(st.data(), st.booleans(), st.integers(min_value=0, max_value=2), _MARKDOWN_TEXT)
def test_an_evidence_item_is_written_as_its_template_wrote_it(
    data: st.DataObject, on_a_site: bool, depth: int, cited: str
) -> None:
    from benchmarkkit.reports._markdown_report import MarkdownText, _evidence_items

    report = _example_report(compared=False)
    view = data.draw(_evidence_views(report))
    plan = _example_plan() if on_a_site else None

    def to(anchor: str) -> MarkdownText:
        return MarkdownText(f"../sources/1.md#{anchor}")

    def bears_on(_view: Any) -> MarkdownText:
        return MarkdownText(cited)

    expected = _evidence_template().render(
        ev=view, depth=depth, plan=plan, r=report, to=to, bears_on=bears_on
    )
    assert expected == _evidence_items(report, plan, to, bears_on)(view, depth)
