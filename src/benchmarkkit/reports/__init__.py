"""Reports: a scorecard report as one HTML page or as Markdown; the JSON validation report.

A :class:`~benchmarkkit.ValidationReport` and a
:class:`~benchmarkkit.scoring.Scorecard` are data; everything here only renders
them, as the command line does. The JSON validation report is the document
``benchmarkkit validate --format json`` writes, as plain data::

    from benchmarkkit import validate
    from benchmarkkit.reports import report_to_json

    document = report_to_json([validate("examples/kazakhstan-2012")])

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

from benchmarkkit import _lazy

# What type checkers see: `_EXPORTS` below, written as imports (tests/test_public_api.py).
TYPE_CHECKING = False  # without importing typing
if TYPE_CHECKING:
    from benchmarkkit.reports._build import build_report as build_report
    from benchmarkkit.reports._html import report_to_html as report_to_html
    from benchmarkkit.reports._markdown_report import report_to_markdown as report_to_markdown
    from benchmarkkit.reports._report import Report as Report
    from benchmarkkit.reports._validation import report_to_json as report_to_json

# The public API of reports: each name and the private module it lives in; the one list,
# which makes `__all__` and `dir()`. Names are imported on first use: `benchmarkkit
# validate` needs the text renderer, not the HTML templates, charts and report model.
_EXPORTS: dict[str, str] = {
    # Scorecard reports: build the report model, render it.
    "build_report": "benchmarkkit.reports._build",
    "Report": "benchmarkkit.reports._report",
    "report_to_html": "benchmarkkit.reports._html",
    "report_to_markdown": "benchmarkkit.reports._markdown_report",
    # The JSON validation report.
    "report_to_json": "benchmarkkit.reports._validation",
}
if not TYPE_CHECKING:  # type checkers see the imports above, and no other name
    __all__, __getattr__, __dir__ = _lazy.lazy_exports(__name__, _EXPORTS, globals())
del TYPE_CHECKING
