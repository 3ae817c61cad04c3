"""``benchmarkkit report``: a scorecard report as one HTML page or as Markdown, or as a site.

The format follows the output file's extension. A report too large for one
page (``--pages auto``, the default) or any with ``--pages split`` is an
overview in the file and its detail pages in a new folder beside it
(``r/`` for ``r.html``), laid out by :mod:`benchmarkkit.reports._site`. Besides the scorecard (and
the comparison, with ``--compare``), the report shows scores over time: the
dataset is also scored on the day each assessment counts from, so that the
chart has every date on which a status could have changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import secrets
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarkkit import Dataset
from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import (
    refuse_output_inside_dataset,
    write_output,
    write_staging_folder,
    write_text,
)
from benchmarkkit._cli.score import (
    materiality,
    report_scoring_problems,
    validated_and_scored,
)
from benchmarkkit.scoring import Comparison, Scorecard

if TYPE_CHECKING:
    from benchmarkkit.reports import Report
    from benchmarkkit.reports._site import Site
    from benchmarkkit.scoring._history import TimelineScores

__all__ = ["FORMATS", "run"]

#: The report formats by file extension.
FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def _format(output: str) -> str:
    if output == "-":
        return "markdown"
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise CommandError(
            f"cannot tell the report format from {output!r}: give a file ending in .md "
            "(Markdown that renders on GitHub) or .html (one self-contained page), or '-' "
            "for Markdown on the standard output"
        )
    return FORMATS[suffix]


def _score_all(
    dataset: Dataset, args: argparse.Namespace, as_of: dt.date
) -> tuple[Scorecard, Comparison | None, tuple[TimelineScores, ...]]:
    """The scorecard, the comparison (with --compare) and the timeline's scores of other dates.

    The scorecards (one, or the comparison's two) and the timeline share one plan
    (the records sorted once); the timeline is scored incrementally, date to date
    (``score_timeline``). Without --compare, the scorecard is the timeline's last
    date, as_of itself.
    """
    from benchmarkkit.reports._timeline import history_dates
    from benchmarkkit.scoring._compare import compare_scorecards
    from benchmarkkit.scoring._history import score_timeline
    from benchmarkkit.scoring._scorecard import plan_scoring, score_on

    plan = plan_scoring(dataset, rules=args.rules, validated=True)
    if args.compare is None:
        dates = history_dates(dataset, as_of)  # as_of last
        return score_on(plan, as_of), None, score_timeline(plan, dates[:-1])
    before, after = sorted((args.compare, as_of))  # as `benchmarkkit score --compare` takes them
    comparison = compare_scorecards(
        score_on(plan, before), score_on(plan, after), materiality=materiality(args)
    )
    done = {before, after}
    days = [day for day in history_dates(dataset, after, also=done) if day not in done]
    return comparison.scorecard_after, comparison, score_timeline(plan, days)


def run(args: argparse.Namespace) -> int:
    """Write the report to ``--output`` in the format its extension names: a page, or a site."""
    output: str = args.output
    materiality(args)  # refuses --materiality without --compare before any work
    kind = _format(output)
    pages: str = getattr(args, "pages", "auto")
    if pages == "split" and output == "-":
        raise CommandError(
            "--pages split writes an overview file and a folder of pages beside it, so it "
            "needs a file name: give -o report.md or -o report.html, not '-'"
        )
    refuse_output_inside_dataset(output, args.path, force=args.force)
    # --pages split refuses a folder it cannot write before any work; auto checks it only
    # once it knows the report needs one, so that a one-page report goes where it always did.
    folder = _site_folder(output, args) if pages == "split" else None
    try:
        import jinja2  # noqa: F401 - checked here, so that a missing install is said plainly

        from benchmarkkit.reports._build import build_report_of
    except ImportError as error:  # pragma: no cover - jinja2 is a dependency
        raise CommandError(
            f"reports need the Jinja2 package, which cannot be imported ({error}); "
            "install it with: python -m pip install 'jinja2>=3.1'"
        ) from None
    dataset, (card, comparison, history) = validated_and_scored(
        args, lambda dataset, day: _score_all(dataset, args, day)
    )
    model = build_report_of(dataset, card, comparison=comparison, history=history)
    if folder is None and pages == "auto" and output != "-" and not _fits_one_page(model):
        folder = _site_folder(output, args)
    if folder is not None:
        _write_site(_render_site(model, kind, folder.name), output, folder)
        write_text(sys.stdout, f"wrote {output} and its pages in {folder}{os.sep}\n")
    else:
        write_output(_render_page(model, kind), output, sys.stdout)
        if output != "-":
            write_text(sys.stdout, f"wrote {output}\n")
    return report_scoring_problems(comparison if comparison is not None else card)


def _fits_one_page(model: Report) -> bool:
    from benchmarkkit.reports._site import fits_one_page

    return fits_one_page(model)


def _render_page(model: Report, kind: str) -> str:
    from benchmarkkit.reports import report_to_html, report_to_markdown

    return report_to_html(model) if kind == "html" else report_to_markdown(model)


def _render_site(model: Report, kind: str, name: str) -> Site:
    from benchmarkkit.reports._site import page_size_for, plan_site

    plan = plan_site(model, name=name, page_size=page_size_for(kind))
    if kind == "html":
        from benchmarkkit.reports._html import report_to_html_site

        return report_to_html_site(model, plan)
    from benchmarkkit.reports._markdown_report import report_to_markdown_site

    return report_to_markdown_site(model, plan)


def _site_folder(output: str, args: argparse.Namespace) -> Path:
    """The folder of a site's pages (``r/`` for ``r.html``), refused where it must not be.

    Refused before any work: the dataset's folder, a folder inside it or holding it, and
    a folder that exists, unless --force and benchmarkkit wrote it (it holds the marker).
    """
    from benchmarkkit.reports._site import MARKER

    path = Path(output)
    folder = path.with_name(path.stem)
    dataset = Path(args.path).resolve()
    place = folder.resolve()
    if dataset.is_relative_to(place) or (dataset.is_dir() and place.is_relative_to(dataset)):
        raise CommandError(
            f"a large report is written as {output!r} and its pages in the folder "
            f"{str(folder)!r} beside it, which would be in or around the dataset "
            f"{args.path!r}; write the report outside the dataset's folder"
        )
    if not os.path.lexists(folder):
        return folder
    if not args.force:
        raise CommandError(
            f"{str(folder)!r} already exists; the report's pages are written in a new folder "
            f"beside {output!r}, named as it without its extension: remove the folder, write "
            "to another file, add --pages single for one page, or add --force to replace the "
            "pages of an earlier report"
        )
    if folder.is_symlink() or not (folder / MARKER).is_file():
        raise CommandError(
            f"{str(folder)!r} already exists and benchmarkkit did not write it (it holds no "
            f"{MARKER} file), so it is not replaced, even with --force: remove it yourself, "
            "or write the report to another file"
        )
    return folder


def _write_site(site: Site, output: str, folder: Path) -> None:
    """Write the pages into a hidden folder, put it in place of ``folder``, then the overview.

    An interruption leaves no half site under the final names: the pages are
    renamed into place whole, and the overview is written last. A failure puts
    back the folder of an earlier report, if one was replaced.
    """
    from benchmarkkit._cli._common import _visible
    from benchmarkkit._version import __version__
    from benchmarkkit.reports._site import MARKER

    marker = (
        f"benchmarkkit {__version__} wrote this folder: the pages of {Path(output).name}.\n"
        "benchmarkkit report --force replaces it; benchmarkkit never replaces a folder "
        "without this file.\n"
    )
    # Written as they are rendered: a large site is never held whole.
    texts = itertools.chain([(MARKER, marker)], ((p, _visible(text)) for p, text in site.pages))
    earlier = folder.with_name(f".{folder.name[:200]}.{secrets.token_hex(4)}.earlier")
    moved = False
    try:
        staging = write_staging_folder(folder, "report", texts)
        try:
            if os.path.lexists(folder):
                folder.rename(earlier)
                moved = True
            staging.rename(folder)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError as error:
        if moved:
            earlier.rename(folder)
        raise CommandError(
            f"cannot write the pages of {output!r} in {str(folder)!r}: "
            f"{error.strerror or error}; nothing was written"
        ) from None
    try:
        write_output(site.overview, output, sys.stdout)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        if moved:
            earlier.rename(folder)
        raise
    if moved:
        shutil.rmtree(earlier, ignore_errors=True)
