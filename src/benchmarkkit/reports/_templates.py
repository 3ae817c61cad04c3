"""The Jinja2 environments of the reports: templates shipped in the package, escaping by default.

Jinja2 is imported only when a report is rendered, so that importing
:mod:`benchmarkkit.reports` (and starting the command line) stays light.
HTML templates autoescape every value; the Markdown environment escapes
every value for Markdown the same way (see :mod:`._markdown_report`), so a
template that forgets a filter stays safe.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["TEMPLATE_PACKAGE", "environment"]

#: Where the templates are: ``benchmarkkit/reports/templates``.
TEMPLATE_PACKAGE = ("benchmarkkit.reports", "templates")


def _environment(
    *, autoescape: bool | Callable[[str | None], bool], **options: Any
) -> jinja2.Environment:
    """An environment of the shipped templates: strict about undefined names, tidy blocks."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        autoescape=autoescape,  # noqa: S701 - HTML autoescapes; Markdown escapes in finalize
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )


@functools.cache
def _html_environment() -> jinja2.Environment:
    import jinja2

    # HTML autoescapes; the stylesheet is ours alone (colours computed from numbers).
    return _environment(
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "svg"), disabled_extensions=("css",), default=True
        )
    )


def _markdown_environment(finalize: Callable[[Any], Any]) -> jinja2.Environment:
    # Not HTML: every value is escaped for Markdown by ``finalize`` instead (HTML escaping
    # would show as "&lt;").
    return _environment(autoescape=False, finalize=finalize)


def environment(kind: str, *, finalize: Callable[[Any], Any] | None = None) -> jinja2.Environment:
    """The environment for ``html`` templates (one per process), or a new one for ``markdown``.

    A Markdown environment is made with its ``finalize``; the Markdown renderer
    adds its filters and keeps that one environment for the process
    (``_markdown_report._environment``), so each template is compiled once.
    """
    if kind == "html":
        return _html_environment()
    if finalize is None:
        raise ValueError("a Markdown environment needs the finalize function that escapes")
    return _markdown_environment(finalize)
