"""Building a report: a scorecard joined with the dataset records behind each result.

:func:`build_report` only reads: it takes a scorecard that scoring made
(and, optionally, a comparison and scorecards of earlier dates) and the
dataset it was made from, and returns a :class:`Report`. It never scores;
``history_dates`` says which dates to score a
timeline on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmarkkit._conditions import CONDITION_KINDS, AllOf, AnyOf, AtLeast, Condition, RuleSpec
from benchmarkkit.reports._links import link
from benchmarkkit.reports._palette import Tone, tone
from benchmarkkit.reports._recommendations import POSITION_KEYS, recommendation_sections
from benchmarkkit.reports._records import Records, anchor, refers_to
from benchmarkkit.reports._report import (
    AreaView,
    BenchmarkView,
    ChangeItem,
    ChangeView,
    ConditionView,
    GateView,
    LegendEntry,
    LegendScale,
    Method,
    ProblemView,
    Report,
    StatusCount,
)
from benchmarkkit.reports._timeline import timeline
from benchmarkkit.reports._words import change_texts, met_text, score_text
from benchmarkkit.scoring._history import TimelineScores

if TYPE_CHECKING:
    from benchmarkkit._model import Benchmark, Dataset
    from benchmarkkit.scoring import Comparison, Scorecard
    from benchmarkkit.scoring._compare import Change
    from benchmarkkit.scoring._gates import ConditionResult
    from benchmarkkit.scoring._results import AreaResult, BenchmarkResult, GateVerdict

__all__ = ["build_report", "build_report_of"]

_VERDICT_LABELS = {"pass": "Passes", "fail": "Fails", "undetermined": "Undetermined"}
_TYPE_LABELS = {
    "structural": "Structural: laws, institutions and policies",
    "process": "Process: what duty bearers do",
    "outcome": "Outcome: whether people enjoy the right",
}
_RULE_STATUS = {
    "indicator-progress": "Scored from indicator values",
    "evidence-based": "Provisional: from the direction of the evidence",
}


def _change(change: Change | None) -> ChangeView | None:
    if change is None:
        return None
    if change.subject == "gate":
        before = change.verdict_before.value if change.verdict_before else "-"
        after = change.verdict_after.value if change.verdict_after else "-"
    else:
        before, after = change_texts(change.before, change.after)
    return ChangeView(
        kind=change.kind.value,
        summary=change.summary,
        before=before,
        after=after,
        delta=change.delta,
    )


class _Builder:
    """Builds one report; remembers the colours it used, for the stylesheet."""

    def __init__(
        self,
        dataset: Dataset,
        scorecard: Scorecard,
        comparison: Comparison | None,
        history: Sequence[TimelineScores],
    ) -> None:
        self.records = Records(dataset, scorecard.as_of)
        self.scorecard = scorecard
        self.comparison = comparison
        self.history = history
        self.tones: dict[str, Tone] = {}
        self.past_scores: dict[str, list[Mapping[str, float | None]]] = {
            "benchmark": [scores.benchmarks for scores in history],
            "area": [scores.areas for scores in history],
        }
        self._changes: dict[str, dict[str | None, Change]] = {}
        if comparison is not None:
            for subject, found in (
                ("benchmark", comparison.benchmarks),
                ("area", comparison.areas),
                ("gate", comparison.gates),
                ("overall", (comparison.overall,)),
            ):
                self._changes[subject] = {change.id: change for change in found}

    def tone(self, value: float | None) -> Tone | None:
        if value is None:
            return None
        result = tone(value)
        self.tones.setdefault(result.name, result)
        return result

    def changes(self, subject: str) -> dict[str | None, Change]:
        """The changes of one kind of subject, by id (empty without a comparison)."""
        return self._changes.get(subject, {})

    def past(self, kind: str, record_id: str) -> tuple[float | None, ...]:
        """A benchmark's or an area's scores on the dates of the history."""
        return tuple(scores.get(record_id) for scores in self.past_scores[kind])

    # -- benchmarks ---------------------------------------------------------------------------

    def status(self, result: BenchmarkResult) -> tuple[str, float | None]:
        """The status in words, and the value that colours it."""
        if result.status is not None:
            scale = self.records.scales.get(result.status.scale)
            level = scale.level(result.status.level) if scale is not None else None
            label = result.status.label + (" (provisional)" if result.provisional else "")
            return label, level.value if level is not None else result.score
        if result.score is None:
            return "Not assessable", None
        if result.provisional:
            return _RULE_STATUS["evidence-based"], result.score
        return _RULE_STATUS.get(result.rule or "", f"Scored by {result.rule}"), result.score

    def benchmark(self, result: BenchmarkResult, change: Change | None) -> BenchmarkView:
        record: Benchmark | None = self.records.benchmarks.get(result.benchmark_id)
        status, colour_value = self.status(result)
        return BenchmarkView(
            id=result.benchmark_id,
            anchor=anchor("benchmark", result.benchmark_id),
            title=result.title,
            statement=record.statement if record else "",
            area_id=result.area_id,
            type=_TYPE_LABELS.get(record.type.value, record.type.value) if record else "",
            proposed_by_editors=bool(record and record.origin.value == "editor-proposal"),
            score=result.score,
            score_text=score_text(result.score),
            met=result.met,
            met_text=met_text(result.met),
            status=status,
            has_level=result.status is not None,
            provisional=result.provisional,
            rule=result.rule,
            tone=self.tone(colour_value),
            weight=result.weight,
            deadline=str(record.deadline) if record and record.deadline else None,
            rationale=record.rationale if record else None,
            demanded_by=tuple(map(self.records.actor, record.demanded_by if record else ())),
            responsible=tuple(map(self.records.actor, record.responsible if record else ())),
            commitments=tuple(map(self.records.commitment, record.commitments if record else ())),
            standards=tuple(map(self.records.standard, record.standards if record else ())),
            recommendations=self.records.recommendation_views(
                record.recommendations if record else ()
            ),
            indicators=self.records.indicator_views(result.benchmark_id),
            assessment=self.records.assessment(result),
            evidence=self.records.evidence_views(result.benchmark_id),
            steps=result.explanation.steps,
            change=_change(change),
            history=self.past("benchmark", result.benchmark_id),
        )

    # -- areas, gates, legend -----------------------------------------------------------------

    def areas(self) -> tuple[AreaView, ...]:
        changes = self.changes("benchmark")
        by_area: dict[str, list[BenchmarkView]] = {}
        for result in self.scorecard.benchmarks:
            view = self.benchmark(result, changes.get(result.benchmark_id))
            by_area.setdefault(result.area_id, []).append(view)
        views = [
            self.area(area.area_id, area, tuple(by_area.pop(area.area_id, ())))
            for area in self.scorecard.areas
        ]
        # Benchmarks of an area the dataset does not define: shown, never silently left out.
        views += [self.area(area_id, None, tuple(group)) for area_id, group in by_area.items()]
        return tuple(views)

    def area(
        self, area_id: str, result: AreaResult | None, benchmarks: tuple[BenchmarkView, ...]
    ) -> AreaView:
        record = self.records.areas.get(area_id)
        score = result.score if result else None
        return AreaView(
            id=area_id,
            anchor=anchor("area", area_id),
            title=result.title if result else f"Benchmarks of an undefined area ({area_id})",
            description=record.description if record else None,
            quote=record.quote if record else None,
            quote_from=self.records.quote_from(record.source) if record else None,
            source=self.records.source(record.source, record.locator) if record else None,
            score=score,
            score_text=score_text(score),
            tone=self.tone(score),
            scored=result.scored if result else 0,
            total=result.total if result else len(benchmarks),
            met=sum(1 for b in benchmarks if b.met),
            steps=result.explanation.steps if result else (),
            benchmarks=benchmarks,
            change=_change(self.changes("area").get(area_id)),
            history=self.past("area", area_id),
        )

    def condition(self, result: ConditionResult, given: Condition | None) -> ConditionView:
        target_anchor = None
        label = result.label
        if result.target is not None and result.kind in CONDITION_KINDS:
            # A leaf's kind names the field that holds its target: ``benchmark``, ``area``.
            collection = refers_to(CONDITION_KINDS[result.kind], result.kind)
            record, target_anchor = self.records.linked(collection, result.target)
            if record is not None and (given is None or given.label is None):
                label = record.title
        children_given: Sequence[Condition | None] = (
            given.conditions
            if isinstance(given, AllOf | AnyOf | AtLeast)
            and len(given.conditions) == len(result.children)
            else [None] * len(result.children)
        )
        return ConditionView(
            kind=result.kind,
            verdict=result.verdict.value,
            label=label,
            detail=result.detail,
            target=result.target,
            target_anchor=target_anchor,
            children=tuple(
                self.condition(child, child_given)
                for child, child_given in zip(result.children, children_given, strict=True)
            ),
        )

    def gates(self) -> tuple[GateView, ...]:
        changes = self.changes("gate")
        views = []
        for verdict in self.scorecard.gates:
            record = self.records.gates.get(verdict.gate_id)
            condition = self.condition(verdict.condition, record.condition if record else None)
            leaves = _leaves(verdict)
            views.append(
                GateView(
                    id=verdict.gate_id,
                    anchor=anchor("gate", verdict.gate_id),
                    title=verdict.title,
                    verdict=verdict.verdict.value,
                    verdict_label=_VERDICT_LABELS.get(verdict.verdict.value, verdict.verdict.value),
                    applies_to=verdict.applies_to,
                    description=record.description if record else None,
                    quote=record.quote if record else None,
                    quote_from=self.records.quote_from(record.source) if record else None,
                    source=self.records.source(record.source, record.locator) if record else None,
                    demanded_by=(
                        tuple(self.records.actor(a) for a in record.demanded_by) if record else ()
                    ),
                    condition=condition,
                    held=leaves.count("pass"),
                    failed=leaves.count("fail"),
                    undetermined=leaves.count("undetermined"),
                    decided_by=tuple(leaf.detail for leaf in _deciding_leaves(verdict.condition)),
                    change=_change(changes.get(verdict.gate_id)),
                    recommendations=self.records.recommendation_views(
                        record.recommendations if record else ()
                    ),
                )
            )
        return tuple(views)

    def legend(self) -> tuple[LegendScale, ...]:
        used = [result.status.scale for result in self.scorecard.benchmarks if result.status]
        wanted = [scale.id for scale in self.records.index.records("scales")]
        wanted += sorted(set(used) - set(wanted))
        scales = []
        for scale_id in wanted:
            scale = self.records.scales.get(scale_id)
            if scale is None:
                continue
            levels = []
            for level in scale.levels:
                level_tone = self.tone(level.value)
                assert level_tone is not None  # noqa: S101 - a level always has a value
                levels.append(
                    LegendEntry(
                        label=level.label,
                        value=level.value,
                        tone=level_tone,
                        description=level.description,
                    )
                )
            scales.append(
                LegendScale(
                    id=scale.id,
                    title=scale.title,
                    description=scale.description,
                    link=link(scale.title, scale.url) if scale.url else None,
                    levels=tuple(levels),
                )
            )
        return tuple(scales)

    # -- the rest -----------------------------------------------------------------------------

    def method(self) -> Method:
        config = self.scorecard.config
        return Method(
            rules=tuple(_spec(spec) for spec in config.benchmark_rules),
            area_aggregation=_spec(config.area_aggregation),
            overall_aggregation=_spec(config.overall_aggregation),
            met_threshold=config.met_threshold,
            fingerprint=self.scorecard.fingerprint,
            overall_steps=self.scorecard.overall.explanation.steps,
        )

    def build(self) -> Report:
        card, dataset = self.scorecard, self.records.dataset
        gates = self.gates()
        areas = self.areas()
        legend = self.legend()
        # Before the sources are listed: the recommendations cite sources of their own.
        counted = card.recommendations.areas if card.recommendations is not None else ()
        recommendations = recommendation_sections(
            self.records,
            [(area.id, area.title) for area in areas],
            {group.key: group.implementation for group in counted if group.key is not None},
        )
        overall_tone = self.tone(card.overall.score)
        changed: list[ChangeItem] = []
        differences: list[ChangeItem] = []  # of scores of different kinds: not changes
        if self.comparison is not None:
            c = self.comparison
            for change in (c.overall, *c.gates, *c.areas, *c.benchmarks):
                view = _change(change)
                if view is None or change.kind.value == "unchanged":
                    continue  # a difference below the materiality threshold is not a change
                kept = differences if change.kind.value == "different-kind" else changed
                kept.append(
                    ChangeItem(
                        subject=change.subject,
                        id=change.id,
                        title="Overall score" if change.id is None else change.title,
                        anchor=anchor(change.subject, change.id) if change.id else None,
                        change=view,
                    )
                )
        problems = tuple(
            ProblemView(
                severity=problem.severity.value,
                code=problem.code,
                message=problem.message,
                plugin=problem.plugin,
            )
            for problem in (self.comparison.problems if self.comparison else card.problems)
        )
        return Report(
            dataset_id=card.dataset_id,
            title=card.title,
            subject=card.subject,
            description=dataset.description,
            as_of=card.as_of,
            language=dataset.language,
            editors=dataset.editors,
            license=dataset.license,
            link=link(dataset.url, dataset.url) if dataset.url else None,
            overall_score=card.overall.score,
            overall_text=score_text(card.overall.score),
            overall_tone=overall_tone,
            areas_scored=card.overall.scored,
            areas_total=card.overall.total,
            benchmarks_met=sum(1 for b in card.benchmarks if b.met),
            benchmarks_assessable=sum(1 for b in card.benchmarks if b.score is not None),
            benchmarks_total=len(card.benchmarks),
            status_counts=_status_counts(areas),
            gates=gates,
            areas=areas,
            legend=legend,
            tones=tuple(sorted(self.tones.values(), key=lambda t: t.value)),
            sources=self.records.source_views(),
            method=self.method(),
            problems=problems,
            timeline=timeline(self.history, areas, threshold=card.config.met_threshold),
            compared_with=self.comparison.before if self.comparison else None,
            overall_change=_change(self.changes("overall").get(None)),
            changes=tuple(changed),
            differences=tuple(differences),
            recommendations=recommendations,
            positions=POSITION_KEYS if recommendations else (),
            evidence=self.records.shown_evidence(),
        )


def _status_counts(areas: Sequence[AreaView]) -> tuple[StatusCount, ...]:
    """How many benchmarks have each status, worst first, then those not assessable."""
    found: dict[str, list[BenchmarkView]] = {}
    for area in areas:
        for benchmark in area.benchmarks:
            found.setdefault(benchmark.status, []).append(benchmark)
    total = sum(len(group) for group in found.values()) or 1

    def order(item: tuple[str, list[BenchmarkView]]) -> tuple[float, str]:
        first_tone = item[1][0].tone
        return (first_tone.value if first_tone else 2.0, item[0])

    return tuple(
        StatusCount(
            label=label,
            count=len(group),
            share=round(100 * len(group) / total),
            tone=group[0].tone,
        )
        for label, group in sorted(found.items(), key=order)
    )


def _spec(spec: RuleSpec) -> str:
    parameters: Mapping[str, Any] = spec.parameters
    if not parameters:
        return spec.rule
    return f"{spec.rule} {json.dumps(dict(parameters), sort_keys=True, ensure_ascii=False)}"


def _deciding_leaves(condition: ConditionResult) -> list[ConditionResult]:
    """The benchmark and area conditions that decided ``condition``'s verdict, in order."""
    if not condition.children:
        return [condition]
    positions = condition.decided_by or tuple(range(len(condition.children)))
    return [leaf for index in positions for leaf in _deciding_leaves(condition.children[index])]


def _leaves(verdict: GateVerdict) -> list[str]:
    found: list[str] = []
    pending = [verdict.condition]
    while pending:
        condition = pending.pop()
        if condition.children:
            pending.extend(condition.children)
        else:
            found.append(condition.verdict.value)
    return found


def build_report(
    dataset: Dataset,
    scorecard: Scorecard,
    *,
    comparison: Comparison | None = None,
    history: Sequence[Scorecard] = (),
) -> Report:
    """Build the report of ``scorecard``, a scorecard of ``dataset``.

    ``comparison``, when given, compares an earlier date with the
    scorecard's; its changes are shown beside each result. ``history`` are
    scorecards of the same dataset on other dates (see
    ``history_dates``); with the scorecard (and the comparison's
    earlier one) they make the chart of scores over time, which appears
    when there are two dates or more.

    Raises :class:`ValueError` when the comparison or a scorecard in
    ``history`` is not of the same dataset, or the comparison does not end
    on the scorecard's date.
    """
    return build_report_of(dataset, scorecard, comparison=comparison, history=history)


def build_report_of(
    dataset: Dataset,
    scorecard: Scorecard,
    *,
    comparison: Comparison | None = None,
    history: Sequence[Scorecard | TimelineScores] = (),
) -> Report:
    """:func:`build_report`, whose ``history`` may also hold a timeline's scores of dates.

    The command line scores its timeline with ``score_timeline``, which makes
    :class:`TimelineScores`, not scorecards; the builder reads only those, and
    turns the scorecards it is given into them.
    """
    if comparison is not None and (
        comparison.dataset_id != scorecard.dataset_id or comparison.after != scorecard.as_of
    ):
        raise ValueError(
            f"the comparison ({comparison.dataset_id!r}, to {comparison.after.isoformat()}) "
            f"must end on the scorecard's date, {scorecard.as_of.isoformat()}, "
            f"for the same dataset ({scorecard.dataset_id!r})"
        )
    cards = {card.as_of: card for card in history if card.as_of <= scorecard.as_of}
    if comparison is not None:
        cards.setdefault(comparison.before, comparison.scorecard_before)
    cards[scorecard.as_of] = scorecard
    for card in cards.values():
        if card.dataset_id != scorecard.dataset_id:
            raise ValueError(
                f"a scorecard in the history is of dataset {card.dataset_id!r}, "
                f"not {scorecard.dataset_id!r}"
            )
    ordered = tuple(
        card if isinstance(card, TimelineScores) else TimelineScores.of(card)
        for card in (cards[day] for day in sorted(cards))
    )
    return _Builder(dataset, scorecard, comparison, ordered).build()
