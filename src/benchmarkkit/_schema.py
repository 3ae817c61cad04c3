"""The bundled JSON Schema files, and validation of documents against them.

The schema files are the published, language-neutral contract. They are
loaded from the installed package into one registry, so that references
between them resolve locally; nothing is ever fetched over the network.

Two validators give the same answers: the pure-Python ``jsonschema`` (the
reference) and ``jsonschema-rs`` (fast, used when installed). Both are
reduced to :class:`Violation` values here, so that what users read does not
depend on which one ran; ``tests/test_schema_backends.py`` holds them to it.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import Any, Literal

import attrs

from benchmarkkit._errors import UnknownSchemaError

__all__ = [
    "BACKENDS",
    "MAX_NESTING",
    "SCHEMA_NAMES",
    "Backend",
    "TooDeepError",
    "Violation",
    "check_backend",
    "iter_violations",
    "schema",
    "schema_id",
    "schema_text",
]

#: The bundled schemas, by name. ``dataset`` is a whole dataset or a folder's
#: manifest, ``fragment`` another file of a folder dataset, ``definitions``
#: the records both use.
SCHEMA_NAMES = ("dataset", "fragment", "definitions", "validation-report", "scorecard")

Backend = Literal["auto", "fast", "reference"]

#: How many objects and arrays deep rule parameters and gate conditions may nest, the
#: file's own top level included. A dataset needs about ten levels; the reference
#: validator recurses several Python frames per level.
MAX_NESTING = 64

_PACKAGE_SCHEMAS = resources.files("benchmarkkit") / "schemas"


def schema_text(name: str = "dataset") -> str:
    """The text of a bundled schema file, exactly as shipped."""
    if name not in SCHEMA_NAMES:
        raise UnknownSchemaError(name, SCHEMA_NAMES)
    return (_PACKAGE_SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")


@functools.cache
def _document(name: str) -> Mapping[str, Any]:
    result: Mapping[str, Any] = json.loads(schema_text(name))
    return result


def schema(name: str = "dataset") -> dict[str, Any]:
    """A bundled JSON Schema, as a new dict the caller may change.

    >>> schema("dataset")["$id"]
    'https://schemas.benchmarkkit.org/1.0/dataset.schema.json'
    """
    return copy.deepcopy(dict(_document(name)))


def schema_id(name: str = "dataset") -> str:
    """The ``$id`` of a bundled schema; it carries the format version."""
    return str(_document(name)["$id"])


@attrs.frozen
class Violation:
    """One way a document breaks its schema, reduced to what messages need.

    ``path`` leads from the document's root to the offending value (for an
    unknown or missing field, to that field). ``keyword`` is the JSON Schema
    keyword that failed; ``detail`` its keyword-specific value: the allowed
    types, values, limit or pattern.
    """

    path: tuple[str | int, ...]
    keyword: str
    detail: Any = attrs.field(eq=False)


# -- the reference validator (jsonschema) -------------------------------------------------


def python_regex(pattern: str) -> re.Pattern[str]:
    r"""An ECMA-262 ``pattern`` of a schema as a Python regex that matches the same strings.

    JSON Schema patterns are ECMA-262 regexes, where ``$`` (without the ``m``
    flag) matches only at the very end; Python's ``$`` also matches before a
    final newline, so that ``"ds-1\n"`` would pass ``^[a-z0-9-]+$``. Each
    ``$`` outside a character class becomes ``\Z``. The patterns of the
    bundled schemas use nothing else that the two read differently.
    """
    return _python_regex(pattern)


@functools.cache
def _python_regex(pattern: str) -> re.Pattern[str]:
    out = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return re.compile("".join(out))


def _ecma_pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    """The ``pattern`` keyword as JSON Schema (ECMA-262) means it, for the reference validator."""
    import jsonschema

    if validator.is_type(instance, "string") and not python_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _reference_validator(name: str) -> Any:
    import jsonschema
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (str(_document(n)["$id"]), Resource.from_contents(dict(_document(n)))) for n in SCHEMA_NAMES
    )
    validator_class: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
    )
    return validator_class(dict(_document(name)), registry=registry)


def _missing(instance: Any, required: Any) -> list[str]:
    return [prop for prop in required if isinstance(instance, dict) and prop not in instance]


def _reference_violations(document: Any, name: str) -> Iterator[Violation]:
    for error in _reference_validator(name).iter_errors(document):
        path = tuple(error.absolute_path)
        keyword = str(error.validator)
        instance = error.instance
        if keyword == "required":
            missing = _missing(instance, error.validator_value)
        elif keyword == "dependentRequired":
            missing = [
                other
                for prop, needed in error.validator_value.items()
                if isinstance(instance, dict) and prop in instance
                for other in _missing(instance, needed)
            ]
        elif keyword == "additionalProperties":
            known = error.schema.get("properties", {})
            for key in instance:
                if key not in known:
                    yield Violation((*path, key), "additionalProperties", key)
            continue
        else:
            yield Violation(path, keyword, error.validator_value)
            continue
        for prop in missing:
            yield Violation((*path, prop), "required", prop)


# -- the fast validator (jsonschema-rs) ---------------------------------------------------


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"benchmarkkit never fetches schemas; {uri!r} is not bundled")


@functools.cache
def _fast_validator(name: str) -> Any:
    import jsonschema_rs

    registry = jsonschema_rs.Registry(
        [(str(_document(n)["$id"]), dict(_document(n))) for n in SCHEMA_NAMES],
        retriever=_refuse_retrieval,
    )
    return jsonschema_rs.validator_for(
        dict(_document(name)), registry=registry, retriever=_refuse_retrieval
    )


def _fast_violations(document: Any, name: str) -> Iterator[Violation]:
    for error in _fast_validator(name).iter_errors(document):
        path = tuple(error.instance_path)
        kind = error.kind
        keyword = kind.name
        if keyword == "required":
            yield Violation((*path, kind.property), "required", kind.property)
        elif keyword == "additionalProperties":
            for key in kind.unexpected:
                yield Violation((*path, key), "additionalProperties", key)
        else:
            yield Violation(path, keyword, _fast_detail(kind))


def _fast_detail(kind: Any) -> Any:
    for attribute in ("types", "options", "expected_value", "pattern", "limit"):
        if hasattr(kind, attribute):
            value = getattr(kind, attribute)
            return list(value) if attribute in ("types", "options") else value
    return getattr(kind, "value", None)


@functools.cache
def fast_backend_available() -> bool:
    """Whether jsonschema-rs is installed and usable."""
    try:
        import jsonschema_rs  # noqa: F401 - only whether it imports
    except ImportError:  # pragma: no cover - jsonschema-rs is a dependency
        return False
    return True


BACKENDS: tuple[Backend, ...] = ("auto", "fast", "reference")


def check_backend(backend: object) -> None:
    """Raise :class:`ValueError` naming the allowed values unless ``backend`` is one."""
    if backend not in BACKENDS:
        choices = ", ".join(repr(choice) for choice in BACKENDS[:-1])
        raise ValueError(f"backend must be {choices} or {BACKENDS[-1]!r}, not {backend!r}")


def resolve_backend(backend: Backend) -> Literal["fast", "reference"]:
    """The validator that will run for ``backend``; :class:`ValueError` for an unknown one.

    ``auto`` means the fast one unless it is not installed or the
    environment variable ``BENCHMARKKIT_SCHEMA_BACKEND`` says ``reference``.
    """
    check_backend(backend)
    if backend == "auto":
        wanted = os.environ.get("BENCHMARKKIT_SCHEMA_BACKEND", "fast")
        if wanted == "reference" or not fast_backend_available():
            return "reference"
        return "fast"
    return backend


class TooDeepError(ValueError):
    """A document nests too deep to validate. ``path`` leads to the first value too deep."""

    def __init__(self, path: tuple[str | int, ...]) -> None:
        super().__init__("nested too deep to validate")
        self.path = path


def too_deep(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """The path of the first value deeper than :data:`MAX_NESTING`, or ``None``.

    ``path`` is where ``value`` stands in its document (its length is its depth).
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            children: Any = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            continue
        if len(path) >= MAX_NESTING:
            return path
        stack.extend(
            (child, (*path, key))
            for key, child in reversed(list(children))
            if isinstance(child, dict | list)
        )
    return None


#: The only fields where a valid document may nest without a bound: rule parameters
#: (any object) and gate conditions (conditions of conditions).
_UNBOUNDED_FIELDS = ("scoring", "gates")


def iter_violations(document: Any, name: str, backend: Backend = "auto") -> list[Violation]:
    """Every way ``document`` breaks the schema ``name``, in document order, each once.

    Raises :class:`TooDeepError`, whichever the backend, for rule parameters
    or gate conditions nested deeper than :data:`MAX_NESTING`, and for a
    document too deep for the reference validator (about 900 levels; only
    an invalid document nests that deep anywhere else). A document that
    jsonschema-rs cannot take (it cannot describe a wrong value more than 255
    levels deep) is left to the reference validator, which finds the same
    problems.
    """
    if isinstance(document, dict):
        for field in _UNBOUNDED_FIELDS:
            path = too_deep(document.get(field), (field,))
            if path is not None:
                raise TooDeepError(path)
    if resolve_backend(backend) == "fast":
        try:
            unique = dict.fromkeys(_fast_violations(document, name))
        except ValueError:
            return iter_violations(document, name, "reference")
    else:
        try:
            unique = dict.fromkeys(_reference_violations(document, name))
        except RecursionError:
            raise TooDeepError(too_deep(document) or ()) from None
    return sorted(_one_per_mistake(unique), key=lambda v: (_path_key(v.path), v.keyword))


def _one_per_mistake(violations: Iterable[Violation]) -> list[Violation]:
    """The violations, with a value of the wrong type that is also not one of the words once.

    ``kind: [ngo]`` breaks both ``type`` (a list, not text) and ``enum``: one
    mistake, told once, as a ``type`` violation whose expected "type" names
    the words (``one of the words 'state', ... or 'other'``).
    """
    violations = list(violations)
    choices = {
        v.path: v.detail
        for v in violations
        if v.keyword == "enum"
        and isinstance(v.detail, list | tuple)
        and all(isinstance(o, str) for o in v.detail)
    }
    if not choices:
        return violations
    mistyped = {
        v.path
        for v in violations
        if v.keyword == "type" and v.path in choices and v.detail in ("string", ["string"])
    }
    if not mistyped:
        return violations
    from benchmarkkit._wording import one_of

    return [
        Violation(v.path, "type", [f"one of the words {one_of(choices[v.path])}"])
        if v.keyword == "type" and v.path in mistyped
        else v
        for v in violations
        if not (v.keyword == "enum" and v.path in mistyped)
    ]


def _path_key(path: Sequence[str | int]) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in path)


# -- walking the schema alongside a document ----------------------------------------------


def _resolve(subschema: Mapping[str, Any], base: str) -> tuple[Mapping[str, Any], str]:
    """Follow ``$ref`` within the bundled schemas."""
    seen = 0
    while "$ref" in subschema and seen < 20:
        ref = str(subschema["$ref"])
        target, _, fragment = ref.partition("#")
        if target:
            base = next(n for n in SCHEMA_NAMES if schema_id(n).endswith("/" + target))
        node: Any = _document(base)
        for part in fragment.split("/")[1:]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        subschema = node
        seen += 1
    return subschema, base


def _branches(subschema: Mapping[str, Any], base: str, instance: Any) -> list[Mapping[str, Any]]:
    """The schema and the ``then`` branches whose ``if`` on ``kind`` the instance meets."""
    found = [subschema]
    for part in subschema.get("allOf", []):
        condition = part.get("if", {}).get("properties", {})
        if (
            "then" in part
            and isinstance(instance, dict)
            and all(instance.get(key) == rule.get("const") for key, rule in condition.items())
        ):
            then, _ = _resolve(part["then"], base)
            found.append(then)
            found.extend(then.get("allOf", []))
    return found


def _locate_schema(
    name: str, document: Any, path: Sequence[str | int]
) -> tuple[Mapping[str, Any], Mapping[str, Any], str]:
    """The property schema at ``path``, the schema it refers to, and that schema's file."""
    current: Mapping[str, Any] = _document(name)
    base = name
    instance = document
    for part in path:
        resolved, base = _resolve(current, base)
        nxt: Mapping[str, Any] | None = None
        for branch in _branches(resolved, base, instance):
            if isinstance(part, int) and "items" in branch:
                nxt = branch["items"]
            elif isinstance(part, str) and part in branch.get("properties", {}):
                nxt = branch["properties"][part]
        if nxt is None:
            return {}, {}, base
        current = nxt
        try:
            instance = instance[part]
        except (KeyError, IndexError, TypeError):
            instance = None
    resolved, base = _resolve(current, base)
    return current, resolved, base


def field_schema(
    name: str, document: Any, path: Sequence[str | int], *, own: bool = True
) -> Mapping[str, Any]:
    """The schema of the value at ``path`` in ``document``, for messages.

    Returns the property's own schema (with its ``description``) merged over
    the schema it refers to, or with ``own=False`` only the schema referred
    to (a date's format rather than what this date means); an empty mapping
    where the path leaves the schema.
    """
    current, resolved, _base = _locate_schema(name, document, path)
    if not own:
        return resolved
    return {**resolved, **{k: v for k, v in current.items() if k != "$ref"}}


def required_when(name: str, document: Any, path: Sequence[str | int], field: str) -> str | None:
    """For a field required only conditionally, the condition in words."""
    _current, parent, base = _locate_schema(name, document, path)
    if field in parent.get("required", ()):
        return None
    for prop, needed in parent.get("dependentRequired", {}).items():
        if field in needed:
            return f"needed together with '{prop}'"
    for part in parent.get("allOf", ()):
        then, _ = _resolve(part.get("then", {}), base)
        if field in then.get("required", ()):
            condition = part.get("if", {}).get("properties", {})
            words = " and ".join(
                f"{key} is '{rule.get('const')}'" for key, rule in condition.items()
            )
            return f"needed when {words}"
    return None
