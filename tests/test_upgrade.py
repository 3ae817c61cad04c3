"""``benchmarkkit upgrade``: a dataset rewritten to the newest format, changing one scalar.

The frozen 1.0 example (``tests/data/format-1.0/``) is upgraded as a folder, a YAML file
and a JSON file; Hypothesis upgrades generated 1.0 datasets in every layout and checks
that they validate and score as before, and that a second upgrade changes nothing.
"""

from __future__ import annotations

import errno
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, save_dataset, validate
from benchmarkkit._cli._parser import _UPGRADE_EXIT_STATUSES
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
    "note: standard {id} is of kind recommendation: if a body addressed it to one duty "
    "bearer, format 1.1 records it under recommendations, where its responses and "
    "implementation are tracked (see docs/reference/data-format.md); a general "
    "recommendation to every State stays a standard. It is left as it is\n"
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


def test_a_dataset_newer_than_the_library_is_not_upgraded_and_benchmarkkit_is_to_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "later.yaml"
    text = 'schema_version: "1.2"\nid: later\ntitle: A later format\n'
    path.write_text(text, "utf-8")
    for command in (["upgrade", "--check", str(path)], ["upgrade", str(path)]):
        assert main(command) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == (
            f"benchmarkkit upgrade: error: {path} was not upgraded: it is written in format "
            "1.2, and this benchmarkkit is older than that format (it reads formats up to "
            "1.1); upgrade benchmarkkit to a release that reads format 1.2 "
            "(pip install --upgrade benchmarkkit)\n"
        )
        assert "fix it first" not in captured.err
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


def test_a_write_refused_after_another_leaves_the_manifest_and_so_the_version_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import benchmarkkit._write as write

    monkeypatch.chdir(_copy(tmp_path))
    folder = Path("kazakhstan-2012")
    actors = folder / "actors.yaml"
    fragment = "https://schemas.benchmarkkit.org/1.0/fragment.schema.json"
    actors.write_text(f"$schema: {fragment}\n" + actors.read_text("utf-8"), "utf-8")
    manifest = (folder / "dataset.yaml").read_bytes()
    real_write_new = write.write_new
    calls: list[Path] = []

    def full_the_second_time(path: Path, data: bytes, *, mode: int | None = None) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write_new(path, data, mode=mode)

    monkeypatch.setattr(write, "write_new", full_the_second_time)
    assert main(["upgrade", str(folder)]) == 2
    assert capsys.readouterr().err == (
        "benchmarkkit upgrade: error: cannot write kazakhstan-2012/dataset.yaml: No space left "
        "on device; kazakhstan-2012/actors.yaml already upgraded, but not the manifest, so the "
        "dataset is still in format 1.0: run benchmarkkit upgrade again once the file can be "
        "written\n"
    )
    assert (folder / "dataset.yaml").read_bytes() == manifest
    assert validate(folder).schema_version == "1.0"
    monkeypatch.setattr(write, "write_new", real_write_new)
    assert main(["upgrade", str(folder)]) == 0
    assert validate(folder).schema_version == SCHEMA_VERSION


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
    with pytest.raises(
        UpgradeRefusedError, match=r"was not upgraded: it could not be read as a dataset$"
    ):
        plan_upgrade(tmp_path / "missing.yaml")


# -- fields of a later version: what the upgrade fixes is no obstacle -----------------------

LATER_FIELDS = (
    "{\n"
    '  "schema_version": "1.0",\n'
    '  "id": "d",\n'
    '  "title": "T",\n'
    '  "sources": [{"id": "s", "title": "S", "kind": "report", "archive_kind": "notes"}],\n'
    '  "recommendations": []\n'
    "}\n"
)


def test_a_1_0_dataset_using_fields_of_1_1_is_upgraded_as_validate_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "u.json"
    path.write_text(LATER_FIELDS, "utf-8")
    before = validate(path)
    assert [p.code for p in before.problems] == ["field-from-later-version"] * 2
    assert "(benchmarkkit upgrade does it)" in before.problems[0].message
    assert main(["upgrade", "--check", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path} would be upgraded from format 1.0 to 1.1:\n"
        f"  {path}:2: schema_version '1.0' -> '1.1'\n"
    )
    assert main(["upgrade", str(path)]) == 0
    assert capsys.readouterr().out == (
        f"upgraded {path} from format 1.0 to 1.1:\n  {path}:2: schema_version '1.0' -> '1.1'\n"
    )
    assert path.read_text("utf-8") == LATER_FIELDS.replace('"1.0"', '"1.1"')
    after = validate(path)
    assert (after.valid, after.problems) == (True, ())


def test_other_errors_of_a_dataset_using_fields_of_1_1_still_stop_the_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "u.json"
    text = LATER_FIELDS.replace('"title": "S", ', "")
    path.write_text(text, "utf-8")
    assert main(["upgrade", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.endswith(
        f"{path} was not upgraded: it has 1 error in its own format version, 1.0; fix it "
        f"first (benchmarkkit validate {path} shows it), then upgrade\n"
    )
    assert path.read_text("utf-8") == text


# -- $schema --------------------------------------------------------------------------------

OLD_DATASET_SCHEMA = "https://schemas.benchmarkkit.org/1.0/dataset.schema.json"
NEW_DATASET_SCHEMA = f"https://schemas.benchmarkkit.org/{SCHEMA_VERSION}/dataset.schema.json"


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("d.json", f'  "$schema": "{OLD_DATASET_SCHEMA}",\n'),
        ("d.yaml", f"$schema: {OLD_DATASET_SCHEMA}   # for editors\n"),
        ("d.yml", f"'$schema': '{OLD_DATASET_SCHEMA}'\n"),
    ],
)
def test_a_schema_named_by_its_1_0_url_is_upgraded_too_keeping_every_other_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, line: str
) -> None:
    if name.endswith(".json"):
        text = "{\n" + line + '  "schema_version": "1.0",\n  "id": "d",\n  "title": "T"\n}\n'
    else:
        text = line + "schema_version: '1.0'\nid: d\ntitle: T\n"
    path = tmp_path / name
    path.write_text(text, "utf-8")
    assert main(["upgrade", str(path)]) == 0
    version_line = 3 if name.endswith(".json") else 2
    schema_line = version_line - 1
    assert capsys.readouterr().out == (
        f"upgraded {path} from format 1.0 to 1.1:\n"
        f"  {path}:{version_line}: schema_version '1.0' -> '1.1'\n"
        f"  {path}:{schema_line}: $schema '{OLD_DATASET_SCHEMA}' -> '{NEW_DATASET_SCHEMA}'\n"
    )
    expected = text.replace(OLD_DATASET_SCHEMA, NEW_DATASET_SCHEMA).replace("1.0", "1.1")
    assert path.read_text("utf-8") == expected
    assert validate(path).valid


def test_every_file_of_a_folder_naming_a_1_0_schema_is_upgraded_and_a_local_copy_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    folder = Path("kazakhstan-2012")
    fragment = "https://schemas.benchmarkkit.org/1.0/fragment.schema.json"
    prefixes = {
        "dataset.yaml": f'$schema: "{OLD_DATASET_SCHEMA}"\n',
        "actors.yaml": f"$schema: {fragment}\n",
        "areas.yaml": "$schema: .schemas/fragment.schema.json\n",
    }
    for name, prefix in prefixes.items():
        (folder / name).write_text(prefix + (folder / name).read_text("utf-8"), "utf-8")
    before = _contents(folder)
    assert main(["upgrade", str(folder)]) == 0
    out = capsys.readouterr().out
    assert (
        "kazakhstan-2012/areas.yaml:1:1: note: $schema names '.schemas/fragment.schema.json', "
        "not a schema benchmarkkit publishes, so it is left as it is: if it is a copy of "
        "benchmarkkit's schemas, refresh the local copies with "
        "`benchmarkkit schema --output kazakhstan-2012/.schemas`\n"
    ) in out
    assert out.endswith(
        f"  kazakhstan-2012/dataset.yaml:1: $schema '{OLD_DATASET_SCHEMA}' -> "
        f"'{NEW_DATASET_SCHEMA}'\n"
        f"  kazakhstan-2012/actors.yaml:1: $schema '{fragment}' -> "
        f"'{fragment.replace('1.0', SCHEMA_VERSION)}'\n"
    )
    after = _contents(folder)
    assert after.pop("actors.yaml") == before.pop("actors.yaml").replace(
        b"/1.0/fragment", f"/{SCHEMA_VERSION}/fragment".encode()
    )
    assert after.pop("dataset.yaml") == before.pop("dataset.yaml").replace(
        b"/1.0/dataset", f"/{SCHEMA_VERSION}/dataset".encode()
    ).replace(b'schema_version: "1.0"', f'schema_version: "{SCHEMA_VERSION}"'.encode())
    assert after == before  # areas.yaml, with its local $schema, included
    assert validate(folder).valid


# -- read-only files ------------------------------------------------------------------------


def test_a_read_only_file_is_not_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ro.yaml"
    text = 'schema_version: "1.0"\nid: d\ntitle: T\n'
    path.write_text(text, "utf-8")
    path.chmod(0o444)
    assert main(["upgrade", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"benchmarkkit upgrade: error: {path} is read-only; the dataset is unchanged "
        "(make the file writable to upgrade it)\n"
    )
    assert path.read_text("utf-8") == text
    assert stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_folder_with_one_read_only_file_is_not_half_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(_copy(tmp_path))
    folder = Path("kazakhstan-2012")
    actors = folder / "actors.yaml"
    fragment = "https://schemas.benchmarkkit.org/1.0/fragment.schema.json"
    actors.write_text(f"$schema: {fragment}\n" + actors.read_text("utf-8"), "utf-8")
    actors.chmod(0o444)  # written before the manifest, were it writable
    before = _contents(folder)
    assert main(["upgrade", str(folder)]) == 2
    assert capsys.readouterr().err == (
        "benchmarkkit upgrade: error: kazakhstan-2012/actors.yaml is read-only; the dataset "
        "is unchanged (make the file writable to upgrade it)\n"
    )
    assert _contents(folder) == before


# -- what cannot be done: exit 2, in words ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing.yaml", "path-not-found 'missing.yaml' does not exist"),
        ("empty", "not-a-dataset a dataset folder holds exactly one manifest"),
        ("notes.txt", "not-a-dataset 'notes.txt' is not a dataset file"),
    ],
)
def test_a_path_with_no_dataset_to_read_exits_2_showing_why(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    problem: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("empty").mkdir()
    Path("notes.txt").write_text("some notes\n", "utf-8")
    before = _contents(tmp_path)
    assert main(["upgrade", name]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"{name}: {problem}")
    assert captured.err.endswith(
        f"benchmarkkit upgrade: error: {name} was not upgraded: it could not be read as a dataset\n"
    )
    assert "fix it first" not in captured.err
    assert _contents(tmp_path) == before
    assert not Path("missing.yaml").exists()


@pytest.mark.parametrize(
    "written", ['&v "1.0"', ">-\n  1.0", '!!str "1.0"'], ids=["anchor", "folded", "tag"]
)
def test_a_schema_version_the_upgrade_cannot_rewrite_exits_2_saying_how_to_write_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    path = tmp_path / "d.yaml"
    text = f"schema_version: {written}\nid: d\ntitle: T\n"
    path.write_text(text, "utf-8")
    assert main(["upgrade", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"benchmarkkit upgrade: error: {path}:1: the upgrade cannot rewrite schema_version "
        "as this file writes it (with an anchor, a tag, escapes or a block such as >-), so "
        'nothing was written; write it by hand as schema_version: "1.0" (in quotes, on one '
        "line, nothing else), then run benchmarkkit upgrade again\n"
    )
    assert path.read_text("utf-8") == text


def _exit_statuses(text: str) -> list[tuple[str, str]]:
    """The statuses of an exit-status list in words: each number with its words on one line."""
    statuses: list[tuple[str, str]] = []
    for line in text.splitlines():
        number, _, words = line.strip().partition("  ")
        if number.isdigit():
            statuses.append((number, words))
        elif statuses and line.startswith("     "):
            statuses[-1] = (statuses[-1][0], f"{statuses[-1][1]} {line.strip()}")
    return statuses


def test_upgrade_help_and_the_command_reference_list_the_same_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["upgrade", "--help"]) == 0
    helped = capsys.readouterr().out
    assert _UPGRADE_EXIT_STATUSES in helped
    statuses = _exit_statuses(_UPGRADE_EXIT_STATUSES)
    assert [number for number, _ in statuses] == ["0", "1", "2"]
    page = (ROOT / "docs" / "reference" / "cli.md").read_text("utf-8")
    section = page[page.index("## `benchmarkkit upgrade`") :]
    section = section[: section.index("\n## ")].replace("`", "")
    for number, words in statuses:
        assert f"| {number} | {words} |" in section


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
