"""Scorecards and comparisons as tables, one row per result: CSV, and the workbook's rows.

One table holds every level: a ``subject`` column says whether a row is the
overall score, an area, a benchmark or a gate. The scorecard's recommendations
part (counts of recommendations by position, with other columns) is not in it:
the JSON form and the text table have it. Scores are plain numbers
(empty when not assessable).

The columns are defined once, here (:data:`SCORECARD_TABLE`,
:data:`COMPARISON_TABLE`), with their meanings: the CSV writer, the workbook
writer (``_xlsx``) and the reference page all read them. The workbook has
every column of the CSV, in the same order, then columns of its own, and a
row for each condition of each gate.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is prefixed with ``'`` by default
(``formulas="guard"``), as OWASP advises against CSV injection; that changes
the value a script reads, so ``formulas="keep"`` writes every value as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

if TYPE_CHECKING:
    from benchmarkkit.scoring import Comparison, Scorecard
    from benchmarkkit.scoring._compare import Change
    from benchmarkkit.scoring._gates import ConditionResult, Verdict
    from benchmarkkit.scoring._protocols import Status
    from benchmarkkit.scoring._results import GateVerdict

__all__ = [
    "COMPARISON_COLUMNS",
    "COMPARISON_TABLE",
    "SCORECARD_COLUMNS",
    "SCORECARD_TABLE",
    "Formulas",
    "Row",
    "TableColumn",
    "comparison_rows",
    "comparison_to_csv",
    "scorecard_rows",
    "scorecard_to_csv",
]

Formulas = Literal["guard", "keep"]
"""Whether text a spreadsheet would run as a formula gets a ``'`` first (``--csv-formulas``)."""


@attrs.frozen
class TableColumn:
    """One column of the scorecard or comparison table: its name, its type, what it means."""

    name: str
    #: How the workbook writes it: text (a string cell), date (text, YYYY-MM-DD), number
    #: (a number cell), true/false (a true/false cell; ``true``/``false`` in the CSV).
    kind: Literal["text", "date", "number", "true/false"]
    meaning: str
    #: Whether the CSV has it too (the workbook has every column).
    csv: bool = True


_DATASET_ID = TableColumn("dataset_id", "text", "The id of the dataset scored.")
#: The columns of a scorecard: the CSV's, then the workbook's own.
SCORECARD_TABLE = (
    _DATASET_ID,
    TableColumn("as_of", "date", "The day the scorecard describes, YYYY-MM-DD."),
    TableColumn(
        "subject",
        "text",
        "What the row is: overall (the overall score, the first row), area, benchmark or "
        "gate; in the workbook also condition (a condition of the gate above it).",
    ),
    TableColumn(
        "id",
        "text",
        "The area's, benchmark's or gate's id; for a condition, the benchmark or area it "
        "tests. Empty for the overall score and for a condition that combines others.",
    ),
    TableColumn(
        "title",
        "text",
        "The dataset's title (overall row), the area's, benchmark's or gate's title, or a "
        "condition's label.",
    ),
    TableColumn("area_id", "text", "For an area its id, for a benchmark the area it belongs to."),
    TableColumn(
        "score",
        "number",
        "The score, from 0 to 1 (the CSV has every digit, a workbook cell 16); empty when not "
        "assessable (never a silent zero). For a condition, the score compared with its "
        "threshold.",
    ),
    TableColumn(
        "met",
        "true/false",
        "For a benchmark, whether its score reaches the met threshold; empty when not assessable.",
    ),
    TableColumn(
        "provisional",
        "true/false",
        "For a benchmark, true when the score comes from the direction of the evidence "
        "rather than an assessment.",
    ),
    TableColumn("status", "text", "For a benchmark, the id of the level an assessment stated."),
    TableColumn("rule", "text", "For a benchmark, the scoring rule that produced the result."),
    TableColumn("verdict", "text", "For a gate or a condition: pass, fail or undetermined."),
    TableColumn(
        "gate_id", "text", "For a gate and each of its conditions, the gate's id.", csv=False
    ),
    TableColumn(
        "condition",
        "text",
        "For a condition, its place in the gate's condition tree: 1, 1.2, 1.2.1, ...",
        csv=False,
    ),
    TableColumn(
        "threshold",
        "number",
        "For a benchmark or area condition, the score it must reach.",
        csv=False,
    ),
    TableColumn(
        "explanation",
        "text",
        "How the result was reached, one step a line: the steps the text and Markdown "
        "scorecards show (for a gate, its verdict condition by condition); for a condition, "
        "why it has its verdict.",
        csv=False,
    ),
)
#: The columns of a comparison of two dates.
COMPARISON_TABLE = (
    _DATASET_ID,
    TableColumn("before_date", "date", "The earlier day, YYYY-MM-DD."),
    TableColumn("after_date", "date", "The later day, YYYY-MM-DD."),
    TableColumn(
        "subject", "text", "What changed: overall (the first row), area, benchmark or gate."
    ),
    TableColumn("id", "text", "The area's, benchmark's or gate's id; empty for the overall score."),
    TableColumn("title", "text", "Its title (the dataset's title for the overall score)."),
    TableColumn(
        "before",
        "number",
        "The score as of the earlier day; empty for a gate, and when not assessable.",
    ),
    TableColumn(
        "after",
        "number",
        "The score as of the later day; empty for a gate, and when not assessable.",
    ),
    TableColumn("delta", "number", "after - before, when both are scores."),
    TableColumn(
        "change",
        "text",
        "How it changed: improved, regressed, unchanged, new, no-longer-assessable or "
        "different-kind.",
    ),
    TableColumn(
        "status_before", "text", "For a benchmark, the level stated as of the earlier day."
    ),
    TableColumn("status_after", "text", "For a benchmark, the level stated as of the later day."),
    TableColumn("verdict_before", "text", "For a gate, its verdict as of the earlier day."),
    TableColumn("verdict_after", "text", "For a gate, its verdict as of the later day."),
    TableColumn(
        "summary",
        "text",
        "The change in words; for a gate, also the conditions that decided its verdict on the "
        "later day.",
    ),
)
SCORECARD_COLUMNS = tuple(column.name for column in SCORECARD_TABLE if column.csv)
COMPARISON_COLUMNS = tuple(column.name for column in COMPARISON_TABLE if column.csv)

Cell = str | float | bool | None
Row = Mapping[str, Cell]
"""A row of the table: a value for each column it fills, by name; a missing one is empty."""

#: What a spreadsheet reads as the start of a formula (OWASP's list).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Cell, *, guard: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if guard and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write(columns: Sequence[str], rows: Iterable[Row], formulas: Formulas) -> str:
    guard = formulas == "guard"
    lines: list[str] = []
    buffer = io.StringIO()
    # The writer quotes a field holding a character of its line terminator, so a carriage
    # return in a text is quoted only with "\r\n"; each line then ends with "\n" alone.
    writer = csv.writer(buffer, lineterminator="\r\n")
    table: list[Sequence[str]] = [columns]
    table.extend([_cell(row.get(name), guard=guard) for name in columns] for row in rows)
    for cells in table:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def _steps(steps: Sequence[str]) -> str:
    return "\n".join(steps)


def _conditions(
    gate: GateVerdict, condition: ConditionResult, path: str, head: Row
) -> Iterator[Row]:
    """A row for ``condition`` at ``path`` in the gate's tree, then its children's, depth first."""
    yield {
        **head,
        "subject": "condition",
        "id": condition.target,
        "title": condition.label,
        "score": condition.score,
        "verdict": condition.verdict.value,
        "gate_id": gate.gate_id,
        "condition": path,
        "threshold": condition.threshold,
        "explanation": condition.detail,
    }
    for number, child in enumerate(condition.children, start=1):
        yield from _conditions(gate, child, f"{path}.{number}", head)


def scorecard_rows(scorecard: Scorecard, *, conditions: bool = False) -> list[Row]:
    """The overall score, each area, each benchmark and each gate, one row each.

    With ``conditions``, each gate is followed by a row for each of its
    conditions (the workbook's rows).
    """
    head: Row = {"dataset_id": scorecard.dataset_id, "as_of": scorecard.as_of.isoformat()}
    overall = scorecard.overall
    rows: list[Row] = [
        {
            **head,
            "subject": "overall",
            "title": scorecard.title,
            "score": overall.score,
            "explanation": _steps(overall.explanation.steps),
        }
    ]
    rows.extend(
        {
            **head,
            "subject": "area",
            "id": area.area_id,
            "title": area.title,
            "area_id": area.area_id,
            "score": area.score,
            "explanation": _steps(area.explanation.steps),
        }
        for area in scorecard.areas
    )
    rows.extend(
        {
            **head,
            "subject": "benchmark",
            "id": result.benchmark_id,
            "title": result.title,
            "area_id": result.area_id,
            "score": result.score,
            "met": result.met,
            "provisional": result.provisional,
            "status": result.status.level if result.status is not None else None,
            "rule": result.rule,
            "explanation": _steps(result.explanation.steps),
        }
        for result in scorecard.benchmarks
    )
    for gate in scorecard.gates:
        rows.append(
            {
                **head,
                "subject": "gate",
                "id": gate.gate_id,
                "title": gate.title,
                "verdict": gate.verdict.value,
                "gate_id": gate.gate_id,
                "explanation": _steps(gate.explanation.steps),
            }
        )
        if conditions:
            rows.extend(_conditions(gate, gate.condition, "1", head))
    return rows


def scorecard_to_csv(scorecard: Scorecard, *, formulas: Formulas = "guard") -> str:
    """Render the overall score, each area, each benchmark and each gate, one row each.

    ``formulas="guard"`` puts a ``'`` before text a spreadsheet would run as a
    formula; ``"keep"`` writes every text as it is.
    """
    return _write(SCORECARD_COLUMNS, scorecard_rows(scorecard), formulas)


def _level(status: Status | None) -> str | None:
    return status.level if status is not None else None


def _verdict(verdict: Verdict | None) -> str | None:
    return verdict.value if verdict is not None else None


def _change_row(comparison: Comparison, change: Change) -> Row:
    return {
        "dataset_id": comparison.dataset_id,
        "before_date": comparison.before.isoformat(),
        "after_date": comparison.after.isoformat(),
        "subject": change.subject,
        "id": change.id,
        "title": change.title,
        "before": change.before,
        "after": change.after,
        "delta": change.delta,
        "change": change.kind.value,
        "status_before": _level(change.status_before),
        "status_after": _level(change.status_after),
        "verdict_before": _verdict(change.verdict_before),
        "verdict_after": _verdict(change.verdict_after),
        "summary": change.summary,
    }


def comparison_rows(comparison: Comparison) -> list[Row]:
    """Each change (overall, areas, benchmarks, gates), one row each."""
    changes = (comparison.overall, *comparison.areas, *comparison.benchmarks, *comparison.gates)
    return [_change_row(comparison, change) for change in changes]


def comparison_to_csv(comparison: Comparison, *, formulas: Formulas = "guard") -> str:
    """Render each change (overall, areas, benchmarks, gates), one row each."""
    return _write(COMPARISON_COLUMNS, comparison_rows(comparison), formulas)
