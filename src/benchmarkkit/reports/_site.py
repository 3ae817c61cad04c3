"""The plan of a report written as a small static site: its pages, what each holds, and links.

A large report does not fit one page a phone can open. :func:`plan_site`
splits a :class:`~benchmarkkit.reports.Report` into pages and is the one
place that names them, says where every record's anchor lies, and makes the
relative links between them, for every format (the HTML and the Markdown
site are rendered on the same plan, so their pages and links agree).

The site of ``-o r.html`` is the overview ``r.html`` and, in the folder
``r/`` beside it, these pages (names without their suffix, relative to
that folder):

``areas/<n>``
    The ``n``-th area of the report (from 1): its benchmarks in detail, each
    benchmark's newest :attr:`SitePlan.evidence_shown` evidence items as one
    line each (linking to the item on its evidence page), and the area's
    recommendations.
``evidence/<k>``
    The ``k``-th page (from 1) of every evidence item the report shows,
    each printed once with its quote, newest first, :attr:`SitePlan.page_size`
    items a page.
``benchmarks/<k>``
    The ``k``-th page (from 1) of the full lists of evidence of the
    benchmarks with more evidence than their area page shows: one line an
    item, each benchmark's list under its title, in report order,
    :attr:`SitePlan.page_size` lines a page (a long list goes on over the next
    pages). Lists share pages, rather than one page a benchmark, so that the
    site has a few hundred pages at 100,000 evidence items, not thousands.
``recommendations``
    Only when some recommendations are in no area: that section.
``gates``
    Each gate's conditions and which held (the overview shows each gate's
    verdict and what decided it).
``sources/<k>``
    The ``k``-th page (from 1) of the sources the report cites, in report
    order, :attr:`SitePlan.page_size` a page.

The overview's page name is :data:`OVERVIEW`; the file name of the overview
(``r``) is the plan's :attr:`SitePlan.name`. Pages are told apart from the
overview only by name, so a renderer asks :meth:`SitePlan.href` for every
link, and :meth:`SitePlan.page_of` for the page that holds an anchor
(anchors are those of :func:`~benchmarkkit.reports._records.anchor`, the
same as on the single page). Every list on a page is bounded: by the areas
and gates on the overview, by one area's benchmarks on an area page, and by
``page_size`` on evidence, benchmark and source pages.

The page size is the renderer's to choose: an HTML page of 500 evidence items
stays well within a phone's budget, but a Markdown one can pass 400 KB, near
what GitHub shows of a file (512 KB), so the command plans a Markdown site
with :data:`MARKDOWN_PAGE_SIZE` (:func:`page_size_for`).
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from benchmarkkit.reports._records import anchor

if TYPE_CHECKING:
    from benchmarkkit.reports._report import (
        ChangeItem,
        ConditionView,
        RecommendationView,
        Report,
    )

__all__ = [
    "EVIDENCE_SHOWN",
    "MARKDOWN_PAGE_SIZE",
    "MARKER",
    "OVERVIEW",
    "PAGE_SIZE",
    "SINGLE_PAGE_BYTES",
    "SINGLE_PAGE_LIMIT",
    "BenchmarkPlan",
    "ListPage",
    "ListPart",
    "Site",
    "SitePlan",
    "area_values",
    "fits_one_page",
    "linker",
    "page_size_for",
    "plan_site",
    "single_page_size",
    "single_page_weight",
]

#: The page name of the overview (its file is named by :attr:`SitePlan.name`).
OVERVIEW = "overview"
#: How many of a benchmark's evidence items its area page shows, newest first.
EVIDENCE_SHOWN = 5
#: How many items an evidence page, lines a benchmark's full list, or sources a page holds.
PAGE_SIZE = 500
#: The same for a Markdown site: an evidence item with its quote takes up to about 1 KB of
#: Markdown, and GitHub shows no more than 512,000 bytes of a file.
MARKDOWN_PAGE_SIZE = 250
#: The file a site's folder holds to show that benchmarkkit wrote it: only such a folder is
#: ever replaced (with ``--force``).
MARKER = ".benchmarkkit-report"
#: The most elements :func:`single_page_weight` may estimate for one page: above it,
#: ``--pages auto`` writes a site. A phone's budget is 10,000 elements and 2 MB; the estimate
#: errs high, and tests/test_report_site.py holds a generated report at this limit to that budget.
SINGLE_PAGE_LIMIT = 8_000
#: The most bytes :func:`single_page_size` may estimate for one page (the budget is 2 MB).
SINGLE_PAGE_BYTES = 1_500_000

# What each block of the single page adds to it, in elements (measured on generated and the
# example's reports): a benchmark (its tile and its article, with commitments, standards and
# steps), an evidence item under it, a recommendation and its evidence, a source, a gate's
# card and each of its conditions, a score on the timeline (charted twice and tabled).
_PAGE = 600
_BENCHMARK = 60
_EVIDENCE = 12
_RECOMMENDATION = 25
_SOURCE = 6
_GATE = 25
_CONDITION = 6
_SCORE_OVER_TIME = 7
_BYTES_PER_ELEMENT = 100  # of markup; the page's texts are counted apart


def _conditions(condition: ConditionView) -> int:
    return 1 + sum(_conditions(child) for child in condition.children)


def _recommendations(recommendations: Sequence[RecommendationView]) -> int:
    return sum(_RECOMMENDATION + _EVIDENCE * len(rec.evidence) for rec in recommendations)


def single_page_weight(report: Report) -> int:
    """About how many elements ``report`` would have as one HTML page (an estimate that errs high).

    What grows with the data is counted: the benchmarks, the evidence cited
    under them, the recommendations listed (under benchmarks, gates and
    areas, each time) with their evidence, the sources, the gates' conditions
    and the scores over time. What decides one page or a site (``--pages auto``).
    """
    weight = _PAGE + _SOURCE * len(report.sources)
    for benchmark in report.benchmarks:
        weight += _BENCHMARK + _EVIDENCE * len(benchmark.evidence)
        weight += _recommendations(benchmark.recommendations)
    for gate in report.gates:
        weight += _GATE + _CONDITION * _conditions(gate.condition)
        weight += _recommendations(gate.recommendations)
    for section in report.recommendations:
        for group in section.groups:
            weight += _recommendations(group.recommendations)
    if report.timeline is not None:
        points = len(report.timeline.dates) * len(report.timeline.series)
        weight += _SCORE_OVER_TIME * points
    return weight


def single_page_size(report: Report) -> int:
    """About how many bytes ``report`` would have as one HTML page (an estimate that errs high).

    The markup, from :func:`single_page_weight`, and the longest texts: those
    of the evidence and recommendations, counted each time they are shown.
    """
    size = _BYTES_PER_ELEMENT * single_page_weight(report)
    for benchmark in report.benchmarks:
        size += sum(len(view.summary) + len(view.quote or "") for view in benchmark.evidence)
        size += _texts(benchmark.recommendations)
    for gate in report.gates:
        size += _texts(gate.recommendations)
    for section in report.recommendations:
        for group in section.groups:
            size += _texts(group.recommendations)
    return size


def _texts(recommendations: Sequence[RecommendationView]) -> int:
    return sum(
        len(rec.text)
        + len(rec.quote or "")
        + sum(len(e.summary) + len(e.quote or "") for e in rec.evidence)
        for rec in recommendations
    )


def fits_one_page(report: Report) -> bool:
    """Whether ``report`` stays within a phone's budget as one page (``--pages auto``).

    It does when neither :func:`single_page_weight` is above
    :data:`SINGLE_PAGE_LIMIT` nor :func:`single_page_size` above
    :data:`SINGLE_PAGE_BYTES`.
    """
    return (
        single_page_weight(report) <= SINGLE_PAGE_LIMIT
        and single_page_size(report) <= SINGLE_PAGE_BYTES
    )


@attrs.frozen(kw_only=True)
class ListPage:
    """One page of a paged list: its name, the ids it holds in order, and its neighbours.

    ``number`` counts from 1; ``previous`` and ``next`` are page names
    (``None`` at either end); ``first`` is the index of its first item in the
    whole list (from 0). On a ``benchmarks/<k>`` page, ``parts`` say whose
    list each run of ``items`` is; the run that starts a benchmark's list
    (``first`` 0) is where its :attr:`BenchmarkPlan.list_anchor` is.
    ``heading`` is the page's heading in every format (``Evidence, page 2 of 7``).
    """

    name: str
    number: int
    items: tuple[str, ...]
    first: int
    previous: str | None = None
    next: str | None = None
    parts: tuple[ListPart, ...] = ()
    heading: str = ""


@attrs.frozen(kw_only=True)
class ListPart:
    """A run of one benchmark's full list of evidence on a ``benchmarks/<k>`` page.

    ``first`` is the index, in the benchmark's whole list (newest first, from
    0), of the run's first item: 0 where the list starts, more where it goes
    on from the page before.
    """

    benchmark: str
    first: int
    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class BenchmarkPlan:
    """Where a benchmark is, and which of its evidence its area page shows.

    ``number`` is its place in the report (from 1); ``page`` is its area's
    page; ``shown`` the ids of the evidence shown there, newest first;
    ``more`` how many older items are left out of it, and ``full`` the pages
    its full list is on (empty when ``more`` is 0), where it starts at
    ``list_anchor``.
    """

    id: str
    number: int
    page: str
    shown: tuple[str, ...]
    more: int
    full: tuple[str, ...] = ()
    list_anchor: str | None = None

    @property
    def full_page(self) -> str | None:
        """The first page of the benchmark's full list of evidence, if it has one."""
        return self.full[0] if self.full else None


#: What each paged list's pages are headed, before ", page k of n".
_PAGED_TITLES = {
    "evidence": "Evidence",
    "benchmarks": "Evidence by benchmark",
    "sources": "Sources",
}


def _paged(
    prefix: str, ids: Sequence[str], size: int, parts: Sequence[Sequence[ListPart]] = ()
) -> tuple[ListPage, ...]:
    """``ids`` in pages of ``size`` named ``prefix/1``, ``prefix/2``... (none if empty)."""
    count = -(-len(ids) // size)
    title = _PAGED_TITLES[prefix]
    return tuple(
        ListPage(
            name=f"{prefix}/{number}",
            number=number,
            items=tuple(ids[(number - 1) * size : number * size]),
            first=(number - 1) * size,
            previous=f"{prefix}/{number - 1}" if number > 1 else None,
            next=f"{prefix}/{number + 1}" if number < count else None,
            parts=tuple(parts[number - 1]) if parts else (),
            heading=f"{title}, page {number} of {count}",
        )
        for number in range(1, count + 1)
    )


@attrs.frozen(kw_only=True)
class Site:
    """A report rendered as a site: the overview's text, and each page's path and text.

    A page's ``path`` is relative to the site's folder and has its suffix
    (``areas/3.html``); the command writes the pages into the folder, then the
    overview beside it. Renderers of every format return this. ``pages`` may
    be an iterator that renders each page as it is asked for (so that a large
    site is never held whole): read it once.
    """

    overview: str
    pages: Iterable[tuple[str, str]]


@attrs.frozen(kw_only=True)
class SitePlan:
    """The pages of a report's site and where each anchor lies; made by :func:`plan_site`.

    ``name`` is the overview's file name without its suffix (``r`` for
    ``r.html``), which is also the name of the folder of the other pages.
    ``areas`` maps an area's id to its page; ``evidence_pages`` lists the
    evidence pages and ``benchmarks`` plans each benchmark by id, in report
    order, and ``list_pages`` are the pages of their full lists of
    evidence. ``sections`` maps a recommendation section's anchor to its page.
    ``source_pages`` are the pages of the sources (their ``items`` the
    sources' ids, in report order). ``gates`` names its page and ``sources``
    the first page of the sources (``None`` when the report has none).
    ``bears_on`` gives, for an evidence item's id, the benchmarks citing it
    (their titles and anchors, in report order).
    """

    name: str
    evidence_shown: int
    page_size: int
    areas: Mapping[str, str]
    evidence_pages: tuple[ListPage, ...]
    benchmarks: Mapping[str, BenchmarkPlan]
    list_pages: tuple[ListPage, ...]
    sections: Mapping[str, str]
    source_pages: tuple[ListPage, ...]
    gates: str | None
    sources: str | None
    _anchors: Mapping[str, str] = attrs.field(alias="anchors", repr=False)
    _evidence: Mapping[str, str] = attrs.field(alias="evidence", repr=False)
    _bears_on: Mapping[str, tuple[tuple[str, str], ...]] = attrs.field(alias="bears_on", repr=False)

    @property
    def pages(self) -> tuple[str, ...]:
        """Every page but the overview, by name, in the order a reader meets them."""
        names = list(self.areas.values())
        names += [page.name for page in self.evidence_pages]
        names += [page.name for page in self.list_pages]
        names += [page for page in dict.fromkeys(self.sections.values()) if page not in names]
        names += [self.gates] if self.gates else []
        names += [page.name for page in self.source_pages]
        return tuple(names)

    def evidence_page(self, evidence_id: str) -> str | None:
        """The evidence page that prints an evidence item (``None``: the report shows it not)."""
        return self._evidence.get(evidence_id)

    def bears_on(self, evidence_id: str) -> tuple[tuple[str, str], ...]:
        """The benchmarks an evidence item is cited under: (title, anchor), in report order."""
        return self._bears_on.get(evidence_id, ())

    def page_of(self, anchor: str) -> str:
        """The page that holds ``anchor`` (an area, benchmark, evidence item, source, section).

        Anything else (a gate, the overview's own sections) is on the overview.
        """
        return self._anchors.get(anchor, OVERVIEW)

    def path(self, page: str, suffix: str = ".html") -> str:
        """Where a page's file is, relative to the folder that holds the overview."""
        if page == OVERVIEW:
            return f"{self.name}{suffix}"
        return f"{self.name}/{page}{suffix}"

    def href(
        self, from_page: str, to_page: str, anchor: str | None = None, suffix: str = ".html"
    ) -> str:
        """A relative link from one page to another (to ``#anchor`` on it, if given).

        A link within one page is the anchor alone: ``#benchmark-bm-1``.
        """
        fragment = f"#{anchor}" if anchor else ""
        if from_page == to_page and fragment:
            return fragment
        here = posixpath.dirname(self.path(from_page, suffix))
        return _relative(here, self.path(to_page, suffix)) + fragment

    def link(self, from_page: str, anchor: str, suffix: str = ".html") -> str:
        """A relative link from a page to ``anchor``, wherever the plan put it."""
        return self.href(from_page, self.page_of(anchor), anchor, suffix)


def linker(
    plan: SitePlan,
    page: str,
    *,
    suffix: str = ".html",
    here: Collection[str] = (),
    paths: dict[str, str] | None = None,
) -> Callable[[str], str]:
    """``to(anchor)`` on ``page``: :meth:`SitePlan.link`, the link to each page made once.

    ``here`` are anchors of the page itself that the plan does not place;
    ``paths`` keeps the link to each page from ``page`` (pages of one folder
    may share it). A site has hundreds of thousands of links, to a few hundred
    pages.
    """
    paths = {} if paths is None else paths

    def to(anchor: str) -> str:
        target = plan.page_of(anchor)
        if anchor in here or target == page:
            return f"#{anchor}"
        path = paths.get(target)
        if path is None:
            path = paths[target] = plan.href(page, target, suffix=suffix)
        return f"{path}#{anchor}"

    return to


@functools.lru_cache(maxsize=65536)
def _relative(here: str, to_path: str) -> str:
    """``to_path`` relative to the folder ``here`` (both relative to one folder).

    Kept for each folder (a site has five) and page: a few thousand at most.
    """
    return posixpath.relpath(to_path, here) if here else to_path


def plan_site(
    report: Report,
    *,
    evidence_shown: int = EVIDENCE_SHOWN,
    page_size: int = PAGE_SIZE,
    name: str = "report",
) -> SitePlan:
    """Plan ``report`` as a site whose overview is named ``name`` (``r`` for ``r.html``).

    Each benchmark's area page shows its ``evidence_shown`` newest items;
    evidence pages and the pages of full lists hold ``page_size`` items each.
    Raises :class:`ValueError` for sizes below 1, or a name that is not a
    plain file name.
    """
    if evidence_shown < 1 or page_size < 1:
        raise ValueError(
            f"evidence_shown and page_size must be 1 or more, not {evidence_shown}, {page_size}"
        )
    if not name or name in {".", ".."} or "/" in name or "\\" in name:
        raise ValueError(f"the overview's name must be a plain file name, not {name!r}")
    anchors: dict[str, str] = {}
    areas: dict[str, str] = {}
    for number, area in enumerate(report.areas, start=1):
        page = areas.setdefault(area.id, f"areas/{number}")
        anchors.setdefault(area.anchor, page)
        for benchmark in area.benchmarks:
            anchors.setdefault(benchmark.anchor, page)
    evidence_pages = _paged("evidence", [e.id for e in report.evidence], page_size)
    evidence: dict[str, str] = {}
    for list_page in evidence_pages:
        for evidence_id in list_page.items:
            evidence[evidence_id] = list_page.name
    for view in report.evidence:
        anchors[view.anchor] = evidence[view.id]
    benchmarks, list_pages = _benchmark_plans(report, areas, evidence_shown, page_size)
    for plan in benchmarks.values():
        if plan.list_anchor is not None and plan.full_page is not None:
            anchors[plan.list_anchor] = plan.full_page
    sections = _sections(report, areas, anchors)
    gates = "gates" if report.gates else None
    if gates:
        anchors.update(dict.fromkeys((view.anchor for view in report.gates), gates))
        anchors["gates"] = gates  # the section, on the page of its own name
    source_pages = _paged("sources", [view.id for view in report.sources], page_size)
    sources = source_pages[0].name if source_pages else None
    for number, source in enumerate(report.sources):
        anchors[source.anchor] = source_pages[number // page_size].name
    if sources:
        anchors["sources"] = sources  # the section's start, on its first page
    return SitePlan(
        name=name,
        evidence_shown=evidence_shown,
        page_size=page_size,
        areas=areas,
        evidence_pages=evidence_pages,
        benchmarks=benchmarks,
        list_pages=list_pages,
        sections=sections,
        source_pages=source_pages,
        gates=gates,
        sources=sources,
        anchors=anchors,
        evidence=evidence,
        bears_on=_bears_on(report),
    )


def _sections(report: Report, areas: Mapping[str, str], anchors: dict[str, str]) -> dict[str, str]:
    """Each recommendation section's page (its area's), its anchors placed in ``anchors``."""
    sections: dict[str, str] = {}
    for section in report.recommendations:
        page = areas.get(section.area_id or "", "recommendations")
        sections[section.anchor] = anchors[section.anchor] = page
        for group in section.groups:
            for rec in group.recommendations:
                anchors[f"{section.anchor}-{rec.anchor}"] = page
    return sections


def _bears_on(report: Report) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for area in report.areas:
        for benchmark in area.benchmarks:
            cited = (benchmark.title, benchmark.anchor)
            for view in benchmark.evidence:
                found.setdefault(view.id, []).append(cited)
    return {evidence_id: tuple(cited) for evidence_id, cited in found.items()}


def _benchmark_plans(
    report: Report, areas: Mapping[str, str], shown: int, page_size: int
) -> tuple[dict[str, BenchmarkPlan], tuple[ListPage, ...]]:
    """Each benchmark's plan, and the pages of the full lists, packed ``page_size`` lines a page."""
    plans: dict[str, BenchmarkPlan] = {}
    lines: list[str] = []  # every line of every full list, in order
    runs: list[list[tuple[str, int, list[str]]]] = []  # each page's runs: whose, from where
    number = 0
    for area in report.areas:
        for benchmark in area.benchmarks:
            number += 1
            if benchmark.id in plans:  # the first benchmark of an id, as everywhere
                continue
            ids = [view.id for view in benchmark.evidence]
            more = max(0, len(ids) - shown)
            pages: list[str] = []
            index = 0
            while more and index < len(ids):  # a run of the list on each page it goes over
                if len(lines) % page_size == 0:  # the page is full (or none is open yet)
                    runs.append([])
                run = ids[index : index + page_size - len(lines) % page_size]
                runs[-1].append((benchmark.id, index, run))
                pages.append(f"benchmarks/{len(runs)}")
                lines += run
                index += len(run)
            plans[benchmark.id] = BenchmarkPlan(
                id=benchmark.id,
                number=number,
                page=areas[area.id],
                shown=tuple(ids[:shown]),
                more=more,
                full=tuple(pages),
                list_anchor=anchor("list", benchmark.id) if more else None,
            )
    parts = [
        [ListPart(benchmark=whose, first=first, items=tuple(items)) for whose, first, items in page]
        for page in runs
    ]
    return plans, _paged("benchmarks", lines, page_size, parts)


def page_size_for(kind: str) -> int:
    """The page size a site of ``kind`` (``"html"`` or ``"markdown"``) is planned with."""
    return MARKDOWN_PAGE_SIZE if kind == "markdown" else PAGE_SIZE


def area_values(report: Report, plan: SitePlan, number: int) -> dict[str, Any]:
    """What the page of the ``number``-th area (from 1) shows, for every format's template.

    The area, its scores by date (the overall series and its own), the
    changes and the differences of its benchmarks, its recommendations, and
    the areas before and after it.
    """
    area = report.areas[number - 1]
    timeline = report.timeline
    in_area = {b.id for b in area.benchmarks}

    def of_area(items: Sequence[ChangeItem]) -> list[ChangeItem]:
        return [item for item in items if item.subject == "benchmark" and item.id in in_area]

    return {
        "kind": "area",
        "heading": area.title,
        "anchor": area.anchor,
        "area": area,
        "series": (timeline.series[0], timeline.series[number]) if timeline else (),
        "changes": of_area(report.changes),
        "differences": of_area(report.differences),
        "sections": [s for s in report.recommendations if s.area_id == area.id],
        "previous": plan.areas[report.areas[number - 2].id] if number > 1 else None,
        "next": plan.areas[report.areas[number].id] if number < len(report.areas) else None,
        "label": "area",
    }
