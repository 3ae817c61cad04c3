"""Regular expressions that can take forever: refused before any row is read.

Python's ``re`` backtracks and cannot be interrupted, so a ``matches`` pattern
such as ``^(a+)+$`` tried on forty ``a`` and a ``!`` runs for hours. The rule,
read from the standard library's own parse of the pattern: a part repeated
more than once (``+``, ``*``, ``{2,}``) must not itself hold a part repeated
without bound, nor an alternation whose branches can begin with the same
character (or with nothing). That refuses every pattern whose backtracking
grows exponentially with the text, and a few harmless ones (``(ab+)+``), which
can be written without the nesting.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

if sys.version_info >= (3, 11):  # sre_parse is deprecated from 3.11 on
    from re import _constants as constants
    from re import _parser as parser
else:  # pragma: no cover - Python 3.10
    import sre_constants as constants
    import sre_parse as parser

__all__ = ["pattern_refusal", "pattern_risk"]

_REPEATS = {constants.MAX_REPEAT, constants.MIN_REPEAT}
#: Parts that match no character, skipped to find what a branch begins with.
_ZERO_WIDTH = {constants.AT}
#: A set of characters wider than this is taken to be "any character".
_WIDE = 512

Items = Iterable[tuple[Any, Any]]


def pattern_risk(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack without end, in words; ``None`` when it cannot.

    A pattern that does not parse is ``None`` here: compiling it says what is wrong.
    """
    try:
        parsed = parser.parse(pattern)
    except (constants.error, RecursionError, OverflowError):
        return None
    for body in _repeated_bodies(parsed.data):
        if _unbounded(body):
            return "a repeated part holds a part repeated without bound, as (a+)+ or (.*)*"
        if _overlapping(body):
            return "a repeated part holds alternatives that can begin alike, as (a|ab)*"
    return None


#: How to find the parts inside a part, for each kind of part that has any.
_INSIDE: dict[Any, Callable[[Any], list[Items]]] = {
    constants.MAX_REPEAT: lambda av: [av[2]],
    constants.MIN_REPEAT: lambda av: [av[2]],
    constants.SUBPATTERN: lambda av: [av[-1]],
    constants.BRANCH: lambda av: list(av[1]),
    constants.ASSERT: lambda av: [av[1]],
    constants.ASSERT_NOT: lambda av: [av[1]],
    constants.GROUPREF_EXISTS: lambda av: [body for body in av[1:] if body is not None],
}
if sys.version_info >= (3, 11):  # possessive repeats and atomic groups never backtrack
    _INSIDE[constants.POSSESSIVE_REPEAT] = lambda av: [av[2]]
    _INSIDE[constants.ATOMIC_GROUP] = lambda av: [av]


def _children(op: Any, av: Any) -> list[Items]:
    """The parts inside one part of a parsed pattern."""
    inside = _INSIDE.get(op)
    return inside(av) if inside is not None else []


def _parsed_nodes(items: Items) -> Iterator[tuple[Any, Any]]:
    """Every part of ``items``, and every part inside those, depth first."""
    for op, av in items:
        yield op, av
        for inner in _children(op, av):
            yield from _parsed_nodes(inner)


def _repeated_bodies(items: Items) -> Iterator[Items]:
    """What each backtracking repetition of more than once repeats."""
    for op, av in _parsed_nodes(items):
        if op in _REPEATS and av[1] > 1:
            yield av[2]


def _unbounded(items: Items) -> bool:
    return any(op in _REPEATS and av[1] == constants.MAXREPEAT for op, av in _parsed_nodes(items))


def _overlapping(items: Items) -> bool:
    """Whether an alternation in ``items`` has two branches that can begin alike."""
    for op, av in _parsed_nodes(items):
        if op != constants.BRANCH:
            continue
        seen: set[str] = set()
        for branch in av[1]:
            first = _first(branch)
            if first is None or seen & first:
                return True
            seen |= first
    return False


def _first(items: Items) -> set[str] | None:
    """The characters a match of ``items`` can begin with (case folded), ``None``: any or none."""
    for op, av in items:
        if op not in _ZERO_WIDTH:
            return _first_of(op, av)
    return None  # a branch that can match nothing


def _first_of(op: Any, av: Any) -> set[str] | None:
    if op == constants.LITERAL:
        return {chr(av).casefold()}
    if op == constants.IN:
        return _first_in(av)
    if op == constants.BRANCH:
        alternatives = list(av[1])
    elif op == constants.SUBPATTERN or (op in _REPEATS and av[0] > 0):
        alternatives = _children(op, av)
    else:  # any character, a class, an optional part, a look-around, a back reference
        return None
    found: set[str] = set()
    for alternative in alternatives:
        first = _first(alternative)
        if first is None:
            return None
        found |= first
    return found


def _first_in(members: Items) -> set[str] | None:
    found: set[str] = set()
    for op, av in members:
        if op == constants.LITERAL:
            found.add(chr(av).casefold())
        elif op == constants.RANGE and av[1] - av[0] < _WIDE:
            found |= {chr(c).casefold() for c in range(av[0], av[1] + 1)}
        else:  # a negation, a category, a wide range
            return None
    return found


def pattern_refusal(pattern: str) -> str | None:
    """The message refusing ``pattern`` as a ``matches`` condition, or ``None`` if it is safe."""
    reason = pattern_risk(pattern)
    if reason is None:
        return None
    return (
        f"the pattern {pattern!r} could make the import run for hours on some cells: {reason}; "
        "Python's regular expressions cannot be stopped once started, so such patterns are "
        "refused: write it without the nesting (a+ for (a+)+, a* for (a|a)*)"
    )
