"""Schema problems in words: found from where each validator says the schema failed.

The words are pinned here for the problems whose wording reads the schema
(what a missing field holds, when it is needed, which fields there are, what a
format means), and both validators must report the same schema location for
every violation, since the words are taken from there.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from benchmarkkit import _schema, _schema_messages, validate
from benchmarkkit._codes import CODES
from benchmarkkit._problems import pointer
from benchmarkkit._schema import (
    SCHEMA_NAMES,
    Backend,
    iter_violations,
    member_schema,
    required_when,
    schema,
    schema_id,
    value_schema,
)
from benchmarkkit._schema_messages import problems_from_violations
from benchmarkkit.cli import main
from tests.test_schema_agreement import mutated_documents

SRC = Path(__file__).resolve().parents[1] / "src" / "benchmarkkit"

_BASE: dict[str, Any] = {"schema_version": "1.0", "id": "ds", "title": "T"}
_GATE = {
    "id": "g1",
    "title": "G",
    "condition": {
        "kind": "all-of",
        "conditions": [
            {"kind": "benchmark", "benchmark": "b1", "bogus": 1},
            {"kind": "at-least", "conditions": [{"kind": "area", "area": "a"}]},
        ],
    },
}


def _words(document: dict[str, Any], backend: str, name: str = "dataset") -> list[tuple[str, ...]]:
    violations = iter_violations(document, name, backend)  # type: ignore[arg-type]
    return [
        (p.code, p.pointer, p.message)
        for p in problems_from_violations(name, document, violations, "f.json")
    ]


# One mistake of each of three kinds whose words read the schema where the validator
# failed: the fields of the condition's own kind, the kind of the condition that needs
# 'conditions', and the field present that needs 'source'.
_MISTAKES_YAML = """\
schema_version: "1.0"
id: ds
title: T
commitments:
  - id: c
    title: T
    actor: a
    locator: p. 2
gates:
  - id: g1
    title: G
    condition:
      kind: all-of
      conditions:
        - kind: benchmark
          benchmark: b1
          minimum_scor: 0.5
        - kind: any-of
          label: x
        - kind: at-least
          count: 1
"""

_MISTAKES = [
    (
        "missing-field",
        5,
        5,
        (
            "commitment 'c': the required field 'source' is missing (needed together with "
            "'locator'); it holds the source that reports the promise (the id of a source)"
        ),
    ),
    (
        "unknown-field",
        17,
        11,
        (
            "gate 'g1': 'minimum_scor' is not a field here (did you mean 'minimum_score'?); "
            "the fields are kind, benchmark, minimum_score, scale, minimum_level, label"
        ),
    ),
    (
        "missing-field",
        18,
        11,
        (
            "gate 'g1': the required field 'conditions' is missing in 'condition.conditions[1]' "
            "(needed when kind is 'any-of'); it holds the conditions of which one must hold"
        ),
    ),
    (
        "missing-field",
        20,
        11,
        (
            "gate 'g1': the required field 'conditions' is missing in 'condition.conditions[2]' "
            "(needed when kind is 'at-least'); it holds the conditions to count"
        ),
    ),
]


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_the_command_line_words_each_mistake_from_the_schema_where_it_failed(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "some.yaml").write_text(_MISTAKES_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BENCHMARKKIT_SCHEMA_BACKEND", backend)
    status = main(["validate", "some.yaml"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if not line.startswith(" ")]
    assert lines == [
        *(
            f"some.yaml:{line}:{column}: {code} {message}"
            for code, line, column, message in _MISTAKES
        ),
        "some.yaml: invalid: 4 errors, 0 warnings",
    ]
    assert status == 1


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_validate_words_each_mistake_from_the_schema_where_it_failed(
    backend: Backend, tmp_path: Path
) -> None:
    path = tmp_path / "some.yaml"
    path.write_text(_MISTAKES_YAML, encoding="utf-8")
    report = validate(path, backend=backend)
    assert [(p.code, p.line, p.column, p.message) for p in report.problems] == _MISTAKES
    assert {p.file for p in report.problems} == {str(path)}


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_a_field_needed_by_a_conditions_kind_says_which_kind_and_what_it_holds(
    backend: str,
) -> None:
    words = _words({**_BASE, "gates": [_GATE]}, backend)
    assert words == [
        (
            "unknown-field",
            "/gates/0/condition/conditions/0/bogus",
            (
                "gate 'g1': 'bogus' is not a field here; the fields are kind, benchmark, "
                "minimum_score, scale, minimum_level, label"
            ),
        ),
        (
            "missing-field",
            "/gates/0/condition/conditions/1/conditions/0/minimum_score",
            (
                "gate 'g1': the required field 'minimum_score' is missing in "
                "'condition.conditions[1].conditions[0]' (needed when kind is 'area'); "
                "it holds the lowest score, in [0, 1], at which the condition holds"
            ),
        ),
        (
            "missing-field",
            "/gates/0/condition/conditions/1/count",
            (
                "gate 'g1': the required field 'count' is missing in 'condition.conditions[1]' "
                "(needed when kind is 'at-least'); it holds how many of the conditions must hold"
            ),
        ),
    ]


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_a_field_needed_with_another_and_a_date_that_breaks_the_format(backend: str) -> None:
    commitment = {"id": "c", "title": "T", "actor": "a", "quote": "q", "date": "2012-3"}
    words = _words({**_BASE, "commitments": [commitment]}, backend)
    assert words == [
        (
            "invalid-format",
            "/commitments/0/date",
            (
                "commitment 'c': 'date' must be a date written YYYY, YYYY-MM or YYYY-MM-DD, "
                "such as 2012, 2012-03 or 2012-03-20, from the year 1000 on. A partial date "
                "stands for its whole period; found '2012-3'"
            ),
        ),
        (
            "missing-field",
            "/commitments/0/source",
            (
                "commitment 'c': the required field 'source' is missing "
                "(needed together with 'quote'); it holds the source that reports the promise "
                "(the id of a source)"
            ),
        ),
    ]


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_a_field_needed_by_two_fields_present_names_both_once(backend: str) -> None:
    commitment = {"id": "c", "title": "T", "actor": "a", "locator": "p. 2", "quote": "q"}
    words = _words({**_BASE, "commitments": [commitment]}, backend)
    assert words == [
        (
            "missing-field",
            "/commitments/0/source",
            (
                "commitment 'c': the required field 'source' is missing (needed together with "
                "'quote' and 'locator'); it holds the source that reports the promise "
                "(the id of a source)"
            ),
        ),
    ]


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_an_unknown_field_lists_the_fields_of_the_record_and_suggests_one(backend: str) -> None:
    indicator = {"id": "i", "benchmark": "b", "title": "T", "kind": "numeric", "units": "%"}
    words = _words({**_BASE, "indicators": [indicator]}, backend)
    assert words == [
        (
            "missing-field",
            "/indicators/0/direction",
            (
                "indicator 'i': the required field 'direction' is missing (needed when kind is "
                "'numeric'); it holds which way a numeric or ordinal indicator improves"
            ),
        ),
        (
            "missing-field",
            "/indicators/0/unit",
            (
                "indicator 'i': the required field 'unit' is missing (needed when kind is "
                '\'numeric\'); it holds the unit of a numeric indicator, such as "persons" or "%"'
            ),
        ),
        (
            "unknown-field",
            "/indicators/0/units",
            (
                "indicator 'i': 'units' is not a field here (did you mean 'unit'?); the fields are "
                "id, benchmark, title, kind, unit, direction, levels, baseline, target, weight, "
                "description"
            ),
        ),
    ]


# -- the same families of words, for every place of the schema that has them ------------


@attrs.frozen
class _Place:
    """An object schema the document ``name`` reaches, where, and what reaching it takes.

    ``fixed`` are the values (such as a condition's ``kind``) that the objects
    on the way, this one included, need for the schema to apply; ``when`` the
    values this one needs (the ``if`` of the branch it is the ``then`` of).
    """

    name: str
    path: tuple[str | int, ...]
    schema: Mapping[str, Any]
    fixed: tuple[tuple[tuple[str | int, ...], str, Any], ...] = ()
    when: Mapping[str, Any] = attrs.field(factory=dict)
    #: For a ``then`` branch: the fields the object needs whatever it holds.
    always: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        when = "".join(f"[{key}={value}]" for key, value in self.when.items())
        return f"{self.name}:{pointer(self.path) or '/'}{when}"

    def document(self, record: dict[str, Any]) -> Any:
        """A document with ``record`` (and what the way needs) here, and nothing else."""
        holder: dict[str, Any] = {"": None}
        _put(holder, ("", *self.path), {**self._fixed_at(self.path), **record})
        for at, key, value in self.fixed:
            if at != self.path:
                _put(holder, ("", *at, key), value)
        return holder[""]

    def _fixed_at(self, path: tuple[str | int, ...]) -> dict[str, Any]:
        return {key: value for at, key, value in self.fixed if at == path}


def _put(document: Any, path: tuple[str | int, ...], value: Any) -> None:
    """Put ``value`` at ``path``, making the objects and arrays on the way that are missing."""
    *way, last = path
    for part, after in zip(way, path[1:], strict=True):
        if isinstance(document, dict) and document.get(part) is None:
            document[part] = [] if isinstance(after, int) else {}
        elif isinstance(document, list) and len(document) <= int(part):
            document.append([] if isinstance(after, int) else {})
        document = document[part]
    if isinstance(document, list):
        document.append(value)
    else:
        document[last] = value


def _places(name: str) -> list[_Place]:
    """Every object schema (and ``if``/``then`` branch) a document ``name`` reaches, once.

    Read with ``referencing`` from the bundled schemas themselves, nearest first,
    so that each record type, condition kind and branch is found where a file holds it.
    """
    registry: Registry[Any] = Registry().with_resources(
        (schema_id(n), DRAFT202012.create_resource(schema(n))) for n in SCHEMA_NAMES
    )
    queue = deque([(_place := _Place(name, (), schema(name)), registry.resolver(schema_id(name)))])
    seen: set[int] = set()
    places: list[_Place] = []
    while queue:
        place, resolver = queue.popleft()
        node = place.schema
        while "$ref" in node:
            found = resolver.lookup(node["$ref"])
            node, resolver = found.contents, found.resolver
        if id(node) in seen:
            continue
        seen.add(id(node))
        place = attrs.evolve(place, schema=node)
        places.append(place)
        for key, sub in node.get("properties", {}).items():
            queue.append((_Place(name, (*place.path, key), sub, place.fixed), resolver))
        if isinstance(node.get("items"), dict):
            queue.append((_Place(name, (*place.path, 0), node["items"], place.fixed), resolver))
        for branch in node.get("allOf", ()):
            when = {k: v["const"] for k, v in branch.get("if", {}).get("properties", {}).items()}
            fixed = (*place.fixed, *((place.path, k, v) for k, v in when.items()))
            always = tuple(node.get("required", ()))
            queue.append((_Place(name, place.path, branch["then"], fixed, when, always), resolver))
    return places


_PLACES = [place for name in ("dataset", "fragment") for place in _places(name)]
_CLOSED = [p for p in _PLACES if p.schema.get("additionalProperties") is False]
_TOGETHER = [
    pytest.param(place, prop, needed, id=f"{place.label}:{prop}")
    for place in _PLACES
    for prop, needed in place.schema.get("dependentRequired", {}).items()
]
_BRANCHES = [p for p in _PLACES if p.when]


def _problems_at(document: Any, name: str, backend: str) -> dict[str, tuple[str, str]]:
    violations = iter_violations(document, name, backend)  # type: ignore[arg-type]
    return {
        p.pointer: (p.code, p.message)
        for p in problems_from_violations(name, document, violations, "f.json")
    }


def test_the_schema_has_each_family_of_words_in_several_places() -> None:
    # So that the tests below cover what they say: a change to the schema that hid a
    # family would make them pass over nothing.
    kinds = {p.when.get("kind") for p in _BRANCHES if p.name == "dataset"}
    assert {"benchmark", "area", "all-of", "any-of", "at-least", "numeric", "ordinal"} <= kinds
    assert len([p for p in _CLOSED if p.name == "dataset"]) >= 20
    assert {prop for param in _TOGETHER for prop in [param.values[1]]} >= {
        "quote",
        "locator",
        "scale",
        "minimum_level",
    }


@pytest.mark.parametrize("backend", ["fast", "reference"])
@pytest.mark.parametrize("place", _CLOSED, ids=lambda p: p.label)
def test_an_unknown_field_lists_the_fields_of_the_schema_that_refused_it(
    place: _Place, backend: str
) -> None:
    problems = _problems_at(place.document({"zz_unknown": 1}), place.name, backend)
    fields = ", ".join(place.schema.get("properties", {}))
    code, message = problems[pointer((*place.path, "zz_unknown"))]
    assert code == "unknown-field"
    assert message.endswith(
        f"'zz_unknown' is not a field here; the fields are {fields}"
        if fields
        else "'zz_unknown' is not a field here"
    ), message


@pytest.mark.parametrize("backend", ["fast", "reference"])
@pytest.mark.parametrize(("place", "present", "needed"), _TOGETHER)
def test_a_field_needed_with_another_names_the_one_present(
    place: _Place, present: str, needed: list[str], backend: str
) -> None:
    problems = _problems_at(place.document({present: "x"}), place.name, backend)
    for field in needed:
        code, message = problems[pointer((*place.path, field))]
        assert code == "missing-field"
        assert re.fullmatch(
            rf".+: the required field '{field}' is missing( in '[^']+')? "
            rf"\(needed together with '{present}'\); it holds .+",
            message,
        ), message


@pytest.mark.parametrize("backend", ["fast", "reference"])
@pytest.mark.parametrize("place", _BRANCHES, ids=lambda p: p.label)
def test_a_field_needed_on_a_condition_names_the_objects_own_condition(
    place: _Place, backend: str
) -> None:
    problems = _problems_at(place.document({}), place.name, backend)
    then = place.schema
    condition = " and ".join(f"{key} is '{value}'" for key, value in place.when.items())
    needed = [f for f in then.get("required", ()) if f not in place.always]
    assert needed
    for field in needed:
        code, message = problems[pointer((*place.path, field))]
        assert code == "missing-field"
        assert f"the required field '{field}' is missing" in message
        assert f"(needed when {condition})" in message, message
    for field in set(place.always) - set(place.when):
        assert "(needed" not in problems[pointer((*place.path, field))][1]


@given(mutated_documents())
def test_both_validators_report_each_violation_at_the_same_schema_location(
    document: dict[str, Any],
) -> None:
    fast = iter_violations(document, "dataset", "fast")
    reference = iter_violations(document, "dataset", "reference")
    assert [(v.path, v.keyword, v.schema_path) for v in fast] == [
        (v.path, v.keyword, v.schema_path) for v in reference
    ]
    assert all(v.schema_path and v.schema_path[-1] != "$ref" for v in fast)


def test_references_are_followed_from_the_reported_location_through_the_registry() -> None:
    # properties/gates -> Collections -> Gate -> Condition -> the at-least branch -> AtLeast
    location = (
        "properties", "gates", "items", "properties", "condition",
        "allOf", 4, "then", "required",
    )  # fmt: skip
    assert member_schema("dataset", location, "count")["type"] == "integer"
    assert required_when("dataset", location, "count") == "needed when kind is 'at-least'"
    # a field every condition needs, at the location of the condition's own 'required'
    assert required_when("dataset", (*location[:5], "required"), "kind") is None
    date = ("properties", "evidence", "items", "properties", "date", "pattern")
    assert value_schema("dataset", date)["description"].startswith("When the event happened")
    assert value_schema("dataset", date, own=False)["description"].startswith("A date written")


def test_the_schema_module_resolves_no_reference_by_hand() -> None:
    source = inspect.getsource(_schema)
    assert '.replace("~1", "/")' not in source  # no JSON Pointer unescaping of its own
    assert 'partition("#")' not in source  # no splitting of references into file and fragment
    assert ".lookup(" in source  # referencing's resolver follows them


def test_every_keyword_worded_has_a_code_in_the_catalogue() -> None:
    table = _schema_messages._KEYWORDS
    assert {code for code, _ in table.values()} <= set(CODES)
    assert "schema-violation" in CODES  # the code of a keyword the table lacks


def test_the_wording_is_a_table_of_small_functions() -> None:
    tree = ast.parse((SRC / "_schema_messages.py").read_text(encoding="utf-8"))
    branches = {
        node.name: sum(isinstance(n, ast.If | ast.IfExp | ast.For) for n in ast.walk(node))
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
    }
    assert max(branches.values()) <= 4, branches
