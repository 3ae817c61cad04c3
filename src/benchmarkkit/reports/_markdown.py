"""Scorecards and comparisons as Markdown that renders well on GitHub.

Every string from a dataset is escaped: it can neither break a table (``|``,
line breaks) nor become markup, a link or HTML. These are the compact
renderers behind ``benchmarkkit score --format markdown``; the full report
(``benchmarkkit report -o FILE.md``) is :func:`report_to_markdown`, which
escapes with :func:`escape_markdown` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from benchmarkkit.reports._controls import visible_controls
from benchmarkkit.reports._words import (
    POSITION_HEADINGS,
    change_texts,
    implemented_text,
    met_text,
    score_text,
    status_text,
)

if TYPE_CHECKING:
    from benchmarkkit.scoring import Comparison, Scorecard
    from benchmarkkit.scoring._gates import ConditionResult, Verdict
    from benchmarkkit.scoring._protocols import Status
    from benchmarkkit.scoring._results import RecommendationResults

__all__ = ["comparison_to_markdown", "escape_markdown", "scorecard_to_markdown"]

# Characters with a meaning inside a Markdown line (CommonMark and GitHub's extensions).
# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that matter.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!&{}])")
_LINE_BREAK = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
# What GitHub links after the Markdown is rendered, where no backslash escape reaches: a
# mention (@name, which notifies that person) and an issue reference (#12). A zero-width
# space after the sign keeps the text as it reads and stops the link.
_GITHUB_REFERENCE = re.compile(r"(?<!\w)(@(?=[A-Za-z0-9])|\\#(?=[0-9]))")
_ZERO_WIDTH_SPACE = "\u200b"


_BREAKS = re.compile(r"[\r\n\u2028\u2029]")
_LIST_START = re.compile(r"^([-+])(?=\s|-|$)|^=")
_NUMBER_START = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown inline text: one line, no markup, safe in a table cell.

    On GitHub it mentions no one and links no issue: ``@name`` and ``#12`` get a
    zero-width space after their sign.
    """
    # Control characters are shown as escapes (\x1b), as on the terminal, never dropped.
    if _BREAKS.search(text):
        text = _LINE_BREAK.sub(" ", text)
    text = visible_controls(text, keep="")
    text = _SPECIAL.sub(r"\\\1", text)
    # At the start of a line, "- ", "+ ", "1. " and "=" begin a list or underline a heading.
    # Only punctuation can be escaped (a backslash before a digit would be shown).
    if text[:1] in "-+=":
        text = _LIST_START.sub(lambda m: "\\" + m.group(0), text)
    elif text[:1].isdigit():
        text = _NUMBER_START.sub(r"\1\\\2", text)
    if "@" in text or "#" in text:
        text = _GITHUB_REFERENCE.sub(r"\1" + _ZERO_WIDTH_SPACE, text)
    return text


def _code(text: str) -> str:
    """Write an id as inline code (ids hold no backtick; other text is escaped instead)."""
    return f"`{text}`" if "`" not in text and "\n" not in text else escape_markdown(text)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _condition_lines(
    condition: ConditionResult, depth: int = 0, *, deepest: int | None = None
) -> list[str]:
    indent = "  " * depth
    lines = [
        f"{indent}- **{condition.verdict.value}**: {escape_markdown(condition.label)}: "
        + escape_markdown(condition.detail)
    ]
    if deepest is not None and depth >= deepest:
        return lines
    for child in condition.children:
        lines.extend(_condition_lines(child, depth + 1, deepest=deepest))
    return lines


def scorecard_to_markdown(scorecard: Scorecard) -> str:
    """Render the scorecard: overall score, gates, areas, benchmarks, and how each was reached."""
    title = escape_markdown(scorecard.title)
    lines = [f"# {title}", ""]
    about = f"Scorecard as of **{scorecard.as_of.isoformat()}**"
    if scorecard.subject:
        about += f" for {escape_markdown(scorecard.subject)}"
    lines += [about + f" (dataset {_code(scorecard.dataset_id)}).", ""]
    overall = scorecard.overall
    lines += [
        (
            f"**Overall score: {score_text(overall.score)}** "
            f"({overall.scored} of {overall.total} areas assessable)."
        ),
        "",
    ]
    if scorecard.gates:
        lines += ["## Gates", ""]
        for gate in scorecard.gates:
            lines.append(f"### {escape_markdown(gate.title)}: {gate.verdict.value.upper()}")
            lines.append("")
            if gate.applies_to:
                lines += [f"Decides: {escape_markdown(gate.applies_to)}.", ""]
            lines += [*_condition_lines(gate.condition), ""]
    lines += ["## Areas", ""]
    lines += _table(
        ["Area", "Score", "Assessable benchmarks"],
        (
            [escape_markdown(area.title), score_text(area.score), f"{area.scored} of {area.total}"]
            for area in scorecard.areas
        ),
    )
    lines += ["", "## Benchmarks", ""]
    titles = {area.area_id: area.title for area in scorecard.areas}
    lines += _table(
        ["Benchmark", "Area", "Score", "Met", "Status", "Rule"],
        (
            [
                f"{escape_markdown(result.title)} ({_code(result.benchmark_id)})",
                escape_markdown(titles.get(result.area_id, result.area_id)),
                score_text(result.score),
                met_text(result.met),
                escape_markdown(status_text(result)),
                _code(result.rule) if result.rule else "-",
            ]
            for result in scorecard.benchmarks
        ),
    )
    if scorecard.recommendations is not None:
        lines += [
            "",
            *_recommendation_lines(scorecard.recommendations, scorecard.as_of.isoformat()),
        ]
    lines += ["", "## How each score was reached", ""]
    for result in scorecard.benchmarks:
        lines.append(f"### {escape_markdown(result.title)} ({_code(result.benchmark_id)})")
        lines.append("")
        lines.append(f"Score: {score_text(result.score)}.")
        lines.append("")
        lines.extend(f"1. {escape_markdown(step)}" for step in result.explanation.steps)
        lines.append("")
    if scorecard.problems:
        lines += ["## Problems while scoring", ""]
        lines.extend(
            f"- {_code(problem.code)}: {escape_markdown(problem.message)}"
            for problem in scorecard.problems
        )
        lines.append("")
    lines += [f"Fingerprint of the inputs and rules: `{scorecard.fingerprint}`.", ""]
    return "\n".join(lines)


def _recommendation_lines(results: RecommendationResults, as_of: str) -> list[str]:
    """The recommendations made by the date, by position: in all, by area, mechanism and actor.

    The same table as the text scorecard's: position columns empty in every group
    are left out, and areas without a recommendation.
    """
    sections = [
        ("All recommendations", (results.overall,)),
        ("By area", tuple(group for group in results.areas if group.total)),
        ("By mechanism", results.mechanisms),
        ("By recommending actor", results.actors),
    ]
    groups = [group for _, members in sections for group in members]
    shown = [
        (position, heading)
        for position, heading in POSITION_HEADINGS
        if any(group.count(position) for group in groups)
    ]
    about = f"Recommendations made on or before {as_of}, by their position on that date."
    lines = ["## Recommendations", "", about, ""]
    for title, members in sections:
        if not members:
            continue
        lines += [f"### {title}", ""]
        lines += _table(
            ["Group", "Made", *(heading for _, heading in shown), "Implemented"],
            (
                [
                    escape_markdown(group.label),
                    str(group.total),
                    *(str(group.count(position)) for position, _ in shown),
                    implemented_text(group),
                ]
                for group in members
            ),
        )
        lines.append("")
    lines.extend(f"- {escape_markdown(step)}" for step in results.overall.explanation.steps)
    return lines


def _scored(score: float | None, status: Status | None, text: str) -> str:
    return (
        f"{text} ({escape_markdown(status.label)})"
        if status is not None and score is not None
        else text
    )


def _verdict(verdict: Verdict | None) -> str:
    return verdict.value if verdict is not None else "-"


def comparison_to_markdown(comparison: Comparison, *, level: int = 1) -> str:
    """Render what changed between two dates: overall, gates, areas, benchmarks, in words.

    ``level`` is the heading level of the document's title: 2 to put the
    comparison under a scorecard in the same document.
    """
    before, after = comparison.before.isoformat(), comparison.after.isoformat()
    h1, h2 = "#" * level, "#" * (level + 1)
    about = f"Change from **{before}** to **{after}**"
    if comparison.subject:
        about += f" for {escape_markdown(comparison.subject)}"
    title = escape_markdown(comparison.title) if level == 1 else f"Change from {before} to {after}"
    lines = [f"{h1} {title}", "", about + f" (dataset {_code(comparison.dataset_id)}).", ""]
    overall = comparison.overall
    lines += [
        (
            f"**Overall score: {change_texts(overall.before, overall.after)[0]} on {before}, "
            f"{change_texts(overall.before, overall.after)[1]} on {after}: "
            f"{overall.kind.value}.**"
        ),
        "",
    ]
    if comparison.gates:
        lines += [f"{h2} Gates", ""]
        lines += _table(
            ["Gate", before, after, "Change"],
            (
                [
                    escape_markdown(gate.title),
                    _verdict(gate.verdict_before),
                    _verdict(gate.verdict_after),
                    gate.kind.value,
                ]
                for gate in comparison.gates
            ),
        )
        lines.append("")
        verdicts = {verdict.gate_id: verdict for verdict in comparison.scorecard_after.gates}
        for gate in comparison.gates:
            after_gate = verdicts.get(gate.id or "")
            if after_gate is None:
                continue
            lines += [f"Why {escape_markdown(gate.title)} has its verdict on {after}:", ""]
            lines += [*_condition_lines(after_gate.condition, deepest=1), ""]
    lines += [f"{h2} Areas", ""]
    lines += _table(
        ["Area", before, after, "Change"],
        (
            [
                escape_markdown(area.title),
                *change_texts(area.before, area.after),
                area.kind.value,
            ]
            for area in comparison.areas
        ),
    )
    lines += ["", f"{h2} Benchmarks", ""]
    lines += _table(
        ["Benchmark", before, after, "Change"],
        (
            [
                f"{escape_markdown(change.title)} ({_code(change.id or '')})",
                _scored(
                    change.before,
                    change.status_before,
                    change_texts(change.before, change.after)[0],
                ),
                _scored(
                    change.after, change.status_after, change_texts(change.before, change.after)[1]
                ),
                change.kind.value,
            ]
            for change in comparison.benchmarks
        ),
    )
    changed = [
        change
        for change in (overall, *comparison.gates, *comparison.areas, *comparison.benchmarks)
        if change.kind.value != "unchanged"
    ]
    lines += ["", f"{h2} What changed", ""]
    lines += [f"- {escape_markdown(change.summary)}" for change in changed] or ["Nothing changed."]
    if comparison.problems:
        lines += ["", f"{h2} Problems while scoring", ""]
        lines.extend(
            f"- {_code(problem.code)}: {escape_markdown(problem.message)}"
            for problem in comparison.problems
        )
    lines.append("")
    return "\n".join(lines)
