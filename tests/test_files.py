"""Reading files: YAML as YAML 1.2 means it, JSON and YAML positions, folders and includes."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarkkit import _json_file, validate
from benchmarkkit._files import read_dataset_files, read_yaml
from tests.conftest import FIXTURES, ROOT


def test_yaml_dates_and_yes_no_stay_text() -> None:
    data, _node, problems = read_yaml(
        "a: 2012-03-20\nb: no\nc: on\nd: 010\ne: 0o10\nf: 1_000\ng: .inf\nh: ~\n", "x"
    )
    # Text here, but a date to YAML 1.1 readers: a warning says to quote it.
    assert [(p.code, p.severity.value, p.line) for p in problems] == [
        ("unquoted-date", "warning", 1)
    ]
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


# -- keys a JSON object repeats --------------------------------------------------------------

REPEATED = """{
  "schema_version": "1.0",
  "id": "x",
  "title": "First",
  "title": "Second",
  "actors": [
    {"id": "a", "name": "A", "kind": "ngo"},
    {"id": "b", "name": "B", "kind": "ngo", "name": "C", "kind": "ngo"}
  ],
  "scoring": {"benchmark_rules": [{"rule": "x", "parameters": {"p": [[{"q": 1, "q": 2}]]}}]}
}
"""


def _repeated_keys(path: Path) -> list[tuple[str | None, int | None, int | None, str]]:
    return [(p.pointer, p.line, p.column, p.code) for p in validate(path).problems]


def test_every_key_a_json_object_repeats_is_reported_where_it_is_repeated(tmp_path: Path) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(REPEATED, encoding="utf-8")
    assert _repeated_keys(path) == [
        ("/title", 5, 3, "duplicate-key"),
        ("/actors/1/name", 8, 45, "duplicate-key"),
        ("/actors/1/kind", 8, 58, "duplicate-key"),
        ("/scoring/benchmark_rules/0/parameters/p/0/0/q", 10, 80, "duplicate-key"),
    ]
    assert "'title' appears more than once" in validate(path).problems[0].message


@pytest.mark.parametrize(
    "stdlib_reads", [True, False], ids=["standard library", "orjson (Python 3.12+)"]
)
def test_repeated_keys_are_found_whichever_parser_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stdlib_reads: bool
) -> None:
    path = tmp_path / "dataset.json"
    path.write_text(REPEATED, encoding="utf-8")
    expected = _repeated_keys(path)
    monkeypatch.setattr(_json_file, "_STDLIB_NESTS_LESS", stdlib_reads)
    assert _repeated_keys(path) == expected
    path.write_text(REPEATED.replace('"title": "Second",\n', "").replace('"q": 1, ', ""))
    assert [code for *_, code in _repeated_keys(path)] == ["duplicate-key", "duplicate-key"]


@pytest.mark.parametrize(
    ("document", "repeats"),
    [
        (b'{"a": 1, "b": {"a": 2}}', False),
        (b'[{"a": 1}, {"a": 1}]', False),
        (b'{"a": 1, "a": 1}', True),
        (b'[[{"x": [], "x": null}]]', True),
        (b'{"a": NaN, "a": 1}', True),
        (b'{"a": 1', None),
        (b"\xff", None),
        (b"[" * 5000 + b"]" * 5000, None),
    ],
)
def test_the_check_for_repeated_keys_says_when_it_cannot_tell(
    document: bytes, repeats: bool | None
) -> None:
    assert _json_file._repeats_a_key(document) is repeats


# -- paths the system refuses, and what is not a regular file -------------------------------


@pytest.mark.parametrize("path", ["a" * 5000, "mi\x00ni", "a/" + "b" * 300 + "/dataset.yaml"])
def test_a_path_the_system_refuses_is_a_problem_not_an_exception(path: str) -> None:
    report = validate(path)
    assert [p.code for p in report.problems] in (["file-unreadable"], ["path-not-found"])


def test_a_folder_that_cannot_be_listed_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: x\ntitle: X\n')
    (tmp_path / "sub").mkdir()
    walk = os.walk

    def refusing_walk(top: Any, onerror: Any = None, **kwargs: Any) -> Any:
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "sub")))
        return walk(top, onerror=onerror, **kwargs)

    monkeypatch.setattr(os, "walk", refusing_walk)
    (problem,) = validate(tmp_path).problems
    assert problem.code == "file-unreadable"
    assert problem.file == str(tmp_path / "sub")
    assert "cannot list the folder: Permission denied" in problem.message


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@needs_fifo
def test_a_named_pipe_given_as_the_dataset_is_named_and_never_opened(
    tmp_path: Path, cli: Any
) -> None:
    pipe = tmp_path / "fifo.yaml"
    os.mkfifo(pipe)  # opening it would wait for a writer for ever
    run = cli("validate", pipe)
    assert run.status == 2
    assert f"{pipe}: not-a-dataset '{pipe}' is a named pipe (FIFO), not a file or a folder" in (
        run.out
    )
    assert "manifest" not in run.out


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_given_as_the_dataset_is_named(cli: Any) -> None:
    run = cli("validate", "/dev/null")
    assert run.status == 2
    assert "/dev/null: not-a-dataset '/dev/null' is a character device, not a file or a folder" in (
        run.out
    )


@pytest.mark.parametrize("path", ["/dev/stdin", "/dev/fd/0", "-"])
def test_standard_input_given_as_the_dataset_says_it_is_not_read(path: str) -> None:
    [problem] = validate(path).problems
    assert problem.code == "not-a-dataset"
    assert problem.message == (
        f"{path!r} is standard input: benchmarkkit reads a dataset from a file or a folder, "
        "not from standard input; save it as a .yaml or .json file and give that file"
    )


@needs_fifo
def test_a_named_pipe_in_a_dataset_folder_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: x\ntitle: X\n')
    os.mkfifo(tmp_path / "pipe.yaml")  # reading it would wait for a writer for ever
    [problem] = validate(tmp_path).problems
    assert (problem.code, problem.file) == ("file-unreadable", str(tmp_path / "pipe.yaml"))
    assert problem.message == (
        "this is a named pipe (FIFO), not a file: it was not read, so what it holds is not "
        "part of the dataset; replace it with a file, or move it out of the dataset folder"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("include", [None, ["*.yaml"]])
def test_a_link_to_a_device_in_a_dataset_folder_is_reported_not_read(
    tmp_path: Path, include: list[str] | None
) -> None:
    manifest = 'schema_version: "1.0"\nid: x\ntitle: X\n'
    if include is not None:
        manifest += f"include: {include}\n"
    (tmp_path / "dataset.yaml").write_text(manifest)
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    [problem] = validate(tmp_path).problems
    assert (problem.code, problem.file) == ("file-unreadable", str(tmp_path / "zero.yaml"))
    assert problem.message.startswith(
        "this links to a character device, not a file: it was not read"
    )


@needs_fifo
def test_a_manifest_that_is_a_named_pipe_is_named(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "dataset.yaml")
    [problem] = validate(tmp_path).problems
    assert (problem.code, problem.file) == ("file-unreadable", str(tmp_path / "dataset.yaml"))
    assert problem.message.startswith("this is a named pipe (FIFO), not a file: it was not read")


def test_a_dataset_of_json_files_never_loads_pyyaml(tmp_path: Path) -> None:
    """PyYAML is imported for YAML files only: a JSON dataset validates without it."""
    import subprocess
    import sys

    data = yaml.safe_load((FIXTURES / "valid" / "minimal.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = (
        "import sys, benchmarkkit; "
        f"report = benchmarkkit.validate({str(path)!r}); "
        "print(report.valid, 'yaml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.stdout.split() == ["True", "False"]
