"""``benchmarkkit upgrade``: a dataset rewritten to the newest format, changing one scalar.

The frozen 1.0 example (``tests/data/format-1.0/``) is upgraded as a folder, a YAML file
and a JSON file; Hypothesis upgrades generated 1.0 datasets in every layout and checks
that they validate and score as before, and that a second upgrade changes nothing.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, save_dataset, validate
from benchmarkkit._model import SCHEMA_VERSION
from benchmarkkit._since import added_fields
from benchmarkkit._upgrade import (
    STEPS,
    Changes,
    Edit,
    UpgradeRefusedError,
    apply_upgrade,
    plan_upgrade,
)
from benchmarkkit._validate import SUPPORTED_VERSIONS
from benchmarkkit.cli import main
from benchmarkkit.scoring import score, scorecard_to_json
from tests.conftest import ROOT, max_examples
from tests.strategies import valid_datasets

FROZEN = ROOT / "tests" / "data" / "format-1.0"
NOTE = (
    "note: standard {id} is of kind recommendation: format 1.1 keeps that kind for general "
    "recommendations and comments addressed to every State; if a body addressed it to one "
    "duty bearer, record it under recommendations (see docs/reference/data-format.md). "
    "It is left as it is\n"
)


def _copy(tmp_path: Path) -> Path:
    """The frozen 1.0 example as a folder, and as one file in each format, in ``tmp_path``."""
    shutil.copytree(FROZEN / "kazakhstan-2012", tmp_path / "kazakhstan-2012")
    shutil.copytree(FROZEN / "kazakhstan-2012" / "sources", tmp_path / "sources")
    for suffix in ("yaml", "json"):
        shutil.copy(FROZEN / f"kazakhstan-2012.dataset.{suffix}", tmp_path)
    return tmp_path


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_upgrading_a_folder_changes_only_the_version_scalar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    before = _contents(Path("kazakhstan-2012"))
    assert main(["upgrade", "kazakhstan-2012"]) == 0
    after = _contents(Path("kazakhstan-2012"))
    manifest = before.pop("dataset.yaml")
    assert after.pop("dataset.yaml") == manifest.replace(
        b'schema_version: "1.0"          # the version',
        b'schema_version: "1.1"          # the version',
    )
    assert after == before  # every other file, byte for byte
    out = capsys.readouterr().out
    assert out.endswith(
        "upgraded kazakhstan-2012 from format 1.0 to 1.1:\n"
        "  kazakhstan-2012/dataset.yaml:42: schema_version '1.0' -> '1.1'\n"
    )
    assert f"kazakhstan-2012/standards.yaml:90:5: {NOTE.format(id=repr('rec-hrc-assembly'))}" in out
    assert out.count(": note: standard ") == 4
    report = validate("kazakhstan-2012")
    assert report.valid
    assert report.schema_version == "1.1"


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("kazakhstan-2012.dataset.yaml", b"schema_version: '1.0'\n", b"schema_version: '1.1'\n"),
        (
            "kazakhstan-2012.dataset.json",
            b'  "schema_version": "1.0",\n',
            b'  "schema_version": "1.1",\n',
        ),
    ],
)
def test_upgrading_a_file_keeps_its_quotes_and_every_other_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: bytes, new: bytes
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    before = Path(name).read_bytes()
    assert before.count(old) == 1
    assert main(["upgrade", name]) == 0
    assert Path(name).read_bytes() == before.replace(old, new)


def test_comments_a_byte_order_mark_and_line_ends_are_kept(tmp_path: Path) -> None:
    text = (
        '\ufeff# my benchmarks\r\nschema_version:   "1.0"   # the format\r\n'
        "id: d  # id\r\ntitle: T\r\n# the end\r\n"
    )
    path = tmp_path / "d.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert main(["upgrade", str(path)]) == 0
    assert path.read_bytes() == text.replace('"1.0"', '"1.1"').encode("utf-8")


def test_check_says_what_would_change_and_exits_1_without_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    before = _contents(tmp_path)
    assert main(["upgrade", "--check", "kazakhstan-2012.dataset.json"]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "kazakhstan-2012.dataset.json would be upgraded from format 1.0 to 1.1:\n"
        "  kazakhstan-2012.dataset.json:2: schema_version '1.0' -> '1.1'\n"
    )
    note = NOTE.format(id=repr("rec-hrc-assembly"))
    assert out.startswith(f"kazakhstan-2012.dataset.json:305:5: {note}")
    assert _contents(tmp_path) == before
    assert main(["upgrade", "kazakhstan-2012.dataset.json"]) == 0
    capsys.readouterr()
    assert main(["upgrade", "--check", "kazakhstan-2012.dataset.json"]) == 0
    assert capsys.readouterr().out == (
        "kazakhstan-2012.dataset.json is already in format 1.1, the newest this benchmarkkit "
        "writes: nothing to change\n"
    )


def test_a_current_dataset_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "example"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "folder", folder)
    manifest = next(folder.glob("dataset.*"))
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace('"1.0"', f'"{SCHEMA_VERSION}"'), "utf-8")
    before = _contents(folder)
    assert main(["upgrade", str(folder)]) == 0
    assert "nothing to change" in capsys.readouterr().out
    assert _contents(folder) == before


def test_a_dataset_with_errors_is_not_upgraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.yaml"
    text = 'schema_version: "1.0"\nid: broken\ntitle: A broken dataset\nactors: [{id: a}]\n'
    path.write_text(text, "utf-8")
    assert main(["upgrade", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:4:10: missing-field actor 'a': the required field 'name' is missing" in out
    assert out.endswith(
        f"{path} was not upgraded: it has 2 errors in its own format version, 1.0; fix them "
        f"first (benchmarkkit validate {path} shows them), then upgrade\n"
    )
    assert path.read_text("utf-8") == text


def test_a_dataset_newer_than_the_library_is_not_upgraded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "later.yaml"
    text = 'schema_version: "1.2"\nid: later\ntitle: A later format\n'
    path.write_text(text, "utf-8")
    assert main(["upgrade", "--check", str(path)]) == 1
    out = capsys.readouterr().out
    assert (
        f"{path}:1:1: unsupported-schema-version the dataset is written for format version "
        "'1.2'; this benchmarkkit reads versions 1.0 and 1.1, so the file was not read; "
        "upgrade benchmarkkit to a release that reads it\n"
    ) in out
    assert f"{path} was not upgraded: it has 1 error it cannot be read" in out
    assert path.read_text("utf-8") == text


def test_a_dataset_that_names_no_version_is_told_where_to_put_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"id": "d", "title": "T"}\n', "utf-8")
    assert main(["upgrade", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path} does not say which format version it is written in: add "
        'schema_version: "1.0" (or the version it was written for) as its first line, '
        "then upgrade\n"
    )


def test_a_write_the_system_refuses_leaves_the_dataset_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import benchmarkkit._write as write

    monkeypatch.chdir(_copy(tmp_path))
    before = _contents(tmp_path)

    def full(path: Path, data: bytes, *, mode: int | None = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(write, "write_new", full)
    assert main(["upgrade", "kazakhstan-2012"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("benchmarkkit upgrade: error: cannot write ")
    assert err.endswith(": No space left on device; the dataset is unchanged\n")
    assert _contents(tmp_path) == before


def test_an_upgrade_that_would_make_the_dataset_worse_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A step that breaks the file: the upgraded text is validated before it replaces anything.
    def breaks(files: Any) -> Changes:
        manifest = next(f for f in files if f.role == "dataset")
        at = manifest.text.index("id: kazakhstan-2012")
        return Changes(edits=(Edit(path=manifest.path, start=at, end=at + 2, new="ids"),))

    monkeypatch.setitem(STEPS, "1.0", ("1.1", breaks))
    monkeypatch.chdir(_copy(tmp_path))
    before = _contents(tmp_path)
    assert main(["upgrade", "kazakhstan-2012"]) == 1
    out = capsys.readouterr().out
    assert "unknown-field" in out
    assert out.endswith(
        "kazakhstan-2012 was not upgraded: the upgraded dataset would have errors; "
        "it is unchanged\n"
    )
    assert _contents(tmp_path) == before


def test_every_version_this_library_reads_has_a_way_up_to_the_newest() -> None:
    # A new version of the format needs one more entry in STEPS, from the one before it.
    assert sorted(STEPS) == list(SUPPORTED_VERSIONS[:-1])
    for version in SUPPORTED_VERSIONS[:-1]:
        reached = version
        while reached in STEPS:
            reached = STEPS[reached][0]
        assert reached == SCHEMA_VERSION


def test_plan_upgrade_refuses_in_words_a_path_that_is_no_dataset(tmp_path: Path) -> None:
    with pytest.raises(UpgradeRefusedError, match="was not upgraded: it has 1 error"):
        plan_upgrade(tmp_path / "missing.yaml")


# -- Hypothesis: any 1.0 dataset ------------------------------------------------------------


def _as_1_0(dataset: Dataset) -> Dataset:
    """``dataset`` without anything format 1.1 added: what a 1.0 dataset can hold."""

    def older(record: Any) -> Any:
        cls: Any = type(record)
        return attrs.evolve(record, **added_fields(cls))

    evidence = tuple(older(e) for e in dataset.evidence if e.benchmarks)
    kept = {e.id for e in evidence}
    assessments = tuple(
        attrs.evolve(older(a), evidence=tuple(i for i in a.evidence if i in kept))
        for a in dataset.assessments
        if a.benchmark is not None
    )
    result: Dataset = attrs.evolve(
        older(dataset),
        schema_version="1.0",
        benchmarks=tuple(map(older, dataset.benchmarks)),
        commitments=tuple(map(older, dataset.commitments)),
        gates=tuple(map(older, dataset.gates)),
        evidence=evidence,
        assessments=assessments,
    )
    return result


def _scored(dataset: Dataset) -> dict[str, Any]:
    document = scorecard_to_json(score(dataset, as_of="2013-06-30"))
    del document["tool"]
    return document


@settings(
    max_examples=max_examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(valid_datasets(), st.sampled_from(["data.yaml", "data.json", "folder"]))
def test_any_1_0_dataset_upgrades_to_one_that_validates_and_scores_the_same(
    generated: Dataset, name: str
) -> None:
    dataset = _as_1_0(generated)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        save_dataset(dataset, path, layout="folder" if name == "folder" else "file")
        before = validate(path)
        assert before.dataset is not None, [str(p) for p in before.problems]
        assert before.schema_version == "1.0"
        upgrade = plan_upgrade(path)
        assert (upgrade.from_version, upgrade.to_version) == ("1.0", SCHEMA_VERSION)
        apply_upgrade(upgrade)
        after = validate(path)
        assert after.schema_version == SCHEMA_VERSION
        assert after.dataset == attrs.evolve(before.dataset, schema_version=SCHEMA_VERSION)
        assert [(p.code, p.pointer, p.message) for p in after.problems] == [
            (p.code, p.pointer, p.message) for p in before.problems
        ]
        assert _scored(after.dataset) == _scored(before.dataset)  # results and fingerprint
        files = _contents(Path(folder))
        again = plan_upgrade(path)
        assert not again.needed
        apply_upgrade(again)
        assert _contents(Path(folder)) == files  # upgrading twice is upgrading once
