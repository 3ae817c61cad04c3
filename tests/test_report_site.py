"""A large report as a small static site: the plan, its pages, their links, and the command.

The reports are of generated datasets (``benchmarks/generate.py``, as the
performance harness makes them) and of the example. Pages are read back with
:mod:`html.parser`, and elements are counted as a browser's DOM holds them
(as the harness counts them).
"""

from __future__ import annotations

import collections
import functools
import importlib
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from benchmarkkit import Dataset, load_dataset
from benchmarkkit.reports import Report, build_report, report_to_html
from benchmarkkit.reports._html import report_to_html_site
from benchmarkkit.reports._site import (
    MARKER,
    OVERVIEW,
    SINGLE_PAGE_BYTES,
    SINGLE_PAGE_LIMIT,
    Site,
    fits_one_page,
    plan_site,
    single_page_size,
    single_page_weight,
)
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE, ROOT, Run

#: The date the generated datasets are scored on: after all of their evidence.
AS_OF = "2024-01-01"
#: A phone's budget for the first page.
MOST_ELEMENTS = 10_000
MOST_BYTES = 2_000_000


# -- reading pages back ---------------------------------------------------------------------


class Page(HTMLParser):
    """One page read back: its elements, ids, links, and its text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements = 0
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts = 0
        self.words: list[str] = []
        self.feed(text)
        self.close()
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        self.scripts += tag == "script"

    def handle_data(self, data: str) -> None:
        self.words.append(data)


def _read_site(overview: Path) -> dict[Path, Page]:
    """Every page of the site whose overview is ``overview``, by its resolved path."""
    folder = overview.with_suffix("")
    files = [overview, *sorted(folder.rglob("*.html"))]
    return {path.resolve(): Page(path.read_text(encoding="utf-8")) for path in files}


def _broken_links(pages: dict[Path, Page]) -> list[str]:
    """Every link between the pages that leads to no page, or to no place on it."""
    broken = []
    for path, page in pages.items():
        for href in page.links:
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            target, _, anchor = href.partition("#")
            where = (path.parent / target).resolve() if target else path
            if where not in pages or (anchor and anchor not in pages[where].ids):
                broken.append(f"{path.name}: {href}")
    return broken


def _write(site: Site, overview: Path) -> None:
    """Write ``site`` as the command does, but plainly: the tests read it back."""
    overview.write_text(site.overview, encoding="utf-8")
    for relative, text in site.pages:
        page = overview.with_suffix("") / relative
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")


# -- the datasets ---------------------------------------------------------------------------


@functools.cache
def _generator() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "benchmarks"))
        return importlib.import_module("generate")


def _generated(count: int, folder: Path) -> Path:
    """A generated dataset of ``count`` evidence items, written under ``folder``."""
    written: Path = _generator().write(str(count), broken=False, out=folder)
    return written


def _report(dataset: Dataset, as_of: str = AS_OF) -> Report:
    return build_report(dataset, score(dataset, as_of=as_of))


def _report_over_time(dataset: Dataset) -> Report:
    """The report the command writes: with the scores over time."""
    card = score(dataset, as_of=AS_OF)
    days = [day for day in history_dates(dataset, card.as_of) if day != card.as_of]
    return build_report(dataset, card, history=[score(dataset, as_of=day) for day in days])


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Report]:
    """A generated dataset of 2,000 evidence items (5 areas, 100 benchmarks), and its report."""
    dataset = load_dataset(_generated(2000, tmp_path_factory.mktemp("generated")))
    return dataset, _report(dataset)


@pytest.fixture(scope="module")
def small_site(
    generated: tuple[Dataset, Report], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Report, Path, dict[Path, Page]]:
    """The generated report as a site of small pages (so that every list goes over pages)."""
    _dataset, report = generated
    overview = tmp_path_factory.mktemp("site") / "r.html"
    _write(report_to_html_site(report, plan_site(report, page_size=40, name="r")), overview)
    return report, overview, _read_site(overview)


# -- the plan ---------------------------------------------------------------------------------


def test_plan_names_pages_and_makes_relative_links_between_them(
    generated: tuple[Dataset, Report],
) -> None:
    _dataset, report = generated
    plan = plan_site(report, page_size=40, name="r")
    first = report.benchmarks[0]
    assert plan.areas[report.areas[2].id] == "areas/3"
    assert plan.path(OVERVIEW) == "r.html"
    assert plan.path("areas/3", ".md") == "r/areas/3.md"
    assert plan.href(OVERVIEW, "areas/3") == "r/areas/3.html"
    assert plan.href("areas/3", OVERVIEW, "gates") == "../../r.html#gates"
    assert plan.href("areas/3", "evidence/2", "x", ".md") == "../evidence/2.md#x"
    assert plan.href("areas/3", "sources/1", "source-s") == "../sources/1.html#source-s"
    assert plan.href("areas/1", "areas/1", first.anchor) == f"#{first.anchor}"
    assert plan.link(OVERVIEW, first.anchor) == f"r/areas/1.html#{first.anchor}"
    assert plan.page_of("glance") == OVERVIEW
    assert len(plan.pages) == len(set(plan.pages))


def test_plan_puts_every_evidence_item_on_one_page_newest_first(
    generated: tuple[Dataset, Report],
) -> None:
    _dataset, report = generated
    plan = plan_site(report, page_size=40, name="r")
    listed = [item for page in plan.evidence_pages for item in page.items]
    assert listed == [view.id for view in report.evidence]
    assert len(set(listed)) == len(listed)
    assert all(len(page.items) <= 40 for page in plan.evidence_pages)
    cited = {view.id for benchmark in report.benchmarks for view in benchmark.evidence}
    assert cited <= set(listed)


def test_plan_caps_each_benchmarks_evidence_and_lists_the_rest_once(
    generated: tuple[Dataset, Report],
) -> None:
    _dataset, report = generated
    plan = plan_site(report, evidence_shown=5, page_size=40, name="r")
    runs: dict[str, list[str]] = collections.defaultdict(list)
    for page in plan.list_pages:
        assert len(page.items) <= 40
        assert [i for part in page.parts for i in part.items] == list(page.items)
        for part in page.parts:
            assert part.first == len(runs[part.benchmark])
            runs[part.benchmark] += part.items
    for benchmark in report.benchmarks:
        planned = plan.benchmarks[benchmark.id]
        ids = [view.id for view in benchmark.evidence]
        assert planned.shown == tuple(ids[:5])
        assert planned.more == max(0, len(ids) - 5)
        assert runs.get(benchmark.id, []) == (ids if planned.more else [])
        assert (planned.full_page is None) == (planned.more == 0)


def test_plan_pages_the_sources_like_the_evidence(generated: tuple[Dataset, Report]) -> None:
    _dataset, report = generated
    plan = plan_site(report, page_size=40, name="r")
    assert len(report.sources) == 100
    assert [(p.name, p.first, len(p.items)) for p in plan.source_pages] == [
        ("sources/1", 0, 40),
        ("sources/2", 40, 40),
        ("sources/3", 80, 20),
    ]
    assert [(p.previous, p.next) for p in plan.source_pages] == [
        (None, "sources/2"),
        ("sources/1", "sources/3"),
        ("sources/2", None),
    ]
    listed = [item for page in plan.source_pages for item in page.items]
    assert listed == [view.id for view in report.sources]
    for number, view in enumerate(report.sources):
        assert plan.page_of(view.anchor) == f"sources/{number // 40 + 1}"
    assert plan.sources == plan.page_of("sources") == "sources/1"
    assert plan.pages[-3:] == ("sources/1", "sources/2", "sources/3")


def test_each_page_of_sources_lists_its_own_and_links_to_its_neighbours(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    report, overview, pages = small_site
    folder = overview.with_suffix("")
    second = pages[(folder / "sources" / "2.html").resolve()]
    assert "Sources, page 2 of 3" in second.text
    assert "the documents this report cites: 41 to 80 of 100" in second.text
    assert {view.anchor for view in report.sources[40:80]} <= second.ids
    assert not {view.anchor for view in report.sources[:40] + report.sources[80:]} & second.ids
    text = (folder / "sources" / "2.html").read_text(encoding="utf-8")
    assert '<a href="1.html" rel="prev">Previous page</a>' in text
    assert '<a href="3.html" rel="next">Next page</a>' in text
    # Evidence items cite their sources on the page that lists each.
    evidence = (folder / "evidence" / "1.html").read_text(encoding="utf-8")
    cited = re.findall(r'href="\.\./sources/(\d+)\.html#(source-[^"]+)"', evidence)
    assert cited
    for number, anchor in cited:
        assert anchor in pages[(folder / "sources" / f"{number}.html").resolve()].ids


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"evidence_shown": 0}, "evidence_shown and page_size must be 1 or more, not 0, 500"),
        ({"page_size": 0}, "evidence_shown and page_size must be 1 or more, not 5, 0"),
        ({"name": "a/b"}, "the overview's name must be a plain file name, not 'a/b'"),
    ],
)
def test_plan_refuses_sizes_below_one_and_names_with_folders(
    generated: tuple[Dataset, Report], keywords: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        plan_site(generated[1], **keywords)


# -- the pages --------------------------------------------------------------------------------


def test_every_link_of_every_page_leads_to_a_page_and_a_place_on_it(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    _report, _overview, pages = small_site
    assert len(pages) > 20
    assert _broken_links(pages) == []


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shown=st.integers(1, 8), size=st.integers(1, 30), compared=st.booleans())
def test_links_resolve_whatever_the_caps_and_page_sizes(
    tmp_path_factory: pytest.TempPathFactory, shown: int, size: int, compared: bool
) -> None:
    report = _example_report(compared)
    overview = tmp_path_factory.mktemp("example-site") / "kz.html"
    _write(
        report_to_html_site(
            report, plan_site(report, evidence_shown=shown, page_size=size, name="kz")
        ),
        overview,
    )
    pages = _read_site(overview)
    assert _broken_links(pages) == []
    assert all(page.scripts == 0 for page in pages.values())


@functools.cache
def _example_report(compared: bool) -> Report:
    dataset = load_dataset(EXAMPLE)
    if not compared:
        return _report(dataset, "2016-01-01")
    comparison = compare(dataset, "2012-03-20", "2016-01-01")
    return build_report(dataset, comparison.scorecard_after, comparison=comparison)


def test_each_quote_is_printed_once_across_the_site(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    report, overview, _pages = small_site
    texts = [overview.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in overview.with_suffix("").rglob("*.html")]
    site = "".join(texts)
    quotes = collections.Counter(view.quote for view in report.evidence if view.quote)
    assert quotes
    for quote, times in quotes.items():
        assert site.count(f"<blockquote>{escape(quote)}</blockquote>") == times, quote
    # On the single page, the quotes were printed under every benchmark they bear on.
    cited = sum(len(b.evidence) for b in report.benchmarks)
    assert cited > len(report.evidence)


def _article(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</article>", start)]


def test_each_benchmark_shows_its_latest_evidence_and_says_how_many_more(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    report, overview, _pages = small_site
    plan = plan_site(report, page_size=40, name="r")
    folder = overview.with_suffix("")
    capped = 0
    for number, area in enumerate(report.areas, start=1):
        page = (folder / "areas" / f"{number}.html").read_text(encoding="utf-8")
        for benchmark in area.benchmarks:
            article = _article(page, benchmark.anchor)
            lines = re.findall(
                r'<li class="ev-line"><a href="\.\./evidence/\d+\.html#([^"]+)">', article
            )
            assert lines == [view.anchor for view in benchmark.evidence[:5]]
            more = len(benchmark.evidence) - 5
            said = Page(article).text
            if more > 0:
                capped += 1
                planned = plan.benchmarks[benchmark.id]
                # The link leads to where the benchmark's list starts, on a page lists share.
                assert re.findall(
                    r'more-evidence">and \d+ more, dated earlier: <a href="([^"]+)"', article
                ) == [f"../{planned.full_page}.html#{planned.list_anchor}"]
                assert (
                    f"and {more} more, dated earlier: all {len(benchmark.evidence)} items of "
                    "evidence on this benchmark"
                ) in said
            else:
                assert "more, dated earlier" not in said
    assert capped > 10


def test_a_benchmarks_full_list_links_every_item_to_its_quote(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    report, overview, pages = small_site
    plan = plan_site(report, page_size=40, name="r")
    benchmark = max(report.benchmarks, key=lambda b: len(b.evidence))
    planned = plan.benchmarks[benchmark.id]
    assert len(planned.full) > 1  # its list goes on over pages
    linked = []
    for name in planned.full:
        text = (overview.parent / plan.path(name)).read_text(encoding="utf-8")
        for part in re.findall(
            rf'<h3><a href="\.\./areas/\d+\.html#{benchmark.anchor}">.*?</ul>', text, re.S
        ):
            linked += re.findall(r'href="\.\./evidence/\d+\.html#([^"]+)"', part)
    assert linked == [view.anchor for view in benchmark.evidence]
    first = pages[(overview.parent / plan.path(planned.full[0])).resolve()]
    assert planned.list_anchor in first.ids


def test_the_overview_lists_every_area_with_its_score_and_no_benchmark_or_evidence(
    small_site: tuple[Report, Path, dict[Path, Page]],
) -> None:
    report, overview, pages = small_site
    text = overview.read_text(encoding="utf-8")
    for number, area in enumerate(report.areas, start=1):
        row = text[text.index(f'data-area="{area.id}"') :]
        row = row[: row.index("</h3>") + 300]
        assert f'href="r/areas/{number}.html#{area.anchor}">{escape(area.title)}</a>' in row
        assert f"<strong>{area.score_text}</strong>" in row
    for mark in ('class="tile', 'class="ev-line"', "<blockquote>", 'id="evidence-'):
        assert mark not in text
    assert f"all {len(report.evidence)} items known as of {AS_OF}" in pages[overview.resolve()].text


# -- the budget -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated_10k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(10_000, tmp_path_factory.mktemp("generated-10k"))


@pytest.mark.slow
def test_the_first_page_of_a_10k_report_fits_a_phone(
    generated_10k: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    overview = tmp_path / "r.html"
    run = cli("report", generated_10k, "--as-of", AS_OF, "-o", overview)
    assert run.status == 0, run.err
    assert run.out == f"wrote {overview} and its pages in {tmp_path / 'r'}/\n"
    pages = _read_site(overview)
    first = pages[overview.resolve()]
    assert overview.stat().st_size <= MOST_BYTES
    assert first.elements <= MOST_ELEMENTS
    # Every page is bounded, not only the first.
    for path, page in pages.items():
        assert page.elements <= MOST_ELEMENTS, path
        assert path.stat().st_size <= MOST_BYTES, path
    assert _broken_links(pages) == []
    # The pages checked include those of the sources.
    assert (tmp_path / "r" / "sources" / "1.html").resolve() in pages


def test_the_estimates_err_high(tmp_path: Path) -> None:
    reports = [_example_report(False), _example_report(True)]
    reports += [_report_over_time(load_dataset(_generated(n, tmp_path))) for n in (150, 300)]
    for report in reports:
        page = report_to_html(report)
        assert Page(page).elements <= single_page_weight(report)
        assert len(page.encode("utf-8")) <= single_page_size(report)


def test_auto_writes_one_page_up_to_the_limit_and_a_site_above_it(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    below = _generated(200, tmp_path / "below")
    above = _generated(300, tmp_path / "above")
    small, large = (_report_over_time(load_dataset(path)) for path in (below, above))
    assert single_page_weight(small) <= SINGLE_PAGE_LIMIT < single_page_weight(large)
    assert single_page_size(small) <= SINGLE_PAGE_BYTES
    assert fits_one_page(small)
    assert not fits_one_page(large)

    page = tmp_path / "small.html"
    assert cli("report", below, "--as-of", AS_OF, "-o", page).status == 0
    assert not (tmp_path / "small").exists()
    assert page.read_text(encoding="utf-8") == report_to_html(small)
    read = Page(page.read_text(encoding="utf-8"))
    assert read.elements <= MOST_ELEMENTS
    assert page.stat().st_size <= MOST_BYTES

    site = tmp_path / "large.html"
    assert cli("report", above, "--as-of", AS_OF, "-o", site).status == 0
    assert (tmp_path / "large" / MARKER).is_file()
    assert (tmp_path / "large" / "areas" / "1.html").is_file()


# -- the command ------------------------------------------------------------------------------


def _listing(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_split_writes_the_overview_and_a_folder_of_pages_beside_it(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run = cli("report", EXAMPLE, "--as-of", "2016-01-01", "--pages", "split", "-o", out / "kz.html")
    assert run.status == 0, run.err
    assert run.out == f"wrote {out / 'kz.html'} and its pages in {out / 'kz'}/\n"
    report = _example_report(False)
    expected = report_to_html_site(report, plan_site(report, name="kz"))
    written = [name for name in _listing(out) if name.endswith(".html")]
    assert written == sorted(["kz.html", *(f"kz/{path}" for path, _ in expected.pages)])
    assert _broken_links(_read_site(out / "kz.html")) == []
    assert "benchmarkkit report --force replaces it" in (out / "kz" / MARKER).read_text()
    assert not [name for name in _listing(out) if name.startswith(".")]  # no staging left


def test_auto_writes_the_example_as_one_page_as_before(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    for pages in ("auto", "single"):
        page = tmp_path / f"{pages}.html"
        args = ("report", EXAMPLE, "--as-of", "2016-01-01", "--pages", pages, "-o", page)
        assert cli(*args).status == 0
    assert (tmp_path / "auto.html").read_bytes() == (tmp_path / "single.html").read_bytes()
    assert _listing(tmp_path) == ["auto.html", "single.html"]


def test_an_existing_folder_is_refused_and_nothing_is_written(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "kz").mkdir()
    (tmp_path / "kz" / "notes.txt").write_text("mine", encoding="utf-8")
    run = cli("report", EXAMPLE, "--pages", "split", "-o", tmp_path / "kz.html")
    assert run.status == 2
    assert run.err == (
        f"benchmarkkit report: error: '{tmp_path / 'kz'}' already exists; the report's pages "
        f"are written in a new folder beside '{tmp_path / 'kz.html'}', named as it without its "
        "extension: remove the folder, write to another file, add --pages single for one page, "
        "or add --force to replace the pages of an earlier report\n"
    )
    assert _listing(tmp_path) == ["kz", "kz/notes.txt"]


def test_a_one_page_report_goes_beside_a_folder_of_its_name_and_into_the_dataset_folder(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    # auto looks at the folder of pages only when the report needs one: a small report is
    # written where a one-page report always was, beside a folder named as it or among the data.
    (tmp_path / "kz").mkdir()
    (tmp_path / "kz" / "notes.txt").write_text("mine", encoding="utf-8")
    run = cli("report", EXAMPLE, "--as-of", "2012-03-20", "-o", tmp_path / "kz.html")
    assert (run.status, run.err) == (0, "")
    assert run.out.endswith(f"wrote {tmp_path / 'kz.html'}\n")
    assert _listing(tmp_path) == ["kz", "kz.html", "kz/notes.txt"]


def test_force_replaces_only_a_folder_benchmarkkit_wrote(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "kz").mkdir()
    (tmp_path / "kz" / "notes.txt").write_text("mine", encoding="utf-8")
    run = cli("report", EXAMPLE, "--pages", "split", "--force", "-o", tmp_path / "kz.html")
    assert run.status == 2
    assert run.err == (
        f"benchmarkkit report: error: '{tmp_path / 'kz'}' already exists and benchmarkkit did "
        f"not write it (it holds no {MARKER} file), so it is not replaced, even with --force: "
        "remove it yourself, or write the report to another file\n"
    )
    assert _listing(tmp_path) == ["kz", "kz/notes.txt"]

    (tmp_path / "kz" / "notes.txt").unlink()
    (tmp_path / "kz").rmdir()
    args = (
        "report",
        EXAMPLE,
        "--as-of",
        "2016-01-01",
        "--pages",
        "split",
        "-o",
        tmp_path / "kz.html",
    )
    assert cli(*args).status == 0
    (tmp_path / "kz" / "areas" / "99.html").write_text("stale", encoding="utf-8")
    assert cli(*args, "--force").status == 0
    assert not (tmp_path / "kz" / "areas" / "99.html").exists()  # replaced whole
    assert (tmp_path / "kz" / "areas" / "1.html").is_file()
    assert not [name for name in _listing(tmp_path) if name.startswith(".")]


def test_the_folder_of_pages_is_never_the_dataset_nor_inside_it(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    import shutil

    dataset = tmp_path / "kz"
    shutil.copytree(EXAMPLE, dataset)
    for output in (tmp_path / "kz.html", dataset / "report" / "r.html", dataset / "r.html"):
        before = _listing(tmp_path)
        run = cli("report", dataset, "--pages", "split", "--force", "-o", output)
        assert run.status == 2, output
        assert "which would be in or around the dataset" in run.err
        assert "write the report outside the dataset's folder" in run.err
        assert _listing(tmp_path) == before


def test_nothing_is_written_when_the_dataset_cannot_be_scored(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": "1.0", "id": "x"}', encoding="utf-8")
    run = cli("report", broken, "--pages", "split", "-o", tmp_path / "r.html")
    assert run.status == 1
    assert _listing(tmp_path) == ["broken.json"]


def test_split_to_the_standard_output_is_refused(cli: Callable[..., Run]) -> None:
    run = cli("report", EXAMPLE, "--pages", "split", "-o", "-")
    assert run.status == 2
    assert run.err == (
        "benchmarkkit report: error: --pages split writes an overview file and a folder of "
        "pages beside it, so it needs a file name: give -o report.md or -o report.html, not '-'\n"
    )
