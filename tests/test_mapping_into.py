"""Mapped imports into a dataset (--into, --update), and the command's output and exit status."""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._mapped import run
from benchmarkkit._mapping import import_table
from tests.conftest import EXAMPLE
from tests.test_mapping import HEADERS, MAPPING, ROW, _row


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("m.yaml").write_text(MAPPING, encoding="utf-8")


def _table(rows: list[list[str]], name: str = "upr.csv") -> str:
    with Path(name).open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADERS, *rows])
    return name


def _args(source: str, output: str, **given: Any) -> argparse.Namespace:
    values: dict[str, Any] = {
        "source": source,
        "output": output,
        "mapping": "m.yaml",
        "into": None,
        "update": False,
        "encoding": None,
        "sheet": None,
        "format": "text",
    }
    values.update(given)
    return argparse.Namespace(**values)


def _same_folders(one: Path, other: Path) -> bool:
    compared = filecmp.dircmp(one, other)
    return not (compared.diff_files or compared.left_only or compared.right_only)


def _records(folder: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = yaml.safe_load(
        Path(folder, "recommendations.yaml").read_text("utf-8")
    )["recommendations"]
    return found


def test_an_import_writes_a_dataset_folder_and_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(_args(_table([ROW, _row(From="Germany")]), "first")) == 0
    out, err = capsys.readouterr()
    assert out.endswith("upr.csv: valid, with 0 errors, 0 warnings, 1 info\n")
    assert err == (
        "rows: 2 read, 2 kept, 1 merged into a record an earlier row made\n"
        "records: 1 made from the rows, 3 actors created; 5 added, 0 updated, 0 unchanged\n"
        "encoding: utf-8 (utf-8)\n"
        "wrote first: 3 actors, 1 source, 1 recommendation\n"
    )
    assert sorted(p.name for p in Path("first").iterdir()) == [
        "actors.yaml",
        "dataset.yaml",
        "recommendations.yaml",
        "sources.yaml",
    ]
    assert _records("first")[0]["by"] == ["france", "germany"]


def test_nothing_is_written_when_there_is_an_error_and_the_status_is_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(_args(_table([_row(Response="Maybe")]), "out")) == 1
    out, err = capsys.readouterr()
    assert out.startswith("upr.csv:upr!D2 (Response): value-not-mapped 'Maybe' is not")
    assert err.endswith("nothing was written\n")
    assert not Path("out").exists()


def test_problems_print_as_validate_prints_them_in_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(_args(_table([_row(Response="Maybe")]), "out", format="json")) == 1
    report = json.loads(capsys.readouterr().out)
    (problem,) = report["datasets"][0]["problems"]
    assert {k: problem[k] for k in ("code", "file", "sheet", "row", "header", "cell")} == {
        "code": "value-not-mapped",
        "file": "upr.csv",
        "sheet": "upr",
        "row": 2,
        "header": "Response",
        "cell": "upr!D2",
    }


def test_an_output_folder_that_exists_is_refused() -> None:
    Path("out").mkdir()
    with pytest.raises(
        CommandError, match="'out' already exists; import writes a new dataset folder"
    ):
        run(_args(_table([ROW]), "out"))


# -- --into ----------------------------------------------------------------------------------


def test_a_re_import_of_the_same_table_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = _table([ROW, _row(Text="Second", From="Germany", Response="Noted")])
    assert run(_args(table, "first")) == 0
    capsys.readouterr()
    assert run(_args(table, "second", into="first")) == 0
    assert "0 added, 0 updated, 3 unchanged" in capsys.readouterr().err
    assert _same_folders(Path("first"), Path("second"))


def test_a_changed_response_is_a_conflict_without_update_and_an_update_with_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(_args(_table([ROW]), "first")) == 0
    changed = _table([_row(Response="Noted")], "changed.csv")
    capsys.readouterr()
    assert run(_args(changed, "second", into="first")) == 1
    out, err = capsys.readouterr()
    identifier = _records("first")[0]["id"]
    assert out.startswith(
        f"changed.csv:changed!D2 (Response): import-conflict the recommendation "
        f"{identifier!r} is in first, where its responses[0].position is 'supported'; the "
        "table gives 'noted'\n"
        "    hint: Nothing was written. Give --update to take the table's values for the "
        "fields the mapping fills (the record's other fields are kept), or correct the table.\n"
    )
    assert err.endswith("nothing was written\n")
    assert not Path("second").exists()
    assert run(_args(changed, "second", into="first", update=True)) == 0
    assert "0 added, 1 updated, 1 unchanged" in capsys.readouterr().err
    assert _records("second")[0]["responses"] == [{"by": "kz", "position": "noted"}]


def test_a_field_added_by_hand_survives_an_update() -> None:
    assert run(_args(_table([ROW]), "first")) == 0
    path = Path("first", "recommendations.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    data["recommendations"][0]["paragraph"] = "119.3"
    data["recommendations"][0]["themes"] = ["Edited by hand"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    assert run(_args(_table([_row(Response="Noted")]), "second", into="first", update=True)) == 0
    (record,) = _records("second")
    assert record["paragraph"] == "119.3"  # not filled by the mapping: kept
    assert record["themes"] == ["Women's rights"]  # filled by the mapping: the table's
    assert record["responses"] == [{"by": "kz", "position": "noted"}]


def test_actors_of_the_dataset_imported_into_are_matched_by_name_short_name_or_id() -> None:
    shutil.copytree(EXAMPLE, "example")
    # The example's Kazakhstan is 'kz' ("Republic of Kazakhstan", short name "Kazakhstan").
    Path("m.yaml").write_text(MAPPING.replace("  ids: {Kazakhstan: kz}\n", ""), "utf-8")
    result = import_table(_table([_row(From="European Union")]), "m.yaml", into="example")
    assert [p for p in result.problems if p.severity == "error"] == []
    assert result.document is not None
    new = result.document["recommendations"][-1]
    actors = {a["id"]: a for a in result.document["actors"]}
    assert new["to"] == "kz"
    assert actors[new["by"][0]]["name"] == "European Union"
    assert result.summary.actors_created == 0


def test_archived_texts_of_the_dataset_imported_into_are_copied(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shutil.copytree(EXAMPLE, "example")
    assert run(_args(_table([ROW]), "out", into="example")) == 0
    capsys.readouterr()
    archived = sorted(
        p.relative_to("example").as_posix()
        for p in Path("example/sources").rglob("*")
        if p.is_file()
    )
    assert archived
    assert (
        sorted(
            p.relative_to("out").as_posix() for p in Path("out/sources").rglob("*") if p.is_file()
        )
        == archived
    )
    from benchmarkkit import validate

    report = validate("out")
    assert report.valid
    assert [p.code for p in report.problems if p.code.startswith("quote")] == []


def test_a_dataset_to_import_into_with_errors_stops_the_import(
    capsys: pytest.CaptureFixture[str],
) -> None:
    Path("broken.yaml").write_text("schema_version: '1.1'\nid: x\n", "utf-8")
    assert run(_args(_table([ROW]), "out", into="broken.yaml")) == 1
    out = capsys.readouterr().out
    assert "broken.yaml:1:1: missing-field the dataset: the required field 'title'" in out
    assert not Path("out").exists()


def test_the_import_command_with_a_mapping_exits_as_validate_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarkkit.cli import main

    table = _table([ROW])
    assert main(["import", table, "--mapping", "m.yaml", "-o", "first"]) == 0
    assert main(["import", table, "--mapping", "m.yaml", "--into", "first", "-o", "same"]) == 0
    changed = _table([_row(Response="Noted")], "changed.csv")
    assert main(["import", changed, "--mapping", "m.yaml", "--into", "first", "-o", "x"]) == 1
    assert not Path("x").exists()
    assert main(["import", table, "--mapping", "m.yaml", "-o", "first"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        "benchmarkkit import: error: 'first' already exists; import writes a new dataset "
        "folder, whole: give the name of a folder that does not exist yet\n"
    )


def test_a_name_whose_slug_is_an_actor_s_id_in_the_dataset_is_that_actor() -> None:
    shutil.copytree(EXAMPLE, "example")
    ids = {
        a["id"] for a in yaml.safe_load(Path("example/actors.yaml").read_text("utf-8"))["actors"]
    }
    assert "eu" in ids
    result = import_table(_table([_row(From="EU")]), "m.yaml", into="example")
    assert result.document is not None
    assert result.document["recommendations"][-1]["by"] == ["eu"]
    assert result.summary.actors_created == 0
