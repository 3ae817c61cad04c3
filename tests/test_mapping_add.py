"""A mapping's `add` records: an id given twice is a problem at its line, never dropped."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._mapping import import_table
from benchmarkkit.cli import main

HEAD = """\
mapping_version: "1.0"
dataset: {id: upr-sample, title: UPR sample}
actors: {kind: state}
"""

RECORDS = """\
records:
  - collection: recommendations
    id: {prefix: "upr-", column: ID}
    fields:
      text: {column: Text}
      by: {column: From, actor: true}
      to: {column: To, actor: true}
      mechanism: {value: upr}
      date: {value: "2014-10-22"}
      source: {value: upr-info-database}
"""

SOURCE = "    - {id: upr-info-database, title: UPR Info database, kind: report}\n"


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with Path("upr.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(
            [
                ["ID", "To", "Text", "From"],
                ["7", "Kazakhstan", "Ratify the Optional Protocol", "France"],
                ["8", "Kazakhstan", "Abolish the death penalty", "Germany"],
            ]
        )


def _mapping(add: str, records: str = RECORDS) -> None:
    Path("m.yaml").write_text(f"{HEAD}add:\n{add}{records}", encoding="utf-8")


Capsys = pytest.CaptureFixture[str]


def _import(capsys: Capsys, *options: str) -> tuple[int, str, str]:
    """``benchmarkkit import upr.csv --mapping m.yaml -o out``: the status, stdout, stderr."""
    status = main(["import", "upr.csv", "--mapping", "m.yaml", "-o", "out", *options])
    out, err = capsys.readouterr()
    return status, out, err


def _problems(out: str) -> list[str]:
    """The problem lines of a text report, without the hints and the summary line."""
    return [line for line in out.splitlines() if ": duplicate-id " in line or "conflict" in line]


# -- an id given twice in `add` --------------------------------------------------------------


def test_two_add_sources_with_one_id_are_a_duplicate_id_at_the_second_s_line(
    capsys: Capsys,
) -> None:
    _mapping(
        "  sources:\n"
        + SOURCE
        + "    - {id: upr-info-database, title: UPR Info database 2, kind: report}\n",
    )
    status, out, err = _import(capsys)
    assert status == 1
    assert _problems(out) == [
        (
            "m.yaml:7:8: duplicate-id the mapping's `add` has two source records with the id "
            "'upr-info-database'; the first is at line 6 of m.yaml: give each its own id, or "
            "remove the repeated one"
        )
    ]
    assert "the table gives" not in out
    assert out.endswith("upr.csv: invalid: 1 error, 0 warnings\n")
    assert err.endswith("nothing was written\n")
    assert not Path("out").exists()


def test_two_add_actors_with_one_id_and_different_names_are_a_duplicate_id(capsys: Capsys) -> None:
    _mapping(
        "  sources:\n"
        + SOURCE
        + "  actors:\n"
        + "    - {id: kz, name: Kazakhstan, kind: state}\n"
        + "    - {id: kz, name: Republic of Kazakhstan, kind: state}\n",
    )
    status, out, err = _import(capsys)
    assert status == 1
    assert _problems(out) == [
        (
            "m.yaml:9:8: duplicate-id the mapping's `add` has two actor records with the id 'kz'; "
            "the first is at line 8 of m.yaml: give each its own id, or remove the repeated one"
        )
    ]
    assert "1 unchanged" not in err
    assert not Path("out").exists()


def test_an_add_record_repeated_word_for_word_is_reported_too(capsys: Capsys) -> None:
    _mapping("  sources:\n" + SOURCE + SOURCE)
    status, out, _err = _import(capsys)
    assert status == 1
    assert [line[:40] for line in _problems(out)] == ["m.yaml:7:8: duplicate-id the mapping's `"]
    assert not Path("out").exists()


def test_a_repeated_add_id_in_a_json_mapping_is_at_its_line_in_the_json_report(
    capsys: Capsys,
) -> None:
    mapping = {
        "mapping_version": "1.0",
        "dataset": {"id": "upr-sample", "title": "UPR sample"},
        "add": {
            "sources": [
                {"id": "upr-info-database", "title": "UPR Info database", "kind": "report"},
                {"id": "upr-info-database", "title": "Another", "kind": "report"},
            ]
        },
        "actors": {"kind": "state"},
        "records": [
            {
                "collection": "recommendations",
                "id": {"column": "ID"},
                "fields": {"text": {"column": "Text"}, "source": {"value": "upr-info-database"}},
            }
        ],
        "ignore": ["To", "From"],
    }
    Path("m.json").write_text(json.dumps(mapping, indent=2), encoding="utf-8")
    status = main(["import", "upr.csv", "--mapping", "m.json", "-o", "out", "--format", "json"])
    out, _err = capsys.readouterr()
    assert status == 1
    (problem,) = json.loads(out)["datasets"][0]["problems"]
    assert {k: problem[k] for k in ("code", "severity", "file", "line", "pointer", "cell")} == {
        "code": "duplicate-id",
        "severity": "error",
        "file": "m.json",
        "line": 15,
        "pointer": "/add/sources/1/id",
        "cell": None,
    }
    assert problem["message"].endswith(
        "the first is at line 9 of m.json: give each its own id, or remove the repeated one"
    )
    assert not Path("out").exists()


@given(ids=st.lists(st.sampled_from(["a", "b", "c", "upr-info-database"]), max_size=6))
def test_every_repeat_of_an_add_id_is_one_problem_at_its_own_line(ids: list[str]) -> None:
    # The source the records cite on line 6, then one source a line.
    sources = "".join(
        f"    - {{id: {i}, title: Source {n}, kind: report}}\n" for n, i in enumerate(ids)
    )
    _mapping("  sources:\n" + SOURCE + sources)
    result = import_table("upr.csv", "m.yaml")
    found = [(p.line, p.pointer) for p in result.problems if p.code == "duplicate-id"]
    given = ["upr-info-database", *ids]
    repeats = [n for n, i in enumerate(given) if i in given[:n]]
    assert found == [(6 + n, f"/add/sources/{n}/id") for n in repeats]
    assert (result.dataset is None) is bool(repeats)
    if result.dataset is not None:
        assert [s.id for s in result.dataset.sources] == given


# -- an `add` id that the rows make too --------------------------------------------------------


def test_an_add_record_whose_id_a_row_makes_is_at_its_line_naming_the_row_s_cell(
    capsys: Capsys,
) -> None:
    _mapping(
        "  sources:\n"
        + SOURCE
        + "  recommendations:\n"
        + "    - {id: upr-7, text: Something else, by: [kz], to: [kz], mechanism: upr,"
        + " date: '2014-10-22', source: upr-info-database}\n",
    )
    status, out, err = _import(capsys)
    assert status == 1
    assert _problems(out) == [
        (
            "m.yaml:8:8: duplicate-id this recommendation of the mapping's `add` has the id "
            "'upr-7', and the table makes a recommendation with the same id at row 2 (upr!A2); "
            "a record comes from one place: remove it from `add`, or change its id"
        )
    ]
    assert not Path("out").exists()
    assert err.endswith("nothing was written\n")


def test_a_row_made_actor_with_the_id_of_an_actor_made_for_a_name_is_at_its_id_cell(
    capsys: Capsys,
) -> None:
    Path("upr.csv").write_text(
        "ID,To,Text,From,Code\n7,Kazakhstan,Ratify it,France,france\n", encoding="utf-8"
    )
    actors = (
        "  - collection: actors\n"
        "    id: {column: Code}\n"
        "    fields: {name: {column: From}, kind: {value: state}}\n"
    )
    _mapping("  sources:\n" + SOURCE, records=RECORDS + actors)
    status, out, _err = _import(capsys)
    assert status == 1
    assert _problems(out) == [
        (
            "upr.csv:upr!E2 (Code): duplicate-id this row makes an actor with the id 'france', "
            "which row 2 (upr!D2) already made; the two are not merged: make the record in one "
            "place only, or change how the mapping makes their ids"
        )
    ]
    assert not Path("out").exists()


# -- `add` records and the dataset imported into ---------------------------------------------


def _first_import(capsys: Capsys) -> None:
    _mapping("  sources:\n" + SOURCE + "  actors:\n    - {id: kz, name: Kazakhstan, kind: state}\n")
    assert _import(capsys)[0] == 0
    Path("out").rename("first")


def test_an_add_actor_renamed_since_the_last_import_is_a_conflict_from_the_mapping(
    capsys: Capsys,
) -> None:
    _first_import(capsys)
    _mapping("  sources:\n" + SOURCE + "  actors:\n    - {id: kz, name: Qazaqstan, kind: state}\n")
    status, out, err = _import(capsys, "--into", "first")
    assert status == 1
    assert _problems(out) == [
        (
            "m.yaml:8:16: import-conflict the actor 'kz' is in first, where its name is "
            "'Kazakhstan'; the mapping's `add` gives 'Qazaqstan'"
        )
    ]
    assert not Path("out").exists()
    assert err.endswith("nothing was written\n")


def test_an_add_actor_renamed_is_updated_with_update(capsys: Capsys) -> None:
    _first_import(capsys)
    _mapping("  sources:\n" + SOURCE + "  actors:\n    - {id: kz, name: Qazaqstan, kind: state}\n")
    status, _out, err = _import(capsys, "--into", "first", "--update")
    assert status == 0
    assert "0 added, 1 updated, 3 unchanged" in err
    assert "name: Qazaqstan" in Path("out/actors.yaml").read_text("utf-8")


def test_the_same_add_records_re_imported_are_unchanged(capsys: Capsys) -> None:
    _first_import(capsys)
    status, _out, err = _import(capsys, "--into", "first")
    assert status == 0
    assert "0 added, 0 updated, 4 unchanged" in err


# -- problems the validation finds in `add` records --------------------------------------------


def test_a_duplicate_level_id_in_an_added_scale_is_at_its_line_in_the_mapping(
    capsys: Capsys,
) -> None:
    scale = (
        "  scales:\n"
        "    - id: three\n"
        "      title: Three levels\n"
        "      levels:\n"
        "        - {id: low, label: Low, value: 0}\n"
        "        - {id: low, label: Middle, value: 0.5}\n"
        "        - {id: high, label: High, value: 1}\n"
    )
    _mapping("  sources:\n" + SOURCE + scale)
    status, out, _err = _import(capsys)
    assert status == 1
    assert _problems(out) == [
        "m.yaml:12:12: duplicate-id scale 'three' has two levels with the id 'low'"
    ]
    assert not Path("out").exists()
