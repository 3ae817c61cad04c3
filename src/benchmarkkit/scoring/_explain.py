"""Explanations: how each score and verdict was reached, in values and in words."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from benchmarkkit._dates import PartialDate

__all__ = ["Explanation", "Input", "copy_mapping", "to_inputs", "to_steps"]


def copy_mapping(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """Copy a mapping, so that a result never shares a dict with its caller."""
    return dict(value or {})


def to_steps(value: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Convert steps, a list (or tuple) of text lines, to a tuple.

    One text is refused: iterated, it would become one step per character.
    """
    given: object = value  # rules from plugins may pass anything; say clearly what was wrong
    if isinstance(given, str | bytes):
        raise TypeError(
            f"steps must be a list of steps, not one text ({given[:40]!r}); "
            f"write steps=[{given[:40]!r}]"
        )
    return tuple(map(str, value))


def _finite(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"an input's {attribute.name} must be a finite number, not {value!r}")


def to_inputs(value: Iterable[Input]) -> tuple[Input, ...]:
    """Convert inputs to a tuple."""
    return tuple(value)


def _copy_numbers(value: Mapping[str, float] | None) -> dict[str, float]:
    numbers: dict[str, float] = {}
    for name, given in (value or {}).items():
        number = float(given)
        if not math.isfinite(number):
            raise ValueError(f"intermediate value {name!r} must be a finite number, not {number!r}")
        numbers[name] = number
    return numbers


@attrs.frozen(kw_only=True)
class Input:
    """One record or value an explanation rests on.

    ``kind`` names what it is: ``assessment``, ``evidence``, ``reading``,
    ``indicator``, ``scale``, ``source``, ``benchmark``, ``area`` or
    ``recommendation`` (a rule may add its own). ``id`` is the record's id (for a reading, the id of
    the evidence that reports it, with ``indicator`` naming the indicator);
    ``value`` is the value used (a level, a reading, a score); ``weight``
    the weight it carried; ``note`` says in words how it was used.
    """

    kind: str
    id: str
    date: PartialDate | None = None
    value: bool | int | float | str | None = attrs.field(default=None, validator=_finite)
    weight: float | None = attrs.field(default=None, validator=_finite)
    indicator: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Explanation:
    """How a score or verdict was reached.

    ``rule`` is the registered name of the rule or aggregation that produced
    it (``None`` when none could), ``parameters`` the parameters it ran
    with, ``inputs`` the records and values it used, ``steps`` what it did,
    one plain-English line each, and ``intermediate`` the named numbers it
    computed on the way.
    """

    rule: str | None = None
    parameters: Mapping[str, Any] = attrs.field(factory=dict, converter=copy_mapping, hash=False)
    inputs: tuple[Input, ...] = attrs.field(default=(), converter=to_inputs)
    steps: tuple[str, ...] = attrs.field(default=(), converter=to_steps)
    intermediate: Mapping[str, float] = attrs.field(
        factory=dict, converter=_copy_numbers, hash=False
    )

    def __str__(self) -> str:
        head = f"rule {self.rule}" if self.rule else "no rule"
        return "\n".join([head, *(f"  {step}" for step in self.steps)])
