"""Renderers: validation reports, scorecards and scorecard reports, in every format.

Validation reports and scorecards render as text, JSON, GitHub annotations,
Markdown and CSV; scorecard reports as one HTML page or as Markdown.

A :class:`~benchmarkkit.ValidationReport`, a
:class:`~benchmarkkit.scoring.Scorecard` and a
:class:`~benchmarkkit.scoring.Comparison` are data; everything here only
renders them, so a tool can produce the same output as the command line::

    from benchmarkkit import validate
    from benchmarkkit.reports import render_json

    print(render_json([validate("examples/kazakhstan-2012")]))

A scorecard report joins a scorecard with the dataset it was made from (the
commitments, standards and evidence behind each result) in a
:class:`Report`, which templates render::

    from benchmarkkit import load_dataset
    from benchmarkkit.reports import build_report, report_to_html
    from benchmarkkit.scoring import score

    dataset = load_dataset("examples/kazakhstan-2012")
    report = build_report(dataset, score(dataset, as_of="2012-03-20"))
    html = report_to_html(report)

Every string from a dataset is treated as data: it cannot break a Markdown
table, inject a GitHub workflow command, start a spreadsheet formula, style
terminal output, or become markup, a script or a link in a report (only
http, https and mailto addresses are linked).
"""

from __future__ import annotations

from benchmarkkit._lazy import lazy_exports

TYPE_CHECKING = False  # without importing typing
if TYPE_CHECKING:
    from benchmarkkit.reports._build import (
        build_report,
    )
    from benchmarkkit.reports._chart import (
        NARROW_CHART_SIZE,
        WIDE_CHART_SIZE,
        ChartLine,
        ChartPoint,
        LineChart,
        Tick,
        line_chart,
    )
    from benchmarkkit.reports._csv import (
        COMPARISON_COLUMNS,
        SCORECARD_COLUMNS,
        comparison_to_csv,
        scorecard_to_csv,
    )
    from benchmarkkit.reports._html import (
        report_to_html,
    )
    from benchmarkkit.reports._links import (
        SAFE_SCHEMES,
        Link,
        safe_url,
    )
    from benchmarkkit.reports._markdown import (
        comparison_to_markdown,
        escape_markdown,
        scorecard_to_markdown,
    )
    from benchmarkkit.reports._markdown_report import (
        MarkdownText,
        report_to_markdown,
    )
    from benchmarkkit.reports._palette import (
        SERIES_COLOURS,
        Tone,
        tone,
    )
    from benchmarkkit.reports._report import (
        AreaView,
        AssessmentView,
        BenchmarkView,
        ChangeItem,
        ChangeView,
        CommitmentView,
        ConditionView,
        EvidenceView,
        GateView,
        IndicatorView,
        LegendEntry,
        LegendScale,
        Method,
        ProblemView,
        Report,
        Series,
        SourceRef,
        SourceView,
        StandardView,
        StatusCount,
        Timeline,
    )
    from benchmarkkit.reports._scorecard_text import (
        print_comparison,
        print_scorecard,
    )
    from benchmarkkit.reports._timeline import (
        HISTORY_LIMIT,
        history_dates,
    )
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
    from benchmarkkit.reports._words import (
        NOT_ASSESSABLE,
        met_text,
        score_text,
        status_text,
    )

# Each public name and its module, imported on first use (PEP 562): `benchmarkkit validate`
# needs the text renderer, not the HTML templates, charts and report model.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "benchmarkkit.reports._build": ("build_report",),
    "benchmarkkit.reports._chart": (
        "NARROW_CHART_SIZE",
        "WIDE_CHART_SIZE",
        "ChartLine",
        "ChartPoint",
        "LineChart",
        "Tick",
        "line_chart",
    ),
    "benchmarkkit.reports._csv": (
        "COMPARISON_COLUMNS",
        "SCORECARD_COLUMNS",
        "comparison_to_csv",
        "scorecard_to_csv",
    ),
    "benchmarkkit.reports._html": ("report_to_html",),
    "benchmarkkit.reports._links": (
        "SAFE_SCHEMES",
        "Link",
        "safe_url",
    ),
    "benchmarkkit.reports._markdown": (
        "comparison_to_markdown",
        "escape_markdown",
        "scorecard_to_markdown",
    ),
    "benchmarkkit.reports._markdown_report": (
        "MarkdownText",
        "report_to_markdown",
    ),
    "benchmarkkit.reports._palette": (
        "SERIES_COLOURS",
        "Tone",
        "tone",
    ),
    "benchmarkkit.reports._report": (
        "AreaView",
        "AssessmentView",
        "BenchmarkView",
        "ChangeItem",
        "ChangeView",
        "CommitmentView",
        "ConditionView",
        "EvidenceView",
        "GateView",
        "IndicatorView",
        "LegendEntry",
        "LegendScale",
        "Method",
        "ProblemView",
        "Report",
        "Series",
        "SourceRef",
        "SourceView",
        "StandardView",
        "StatusCount",
        "Timeline",
    ),
    "benchmarkkit.reports._scorecard_text": (
        "print_comparison",
        "print_scorecard",
    ),
    "benchmarkkit.reports._timeline": (
        "HISTORY_LIMIT",
        "history_dates",
    ),
    "benchmarkkit.reports._validation": (
        "CANNOT_RUN_CODES",
        "REPORT_FORMAT_VERSION",
        "VALUE_LIMIT",
        "Line",
        "ProblemGroup",
        "escape_github_data",
        "escape_github_property",
        "exit_status",
        "github_annotation",
        "group_problems",
        "json_value",
        "plain_text",
        "problem_to_json",
        "render_github",
        "render_json",
        "render_text",
        "report_to_json",
    ),
    "benchmarkkit.reports._words": (
        "NOT_ASSESSABLE",
        "met_text",
        "score_text",
        "status_text",
    ),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())

__all__ = [
    "CANNOT_RUN_CODES",
    "COMPARISON_COLUMNS",
    "HISTORY_LIMIT",
    "NARROW_CHART_SIZE",
    "NOT_ASSESSABLE",
    "REPORT_FORMAT_VERSION",
    "SAFE_SCHEMES",
    "SCORECARD_COLUMNS",
    "SERIES_COLOURS",
    "VALUE_LIMIT",
    "WIDE_CHART_SIZE",
    "AreaView",
    "AssessmentView",
    "BenchmarkView",
    "ChangeItem",
    "ChangeView",
    "ChartLine",
    "ChartPoint",
    "CommitmentView",
    "ConditionView",
    "EvidenceView",
    "GateView",
    "IndicatorView",
    "LegendEntry",
    "LegendScale",
    "Line",
    "LineChart",
    "Link",
    "MarkdownText",
    "Method",
    "ProblemGroup",
    "ProblemView",
    "Report",
    "Series",
    "SourceRef",
    "SourceView",
    "StandardView",
    "StatusCount",
    "Tick",
    "Timeline",
    "Tone",
    "build_report",
    "comparison_to_csv",
    "comparison_to_markdown",
    "escape_github_data",
    "escape_github_property",
    "escape_markdown",
    "exit_status",
    "github_annotation",
    "group_problems",
    "history_dates",
    "json_value",
    "line_chart",
    "met_text",
    "plain_text",
    "print_comparison",
    "print_scorecard",
    "problem_to_json",
    "render_github",
    "render_json",
    "render_text",
    "report_to_html",
    "report_to_json",
    "report_to_markdown",
    "safe_url",
    "score_text",
    "scorecard_to_csv",
    "scorecard_to_markdown",
    "status_text",
    "tone",
]
