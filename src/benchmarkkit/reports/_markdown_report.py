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

import functools
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from benchmarkkit.reports._controls import visible_controls
from benchmarkkit.reports._links import Link
from benchmarkkit.reports._markdown import escape_markdown
from benchmarkkit.reports._recommendations import POSITION_KEYS

if TYPE_CHECKING:
    import jinja2

    from benchmarkkit.reports._palette import Tone
    from benchmarkkit.reports._report import ConditionView, Report

__all__ = ["MarkdownText", "report_to_markdown"]

_SPARKS = "▁▂▃▄▅▆▇█"
_POSITION_SYMBOLS = {key.position: key.emoji for key in POSITION_KEYS}
# What a link destination may hold as it is; everything else is percent-encoded, so that
# neither a parenthesis, a space, "<", ">", "|" nor a backtick can end or break the link.
_URL_SAFE = "-._~:/?#@!$&'*+,;=%"


class MarkdownText(str):
    """Text that is already Markdown: written as it is, not escaped again."""

    __slots__ = ()


def _finalize(value: Any) -> str:
    """Escape every value a template writes, unless it is already Markdown."""
    if isinstance(value, MarkdownText):
        return value
    if value is None:
        return ""
    # escape_markdown shows control characters as escapes, so the reader sees what the data
    # holds, after line breaks (CR LF too) become spaces.
    return escape_markdown(str(value).strip())


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
    )
    return env


def report_to_markdown(report: Report, *, details: bool = True) -> str:
    """Render ``report`` as Markdown (GitHub Flavored), deterministic for the same report.

    Without ``details``, the benchmarks in detail, the commitments and the
    sources are left out: a summary short enough for a pull-request comment.
    """
    text = _environment().get_template("report.md").render(report=report, details=details)
    # The template's blocks leave runs of blank lines; Markdown needs at most one.
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip() + "\n"
