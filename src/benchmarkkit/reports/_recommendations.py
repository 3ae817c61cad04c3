"""The report's recommendations: each area's, grouped by position as of the date, with a chart.

An area's recommendations are those that list the area and those a benchmark
of the area follows from, each once; a recommendation in no area of the
report is listed under "Other recommendations", so that none is left out.
Each section's chart counts the responses by theme, or by recommending actor
when no recommendation of the section has a theme, and an area's section says
how far its recommendations are implemented, in the scorecard's counts.
Positions are read from the report's
:class:`~benchmarkkit.reports._report.RecommendationView`, which takes them
from :mod:`benchmarkkit._responses`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from benchmarkkit._responses import areas_of_recommendations
from benchmarkkit._vocabulary import Position
from benchmarkkit._wording import plural
from benchmarkkit.reports._chart import NARROW_CHART_SIZE, WIDE_CHART_SIZE, bar_chart
from benchmarkkit.reports._palette import SERIES_COLOURS
from benchmarkkit.reports._records import anchor, words
from benchmarkkit.reports._report import (
    PositionKey,
    RecommendationChart,
    RecommendationGroup,
    RecommendationSection,
    RecommendationView,
)

if TYPE_CHECKING:
    from benchmarkkit._model import Benchmark, Recommendation
    from benchmarkkit.reports._records import Records
    from benchmarkkit.scoring._results import Implementation

__all__ = ["OTHER_TITLE", "POSITION_KEYS", "implementation_sentence", "recommendation_sections"]

#: The title of the section of recommendations that are in no area of the report.
OTHER_TITLE = "Other recommendations"
# The grey the stylesheet gives what is not assessable; no response is drawn the same way.
_NO_RESPONSE_COLOUR = "#b7bfc7"
# Each position's colour (the Okabe-Ito colours of the charts), pattern and Markdown symbol:
# the pattern and the words tell positions apart in print and without colour vision.
_DRAWN: dict[Position, tuple[str, str | None, str]] = {
    Position.SUPPORTED: (SERIES_COLOURS[2], None, "\U0001f7e9"),
    Position.PARTIALLY_SUPPORTED: (SERIES_COLOURS[4], "diagonal", "\U0001f7e6"),
    Position.NOTED: (SERIES_COLOURS[1], "horizontal", "\U0001f7e7"),
    Position.REJECTED: (SERIES_COLOURS[5], "cross", "\U0001f7e5"),
    Position.PENDING: (SERIES_COLOURS[3], "dots", "\U0001f7ea"),
    Position.NO_RESPONSE: (_NO_RESPONSE_COLOUR, "back-diagonal", "\u2b1c"),
}
#: How every position is drawn, in the vocabulary's order (the order of groups and bars).
POSITION_KEYS = tuple(
    PositionKey(
        position=position.value,
        label=words(position.value),
        colour=_DRAWN[position][0],
        pattern=_DRAWN[position][1],
        emoji=_DRAWN[position][2],
    )
    for position in Position
)
_COLUMN = {key.position: column for column, key in enumerate(POSITION_KEYS)}
# The most bars a chart draws; the rest are counted together in the last one.
_MOST_ROWS = 12


def implementation_sentence(implementation: Implementation, as_of: str) -> str | None:
    """How far a group's recommendations taken on are implemented, in words; ``None`` if none is.

    "Implementation as of 2027-12-31: of 2 recommendations supported wholly or
    in part, 1 assessed: 1 fully implemented."
    """
    if implementation.taken_on == 0:
        return None
    found = [
        (implementation.fully_implemented, "fully implemented"),
        (implementation.partially_implemented, "partially implemented"),
        (implementation.not_implemented, "not implemented"),
    ]
    levels = ", ".join(f"{count} {level}" for count, level in found if count)
    head = (
        f"Implementation as of {as_of}: of {plural(implementation.taken_on, 'recommendation')} "
        f"supported wholly or in part, {implementation.assessed or 'none'} assessed"
    )
    return f"{head}: {levels}." if levels else f"{head}."


def recommendation_sections(
    records: Records,
    areas: Sequence[tuple[str, str]],
    implementation: Mapping[str, Implementation] | None = None,
) -> tuple[RecommendationSection, ...]:
    """The sections of recommendations made by the date: one per area of ``areas`` that has any.

    ``areas`` are the report's areas as ``(id, title)``, in order; the
    recommendations in none of them come last, under :data:`OTHER_TITLE`.
    ``implementation`` holds the scorecard's implementation counts by area id.
    """
    benchmarks: tuple[Benchmark, ...] = records.index.records("benchmarks")
    areas_of = areas_of_recommendations(benchmarks)  # found once, for every section
    known = {area_id for area_id, _ in areas}
    placed: dict[str | None, list[RecommendationView]] = {}
    recommendations: tuple[Recommendation, ...] = records.index.records("recommendations")
    for record in recommendations:
        view = records.recommendation(record.id)
        if view is None:  # made after the date
            continue
        homes: list[str | None] = [area_id for area_id in areas_of(record) if area_id in known]
        for home in homes or [None]:  # in no area of the dataset: with the other recommendations
            placed.setdefault(home, []).append(view)
    done = implementation or {}
    as_of = records.as_of.isoformat()
    sections = [
        _section(
            anchor("recommendations-area", area_id),
            title,
            area_id,
            placed[area_id],
            records,
            implementation=implementation_sentence(done[area_id], as_of)
            if area_id in done
            else None,
        )
        for area_id, title in areas
        if area_id in placed
    ]
    if None in placed:
        sections.append(_section("recommendations-other", OTHER_TITLE, None, placed[None], records))
    return tuple(sections)


def _section(
    place: str,
    title: str,
    area_id: str | None,
    views: Sequence[RecommendationView],
    records: Records,
    *,
    implementation: str | None = None,
) -> RecommendationSection:
    by_position: dict[str, list[RecommendationView]] = {}
    for view in views:
        by_position.setdefault(view.position, []).append(view)
    return RecommendationSection(
        anchor=place,
        title=title,
        area_id=area_id,
        total=len(views),
        groups=tuple(
            RecommendationGroup(key=key, recommendations=tuple(by_position[key.position]))
            for key in POSITION_KEYS
            if key.position in by_position
        ),
        chart=_chart(title, views, records.as_of.isoformat()),
        implementation=implementation,
    )


def _chart(title: str, views: Sequence[RecommendationView], as_of: str) -> RecommendationChart:
    """Responses by theme, or by recommending actor when no recommendation has a theme."""
    by_theme = any(view.themes for view in views)
    counts: dict[str, list[int]] = {}
    for view in views:
        labels = (view.themes or ("No theme",)) if by_theme else view.by
        for label in dict.fromkeys(labels):
            counts.setdefault(label, [0] * len(POSITION_KEYS))[_COLUMN[view.position]] += 1
    rows = sorted(counts.items(), key=lambda row: -sum(row[1]))  # stable: ties keep their order
    if len(rows) > _MOST_ROWS:
        rest = rows[_MOST_ROWS - 1 :]
        merged = [sum(column) for column in zip(*(row for _, row in rest), strict=True)]
        what = "themes" if by_theme else "actors"
        rows = [*rows[: _MOST_ROWS - 1], (f"{len(rest)} other {what}", merged)]
    used = [c for c in range(len(POSITION_KEYS)) if any(row[c] for _, row in rows)]
    keys = tuple(POSITION_KEYS[c] for c in used)
    bars = [
        (label, [(POSITION_KEYS[c].position, POSITION_KEYS[c].label, row[c]) for c in used])
        for label, row in rows
    ]
    axis = "theme" if by_theme else "recommending actor"
    subject = f"{title}: recommendations by {axis} and their position as of {as_of}"
    return RecommendationChart(
        by="theme" if by_theme else "actor",
        title=f"Responses by {axis}",
        keys=keys,
        rows=tuple((label, tuple(row[c] for c in used)) for label, row in rows),
        chart=bar_chart(bars, subject=subject, width=WIDE_CHART_SIZE[0]),
        narrow_chart=bar_chart(bars, subject=subject, width=NARROW_CHART_SIZE[0]),
    )
