"""``benchmarkkit export``: a valid dataset as one JSON document, never over an input."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

from benchmarkkit import Dataset, dump_dataset, load_dataset, save_dataset
from benchmarkkit._model import SCHEMA_VERSION
from benchmarkkit._schema import iter_violations
from benchmarkkit._validate import validate_data
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, EXAMPLE_NOTES
from tests.strategies import valid_datasets


def test_export_writes_the_dataset_as_one_json_document_on_the_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["export", str(EXAMPLE)]) == 0
    out, err = capsys.readouterr()
    assert out == dump_dataset(load_dataset(EXAMPLE), "json")
    assert err == ""
    document = json.loads(out)
    assert (document["schema_version"], document["id"]) == (SCHEMA_VERSION, "kazakhstan-2012")
    assert iter_violations(document, "dataset") == []


def test_a_dash_is_the_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(EXAMPLE), "--format", "json", "-o", "-"]) == 0
    assert capsys.readouterr().out == dump_dataset(load_dataset(EXAMPLE), "json")


def test_the_exported_file_reads_as_the_same_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kazakhstan.json"
    assert main(["export", str(EXAMPLE), "-o", str(path)]) == 0
    assert capsys.readouterr() == ("", "")
    # Archived texts stay files, at paths relative to the dataset's folder.
    report = validate_data(json.loads(path.read_text("utf-8")), root=EXAMPLE)
    assert report.codes() == EXAMPLE_NOTES
    assert report.dataset == load_dataset(EXAMPLE)


@settings(max_examples=15)
@given(valid_datasets())
def test_every_valid_dataset_exports_to_its_own_json(dataset: Dataset) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "data", Path(folder) / "out.json"
        save_dataset(dataset, source, layout="folder")
        assert main(["export", str(source), "-o", str(target)]) == 0
        assert target.read_text("utf-8") == dump_dataset(attrs.evolve(dataset, include=()), "json")


def test_a_folder_datasets_include_patterns_are_not_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ds"
    (folder / "more").mkdir(parents=True)
    (folder / "dataset.yaml").write_text(
        'schema_version: "1.0"\nid: d\ntitle: T\ninclude: ["more/*.yaml"]\n', "utf-8"
    )
    (folder / "more" / "areas.yaml").write_text("areas: [{id: a, title: A}]\n", "utf-8")
    assert main(["export", str(folder), "-o", str(tmp_path / "d.json")]) == 0
    assert json.loads((tmp_path / "d.json").read_text("utf-8")) == {
        "schema_version": "1.0",
        "id": "d",
        "title": "T",
        "areas": [{"id": "a", "title": "A"}],
    }


def test_export_refuses_to_write_inside_the_dataset_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    save_dataset(load_dataset(EXAMPLE), folder, layout="folder")
    target = folder / "all.json"
    assert main(["export", str(folder), "-o", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"benchmarkkit export: error: {str(target)!r} is inside the dataset folder "
        f"{str(folder)!r}, which would read it as part of the dataset; write it somewhere "
        "else, leave it out with the manifest's include, or add --force to write it anyway\n"
    )
    assert not target.exists()


def test_export_refuses_to_write_over_the_dataset_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kazakhstan.yaml"
    save_dataset(load_dataset(EXAMPLE), path)
    before = path.read_bytes()
    assert main(["export", str(path), "-o", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"benchmarkkit export: error: {str(path)!r} is the dataset file {str(path)!r} itself, "
        "so writing there would destroy it; write to another file, or add --force to "
        "overwrite it anyway\n"
    )
    assert path.read_bytes() == before


def test_an_invalid_dataset_is_not_exported_and_its_problems_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        'schema_version: "1.0"\nid: broken\ntitle: Broken\n'
        "actors:\n  - id: a\n    name: A\n    kind: club\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.json"
    assert main(["export", str(path), "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{path}:7:5: invalid-value actor 'a': 'kind' must be 'state', " in err
    assert "or 'other', found 'club'\n" in err
    assert err.endswith(
        f"benchmarkkit export: error: {path} has errors, so it cannot be exported; fix them "
        f"first ('benchmarkkit validate {path}' lists them all)\n"
    )
    assert not target.exists()


def test_a_path_that_holds_no_dataset_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing"
    assert main(["export", str(missing)]) == 2
    assert capsys.readouterr().out == ""


def test_an_unknown_format_is_refused_with_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(EXAMPLE), "--format", "xml"]) == 2
    assert "argument -f/--format: invalid choice: 'xml' (choose from 'json', 'xlsx', 'csv')" in (
        capsys.readouterr().err
    )


def test_the_command_offers_exactly_the_formats_it_can_write() -> None:
    import argparse

    from benchmarkkit._cli.export import FORMATS
    from benchmarkkit.cli import build_parser

    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    export = commands.choices["export"]
    option = next(action for action in export._actions if "--format" in action.option_strings)
    assert list(option.choices or ()) == list(FORMATS)
