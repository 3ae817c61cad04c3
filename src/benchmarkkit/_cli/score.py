"""``benchmarkkit score``: a scorecard, or a comparison of two dates (``report``: report.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from collections.abc import Callable
from typing import IO, TypeVar

from benchmarkkit import Dataset, Problem, Severity, ValidationReport, validate
from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import (
    colour_enabled,
    is_terminal,
    make_console,
    progress,
    refuse_output_inside_dataset,
    write_lines,
    write_output,
    write_text,
)
from benchmarkkit.reports._csv import Formulas, comparison_to_csv, scorecard_to_csv
from benchmarkkit.reports._markdown import comparison_to_markdown, scorecard_to_markdown
from benchmarkkit.reports._scorecard_text import print_comparison, print_scorecard
from benchmarkkit.reports._validation import exit_status, render_text
from benchmarkkit.scoring import Comparison, Scorecard, compare, score, scorecard_to_json
from benchmarkkit.scoring._errors import ScoringError
from benchmarkkit.scoring._json import comparison_to_json
from benchmarkkit.scoring._registry import rule_info, rule_names

__all__ = [
    "check_rules",
    "materiality",
    "report_scoring_problems",
    "run",
    "score_or_compare",
    "usable_dataset",
    "validated_and_scored",
]

_Result = TypeVar("_Result")

#: How many of a dataset's errors ``score`` shows before it gives up.
_ERRORS_SHOWN = 20
#: The width of a table written to a file or a pipe.
_FILE_WIDTH = 120


def usable_dataset(report: ValidationReport, verb: str = "scored") -> Dataset:
    """Return the validated dataset; if it has errors, show them and raise CommandError.

    ``verb`` says what the errors stop ("it cannot be scored", "... exported").
    """
    path = report.path
    if report.dataset is not None:
        warnings = report.counts()["warning"]
        if warnings:
            write_text(
                sys.stderr,
                f"note: {path} has {warnings} warning{'s' if warnings != 1 else ''}; "
                f"'benchmarkkit validate {path}' lists them\n",
            )
        return report.dataset
    lines = render_text([report], max_problems=_ERRORS_SHOWN)
    write_lines(sys.stderr, lines, colour=colour_enabled(sys.stderr))
    if exit_status(report) == 2:
        raise CommandError(f"cannot read a dataset at {path!r}", status=2)
    raise CommandError(
        f"{path} has errors, so it cannot be {verb}; fix them first "
        f"('benchmarkkit validate {path}' lists them all)",
        status=1,
    )


def check_rules(rules: list[str] | None) -> None:
    if not rules:
        return
    known = rule_names()
    for rule in rules:
        if rule not in known:
            raise CommandError(
                f"no scoring rule is called {rule!r}; the rules are: {', '.join(known)} "
                "(see 'benchmarkkit score --list-rules')"
            )


def materiality(args: argparse.Namespace) -> float:
    """The --materiality given, or the default; refused without --compare (it means nothing)."""
    from benchmarkkit.scoring._compare import DEFAULT_MATERIALITY

    if args.materiality is None:
        return DEFAULT_MATERIALITY
    if args.compare is None:
        raise CommandError(
            "--materiality only matters with --compare (it is the smallest difference between "
            "the two dates that counts as a change): add --compare DATE, or leave --materiality "
            "out"
        )
    value: float = args.materiality
    return value


def _list_rules() -> int:
    lines = []
    names = rule_names()
    width = max((len(name) for name in names), default=0)
    for name in names:
        try:
            info = rule_info(name)
        except ScoringError as error:
            lines.append(f"{name:<{width}}  (cannot be loaded: {error})")
            continue
        summary = info.description.strip().splitlines()[0] if info.description.strip() else ""
        origin = "" if info.origin == "built-in" else f" [{info.origin}]"
        lines.append(f"{name:<{width}}  {summary}{origin}".rstrip())
        lines.extend(f"    {line}" for line in info.parameter_lines())
    write_text(sys.stdout, "\n".join(lines) + "\n")
    return 0


def score_or_compare(
    dataset: Dataset, args: argparse.Namespace, as_of: dt.date
) -> Scorecard | Comparison:
    """Score the validated ``dataset`` as of ``as_of``; with --compare, compare the two dates."""
    if args.compare is None:
        return score(dataset, as_of=as_of, rules=args.rules, validated=True)
    before, after = sorted((args.compare, as_of))
    return compare(
        dataset, before, after, rules=args.rules, materiality=materiality(args), validated=True
    )


def validated_and_scored(
    args: argparse.Namespace, scorer: Callable[[Dataset, dt.date], _Result]
) -> tuple[Dataset, _Result]:
    """Validate the dataset at ``args.path``, then score it with ``scorer`` as of --as-of.

    Both run under one progress line; the dataset's errors (or the count of
    its warnings) are shown after it, and errors raise :class:`CommandError`.
    """
    check_rules(args.rules)
    as_of: dt.date = args.as_of or dt.date.today()
    result: _Result | None = None
    with progress(sys.stdout, sys.stderr, f"Validating {args.path}") as status:
        report = validate(args.path, quote_cache=not args.no_cache)
        if report.dataset is not None:
            status.update(f"Scoring {args.path}")
            try:
                result = scorer(report.dataset, as_of)
            except ScoringError as error:
                raise CommandError(str(error)) from None
    dataset = usable_dataset(report)  # shows the errors (or the warnings) once the spinner is gone
    assert result is not None  # noqa: S101 - set on every path that does not raise
    return dataset, result


def _compute(args: argparse.Namespace) -> Scorecard | Comparison:
    return validated_and_scored(args, lambda dataset, day: score_or_compare(dataset, args, day))[1]


def report_scoring_problems(result: Scorecard | Comparison) -> int:
    """Show what went wrong while scoring (a plugin rule that raised); 1 if any is an error."""
    problems: tuple[Problem, ...] = result.problems
    for problem in problems:
        plugin = f" [plugin {problem.plugin}]" if problem.plugin else ""
        write_text(
            sys.stderr, f"{problem.severity.value}: {problem.code} {problem.message}{plugin}\n"
        )
        if problem.hint:
            write_text(sys.stderr, f"    hint: {problem.hint}\n")
    return 1 if any(problem.severity is Severity.ERROR for problem in problems) else 0


def _table(result: Scorecard | Comparison, output: str | None, *, explain: bool) -> None:
    stream: IO[str]
    if output is None or output == "-":
        stream = sys.stdout
        terminal = is_terminal(stream)
        console = make_console(
            stream, colour=colour_enabled(stream), width=None if terminal else _FILE_WIDTH
        )
    else:
        stream = io.StringIO()
        console = make_console(stream, colour=False, width=_FILE_WIDTH)
    if isinstance(result, Comparison):
        print_comparison(console, result)
    else:
        print_scorecard(console, result, explain=explain)
    if isinstance(stream, io.StringIO):
        write_output(stream.getvalue(), output, sys.stdout)


def _markdown(result: Scorecard | Comparison) -> str:
    if isinstance(result, Comparison):
        return (
            scorecard_to_markdown(result.scorecard_after)
            + "\n"
            + comparison_to_markdown(result, level=2)
        )
    return scorecard_to_markdown(result)


def _check_format(args: argparse.Namespace) -> str:
    """The format to write; refused before any work: a workbook with nowhere to go or no library.

    A table (the default) asked for with ``-o FILE.xlsx`` is a workbook, as for export:
    a table in a file named .xlsx would be no workbook at all.
    """
    fmt: str = args.format
    output: str | None = args.output
    if fmt == "table" and output is not None and output.lower().endswith(".xlsx"):
        fmt = "xlsx"
    if args.csv_formulas is not None and fmt != "csv":
        raise CommandError(
            "--csv-formulas only matters with --format csv (it says whether text a spreadsheet "
            "would run as a formula gets a ' first): add --format csv, or leave it out"
        )
    if fmt != "xlsx":
        return fmt
    if output is None or output == "-":
        raise CommandError("--format xlsx writes a file: give it with -o FILE")
    from benchmarkkit._cli.export import require_xlsxwriter

    require_xlsxwriter("benchmarkkit score --format xlsx")
    return fmt


def _workbook(result: Scorecard | Comparison, output: str) -> None:
    from benchmarkkit._cli.export import _write_file
    from benchmarkkit._tables._xlsx import NotWritableError
    from benchmarkkit.reports._xlsx import comparison_workbook, scorecard_workbook

    try:
        data = (
            comparison_workbook(result)
            if isinstance(result, Comparison)
            else scorecard_workbook(result)
        )
    except NotWritableError as error:
        raise CommandError(f"cannot write the workbook: {error}") from None
    _write_file(data, output)


def run(args: argparse.Namespace) -> int:
    """Score (or compare) and print in the format asked for."""
    if args.list_rules:
        return _list_rules()
    if args.path is None:
        raise CommandError("give the PATH of the dataset to score (or --list-rules)")
    materiality(args)  # refuses --materiality without --compare before any work
    fmt = _check_format(args)
    refuse_output_inside_dataset(args.output, args.path, force=args.force)
    result = _compute(args)
    if fmt == "xlsx":
        _workbook(result, args.output)
    elif fmt == "table":
        _table(result, args.output, explain=args.explain)
    elif fmt == "json":
        data = (
            comparison_to_json(result)
            if isinstance(result, Comparison)
            else scorecard_to_json(result)
        )
        write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", args.output, sys.stdout)
    elif fmt == "csv":
        formulas: Formulas = args.csv_formulas or "guard"
        text = (
            comparison_to_csv(result, formulas=formulas)
            if isinstance(result, Comparison)
            else scorecard_to_csv(result, formulas=formulas)
        )
        write_output(text, args.output, sys.stdout, data=True)
    else:
        markdown = (
            comparison_to_markdown(result) if isinstance(result, Comparison) else _markdown(result)
        )
        write_output(markdown, args.output, sys.stdout)
    return report_scoring_problems(result)
