"""Schema violations rewritten as problems a non-programmer can act on.

A validator says "'x' is a required property"; a researcher needs
"evidence 'ev-3': the required field 'date' is missing: when the event
happened...". The words depend only on the violation and the schema, never
on which validator found it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from benchmarkkit._dates import DATE_PATTERN, nonexistent_date
from benchmarkkit._problems import Problem
from benchmarkkit._schema import Violation, field_schema, required_when
from benchmarkkit._wording import field_name, one_of, record_label, short, suggest, type_name

__all__ = ["pointer", "problems_from_violations"]

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}

_CODES = {
    "required": "missing-field",
    "additionalProperties": "unknown-field",
    "type": "wrong-type",
    "enum": "invalid-value",
    "const": "invalid-value",
    "pattern": "invalid-format",
    "format": "invalid-format",
    "minimum": "out-of-range",
    "maximum": "out-of-range",
    "exclusiveMinimum": "out-of-range",
    "exclusiveMaximum": "out-of-range",
    "minLength": "wrong-length",
    "maxLength": "wrong-length",
    "minItems": "wrong-length",
    "maxItems": "wrong-length",
    "uniqueItems": "duplicate-item",
}


def pointer(path: Sequence[str | int]) -> str:
    """The RFC 6901 JSON pointer of a path."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _value_at(document: Any, path: Sequence[str | int]) -> Any:
    value = document
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):  # noqa: PERF203 - only on the error path
            return None
    return value


def _description(schema: dict[str, Any]) -> str:
    text = str(schema.get("description", "")).strip()
    return text[0].lower() + text[1:].rstrip(".") if text else ""


def _message(  # noqa: PLR0911, PLR0912 - one wording per JSON Schema keyword
    name: str, document: Any, violation: Violation
) -> str:
    path = violation.path
    label, depth = record_label(document, path)
    if depth == 0 and name == "fragment":
        label = "this file"  # a fragment holds records, not the dataset's own fields
    where = field_name(path[depth:])
    value = _value_at(document, path)
    keyword = violation.keyword
    detail = violation.detail
    if keyword == "required":
        parent = path[:-1]
        field = str(path[-1])
        about = _description(dict(field_schema(name, document, path)))
        when = required_when(name, document, parent, field)
        inside = field_name(parent[depth:])
        place = f" in '{inside}'" if inside else ""
        return (
            f"{label}: the required field '{field}' is missing{place}"
            f"{f' ({when})' if when else ''}{f'; it holds {about}' if about else ''}"
        )
    if keyword == "additionalProperties":
        known = field_schema(name, document, path[:-1])
        choices = list(known.get("properties", {}))
        for branch in known.get("allOf", ()):
            choices.extend(branch.get("then", {}).get("properties", {}))
        return (
            f"{label}: '{path[-1]}' is not a field here{suggest(str(path[-1]), choices)}; "
            f"the fields are {', '.join(choices)}"
            if choices
            else f"{label}: '{path[-1]}' is not a field here"
        )
    target = f"'{where}'" if where else "the file"
    if keyword == "type":
        wanted = [detail] if isinstance(detail, str) else list(detail)
        expected = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
        found = (
            type_name(value)
            if value is None or isinstance(value, dict | list)
            else f"{type_name(value)} {short(value)}"
        )
        return f"{label}: {target} must be {expected}, found {found}"
    if keyword in ("enum", "const"):
        options = detail if keyword == "enum" else [detail]
        hint = suggest(value, [str(o) for o in options]) if isinstance(value, str) else ""
        return f"{label}: {target} must be {one_of(options)}, found {short(value)}{hint}"
    if keyword == "pattern" and detail == DATE_PATTERN and (why := nonexistent_date(value)):
        return f"{label}: {target} must be a date that exists; {why}"
    if keyword in ("pattern", "format"):
        about = (
            _description(dict(field_schema(name, document, path, own=False)))
            or f"text matching {detail}"
        )
        return f"{label}: {target} must be {about}; found {short(value)}"
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least",
            "exclusiveMinimum": "more than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[keyword]
        return f"{label}: {target} must be {relation} {detail}, found {short(value)}"
    if keyword in ("minLength", "minItems"):
        if detail == 1:
            return f"{label}: {target} must not be empty"
        unit = "characters" if keyword == "minLength" else "items"
        return f"{label}: {target} needs at least {detail} {unit}, found {len(value or ())}"
    if keyword in ("maxLength", "maxItems"):
        unit = "characters" if keyword == "maxLength" else "items"
        return f"{label}: {target} may have at most {detail} {unit}, found {len(value or ())}"
    if keyword == "uniqueItems":
        seen: list[Any] = []
        repeated = None
        for item in value or ():
            if item in seen:
                repeated = item
                break
            seen.append(item)
        return f"{label}: {target} lists {short(repeated)} more than once"
    return f"{label}: {target} breaks the format's '{keyword}' rule ({short(detail)})"


def problems_from_violations(
    name: str, document: Any, violations: Iterable[Violation], file: str | None
) -> list[Problem]:
    """One problem per violation, worded for people, pointing into ``file``."""
    problems = []
    for violation in violations:
        code = _CODES.get(violation.keyword, "schema-violation")
        value = None if violation.keyword == "required" else _value_at(document, violation.path)
        if (
            code == "invalid-format"
            and violation.detail == DATE_PATTERN
            and nonexistent_date(value)
        ):
            code = "invalid-date"  # written as a date, as the format asks, but not in a calendar
        if violation.keyword == "additionalProperties":
            value = violation.path[-1]
        problems.append(
            Problem.create(
                code,
                _message(name, document, violation),
                file=file,
                pointer=pointer(violation.path),
                value=value,
            )
        )
    return problems
