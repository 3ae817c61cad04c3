"""msgspec builds the records of parsed files exactly as cattrs, the reference, builds them.

Validation builds records with ``_fast_records`` (msgspec straight into the
attrs classes) and leaves to cattrs each record msgspec refuses, so that the
problems are cattrs' own. Here cattrs is the oracle: on every document the
schema accepts, the fast path gives the same record, value for value and type
for type, or refuses it; and the validation of whole files gives the same
dataset and the same problems either way.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit import _fast_records
from benchmarkkit._context import CheckContext
from benchmarkkit._converter import converter, unstructure
from benchmarkkit._dates import PartialDate
from benchmarkkit._field_types import field_types
from benchmarkkit._files import DataFile
from benchmarkkit._model import COLLECTIONS, Dataset
from benchmarkkit._schema import iter_violations, schema
from benchmarkkit._validate import _build, _check_schema, _check_version, _read, _structurer
from tests import strategies
from tests.conftest import EXAMPLE, FIXTURES, Run, max_examples
from tests.test_schema_agreement import mutated_documents

#: Every class a document may hold, by the name of its definition in the schema.
DEFINED = {
    name: cls
    for name, cls in ((cls.__name__, cls) for cls in strategies.records)
    if name in schema("definitions")["$defs"] and attrs.has(cls)
}


def exactly(value: Any) -> str:
    """A value written so that 1, 1.0, True, "a" and an enum member all differ, however deep."""
    return repr(value)


def outcome(function: Any, *args: Any) -> tuple[str, Any]:
    try:
        built = function(*args)
    except Exception as error:  # the error is the outcome compared
        return "error", type(error)
    return "value", exactly(built)


def json_of(value: Any) -> Any:
    """What a file holding ``value`` parses to: JSON types only, as the fast path is given."""
    return json.loads(json.dumps(unstructure(value)))


def schema_valid(document: Any, name: str) -> bool:
    """Whether the schema accepts ``document`` as a record of definition ``name``."""
    return not iter_violations(_in_a_dataset(document, name), "dataset", "reference")


def _in_a_dataset(document: Any, name: str) -> dict[str, Any]:
    """``document`` placed where the dataset schema checks a record of definition ``name``."""
    for collection, cls in COLLECTIONS.items():
        if cls.__name__ == name:
            return {"schema_version": "1.1", "id": "d", "title": "D", collection: [document]}
    raise AssertionError(name)


COLLECTION_NAMES = [cls.__name__ for cls in COLLECTIONS.values()]


# -- records: the same value, type for type -------------------------------------------------


# Examples per class: every test below runs once per record class or collection, so the
# thorough run draws thousands in all (CI's 15 minutes hold them; 300 each did not).
@settings(max_examples=max_examples(150))
@pytest.mark.parametrize("cls", list(DEFINED.values()), ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_records_from_the_model_build_as_cattrs_builds_them(cls: type, data: st.DataObject) -> None:
    document = json_of(data.draw(strategies.records[cls]))
    fast: Any = _fast_records.structure(document, cls)
    assert exactly(fast) == exactly(converter.structure(document, cls))


@settings(
    max_examples=max_examples(80),
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@pytest.mark.parametrize("name", COLLECTION_NAMES)
@given(data=st.data())
def test_documents_the_schema_accepts_build_as_cattrs_builds_them(
    name: str, data: st.DataObject
) -> None:
    """Documents drawn from the schema, not the model: whole numbers for floats, every word."""
    document = data.draw(strategies.from_schema(name))
    assume(schema_valid(document, name))
    cls = DEFINED[name]
    fast = outcome(_fast_records.structure, document, cls)
    reference = outcome(converter.structure, document, cls)
    if fast[0] == "value":
        assert fast == reference  # msgspec never builds what cattrs refuses
    # What msgspec refuses, cattrs builds or refuses: validation gives cattrs' answer.
    assert outcome(_structurer(cls, parsed=True), document, cls) == reference


def every_field(name: str, leave_out: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """Documents of definition ``name`` that give every field the schema has, but ``leave_out``."""
    definitions = schema("definitions")["$defs"]
    properties = definitions[name]["properties"]
    return st.fixed_dictionaries(
        {
            key: strategies._draw_node(node, definitions, 0)
            for key, node in properties.items()
            if key not in leave_out
        }
    )


#: Fields that may not stand together (an assessment names a benchmark or a recommendation).
EXCLUSIVE = {"Assessment": [("recommendation",), ("benchmark",)]}


@settings(
    max_examples=max_examples(80),
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@pytest.mark.parametrize(
    ("name", "leave_out"),
    [(name, leave_out) for name in COLLECTION_NAMES for leave_out in EXCLUSIVE.get(name, [()])],
)
@given(data=st.data())
def test_documents_with_every_field_build_as_cattrs_builds_them(
    name: str, leave_out: tuple[str, ...], data: st.DataObject
) -> None:
    document = data.draw(every_field(name, leave_out))
    assume(schema_valid(document, name))
    cls = DEFINED[name]
    assert outcome(_structurer(cls, parsed=True), document, cls) == outcome(
        converter.structure, document, cls
    )


# -- what msgspec refuses is cattrs' to say ---------------------------------------------------

SCALE = {
    "id": "status",
    "title": "Status",
    "levels": [
        {"id": "met", "label": "Met", "value": 1},
        {"id": "not-met", "label": "No", "value": 0},
    ],
}


def test_a_record_a_validator_refuses_is_refused_by_msgspec_too() -> None:
    """msgspec runs the validators: a scale whose levels go down is not built behind cattrs."""
    with pytest.raises(Exception, match="lists its levels from worst to best"):
        _fast_records.structure(SCALE, COLLECTIONS["scales"])


def test_a_record_msgspec_refuses_is_reported_in_cattrs_words(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    path = tmp_path / "dataset.json"
    dataset = {"schema_version": "1.1", "id": "d", "title": "D", "scales": [SCALE]}
    path.write_text(json.dumps(dataset, indent=1), encoding="utf-8")
    run = cli("validate", path)
    assert run.status == 1
    assert run.out.splitlines()[0] == (
        f"{path}:6:3: invalid-record scale 'status': scale 'status' lists its levels from worst "
        "to best, so each value must be at least the one before it; 'not-met' (0.0) comes after "
        "'met' (1.0)"
    )
    assert run.out.splitlines()[-1] == f"{path}: invalid: 1 error, 0 warnings"


RECORDS = [cls for cls in DEFINED.values() if cls is not PartialDate]


@settings(max_examples=max_examples(50))
@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_each_record_builds_by_msgspec_from_its_required_fields(
    cls: type, data: st.DataObject
) -> None:
    """A default the fast path fills in is one msgspec takes: no record needs cattrs for it."""
    record = data.draw(strategies.records[cls])
    document = {
        key: value
        for key, value in json_of(record).items()
        if key == "kind" or attrs.fields_dict(cls)[key].default is attrs.NOTHING
    }
    built: Any = _fast_records.structure(document, cls)  # raises if msgspec refuses it
    assert exactly(built) == exactly(converter.structure(document, cls))


@pytest.mark.parametrize("cls", [*RECORDS, Dataset], ids=lambda cls: cls.__name__)
def test_the_field_types_are_those_typing_gives(cls: type) -> None:
    assert field_types(cls) == typing.get_type_hints(cls)


def test_a_condition_of_an_unknown_kind_is_refused() -> None:
    gate = {"id": "g", "title": "G", "condition": {"kind": "never", "area": "a"}}
    with pytest.raises(KeyError):
        _fast_records.structure(gate, COLLECTIONS["gates"])


def test_a_key_no_field_has_is_refused_where_the_fast_path_builds_field_by_field() -> None:
    with pytest.raises(KeyError):
        _fast_records.structure({"id": "d", "title": "D", "colour": "red"}, Dataset)


@pytest.mark.parametrize(
    "hint", [typing.get_type_hints(Dataset)["gates"], typing.get_type_hints(Dataset)["evidence"]]
)
def test_a_list_of_records_must_be_a_list(hint: types.GenericAlias) -> None:
    build = _fast_records._builder(hint)
    assert build is not None
    with pytest.raises(TypeError, match="expected a list, found tuple"):
        build(())


# -- whole files: the same dataset and the same problems -----------------------------------


def _states(document: Any) -> list[Any]:
    raw = json.dumps(document).encode()
    file = DataFile(
        path=Path("d.json"), display="d.json", format="json", role="dataset", raw=raw, data=document
    )
    return [_check_schema(_check_version(_read(file)), "auto")]


def built_both_ways(document: Any) -> tuple[Any, Any]:
    """``_build`` of a file holding ``document``, by msgspec and by cattrs alone."""
    results = []
    for parsed in (True, False):
        states = _states(document)
        manifest = states[0] if not states[0].lost else None
        dataset, problems = _build(states, manifest, CheckContext(root=None), parsed=parsed)
        results.append((exactly(dataset), problems))
    return results[0], results[1]


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_documents())
def test_a_file_builds_the_same_dataset_and_problems_either_way(document: Any) -> None:
    """Valid datasets with random edits, that the schema accepts or not: the same either way."""
    fast, reference = built_both_ways(document)
    assert fast == reference


def _example_document() -> Any:
    report = benchmarkkit.validate(EXAMPLE)
    assert report.dataset is not None
    return json_of(report.dataset)


@pytest.mark.parametrize(
    "path",
    [EXAMPLE, *sorted((FIXTURES / "valid").iterdir()), *sorted((FIXTURES / "invalid").glob("*.*"))],
    ids=lambda path: path.name,
)
def test_each_fixture_validates_alike_with_and_without_msgspec(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = benchmarkkit.validate(path)

    def refuse(cls: type) -> Any:
        def refused(value: Any) -> Any:
            raise TypeError("left to cattrs")

        return refused

    monkeypatch.setattr(_fast_records, "builder", refuse)
    reference = benchmarkkit.validate(path)
    assert fast.problems == reference.problems
    assert exactly(fast.dataset) == exactly(reference.dataset)


def test_the_example_builds_by_msgspec_alone() -> None:
    """No record of the example needs cattrs: each field type of the model is one msgspec builds."""
    document = _example_document()
    for collection, cls in COLLECTIONS.items():
        for item in document.get(collection, ()):
            _fast_records.structure(item, cls)  # raises if msgspec refuses it
    metadata = {key: value for key, value in document.items() if key not in COLLECTIONS}
    assert _fast_records.structure(metadata, Dataset).scoring is not None
