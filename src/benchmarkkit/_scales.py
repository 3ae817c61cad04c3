"""Status scales: ordered levels with values, and the scales the field already uses."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["BUILTIN_SCALES", "Level", "StatusScale", "as_float", "unit_interval"]


def as_float(value: float) -> float:
    """An attrs converter: ``float(value)`` (a whole number, say, becomes a float).

    A function of its own rather than ``float``: attrs reads each converter's
    signature when it makes a class, and reads a built-in's by tokenizing its
    text, which cost every command that imports the records about 1.5 ms.
    """
    return float(value)


def unit_interval(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """An attrs validator: a score or threshold between 0 and 1, or none."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be between 0 and 1, not {value!r}")


@attrs.frozen(kw_only=True)
class Level:
    """One step of a status scale.

    ``value`` places the level on [0, 1] so that scores on different scales
    can be compared and aggregated: 0 is the worst state, 1 a fully met
    benchmark.
    """

    id: str
    label: str
    value: float = attrs.field(converter=as_float, validator=unit_interval)
    description: str | None = None


def _levels_in_order(
    instance: StatusScale, attribute: attrs.Attribute[tuple[Level, ...]], value: tuple[Level, ...]
) -> None:
    if not value:
        raise ValueError(f"scale {instance.id!r} needs at least one level")
    for lower, higher in itertools.pairwise(value):
        if higher.value < lower.value:
            raise ValueError(
                f"scale {instance.id!r} lists its levels from worst to best, so each value must be "
                f"at least the one before it; {higher.id!r} ({higher.value}) comes after "
                f"{lower.id!r} ({lower.value})"
            )


@attrs.frozen(kw_only=True)
class StatusScale:
    """A named, ordered list of levels on which assessments state a status.

    Levels are listed from worst to best; their values never decrease.
    """

    id: str
    title: str
    levels: tuple[Level, ...] = attrs.field(validator=_levels_in_order)
    description: str | None = None
    url: str | None = None

    def level(self, level_id: str) -> Level | None:
        """The level with this id, or ``None``."""
        for level in self.levels:
            if level.id == level_id:
                return level
        return None

    def rank(self, level_id: str) -> int | None:
        """The position of a level, 0 for the worst, or ``None`` if unknown."""
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        return None


def _scale(
    scale_id: str, title: str, url: str, description: str, levels: list[tuple[str, str, float]]
) -> StatusScale:
    return StatusScale(
        id=scale_id,
        title=title,
        url=url,
        description=description,
        levels=tuple(
            Level(id=level_id, label=label, value=value) for level_id, label, value in levels
        ),
    )


#: Scales from the field that any dataset may reference by id without declaring them.
#: The values spread the levels evenly over [0, 1]; declare your own scale to weigh them
#: differently.
BUILTIN_SCALES: Mapping[str, StatusScale] = {
    scale.id: scale
    for scale in (
        _scale(
            "ogp-completion",
            "OGP commitment completion",
            "https://www.opengovpartnership.org/irm-guidance-overview/",
            "The Open Government Partnership's Independent Reporting Mechanism rates how far "
            "a commitment was implemented.",
            [
                ("not-started", "Not started", 0.0),
                ("limited", "Limited", 1 / 3),
                ("substantial", "Substantial", 2 / 3),
                ("complete", "Complete", 1.0),
            ],
        ),
        _scale(
            "ogp-did-it-open-government",
            "OGP: did it open government?",
            "https://www.opengovpartnership.org/irm-guidance-overview/",
            "The Open Government Partnership's rating of how much a commitment changed "
            "government practice.",
            [
                ("worsened", "Worsened", 0.0),
                ("did-not-change", "Did not change", 0.25),
                ("marginal", "Marginal", 0.5),
                ("major", "Major", 0.75),
                ("outstanding", "Outstanding", 1.0),
            ],
        ),
        _scale(
            "odihr-follow-up",
            "ODIHR follow-up of election recommendations",
            "https://www.osce.org/odihr/elections",
            "OSCE/ODIHR's assessment of how far a prior election recommendation was implemented.",
            [
                ("not-implemented", "Not implemented", 0.0),
                ("partially-implemented", "Partially implemented", 1 / 3),
                ("mostly-implemented", "Mostly implemented", 2 / 3),
                ("fully-implemented", "Fully implemented", 1.0),
            ],
        ),
        _scale(
            "upr-info-implementation",
            "UPR Info implementation of recommendations",
            "https://www.upr-info.org/en/upr-process/follow-up",
            "UPR Info's mid-term assessment of how far a recommendation of the Universal "
            "Periodic Review was implemented.",
            [
                ("not-implemented", "Not implemented", 0.0),
                ("partially-implemented", "Partially implemented", 0.5),
                ("fully-implemented", "Fully implemented", 1.0),
            ],
        ),
        _scale(
            "open-sdg-progress",
            "Open SDG progress status",
            "https://open-sdg.org/",
            "The progress categories of the Open SDG reporting platform.",
            [
                ("deterioration", "Deterioration", 0.0),
                ("limited-progress", "Limited progress", 0.25),
                ("moderate-progress", "Moderate progress", 0.5),
                ("substantial-progress", "Substantial progress", 0.75),
                ("target-achieved", "Target achieved", 1.0),
            ],
        ),
    )
}
