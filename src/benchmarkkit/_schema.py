"""The bundled JSON Schema files, and validation of documents against them.

The schema files are the published, language-neutral contract. They are
loaded from the installed package into one registry, so that references
between them resolve locally; nothing is ever fetched over the network.

Two validators give the same answers: ``jsonschema-rs`` (fast, the default)
and the pure-Python ``jsonschema`` (the reference). Both stay: the reference
validates what jsonschema-rs cannot describe (a wrong value more than 255
levels deep), ``validate(backend=...)`` offers either, and the tests and the
harness hold the fast one to the reference. Both are reduced to
:class:`Violation` values here, each with the schema location the validator
reported, so that what users read does not depend on which one ran
(``tests/test_schema_backends.py``, ``tests/test_schema_messages.py``).
Messages read the schema at that location, following references with
``referencing``'s registry of the bundled files, as jsonschema does.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from benchmarkkit._errors import UnknownSchemaError
from benchmarkkit._problems import value_at

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

    # referencing is imported when a validator or a message needs it
    from referencing import Registry
    from referencing._core import Resolver  # documented there; not re-exported

__all__ = [
    "BACKENDS",
    "MAX_NESTING",
    "OTHER_SCHEMA_NAMES",
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
#: The schemas of other files, each versioned on its own rather than by the format
#: version: the mapping file of ``benchmarkkit import --mapping`` (its ``mapping_version``).
#: Published once, beside the newest format's files, not in each version's folder.
OTHER_SCHEMA_NAMES = ("mapping",)

Backend = Literal["auto", "fast", "reference"]

#: How many objects and arrays deep rule parameters and gate conditions may nest, the
#: file's own top level included. A dataset needs about ten levels; the reference
#: validator recurses several Python frames per level.
MAX_NESTING = 64


def _package_schemas() -> Traversable:
    """The package's folder of schema files.

    Beside this module when the package is a folder, as installed; through
    :mod:`importlib.resources` otherwise (a zip file, say), whose import costs
    each command about 3 ms of start-up.
    """
    folder = Path(__file__).with_name("schemas")
    if folder.is_dir():
        return folder
    from importlib import resources

    return resources.files("benchmarkkit") / "schemas"


def schema_text(name: str = "dataset") -> str:
    """The text of a schema as published: one standalone file for the document type ``name``.

    Every definition it uses is inside it and every ``$ref`` is local, so any
    validator can use the file alone, with no network; ``benchmarkkit schema``
    prints it and the repository's ``schemas/`` folder holds it.
    """
    if name not in SCHEMA_NAMES and name not in OTHER_SCHEMA_NAMES:
        raise UnknownSchemaError(name, (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES))
    from benchmarkkit._bundle import bundled_text

    return bundled_text(name)


@functools.cache
def _document(name: str) -> Mapping[str, Any]:
    """A schema file of the package, as the library reads it (its references between files)."""
    text = (_package_schemas() / f"{name}.schema.json").read_text(encoding="utf-8")
    result: Mapping[str, Any] = json.loads(text)
    return result


def schema(name: str = "dataset") -> dict[str, Any]:
    """A bundled JSON Schema, as a new dict the caller may change.

    >>> schema("dataset")["$id"]
    'https://schemas.benchmarkkit.org/1.1/dataset.schema.json'
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
    #: Where the keyword is, as the validator reported it: the keywords and names from
    #: the root of the schema, without ``$ref`` steps. Not part of what a violation is:
    #: a mistake two parts of the schema catch is one mistake.
    schema_path: tuple[str | int, ...] = attrs.field(default=(), eq=False)


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

    validator_class: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        jsonschema.Draft202012Validator, {"pattern": _ecma_pattern}
    )
    return validator_class(dict(_document(name)), registry=_registry())


def _missing(instance: Any, required: Any) -> list[str]:
    return [prop for prop in required if isinstance(instance, dict) and prop not in instance]


def _reference_violations(document: Any, name: str) -> Iterator[Violation]:
    for error in _reference_validator(name).iter_errors(document):
        path = tuple(error.absolute_path)
        keyword = str(error.validator)
        instance = error.instance
        at = tuple(error.absolute_schema_path)
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
                    yield Violation((*path, key), "additionalProperties", key, at)
            continue
        else:
            yield Violation(path, keyword, error.validator_value, at)
            continue
        for prop in missing:
            yield Violation((*path, prop), "required", prop, at)


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
        at = tuple(part for part in error.evaluation_path if part != "$ref")  # as jsonschema
        if keyword == "required":
            yield Violation((*path, kind.property), "required", kind.property, at)
        elif keyword == "additionalProperties":
            for key in kind.unexpected:
                yield Violation((*path, key), "additionalProperties", key, at)
        else:
            yield Violation(path, keyword, _fast_detail(kind), at)


def _fast_detail(kind: Any) -> Any:
    for attribute in ("types", "options", "expected_value", "pattern", "limit"):
        if hasattr(kind, attribute):
            value = getattr(kind, attribute)
            return list(value) if attribute in ("types", "options") else value
    return getattr(kind, "value", None)


BACKENDS: tuple[Backend, ...] = ("auto", "fast", "reference")


def check_backend(backend: object) -> None:
    """Raise :class:`ValueError` naming the allowed values unless ``backend`` is one."""
    if backend not in BACKENDS:
        choices = ", ".join(repr(choice) for choice in BACKENDS[:-1])
        raise ValueError(f"backend must be {choices} or {BACKENDS[-1]!r}, not {backend!r}")


def resolve_backend(backend: Backend) -> Literal["fast", "reference"]:
    """The validator that will run for ``backend``; :class:`ValueError` for an unknown one.

    ``auto`` means the fast one unless the environment variable
    ``BENCHMARKKIT_SCHEMA_BACKEND`` says ``reference``.
    """
    check_backend(backend)
    if backend == "auto":
        wanted = os.environ.get("BENCHMARKKIT_SCHEMA_BACKEND", "fast")
        return "reference" if wanted == "reference" else "fast"
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
        Violation(v.path, "type", [f"one of the words {one_of(choices[v.path])}"], v.schema_path)
        if v.keyword == "type" and v.path in mistyped
        else v
        for v in violations
        if not (v.keyword == "enum" and v.path in mistyped)
    ]


def _path_key(path: Sequence[str | int]) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, part) if isinstance(part, int) else (1, part) for part in path)


# -- the schemas a validator applied, from the location it reported ----------------------

#: Keywords followed by a name (a property) or an index (a subschema) in a schema location.
_NAMED = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
_LISTED = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: Keywords whose subschemas apply to a member or an item, not to the value itself.
_INSIDE = frozenset(
    {"properties", "patternProperties", "additionalProperties", "items", "prefixItems"}
)


@attrs.frozen
class _Subschema:
    """A schema within the bundled files, with the resolver for the references in it."""

    contents: Mapping[str, Any]
    resolver: Resolver[Any]

    def child(self, contents: Mapping[str, Any]) -> _Subschema:
        from referencing.jsonschema import DRAFT202012

        resource = DRAFT202012.create_resource(contents)
        return _Subschema(contents, self.resolver.in_subresource(resource))

    def referred(self) -> _Subschema:
        """The schema this one's ``$ref`` leads to, through ``referencing``."""
        found = self.resolver.lookup(str(self.contents["$ref"]))
        return _Subschema(found.contents, found.resolver)

    def resolved(self) -> _Subschema:
        """The schema at the end of this one's chain of ``$ref``, itself if it has none."""
        node, seen = self, {id(self.contents)}
        while "$ref" in node.contents:
            node = node.referred()
            if id(node.contents) in seen:
                break  # a cycle of references, which no bundled schema has
            seen.add(id(node.contents))
        return node

    def merged(self) -> Mapping[str, Any]:
        """This schema's own keys (its description) over those of the schema it refers to."""
        own = {key: value for key, value in self.contents.items() if key != "$ref"}
        return {**self.resolved().contents, **own}


@functools.cache
def _registry() -> Registry[Any]:
    """The bundled schemas by their ``$id``: references resolve here, never over the network."""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    return Registry().with_resources(
        (schema_id(n), DRAFT202012.create_resource(dict(_document(n))))
        for n in (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES)
    )


@functools.lru_cache(maxsize=1024)
def _applied(name: str, schema_path: tuple[str | int, ...]) -> tuple[_Subschema, ...]:
    """The subschemas applied to the value a violation is about, outermost first.

    ``schema_path`` is the location the validator reported: the keywords and
    names from the root of the schema ``name`` to the keyword that failed.
    jsonschema leaves out the ``$ref`` steps (those of jsonschema-rs are
    dropped by :func:`_fast_violations`, so that both report the same), so a
    reference is followed, through ``referencing``, where the next step is not
    in the schema that holds it (or at a ``$ref`` step). The first schema
    returned is the value's own property (or item) schema.
    """
    node = _Subschema(_document(name), _registry().resolver(base_uri=schema_id(name)))
    applied = [node]
    parts = list(schema_path)
    while parts:
        part = parts[0]
        if part == "$ref" or (part not in node.contents and "$ref" in node.contents):
            applied.append(node := node.referred())
            parts = parts[part == "$ref" :]
            continue
        if len(parts) == 1:
            break  # the keyword that failed
        step = 2 if part in _NAMED or part in _LISTED else 1
        node = node.child(value_at(node.contents, parts[:step]))
        del parts[:step]
        applied = [node] if part in _INSIDE else [*applied, node]
    return tuple(applied)


def value_schema(
    name: str, schema_path: Sequence[str | int], *, own: bool = True
) -> Mapping[str, Any]:
    """The schema of the value a violation reported at ``schema_path`` is about, for messages.

    Returns the property's own schema (with its ``description``) merged over
    the schema it refers to, or with ``own=False`` only the schema referred
    to (a date's format rather than what this date means).
    """
    first = _applied(name, tuple(schema_path))[0]
    return first.merged() if own else first.resolved().contents


def member_schema(name: str, schema_path: Sequence[str | int], field: str) -> Mapping[str, Any]:
    """The schema of member ``field`` of the object a violation at ``schema_path`` is about.

    Of the schemas applied to the object, the innermost that names the
    field; an empty mapping if none does.
    """
    for node in reversed(_applied(name, tuple(schema_path))):
        prop = node.contents.get("properties", {}).get(field)
        if prop is not None:
            return node.child(prop).merged()
    return {}


def keyword_schema(name: str, schema_path: Sequence[str | int]) -> Mapping[str, Any]:
    """The schema that holds the keyword a violation reported at ``schema_path`` broke.

    For ``additionalProperties``, the schema whose ``properties`` are the
    fields allowed: those of the condition's own kind, say, not of conditions
    in general.
    """
    return _applied(name, tuple(schema_path))[-1].contents


def required_when(
    name: str, schema_path: Sequence[str | int], field: str, present: Iterable[str] = ()
) -> str | None:
    """For a field the object at ``schema_path`` needs only on a condition, that condition.

    Read where the validator failed: for ``dependentRequired``, the fields of
    ``present`` (those the object has) that need ``field``; for a ``required``
    in the ``then`` of a branch, what the branch's ``if`` asks; ``None`` for a
    field needed whatever the object holds.
    """
    applied = _applied(name, tuple(schema_path))
    if schema_path and schema_path[-1] == "dependentRequired":
        have = frozenset(present)
        needing = [
            f"'{prop}'"
            for prop, needed in applied[-1].contents["dependentRequired"].items()
            if field in needed and prop in have
        ]
        return f"needed together with {' and '.join(needing)}" if needing else None
    branches = [
        outer.contents
        for outer, inner in itertools.pairwise(applied)
        if outer.contents.get("then") is inner.contents
    ]
    if not branches:
        return None
    condition = branches[-1].get("if", {}).get("properties", {})
    words = " and ".join(f"{key} is '{rule.get('const')}'" for key, rule in condition.items())
    return f"needed when {words}"
