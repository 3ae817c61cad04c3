"""Gates and their conditions, and the scoring configuration a dataset names.

These are the data shapes only; what they mean when a dataset is scored is
the business of :mod:`benchmarkkit.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from benchmarkkit._references import level_of, refers_to
from benchmarkkit._scales import as_float, unit_interval
from benchmarkkit._since import added_in

__all__ = [
    "AllOf",
    "AnyOf",
    "AreaCondition",
    "AtLeast",
    "BenchmarkCondition",
    "Condition",
    "Gate",
    "RuleSpec",
    "ScoringConfig",
]


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class BenchmarkCondition:
    """Holds when a benchmark's score reaches a threshold as of the date.

    The threshold is either ``minimum_score`` (a number in [0, 1]) or the
    value of ``minimum_level`` on ``scale``.
    """

    benchmark: str = attrs.field(metadata=refers_to("benchmarks"))
    minimum_score: float | None = attrs.field(
        default=None, converter=_optional_float, validator=unit_interval
    )
    scale: str | None = attrs.field(default=None, metadata=refers_to("scales"))
    minimum_level: str | None = attrs.field(default=None, metadata=level_of("scale"))
    label: str | None = None
    kind: str = attrs.field(default="benchmark", init=False)


@attrs.frozen(kw_only=True)
class AreaCondition:
    """Holds when an area's aggregate score reaches ``minimum_score``."""

    area: str = attrs.field(metadata=refers_to("areas"))
    minimum_score: float = attrs.field(converter=as_float, validator=unit_interval)
    label: str | None = None
    kind: str = attrs.field(default="area", init=False)


@attrs.frozen(kw_only=True)
class AllOf:
    """Holds when every condition holds."""

    conditions: tuple[Condition, ...]
    label: str | None = None
    kind: str = attrs.field(default="all-of", init=False)


@attrs.frozen(kw_only=True)
class AnyOf:
    """Holds when at least one condition holds."""

    conditions: tuple[Condition, ...]
    label: str | None = None
    kind: str = attrs.field(default="any-of", init=False)


@attrs.frozen(kw_only=True)
class AtLeast:
    """Holds when at least ``count`` of the conditions hold."""

    count: int = attrs.field(validator=attrs.validators.ge(1))
    conditions: tuple[Condition, ...]
    label: str | None = None
    kind: str = attrs.field(default="at-least", init=False)


Condition = BenchmarkCondition | AreaCondition | AllOf | AnyOf | AtLeast
"""Any gate condition; the JSON ``kind`` member says which."""

CONDITION_KINDS: Mapping[str, type[Condition]] = {
    "benchmark": BenchmarkCondition,
    "area": AreaCondition,
    "all-of": AllOf,
    "any-of": AnyOf,
    "at-least": AtLeast,
}


@attrs.frozen(kw_only=True)
class Gate:
    """A pass/fail condition over benchmarks, such as the conditionality of an agreement.

    ``applies_to`` names what the gate decides ("adoption of the new PCA");
    ``demanded_by`` names who asks for it, and ``recommendations`` the
    recommendations that demand it. The optional citation (``source``,
    ``locator``, ``quote``) says where the demand is made.
    """

    id: str
    title: str
    condition: Condition
    applies_to: str | None = None
    demanded_by: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    recommendations: tuple[str, ...] = attrs.field(
        default=(), metadata={**refers_to("recommendations"), **added_in("1.1")}
    )
    description: str | None = None
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    locator: str | None = None
    quote: str | None = None


@attrs.frozen(kw_only=True)
class RuleSpec:
    """A scoring rule or aggregation named by its registered name, with parameters.

    A name is looked up in the registry of :mod:`benchmarkkit.scoring`; a
    dataset never names code by import path.
    """

    rule: str
    parameters: Mapping[str, Any] = attrs.field(factory=dict, hash=False)


def _default_benchmark_rules() -> tuple[RuleSpec, ...]:
    return (
        RuleSpec(rule="status-mapping"),
        RuleSpec(rule="indicator-progress"),
        RuleSpec(rule="evidence-based"),
    )


@attrs.frozen(kw_only=True)
class ScoringConfig:
    """How a dataset is scored unless the caller says otherwise.

    ``benchmark_rules`` are tried in order for each benchmark; the first that
    can score it wins. ``area_aggregation`` combines benchmark scores into an
    area score, ``overall_aggregation`` area scores into the whole.
    ``met_threshold`` is the score at which a benchmark counts as met.
    """

    benchmark_rules: tuple[RuleSpec, ...] = attrs.field(factory=_default_benchmark_rules)
    area_aggregation: RuleSpec = attrs.field(factory=lambda: RuleSpec(rule="weighted-mean"))
    overall_aggregation: RuleSpec = attrs.field(factory=lambda: RuleSpec(rule="weighted-mean"))
    met_threshold: float = attrs.field(default=1.0, converter=as_float, validator=unit_interval)
