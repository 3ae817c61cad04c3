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


@functools.cache
def _html_environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        # HTML autoescapes; the stylesheet is ours alone (colours computed from numbers).
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "svg"), disabled_extensions=("css",), default=True
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _markdown_environment(finalize: Callable[[Any], Any]) -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        # Markdown is escaped by ``finalize`` instead: HTML escaping would show as "&lt;".
        autoescape=False,  # noqa: S701 - not HTML; every value is escaped for Markdown
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def environment(kind: str, *, finalize: Callable[[Any], Any] | None = None) -> jinja2.Environment:
    """The environment for ``html`` (cached) or ``markdown`` templates (with ``finalize``)."""
    if kind == "html":
        return _html_environment()
    if finalize is None:
        raise ValueError("a Markdown environment needs the finalize function that escapes")
    return _markdown_environment(finalize)
