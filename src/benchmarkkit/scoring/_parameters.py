"""Rule parameters in plain words: what is wrong with them, and what a rule takes."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Mapping
from typing import Any

import jsonschema

from benchmarkkit._wording import type_words
from benchmarkkit.scoring._numbers import fmt

__all__ = ["describe_parameters", "non_finite", "plain_message"]

_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
}


def _name(path: tuple[str | int, ...]) -> str:
    return "/".join(str(part) for part in path)


def _number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt(float(value)) if math.isfinite(value) else str(value)
    return repr(value)


def _found(value: object) -> str:
    """Say what a value is, as a message quotes it."""
    if isinstance(value, bool) or value is None:
        return "null" if value is None else str(value).lower()
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    return "a list" if isinstance(value, list | tuple) else type(value).__name__


def _types(expected: object) -> str:
    names: list[object] = (
        [expected]
        if isinstance(expected, str)
        else list(expected)
        if isinstance(expected, list)
        else []
    )
    return type_words(names)


def non_finite(
    value: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Find numbers that are not finite (``inf``, ``nan``): no scorecard may hold them."""
    if isinstance(value, float) and not math.isfinite(value):
        yield path, f"the parameter {_name(path)!r} must be a finite number, not {value!r}"
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from non_finite(item, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from non_finite(item, (*path, index))


def _unknown_names(error: jsonschema.ValidationError, kind: str, rule: str) -> str:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    schema: Any = error.schema
    known = [str(name) for name in dict(schema).get("properties", {})]
    extra = [str(name) for name in instance if str(name) not in known]
    path = tuple(error.absolute_path)
    where = f"the parameter {_name(path)!r} has no entry" if path else "there is no parameter"
    parts = []
    for name in extra:
        text = f"{where} {name!r}"
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            text += f"; did you mean {close[0]!r}?"
        parts.append(text)
    takes = (
        f"It takes: {', '.join(known)}"
        if known
        else f"The {kind} {rule!r} takes no parameters"
        if not path
        else "It takes no entries"
    )
    separator = " " if parts and parts[-1].endswith("?") else ". "
    return f"{'; '.join(parts)}{separator}{takes}"


def plain_message(error: jsonschema.ValidationError, kind: str, rule: str) -> str:
    """Rewrite a JSON Schema error about a rule's parameters in plain words that name it."""
    path = tuple(error.absolute_path)
    subject = f"the parameter {_name(path)!r}" if path else "the parameters"
    validator = str(error.validator)
    expected: Any = error.validator_value
    if validator == "additionalProperties":
        return _unknown_names(error, kind, rule)
    if validator == "type":
        return f"{subject} must be {_types(expected)}, not {_found(error.instance)}"
    if validator in _BOUNDS:
        return (
            f"{subject} must be {_BOUNDS[validator]} {_number(expected)}, "
            f"not {_found(error.instance)}"
        )
    if validator == "enum":
        allowed = [str(item) for item in expected]
        text = f"{subject} must be one of {', '.join(allowed)}; not {_found(error.instance)}"
        close = difflib.get_close_matches(str(error.instance), allowed, n=1)
        return f"{text}; did you mean {close[0]!r}?" if close else text
    if validator == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        missing = [str(name) for name in expected if name not in instance]
        return f"the {kind} {rule!r} needs the parameter {', '.join(map(repr, missing))}"
    return f"{subject}: {error.message}"


def _bounds(schema: Mapping[str, Any]) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f"{_number(low)} to {_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"at least {_number(low)}")
    if schema.get("exclusiveMinimum") is not None:
        parts.append(f"above {_number(schema['exclusiveMinimum'])}")
    if high is not None:
        parts.append(f"at most {_number(high)}")
    if schema.get("exclusiveMaximum") is not None:
        parts.append(f"below {_number(schema['exclusiveMaximum'])}")
    return ", ".join(parts) or None


def describe_parameters(schema: Mapping[str, Any] | None) -> tuple[str, ...]:
    """One line per parameter a schema names: ``name (type, bounds; default D): description``."""
    if schema is None:
        return ("(any parameters: the rule gives no parameter schema)",)
    properties: Mapping[str, Any] = schema.get("properties", {})
    if not properties:
        return ("(no parameters)",)
    lines = []
    for name, spec in properties.items():
        facts = [_types(spec.get("type")).removeprefix("a ").removeprefix("an ") or "any value"]
        bounds = _bounds(spec)
        if bounds:
            facts.append(bounds)
        if "enum" in spec:
            facts.append(f"one of {', '.join(str(v) for v in spec['enum'])}")
        about = ", ".join(facts)
        if "default" in spec:
            about += f"; default {_found(spec['default'])}"
        description = str(spec.get("description", "")).strip()
        lines.append(f"{name} ({about})" + (f": {description}" if description else ""))
    return tuple(lines)
