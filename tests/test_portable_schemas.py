"""The published schemas work in other validators, from a folder, with no network.

Each published schema (``benchmarkkit schema``, the repository's ``schemas/``)
stands alone: every ``$ref`` is local. check-jsonschema and jsonschema-rs
validate the example, exported as one JSON document, with the network
unreachable; ajv compiles every schema in strict mode where node and ajv-cli
are installed. The published form accepts exactly the documents the
library's own (modular) schemas accept, and the versions the dataset schema
accepts are the versions the library reads and the data-format page lists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from benchmarkkit._bundle import BundleError, bundle
from benchmarkkit._schema import SCHEMA_NAMES, iter_violations, schema_text
from benchmarkkit._validate import SUPPORTED_VERSIONS, _readable_versions, validate_data
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, ROOT
from tests.test_schema_agreement import mutated_documents

PUBLISHED = ROOT / "schemas"
PACKAGE = ROOT / "src" / "benchmarkkit" / "schemas"

#: Installed as ``sitecustomize`` in a child process: every attempt to resolve a host
#: name or open a connection fails, and says so on the standard error.
NETWORK_GUARD = """\
import socket, sys

def _refuse(*args, **kwargs):
    sys.stderr.write("network-guard: a connection was attempted\\n")
    raise OSError(101, "Network is unreachable (this test allows no network)")

socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.getaddrinfo = _refuse
socket.create_connection = _refuse
"""


def _refuse_retrieval(uri: str) -> Any:
    raise AssertionError(f"the validator tried to fetch {uri!r}")


def _published(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((PUBLISHED / f"{name}.schema.json").read_text("utf-8"))
    return result


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _at(document: Any, ref: str) -> Any:
    node = document
    for part in ref.removeprefix("#").split("/")[1:]:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_published_schema_refers_only_inside_itself(name: str) -> None:
    document = _published(name)
    refs = list(_refs(document))
    assert [ref for ref in refs if not ref.startswith("#")] == []
    for ref in refs:
        assert isinstance(_at(document, ref), dict | bool), ref
    # jsonschema-rs builds it with no registry, and would fail if it wanted to fetch anything.
    jsonschema_rs.validator_for(document, retriever=_refuse_retrieval)


@pytest.fixture
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example dataset (a folder of files), exported as one JSON document."""
    path = tmp_path / "kazakhstan.json"
    assert main(["export", str(EXAMPLE), "--format", "json", "-o", str(path)]) == 0
    capsys.readouterr()
    return path


def _offline(tmp_path: Path) -> dict[str, str]:
    """An environment for a child process in which the network is unreachable."""
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and key != "PYTHONPATH"
    }
    environ["PYTHONPATH"] = str(guard)
    return environ


def _check_jsonschema(
    schema: Path, document: Path, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(document)],
        env=_offline(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_jsonschema_validates_the_exported_example_with_no_network(
    exported: Path, tmp_path: Path
) -> None:
    result = _check_jsonschema(PUBLISHED / "dataset.schema.json", exported, tmp_path)
    assert "network-guard" not in result.stderr
    assert (result.returncode, result.stdout.strip()) == (0, "ok -- validation done")


def test_check_jsonschema_reports_a_broken_document_with_no_network(
    exported: Path, tmp_path: Path
) -> None:
    document = json.loads(exported.read_text("utf-8"))
    document["actors"][0]["kind"] = "club"
    exported.write_text(json.dumps(document), encoding="utf-8")
    result = _check_jsonschema(PUBLISHED / "dataset.schema.json", exported, tmp_path)
    assert "network-guard" not in result.stderr
    assert result.returncode == 1
    assert "$.actors[0].kind: 'club' is not one of" in result.stdout


def test_the_network_guard_stops_a_schema_that_would_fetch(exported: Path, tmp_path: Path) -> None:
    # The package's own dataset schema refers to definitions.schema.json by its web
    # address: check-jsonschema goes to fetch it, and the guard stops it. This is what
    # the published schemas avoid, and it shows the guard works.
    result = _check_jsonschema(PACKAGE / "dataset.schema.json", exported, tmp_path)
    assert result.returncode != 0
    assert "network-guard: a connection was attempted" in result.stderr


def test_jsonschema_rs_validates_the_exported_example_with_no_network(exported: Path) -> None:
    validator = jsonschema_rs.validator_for(_published("dataset"), retriever=_refuse_retrieval)
    document = json.loads(exported.read_text("utf-8"))
    assert [error.message for error in validator.iter_errors(document)] == []
    document["indicators"][0].pop("kind")
    assert [error.message for error in validator.iter_errors(document)] == [
        '"kind" is a required property'
    ]


def test_the_published_scorecard_and_report_schemas_accept_what_the_command_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card, report = tmp_path / "card.json", tmp_path / "report.json"
    assert (
        main(["score", str(EXAMPLE), "--as-of", "2012-03-20", "-f", "json", "-o", str(card)]) == 0
    )
    comparison = tmp_path / "comparison.json"
    arguments = ["score", str(EXAMPLE), "--as-of", "2012-03-20", "--compare", "2012-01-01"]
    assert main([*arguments, "-f", "json", "-o", str(comparison)]) == 0
    assert main(["validate", "--format", "json", str(EXAMPLE)]) == 0
    report.write_text(capsys.readouterr().out, encoding="utf-8")
    for name, path in (
        ("scorecard", card),
        ("scorecard", comparison),
        ("validation-report", report),
    ):
        validator = jsonschema_rs.validator_for(_published(name), retriever=_refuse_retrieval)
        errors = [error.message for error in validator.iter_errors(json.loads(path.read_text()))]
        assert (path.name, errors) == (path.name, [])


def _library_accepts(document: Any, name: str) -> bool:
    return iter_violations(document, name, "fast") == []


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(mutated_documents(), st.booleans())
def test_the_published_schemas_accept_exactly_what_the_library_accepts(
    document: dict[str, Any], as_fragment: bool
) -> None:
    name = "dataset"
    if as_fragment:
        name = "fragment"
        for key in ("schema_version", "id", "title", "subject", "language", "scoring"):
            document.pop(key, None)
    accepted = _library_accepts(document, name)
    event("accepted" if accepted else "refused")
    published = jsonschema_rs.validator_for(bundle(name), retriever=_refuse_retrieval)
    assert published.is_valid(document) == accepted


def _ajv() -> str:
    """The ajv command, or a skip saying what is missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed (CI has none), so ajv cannot run")
    ajv = os.environ.get("BENCHMARKKIT_AJV") or shutil.which("ajv")
    if ajv is None:
        pytest.skip(
            "ajv-cli is not installed: 'npm install -g ajv-cli', or set "
            "BENCHMARKKIT_AJV to its ajv command"
        )
    return ajv


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_ajv_compiles_every_published_schema_in_strict_mode(name: str) -> None:
    ajv = _ajv()
    path = PUBLISHED / f"{name}.schema.json"
    command = [ajv, "compile", "--spec=draft2020", "--strict=true"]  # as the issue asks it
    result = subprocess.run(
        [*command, "-s", str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    output = result.stdout + result.stderr
    assert (result.returncode, output.strip()) == (0, f"schema {path} is valid")


def test_the_package_schemas_refer_to_each_other_and_the_published_ones_do_not() -> None:
    # Otherwise bundling would be needless, or would have missed a reference.
    assert "definitions.schema.json#/$defs/Id" in list(
        _refs(json.loads((PACKAGE / "dataset.schema.json").read_text("utf-8")))
    )
    assert "#/$defs/Id" in list(_refs(_published("dataset")))


def test_bundling_refuses_a_reference_it_cannot_move(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmarkkit._bundle as bundler

    sources = {
        "dataset": {"properties": {"x": {"$ref": "definitions.schema.json#/properties/y"}}},
        "definitions": {"properties": {"y": {"type": "string"}}},
    }
    monkeypatch.setattr(bundler, "_source", lambda name: sources[name])
    with pytest.raises(BundleError, match=r"cannot inline 'definitions.schema.json#/properties/y'"):
        bundle("dataset")


def test_bundling_refuses_two_different_definitions_of_one_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import benchmarkkit._bundle as bundler

    sources = {
        "dataset": {
            "properties": {"x": {"$ref": "definitions.schema.json#/$defs/Id"}},
            "$defs": {"Id": {"type": "integer"}},
        },
        "definitions": {"$defs": {"Id": {"type": "string"}}},
    }
    monkeypatch.setattr(bundler, "_source", lambda name: sources[name])
    with pytest.raises(BundleError, match=r"dataset and definitions both define \$defs/Id"):
        bundle("dataset")


def test_bundling_refuses_the_unevaluated_properties_keyword_but_not_the_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import benchmarkkit._bundle as bundler

    mentions = {
        "description": "Closed: no unevaluatedProperties here, only additionalProperties.",
        "type": "object",
        "properties": {
            "unevaluatedProperties": {"type": "string", "description": "a field named so"},
            "note": {"enum": ["unevaluatedProperties"]},
        },
        "$defs": {"Other": {"description": "unevaluatedProperties is not supported"}},
    }
    monkeypatch.setattr(bundler, "_source", lambda name: mentions)
    assert bundle("dataset") == mentions

    inner = {"allOf": [{"$ref": "#/$defs/Other"}], "unevaluatedProperties": False}
    uses = {**mentions, "$defs": {"Other": {"type": "object"}, "Closed": inner}}
    monkeypatch.setattr(bundler, "_source", lambda name: uses)
    with pytest.raises(
        BundleError, match=r"^dataset: unevaluatedProperties is not supported by the bundler$"
    ):
        bundle("dataset")


def test_bundling_rewrites_what_ajv_strict_mode_refuses_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import benchmarkkit._bundle as bundler

    source = {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "unit": {"type": "string"},
            "value": {"type": ["boolean", "number", "string"]},
            "note": {"type": ["string", "null"]},
        },
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": "numeric"}}, "required": ["kind"]},
                "then": {"required": ["unit"]},
            }
        ],
    }
    monkeypatch.setattr(bundler, "_source", lambda name: source)
    result = bundle("dataset")
    assert result["properties"]["value"] == {
        "anyOf": [{"type": "boolean"}, {"type": "number"}, {"type": "string"}]
    }
    assert result["properties"]["note"] == {"type": ["string", "null"]}  # ajv allows it
    assert result["allOf"][0]["then"] == {"required": ["unit"], "properties": {"unit": True}}
    assert result["allOf"][0]["if"] == source["allOf"][0]["if"]  # type: ignore[index]


# -- versions: one rule in the schema, the library and the docs --------------------------


def test_the_dataset_schema_accepts_exactly_the_versions_the_library_reads() -> None:
    published = bundle("dataset")["properties"]["schema_version"]
    assert published["enum"] == list(SUPPORTED_VERSIONS) == ["1.0", "1.1"]


def test_a_reader_of_format_1_n_reads_every_1_m_up_to_n() -> None:
    assert _readable_versions("1.0") == ("1.0",)
    assert _readable_versions("1.2") == ("1.0", "1.1", "1.2")


def test_the_data_format_page_states_the_rule_and_the_versions() -> None:
    page = (ROOT / "docs" / "reference" / "data-format.md").read_text("utf-8")
    words = " ".join(page.split())
    assert "A reader of format 1.N reads every version 1.M with M ≤ N" in words
    listed = " and ".join(", ".join(f"`{v}`" for v in SUPPORTED_VERSIONS).rsplit(", ", 1))
    assert f"This benchmarkkit reads {listed};" in words
    assert "Unknown fields are errors in every version" in words


VERSIONS = st.from_regex(re.compile(r"[0-9]{1,2}\.[0-9]{1,2}"), fullmatch=True) | st.sampled_from(
    ["1.0", "1.1", "2.0", "0.9", "1", "1.0.0", "v1.0", ""]
)


@settings(max_examples=40)
@given(VERSIONS)
def test_the_library_and_the_schema_agree_on_every_version(version: str) -> None:
    document = {"schema_version": version, "id": "d", "title": "A dataset"}
    report = validate_data(document, plugins=False)
    codes = [problem.code for problem in report.problems]
    schema_accepts = jsonschema_rs.validator_for(bundle("dataset")).is_valid(document)
    assert schema_accepts == (version in SUPPORTED_VERSIONS)
    assert codes == ([] if schema_accepts else ["unsupported-schema-version"])


@pytest.mark.parametrize(
    ("version", "fix"),
    [
        ("1.2", "upgrade benchmarkkit to a release that reads it"),
        ("2.0", "upgrade benchmarkkit to a release that reads it"),
        ("0.9", "write the version as '1.1', the format this benchmarkkit writes"),
    ],
)
def test_a_version_it_does_not_read_is_refused_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], version: str, fix: str
) -> None:
    path = tmp_path / "later.yaml"
    path.write_text(
        f'schema_version: "{version}"\nid: later\ntitle: A later format\nactors: changed\n',
        encoding="utf-8",
    )
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path}:1:1: unsupported-schema-version the dataset is written for format version "
        f"'{version}'; this benchmarkkit reads versions 1.0 and 1.1, so the file was not read; "
        f"{fix}\n"
    ) in out
    assert "1 error, 0 warnings" in out  # nothing else: the file was not read


def test_schema_text_is_the_bundled_schema() -> None:
    # test_schema_agreement.py checks that the repository's schemas/ holds these texts.
    for name in SCHEMA_NAMES:
        assert json.loads(schema_text(name)) == bundle(name)


@given(st.dates())
def test_the_scorecards_date_pattern_accepts_every_day(day: dt.date) -> None:
    assert re.fullmatch(_DATE_PATTERN, day.isoformat())


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_the_scorecards_date_pattern_accepts_only_days_that_exist(text: str) -> None:
    assume(not text.startswith("0000"))  # Python has no year 0; no scorecard can be dated in it
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        exists = False
    else:
        exists = True
    assert bool(re.fullmatch(_DATE_PATTERN, text)) == exists


_DATE_PATTERN = json.loads(
    (Path(__file__).parents[1] / "schemas" / "scorecard.schema.json").read_text("utf-8")
)["$defs"]["Date"]["pattern"]
