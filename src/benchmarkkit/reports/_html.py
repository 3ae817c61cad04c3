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

from markupsafe import Markup

from benchmarkkit._version import __version__
from benchmarkkit.reports._records import first_words
from benchmarkkit.reports._site import OVERVIEW, Site, SitePlan, area_values, linker

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


def _escaped(text: str) -> str:
    """``markupsafe.escape(text)`` for a ``str``, as a plain ``str``.

    markupsafe documents what it escapes (``&``, ``<``, ``>``, ``'`` and ``"``, as
    ``&amp;``, ``&lt;``, ``&gt;``, ``&#39;`` and ``&#34;``); its ``escape`` also wraps
    each value in a ``Markup``, which costs several times the escaping, and the pieces
    below escape hundreds of thousands of values to make one ``Markup`` of each piece.
    The same as ``escape`` for every ``str``: tests/test_report_costs.py.
    """
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


class _Pieces:
    """The pieces of markup a report repeats most, for templates: one place for each.

    A link, a note on an address not linked, a citation, a quote and an
    evidence item are written here rather than as macros (``_macros.html``
    names them): a large report has hundreds of thousands of them, and a
    macro call costs several times the piece. Every value is escaped here, as
    the templates' autoescaping would; ``to`` makes the links to anchors.
    What many items share (an item's head but for its date) is made once.
    """

    def __init__(self, to: Callable[[str], str]) -> None:
        self.to = to
        self.heads: dict[tuple[str, str, str], tuple[str, str]] = {}

    @staticmethod
    def link_to(link: Link) -> Markup:
        """The text, linked when its address may be (``Link.href``)."""
        return Markup(_link_html(link))  # noqa: S704 - every value escaped there

    @staticmethod
    def unsafe_note(link: Link | None) -> Markup:
        """Why an address the dataset gives is not linked (nothing when it is, or none is given)."""
        return Markup(_unsafe_note_html(link))  # noqa: S704 - every value escaped there

    def source_ref(self, ref: SourceRef | None) -> Markup:
        """A citation: the source's title (linked), the place in it, and its entry in the list."""
        return Markup(self._source_html(ref))  # noqa: S704 - every value escaped there

    def _source_html(self, ref: SourceRef | None) -> str:
        if not ref:
            return ""
        parts = ["<cite>", _link_html(ref.link)]
        if ref.locator:
            parts += [", ", _escaped(ref.locator)]
        if ref.anchor:
            href = _escaped(self.to(ref.anchor))
            parts.append(f' <a href="{href}" title="About this source">[source]</a>')
        parts += [_unsafe_note_html(ref.link), "</cite>"]
        return "".join(parts)

    @staticmethod
    def quoted(text: str, quote_from: str | None) -> Markup:
        """A quote: the source's own words, or marked with what it was taken from."""
        return Markup(_quote_html(text, quote_from))  # noqa: S704 - every value escaped there

    def evidence_item(
        self, view: EvidenceView, id: str | None = None, bears_on: str = ""
    ) -> Markup:
        """An evidence item as a list item (with ``id``), and on a site what it bears on."""
        return Markup(self.evidence_html(view, id, bears_on))  # noqa: S704 - escaped there

    def evidence_html(self, view: EvidenceView, id: str | None = None, bears_on: str = "") -> str:
        """:meth:`evidence_item` as a ``str``, every value escaped (``bears_on`` is markup)."""
        key = (view.direction, view.direction_label, view.reliability)
        head = self.heads.get(key)
        if head is None:
            chip = f'<span class="chip d-{_escaped(view.direction)}">'
            reliability = _escaped(view.reliability.lower())
            head = self.heads[key] = (
                f'  <div class="ev-head">{chip}{_escaped(view.direction_label)}</span> <strong>',
                f'</strong> <span class="muted">reliability: {reliability}</span></div>\n',
            )
        parts = [
            f'<li id="{_escaped(id)}">\n' if id else "<li>\n",
            head[0],
            _escaped(view.date),
            head[1],
            f"  <div>{_escaped(view.summary)}</div>\n",
            _quote_html(view.quote, view.quote_from) if view.quote else "",
            *(
                f'<div class="small">Reading: {_escaped(reading)}</div>'
                for reading in view.readings
            ),
            f"  {self._source_html(view.source)}\n",
            bears_on,
            "</li>",
        ]
        return "".join(parts)


def _link_html(link: Link) -> str:
    """:meth:`_Pieces.link_to` as a ``str``."""
    if not link.href:
        return _escaped(link.text)
    return (
        f'<a class="external" href="{_escaped(link.href)}" rel="noopener noreferrer nofollow">'
        f"{_escaped(link.text)}</a>"
    )


def _unsafe_note_html(link: Link | None) -> str:
    """:meth:`_Pieces.unsafe_note` as a ``str``."""
    if not (link and link.unsafe):
        return ""
    return (
        ' <span class="unsafe">(address not linked, as it is not an http, https or mailto '
        f"URL: <code>{_escaped(str(link.url))}</code>)</span>"
    )


def _quote_html(text: str, quote_from: str | None) -> str:
    """:meth:`_Pieces.quoted` as a ``str``."""
    if quote_from:
        return (
            f'<p class="quote-from"><span class="quote-kind">{_escaped(quote_from)}:</span> '
            f"{_escaped(text)}</p>"
        )
    return f"<blockquote>{_escaped(text)}</blockquote>"


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
        self.benchmark_links: dict[tuple[str, str, str], str] = {}

    def to(self, page: str, here: Collection[str] = ()) -> Callable[[str], str]:
        """``to(anchor)`` on ``page``; pages of one folder share their links to other pages."""
        return linker(self.plan, page, here=here, paths=self.folders[_folder(self.plan, page)])

    def render(self, page: str, here: Collection[str] = (), **values: Any) -> tuple[str, str]:
        """One page: its path in the site's folder, and its text."""
        values = {"previous": None, "next": None, "label": "page", **values}
        to = self.to(page, here)
        line = self.lines.markup_on(page, to)
        pieces = _Pieces(to)
        text = self.template.render(
            **self.common, plan=self.plan, page=page, to=to, line=line, pieces=pieces, **values
        )
        return self.plan.path(page, ".html").split("/", 1)[1], text

    def overview(self) -> str:
        to = self.to(OVERVIEW)
        line = self.lines.markup_on(OVERVIEW, to)
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
            to = self.to(listed.name)
            folder = _folder(plan, listed.name)
            pieces = _Pieces(to)
            items = (
                pieces.evidence_html(view, view.anchor, self.bears_on(to, folder, view.id))
                for view in map(self.views.__getitem__, listed.items)
            )
            yield self.render(
                listed.name,
                kind="evidence",
                heading=listed.heading,
                listed=listed,
                # One piece of markup for the page's items, as the template's loop wrote them.
                items=Markup("\n    ".join(items)),  # noqa: S704 - every value escaped there
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
                heading=listed.heading,
                listed=listed,
                sources=report.sources[listed.first : listed.first + len(listed.items)],
                previous=listed.previous,
                next=listed.next,
            )

    def bears_on(self, to: Callable[[str], str], folder: str, evidence_id: str) -> str:
        """The benchmarks an evidence item bears on, linked by ``to`` from ``folder`` (markup)."""
        cited = self.plan.bears_on(evidence_id)
        if not cited:
            return ""
        links = []
        for title, where in cited:
            made = self.benchmark_links.get((title, where, folder))
            if made is None:
                made = self.benchmark_links[title, where, folder] = (
                    f'<a href="{_escaped(to(where))}">{_escaped(title)}</a>'
                )
            links.append(made)
        return f'<div class="small bears-on">Bears on: {"; ".join(links)}</div>'

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
                    Markup("".join([line(self.views[i]) for i in run.items])),  # noqa: S704
                )
                for run in listed.parts
            ]
            yield self.render(
                listed.name,
                kind="lists",
                heading=listed.heading,
                runs=runs,
                previous=listed.previous,
                next=listed.next,
            )


def _folder(plan: SitePlan, page: str) -> str:
    """The folder of a page's file: links from pages of one folder are the same."""
    return posixpath.dirname(plan.path(page))


class _EvidenceLines:
    """Evidence items in one line each: made once per item and folder of the pages it is on.

    An evidence item in one line (date, direction, its summary's first words)
    links to the item on its evidence page. Written here rather than as a macro:
    a site at 100,000 items has 200,000 of them, and a macro call (or
    ``Markup.format``) costs more than the line. All but the link is the same
    in every folder, and made once.
    """

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.made: dict[tuple[str, str], str] = {}
        self.tails: dict[str, str] = {}

    def on(self, page: str, to: Callable[[str], str]) -> Callable[[EvidenceView], str]:
        """``line(view)`` for ``page``, whose links ``to`` makes (markup, as a ``str``)."""
        folder = _folder(self.plan, page)  # links from it start there

        def line(view: EvidenceView) -> str:
            key = (view.id, folder)
            made = self.made.get(key)
            if made is None:
                tail = self.tails.get(view.id)
                if tail is None:
                    tail = self.tails[view.id] = (
                        f"{_escaped(view.date)}</a> "
                        f'<span class="chip d-{_escaped(view.direction)}">'
                        f"{_escaped(view.direction_label)}</span> "
                        f"{_escaped(first_words(view.summary))}</li>"
                    )
                href = _escaped(to(view.anchor))
                made = self.made[key] = f'<li class="ev-line"><a href="{href}">{tail}'
            return made

        return line

    def markup_on(self, page: str, to: Callable[[str], str]) -> Callable[[EvidenceView], Markup]:
        """``line(view)`` for ``page`` as :meth:`on` makes it, as ``Markup`` for templates."""
        line = self.on(page, to)

        def markup_line(view: EvidenceView) -> Markup:
            return Markup(line(view))  # noqa: S704 - every value escaped there

        return markup_line
