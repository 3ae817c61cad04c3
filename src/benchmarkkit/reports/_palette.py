"""The colours of a report: one tone per score on [0, 1], and a colour per line of a chart.

A status is coloured by the value of its level (0 the worst state, 1 a met
benchmark), so that levels of every scale, and scores given without a
level, share one ramp: crimson, orange, amber, teal. The ramp runs from red
to blue-green rather than to pure green, so that it stays readable with
the common red-green colour-vision deficiencies, and every coloured cell
also says its status in words. Markdown, which has no colours, uses the
nearest coloured square emoji.
"""

from __future__ import annotations

import itertools

import attrs

__all__ = ["SERIES_COLOURS", "Tone", "tone"]

# (value, strong colour) from worst to best; the colours between are interpolated.
_RAMP: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0.0, (0xA5, 0x1C, 0x30)),  # crimson
    (1 / 3, (0xD9, 0x5F, 0x0E)),  # orange
    (2 / 3, (0xC9, 0x9A, 0x06)),  # amber
    (1.0, (0x1A, 0x7F, 0x72)),  # teal
)
# The share of white mixed into the strong colour for a cell's background.
_TINT = 0.78
# Emoji by the upper bound of the value they stand for.
_EMOJI = ((0.2, "🟥"), (0.5, "🟧"), (0.85, "🟨"), (1.0, "🟩"))

#: Colours of the lines of a chart: the Okabe-Ito palette, distinguishable with any
#: common colour-vision deficiency (the overall score is drawn in near-black).
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


@attrs.frozen(kw_only=True)
class Tone:
    """The colours of one value: ``strong`` for marks and swatches, ``tint`` for backgrounds.

    ``name`` is the CSS class that carries them; ``emoji`` stands in for the
    colour in Markdown.
    """

    name: str
    value: float
    strong: str
    tint: str
    emoji: str


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def _strong(value: float) -> tuple[float, float, float]:
    for (low, low_rgb), (high, high_rgb) in itertools.pairwise(_RAMP):
        if value <= high:
            share = (value - low) / (high - low)
            r, g, b = (a + (b - a) * share for a, b in zip(low_rgb, high_rgb, strict=True))
            return (r, g, b)
    return _RAMP[-1][1]


def tone(value: float) -> Tone:
    """The tone of a value on [0, 1], rounded to two decimals (values outside are clamped)."""
    value = round(min(1.0, max(0.0, value)), 2)
    strong = _strong(value)
    tint = tuple(channel + (255 - channel) * _TINT for channel in strong)
    emoji = next(symbol for bound, symbol in _EMOJI if value <= bound)
    return Tone(
        name=f"tone-{round(value * 100):03d}",
        value=value,
        strong=_hex(strong),
        tint=_hex((tint[0], tint[1], tint[2])),
        emoji=emoji,
    )
