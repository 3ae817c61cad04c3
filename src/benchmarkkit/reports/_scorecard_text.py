"""Scorecards and comparisons as tables in a terminal, drawn with rich.

Dataset strings are passed to rich as plain text, never as markup, so a
title such as ``[bold]`` prints as written. rich is imported when a table is
drawn, so importing this module costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarkkit.reports._words import (
    POSITION_HEADINGS,
    change_texts,
    implemented_text,
    met_text,
    score_text,
    status_text,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from benchmarkkit.scoring import Comparison, Scorecard
    from benchmarkkit.scoring._compare import Change
    from benchmarkkit.scoring._gates import ConditionResult, Verdict
    from benchmarkkit.scoring._results import RecommendationCounts, RecommendationResults

__all__ = ["print_comparison", "print_recommendations", "print_scorecard"]

_VERDICT_STYLE = {"pass": "bold green", "fail": "bold red", "undetermined": "bold yellow"}
_CHANGE_STYLE = {
    "improved": "green",
    "regressed": "bold red",
    "unchanged": "dim",
    "new": "cyan",
    "no-longer-assessable": "yellow",
    "different-kind": "magenta",
}


def _text(value: str, style: str | None = None) -> Text:
    from rich.text import Text

    return Text(value, style=style or "")


def _score(score: float | None, threshold: float = 1.0, shown: str | None = None) -> Text:
    shown = score_text(score) if shown is None else shown
    if score is None:
        return _text(shown, "dim")
    style = "green" if score >= threshold - 1e-9 else ("red" if score <= 0 else "yellow")
    return _text(shown, style)


def _verdict(verdict: Verdict | None) -> Text:
    if verdict is None:
        return _text("-", "dim")
    return _text(verdict.value, _VERDICT_STYLE.get(verdict.value))


def _gate_line(title: str) -> Text:
    """``Gate <title>: ``, in bold, for the verdict to follow."""
    line = _text("Gate ", "bold")
    line.append(title, style="bold")
    line.append(": ")
    return line


def _condition(
    console: Console, condition: ConditionResult, depth: int = 1, *, deepest: int | None
) -> None:
    line = _text("  " * depth + "- ")
    line.append_text(_verdict(condition.verdict))
    line.append(f" {condition.label}: {condition.detail}")
    console.print(line)
    if deepest is not None and depth >= deepest:
        return
    for child in condition.children:
        _condition(console, child, depth + 1, deepest=deepest)


def _implemented(group: RecommendationCounts) -> Text:
    words = implemented_text(group)
    return _text(words, "dim" if group.implementation.assessed == 0 else None)


def print_recommendations(
    console: Console, results: RecommendationResults, as_of: str, *, explain: bool = False
) -> None:
    """Print the recommendations made by the date, by position: in all, and by group.

    Position columns that are empty in every group are left out. Areas without
    a recommendation are left out; themes are shown with ``explain``, as are the
    explanations.
    """
    from rich.table import Table

    sections: list[tuple[str, tuple[RecommendationCounts, ...]]] = [
        ("", (results.overall,)),
        ("By area", tuple(group for group in results.areas if group.total)),
        ("By mechanism", results.mechanisms),
        ("By recommending actor", results.actors),
    ]
    if explain:
        sections.append(("By theme", results.themes))
    groups = [group for _, members in sections for group in members]
    shown = [
        (position, heading)
        for position, heading in POSITION_HEADINGS
        if any(group.count(position) for group in groups)
    ]
    table = Table(show_header=True, header_style="bold")
    table.add_column(f"Recommendations as of {as_of}")
    table.add_column("Made", justify="right")
    for _, heading in shown:
        table.add_column(heading, justify="right")
    table.add_column("Implemented")
    for title, members in sections:
        if not members:
            continue
        if title:
            table.add_section()
            table.add_row(_text(title, "bold"))
        for group in members:
            label = _text(group.label if not title else f"  {group.label}")
            counts = [_text(str(group.count(position))) for position, _ in shown]
            table.add_row(label, _text(str(group.total)), *counts, _implemented(group))
    console.print(table)
    if explain:
        for group in groups:
            for step in group.explanation.steps:
                console.print(_text(f"  {step}"))


def print_scorecard(console: Console, scorecard: Scorecard, *, explain: bool = False) -> None:
    """Print the scorecard: a table of areas, their benchmarks and the whole, then the gates."""
    from rich.table import Table

    threshold = scorecard.config.met_threshold
    heading = _text(scorecard.title, "bold")
    about = f"as of {scorecard.as_of.isoformat()}"
    if scorecard.subject:
        about += f", {scorecard.subject}"
    heading.append(f" ({about})", style="")
    console.print(heading)
    table = Table(show_header=True, header_style="bold", show_lines=False)
    table.add_column("Area / benchmark")
    table.add_column("Score", justify="right")
    table.add_column("Met")
    table.add_column("Status")
    table.add_column("Rule")
    area_ids = {area.area_id for area in scorecard.areas}
    groups: list[tuple[str, str | None, Text, Text]] = [
        (
            area.area_id,
            area.title,
            _score(area.score, threshold),
            _text(f"{area.scored} of {area.total} benchmarks assessable", "dim"),
        )
        for area in scorecard.areas
    ]
    orphans = [result.area_id for result in scorecard.benchmarks if result.area_id not in area_ids]
    groups.extend(
        (area_id, None, _text(""), _text("not an area of the dataset", "dim"))
        for area_id in dict.fromkeys(orphans)
    )
    for area_id, title, area_score, assessable in groups:
        table.add_row(_text(title or area_id, "bold"), area_score, _text(""), assessable, _text(""))
        for result in scorecard.benchmarks:
            if result.area_id != area_id:
                continue
            name = _text(f"  {result.title} ")
            name.append(f"({result.benchmark_id})", style="dim")
            table.add_row(
                name,
                _score(result.score, threshold),
                _text(met_text(result.met)),
                _text(status_text(result)),
                _text(result.rule or "-", "dim"),
            )
        table.add_section()
    table.add_row(
        _text("Overall", "bold"),
        _score(scorecard.overall.score, threshold),
        _text(""),
        _text(f"{scorecard.overall.scored} of {scorecard.overall.total} areas assessable", "dim"),
        _text(""),
    )
    console.print(table)
    for gate in scorecard.gates:
        line = _gate_line(gate.title)
        line.append_text(_verdict(gate.verdict))
        if gate.applies_to:
            line.append(f" (decides {gate.applies_to})", style="dim")
        console.print(line)
        _condition(console, gate.condition, deepest=None if explain else 2)
    if scorecard.recommendations is not None:
        print_recommendations(
            console, scorecard.recommendations, scorecard.as_of.isoformat(), explain=explain
        )
    if explain:
        for result in scorecard.benchmarks:
            console.print(
                _text(
                    f"\n{result.title} ({result.benchmark_id}): {score_text(result.score)}", "bold"
                )
            )
            for step in result.explanation.steps:
                console.print(_text(f"  {step}"))
    console.print(_text(f"fingerprint {scorecard.fingerprint}", "dim"))


def _change_score(change: Change, *, before: bool) -> Text:
    score = change.before if before else change.after
    status = change.status_before if before else change.status_after
    text = _score(score, shown=change_texts(change.before, change.after)[0 if before else 1])
    if status is not None and score is not None:
        text.append(f" ({status.label})", style="dim")
    return text


def print_comparison(console: Console, comparison: Comparison) -> None:
    """Print what changed between two dates: areas, benchmarks and the whole, then gates."""
    from rich.table import Table

    before, after = comparison.before.isoformat(), comparison.after.isoformat()
    heading = _text(comparison.title, "bold")
    heading.append(f" (from {before} to {after})")
    console.print(heading)
    table = Table(show_header=True, header_style="bold")
    table.add_column("Area / benchmark")
    table.add_column(before, justify="right")
    table.add_column(after, justify="right")
    table.add_column("Change")
    benchmarks = {change.id: change for change in comparison.benchmarks}
    by_area: dict[str, list[Change]] = {}
    for result in comparison.scorecard_after.benchmarks:
        change = benchmarks.get(result.benchmark_id)
        if change is not None:
            by_area.setdefault(result.area_id, []).append(change)
    shown: set[str] = set()
    for area in comparison.areas:
        shown.add(area.id or "")
        table.add_row(
            _text(area.title, "bold"),
            _change_score(area, before=True),
            _change_score(area, before=False),
            _text(area.kind.value, _CHANGE_STYLE.get(area.kind.value)),
        )
        for change in by_area.get(area.id or "", []):
            name = _text(f"  {change.title} ")
            name.append(f"({change.id})", style="dim")
            table.add_row(
                name,
                _change_score(change, before=True),
                _change_score(change, before=False),
                _text(change.kind.value, _CHANGE_STYLE.get(change.kind.value)),
            )
        table.add_section()
    for area_id, changes in by_area.items():
        if area_id in shown:
            continue
        table.add_row(_text(area_id, "bold"), _text(""), _text(""), _text("not in an area", "dim"))
        for change in changes:
            table.add_row(
                _text(f"  {change.title} ({change.id})"),
                _change_score(change, before=True),
                _change_score(change, before=False),
                _text(change.kind.value, _CHANGE_STYLE.get(change.kind.value)),
            )
        table.add_section()
    overall = comparison.overall
    table.add_row(
        _text("Overall", "bold"),
        _change_score(overall, before=True),
        _change_score(overall, before=False),
        _text(overall.kind.value, _CHANGE_STYLE.get(overall.kind.value)),
    )
    console.print(table)
    verdicts = {verdict.gate_id: verdict for verdict in comparison.scorecard_after.gates}
    for gate in comparison.gates:
        line = _gate_line(gate.title)
        line.append_text(_verdict(gate.verdict_before))
        line.append(" -> ")
        line.append_text(_verdict(gate.verdict_after))
        line.append(f" ({gate.kind.value})", style=_CHANGE_STYLE.get(gate.kind.value) or "")
        console.print(line)
        after_gate = verdicts.get(gate.id or "")
        if after_gate is not None:
            _condition(console, after_gate.condition, deepest=2)
    regressions = [
        change
        for change in (*comparison.benchmarks, *comparison.areas, overall)
        if change.kind.value == "regressed"
    ]
    for change in regressions:
        console.print(_text(change.summary, "red"))
