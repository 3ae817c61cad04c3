"""The geometry of the report's charts, computed from data for an SVG template.

Nothing here writes SVG: :func:`line_chart` places dates on a time axis and
scores on [0, 1], :func:`bar_chart` lays counts out as stacked bars, and both
return coordinates, ticks and labels that the HTML template turns into
elements (and escapes like everything else). A score that is not assessable
leaves a gap in its line, never a zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from benchmarkkit.reports._words import score_text

__all__ = [
    "NARROW_CHART_SIZE",
    "WIDE_CHART_SIZE",
    "BarChart",
    "BarRow",
    "BarSegment",
    "ChartLine",
    "ChartPoint",
    "LineChart",
    "Tick",
    "bar_chart",
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


# -- stacked bars -----------------------------------------------------------------------------

# A row of a bar chart: its label on a line of its own, the bar under it, and room after.
_ROW_LABEL, _BAR_HEIGHT, _ROW_GAP, _BAR_AXIS = 18.0, 22.0, 12.0, 30.0
_BAR_SIDE = 8.0
# The width of a character of a 13-unit label, near enough to shorten labels that would not fit.
_CHARACTER_WIDTH = 7.0


@attrs.frozen(kw_only=True)
class BarSegment:
    """The part of a bar that counts one key (a position); ``label`` is the count, if it fits."""

    key: str
    x: float
    width: float
    count: int
    label: str
    title: str


@attrs.frozen(kw_only=True)
class BarRow:
    """One bar: its label (shortened to fit; ``full_label`` is the whole), its place, its parts."""

    label: str
    full_label: str
    label_y: float
    y: float
    total: int
    total_x: float
    segments: tuple[BarSegment, ...]


@attrs.frozen(kw_only=True)
class BarChart:
    """Stacked horizontal bars of counts, in a ``width`` x ``height`` view box.

    Bars start at ``left`` and the longest ends short of ``right``, leaving room
    for its total; every bar is ``bar_height`` high.
    """

    width: float
    height: float
    left: float
    right: float
    bottom: float
    bar_height: float
    rows: tuple[BarRow, ...]
    ticks: tuple[Tick, ...]
    description: str = ""


def _shorten(text: str, room: float) -> str:
    most = max(4, int(room / _CHARACTER_WIDTH))
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


def _count_ticks(largest: int) -> tuple[int, ...]:
    """Whole numbers from 0 to ``largest`` or just past it, in steps of 1, 2 or 5 (times 10^n)."""
    largest, magnitude = max(largest, 1), 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if largest <= 5 * step:
                return tuple(range(0, largest + step, step))
        magnitude *= 10


def bar_chart(
    rows: Sequence[tuple[str, Sequence[tuple[str, str, int]]]],
    *,
    subject: str,
    width: float = WIDE_CHART_SIZE[0],
) -> BarChart:
    """Lay out ``rows`` of ``(label, parts)``, each part ``(key, key label, count)``, as bars.

    Bars share one scale, from 0 to a whole number at or past the largest
    total; a part of no count takes no room. ``subject`` opens the
    description, which gives every count in words (the chart's text alternative).
    """
    ticks = _count_ticks(max((sum(c for _, _, c in parts) for _, parts in rows), default=0))
    left, right = _BAR_SIDE, width - _BAR_SIDE - 28.0  # room after a bar for its total
    unit = (right - left) / ticks[-1]
    laid_out, y, sentences = [], _TOP, []
    for label, parts in rows:
        x, segments = left, []
        for key, key_label, count in parts:
            if count <= 0:
                continue
            size = unit * count
            text = str(count)
            segments.append(
                BarSegment(
                    key=key,
                    x=round(x, 1),
                    width=round(size, 1),
                    count=count,
                    label=text if size >= _CHARACTER_WIDTH * len(text) + 6 else "",
                    title=f"{label}: {count} {key_label.lower()}",
                )
            )
            x += size
        total = sum(segment.count for segment in segments)
        laid_out.append(
            BarRow(
                label=_shorten(label, right - left),
                full_label=label,
                label_y=round(y + 13.0, 1),
                y=round(y + _ROW_LABEL, 1),
                total=total,
                total_x=round(x + 6.0, 1),
                segments=tuple(segments),
            )
        )
        counts = ", ".join(f"{count} {name.lower()}" for _, name, count in parts if count > 0)
        sentences.append(f"{label}: {counts or 'none'}")
        y += _ROW_LABEL + _BAR_HEIGHT + _ROW_GAP
    bottom = y
    return BarChart(
        width=width,
        height=round(bottom + _BAR_AXIS, 1),
        left=left,
        right=right,
        bottom=round(bottom, 1),
        bar_height=_BAR_HEIGHT,
        rows=tuple(laid_out),
        ticks=tuple(Tick(position=round(left + unit * t, 1), label=str(t)) for t in ticks),
        description=f"{subject}. " + "; ".join(sentences) + ".",
    )
