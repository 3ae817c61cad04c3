"""The scaling between sizes, and the targets of the performance issues, from the harness's rows.

Every figure is in CPU seconds (user + system), the one a shared machine moves
least; ``benchmarks/run.py`` prints wall seconds beside them in its tables.
Used by ``benchmarks/run.py``, which measures the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generate import size_of

if TYPE_CHECKING:
    from run import Measurement

    Results = dict[str, dict[str, Measurement]]

#: The pairs of sizes whose ratios are shown, smaller first.
PAIRS = (("10k", "100k"), ("100k", "270k"))
#: Time may grow at most this much faster than the data (11 times for 10 times the data).
LINEAR_SLACK = 1.1
_GB = 1e9 / (1024 * 1024)  # MiB in a GB


@dataclass
class Target:
    """One figure a performance issue asks for."""

    text: str
    value: float | None
    limit: float
    unit: str

    def line(self) -> str:
        """The target, the figure measured, and whether it is met."""
        if self.value is None:
            return f"  {self.text:<64}  not measured"
        verdict = "met" if self.value <= self.limit else "NOT met"
        value = f"{self.value:10,.0f}" if self.unit == "" else f"{self.value:10.3f}"  # a count
        figure = f"{value} {self.unit:<2} (<= {self.limit:,g})"
        return f"  {self.text:<64}  {figure} {verdict}"


class _Figures:
    """The figures of the rows, ``None`` where a size or a row was not measured."""

    def __init__(self, results: Results) -> None:
        self.results = results

    def row(self, size: str, key: str) -> Measurement | None:
        row = self.results.get(size, {}).get(key)
        return None if row is None or row.skipped or not row.samples else row

    def cpu(self, size: str, key: str) -> float | None:
        row = self.row(size, key)
        return None if row is None else row.cpu

    def ratio(self, size: str, key: str, floor: str) -> float | None:
        row, under = self.row(size, key), self.row(size, floor)
        return None if row is None or under is None else row.cpu / under.cpu

    def scaling(self, smaller: str, larger: str, key: str) -> float | None:
        low, high = self.row(smaller, key), self.row(larger, key)
        return None if low is None or high is None else high.cpu / low.cpu

    def peak_gb(self, size: str, key: str) -> float | None:
        row = self.row(size, key)
        return None if row is None else row.peak_mb / _GB

    def output(self, size: str, key: str, name: str, scale: float = 1.0) -> float | None:
        row = self.row(size, key)
        value = None if row is None else row.output(name)
        return None if value is None else value * scale


def scaling(results: Results) -> list[str]:
    """Every row's wall and CPU factor from each size to the next, where both were measured."""
    lines: list[str] = []
    figures = _Figures(results)
    for smaller, larger in PAIRS:
        if smaller not in results or larger not in results:
            continue
        factor = size_of(larger) / size_of(smaller)
        lines.append(
            f"scaling, {smaller} -> {larger} ({factor:g}x the data)  {'wall':>7}  {'cpu':>7}"
        )
        for key, row in results[larger].items():
            low, high = figures.row(smaller, key), figures.row(larger, key)
            if low is None or high is None or key == "version":
                continue
            lines.append(
                f"  {row.label:<44} {high.seconds / low.seconds:7.2f}x {high.cpu / low.cpu:7.2f}x"
            )
        lines.append("")
    return lines[:-1]


def _scaling_targets(figures: _Figures) -> list[Target]:
    targets = []
    for smaller, larger in PAIRS:
        factor = size_of(larger) / size_of(smaller)
        limit = round(factor * LINEAR_SLACK, 2)
        for key, what in (
            ("report-html", "HTML report"),
            ("report-md", "Markdown report"),
            ("score", "scoring.score()"),
        ):
            text = f"{smaller} -> {larger} ({factor:g}x the data): {what}"
            targets.append(Target(text, figures.scaling(smaller, larger, key), limit, "x"))
    return targets


def issue_16_targets(results: Results) -> list[str]:
    """The table of issue 16 (reports and scoring at scale, validation), met or not."""
    figures = _Figures(results)
    html = "report-html"
    targets = [
        Target(
            "100k: HTML report, size of the first page",
            figures.output("100k", html, "first_page_bytes", 1e-6),
            2,
            "MB",
        ),
        Target(
            "100k: HTML report, elements (DOM nodes) of the first page",
            figures.output("100k", html, "elements"),
            10_000,
            "",
        ),
        Target("100k: HTML report, the whole report written", figures.cpu("100k", html), 10, "s"),
        Target("100k: HTML report, peak memory", figures.peak_gb("100k", html), 1, "GB"),
        Target("270k: Markdown report, peak memory", figures.peak_gb("270k", "report-md"), 1, "GB"),
        *_scaling_targets(figures),
        Target(
            "100k: benchmarkkit.validate() / json.loads, in one process",
            figures.ratio("100k", "validate", "json.loads"),
            2.5,
            "x",
        ),
        Target(
            "100k: benchmarkkit validate, cold / a process that only parses",
            figures.ratio("100k", "cli", "python"),
            2,
            "x",
        ),
        Target(
            "100k: benchmarkkit validate, warm / a process that only parses",
            figures.ratio("100k", "cli-warm", "python"),
            2,
            "x",
        ),
        Target(
            "1k: benchmarkkit validate, cold, whole process", figures.cpu("1k", "cli"), 0.15, "s"
        ),
    ]
    return ["targets (issue 16), CPU seconds", *(target.line() for target in targets)]


def issue_7_targets(results: Results) -> list[str]:
    """The targets of issue 7 that issue 16 does not repeat, met or not."""
    figures = _Figures(results)
    peer = figures.row("100k", "check-jsonschema")
    cli = figures.row("100k", "cli")
    targets = [
        Target(
            "100k: validate broken / json.loads, in one process",
            figures.ratio("100k", "validate-broken", "json.loads"),
            2.5,
            "x",
        ),
        Target(
            "100k: benchmarkkit validate broken / python json.loads",
            figures.ratio("100k", "cli-broken", "python"),
            2.0,
            "x",
        ),
        Target(
            "100k: peak memory, benchmarkkit validate / check-jsonschema",
            None if peer is None or cli is None else cli.peak_mb / peer.peak_mb,
            1.0,
            "x",
        ),
        Target(
            "10k -> 100k: benchmarkkit.validate",
            figures.scaling("10k", "100k", "validate"),
            11.0,
            "x",
        ),
        Target(
            "10k -> 100k: benchmarkkit validate (process, cold)",
            figures.scaling("10k", "100k", "cli"),
            11.0,
            "x",
        ),
        Target(
            "benchmarkkit --version, whole process",
            figures.cpu(next(iter(results)), "version") if results else None,
            0.100,
            "s",
        ),
    ]
    return ["targets (issue 7), CPU seconds", *(target.line() for target in targets)]
