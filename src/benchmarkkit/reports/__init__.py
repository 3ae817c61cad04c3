"""Renderers: validation reports and scorecards as text, JSON, GitHub annotations, Markdown, CSV.

A :class:`~benchmarkkit.ValidationReport`, a
:class:`~benchmarkkit.scoring.Scorecard` and a
:class:`~benchmarkkit.scoring.Comparison` are data; everything here only
renders them, so a tool can produce the same output as the command line::

    from benchmarkkit import validate
    from benchmarkkit.reports import render_json

    print(render_json([validate("examples/kazakhstan-2012")]))

Every string from a dataset is treated as data: it cannot break a Markdown
table, inject a GitHub workflow command, start a spreadsheet formula or
style terminal output.
"""

from benchmarkkit.reports._csv import (
    COMPARISON_COLUMNS,
    SCORECARD_COLUMNS,
    comparison_to_csv,
    scorecard_to_csv,
)
from benchmarkkit.reports._markdown import (
    comparison_to_markdown,
    escape_markdown,
    scorecard_to_markdown,
)
from benchmarkkit.reports._scorecard_text import print_comparison, print_scorecard
from benchmarkkit.reports._validation import (
    CANNOT_RUN_CODES,
    REPORT_FORMAT_VERSION,
    VALUE_LIMIT,
    Line,
    ProblemGroup,
    escape_github_data,
    escape_github_property,
    exit_status,
    github_annotation,
    group_problems,
    json_value,
    plain_text,
    problem_to_json,
    render_github,
    render_json,
    render_text,
    report_to_json,
)
from benchmarkkit.reports._words import NOT_ASSESSABLE, met_text, score_text, status_text

__all__ = [
    "CANNOT_RUN_CODES",
    "COMPARISON_COLUMNS",
    "NOT_ASSESSABLE",
    "REPORT_FORMAT_VERSION",
    "SCORECARD_COLUMNS",
    "VALUE_LIMIT",
    "Line",
    "ProblemGroup",
    "comparison_to_csv",
    "comparison_to_markdown",
    "escape_github_data",
    "escape_github_property",
    "escape_markdown",
    "exit_status",
    "github_annotation",
    "group_problems",
    "json_value",
    "met_text",
    "plain_text",
    "print_comparison",
    "print_scorecard",
    "problem_to_json",
    "render_github",
    "render_json",
    "render_text",
    "report_to_json",
    "score_text",
    "scorecard_to_csv",
    "scorecard_to_markdown",
    "status_text",
]
