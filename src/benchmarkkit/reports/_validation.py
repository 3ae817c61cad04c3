"""Validation reports for people and machines: text, JSON and GitHub Actions annotations.

A :class:`~benchmarkkit.ValidationReport` is data; this module only renders
it. All three formats show the same problems: the first ``max_problems`` in
file and line order, with the number left out. The JSON form is the
documented contract of ``schemas/validation-report.schema.json``.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from benchmarkkit._problems import Problem, Severity, ValidationReport
from benchmarkkit._version import __version__
from benchmarkkit._wording import SINGULAR, plural
from benchmarkkit.reports._controls import visible_controls

__all__ = [
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
]

#: The version of the JSON report format; see docs/reference/validation-report.md.
REPORT_FORMAT_VERSION = "1.1"
#: Text values longer than this many characters are cut in the JSON report.
VALUE_LIMIT = 200
#: Problem codes that mean the dataset could not be read at all: the command could not run.
CANNOT_RUN_CODES = frozenset({"path-not-found", "not-a-dataset", "file-unreadable"})

#: A line of terminal text: pieces of text, each with a rich style name or ``None``.
Line = list[tuple[str, str | None]]

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# How checks name the record a problem is in: "evidence 'ev-3': ...", "the dataset: ...".
# short() may cut a long id to "'abc..." without its closing quote.
_LABEL = re.compile(
    r"^(?:(?:{kinds}) (?:'[^'\n]*(?:'|\.\.\.)|#\d+ \(no id\))|the dataset): ".format(
        kinds="|".join(sorted(set(SINGULAR.values()), key=len, reverse=True))
    )
)


def exit_status(report: ValidationReport, *, strict: bool = False) -> int:
    """Return 0 if valid, 1 if the dataset has errors (or warnings, if strict), 2 if unreadable."""
    if any(problem.code in CANNOT_RUN_CODES for problem in report.problems):
        return 2
    return 0 if report.is_valid(strict=strict) else 1


def _shown(
    reports: Sequence[ValidationReport], max_problems: int | None
) -> Iterator[tuple[ValidationReport, tuple[Problem, ...]]]:
    """Each report with the problems to show: the first ``max_problems`` over all reports."""
    budget = max_problems
    for report in reports:
        if budget is None:
            yield report, report.problems
            continue
        shown = report.problems[:budget]
        budget -= len(shown)
        yield report, shown


def _total_counts(reports: Iterable[ValidationReport]) -> dict[str, int]:
    totals = {severity.value: 0 for severity in Severity}
    for report in reports:
        for severity, count in report.counts().items():
            totals[severity] += count
    return totals


# -- JSON ---------------------------------------------------------------------------------


def json_value(value: Any, limit: int = VALUE_LIMIT) -> tuple[Any, bool]:
    """Return ``value`` as the JSON report holds it, and whether it was cut or summarised.

    Text longer than ``limit`` characters is cut to ``limit`` and ends in
    ``...``; a list or mapping whose compact JSON is longer is replaced by a
    summary ("a list of 12 items"). Anything that is not JSON becomes text.
    """
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    if value is None or isinstance(value, bool | int | float):
        return value, False
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
        if len(text) <= limit:
            return json.loads(text), False
        size = len(value)
        if isinstance(value, dict):
            return f"a mapping with {size} {'key' if size == 1 else 'keys'}", True
        return f"a list of {size} {'item' if size == 1 else 'items'}", True
    text = value if isinstance(value, str) else str(value)
    return (text, False) if len(text) <= limit else (text[:limit] + "...", True)


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """One problem as the JSON report holds it: its fields, and its value, cut to size."""
    value, truncated = json_value(problem.value)
    return {**problem.to_json(), "value": value, "value_truncated": truncated}


def report_to_json(
    reports: Sequence[ValidationReport], *, strict: bool = False, max_problems: int | None = None
) -> dict[str, Any]:
    """Build the JSON report of one run over ``reports``, as plain data."""
    datasets: list[dict[str, Any]] = []
    for report, shown in _shown(reports, max_problems):
        datasets.append(
            {
                "path": report.path,
                "schema_version": report.schema_version,
                "valid": exit_status(report, strict=strict) == 0,
                "counts": dict(report.counts()),
                "files": list(report.files),
                "problems": [problem_to_json(problem) for problem in shown],
                "problems_omitted": len(report.problems) - len(shown),
            }
        )
    return {
        "report_format_version": REPORT_FORMAT_VERSION,
        "tool": {"name": "benchmarkkit", "version": __version__},
        "strict": strict,
        "valid": all(dataset["valid"] for dataset in datasets),
        "counts": _total_counts(reports),
        "problems_omitted": sum(int(dataset["problems_omitted"]) for dataset in datasets),
        "datasets": datasets,
    }


def render_json(
    reports: Sequence[ValidationReport],
    *,
    strict: bool = False,
    max_problems: int | None = None,
    ensure_ascii: bool = False,
) -> str:
    """Render the JSON report as text, indented, with a final newline."""
    data = report_to_json(reports, strict=strict, max_problems=max_problems)
    return json.dumps(data, indent=2, ensure_ascii=ensure_ascii) + "\n"


# -- GitHub Actions -----------------------------------------------------------------------


def escape_github_data(text: str) -> str:
    """Escape the message of a workflow command: ``%``, carriage return and line feed."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_github_property(text: str) -> str:
    """Escape a property value of a workflow command: as data, and ``:`` and ``,`` too."""
    return escape_github_data(text).replace(":", "%3A").replace(",", "%2C")


def _plain(text: str) -> str:
    """Text for a log line: no line breaks or control characters a reader cannot see."""
    return visible_controls(text.replace("\n", "\\n"), keep="\t")


#: Line breaks are escaped the workflow-command way (%0A, %0D), every other control shown.
_GITHUB_KEEP = "\n\r\t"


def github_annotation(problem: Problem) -> str:
    """One problem as an ``::error``, ``::warning`` or ``::notice`` workflow command."""
    properties = []
    if problem.file is not None:
        properties.append(("file", problem.file.replace(os.sep, "/")))
        if problem.line is not None:
            properties.append(("line", str(problem.line)))
            if problem.column is not None:
                properties.append(("col", str(problem.column)))
    properties.append(("title", problem.code))
    props = ",".join(
        f"{name}={escape_github_property(visible_controls(value, keep=_GITHUB_KEEP))}"
        for name, value in properties
    )
    message = problem.message
    place = problem.place  # a table file has no lines: the cell starts the message
    if place is not None:
        message = f"{place}: {message}"
    if _unplaced(problem):
        message += f" (at {problem.pointer})"
    if problem.plugin is not None:
        message += f" (reported by the plugin {problem.plugin!r})"
    if problem.hint:
        message += f"\nFix: {problem.hint}"
    # A control character would style or rewrite the Actions log: it is shown as an escape.
    message = visible_controls(message, keep=_GITHUB_KEEP)
    return f"::{_GITHUB_LEVEL[problem.severity]} {props}::{escape_github_data(message)}"


def render_github(
    reports: Sequence[ValidationReport], *, strict: bool = False, max_problems: int | None = None
) -> str:
    """GitHub Actions annotations, one per problem, then a plain summary line per dataset.

    Summary lines start with ``benchmarkkit:`` so that no dataset path can
    make a line that GitHub would read as a workflow command.
    """
    lines: list[str] = []
    for report, shown in _shown(reports, max_problems):
        lines.extend(github_annotation(problem) for problem in shown)
        omitted = len(report.problems) - len(shown)
        lines.append(f"benchmarkkit: {_plain(_summary(report, strict=strict, omitted=omitted))}")
    return "\n".join(lines) + "\n"


# -- text ---------------------------------------------------------------------------------


class ProblemGroup(NamedTuple):
    """Problems that say the same thing about different places, in report order."""

    problems: tuple[Problem, ...]

    @property
    def first(self) -> Problem:
        """The problem shown in full; the others are listed by place."""
        return self.problems[0]


def _template(message: str) -> tuple[str, str]:
    """Split a message into its text without the record it names, and that record."""
    match = _LABEL.match(message)
    if match is None:
        return message, ""
    return message[match.end() :], match.group()[:-2]


def group_problems(problems: Iterable[Problem]) -> list[ProblemGroup]:
    """Group problems with the same code, severity, hint, plugin and message (bar the record).

    Three hundred quotes from a source without an archived text become one
    group listing three hundred places. Groups come in the order of their
    first problem.
    """
    groups: dict[tuple[str, Severity, str, str | None, str | None], list[Problem]] = {}
    for problem in problems:
        key = (
            problem.code,
            problem.severity,
            _template(problem.message)[0],
            problem.hint,
            problem.plugin,
        )
        groups.setdefault(key, []).append(problem)
    return [ProblemGroup(tuple(members)) for members in groups.values()]


def _summary(report: ValidationReport, *, strict: bool, omitted: int) -> str:
    counts = report.counts()
    status = exit_status(report, strict=strict)
    found = f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}"
    if counts["info"]:
        found += f", {counts['info']} info"
    if status == 2:
        verdict = f"{report.path}: could not be validated ({found})"
    elif status == 1:
        verdict = f"{report.path}: invalid{' (strict)' if strict else ''}: {found}"
    elif report.problems:
        verdict = f"{report.path}: valid, with {found}"
    else:
        verdict = f"{report.path}: valid, no problems"
    if omitted:
        verdict += (
            f"; {plural(omitted, 'more problem')} not shown (raise --max-problems to see them)"
        )
    return verdict


def _unplaced(problem: Problem) -> bool:
    """Whether only the pointer says where ``problem`` is: no line, no sheet, no cell."""
    return problem.line is None and problem.place is None and bool(problem.pointer)


def _problem_lines(group: ProblemGroup) -> Iterator[Line]:
    first = group.first
    head: Line = [(_plain(first.location), "bold"), (": ", None)]
    head.append((first.code, _SEVERITY_STYLE[first.severity]))
    head.append((" " + _plain(first.message), None))
    if _unplaced(first):
        head.append((f" (at {_plain(first.pointer)})", None))
    if first.severity is not Severity.ERROR:
        head.append((f" ({first.severity.value})", _SEVERITY_STYLE[first.severity]))
    if first.plugin is not None:
        head.append((f" [plugin {_plain(first.plugin)}]", "magenta"))
    yield head
    if first.hint:
        yield [("    hint: ", "dim"), (_plain(first.hint), "dim")]
    others = group.problems[1:]
    if others:
        yield [(f"    the same problem at {plural(len(others), 'more place')}:", None)]
        for problem in others:
            label = _template(problem.message)[1]
            line: Line = [("      ", None), (_plain(problem.location), "bold")]
            if _unplaced(problem):
                line.append((f" at {_plain(problem.pointer)}", None))
            if label:
                line.append((f" ({_plain(label)})", None))
            yield line


def render_text(
    reports: Sequence[ValidationReport], *, strict: bool = False, max_problems: int | None = None
) -> list[Line]:
    """``file:line:col: CODE message`` lines with hints, grouped, then a verdict per dataset."""
    lines: list[Line] = []
    for report, shown in _shown(reports, max_problems):
        for group in group_problems(shown):
            lines.extend(_problem_lines(group))
        omitted = len(report.problems) - len(shown)
        status = exit_status(report, strict=strict)
        style = "bold green" if status == 0 else "bold red"
        if status == 0 and report.problems:
            style = "bold yellow"
        lines.append([(_plain(_summary(report, strict=strict, omitted=omitted)), style)])
    if len(reports) > 1:
        invalid = sum(1 for report in reports if exit_status(report, strict=strict) != 0)
        total = f"{plural(len(reports), 'dataset')}: {len(reports) - invalid} valid, {invalid} not"
        lines.append([(total, "bold red" if invalid else "bold green")])
    return lines


def plain_text(lines: Iterable[Line]) -> str:
    """Styled lines as plain text, each ending in a newline."""
    return "".join("".join(text for text, _style in line) + "\n" for line in lines)
