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

import math
from typing import Any, TypeVar

from benchmarkkit._errors import DatasetError
from benchmarkkit._problems import Problem, ValidationReport
from benchmarkkit._wording import short, type_name
from benchmarkkit._yaml import LARGEST_WHOLE_NUMBER, SMALLEST_WHOLE_NUMBER

__all__ = ["structure", "text_problems"]

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
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        pass
    else:
        try:
            written = orjson.dumps(data)
        except (TypeError, ValueError):
            pass
        else:
            if b"null" not in written:
                return True
    return _walk_clean(data)


def _walk_clean(data: Any) -> bool:
    """:func:`_all_clean`, in Python."""
    stack = [data]
    pop, extend = stack.pop, stack.extend
    while stack:
        value = pop()
        kind = type(value)
        if kind is str:
            if not _encodes(value):
                return False
        elif kind is dict:
            for key in value:
                if type(key) is not str or not _encodes(key):
                    return False
            extend(value.values())
        elif kind is list or kind is tuple:
            extend(value)
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


def _pointer(path: _Path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _surrogates(text: str) -> str:
    """The first character of ``text`` that cannot be encoded, as U+XXXX."""
    for char in text:
        if 0xD800 <= ord(char) <= 0xDFFF:
            return f"U+{ord(char):04X}"
    return "a character"  # pragma: no cover - only surrogates fail to encode as UTF-8


def _bad_text(text: str, path: _Path, what: str, name: str) -> Problem:
    return Problem.create(
        "invalid-text",
        f"{what} {short(text)} holds "
        f"{_surrogates(text)}, a lone surrogate: half of a character that no file can hold, "
        "so the dataset could not be saved",
        file=name,
        pointer=_pointer(path),
    )


def _repaired(text: str) -> str:
    return text.encode("utf-8", "replace").decode("utf-8")


def _clean(value: Any, path: _Path, name: str, problems: list[Problem]) -> Any:
    """A copy of ``value`` with the keys that are not text left out, and surrogates replaced."""
    if isinstance(value, str):
        if _encodes(value):
            return value
        problems.append(_bad_text(value, path, "the text", name))
        return _repaired(value)
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if not isinstance(key, str):
                shown = repr(key) if len(repr(key)) <= 60 else repr(key)[:57] + "..."
                problems.append(
                    Problem.create(
                        "non-text-key",
                        f"the key {shown} is {type_name(key)}, not text: keys must be "
                        "text, as in a JSON or YAML file",
                        file=name,
                        pointer=_pointer(path),
                        value=key,
                    )
                )
                continue
            if not _encodes(key):
                problems.append(_bad_text(key, (*path, key), "the key", name))
                key = _repaired(key)  # noqa: PLW2901 - the key the schema sees instead
            kept[key] = _clean(item, (*path, key), name, problems)
        return kept
    if isinstance(value, list | tuple):
        return [_clean(item, (*path, index), name, problems) for index, item in enumerate(value)]
    if isinstance(value, int | float) and not isinstance(value, bool) and not _number_fits(value):
        # Reported here; the schema sees 1 in its place, a number that fits, so that it does
        # not report the same value again in other words.
        whole = isinstance(value, int)
        written = _written(value) if isinstance(value, int) else repr(value)
        problems.append(_bad_number(written, path, name, whole=whole))
        return 1
    return value


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
        return Problem.create("wrong-type", message, file=name, pointer=_pointer(path))
    if whole:
        message = whole_number_problem_message(written)
    else:
        message = float_problem_message(written.replace("inf", "infinity"))
    return Problem.create("number-too-large", message, file=name, pointer=_pointer(path))


def text_problems(data: Any, name: str) -> tuple[Any, list[Problem]]:
    """The problems of keys that are not text and text no file can hold, and clean data.

    The data is returned unchanged (the same object) when it has none; else
    a copy without those keys and with each lone surrogate replaced by U+FFFD,
    for the later steps to check. The cost is one pass over the data.
    """
    if _all_clean(data):
        return data, []
    problems: list[Problem] = []
    cleaned = _clean(data, (), name, problems)
    return cleaned, problems


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


def _schema_problems(data: Any, cls: type, name: str) -> list[Problem]:
    """The schema's problems with ``data`` as a value of ``cls``, pointing into ``data``."""
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
    prefix = _pointer(path)
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
    problems.extend(_schema_problems(cleaned, cls, name))
    if not problems:
        try:
            return converter.structure(cleaned, cls)
        except Exception as error:  # what the schema cannot say: an impossible date, ...
            from benchmarkkit._validate import structuring_problems

            problems.extend(structuring_problems(error, (), cleaned, name))
    raise DatasetError(ValidationReport(path=name, problems=tuple(problems)))
