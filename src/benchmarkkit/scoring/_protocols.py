"""What a scoring rule and an aggregation are: their call signatures and what they return."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from benchmarkkit.scoring._explain import Input, to_inputs, to_steps

if TYPE_CHECKING:
    from benchmarkkit._model import Benchmark
    from benchmarkkit.scoring._context import RuleContext

__all__ = ["AggregateOutcome", "Aggregation", "RuleOutcome", "ScoringRule", "Status"]


def _to_float(value: float | None) -> float | None:
    # Rules from plugins may return anything; check at run time what the types promise.
    checked: object = value
    if checked is None:
        return None
    if isinstance(checked, bool) or not isinstance(checked, int | float):
        raise TypeError(f"a score must be a number in [0, 1] or None, not {checked!r}")
    return float(checked)


def _score(instance: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{attribute.name} must be a number in [0, 1] or None, not {value!r}")


def _numbers(value: Mapping[str, float] | None) -> dict[str, float]:
    return {str(name): float(number) for name, number in (value or {}).items()}


@attrs.frozen(kw_only=True)
class Status:
    """A level of a status scale, as an assessment stated it."""

    level: str
    label: str
    scale: str


@attrs.frozen(kw_only=True)
class RuleOutcome:
    """What a scoring rule found for one benchmark.

    ``score`` is in [0, 1], or ``None`` for "not assessable": the rule
    applies, and its answer is that no score can be given (an assessment
    that records the benchmark could not be assessed, say). A rule that
    does not apply returns ``None`` instead of an outcome, and the next rule
    in the chain is tried.

    ``steps`` say in plain English what the rule did, ``inputs`` which
    records and values it used, ``intermediate`` the numbers it computed.
    ``provisional`` marks a score derived indirectly (from the direction of
    evidence rather than an assessment); ``status`` is the level an
    assessment stated, when the score comes from one.
    """

    score: float | None = attrs.field(converter=_to_float, validator=_score)
    steps: tuple[str, ...] = attrs.field(default=(), converter=to_steps)
    inputs: tuple[Input, ...] = attrs.field(default=(), converter=to_inputs)
    intermediate: Mapping[str, float] = attrs.field(factory=dict, converter=_numbers, hash=False)
    provisional: bool = False
    status: Status | None = None


@attrs.frozen(kw_only=True)
class AggregateOutcome:
    """What an aggregation computed from its items: a score (or ``None``) and its steps."""

    score: float | None = attrs.field(converter=_to_float, validator=_score)
    steps: tuple[str, ...] = attrs.field(default=(), converter=to_steps)
    intermediate: Mapping[str, float] = attrs.field(factory=dict, converter=_numbers, hash=False)


class ScoringRule(Protocol):
    """A benchmark scoring rule: any callable with this signature.

    Called once per benchmark with the :class:`RuleContext` of the as-of
    date and the parameters the configuration gives (already checked
    against the rule's parameter schema). Return a :class:`RuleOutcome`, or
    ``None`` when the rule does not apply to this benchmark, so that the
    next rule in the chain is tried (``return context.decline("why")``
    records the reason for the explanation).
    """

    def __call__(
        self, benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any], /
    ) -> RuleOutcome | None:
        """Score ``benchmark`` as of ``context.as_of``, or return ``None``."""
        ...  # pragma: no cover - a protocol


class Aggregation(Protocol):
    """An aggregation: combines scored items into one score.

    ``items`` are ``(score, weight)`` pairs, in the order of the items' ids;
    a score of ``None`` is an item that is not assessable. Return an
    :class:`AggregateOutcome`; its score is ``None`` when nothing can be
    aggregated.
    """

    def __call__(
        self, items: Sequence[tuple[float | None, float]], parameters: Mapping[str, Any], /
    ) -> AggregateOutcome:
        """Combine ``items`` into one score."""
        ...  # pragma: no cover - a protocol
