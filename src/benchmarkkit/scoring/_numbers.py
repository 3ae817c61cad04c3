"""How scores are compared, clamped and written in explanations."""

from __future__ import annotations

__all__ = ["TOLERANCE", "at_least", "clamp", "fmt"]

#: Scores within this distance of a threshold count as reaching it, so that
#: rounding in a mean (0.6666666666666666 against a level's 2/3) never decides a verdict.
TOLERANCE = 1e-9
_LARGE = 1e12


def at_least(score: float, threshold: float) -> bool:
    """Tell whether ``score`` reaches ``threshold``, allowing for rounding (:data:`TOLERANCE`)."""
    return score >= threshold - TOLERANCE


def clamp(value: float) -> float:
    """Limit ``value`` to [0, 1]."""
    return min(1.0, max(0.0, value))


def fmt(value: float) -> str:
    """Write a number as explanations do: at most three decimals, no trailing zeros.

    Numbers of a million million and more are written in scientific notation (``1e+308``).
    """
    if abs(value) >= _LARGE:
        return f"{value:.4g}"
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text
