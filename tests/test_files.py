"""Reading files: YAML as YAML 1.2 means it, JSON and YAML positions, folders and includes."""

from __future__ import annotations

import textwrap
from pathlib import Path

from benchmarkkit import validate
from benchmarkkit._files import read_dataset_files, read_yaml


def test_yaml_dates_and_yes_no_stay_text() -> None:
    data, _node, problems = read_yaml(
        "a: 2012-03-20\nb: no\nc: on\nd: 010\ne: 0o10\nf: 1_000\ng: .inf\nh: ~\n", "x"
    )
    assert problems == []
    assert data == {
        "a": "2012-03-20",
        "b": "no",
        "c": "on",
        "d": 10,
        "e": 8,
        "f": "1_000",
        "g": ".inf",
        "h": None,
    }


def test_yaml_true_false_and_numbers_keep_their_types() -> None:
    data, _node, _problems = read_yaml("a: true\nb: False\nc: -3\nd: 1.5e3\ne: 0x1F\n", "x")
    assert data == {"a": True, "b": False, "c": -3, "d": 1500.0, "e": 31}


def test_yaml_syntax_error_has_line_and_column() -> None:
    _data, _node, [problem] = read_yaml("a: [1, 2\nb: 3\n", "x.yaml")
    assert problem.code == "yaml-syntax"
    assert (problem.line, problem.column) == (2, 2)


def test_json_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{\n  "id": "x",\n  "title": "T",,\n}\n')
    [problem] = validate(path).problems
    assert (problem.code, problem.line, problem.column) == ("json-syntax", 3, 16)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    for suffix in ("json", "yaml"):
        path = tmp_path / f"d.{suffix}"
        body = '{"schema_version": "1.0", "id": "x", "title": "T"}'
        path.write_bytes(b"\xef\xbb\xbf" + body.encode())
        assert validate(path).problems == ()


def test_folder_files_are_read_in_a_stable_order_and_hidden_ones_skipped(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: d\ntitle: T\n')
    (tmp_path / "b.yaml").write_text("actors: [{id: b, name: B, kind: ngo}]\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "z.json").write_text('{"actors": [{"id": "a", "name": "A", "kind": "ngo"}]}')
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.yaml").write_text("not: [a dataset")
    (tmp_path / ".hidden.yaml").write_text("not: [a dataset")
    (tmp_path / "notes.md").write_text("# notes")
    _root, files, problems = read_dataset_files(tmp_path)
    assert problems == []
    assert [f.path.relative_to(tmp_path).as_posix() for f in files] == [
        "dataset.yaml",
        "a/z.json",
        "b.yaml",
    ]
    report = validate(tmp_path)
    assert report.dataset is not None
    assert [a.id for a in report.dataset.actors] == ["a", "b"]


def test_include_limits_the_files_read(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text(
        textwrap.dedent(
            """
            schema_version: "1.0"
            id: d
            title: T
            include: ["records/*.yaml", "missing/*.yaml"]
            """
        )
    )
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "actors.yaml").write_text("actors: [{id: a, name: A, kind: ngo}]\n")
    (tmp_path / "scratch.yaml").write_text("this is: [not read")
    report = validate(tmp_path)
    assert [(p.code, p.pointer, p.line) for p in report.problems] == [
        ("include-matches-nothing", "/include/1", 5)
    ]
    assert report.dataset is not None
    assert [a.id for a in report.dataset.actors] == ["a"]


def test_a_folder_with_two_manifests_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: d\ntitle: T\n')
    (tmp_path / "dataset.json").write_text('{"schema_version": "1.0", "id": "d", "title": "T"}')
    [problem] = validate(tmp_path).problems
    assert problem.code == "not-a-dataset"
    assert "dataset.yaml, dataset.json" in problem.message


def test_fragments_may_not_hold_dataset_fields(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: d\ntitle: T\n')
    (tmp_path / "more.yaml").write_text("title: Another title\n")
    [problem] = validate(tmp_path).problems
    assert (problem.code, problem.pointer) == ("unknown-field", "/title")
    assert problem.message.startswith("this file: 'title' is not a field here")


def test_yaml_keys_that_look_like_numbers_or_null_are_text(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text('schema_version: "1.0"\nid: x\ntitle: t\nnull: 1\n3: x\ntrue: y\n')
    for backend in ("fast", "reference"):
        report = validate(path, backend=backend)
        assert [(p.code, p.pointer, p.line) for p in report.problems] == [
            ("unknown-field", "/null", 4),
            ("unknown-field", "/3", 5),
            ("unknown-field", "/true", 6),
        ]
