"""The attrs classes and the JSON Schema files say the same thing, field by field.

Both are kept by hand; this test walks them side by side and fails with the
class and field that differ. From the dataset schema down (the dataset, its
collections, every record and every part of one), and from the scorecard
and validation-report schemas down (their result classes): the field names,
which are required, the JSON type each annotation stands for, enumerations,
defaults, and the constraints the model enforces. ``$ref``s are resolved
with ``referencing``, as the library's own registry does.

The constraints only the schema states (an id's pattern, a non-empty title,
an item listed twice) are the ones the model does not check when a record
is built; :func:`schema_only_constraints` lists them, and
``tests/test_model_strictness.py`` shows that saving or dumping a dataset
that breaks any one of them is refused, naming the record and the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from benchmarkkit import _model
from benchmarkkit._conditions import (
    CONDITION_KINDS,
    RuleSpec,
    ScoringConfig,
)
from benchmarkkit._converter import unstructure
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import COLLECTIONS, SCHEMA_VERSION, Dataset, Measurement, Reading
from benchmarkkit._problems import Problem, ValidationReport
from benchmarkkit._scales import Level, _levels_in_order, unit_interval
from benchmarkkit._schema import SCHEMA_NAMES, python_regex, schema, schema_id
from benchmarkkit._validate import SUPPORTED_VERSIONS
from benchmarkkit._vocabulary import ActorKind, Reliability
from benchmarkkit.scoring import _results
from benchmarkkit.scoring._compare import Change, Comparison
from benchmarkkit.scoring._explain import Explanation, Input, _finite
from benchmarkkit.scoring._gates import ConditionResult
from benchmarkkit.scoring._protocols import Status
from benchmarkkit.scoring._results import (
    AreaResult,
    BenchmarkResult,
    GateVerdict,
    OverallResult,
    Scorecard,
)
from tests.strategies import partial_dates

# -- what the two sides may differ in, each with its reason -------------------------------

#: Keys a document's schema allows that no class has: they say what the document is and
#: which tool wrote it (an envelope), or are worked out from the class's fields as the
#: document is written. Allowed, not required, in the schema.
JSON_ONLY_KEYS: Mapping[tuple[str, type], frozenset[str]] = {
    # Editors' hint of the schema a file follows; benchmarkkit ignores it.
    ("dataset", Dataset): frozenset({"$schema"}),
    # The envelope of a scorecard or comparison document.
    # A scorecard's recommendations too: written only when the dataset has some (so that a
    # dataset of format 1.0 keeps its scorecard), optional in the schema, and compared on
    # their own (SCORECARD_PAIRS), since the walk requires every key a result writes.
    ("scorecard", Scorecard): frozenset(
        {"$schema", "kind", "scorecard_format_version", "tool", "recommendations"}
    ),
    ("scorecard", Comparison): frozenset({"$schema", "kind", "scorecard_format_version", "tool"}),
    # Worked out from the problems and the strictness asked for.
    ("validation-report", ValidationReport): frozenset({"valid", "counts", "problems_omitted"}),
    # Whether the value shown was cut short to keep the report small.
    ("validation-report", Problem): frozenset({"value_truncated"}),
}

#: Fields of a class that its JSON form leaves out.
MODEL_ONLY_FIELDS: Mapping[tuple[str, type], frozenset[str]] = {
    # A problem's value is the data it was found in; a scorecard is about scores. Its
    # problems arise while scoring, never in a table file's cell (TABLE_PLACE_KEYS).
    ("scorecard", Problem): frozenset({"value", "sheet", "row", "header", "cell"}),
    # Written only when not None: see JSON_ONLY_KEYS.
    ("scorecard", Scorecard): frozenset({"recommendations"}),
    # The two scorecards are documents of their own; the comparison holds only the changes.
    ("scorecard", Comparison): frozenset({"scorecard_before", "scorecard_after"}),
    # The loaded records are the dataset itself, not part of the report on it.
    ("validation-report", ValidationReport): frozenset({"dataset"}),
}

#: Fields the schema requires that have a default in the model, because the model
#: always writes them (the test below shows it does).
ALWAYS_WRITTEN: frozenset[tuple[type, str]] = frozenset({(Dataset, "schema_version")})

#: Text fields whose schema lists the values they may take, and where the model keeps
#: that list.
TEXT_CHOICES: Mapping[tuple[type, str], tuple[str, ...]] = {
    # The versions this library reads; the model takes any text and saving refuses others.
    (Dataset, "schema_version"): SUPPORTED_VERSIONS,
    (ConditionResult, "kind"): tuple(CONDITION_KINDS),
    # What scoring/_compare.py's compare() passes as subject, one per kind of change.
    (Change, "subject"): ("benchmark", "area", "overall", "gate"),
}

#: What each of the model's own validators enforces, in the schema's keywords.
ENFORCED: Mapping[object, Mapping[str, Any]] = {
    unit_interval: {"minimum": 0, "maximum": 1},
    # At least one level; their order is a rule no schema keyword states.
    _levels_in_order: {"minItems": 1},
    # Finite numbers only: a JSON number always is one.
    _finite: {},
}
#: attrs' number validators (``attrs.validators.ge`` ...), by comparison.
BOUNDS = {">=": "minimum", ">": "exclusiveMinimum", "<=": "maximum", "<": "exclusiveMaximum"}
NUMBER_KEYWORDS = frozenset(BOUNDS.values())
#: Constraints on a value that only the schema states: saving or dumping checks them.
SAVE_CHECKED = frozenset(
    {"minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "format"}
)
#: Keywords that say what a value is, not what it may be.
STRUCTURE = frozenset(
    {
        "$schema", "$id", "$ref", "$defs", "$comment", "title", "description", "examples",
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "default", "allOf", "anyOf", "oneOf", "if", "then", "else", "dependentRequired",
    }
)  # fmt: skip
#: Rules across fields of a record (a quote needs its source; a numeric indicator its
#: unit): the model leaves them to the schema, and saving checks them.
RECORD_RULES = frozenset({"dependentRequired", "allOf", "if", "then", "else"})

_JSON_TYPES: Mapping[type, str] = {str: "string", float: "number", int: "integer", bool: "boolean"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _registry() -> Registry[Any]:
    return Registry().with_resources(
        (schema_id(name), DRAFT202012.create_resource(schema(name))) for name in SCHEMA_NAMES
    )


@attrs.frozen
class Node:
    """A place in a schema, its ``$ref``s followed; ``name`` the definition it is in."""

    contents: Mapping[str, Any]
    resolver: Any = attrs.field(eq=False)
    name: str

    @classmethod
    def at(cls, document: str, pointer: str = "") -> Node:
        uri = schema_id(document)
        resolver = _registry().resolver(base_uri=uri)
        name = pointer.rsplit("/", 1)[-1] if pointer else f"{document} document"
        return cls({"$ref": f"{uri}#{pointer}"}, resolver, name).resolved()

    def resolved(self) -> Node:
        contents, resolver, name = self.contents, self.resolver, self.name
        while "$ref" in contents:
            reference = contents["$ref"]
            found = resolver.lookup(reference)
            siblings = {k: v for k, v in contents.items() if k not in ("$ref", "description")}
            contents, resolver = {**found.contents, **siblings}, found.resolver
            name = reference.rsplit("/", 1)[-1]
        return Node(contents, resolver, name)

    def child(self, contents: Mapping[str, Any]) -> Node:
        return Node(contents, self.resolver, self.name).resolved()

    def branches(self) -> Iterator[Node]:
        """The alternatives this node allows: its ``anyOf``/``oneOf``, ``allOf``'s ``then``s."""
        for key in ("anyOf", "oneOf"):
            for branch in self.contents.get(key, ()):
                yield self.child(branch)
        for part in self.contents.get("allOf", ()):
            if "then" in part:
                yield self.child(part["then"])

    def holding(self, keyword: str) -> Node:
        """This node, or the alternative of it that has ``keyword`` (a nullable object, say)."""
        if keyword in self.contents:
            return self
        return next((b for b in self.branches() if keyword in b.contents), self)

    def types(self) -> set[str]:
        contents = self.contents
        if "type" in contents:
            found = contents["type"]
            return {found} if isinstance(found, str) else set(found)
        if "const" in contents:
            return {_json_type(contents["const"])}
        if "enum" in contents:
            return {_json_type(value) for value in contents["enum"]}
        return set().union(*(branch.types() for branch in self.branches()))

    def values(self) -> list[Any] | None:
        """The values an ``enum`` or ``const`` allows, null left out; ``None`` if any."""
        contents = self.holding("enum") if "const" not in self.contents else self
        if "const" in contents.contents:
            return [contents.contents["const"]]
        if "enum" in contents.contents:
            return [value for value in contents.contents["enum"] if value is not None]
        return None


@attrs.frozen
class Constraint:
    """A constraint only the schema states: ``cls``'s field ``path`` and the keyword."""

    cls: type
    path: tuple[str, ...]
    keyword: str
    value: Any

    def __str__(self) -> str:
        return f"{self.cls.__name__}.{''.join(self.path)} {self.keyword} {self.value!r}"


def _hints(cls: type) -> dict[str, Any]:
    from benchmarkkit._conditions import Condition

    return typing.get_type_hints(cls, localns={"Dataset": Dataset, "Condition": Condition})


def _leaf_validators(validator: Any) -> Iterator[Any]:
    if validator is None:
        return
    inner = getattr(validator, "_validators", None)
    if inner is not None:  # attrs.validators.and_
        for one in inner:
            yield from _leaf_validators(one)
    elif hasattr(validator, "validator") and not callable(getattr(validator, "bound", None)):
        yield from _leaf_validators(validator.validator)  # attrs.validators.optional
    else:
        yield validator


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


class Walk:
    """One walk of classes against a schema, collecting mismatches and schema-only rules."""

    def __init__(self, document: str) -> None:
        self.document = document
        self.output = document not in ("dataset", "fragment", "definitions")
        self.mismatches: list[str] = []
        self.schema_only: list[Constraint] = []
        self.classes: set[type] = set()
        self._seen: set[tuple[type, str]] = set()

    def differ(self, message: str) -> None:
        self.mismatches.append(message)

    def compare_class(self, cls: type, node: Node) -> None:
        node = node.holding("properties")
        if (cls, node.name) in self._seen:
            return
        self._seen.add((cls, node.name))
        self.classes.add(cls)
        where = f"the {self.document} schema's {node.name} definition"
        properties: Mapping[str, Any] = node.contents.get("properties", {})
        model_only = MODEL_ONLY_FIELDS.get((self.document, cls), frozenset())
        fields = {f.name: f for f in attrs.fields(cls) if f.name not in model_only}
        json_only = JSON_ONLY_KEYS.get((self.document, cls), frozenset())
        for name in fields.keys() - properties.keys():
            self.differ(f"{cls.__name__}.{name}: in the model but not in {where}")
        for name in properties.keys() - fields.keys() - json_only:
            self.differ(f"{cls.__name__}.{name}: in {where} but not in the model")
        if node.contents.get("additionalProperties") is not False:
            self.differ(
                f"{cls.__name__}: {where} allows keys the model does not have; "
                "set additionalProperties to false"
            )
        if not self.output:
            # Sorted: the constraints parametrise tests, whose order must not depend on
            # the hash seed (pytest-xdist's workers must collect the same tests).
            for keyword in sorted(RECORD_RULES & node.contents.keys()):
                self.schema_only.append(Constraint(cls, (), keyword, node.contents[keyword]))
        required = set(node.contents.get("required", ()))
        hints = _hints(cls)
        for name, field in fields.items():
            if name in properties:
                self.compare_required(cls, field, name in required, where)
                self.compare_field(cls, field, hints[name], node.child(properties[name]))

    def compare_required(
        self, cls: type, field: attrs.Attribute[Any], required: bool, where: str
    ) -> None:
        label = f"{cls.__name__}.{field.name}"
        if self.output:
            if not required:
                self.differ(
                    f"{label}: the JSON form always has it, but {where} does not require it"
                )
            return
        model_requires = field.default is attrs.NOTHING or not field.init
        if model_requires and not required:
            self.differ(f"{label}: the model requires it, but {where} does not")
        elif required and not model_requires and (cls, field.name) not in ALWAYS_WRITTEN:
            self.differ(f"{label}: {where} requires it, but the model gives it a default")

    def compare_field(self, cls: type, field: attrs.Attribute[Any], tp: Any, node: Node) -> None:
        label = f"{cls.__name__}.{field.name}"
        enforced: dict[str, Any] = {}
        for validator in _leaf_validators(field.validator):
            operator = getattr(validator, "compare_op", None)
            if operator in BOUNDS:
                enforced[BOUNDS[operator]] = validator.bound
            elif _known(validator):
                enforced.update(ENFORCED[validator])
            else:
                self.differ(
                    f"{label}: the model checks it with {validator!r}, which this test does not "
                    "know; say in ENFORCED which schema keywords it stands for"
                )
        if not field.init:  # a constant the model always writes, such as a condition's kind
            if node.values() != [field.default]:
                self.differ(
                    f"{label}: the model always writes {field.default!r}; the schema allows "
                    f"{node.values()!r}"
                )
            return
        self.compare_type(label, (cls, (field.name,)), tp, node, enforced)
        if not self.output and field.default is not attrs.NOTHING:
            self.compare_default(label, cls, field, node)

    def compare_default(
        self, label: str, cls: type, field: attrs.Attribute[Any], node: Node
    ) -> None:
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()  # type: ignore[union-attr]
        value = unstructure(default)
        written = node.contents.get("default", attrs.NOTHING)
        if value in (None, [], (), {}) and written is attrs.NOTHING:
            return  # the value is left out, and absent means none
        if (cls, field.name) in ALWAYS_WRITTEN:
            return
        if written is attrs.NOTHING:
            self.differ(f"{label}: the model's default is {value!r}; the schema gives no default")
        elif written != value:
            self.differ(f"{label}: the model's default is {value!r}; the schema's is {written!r}")

    def compare_type(
        self,
        label: str,
        owner: tuple[type, tuple[str, ...]],
        tp: Any,
        node: Node,
        enforced: Mapping[str, Any],
    ) -> None:
        if _is_union(tp) and type(None) in typing.get_args(tp):
            self.compare_optional(label, owner, tp, node, enforced)
            return
        if tp is PartialDate and "pattern" in node.contents:
            # PartialDate refuses any date the pattern refuses: see the property tests below.
            enforced = {**enforced, "pattern": node.contents["pattern"]}
        self.compare_constraints(label, owner, node, enforced)
        kind = _kind(tp)
        if kind is None:
            self.differ(f"{label}: this test does not know how {tp!r} is written in JSON")
            return
        found = node.types() - {"null"}
        expected = {"record": {"object"}, "mapping": {"object"}, "list": {"array"}}.get(kind)
        if expected is not None and found != expected:
            self.differ(f"{label}: the model holds a {kind}; the schema {sorted(found)}")
        getattr(self, f"compare_{kind}")(label, owner, tp, node, found)

    def compare_optional(
        self,
        label: str,
        owner: tuple[type, tuple[str, ...]],
        tp: Any,
        node: Node,
        enforced: Mapping[str, Any],
    ) -> None:
        """``X | None``: null in the JSON of a result; in a dataset, the key left out."""
        members = tuple(a for a in typing.get_args(tp) if a is not type(None))
        if self.output and "null" not in node.types():
            self.differ(f"{label}: the model may have no value (null); the schema refuses null")
        if not self.output and "null" in node.types():
            self.differ(f"{label}: the schema allows null; the model leaves the key out instead")
        inner = members[0] if len(members) == 1 else typing.Union[members]  # noqa: UP007
        self.compare_type(label, owner, inner, node, enforced)

    def compare_any(self, label: str, _owner: Any, _tp: Any, _node: Node, found: set[str]) -> None:
        if found:
            self.differ(f"{label}: the model takes any value; the schema only {sorted(found)}")

    def compare_variants(
        self, label: str, _owner: Any, tp: Any, node: Node, _found: set[str]
    ) -> None:
        """A tagged union (gate conditions): each class against the branch of its kind."""
        branches: dict[Any, Node] = {}
        for branch in node.branches():
            kind = branch.holding("properties").contents.get("properties", {}).get("kind", {})
            for value in branch.child(kind).values() or ():
                branches[value] = branch
        members = typing.get_args(tp)
        kinds = {attrs.fields_dict(member)["kind"].default: member for member in members}
        for kind, member in kinds.items():
            if kind not in branches:
                self.differ(
                    f"{label}: the model's {member.__name__} (kind {kind!r}) is not in the schema"
                )
            else:
                self.compare_class(member, branches[kind])
        for kind in branches.keys() - kinds.keys():
            self.differ(f"{label}: the schema has a condition of kind {kind!r}; the model does not")

    def compare_scalar(
        self, label: str, owner: tuple[type, tuple[str, ...]], tp: Any, node: Node, found: set[str]
    ) -> None:
        expected = {_JSON_TYPES[member] for member in typing.get_args(tp) or (tp,)}
        if {"number", "integer"} <= expected:
            expected.discard("integer")
        if found != expected:
            self.differ(f"{label}: the model holds {sorted(expected)}; the schema {sorted(found)}")
        if tp is str:
            self.compare_text_choices(label, owner, node)

    def compare_date(self, label: str, _owner: Any, _tp: Any, node: Node, found: set[str]) -> None:
        if found != {"string"} or not {"pattern", "format"} & node.contents.keys():
            self.differ(f"{label}: the model holds a date; the schema does not say it is one")

    def compare_vocabulary(
        self, label: str, _owner: Any, vocabulary: type[enum.Enum], node: Node, _found: set[str]
    ) -> None:
        self.compare_enum(label, vocabulary, node)

    def compare_list(
        self, label: str, owner: tuple[type, tuple[str, ...]], tp: Any, node: Node, _found: Any
    ) -> None:
        items = node.holding("items")
        item_owner = (owner[0], (*owner[1], "[]"))
        item_node = items.child(items.contents.get("items", {}))
        self.compare_type(f"{label}[]", item_owner, typing.get_args(tp)[0], item_node, {})

    def compare_mapping(
        self, label: str, owner: tuple[type, tuple[str, ...]], tp: Any, node: Node, _found: Any
    ) -> None:
        value_type = typing.get_args(tp)[1]
        if value_type is not Any:
            values = node.contents.get("additionalProperties", {})
            self.compare_type(f"{label}{{}}", owner, value_type, node.child(values), {})

    def compare_record(
        self, _label: str, _owner: Any, tp: type, node: Node, _found: set[str]
    ) -> None:
        self.compare_class(tp, node)

    def compare_constraints(
        self,
        label: str,
        owner: tuple[type, tuple[str, ...]],
        node: Node,
        enforced: Mapping[str, Any],
    ) -> None:
        contents = node.holding("type").contents if "type" not in node.contents else node.contents
        for keyword, bound in enforced.items():
            if contents.get(keyword) != bound:
                self.differ(
                    f"{label}: the model checks {keyword} {bound!r}; the schema has "
                    f"{contents.get(keyword, 'no ' + keyword)!r}"
                )
        for keyword in sorted(contents.keys() - enforced.keys()):  # in a stable order
            if keyword in NUMBER_KEYWORDS and not self.output:
                self.differ(
                    f"{label}: the schema sets {keyword} {contents[keyword]!r}, which the "
                    "model does not check when a record is built"
                )
            elif keyword in SAVE_CHECKED and not self.output:
                self.schema_only.append(Constraint(*owner, keyword, contents[keyword]))
            elif keyword not in STRUCTURE | SAVE_CHECKED | NUMBER_KEYWORDS:
                self.differ(f"{label}: the schema uses {keyword}, which this test does not know")

    def compare_text_choices(
        self, label: str, owner: tuple[type, tuple[str, ...]], node: Node
    ) -> None:
        allowed = node.values()
        if allowed is None:
            return
        expected = TEXT_CHOICES.get((owner[0], owner[1][0]))
        if not self.output:
            self.schema_only.append(Constraint(*owner, "enum", allowed))
        if expected is None:
            self.differ(f"{label}: the schema allows only {allowed!r}; the model takes any text")
        elif list(expected) != allowed:
            self.differ(
                f"{label}: the model writes {list(expected)!r}; the schema allows {allowed!r}"
            )

    def compare_enum(self, label: str, vocabulary: type[enum.Enum], node: Node) -> None:
        model = [member.value for member in vocabulary]
        allowed = node.values() or []
        for value in model:
            if value not in allowed:
                self.differ(
                    f"{label}: {value!r} is in the model's {vocabulary.__name__} but not in "
                    "the schema's enum"
                )
        for value in allowed:
            if value not in model:
                self.differ(
                    f"{label}: {value!r} is in the schema's enum but not in the model's "
                    f"{vocabulary.__name__}"
                )
        if sorted(model) == sorted(allowed) and model != allowed:
            self.differ(
                f"{label}: the schema lists {vocabulary.__name__}'s values in another order"
            )


#: How to tell each kind of annotation, in order, and the ``compare_...`` method for it.
_KINDS: tuple[tuple[typing.Callable[[Any], bool], str], ...] = (
    (lambda tp: tp is Any, "any"),
    (lambda tp: _is_union(tp) and all(attrs.has(arg) for arg in typing.get_args(tp)), "variants"),
    (lambda tp: _is_union(tp) or tp in _JSON_TYPES, "scalar"),
    (lambda tp: tp is PartialDate or tp is dt.date, "date"),
    (lambda tp: isinstance(tp, type) and issubclass(tp, enum.Enum), "vocabulary"),
    (lambda tp: typing.get_origin(tp) is tuple, "list"),
    (lambda tp: typing.get_origin(tp) in (Mapping, dict), "mapping"),
    (attrs.has, "record"),
)


def _kind(tp: Any) -> str | None:
    """Which ``compare_...`` method of :class:`Walk` compares a value of annotation ``tp``."""
    return next((kind for test, kind in _KINDS if test(tp)), None)


def _known(validator: Any) -> bool:
    try:
        return validator in ENFORCED
    except TypeError:  # not hashable
        return False


def walk(document: str, pairs: Sequence[tuple[type, str]]) -> Walk:
    """Compare each class with the definition at its JSON pointer in ``document``."""
    result = Walk(document)
    for cls, pointer in pairs:
        result.compare_class(cls, Node.at(document, pointer))
    return result


def dataset_walk() -> Walk:
    return walk("dataset", [(Dataset, "")])


def schema_only_constraints() -> list[Constraint]:
    """The constraints the schema states and the model does not check on construction."""
    return dataset_walk().schema_only


SCORECARD_PAIRS: Sequence[tuple[type, str]] = [
    (Scorecard, "/$defs/Scorecard"),
    (Comparison, "/$defs/Comparison"),
    # A scorecard's optional part (see JSON_ONLY_KEYS), with every class in it.
    (_results.RecommendationResults, "/$defs/Recommendations"),
]
REPORT_PAIRS: Sequence[tuple[type, str]] = [(ValidationReport, "/$defs/Dataset")]


# -- the tests ------------------------------------------------------------------------------


def test_the_records_match_the_dataset_schema_field_by_field() -> None:
    assert dataset_walk().mismatches == []


def test_the_scorecard_classes_match_the_scorecard_schema_field_by_field() -> None:
    assert walk("scorecard", SCORECARD_PAIRS).mismatches == []


def test_the_validation_report_matches_its_schema_field_by_field() -> None:
    assert walk("validation-report", REPORT_PAIRS).mismatches == []


def test_every_record_class_and_every_part_of_one_is_compared() -> None:
    expected = {
        Dataset,
        *COLLECTIONS.values(),
        *CONDITION_KINDS.values(),
        Measurement,
        Reading,
        Level,
        RuleSpec,
        ScoringConfig,
    }
    assert expected - dataset_walk().classes == set()


def test_every_scorecard_and_report_class_is_compared() -> None:
    assert {
        Scorecard, BenchmarkResult, AreaResult, OverallResult, GateVerdict, ConditionResult,
        Explanation, Input, Status, Problem, Comparison, Change, ScoringConfig, RuleSpec,
    } - walk("scorecard", SCORECARD_PAIRS).classes == set()  # fmt: skip
    assert {ValidationReport, Problem} - walk("validation-report", REPORT_PAIRS).classes == set()


def test_a_required_field_the_model_defaults_is_always_written() -> None:
    for cls, name in ALWAYS_WRITTEN:
        assert cls is Dataset
        assert unstructure(Dataset(id="ds", title="A dataset"))[name] == SCHEMA_VERSION


def test_the_schema_only_constraints_are_the_ones_saving_checks() -> None:
    """Every constraint the model leaves to the schema is of a kind saving refuses."""
    kinds = {constraint.keyword for constraint in schema_only_constraints()}
    assert kinds <= SAVE_CHECKED | RECORD_RULES | {"enum"}
    assert {"minLength", "pattern", "maxLength", "minItems", "uniqueItems"} <= kinds


DATE_PATTERN = python_regex(Node.at("definitions", "/$defs/PartialDate").contents["pattern"])


@given(st.from_regex(DATE_PATTERN, fullmatch=True))
def test_every_date_the_schema_accepts_is_a_partial_date(text: str) -> None:
    assert str(PartialDate.parse(text)) == text


@given(st.text(alphabet="0123456789-", max_size=11) | st.from_regex(r"\d{4}-\d\d-\d\d"))
def test_a_date_the_schema_refuses_is_no_partial_date(text: str) -> None:
    accepted = DATE_PATTERN.search(text) is not None
    try:
        PartialDate.parse(text)
    except ValueError:
        assert not accepted
    else:
        assert accepted


@given(partial_dates(min_year=1000, max_year=9999))
def test_every_partial_date_is_written_as_the_schema_says(date: PartialDate) -> None:
    assert DATE_PATTERN.search(str(date))


# -- the comparison itself fails, naming the field ------------------------------------------


def _mismatches(cls: type, pointer: str, document: str = "definitions") -> list[str]:
    return walk(document, [(cls, pointer)]).mismatches


def test_a_field_only_the_model_has_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class Actor(_model.Actor):
        nickname: str | None = None

    assert _mismatches(Actor, "/$defs/Actor") == [
        "Actor.nickname: in the model but not in the definitions schema's Actor definition"
    ]


def test_a_field_only_the_schema_has_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class Area:
        id: str
        title: str
        description: str | None = None
        weight: float = attrs.field(default=1.0, validator=attrs.validators.ge(0.0))
        source: str | None = None
        locator: str | None = None

    assert _mismatches(Area, "/$defs/Area") == [
        "Area.quote: in the definitions schema's Area definition but not in the model"
    ]


#: ActorKind with one more word, as if it were added to the model and not to the schema.
_WiderActorKind = enum.Enum(  # type: ignore[misc]
    "ActorKind", {**{kind.name: kind.value for kind in ActorKind}, "MILITIA": "militia"}, type=str
)


def test_a_value_only_the_models_vocabulary_has_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class Actor(_model.Actor):
        kind: _WiderActorKind = attrs.field()  # type: ignore[assignment]

    assert _mismatches(Actor, "/$defs/Actor") == [
        "Actor.kind: 'militia' is in the model's ActorKind but not in the schema's enum"
    ]


def test_a_key_only_the_scorecard_class_has_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class BenchmarkResult(_results.BenchmarkResult):
        confidence: float = 0.0

    assert _mismatches(BenchmarkResult, "/$defs/Benchmark", "scorecard") == [
        (
            "BenchmarkResult.confidence: in the model but not in the scorecard schema's "
            "Benchmark definition"
        )
    ]


def test_a_constraint_the_model_enforces_must_be_the_schemas() -> None:
    @attrs.frozen(kw_only=True)
    class Area(_model.Area):
        weight: float = attrs.field(default=1.0, validator=attrs.validators.ge(1.0))

    assert _mismatches(Area, "/$defs/Area") == [
        "Area.weight: the model checks minimum 1.0; the schema has 0"
    ]


def test_a_default_the_schema_does_not_state_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class Source(_model.Source):
        reliability: Reliability = attrs.field(default=Reliability.UNSURE)

    assert _mismatches(Source, "/$defs/Source") == [
        "Source.reliability: the model's default is 'unsure'; the schema's is 'unknown'"
    ]


def test_a_field_required_on_one_side_only_is_named() -> None:
    @attrs.frozen(kw_only=True)
    class Actor(_model.Actor):
        role: str

    assert _mismatches(Actor, "/$defs/Actor") == [
        "Actor.role: the model requires it, but the definitions schema's Actor definition does not"
    ]
