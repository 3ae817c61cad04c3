"""The JSON Schema files and the attrs model describe the same format, both ways.

Model -> schema: every value the model can hold unstructures to a document
the schema accepts. Schema -> model: documents the schema accepts (valid
documents mutated at random, and documents drawn from the schema itself)
structure into the model, and survive a round trip.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, structure, unstructure
from benchmarkkit._schema import OTHER_SCHEMA_NAMES, SCHEMA_NAMES, iter_violations, schema
from tests.strategies import datasets, from_schema, json_values, plain_texts, valid_datasets


@given(datasets)
def test_every_model_value_is_schema_valid(dataset: Dataset) -> None:
    document = json.loads(json.dumps(unstructure(dataset)))
    assert iter_violations(document, "dataset", "reference") == []


@given(valid_datasets())
def test_every_consistent_dataset_is_schema_valid(dataset: Dataset) -> None:
    assert iter_violations(unstructure(dataset), "dataset", "reference") == []


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(getattr(error, "exceptions", None), list | tuple):  # an exception group
        return [leaf for sub in error.exceptions for leaf in _leaves(sub)]  # type: ignore[attr-defined]
    return [error]


#: Rules the schema cannot express, which the model enforces: every document the schema
#: accepts structures, unless it breaks one of these (the validator reports them as
#: invalid-date and invalid-record problems).
SEMANTIC_RULES = ("is no leap year", "lists its levels from worst to best")


def structure_accepted(document: Any, cls: type) -> Any:
    """Structure a schema-valid document; only the rules the schema cannot express may fail."""
    try:
        return structure(document, cls)
    except Exception as error:
        leaves = _leaves(error)
        assert all(any(rule in str(leaf) for rule in SEMANTIC_RULES) for leaf in leaves), leaves
        event("broke a rule the schema cannot express")
        return None


def _containers(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    found = [(path, document)] if isinstance(document, dict | list) else []
    if isinstance(document, dict):
        for key, value in document.items():
            found.extend(_containers(value, (*path, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(_containers(value, (*path, index)))
    return found


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with a few random edits: fields dropped, values replaced or added."""
    document: dict[str, Any] = copy.deepcopy(
        unstructure(draw(st.one_of(datasets, valid_datasets())))
    )
    for _ in range(draw(st.integers(1, 3))):
        _path, container = draw(st.sampled_from(_containers(document)))
        if isinstance(container, dict) and container:
            key = draw(st.sampled_from(sorted(container)))
            action = draw(st.sampled_from(["drop", "replace", "retype", "add"]))
            if action == "drop":
                del container[key]
            elif action == "replace" and isinstance(container[key], str):
                container[key] = draw(
                    plain_texts | st.sampled_from(["2012", "2012-03-20", "ogp-completion", "met"])
                )
            elif (
                action == "replace"
                and isinstance(container[key], int | float)
                and not isinstance(container[key], bool)
            ):
                container[key] = draw(st.floats(0, 1) | st.integers(0, 5))
            elif action == "retype":
                container[key] = draw(json_values)
            else:
                container[draw(plain_texts)] = draw(json_values)
        elif isinstance(container, list) and container:
            index = draw(st.integers(0, len(container) - 1))
            if draw(st.booleans()):
                del container[index]
            else:
                container.append(copy.deepcopy(container[index]))
    return document


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_documents())
def test_documents_the_schema_accepts_structure_into_the_model(document: dict[str, Any]) -> None:
    accepted = iter_violations(document, "dataset", "reference") == []
    event("accepted by the schema" if accepted else "rejected by the schema")
    assume(accepted)
    dataset = structure_accepted(document, Dataset)
    assume(dataset is not None)
    assert structure(unstructure(dataset), Dataset) == dataset
    assert iter_violations(unstructure(dataset), "dataset", "reference") == []


RECORDS_FROM_SCHEMA = [
    "StatusScale",
    "Actor",
    "Source",
    "Standard",
    "Commitment",
    "Area",
    "Benchmark",
    "Indicator",
    "Evidence",
    "Assessment",
    "Gate",
    "ScoringConfig",
]


@pytest.mark.parametrize("name", RECORDS_FROM_SCHEMA)
def test_records_drawn_from_the_schema_structure_into_the_model(name: str) -> None:
    import benchmarkkit._conditions
    import benchmarkkit._model
    import benchmarkkit._scales

    modules = (benchmarkkit._model, benchmarkkit._scales, benchmarkkit._conditions)
    cls = next(getattr(module, name) for module in modules if hasattr(module, name))
    collection = {
        "StatusScale": "scales",
        "Actor": "actors",
        "Source": "sources",
        "Standard": "standards",
        "Commitment": "commitments",
        "Area": "areas",
        "Benchmark": "benchmarks",
        "Indicator": "indicators",
        "Evidence": "evidence",
        "Assessment": "assessments",
        "Gate": "gates",
    }.get(name)

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(from_schema(name))
    def check(record: dict[str, Any]) -> None:
        document: dict[str, Any] = {"schema_version": "1.0", "id": "d", "title": "T"}
        if collection is None:
            document["scoring"] = record
        else:
            document[collection] = [record]
        violations = iter_violations(document, "dataset", "reference")
        event("accepted by the schema" if not violations else "rejected by the schema")
        assume(not violations)
        value = structure_accepted(record, cls)
        assume(value is not None)
        assert structure(unstructure(value), cls) == value

    check()


def test_every_bundled_schema_is_valid_draft_2020_12() -> None:
    from jsonschema import Draft202012Validator

    for name in SCHEMA_NAMES:
        Draft202012Validator.check_schema(schema(name))


def _properties_without_description(node: Any, path: str = "") -> list[str]:
    missing = []
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            if isinstance(value, dict) and "description" not in value:
                missing.append(f"{path}/properties/{key}")
        for key, value in node.items():
            missing.extend(_properties_without_description(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing.extend(_properties_without_description(value, f"{path}/{index}"))
    return missing


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name: str) -> None:
    assert _properties_without_description(schema(name)) == []


def _format_version_of(name: str) -> str:
    """The version of the format of the documents schema ``name`` describes."""
    from benchmarkkit._model import SCHEMA_VERSION
    from benchmarkkit.reports._validation import REPORT_FORMAT_VERSION
    from benchmarkkit.scoring._json import SCORECARD_FORMAT_VERSION

    return {"scorecard": SCORECARD_FORMAT_VERSION, "validation-report": REPORT_FORMAT_VERSION}.get(
        name, SCHEMA_VERSION
    )


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_ids_carry_the_format_version(name: str) -> None:
    # One rule, stated in docs/reference/data-format.md: a schema's $id names the version of
    # the format of the documents it describes. A dataset, fragment or definitions file
    # carries the dataset format's version (schema_version); the scorecard schema the
    # scorecard's (scorecard_format_version), the validation-report schema the report's
    # (report_format_version), which change only when those documents change.
    version = _format_version_of(name)
    assert schema(name)["$id"] == f"https://schemas.benchmarkkit.org/{version}/{name}.schema.json"


def test_one_id_names_one_schema_in_every_published_version() -> None:
    # A scorecard schema that changes without a new scorecard format version would give two
    # different files one $id: a tool that caches schemas by $id would use the wrong one.
    from benchmarkkit._bundle import published_text, published_versions

    by_id: dict[str, set[str]] = {}
    for version in published_versions():
        for name in SCHEMA_NAMES:
            text = published_text(name, version)
            by_id.setdefault(json.loads(text)["$id"], set()).add(text)
    assert {key: len(texts) for key, texts in by_id.items() if len(texts) > 1} == {}


def test_every_record_object_forbids_unknown_fields() -> None:
    definitions = schema("definitions")["$defs"]
    open_objects = [
        name
        for name, definition in definitions.items()
        if definition.get("type") == "object"
        and "properties" in definition
        and definition.get("additionalProperties") is not False
        and name not in ("Condition", "Collections")
    ]
    assert open_objects == []


def test_the_published_schema_files_are_the_ones_the_package_ships() -> None:
    # Every version: the newest at the top of schemas/, each version's in schemas/X.Y/.
    from benchmarkkit._bundle import published_text, published_versions
    from tests.conftest import ROOT

    folder = ROOT / "schemas"
    published = {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in folder.rglob("*.json")
    }
    from benchmarkkit._schema import schema_text

    shipped = {
        f"{name}.schema.json": schema_text(name) for name in (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES)
    }
    for version in published_versions():
        for name in SCHEMA_NAMES:
            shipped[f"{version}/{name}.schema.json"] = published_text(name, version)
    assert sorted(published) == sorted(shipped), "run: benchmarkkit schema --output schemas"
    assert published == shipped, "run: benchmarkkit schema --output schemas"
