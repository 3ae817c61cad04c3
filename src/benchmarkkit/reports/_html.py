"""A report as one self-contained HTML page, or as a small static site of such pages.

Every page carries a Content Security Policy that allows nothing but its own
stylesheet (by hash) and ``data:`` images, so that even a mistake in a
template could neither run a script nor make the browser fetch anything.
A site (:func:`report_to_html_site`) is laid out by a
:class:`~benchmarkkit.reports._site.SitePlan`: its pages link each other by
relative links, and each is complete in itself (inline CSS and SVG).
"""

from __future__ import annotations

import base64
import collections
import hashlib
import posixpath
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from benchmarkkit._version import __version__
from benchmarkkit.reports._records import first_words
from benchmarkkit.reports._site import OVERVIEW, Site, SitePlan, area_values

if TYPE_CHECKING:
    import jinja2

    from benchmarkkit.reports._links import Link
    from benchmarkkit.reports._report import EvidenceView, Report, SourceRef

__all__ = ["report_to_html", "report_to_html_site"]


def _common(report: Report, *, site: bool) -> tuple[jinja2.Environment, dict[str, Any]]:
    """The HTML environment, and what every page of ``report`` is rendered with."""
    from benchmarkkit.reports._templates import environment

    env = environment("html")
    css = env.get_template("report.css").render(
        tones=report.tones, positions=report.positions, site=site
    )
    if "</" in css:  # the stylesheet holds only our own rules and computed colours
        raise AssertionError("the report stylesheet must not contain '</'")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return env, {
        "report": report,
        "css": Markup(css),  # noqa: S704 - our own stylesheet, checked above, not dataset text
        "style_hash": f"sha256-{digest}",
        "version": __version__,
    }


def report_to_html(report: Report) -> str:
    """Render ``report`` as a complete HTML document (UTF-8 text).

    Every string from the dataset is escaped; addresses are linked only
    when they are http, https and mailto URLs.
    """
    env, common = _common(report, site=False)
    return env.get_template("report.html").render(
        **common, plan=None, page=None, to=_on_the_page, pieces=_Pieces(_on_the_page)
    )


def _on_the_page(anchor: str) -> str:
    return f"#{anchor}"


class _Pieces:
    """The pieces of markup a report repeats most, for templates: one place for each.

    A link, a note on an address not linked, a citation, a quote and an
    evidence item are written here rather than as macros (``_macros.html``
    names them): a large report has hundreds of thousands of them, and a
    macro call costs several times the piece. Every value is escaped here, as
    the templates' autoescaping would; ``to`` makes the links to anchors.
    """

    def __init__(self, to: Callable[[str], str]) -> None:
        self.to = to

    @staticmethod
    def link_to(link: Link) -> Markup:
        """The text, linked when its address may be (``Link.href``)."""
        if not link.href:
            return escape(link.text)
        return Markup(  # noqa: S704 - every value escaped here
            f'<a class="external" href="{escape(link.href)}" rel="noopener noreferrer nofollow">'
            f"{escape(link.text)}</a>"
        )

    @staticmethod
    def unsafe_note(link: Link | None) -> Markup:
        """Why an address the dataset gives is not linked (nothing when it is, or none is given)."""
        if not (link and link.unsafe):
            return Markup()
        return Markup(  # noqa: S704 - every value escaped here
            ' <span class="unsafe">(address not linked, as it is not an http, https or mailto '
            f"URL: <code>{escape(link.url)}</code>)</span>"
        )

    def source_ref(self, ref: SourceRef | None) -> Markup:
        """A citation: the source's title (linked), the place in it, and its entry in the list."""
        if not ref:
            return Markup()
        parts = ["<cite>", self.link_to(ref.link)]
        if ref.locator:
            parts += [", ", escape(ref.locator)]
        if ref.anchor:
            href = escape(self.to(ref.anchor))
            parts.append(f' <a href="{href}" title="About this source">[source]</a>')
        parts += [self.unsafe_note(ref.link), "</cite>"]
        return Markup("".join(parts))  # noqa: S704 - every value escaped above

    @staticmethod
    def quoted(text: str, quote_from: str | None) -> Markup:
        """A quote: the source's own words, or marked with what it was taken from."""
        if quote_from:
            return Markup(  # noqa: S704 - every value escaped here
                f'<p class="quote-from"><span class="quote-kind">{escape(quote_from)}:</span> '
                f"{escape(text)}</p>"
            )
        return Markup(f"<blockquote>{escape(text)}</blockquote>")  # noqa: S704 - escaped

    def evidence_item(
        self, view: EvidenceView, id: str | None = None, bears_on: str = ""
    ) -> Markup:
        """An evidence item as a list item (with ``id``), and on a site what it bears on."""
        parts = [
            f'<li id="{escape(id)}">\n' if id else "<li>\n",
            (
                f'  <div class="ev-head"><span class="chip d-{escape(view.direction)}">'
                f"{escape(view.direction_label)}</span> <strong>{escape(view.date)}</strong> "
                f'<span class="muted">reliability: {escape(view.reliability.lower())}</span>'
                "</div>\n"
            ),
            f"  <div>{escape(view.summary)}</div>\n",
            self.quoted(view.quote, view.quote_from) if view.quote else "",
            *(f'<div class="small">Reading: {escape(reading)}</div>' for reading in view.readings),
            f"  {self.source_ref(view.source)}\n",
            bears_on,
            "</li>",
        ]
        return Markup("".join(parts))  # noqa: S704 - every value escaped above


def _linker(
    plan: SitePlan, page: str, here: Collection[str] = (), paths: dict[str, str] | None = None
) -> Callable[[str], str]:
    """``to(anchor)`` on ``page``: a relative link to wherever the plan put the anchor.

    ``here`` are anchors of the page itself that the plan does not place;
    ``paths`` keeps the link to each page from ``page`` (pages of one folder
    may share it).
    """
    paths = {} if paths is None else paths

    def to(anchor: str) -> str:
        target = plan.page_of(anchor)
        if anchor in here or target == page:
            return f"#{anchor}"
        path = paths.get(target)
        if path is None:
            path = paths[target] = plan.href(page, target)
        return f"{path}#{anchor}"

    return to


def report_to_html_site(report: Report, plan: SitePlan) -> Site:
    """Render ``report`` as the site ``plan`` lays out: an overview page and the pages it links.

    Each page is a complete HTML document as :func:`report_to_html` writes
    one; links between them are relative, so the site can be moved or
    served from anywhere as long as the overview and its folder stay side by side.
    The overview is rendered at once; the other pages one by one as
    :attr:`Site.pages` is read (once), so that a writer holds one page at a time.
    """
    site = _SiteRenderer(report, plan)
    return Site(overview=site.overview(), pages=site.pages())


class _SiteRenderer:
    """Renders the pages of one site, sharing the links and evidence lines they have in common."""

    def __init__(self, report: Report, plan: SitePlan) -> None:
        self.report = report
        self.plan = plan
        self.env, self.common = _common(report, site=True)
        self.template = self.env.get_template("site_page.html")
        self.views = {view.id: view for view in report.evidence}
        self.lines = _EvidenceLines(plan)
        self.folders: dict[str, dict[str, str]] = collections.defaultdict(dict)

    def to(self, page: str, here: Collection[str] = ()) -> Callable[[str], str]:
        """``to(anchor)`` on ``page``; pages of one folder share their links to other pages."""
        return _linker(self.plan, page, here, self.folders[_folder(self.plan, page)])

    def render(self, page: str, here: Collection[str] = (), **values: Any) -> tuple[str, str]:
        """One page: its path in the site's folder, and its text."""
        values = {"previous": None, "next": None, "label": "page", **values}
        to = self.to(page, here)
        line = self.lines.on(page, to)
        pieces = _Pieces(to)
        text = self.template.render(
            **self.common, plan=self.plan, page=page, to=to, line=line, pieces=pieces, **values
        )
        return self.plan.path(page, ".html").split("/", 1)[1], text

    def overview(self) -> str:
        to = self.to(OVERVIEW)
        line = self.lines.on(OVERVIEW, to)
        return self.env.get_template("report.html").render(
            **self.common, plan=self.plan, page=OVERVIEW, to=to, line=line, pieces=_Pieces(to)
        )

    def pages(self) -> Iterator[tuple[str, str]]:
        """Every page but the overview, rendered as it is asked for."""
        report, plan = self.report, self.plan
        for number, area in enumerate(report.areas, start=1):
            page = plan.areas[area.id]
            if page == f"areas/{number}":  # a second area of an id: its benchmarks shown once
                yield self.render(page, ("glance", "top"), **area_values(report, plan, number))
        for listed in plan.evidence_pages:
            yield self.render(
                listed.name,
                kind="evidence",
                heading=f"Evidence, page {listed.number} of {len(plan.evidence_pages)}",
                listed=listed,
                items=[(self.views[i], self.bears_on(listed.name, i)) for i in listed.items],
                previous=listed.previous,
                next=listed.next,
            )
        yield from self.list_pages()
        others = [s for s in report.recommendations if plan.sections[s.anchor] == "recommendations"]
        if others:
            yield self.render(
                "recommendations", kind="recommendations", heading=others[0].title, sections=others
            )
        if plan.gates:
            yield self.render(plan.gates, ("gates",), kind="gates", heading="Gate conditions")
        for listed in plan.source_pages:
            yield self.render(
                listed.name,
                ("sources",),
                kind="sources",
                heading=f"Sources, page {listed.number} of {len(plan.source_pages)}",
                listed=listed,
                sources=report.sources[listed.first : listed.first + len(listed.items)],
                previous=listed.previous,
                next=listed.next,
            )

    def bears_on(self, page: str, evidence_id: str) -> Markup:
        """The benchmarks an evidence item bears on, linked, for its evidence page."""
        cited = self.plan.bears_on(evidence_id)
        if not cited:
            return Markup()
        to = self.to(page)
        links = "; ".join(
            f'<a href="{escape(to(where))}">{escape(title)}</a>' for title, where in cited
        )
        return Markup(f'<div class="small bears-on">Bears on: {links}</div>')  # noqa: S704 - escaped

    def list_pages(self) -> Iterator[tuple[str, str]]:
        """The pages of the benchmarks' full lists of evidence."""
        plan = self.plan
        benchmarks = {b.id: b for b in self.report.benchmarks}
        for listed in plan.list_pages:
            line = self.lines.on(listed.name, self.to(listed.name))
            runs = [
                (
                    benchmarks[run.benchmark],
                    run,
                    Markup().join(line(self.views[i]) for i in run.items),
                )
                for run in listed.parts
            ]
            yield self.render(
                listed.name,
                kind="lists",
                heading=f"Evidence by benchmark, page {listed.number} of {len(plan.list_pages)}",
                runs=runs,
                previous=listed.previous,
                next=listed.next,
            )


def _folder(plan: SitePlan, page: str) -> str:
    """The folder of a page's file: links from pages of one folder are the same."""
    return posixpath.dirname(plan.path(page))


class _EvidenceLines:
    """Evidence items in one line each: made once per item and folder of the pages it is on."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.made: dict[tuple[str, str], Markup] = {}

    def on(self, page: str, to: Callable[[str], str]) -> Callable[[EvidenceView], Markup]:
        """``line(view)`` for ``page``, whose links ``to`` makes."""
        folder = _folder(self.plan, page)  # links from it start there

        def line(view: EvidenceView) -> Markup:
            key = (view.id, folder)
            made = self.made.get(key)
            if made is None:
                # An evidence item in one line (date, direction, its summary's first words),
                # linking to the item on its evidence page. Written here rather than as a
                # macro: a site at 100,000 items has 200,000 of them, and a macro call (or
                # Markup.format) costs more than the line.
                made = self.made[key] = Markup(  # noqa: S704 - every value escaped here
                    f'<li class="ev-line"><a href="{escape(to(view.anchor))}">'
                    f"{escape(view.date)}</a> "
                    f'<span class="chip d-{escape(view.direction)}">'
                    f"{escape(view.direction_label)}</span> "
                    f"{escape(first_words(view.summary))}</li>"
                )
            return made

        return line
