"""The recommendations part of a scorecard: positions and implementation, counted as of a date.

One pass over the recommendations made on or before the date: each is counted
by the position taken on it as of then (``_responses.position_as_of``, which the
reports use too) in every group it belongs to (the whole dataset, its areas,
themes, mechanism and recommending actors), and, when it is supported or
partially supported, by how far its latest assessment says it is implemented.
The semantics, with a worked example, are in ``docs/scoring.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs

from benchmarkkit._index import RecordIndex
from benchmarkkit._model import Actor, Area, Assessment, Recommendation
from benchmarkkit._responses import (
    areas_of_recommendations,
    position_as_of,
    responses_as_of,
)
from benchmarkkit._scales import StatusScale
from benchmarkkit._vocabulary import Mechanism, Position
from benchmarkkit._wording import plural
from benchmarkkit.scoring._context import RuleContext
from benchmarkkit.scoring._explain import Explanation, Input
from benchmarkkit.scoring._numbers import TOLERANCE, at_least, fmt
from benchmarkkit.scoring._results import (
    Implementation,
    PositionCount,
    RecommendationCounts,
    RecommendationResults,
)

__all__ = ["MECHANISM_LABELS", "POSITION_WORDS", "TAKEN_ON", "recommendation_results"]

#: The positions whose implementation is counted: the duty bearer took the
#: recommendation on, wholly or in part.
TAKEN_ON = frozenset({Position.SUPPORTED, Position.PARTIALLY_SUPPORTED})

#: Each position in the words of a sentence ("3 of 5 recommendations supported").
POSITION_WORDS: Mapping[Position, str] = {
    Position.SUPPORTED: "supported",
    Position.PARTIALLY_SUPPORTED: "partially supported",
    Position.NOTED: "noted",
    Position.REJECTED: "rejected",
    Position.PENDING: "pending",
    Position.NO_RESPONSE: "without response",
}

#: Each mechanism in words, as a group's label.
MECHANISM_LABELS: Mapping[Mechanism, str] = {
    Mechanism.UPR: "Universal Periodic Review",
    Mechanism.TREATY_BODY: "Treaty bodies",
    Mechanism.SPECIAL_PROCEDURE: "Special procedures",
    Mechanism.PARLIAMENT: "Parliaments",
    Mechanism.INTERGOVERNMENTAL_BODY: "Intergovernmental bodies",
    Mechanism.NGO: "Non-governmental organisations",
    Mechanism.OTHER: "Other mechanisms",
}

_FULLY, _PARTIALLY, _NOT, _NOT_ASSESSED = "fully", "partially", "not", "not assessed"


@attrs.frozen
class _Counted:
    """One recommendation as counted: its position, and its implementation if taken on.

    ``inputs`` are what every group's explanation lists for it, made once and shared.
    """

    recommendation: Recommendation
    position: Position
    implementation: str | None  # None: not taken on
    inputs: tuple[Input, ...]


@attrs.define
class _Group:
    key: str | None
    label: str
    members: list[_Counted] = attrs.Factory(list)


def _implementation(
    assessment: Assessment | None, scales: Mapping[str, StatusScale]
) -> tuple[str, float | None]:
    """What an assessment says of a recommendation's implementation, and its level's value."""
    if assessment is None or assessment.level is None:
        return _NOT_ASSESSED, None
    scale = scales.get(assessment.scale)
    level = None if scale is None else scale.level(assessment.level)
    if level is None:  # an unknown scale or level, which validation reports
        return _NOT_ASSESSED, None
    if at_least(level.value, 1.0):
        return _FULLY, level.value
    if level.value <= TOLERANCE:
        return _NOT, level.value
    return _PARTIALLY, level.value


def _count(
    recommendation: Recommendation, as_of: dt.date, context: RuleContext, index: RecordIndex
) -> tuple[_Counted, Assessment | None]:
    """Count a recommendation; also return the assessment that said how far it is done."""
    position = position_as_of(recommendation, as_of)
    counted = Input(
        kind="recommendation", id=recommendation.id, date=recommendation.date, value=position.value
    )
    if position not in TAKEN_ON:
        return _Counted(recommendation, position, None, (counted,)), None
    assessment = context._latest_assessment_of_recommendation(recommendation.id)
    implementation, value = _implementation(assessment, index.scales)
    if assessment is None:
        return _Counted(recommendation, position, implementation, (counted,)), None
    used = Input(
        kind="assessment",
        id=assessment.id,
        date=assessment.as_of,
        value=assessment.level,
        note=f"of {recommendation.id}: "
        + ("states no level" if value is None else f"{implementation} implemented"),
    )
    return _Counted(recommendation, position, implementation, (counted, used)), assessment


def _share(count: int, total: int) -> float | None:
    return None if total == 0 else count / total


def _summary(label: str, total: int, counts: Mapping[Position, int], as_of: str) -> str:
    if total == 0:
        return f"{label}: no recommendation made on or before {as_of}."
    head = (
        f"{label}: {counts[Position.SUPPORTED]} of {plural(total, 'recommendation')} "
        f"supported as of {as_of}"
    )
    rest = [
        f"{counts[position]} {POSITION_WORDS[position]}"
        for position in Position
        if position is not Position.SUPPORTED and counts[position]
    ]
    return "; ".join([head, *rest]) + "."


def _implementation_line(implementation: Implementation) -> str | None:
    if implementation.taken_on == 0:
        return None
    parts = [
        f"{implementation.fully_implemented} fully implemented",
        f"{implementation.partially_implemented} partially implemented",
        f"{implementation.not_implemented} not implemented",
        f"{implementation.not_assessed} not assessed",
    ]
    line = (
        f"Of the {plural(implementation.taken_on, 'recommendation')} supported or partially "
        f"supported, {', '.join(parts)}."
    )
    if implementation.implemented_share is None:
        return f"{line} None is assessed, so no share implemented is given."
    return (
        f"{line} Implemented: {implementation.fully_implemented} of "
        f"{implementation.assessed} assessed ({fmt(implementation.implemented_share)}); "
        f"fully or partially: {fmt(implementation.acted_on_share or 0.0)}."
    )


def _result(group: _Group, as_of: str) -> RecommendationCounts:
    total = len(group.members)
    counts = dict.fromkeys(Position, 0)
    done = dict.fromkeys((_FULLY, _PARTIALLY, _NOT, _NOT_ASSESSED), 0)
    inputs: list[Input] = []
    for counted in group.members:
        counts[counted.position] += 1
        if counted.implementation is not None:
            done[counted.implementation] += 1
        inputs.extend(counted.inputs)
    assessed = done[_FULLY] + done[_PARTIALLY] + done[_NOT]
    implementation = Implementation(
        taken_on=sum(done.values()),
        fully_implemented=done[_FULLY],
        partially_implemented=done[_PARTIALLY],
        not_implemented=done[_NOT],
        not_assessed=done[_NOT_ASSESSED],
        implemented_share=_share(done[_FULLY], assessed),
        acted_on_share=_share(done[_FULLY] + done[_PARTIALLY], assessed),
    )
    steps = [_summary(group.label, total, counts, as_of)]
    line = _implementation_line(implementation)
    if line is not None:
        steps.append(line)
    return RecommendationCounts(
        key=group.key,
        label=group.label,
        total=total,
        positions=tuple(
            PositionCount(position=position, count=count, share=_share(count, total))
            for position, count in counts.items()
        ),
        implementation=implementation,
        explanation=Explanation(rule=None, inputs=inputs, steps=steps),
    )


def _as_known(recommendation: Recommendation, as_of: dt.date) -> Recommendation:
    """The recommendation as known on the date: the responses given by then, no later one."""
    given = responses_as_of(recommendation, as_of)
    if given == recommendation.responses:
        return recommendation
    return attrs.evolve(recommendation, responses=given)


@attrs.define
class _Groups:
    """The groups being counted, each in the order the scorecard lists them."""

    overall: _Group
    areas: dict[str, _Group]
    themes: dict[str, _Group]
    mechanisms: dict[Mechanism, _Group]
    actors: dict[str, _Group]
    areas_of: Callable[[Recommendation], tuple[str, ...]]

    def add(self, counted: _Counted) -> None:
        """Count a recommendation in every group it belongs to, once in each."""
        recommendation = counted.recommendation
        self.overall.members.append(counted)
        self.mechanisms[recommendation.mechanism].members.append(counted)
        for area_id in self.areas_of(recommendation):
            if area_id in self.areas:  # else an unknown area, which validation reports
                self.areas[area_id].members.append(counted)
        for theme in dict.fromkeys(recommendation.themes):
            self.themes.setdefault(theme, _Group(theme, theme)).members.append(counted)
        for actor_id in dict.fromkeys(recommendation.by):
            if actor_id in self.actors:
                self.actors[actor_id].members.append(counted)

    def results(self, as_of: str) -> RecommendationResults:
        return RecommendationResults(
            overall=_result(self.overall, as_of),
            areas=tuple(_result(group, as_of) for group in self.areas.values()),
            themes=tuple(_result(self.themes[theme], as_of) for theme in sorted(self.themes)),
            mechanisms=tuple(_result(g, as_of) for g in self.mechanisms.values() if g.members),
            actors=tuple(_result(g, as_of) for g in self.actors.values() if g.members),
        )


def _groups(index: RecordIndex) -> _Groups:
    areas: tuple[Area, ...] = index.records("areas")
    actors: tuple[Actor, ...] = index.records("actors")
    return _Groups(
        overall=_Group(None, "All recommendations"),
        areas={area.id: _Group(area.id, area.title) for area in areas},
        themes={},
        mechanisms={m: _Group(m.value, label) for m, label in MECHANISM_LABELS.items()},
        actors={actor.id: _Group(actor.id, actor.name) for actor in actors},
        areas_of=areas_of_recommendations(index.records("benchmarks")),
    )


def _used(
    recommendation: Recommendation,
    assessment: Assessment | None,
    as_of: dt.date,
    index: RecordIndex,
) -> Iterable[tuple[str, str, object]]:
    """The records a counted recommendation rests on, by collection, for the fingerprint."""
    yield "recommendations", recommendation.id, _as_known(recommendation, as_of)
    if assessment is not None:
        yield "assessments", assessment.id, assessment
        scale = index.scales.get(assessment.scale)
        if scale is not None:
            yield "scales", scale.id, scale
    actors: Mapping[str, Actor] = index["actors"]
    for actor_id in recommendation.by:
        if actor_id in actors:
            yield "actors", actor_id, actors[actor_id]


def recommendation_results(
    index: RecordIndex, context: RuleContext
) -> tuple[RecommendationResults | None, dict[tuple[str, str], object]]:
    """Count the recommendations as of the context's date, and the records counted.

    Returns ``None`` for a dataset without recommendations. The records, by
    ``(collection, id)``, are for the fingerprint: each recommendation made by
    the date (with the responses given by then, not the later ones), the
    assessments and scales that said how far one is implemented, and the
    recommending actors, whose names label their groups.
    """
    recommendations: tuple[Recommendation, ...] = index.records("recommendations")
    if not recommendations:
        return None, {}
    as_of = context.as_of
    groups = _groups(index)
    used: dict[tuple[str, str], object] = {}
    for (
        recommendation
    ) in context._recommendations_made():  # in this order, so that every group's members are too
        counted, assessment = _count(recommendation, as_of, context, index)
        groups.add(counted)
        for collection, record_id, record in _used(recommendation, assessment, as_of, index):
            used[(collection, record_id)] = record
    return groups.results(as_of.isoformat()), used
