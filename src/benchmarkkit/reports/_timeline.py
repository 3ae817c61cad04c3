"""Scores over time: which dates to score a dataset on, and the series and chart of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from benchmarkkit._index import index_of
from benchmarkkit.reports._chart import NARROW_CHART_SIZE, WIDE_CHART_SIZE, line_chart
from benchmarkkit.reports._palette import SERIES_COLOURS
from benchmarkkit.reports._report import AreaView, Series, Timeline

if TYPE_CHECKING:
    from benchmarkkit._model import Assessment, Dataset
    from benchmarkkit.scoring._history import TimelineScores

__all__ = ["HISTORY_LIMIT", "history_dates", "timeline"]

#: The most dates ``history_dates`` gives: the latest ones.
HISTORY_LIMIT = 24

_OVERALL_COLOUR = "#1f2328"


def history_dates(
    dataset: Dataset, as_of: dt.date, *, also: Iterable[dt.date] = (), limit: int = HISTORY_LIMIT
) -> tuple[dt.date, ...]:
    """The dates a timeline of ``dataset`` up to ``as_of`` is scored on.

    They are the days from which each assessment counts (the last day of
    its date; the first assessment of an id), up to ``as_of``, with
    ``as_of`` itself and the dates in ``also`` (a comparison's earlier date,
    say): the latest ``limit`` of them, oldest first.
    """
    assessments: tuple[Assessment, ...] = index_of(dataset).records("assessments")
    days = {a.as_of.last_day for a in assessments if a.as_of.last_day <= as_of}
    days.update(day for day in also if day <= as_of)
    days.add(as_of)
    return tuple(sorted(days)[-limit:])


def timeline(
    history: Sequence[TimelineScores], areas: Sequence[AreaView], *, threshold: float = 1.0
) -> Timeline | None:
    """The overall and area scores on each date of ``history``, and their chart.

    ``None`` when ``history`` has fewer than two dates; ``areas`` carry their
    own scores over the same dates.
    """
    if len(history) < 2:
        return None
    dates = tuple(scores.as_of for scores in history)
    series = [
        Series(
            label="Overall",
            values=tuple(scores.overall for scores in history),
            colour=_OVERALL_COLOUR,
            overall=True,
        )
    ]
    series += [
        Series(
            label=area.title,
            values=area.history,
            colour=SERIES_COLOURS[index % len(SERIES_COLOURS)],
        )
        for index, area in enumerate(areas)
    ]
    lines = [(s.label, s.values, s.colour, s.overall) for s in series]
    return Timeline(
        dates=dates,
        series=tuple(series),
        chart=line_chart(dates, lines, threshold=threshold, size=WIDE_CHART_SIZE),
        narrow_chart=line_chart(dates, lines, threshold=threshold, size=NARROW_CHART_SIZE),
    )
