r"""Data built in Python, not read from a file: what no file could hold is a problem.

A parsed file can only hold text keys, text that encodes as UTF-8 and numbers
every reader keeps. Data built in Python (a form, a database, a typed
:class:`~benchmarkkit.Dataset`) can hold anything: a key that is a number or a
tuple, a lone surrogate such as ``"\ud800"`` that no file can store, a whole
number such as ``10**30`` that a JSON reader gives back as a float, infinity
or NaN. Such data would pass the schema and then fail when saved; here it
becomes located problems, before the schema sees it, and the schema sees a
copy with the bad keys left out.
"""

from __future__ import annotations

import functools
import math
from typing import Any, TypeVar

from benchmarkkit._errors import DatasetError
from benchmarkkit._files import LARGEST_WHOLE_NUMBER, SMALLEST_WHOLE_NUMBER
from benchmarkkit._problems import Problem, ValidationReport, pointer, without_consequences
from benchmarkkit._wording import short, type_name

__all__ = ["schema_problems", "structure", "text_problems"]

T = TypeVar("T")

_Path = tuple[str | int, ...]


def _encodes(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_clean(data: Any) -> bool:
    """Whether every key is text, every text encodes and every number fits: the common case.

    orjson refuses the first two and whole numbers out of range (and a few
    things that are fine here, which the pass in Python then looks at) ten
    times faster than a pass in Python. It writes infinity and NaN as
    ``null``, so output without ``null`` has neither.
    """
    import orjson

    try:
        written = orjson.dumps(data)
    except (TypeError, ValueError):
        return _walk_clean(data)
    return b"null" not in written or _walk_clean(data)


#: Marks, on a walk's stack, the point where the walk leaves the container whose ``id`` follows.
_LEAVE = object()


def _walk_clean(data: Any) -> bool:
    """:func:`_all_clean`, in Python; ``False`` too for a value that contains itself.

    The containers on the way from the root to the value looked at are kept
    in a set, so that a container met again on its own way down (a cycle) is
    found at once: one pass, however the data is nested.
    """
    stack: list[Any] = [data]
    on_path: set[int] = set()
    pop, push, extend = stack.pop, stack.append, stack.extend
    while stack:
        value = pop()
        if value is _LEAVE:
            on_path.discard(pop())
            continue
        kind = type(value)
        if kind is str:
            if not _encodes(value):
                return False
        elif kind is dict or kind is list or kind is tuple:
            if id(value) in on_path:
                return False
            on_path.add(id(value))
            push(id(value))
            push(_LEAVE)
            if kind is dict and not all(type(key) is str and _encodes(key) for key in value):
                return False
            extend(value.values() if kind is dict else value)
        elif kind is int or kind is float:
            if not _number_fits(value):
                return False
        elif isinstance(value, str | dict | list | tuple):
            return False  # a subclass: the slow pass looks at it properly
    return True


def _number_fits(value: float) -> bool:
    """Whether a file can hold ``value`` exactly: a finite number, a whole one in range."""
    if isinstance(value, int):
        return SMALLEST_WHOLE_NUMBER <= value <= LARGEST_WHOLE_NUMBER
    return math.isfinite(value)


def _surrogates(text: str) -> str:
    """The first character of ``text`` that cannot be encoded, as U+XXXX."""
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:
            return f"U+{ord(char):04X}"
    return "a character"  # pragma: no cover - only surrogates fail to encode as UTF-8


def _bad_text(text: str, path: _Path, what: str, name: str, *, escapes: bool) -> Problem:
    character = _surrogates(text)
    if escapes:  # read from a JSON file, where the surrogate was written as an escape
        said = (
            f"this {what.removeprefix('the ')} holds the escape \\u{character[2:].lower()}, "
            "a lone surrogate: half of a UTF-16 pair without its other half, which is not a "
            "character and which no file can hold; remove the escape, or write the character "
            "itself"
        )
    else:
        said = (
            f"{what} {short(text)} holds {character}, a lone surrogate: half of a character, "
            "which no file can hold"
        )
    return Problem.create("invalid-text", said, file=name, pointer=pointer(path))


def _repaired(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (the replacement character)."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


#: A place in the data: the place of its container and its key there (``None`` at the root).
_Place = tuple["_Place", str | int] | None


def _path(place: _Place) -> _Path:
    parts: list[str | int] = []
    while place is not None:
        place, part = place
        parts.append(part)
    return tuple(reversed(parts))


def _contains_itself(place: _Place, name: str) -> Problem:
    return Problem.create(
        "too-complex",
        "this value contains itself, which no file can hold: a file holds each value once, "
        "inside the one before it; give a copy, or leave the value out",
        file=name,
        pointer=pointer(_path(place)),
    )


def _clean(data: Any, name: str, problems: list[Problem], *, escapes: bool = False) -> Any:
    """A copy of ``data`` without what no file can hold, and a problem for each.

    Keys that are not text are left out; each lone surrogate becomes U+FFFD,
    each number no file holds exactly 1, and a value found inside itself
    ``None``, so that the schema does not report the same value again in
    other words. One pass, without recursion: data nested a hundred
    thousand levels deep is copied too (and then found too deep by the
    schema).
    """
    holder: list[Any] = [None]
    # Each entry: a value, its place, and the container and slot its copy goes into.
    stack: list[Any] = [(data, None, holder, 0, None)]
    on_path: set[int] = set()
    pop, push = stack.pop, stack.append
    while stack:
        entry = pop()
        if entry is _LEAVE:
            on_path.discard(pop())
            continue
        value, place, target, slot, bad_key = entry
        if bad_key is not None:
            where = (*_path(place)[:-1], bad_key)
            problems.append(_bad_text(bad_key, where, "the key", name, escapes=escapes))
        if isinstance(value, str):
            if not _encodes(value):
                problems.append(_bad_text(value, _path(place), "the text", name, escapes=escapes))
                value = _repaired(value)
            target[slot] = value
        elif isinstance(value, dict | list | tuple):
            if id(value) in on_path:
                problems.append(_contains_itself(place, name))
                target[slot] = None
                continue
            on_path.add(id(value))
            push(id(value))
            push(_LEAVE)
            copy, children = _empty_copy(value, place, name, problems)
            target[slot] = copy
            for item, key, written in reversed(children):  # reversed: the first is taken first
                push((item, (place, key), copy, key, written))
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not _number_fits(value)
        ):
            whole = isinstance(value, int)
            written = _written(value) if isinstance(value, int) else repr(value)
            problems.append(_bad_number(written, _path(place), name, whole=whole))
            target[slot] = 1
        else:
            target[slot] = value
    return holder[0]


def _empty_copy(
    value: dict[Any, Any] | list[Any] | tuple[Any, ...],
    place: _Place,
    name: str,
    problems: list[Problem],
) -> tuple[dict[str, Any] | list[Any], list[tuple[Any, str | int, str | None]]]:
    """A container for the copy of ``value``, and the items to copy into it.

    Each item comes with its key in the copy and, if its own key cannot be
    encoded, that key: its problem is made when the item is copied, so that
    the problems come in the order of a file.
    """
    if not isinstance(value, dict):
        return [None] * len(value), [(item, index, None) for index, item in enumerate(value)]
    copy: dict[str, Any] = {}
    children: list[tuple[Any, str | int, str | None]] = []
    for key, item in value.items():
        kept = _kept_key(key, place, name, problems)
        if kept is not None:
            copy[kept] = None  # the place, in order; the item's copy follows
            children.append((item, kept, None if kept is key else key))
    return copy, children


def _kept_key(key: Any, place: _Place, name: str, problems: list[Problem]) -> str | None:
    """The key the copy keeps (``None``: left out, with a problem); U+FFFD for a surrogate."""
    if isinstance(key, str):
        return key if _encodes(key) else _repaired(key)
    shown = repr(key) if len(repr(key)) <= 60 else repr(key)[:57] + "..."
    problems.append(
        Problem.create(
            "non-text-key",
            f"the key {shown} is {type_name(key)}, not text: keys must be "
            "text, as in a JSON or YAML file",
            file=name,
            pointer=pointer(_path(place)),
            value=key,
        )
    )
    return None


def _written(value: int) -> str:
    """A whole number as a file would hold it; Python cannot print one of 4,301 digits."""
    if value.bit_length() < 4000:
        return str(value)
    digits = int(value.bit_length() * math.log10(2)) + 1
    return f"of about {digits:,} digits"


def _bad_number(written: str, path: _Path, name: str, *, whole: bool) -> Problem:
    """A number no file can hold exactly: too large a whole number, infinity or NaN."""
    from benchmarkkit._yaml import float_problem_message, whole_number_problem_message

    if written == "nan":
        message = (
            "the value is NaN (not a number), which no JSON or YAML file can hold; give a number"
        )
        return Problem.create("wrong-type", message, file=name, pointer=pointer(path))
    if whole:
        message = whole_number_problem_message(written)
    else:
        message = float_problem_message(written.replace("inf", "infinity"))
    return Problem.create("number-too-large", message, file=name, pointer=pointer(path))


def text_problems(data: Any, name: str, *, escapes: bool = False) -> tuple[Any, list[Problem]]:
    """The problems of what no file can hold, and clean data.

    That is: keys that are not text, text with a lone surrogate, numbers no
    file holds exactly, and a value that contains itself. The data is
    returned unchanged (the same object) when it has none; else a copy
    without those keys, with each lone surrogate replaced by U+FFFD, for the
    later steps to check. The cost is one pass over the data. ``escapes``
    says the data was read from a JSON file, where a lone surrogate is
    written as an escape (the problem then names the escape).
    """
    if _all_clean(data):
        return data, []
    problems: list[Problem] = []
    cleaned = _clean(data, name, problems, escapes=escapes)
    return cleaned, problems


@functools.cache
def _places() -> dict[type, tuple[str, tuple[str | int, ...]]]:
    """Where a value of each class stands in a file: the schema, and the path to it."""
    from benchmarkkit._conditions import CONDITION_KINDS, RuleSpec, ScoringConfig
    from benchmarkkit._model import COLLECTIONS, Dataset, Measurement, Reading
    from benchmarkkit._scales import Level

    places: dict[type, tuple[str, tuple[str | int, ...]]] = {Dataset: ("dataset", ())}
    places.update((cls, ("fragment", (name, 0))) for name, cls in COLLECTIONS.items())
    places.update(
        (cls, ("fragment", ("gates", 0, "condition"))) for cls in CONDITION_KINDS.values()
    )
    places[Measurement] = ("fragment", ("indicators", 0, "baseline"))
    places[Reading] = ("fragment", ("evidence", 0, "readings", 0))
    places[Level] = ("fragment", ("scales", 0, "levels", 0))
    places[ScoringConfig] = ("dataset", ("scoring",))
    places[RuleSpec] = ("dataset", ("scoring", "benchmark_rules", 0))
    return places


def _placed(data: Any, path: tuple[str | int, ...]) -> Any:
    """A document that holds ``data`` at ``path``, and nothing else."""
    for part in reversed(path):
        data = [data] if isinstance(part, int) else {part: data}
    return data


def schema_problems(data: Any, cls: type, name: str) -> list[Problem]:
    """The schema's problems with ``data`` as a value of ``cls``, pointing into ``data``.

    ``data`` is clean (see :func:`text_problems`); ``name`` is the file the problems name.
    """
    from benchmarkkit._schema import TooDeepError, iter_violations
    from benchmarkkit._schema_messages import problems_from_violations

    place = _places().get(cls)
    if place is None:
        return []
    schema, path = place
    document = _placed(data, path)
    try:
        violations = iter_violations(document, schema)
    except TooDeepError:
        return [Problem.create("too-complex", "this value is nested too deep", file=name)]
    inside = [v for v in violations if v.path[: len(path)] == path]
    if not inside:
        return []
    prefix = pointer(path)
    return [
        _relocated(problem, prefix)
        for problem in problems_from_violations(schema, document, inside, name)
    ]


def _relocated(problem: Problem, prefix: str) -> Problem:
    import attrs

    return attrs.evolve(problem, pointer=problem.pointer.removeprefix(prefix))


def structure(data: Any, cls: type[T]) -> T:
    """Build a typed value of ``cls`` from JSON-compatible data, checked as a file is.

    The data is first checked against the schema's definition of ``cls`` (the
    records, their parts, gate conditions, the scoring configuration and the
    dataset itself), then built. Raises :class:`DatasetError` listing every
    problem, each with a JSON pointer into ``data``. A dataset without
    ``schema_version`` is taken to be of the current version, as
    :class:`Dataset` is. The checks across records (references, dates) are
    :func:`validate`'s.

    >>> from benchmarkkit import Actor
    >>> structure({"id": "norhc", "name": "Norwegian Helsinki Committee", "kind": "ngo"}, Actor)
    Actor(id='norhc', name='Norwegian Helsinki Committee', kind=<ActorKind.NGO: 'ngo'>, ...)
    """
    from benchmarkkit._converter import converter
    from benchmarkkit._model import SCHEMA_VERSION, Dataset

    name = "<data>"
    if cls is Dataset and isinstance(data, dict) and "schema_version" not in data:
        data = {"schema_version": SCHEMA_VERSION, **data}
    cleaned, problems = text_problems(data, name)
    problems.extend(schema_problems(cleaned, cls, name))
    if not problems:
        try:
            return converter.structure(cleaned, cls)
        except Exception as error:  # what the schema cannot say: an impossible date, ...
            from benchmarkkit._validate import structuring_problems

            problems.extend(structuring_problems(error, (), cleaned, name))
    report = ValidationReport(path=name, problems=tuple(without_consequences(problems)))
    raise DatasetError(report)
