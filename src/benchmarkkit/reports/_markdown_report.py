"""A report as Markdown that renders well on GitHub, with every dataset string escaped.

The template is rendered by a Jinja2 environment whose ``finalize`` hook
escapes every value it writes with :func:`escape_markdown`, unless a filter
here has already turned the value into :class:`MarkdownText`: escaping is
the default, and each exception is one of the few filters below. Text from
a dataset can therefore not become a heading, a list, a table cell break, a
link, an image, a code span or raw HTML, and addresses become links only
when they are http, https or mailto URLs.
"""

from __future__ import annotations

import collections
import functools
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from benchmarkkit.reports._controls import visible_controls
from benchmarkkit.reports._links import Link
from benchmarkkit.reports._markdown import escape_markdown
from benchmarkkit.reports._recommendations import POSITION_KEYS
from benchmarkkit.reports._records import first_words

if TYPE_CHECKING:
    import jinja2

    from benchmarkkit.reports._palette import Tone
    from benchmarkkit.reports._report import ConditionView, EvidenceView, Report
    from benchmarkkit.reports._site import Site, SitePlan

__all__ = ["MarkdownText", "report_to_markdown", "report_to_markdown_site"]

_SPARKS = "▁▂▃▄▅▆▇█"
_POSITION_SYMBOLS = {key.position: key.emoji for key in POSITION_KEYS}
# What a link destination may hold as it is; everything else is percent-encoded, so that
# neither a parenthesis, a space, "<", ">", "|" nor a backtick can end or break the link.
_URL_SAFE = "-._~:/?#@!$&'*+,;=%"
# The report's own anchors (_records.anchor), the only ones written as HTML.
_ANCHOR = re.compile(r"[A-Za-z0-9._:-]+")


class MarkdownText(str):
    """Text that is already Markdown: written as it is, not escaped again."""

    __slots__ = ()


#: Texts this long or shorter are escaped once (:func:`_escaped_short`).
_SHORT = 32


def _finalize(value: Any) -> str:
    """Escape every value a template writes, unless it is already Markdown."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    text = str(value)
    if len(text) <= _SHORT:
        return _escaped_short(text)
    # escape_markdown shows control characters as escapes, so the reader sees what the data
    # holds, after line breaks (CR LF too) become spaces.
    return escape_markdown(text.strip())


@functools.lru_cache(maxsize=4096)
def _escaped_short(text: str) -> str:
    """A short text escaped as :func:`_finalize` does, kept for the next time it is written.

    Dates, directions, reliabilities, numbers and places in a source come back
    on every evidence item and line of a large report; its summaries and quotes,
    longer, are seldom written twice and not kept.
    """
    return escape_markdown(text.strip())


def code(text: object) -> MarkdownText:
    """An id as inline code, or as escaped text if it holds a backtick, ``|`` or a line break."""
    value = visible_controls(str(text), keep="")
    if value and not any(c in value for c in "`|"):
        return MarkdownText(f"`{value}`")
    return MarkdownText(escape_markdown(value))


def link(value: Link | None) -> MarkdownText:
    """A link when its address is safe; its text, escaped, otherwise."""
    if value is None:
        return MarkdownText("")
    text = _finalize(value.text) or _finalize(value.url or "")
    if value.href is None:
        return MarkdownText(text)
    return MarkdownText(f"[{text}]({urllib.parse.quote(value.href, safe=_URL_SAFE)})")


def quoted(text: object, quote_from: str | None = None) -> MarkdownText:
    """A quote: a blockquote of the source's own words, or marked with what it was taken from.

    A quote from an archive that is not a verbatim copy is not shown as the
    source's words: ``*From a translation:* ...`` instead of ``> ...``.
    """
    if quote_from:
        return MarkdownText(f"*{_finalize(quote_from)}:* {_finalize(text)}")
    return MarkdownText(f"> {_finalize(text)}")


def swatch(tone: Tone | None) -> MarkdownText:
    """The coloured square that stands for a tone (white: not assessable)."""
    return MarkdownText(tone.emoji if tone is not None else "⬜")


def sparkline(values: Sequence[float | None]) -> MarkdownText:
    """Scores over time as block characters, ``·`` where not assessable."""
    return MarkdownText(
        "".join(
            "·" if v is None else _SPARKS[round(min(1.0, max(0.0, v)) * (len(_SPARKS) - 1))]
            for v in values
        )
    )


def verdict(value: str) -> MarkdownText:
    """A verdict as a symbol and a bold word."""
    symbol = {"pass": "✅", "fail": "❌"}.get(value, "❔")
    return MarkdownText(f"{symbol} **{escape_markdown(value)}**")


def change_symbol(kind: str) -> MarkdownText:
    """A symbol for a kind of change: up, down, new, gone or equal."""
    return MarkdownText(
        {
            "improved": "▲",
            "regressed": "▼",
            "new": "✚",
            "no-longer-assessable": "✖",
            "different-kind": "≠",
        }.get(kind, "=")
    )


def position_symbol(position: str) -> MarkdownText:
    """The coloured square that stands for a position in the charts (white: no response)."""
    return MarkdownText(_POSITION_SYMBOLS.get(position, ""))


def alert(value: str) -> MarkdownText:
    """The GitHub alert type for a gate's verdict."""
    return MarkdownText({"pass": "TIP", "fail": "CAUTION"}.get(value, "WARNING"))


def indent_list(depth: int) -> MarkdownText:
    """The indent of a list item ``depth`` levels down."""
    return MarkdownText("  " * int(depth))


def heading(level: int) -> MarkdownText:
    """The marker of a heading ``level`` deep: ``###`` for 3."""
    return MarkdownText("#" * int(level))


def anchor_tag(name: str) -> MarkdownText:
    """An empty HTML anchor a link's ``#name`` leads to (on GitHub, as ``user-content-name``).

    Only a report's own anchors (:func:`~benchmarkkit.reports._records.anchor`:
    letters, digits and ``._:-``) are written; anything else is refused, so
    that no dataset text becomes HTML.
    """
    if not _ANCHOR.fullmatch(name):
        raise ValueError(f"not an anchor of the report: {name!r}")
    return MarkdownText(f'<a id="{name}"></a>')


def destination(href: str) -> MarkdownText:
    """A link's destination, percent-encoded where Markdown would end or break it."""
    return MarkdownText(urllib.parse.quote(href, safe=_URL_SAFE))


def tree(condition: ConditionView) -> list[tuple[int, ConditionView]]:
    """A condition and all conditions under it, each with its depth, in reading order."""
    found: list[tuple[int, ConditionView]] = []
    pending = [(0, condition)]
    while pending:
        depth, current = pending.pop()
        found.append((depth, current))
        pending.extend((depth + 1, child) for child in reversed(current.children))
    return found


@functools.cache
def _environment() -> jinja2.Environment:
    """The Markdown templates' environment, made once per process, its templates compiled once.

    Its filters are set here, before any template is loaded, and never changed
    after: so threads may render with it at the same time.
    """
    from benchmarkkit.reports._templates import environment

    env = environment("markdown", finalize=_finalize)
    # The templates are the package's own and do not change while it runs: without this,
    # each include (one an evidence item) would look at its file again.
    env.auto_reload = False
    env.filters.update(
        code=code,
        link=link,
        quoted=quoted,
        swatch=swatch,
        sparkline=sparkline,
        verdict=verdict,
        alert=alert,
        change_symbol=change_symbol,
        position_symbol=position_symbol,
        indent_list=indent_list,
        tree=tree,
        heading=heading,
        anchor=anchor_tag,
    )
    return env


def _tidy(text: str) -> str:
    """The templates' blocks leave runs of blank lines; Markdown needs at most one."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"


def report_to_markdown(report: Report, *, details: bool = True) -> str:
    """Render ``report`` as Markdown (GitHub Flavored), deterministic for the same report.

    Without ``details``, the benchmarks in detail, the commitments and the
    sources are left out: a summary short enough for a pull-request comment.
    """
    template = _environment().get_template("report.md")
    evidence = _evidence_items(report)
    return _tidy(template.render(report=report, details=details, plan=None, evidence=evidence))


def report_to_markdown_site(report: Report, plan: SitePlan) -> Site:
    """Render ``report`` as the Markdown site ``plan`` lays out: a summary and its detail pages.

    The summary (the overview) is what GitHub shows first: the gates' verdicts,
    the areas with their scores and links to their pages, the scores over
    time, the changes of areas and gates, and the method; it grows with the
    areas and gates only. Each area's page holds its benchmarks in detail,
    each with its newest evidence in one line and a link to the rest;
    evidence pages print each quote once. Every link is relative, to an
    anchor the pages hold (``<a id>``, which GitHub keeps as
    ``user-content-...`` and scrolls to).
    """
    from benchmarkkit.reports._site import OVERVIEW, Site, area_values

    env = _environment()
    page_template = env.get_template("site_page.md")
    views = {view.id: view for view in report.evidence}
    lines = _EvidenceLines(plan)
    pages: list[tuple[str, str]] = []

    def render(page: str, **values: Any) -> None:
        values = {
            "previous": None,
            "next": None,
            "label": "page",
            "anchor": None,
            "details": True,
            **values,
        }
        links = _links(report, plan, page, lines)
        text = page_template.render(report=report, plan=plan, **links, **values)
        pages.append((plan.path(page, _SUFFIX).split("/", 1)[1], _tidy(text)))

    for number, area in enumerate(report.areas, start=1):
        page = plan.areas[area.id]
        if page == f"areas/{number}":  # a second area of an id: its benchmarks are shown once
            render(page, **area_values(report, plan, number))
    for listed in plan.evidence_pages:
        evidence = _links(report, plan, listed.name, lines)["evidence"]
        render(
            listed.name,
            kind="evidence",
            heading=listed.heading,
            listed=listed,
            items=MarkdownText("".join(evidence(views[i]) for i in listed.items)),
            previous=listed.previous,
            next=listed.next,
        )
    benchmarks = {b.id: b for b in report.benchmarks}
    for listed in plan.list_pages:
        line = _links(report, plan, listed.name, lines)["line"]
        runs = [
            (
                benchmarks[run.benchmark],
                run,
                MarkdownText("\n".join(line(views[i]) for i in run.items)),
            )
            for run in listed.parts
        ]
        render(
            listed.name,
            kind="lists",
            heading=listed.heading,
            runs=runs,
            previous=listed.previous,
            next=listed.next,
        )
    others = [s for s in report.recommendations if plan.sections[s.anchor] == "recommendations"]
    if others:
        render(
            "recommendations",
            kind="recommendations",
            heading="Recommendations of no area",
            sections=others,
        )
    if plan.gates:
        render(plan.gates, kind="gates", heading="Gate conditions", anchor="gates")
    for listed in plan.source_pages:
        render(
            listed.name,
            kind="sources",
            heading=listed.heading,
            anchor="sources",
            listed=listed,
            sources=report.sources[listed.first : listed.first + len(listed.items)],
            previous=listed.previous,
            next=listed.next,
        )
    overview = env.get_template("report.md").render(
        report=report, details=False, plan=plan, **_links(report, plan, OVERVIEW, lines)
    )
    return Site(overview=_tidy(overview), pages=tuple(pages))


#: The suffix of a Markdown site's files.
_SUFFIX = ".md"


def _links(report: Report, plan: SitePlan, page: str, lines: _EvidenceLines) -> dict[str, Any]:
    """The functions a page's template makes its links (and evidence items) with, from ``page``."""
    from benchmarkkit.reports._site import linker

    folder = posixpath.dirname(plan.path(page, _SUFFIX))  # links from it start there
    link = linker(plan, page, suffix=_SUFFIX, paths=lines.paths[folder])

    def to(anchor: str) -> MarkdownText:
        """A link to ``anchor``, wherever the plan put it."""
        return destination(link(anchor))

    def to_page(name: str) -> MarkdownText:
        """A link to the top of the page ``name``."""
        return destination(plan.href(page, name, suffix=_SUFFIX))

    bears_on = lines.bears_on(folder, to)
    return {
        "to": to,
        "to_page": to_page,
        "bears_on": bears_on,
        "line": lines.on(folder, to),
        "evidence": _evidence_items(report, plan, to, bears_on),
    }


def _evidence_items(
    report: Report,
    plan: SitePlan | None = None,
    to: Callable[[str], str] | None = None,
    bears_on: Callable[[EvidenceView], str] | None = None,
) -> Callable[[EvidenceView, int], MarkdownText]:
    """``evidence(view, depth)``: an evidence item as a Markdown list item, ``depth`` lists down.

    ``_evidence.md`` writes each item with it: a large report has a hundred
    thousand, and a template included for each costs several times the item.
    Every value is escaped as the templates' ``finalize`` would. On a site's
    page (``plan``), the item has its anchor, a link to its source (``to``)
    and the benchmarks it bears on (``bears_on``).
    """

    def evidence(view: EvidenceView, depth: int = 0) -> MarkdownText:
        pad = indent_list(depth)
        mark = anchor_tag(view.anchor) if plan else ""
        direction = _finalize(view.direction_label.lower())
        parts = [
            f"{pad}- {mark}**{_finalize(view.date)}**, {direction}: {_finalize(view.summary)}\n"
        ]
        if view.quote:
            parts.append(f"\n{pad}  {quoted(view.quote, view.quote_from)}\n\n")
        parts += [f"{pad}  Reading: {_finalize(reading)}.\n\n" for reading in view.readings]
        source = view.source
        if source:
            named = _finalize(report.source_number(source.id) or source.title)
            if plan and to and source.anchor:
                named = f"[{named}]({to(source.anchor)})"
            if source.locator:
                named += f", {_finalize(source.locator)}"
            reliability = _finalize(view.reliability.lower())
            parts.append(f"{pad}  Source {named}; reliability: {reliability}.\n\n")
        cited = bears_on(view) if plan and bears_on else ""
        if cited:
            parts.append(f"{pad}  Bears on: {cited}.\n\n")
        return MarkdownText("".join(parts))

    return evidence


class _EvidenceLines:
    """Evidence items in one line each: made once per item and folder of the pages it is on."""

    def __init__(self, plan: SitePlan) -> None:
        self.plan = plan
        self.made: dict[tuple[str, str], MarkdownText] = {}
        self.parts: dict[str, tuple[str, str]] = {}
        self.benchmarks: dict[tuple[str, str], str] = {}
        self.paths: dict[str, dict[str, str]] = collections.defaultdict(dict)  # by folder

    def bears_on(
        self, folder: str, to: Callable[[str], str]
    ) -> Callable[[EvidenceView], MarkdownText]:
        """``bears_on(view)`` on a page of ``folder``: the benchmarks an item bears on, linked."""

        def link(title: str, where: str) -> str:
            made = self.benchmarks.get((where, folder))
            if made is None:
                href = to(where)
                made = self.benchmarks[where, folder] = f"[{_finalize(title)}]({href})"
            return made

        def bears_on(view: EvidenceView) -> MarkdownText:
            cited = self.plan.bears_on(view.id)
            return MarkdownText("; ".join(link(title, where) for title, where in cited))

        return bears_on

    def on(self, folder: str, to: Callable[[str], str]) -> Callable[[EvidenceView], MarkdownText]:
        """``line(view)`` on a page of ``folder``: a list item linking to the item's own page.

        All but the link is the same from every folder, and made once.
        """

        def line(view: EvidenceView) -> MarkdownText:
            key = (view.id, folder)
            made = self.made.get(key)
            if made is None:
                date, tail = self.parts.get(view.id) or self._parts(view)
                href = to(view.anchor)
                made = self.made[key] = MarkdownText(f"- [{date}]({href}){tail}")
            return made

        return line

    def _parts(self, view: EvidenceView) -> tuple[str, str]:
        """The date, and what follows the link, of an item's line."""
        direction = _finalize(view.direction_label.lower())
        made = self.parts[view.id] = (
            _finalize(view.date),
            f", {direction}: {_finalize(first_words(view.summary))}",
        )
        return made
