"""Schema violations rewritten as problems a non-programmer can act on.

A validator says "'x' is a required property"; a researcher needs
"evidence 'ev-3': the required field 'date' is missing: when the event
happened...". The words depend only on the violation and the schema, never
on which validator found it. As in jsonschema itself, each keyword has its
own small function, found in a table (:data:`_KEYWORDS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from benchmarkkit._dates import DATE_PATTERN, nonexistent_date
from benchmarkkit._problems import Problem, pointer, value_at
from benchmarkkit._schema import (
    Violation,
    keyword_schema,
    member_schema,
    required_when,
    value_schema,
)
from benchmarkkit._vocabulary import UPR_POSITIONS, Position
from benchmarkkit._wording import (
    A_RECORD,
    SINGULAR,
    field_name,
    one_of,
    record_label,
    short,
    suggest,
    type_name,
    type_words,
)

__all__ = ["problems_from_violations"]

_RELATIONS = {
    "minimum": "at least",
    "exclusiveMinimum": "more than",
    "maximum": "at most",
    "exclusiveMaximum": "less than",
}


def _description(schema: Mapping[str, Any]) -> str:
    text = str(schema.get("description", "")).strip()
    return text[0].lower() + text[1:].rstrip(".") if text else ""


@attrs.frozen
class _Broken:
    """One violation, with what every wording needs: whose it is and what was found."""

    name: str
    document: Any
    violation: Violation
    label: str  # the record that holds the value, or "this file"
    depth: int  # how many parts of the path lead to that record
    value: Any

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.violation.path

    @property
    def detail(self) -> Any:
        return self.violation.detail

    @property
    def target(self) -> str:
        """The field within the record, quoted, or "the file"."""
        where = field_name(self.path[self.depth :])
        return f"'{where}'" if where else "the file"


def _missing(broken: _Broken) -> str:
    path, violation = broken.path, broken.violation
    field = str(path[-1])
    about = _description(member_schema(broken.name, violation.schema_path, field))
    record = value_at(broken.document, path[:-1])
    present = record if isinstance(record, dict) else ()
    when = required_when(broken.name, violation.schema_path, field, present)
    inside = field_name(path[broken.depth : -1])
    place = f" in '{inside}'" if inside else ""
    return (
        f"{broken.label}: the required field '{field}' is missing{place}"
        f"{f' ({when})' if when else ''}{f'; it holds {about}' if about else ''}"
    )


def _unknown(broken: _Broken) -> str:
    # The schema that refused the key lists the fields: for a condition, those of its kind.
    choices = list(keyword_schema(broken.name, broken.violation.schema_path).get("properties", {}))
    key = str(broken.path[-1])
    if not choices:
        return f"{broken.label}: '{key}' is not a field here"
    return (
        f"{broken.label}: '{key}' is not a field here{suggest(key, choices)}; "
        f"the fields are {', '.join(choices)}"
    )


def _wrong_type(broken: _Broken) -> str:
    detail, value = broken.detail, broken.value
    wanted = [detail] if isinstance(detail, str) else list(detail)
    expected = type_words(wanted)
    found = (
        type_name(value)
        if value is None or isinstance(value, dict | list)
        else f"{type_name(value)} {short(value)}"
    )
    return f"{broken.label}: {broken.target} must be {expected}, found {found}"


#: The words of a vocabulary, and words from outside the format that mean one of them.
_OWN_WORDS: tuple[tuple[frozenset[str], str, Mapping[str, Position]], ...] = (
    (frozenset(str(p) for p in Position), "the UPR's", UPR_POSITIONS),
)


#: Words that turn what follows into its opposite: "not supported" is never "supported".
_NEGATIONS = ("not ", "non ", "non-", "un", "no ")


def _hint(value: str, options: list[str]) -> str:
    """``" (did you mean 'date'?)"``, or what a word from elsewhere is in the format.

    A word that negates (``not-supported``, ``unsupported``) is never offered the
    word it negates: a near spelling is not a near meaning.
    """
    words = _plain(value)
    own = next((entry for entry in _OWN_WORDS if entry[0] == frozenset(options)), None)
    if own is None:
        return suggest(value, options)
    _, whose, meanings = own
    meant = meanings.get(words)
    if meant is not None:
        same = words == str(meant)
        return (
            f" (did you mean {str(meant)!r}?)"
            if same
            else f" ({whose} {words!r} is {str(meant)!r})"
        )
    if words.startswith(_NEGATIONS):  # offer only words that negate too
        return suggest(value, [o for o in options if _plain(o).startswith(_NEGATIONS)])
    return suggest(value, options)


def _plain(word: str) -> str:
    """``not supported``: lower case, hyphens, underscores and runs of spaces as one space."""
    return " ".join(word.replace("-", " ").replace("_", " ").split()).lower()


def _not_a_choice(broken: _Broken) -> str:
    value = broken.value
    options = broken.detail if broken.violation.keyword == "enum" else [broken.detail]
    hint = _hint(value, [str(o) for o in options]) if isinstance(value, str) else ""
    return f"{broken.label}: {broken.target} must be {one_of(options)}, found {short(value)}{hint}"


def _alternatives(broken: _Broken) -> tuple[list[list[str]], list[str]] | None:
    """The fields each alternative of an ``anyOf``/``oneOf`` requires, and those present.

    ``None`` unless every alternative only requires fields: other alternatives
    are worded by :func:`_other`.
    """
    keyword = broken.violation.keyword
    options = keyword_schema(broken.name, broken.violation.schema_path).get(keyword, ())
    if not options or any(set(option) != {"required"} for option in options):
        return None
    needed = [list(option["required"]) for option in options]
    record = broken.value if isinstance(broken.value, dict) else {}
    present = [field for fields in needed for field in fields if field in record]
    return needed, present


def _record_words(field: str) -> tuple[str, str]:
    """What a reference field names, without and with its article: benchmark, a benchmark."""
    collection = field if field in SINGULAR else f"{field}s"
    return SINGULAR.get(collection, field), A_RECORD.get(collection, f"a {field}")


def _either(broken: _Broken) -> str:
    found = _alternatives(broken)
    if found is None:
        return _other(broken)
    needed, present = found
    fields = [field for fields in needed for field in fields]
    named = " or ".join(f"'{field}'" for field in fields)
    if broken.violation.keyword == "anyOf":
        what = " or ".join(_record_words(field)[0] for field in fields)
        return f"{broken.label} must name at least one {what}: add {named}"
    what = " or ".join(_record_words(field)[1] for field in fields)
    if len(present) < 2:
        return f"{broken.label} must name either {what}: add {named}"
    both = " and ".join(f"'{field}'" for field in present)
    return (
        f"{broken.label} must name either {what}, not both: keep one of {both} and remove the other"
    )


def _wrong_format(broken: _Broken) -> str:
    detail, value = broken.detail, broken.value
    if detail == DATE_PATTERN and (why := nonexistent_date(value)):
        return f"{broken.label}: {broken.target} must be a date that exists; {why}"
    about = (
        _description(value_schema(broken.name, broken.violation.schema_path, own=False))
        or f"text matching {detail}"
    )
    return f"{broken.label}: {broken.target} must be {about}; found {short(value)}"


def _out_of_range(broken: _Broken) -> str:
    relation = _RELATIONS[broken.violation.keyword]
    return (
        f"{broken.label}: {broken.target} must be {relation} {broken.detail}, "
        f"found {short(broken.value)}"
    )


def _too_short(broken: _Broken) -> str:
    if broken.detail == 1:
        return f"{broken.label}: {broken.target} must not be empty"
    unit = "characters" if broken.violation.keyword == "minLength" else "items"
    return (
        f"{broken.label}: {broken.target} needs at least {broken.detail} {unit}, "
        f"found {len(broken.value or ())}"
    )


def _too_long(broken: _Broken) -> str:
    unit = "characters" if broken.violation.keyword == "maxLength" else "items"
    return (
        f"{broken.label}: {broken.target} may have at most {broken.detail} {unit}, "
        f"found {len(broken.value or ())}"
    )


def _repeated(broken: _Broken) -> str:
    seen: list[Any] = []
    repeated = None
    for item in broken.value or ():
        if item in seen:
            repeated = item
            break
        seen.append(item)
    return f"{broken.label}: {broken.target} lists {short(repeated)} more than once"


def _other(broken: _Broken) -> str:
    keyword = broken.violation.keyword
    return (
        f"{broken.label}: {broken.target} breaks the format's '{keyword}' rule "
        f"({short(broken.detail)})"
    )


#: Each JSON Schema keyword: the problem code it gives and the function that words it.
_KEYWORDS: Mapping[str, tuple[str, Callable[[_Broken], str]]] = {
    "required": ("missing-field", _missing),
    "additionalProperties": ("unknown-field", _unknown),
    "type": ("wrong-type", _wrong_type),
    "enum": ("invalid-value", _not_a_choice),
    "const": ("invalid-value", _not_a_choice),
    "pattern": ("invalid-format", _wrong_format),
    "format": ("invalid-format", _wrong_format),
    "minimum": ("out-of-range", _out_of_range),
    "maximum": ("out-of-range", _out_of_range),
    "exclusiveMinimum": ("out-of-range", _out_of_range),
    "exclusiveMaximum": ("out-of-range", _out_of_range),
    "minLength": ("wrong-length", _too_short),
    "maxLength": ("wrong-length", _too_long),
    "minItems": ("wrong-length", _too_short),
    "maxItems": ("wrong-length", _too_long),
    "uniqueItems": ("duplicate-item", _repeated),
    "anyOf": ("missing-field", _either),
    "oneOf": ("missing-field", _either),
}
_ALTERNATIVES = ("anyOf", "oneOf")


def _problem(name: str, document: Any, violation: Violation, file: str | None) -> Problem:
    code, wording = _KEYWORDS.get(violation.keyword, ("schema-violation", _other))
    path = violation.path
    label, depth = record_label(document, path)
    if depth == 0 and name in ("fragment", "mapping"):
        label = "this file"  # a fragment holds records, not the dataset's own fields
    value = value_at(document, path)
    broken = _Broken(name, document, violation, label, depth, value)
    code = _code(code, broken)
    if violation.keyword in ("required", *_ALTERNATIVES):
        value = None
    elif violation.keyword == "additionalProperties":
        value = path[-1]
    where = pointer(_pointed_at(broken))
    return Problem.create(code, wording(broken), file=file, pointer=where, value=value)


def _pointed_at(broken: _Broken) -> tuple[str | int, ...]:
    """Where a problem points: of fields that are alternatives, at the one to add or remove.

    As for a missing field, the field to add (the first alternative); of two
    given where one must be, the second.
    """
    found = _alternatives(broken) if broken.violation.keyword in _ALTERNATIVES else None
    if found is None:
        return broken.path
    needed, present = found
    return (*broken.path, present[-1] if len(present) > 1 else needed[0][0])


def _code(code: str, broken: _Broken) -> str:
    """The code of a violation, where what was found says more than the keyword."""
    if broken.violation.keyword in _ALTERNATIVES:
        return _alternatives_code(code, broken)
    if (
        code == "invalid-format"
        and broken.detail == DATE_PATTERN
        and nonexistent_date(broken.value)
    ):
        return "invalid-date"  # written as a date, as the format asks, but not in a calendar
    return code


def _alternatives_code(code: str, broken: _Broken) -> str:
    """Of fields that are alternatives to each other, what giving too few or too many is.

    None given is a missing field, two given where one must be (``oneOf``)
    are conflicting fields; alternatives that are not fields are another rule
    of the format.
    """
    found = _alternatives(broken)
    if found is None:
        return "schema-violation"
    both = broken.violation.keyword == "oneOf" and len(found[1]) > 1
    return "conflicting-fields" if both else code


def problems_from_violations(
    name: str, document: Any, violations: Iterable[Violation], file: str | None
) -> list[Problem]:
    """One problem per violation, worded for people, pointing into ``file``."""
    return [_problem(name, document, violation, file) for violation in violations]
