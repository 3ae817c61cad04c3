"""Scorecards and comparisons as CSV, one row per result, for spreadsheets and scripts.

One table holds every level: a ``subject`` column says whether a row is the
overall score, an area, a benchmark or a gate. The scorecard's recommendations
part (counts of recommendations by position, with other columns) is not in it:
the JSON form and the text table have it. Scores are plain numbers
(empty when not assessable). Text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with ``'``, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarkkit.scoring import Comparison, Scorecard
    from benchmarkkit.scoring._compare import Change

__all__ = ["COMPARISON_COLUMNS", "SCORECARD_COLUMNS", "comparison_to_csv", "scorecard_to_csv"]

SCORECARD_COLUMNS = (
    "dataset_id",
    "as_of",
    "subject",
    "id",
    "title",
    "area_id",
    "score",
    "met",
    "provisional",
    "status",
    "rule",
    "verdict",
)
COMPARISON_COLUMNS = (
    "dataset_id",
    "before_date",
    "after_date",
    "subject",
    "id",
    "title",
    "before",
    "after",
    "delta",
    "change",
    "status_before",
    "status_after",
    "verdict_before",
    "verdict_after",
    "summary",
)

Cell = str | float | bool | None


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _write(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def scorecard_to_csv(scorecard: Scorecard) -> str:
    """Render the overall score, each area, each benchmark and each gate, one row each."""
    head = (scorecard.dataset_id, scorecard.as_of.isoformat())
    rows: list[tuple[Cell, ...]] = [
        (
            *head,
            "overall",
            None,
            scorecard.title,
            None,
            scorecard.overall.score,
            None,
            None,
            None,
            None,
            None,
        )
    ]
    rows.extend(
        (
            *head,
            "area",
            area.area_id,
            area.title,
            area.area_id,
            area.score,
            None,
            None,
            None,
            None,
            None,
        )
        for area in scorecard.areas
    )
    rows.extend(
        (
            *head,
            "benchmark",
            result.benchmark_id,
            result.title,
            result.area_id,
            result.score,
            result.met,
            result.provisional,
            result.status.level if result.status is not None else None,
            result.rule,
            None,
        )
        for result in scorecard.benchmarks
    )
    rows.extend(
        (
            *head,
            "gate",
            gate.gate_id,
            gate.title,
            None,
            None,
            None,
            None,
            None,
            None,
            gate.verdict.value,
        )
        for gate in scorecard.gates
    )
    return _write(SCORECARD_COLUMNS, rows)


def _change_row(comparison: Comparison, change: Change) -> tuple[Cell, ...]:
    return (
        comparison.dataset_id,
        comparison.before.isoformat(),
        comparison.after.isoformat(),
        change.subject,
        change.id,
        change.title,
        change.before,
        change.after,
        change.delta,
        change.kind.value,
        change.status_before.level if change.status_before is not None else None,
        change.status_after.level if change.status_after is not None else None,
        change.verdict_before.value if change.verdict_before is not None else None,
        change.verdict_after.value if change.verdict_after is not None else None,
        change.summary,
    )


def comparison_to_csv(comparison: Comparison) -> str:
    """Render each change (overall, areas, benchmarks, gates), one row each."""
    changes = (comparison.overall, *comparison.areas, *comparison.benchmarks, *comparison.gates)
    return _write(COMPARISON_COLUMNS, (_change_row(comparison, change) for change in changes))
