"""A report as one self-contained HTML page: inline CSS and SVG, no scripts, no requests.

The page carries a Content Security Policy that allows nothing but its own
stylesheet (by hash) and ``data:`` images, so that even a mistake in a
template could neither run a script nor make the browser fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

from benchmarkkit._version import __version__

if TYPE_CHECKING:
    from benchmarkkit.reports._report import Report

__all__ = ["report_to_html"]


def report_to_html(report: Report) -> str:
    """Render ``report`` as a complete HTML document (UTF-8 text).

    Every string from the dataset is escaped; addresses are linked only
    when they are http, https or mailto URLs.
    """
    from markupsafe import Markup

    from benchmarkkit.reports._templates import environment

    env = environment("html")
    css = env.get_template("report.css").render(tones=report.tones, positions=report.positions)
    if "</" in css:  # the stylesheet holds only our own rules and computed colours
        raise AssertionError("the report stylesheet must not contain '</'")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("report.html").render(
        report=report,
        css=Markup(css),  # noqa: S704 - our own stylesheet, checked above, not dataset text
        style_hash=f"sha256-{digest}",
        version=__version__,
    )
