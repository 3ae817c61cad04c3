"""Format versions: 1.0 still means 1.0, each version's schemas are published, and the
library, the schemas and the docs state one versioning policy.

The frozen record of format 1.0 is in ``tests/data/format-1.0/`` (never edited). The
1.0 test fixtures are pinned to their codes by
``tests/test_validate.py::test_invalid_fixture_yields_exactly_its_codes`` and
``tests/test_validate.py::test_valid_fixtures_have_no_problem``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from benchmarkkit import Classification, Dataset, Recommendation, Response, load_dataset, validate
from benchmarkkit._bundle import published_text, published_versions
from benchmarkkit._cli._parser import build_parser
from benchmarkkit._later_fields import _plan, later_fields
from benchmarkkit._model import COLLECTIONS, SCHEMA_VERSION
from benchmarkkit._references import record_classes
from benchmarkkit._schema import OTHER_SCHEMA_NAMES, SCHEMA_NAMES, schema
from benchmarkkit._since import added_fields
from benchmarkkit._validate import SUPPORTED_VERSIONS
from benchmarkkit.cli import main
from benchmarkkit.reports._validation import report_to_json
from benchmarkkit.scoring import score, scorecard_to_json
from tests.conftest import ROOT

FROZEN = ROOT / "tests" / "data" / "format-1.0"
FROZEN_EXAMPLE = FROZEN / "kazakhstan-2012"


def _frozen(name: str) -> Any:
    return json.loads((FROZEN / name).read_text(encoding="utf-8"))


# -- 1.0 still means 1.0 -------------------------------------------------------------------


def test_the_frozen_1_0_example_validates_to_exactly_the_frozen_report(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FROZEN)  # the frozen report names the dataset as given: kazakhstan-2012
    report = validate("kazakhstan-2012")
    document = report_to_json([report], strict=False, max_problems=None)
    expected = _frozen("kazakhstan-2012.validation.json")
    del document["tool"], expected["tool"]  # the version of benchmarkkit that wrote it
    # The report's own format moved on (1.1 adds a problem's place in a table file, which
    # only adds keys to problems); the 1.0 example has no problem to carry them.
    assert (expected["report_format_version"], document["report_format_version"]) == ("1.0", "1.1")
    del document["report_format_version"], expected["report_format_version"]
    assert document == expected
    assert report.schema_version == "1.0"


def test_the_frozen_1_0_example_scores_to_exactly_the_frozen_scorecard() -> None:
    expected = _frozen("kazakhstan-2012.scorecard.json")
    report = validate(FROZEN_EXAMPLE)
    assert report.dataset is not None
    card = scorecard_to_json(score(report.dataset, as_of=expected["as_of"]))
    # The scorecard's own format moved on (1.1 adds recommendations, empty for a 1.0
    # dataset); its results and fingerprint did not.
    assert expected["scorecard_format_version"] == "1.0"
    for key in ("$schema", "scorecard_format_version", "tool"):
        del card[key], expected[key]
    assert card.pop("recommendations", None) in (None, {}, [])
    for area in card["areas"]:
        area.pop("recommendations", None)
    assert card["fingerprint"] == expected["fingerprint"]
    assert card == expected


def _frozen_validator(name: str) -> jsonschema.Draft202012Validator:
    folder = FROZEN / "schemas"
    documents = [json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))]
    registry: Registry[Any] = Registry().with_resources(
        (document["$id"], DRAFT202012.create_resource(document)) for document in documents
    )
    main_document = json.loads((folder / f"{name}.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(main_document, registry=registry)


def test_the_frozen_1_0_schemas_accept_the_frozen_example() -> None:
    # Offline: every $ref in a published file is local, and the registry holds nothing else.
    manifest = yaml.safe_load((FROZEN_EXAMPLE / "dataset.yaml").read_text("utf-8"))
    assert list(_frozen_validator("dataset").iter_errors(manifest)) == []
    fragments = [p for p in FROZEN_EXAMPLE.glob("*.yaml") if p.name != "dataset.yaml"]
    assert len(fragments) == 10
    fragment = _frozen_validator("fragment")
    for path in fragments:
        errors = [e.message for e in fragment.iter_errors(yaml.safe_load(path.read_text("utf-8")))]
        assert errors == [], path.name
    one_file = json.loads((FROZEN / "kazakhstan-2012.dataset.json").read_text("utf-8"))
    assert list(_frozen_validator("dataset").iter_errors(one_file)) == []


def test_the_frozen_1_0_schemas_refuse_a_1_1_dataset() -> None:
    one_file = json.loads((FROZEN / "kazakhstan-2012.dataset.json").read_text("utf-8"))
    one_file["schema_version"] = "1.1"
    messages = [e.message for e in _frozen_validator("dataset").iter_errors(one_file)]
    assert messages == ["'1.1' is not one of ['1.0']"]


# -- each version's schemas are published --------------------------------------------------


def test_every_version_this_library_reads_has_its_schemas_published() -> None:
    assert published_versions() == SUPPORTED_VERSIONS == ("1.0", "1.1")


def test_the_package_ships_the_1_0_schemas_exactly_as_they_were_published() -> None:
    for name in SCHEMA_NAMES:
        frozen = (FROZEN / "schemas" / f"{name}.schema.json").read_text("utf-8")
        assert published_text(name, "1.0") == frozen, name


def test_the_newest_version_s_schemas_are_the_package_s_own() -> None:
    for name in SCHEMA_NAMES:
        assert published_text(name, SCHEMA_VERSION) == published_text(name)
        assert json.loads(published_text(name))["$id"] == schema(name)["$id"]


def test_the_schema_command_prints_a_version_s_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--format-version", "1.0"]) == 0
    out = capsys.readouterr().out
    assert out == (FROZEN / "schemas" / "dataset.schema.json").read_text("utf-8")
    assert main(["schema", "fragment", "--format-version", "1.1"]) == 0
    assert '"$id": "https://schemas.benchmarkkit.org/1.1/fragment.schema.json"' in (
        capsys.readouterr().out
    )


def test_the_schema_command_names_the_versions_it_has(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--format-version", "0.9"]) == 2
    assert capsys.readouterr().err == (
        "benchmarkkit schema: error: no schemas are published for format version '0.9'; "
        "this benchmarkkit publishes those of 1.0, 1.1\n"
    )


def test_the_schema_command_writes_every_version_into_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--output", str(tmp_path / "schemas")]) == 0
    written = sorted(
        p.relative_to(tmp_path / "schemas").as_posix() for p in tmp_path.rglob("*.json")
    )
    names = sorted(f"{n}.schema.json" for n in SCHEMA_NAMES)
    others = [f"{n}.schema.json" for n in OTHER_SCHEMA_NAMES]  # versioned on their own
    assert written == sorted(
        [*names, *others, *(f"1.0/{n}" for n in names), *(f"1.1/{n}" for n in names)]
    )
    assert f"wrote {tmp_path / 'schemas' / '1.0' / 'dataset.schema.json'}\n" in (
        capsys.readouterr().out
    )
    one_version = tmp_path / "only-1.0"
    assert main(["schema", "--format-version", "1.0", "--output", str(one_version)]) == 0
    assert sorted(p.name for p in one_version.iterdir()) == names
    again = tmp_path / "schemas" / "1.0" / "dataset.schema.json"
    again.write_text("stale", "utf-8")  # a second run over the tree refreshes it
    assert main(["schema", "--output", str(tmp_path / "schemas")]) == 0
    assert again.read_text("utf-8") == published_text("dataset", "1.0")


# -- a 1.0 dataset that uses a 1.1 field -----------------------------------------------------


def _added_keys() -> list[tuple[str, str]]:
    """Every (record class, field) added after 1.0, read from the model as the check reads it."""
    found: list[tuple[str, str]] = []
    for cls in (Dataset, *COLLECTIONS.values()):
        found.extend((cls.__name__, name) for name in added_fields(cls))
    return sorted(found)


def test_the_keys_new_in_1_1_are_read_from_the_added_in_metadata() -> None:
    assert {
        ("Assessment", "recommendation"),
        ("Benchmark", "recommendations"),
        ("Commitment", "recommendations"),
        ("Dataset", "recommendations"),
        ("Evidence", "recommendations"),
        ("Gate", "recommendations"),
    } <= set(_added_keys())
    plan = _plan(Dataset)
    assert plan is not None
    assert plan.added["recommendations"] == "1.1"
    assert _plan(COLLECTIONS["recommendations"]) is None  # nothing in a 1.1 record to look at


@pytest.mark.parametrize(("record", "key"), _added_keys())
def test_each_field_new_in_1_1_is_found_in_a_1_0_dataset(record: str, key: str) -> None:
    collection = next((c for c, cls in COLLECTIONS.items() if cls.__name__ == record), None)
    value: Any = ["x"]
    data = {key: value} if collection is None else {collection: [{"id": "r", key: value}]}
    found = later_fields(data, "1.0")
    path = (key,) if collection is None else (collection, 0, key)
    assert [(f.path, f.key, f.version) for f in found] == [(path, key, "1.1")]
    assert later_fields(data, "1.1") == []


_EXAMPLE_1_0 = (FROZEN / "kazakhstan-2012.dataset.yaml").read_text("utf-8")


def _one_file(tmp_path: Path, text: str) -> Path:
    for archive in (FROZEN_EXAMPLE / "sources").iterdir():
        (tmp_path / "sources").mkdir(exist_ok=True)
        (tmp_path / "sources" / archive.name).write_bytes(archive.read_bytes())
    path = tmp_path / "dataset.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_1_0_dataset_using_a_1_1_field_gets_one_problem_per_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _EXAMPLE_1_0.replace(
        "- id: bm-election-law\n",
        "- id: bm-election-law\n  recommendations:\n  - rec-1\n",
    )
    text += (
        "recommendations:\n- id: rec-1\n  text: Make the PCA conditional.\n  by: [norhc]\n"
        "  to: eu\n  date: '2012-03-20'\n  mechanism: ngo\n"
    )
    assert text.count("recommendations:") == 2
    path = _one_file(tmp_path, text)
    report = validate(path)
    found = [(p.code, p.pointer, p.message) for p in report.problems]
    line = text.splitlines().index("recommendations:") + 1
    assert found == [
        (
            "field-from-later-version",
            "/benchmarks/0/recommendations",
            (
                "benchmark 'bm-election-law': 'recommendations' is new in format 1.1, and this "
                "dataset says it is 1.0: set schema_version to '1.1' (benchmarkkit upgrade does "
                "it), or remove the field"
            ),
        ),
        (
            "field-from-later-version",
            "/recommendations",
            (
                "'recommendations' is new in format 1.1, and this dataset says it is 1.0: set "
                "schema_version to '1.1' (benchmarkkit upgrade does it), or remove the field"
            ),
        ),
    ]
    assert report.problems[1].line == line
    assert main(["validate", str(path)]) == 1
    assert "2 errors, 0 warnings" in capsys.readouterr().out
    upgraded = text.replace("schema_version: '1.0'", "schema_version: '1.1'", 1)
    after = validate(_one_file(tmp_path, upgraded))
    assert after.counts()["error"] == 0  # 1.1's own checks may add notes at info level
    assert "field-from-later-version" not in {p.code for p in after.problems}


def test_a_1_0_dataset_without_1_1_fields_costs_nothing_more_than_a_walk_of_its_records() -> None:
    # Only the records that have a field added after 1.0 are looked at: not their texts.
    data = yaml.safe_load(_EXAMPLE_1_0)
    assert later_fields(data, "1.0") == []
    assert later_fields(data, SCHEMA_VERSION) == []


# -- one versioning policy in the schemas, the library and the docs ---------------------------


def test_the_schema_the_library_and_the_docs_state_the_same_versions() -> None:
    description = schema("dataset")["properties"]["schema_version"]["description"]
    assert schema("dataset")["properties"]["schema_version"]["enum"] == list(SUPPORTED_VERSIONS)
    assert "A reader of format 1.N reads every version from 1.0 to 1.N" in description
    page = " ".join((ROOT / "docs" / "reference" / "data-format.md").read_text("utf-8").split())
    assert "A reader of format 1.N reads every version 1.M with M ≤ N" in page
    for words in (
        "A minor version (1.0 to 1.1) may add",
        "A major version (1.x to 2.0) is needed to remove or rename",
        "apply only to datasets that declare the version that added them",
        "benchmarkkit upgrade",
        "schemas/1.0/",
        "--format-version",
        "A schema's `$id` names the version of the format of the documents it describes",
    ):
        assert words in page, words


def test_the_command_reference_lists_upgrade() -> None:
    import argparse

    commands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    assert "upgrade" in commands
    page = (ROOT / "docs" / "reference" / "cli-help.md").read_text("utf-8")
    assert "benchmarkkit upgrade" in page


def test_a_full_disk_in_a_version_folder_leaves_no_new_folder_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    import benchmarkkit._write as write

    real = write.write_new

    def full_in_1_1(path: Path, data: bytes, *, mode: int | None = None) -> None:
        if path.parent.name == "1.1":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data, mode=mode)

    monkeypatch.setattr(write, "write_new", full_in_1_1)
    assert main(["schema", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith(": No space left on device; no file was changed\n")
    assert list(tmp_path.iterdir()) == []


# -- a dataset that uses all of format 1.1 ------------------------------------------------------


def _every_added_key() -> set[str]:
    """Every key format 1.1 added, as ``Class.field``, read from the ``added_in`` declarations."""
    return {
        f"{cls.__name__}.{name}" for cls in record_classes([Dataset]) for name in added_fields(cls)
    }


def test_a_dataset_using_every_field_of_format_1_1_validates(tmp_path: Path) -> None:
    """The 1.1 fixture, with its archive moved to a shared folder, uses all of 1.1 and is valid."""
    folder = tmp_path / "dataset"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "recommendations", folder)
    (tmp_path / "shared").mkdir()
    (folder / "sources" / "upr-report.txt").rename(tmp_path / "shared" / "upr-report.txt")
    manifest = folder / "dataset.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("archive: sources/upr-report.txt", "archive: ../shared/upr-report.txt")
    text = text.replace(
        "title: A UPR recommendation followed through\n",
        ('title: A UPR recommendation followed through\narchive_folders: ["../shared"]\n'),
    )
    manifest.write_text(text, encoding="utf-8")

    report = validate(folder)
    assert report.problems == ()
    dataset = load_dataset(folder)
    # Every field format 1.1 added holds a value other than its default somewhere.
    used: set[str] = set()
    seen_values: dict[type, list[Any]] = {}

    def visit(value: Any) -> None:
        if attrs.has(type(value)):
            seen_values.setdefault(type(value), []).append(value)
            for field in attrs.fields(type(value)):
                inner = getattr(value, field.name)
                if inner != field.default:
                    used.add(f"{type(value).__name__}.{field.name}")
                visit(inner)
        elif isinstance(value, tuple):
            for item in value:
                visit(item)

    visit(dataset)
    assert _every_added_key() - used == set()
    # And every field of the records format 1.1 brought.
    for cls in (Recommendation, Response, Classification):
        assert {f"{cls.__name__}.{field.name}" for field in attrs.fields(cls)} - used == set()
