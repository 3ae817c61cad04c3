"""``benchmarkkit report``: a scorecard report as one HTML page or as Markdown.

The format follows the output file's extension. Besides the scorecard (and
the comparison, with ``--compare``), the report shows scores over time: the
dataset is also scored on the day each assessment counts from, so that the
chart has every date on which a status could have changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from benchmarkkit import Dataset
from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import (
    refuse_output_inside_dataset,
    write_output,
    write_text,
)
from benchmarkkit._cli.score import (
    materiality,
    report_scoring_problems,
    score_or_compare,
    validated_and_scored,
)
from benchmarkkit.scoring import Comparison, Scorecard, score

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
) -> tuple[Scorecard, Comparison | None, list[Scorecard]]:
    """The scorecard, the comparison (with --compare) and scorecards for the timeline."""
    from benchmarkkit.reports._timeline import history_dates

    result = score_or_compare(dataset, args, as_of)
    comparison = result if isinstance(result, Comparison) else None
    card = result.scorecard_after if isinstance(result, Comparison) else result
    done = {card.as_of} | ({comparison.before} if comparison else set())
    history = [
        score(dataset, as_of=day, rules=args.rules, validated=True)
        for day in history_dates(dataset, card.as_of, also=done)
        if day not in done
    ]
    return card, comparison, history


def run(args: argparse.Namespace) -> int:
    """Write the report to ``--output`` in the format its extension names."""
    output: str = args.output
    materiality(args)  # refuses --materiality without --compare before any work
    kind = _format(output)
    refuse_output_inside_dataset(output, args.path, force=args.force)
    try:
        import jinja2  # noqa: F401 - checked here, so that a missing install is said plainly

        from benchmarkkit.reports import build_report, report_to_html, report_to_markdown
    except ImportError as error:  # pragma: no cover - jinja2 is a dependency
        raise CommandError(
            f"reports need the Jinja2 package, which cannot be imported ({error}); "
            "install it with: python -m pip install 'jinja2>=3.1'"
        ) from None
    dataset, (card, comparison, history) = validated_and_scored(
        args, lambda dataset, day: _score_all(dataset, args, day)
    )
    model = build_report(dataset, card, comparison=comparison, history=history)
    text = report_to_html(model) if kind == "html" else report_to_markdown(model)
    write_output(text, output, sys.stdout)
    if output != "-":
        write_text(sys.stdout, f"wrote {output}\n")
    return report_scoring_problems(comparison if comparison is not None else card)
