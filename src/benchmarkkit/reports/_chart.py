"""The geometry of a line chart of scores over time, computed from data for an SVG template.

Nothing here writes SVG: :func:`line_chart` places dates on a time axis and
scores on [0, 1], and returns coordinates, ticks and point labels that the
HTML template turns into elements (and escapes like everything else). A
score that is not assessable leaves a gap in its line, never a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from benchmarkkit.reports._words import score_text

__all__ = [
    "NARROW_CHART_SIZE",
    "WIDE_CHART_SIZE",
    "ChartLine",
    "ChartPoint",
    "LineChart",
    "Tick",
    "line_chart",
]

#: The size of a chart for wide screens and print, and of one for phones.
WIDE_CHART_SIZE, NARROW_CHART_SIZE = (560.0, 300.0), (340.0, 230.0)
_LEFT, _RIGHT, _TOP, _BOTTOM = 44.0, 18.0, 14.0, 40.0
# The width of a date label, and the least room between two (in the chart's units).
_LABEL_WIDTH, _LABEL_GAP = 80.0, 12.0


@attrs.frozen(kw_only=True)
class Tick:
    """A labelled position on an axis; ``anchor`` is the SVG text-anchor of its label."""

    position: float
    label: str
    anchor: str = "middle"


@attrs.frozen(kw_only=True)
class ChartPoint:
    """A plotted score, and what a reader hovering it is told."""

    x: float
    y: float
    title: str


@attrs.frozen(kw_only=True)
class ChartLine:
    """One series: its runs of consecutive scores (``x,y`` point lists) and its points."""

    label: str
    colour: str
    emphasis: bool
    segments: tuple[str, ...]
    points: tuple[ChartPoint, ...]


@attrs.frozen(kw_only=True)
class LineChart:
    """A chart of scores on [0, 1] over dates, in a ``width`` x ``height`` view box.

    The plot area spans ``left`` to ``right`` and ``top`` to ``bottom``;
    ``threshold_y`` is where the met threshold lies (``None`` when it is 1,
    the top of the chart).
    """

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[ChartLine, ...]
    threshold_y: float | None = None
    description: str = ""


def _extent(x: float, anchor: str) -> tuple[float, float]:
    if anchor == "start":
        return x, x + _LABEL_WIDTH
    if anchor == "end":
        return x - _LABEL_WIDTH, x
    return x - _LABEL_WIDTH / 2, x + _LABEL_WIDTH / 2


def _x_ticks(dates: Sequence[dt.date], xs: Sequence[float]) -> tuple[Tick, ...]:
    """Label the first and the last date, and as many between as fit without overlapping."""
    last = len(dates) - 1
    end = _extent(xs[last], "end")
    chosen, right = [0], _extent(xs[0], "start")[1]
    for index in range(1, last):
        low, high = _extent(xs[index], "middle")
        if low >= right + _LABEL_GAP and high + _LABEL_GAP <= end[0]:
            chosen.append(index)
            right = high
    chosen.append(last)
    anchors = {0: "start", last: "end"}
    return tuple(
        Tick(position=round(xs[i], 1), label=dates[i].isoformat(), anchor=anchors.get(i, "middle"))
        for i in chosen
    )


def line_chart(
    dates: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[float | None], str, bool]],
    *,
    threshold: float = 1.0,
    size: tuple[float, float] = WIDE_CHART_SIZE,
) -> LineChart:
    """Lay out ``series`` of ``(label, scores, colour, emphasised)`` over two or more ``dates``.

    Dates are placed in proportion to the time between them; ``size`` is the
    view box, in which labels are 13 units high.
    """
    if len(dates) < 2:
        raise ValueError("a chart over time needs at least two dates")
    width, height = size
    right, bottom = width - _RIGHT, height - _BOTTOM
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    xs = [_LEFT + (right - _LEFT) * (day - first).days / span for day in dates]

    def y(value: float) -> float:
        return round(bottom - (bottom - _TOP) * value, 1)

    lines = []
    for label, values, colour, emphasis in series:
        segments: list[list[str]] = [[]]
        points = []
        for day, x, value in zip(dates, xs, values, strict=True):
            if value is None:
                segments.append([])
                continue
            segments[-1].append(f"{x:.1f},{y(value):.1f}")
            points.append(
                ChartPoint(
                    x=round(x, 1),
                    y=y(value),
                    title=f"{label}: {score_text(value)} on {day.isoformat()}",
                )
            )
        lines.append(
            ChartLine(
                label=label,
                colour=colour,
                emphasis=emphasis,
                segments=tuple(" ".join(run) for run in segments if len(run) > 1),
                points=tuple(points),
            )
        )
    return LineChart(
        width=width,
        height=height,
        left=_LEFT,
        right=right,
        top=_TOP,
        bottom=bottom,
        x_ticks=_x_ticks(dates, xs),
        y_ticks=tuple(
            Tick(position=y(value), label=f"{value:.2f}", anchor="end")
            for value in (0.0, 0.25, 0.5, 0.75, 1.0)
        ),
        lines=tuple(lines),
        threshold_y=y(threshold) if threshold < 1.0 else None,
        description=(
            f"Scores from 0 to 1 of {len(series)} series on {len(dates)} dates, "
            f"from {dates[0].isoformat()} to {dates[-1].isoformat()}."
        ),
    )
