"""A dataset is data: it cannot make the library run code, fetch a URL, or read elsewhere."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest

import benchmarkkit._schema as schema_module
from benchmarkkit import validate
from tests.conftest import FIXTURES


def _dataset(folder: Path, body: str = "", name: str = "dataset.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        'schema_version: "1.0"\nid: d\ntitle: T\n' + textwrap.dedent(body), encoding="utf-8"
    )
    return path


def test_yaml_tags_that_build_objects_are_refused_and_never_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    report = validate(FIXTURES / "invalid" / "python-tag.yaml")
    assert [p.code for p in report.problems] == ["yaml-tag"]
    assert calls == []


@pytest.mark.parametrize(
    "tag", ["!!python/name:os.system", "!!binary aGVsbG8=", "!!timestamp 2012-03-20", "!custom x"]
)
def test_every_non_plain_tag_is_refused(tmp_path: Path, tag: str) -> None:
    path = _dataset(tmp_path, f"subject: {tag}\n")
    assert [p.code for p in validate(path).problems] == ["yaml-tag"]


def test_schema_urls_and_refs_in_data_are_never_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetched: list[str] = []

    def record(uri: str) -> None:
        fetched.append(uri)
        raise AssertionError(uri)

    monkeypatch.setattr(schema_module, "_refuse_retrieval", record)
    schema_module._fast_validator.cache_clear()
    path = _dataset(
        tmp_path,
        """
        $schema: https://example.org/evil.schema.json
        actors:
          - {id: a, name: A, kind: ngo, $ref: "https://example.org/evil.json#/x"}
        """,
    )
    for backend in ("fast", "reference"):
        report = validate(path, backend=backend)
        assert [(p.code, p.pointer) for p in report.problems] == [
            ("unknown-field", "/actors/0/$ref")
        ]
    assert fetched == []
    schema_module._fast_validator.cache_clear()


def test_a_dataset_cannot_name_code_to_import(tmp_path: Path) -> None:
    path = _dataset(
        tmp_path,
        """
        scoring:
          benchmark_rules:
            - rule: os.path:join
        """,
    )
    before = set(sys.modules)
    report = validate(path)
    assert [p.code for p in report.problems] == ["invalid-format"]
    assert set(sys.modules) - before <= {m for m in sys.modules if m.startswith("benchmarkkit")}


@pytest.mark.parametrize(
    "archive", ["../secret.txt", "/etc/passwd", "sub/../../secret.txt", "C:\\secret.txt"]
)
def test_archived_texts_outside_the_folder_are_not_read(tmp_path: Path, archive: str) -> None:
    (tmp_path / "secret.txt").write_text("the secret words")
    path = _dataset(
        tmp_path / "dataset",
        f"""
        sources: [{{id: s, title: S, kind: report, archive: {archive!r}}}]
        areas: [{{id: a, title: A}}]
        benchmarks: [{{id: b, title: B, statement: S, area: a, type: outcome}}]
        evidence:
          - {{id: e, source: s, date: "2012", benchmarks: [b], direction: mixed, summary: S,
             quote: the secret words}}
        """,
    )
    codes = [p.code for p in validate(path).problems]
    assert codes == ["archive-outside-dataset"]


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("the secret words")
    (tmp_path / "elsewhere.yaml").write_text("actors: [{id: x, name: X, kind: ngo}]\n")
    folder = tmp_path / "dataset"
    path = _dataset(
        folder,
        """
        sources: [{id: s, title: S, kind: report, archive: link.txt}]
        areas: [{id: a, title: A}]
        benchmarks: [{id: b, title: B, statement: S, area: a, type: outcome}]
        evidence:
          - {id: e, source: s, date: "2012", benchmarks: [b], direction: mixed, summary: S,
             quote: the secret words}
        """,
    )
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "actors.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    report = validate(path.parent)
    assert sorted(p.code for p in report.problems) == [
        "archive-outside-dataset",
        "link-outside-folder",
    ]


def test_include_patterns_cannot_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("actors: [{id: x, name: X, kind: ngo}]\n")
    folder = tmp_path / "dataset"
    _dataset(folder, "include: ['../*.yaml', '/etc/*.yaml']\n")
    report = validate(folder)
    assert [p.code for p in report.problems] == ["include-outside-folder", "include-outside-folder"]
    assert [Path(file).name for file in report.files] == ["dataset.yaml"]
