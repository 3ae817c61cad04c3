"""Safe writes: outputs never destroy inputs, every write is atomic, and saving never loses data."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmarkkit
import benchmarkkit._cli.init
from benchmarkkit import Dataset, SaveError, dump_dataset, load_dataset, save_dataset, validate
from benchmarkkit._schema import OTHER_SCHEMA_NAMES, SCHEMA_NAMES, schema_text
from benchmarkkit._write import write_atomically
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, EXAMPLE_NOTES, ROOT

ARCHIVE = "2012-03-20-appeal-eu-kazakhstan.txt"
AS_OF = "2012-03-20"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the example dataset folder."""
    copy = tmp_path / "ds"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    """The example as one file, with its archived text beside it."""
    path = tmp_path / "data.yaml"
    save_dataset(load_dataset(EXAMPLE), path)
    shutil.copytree(EXAMPLE / "sources", tmp_path / "sources")
    assert validate(path).valid
    return path


@pytest.fixture
def umask() -> Iterator[int]:
    """A known umask for the test (the test process's own, restored afterwards)."""
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def _temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp" in p.name)


# -- outputs never write over inputs ---------------------------------------------------------


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink", "hardlink"])
def test_score_refuses_to_write_over_a_one_file_dataset(
    cli: Any, one_file: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(one_file.parent)
    before = one_file.read_bytes()
    output = {"same": "data.yaml", "dot-slash": "./data.yaml"}.get(spelling, "other.yaml")
    if spelling == "symlink":
        Path("other.yaml").symlink_to("data.yaml")
    elif spelling == "hardlink":
        os.link("data.yaml", "other.yaml")
    result = cli("score", "data.yaml", "--as-of", AS_OF, "--format", "json", "-o", output)
    assert result.status == 2
    assert result.err == (
        f"benchmarkkit score: error: {output!r} is the dataset file 'data.yaml' itself, "
        "so writing there would destroy it; write to another file, or add --force to "
        "overwrite it anyway\n"
    )
    assert one_file.read_bytes() == before


def test_score_refuses_to_write_over_an_archived_text(cli: Any, folder: Path) -> None:
    archive = folder / "sources" / ARCHIVE
    before = archive.read_bytes()
    result = cli("score", folder, "--as-of", AS_OF, "--format", "csv", "-o", archive)
    assert result.status == 2
    assert f"'{archive}' is the archived text of source" in result.err
    assert "writing there would destroy it" in result.err
    assert "--force" in result.err
    assert archive.read_bytes() == before
    assert validate(folder).valid


def test_an_archive_of_a_one_file_dataset_is_protected_through_a_hard_link(
    cli: Any, one_file: Path, tmp_path: Path
) -> None:
    link = tmp_path / "elsewhere.html"
    os.link(one_file.parent / "sources" / ARCHIVE, link)
    before = link.read_bytes()
    result = cli("report", one_file, "--as-of", AS_OF, "-o", link)
    assert result.status == 2
    assert f"'{link}' is the archived text of source" in result.err
    assert f"sources/{ARCHIVE}" in result.err
    assert link.read_bytes() == before


def test_any_existing_file_in_the_dataset_folder_is_protected(cli: Any, folder: Path) -> None:
    readme = folder / "report.md"
    before = readme.read_bytes()
    result = cli("report", folder, "--as-of", AS_OF, "-o", readme)
    assert result.status == 2
    assert f"'{readme}' is a file inside the dataset folder '{folder}'" in result.err
    assert readme.read_bytes() == before


def test_a_new_report_beside_the_data_in_the_folder_is_allowed(cli: Any, folder: Path) -> None:
    result = cli("report", folder, "--as-of", AS_OF, "-o", folder / "new-report.md")
    assert (result.status, result.err) == (0, "")
    assert validate(folder).valid


def test_force_writes_over_an_input(cli: Any, one_file: Path) -> None:
    result = cli("score", one_file, "--as-of", AS_OF, "--format", "json", "-o", one_file, "--force")
    assert result.status == 0
    assert "overall" in json.loads(one_file.read_text(encoding="utf-8"))


def test_report_refuses_a_data_file_the_dataset_would_read(cli: Any, folder: Path) -> None:
    archive = folder / "sources" / ARCHIVE
    os.link(archive, folder / "sources" / "copy.md")
    result = cli("report", folder, "--as-of", AS_OF, "-o", folder / "sources" / "copy.md")
    assert result.status == 2
    assert "is the archived text of source" in result.err


# -- atomic writes --------------------------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    """Make files (not the standard streams) fill up after ``after`` bytes."""
    real = os.write
    written = {"bytes": 0}

    def write(fd: int, data: bytes) -> int:
        if fd <= 2:
            return real(fd, data)
        room = after - written["bytes"]
        if room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = real(fd, bytes(data[:room]))
        written["bytes"] += count
        return count

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("command", ["score", "report"])
def test_a_full_disk_leaves_the_old_output_intact(
    cli: Any, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    output = tmp_path / ("out.json" if command == "score" else "out.html")
    output.write_text("the old, good output\n", encoding="utf-8")
    _full_disk(monkeypatch, after=100)
    extra = ["--format", "json"] if command == "score" else []
    result = cli(command, folder, "--as-of", AS_OF, *extra, "-o", output)
    monkeypatch.undo()
    assert result.status == 2
    assert result.err == (
        f"benchmarkkit {command}: error: cannot write {str(output)!r}: No space left on "
        "device; the file is unchanged\n"
    )
    assert output.read_text(encoding="utf-8") == "the old, good output\n"
    assert _temporary_files(tmp_path) == []


def test_schema_output_is_written_atomically(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "dataset.schema.json"
    old.write_text("{}\n", encoding="utf-8")
    _full_disk(monkeypatch, after=10)
    result = cli("schema", "dataset", "--output", tmp_path)
    monkeypatch.undo()
    assert result.status == 2
    assert "No space left on device" in result.err
    assert old.read_text(encoding="utf-8") == "{}\n"
    assert _temporary_files(tmp_path) == []


def test_written_files_get_the_umask_permissions(
    cli: Any, folder: Path, tmp_path: Path, umask: int
) -> None:
    expected = 0o666 & ~umask
    card = tmp_path / "card.json"
    assert cli("score", folder, "--as-of", AS_OF, "--format", "json", "-o", card).status == 0
    assert cli("schema", "--output", tmp_path / "schemas").status == 0
    assert cli("init", tmp_path / "new").status == 0
    saved = save_dataset(load_dataset(EXAMPLE), tmp_path / "saved.json")
    saved += save_dataset(load_dataset(EXAMPLE), tmp_path / "saved", layout="folder")
    files = [card, *(tmp_path / "schemas").iterdir(), *(tmp_path / "new").rglob("*"), *saved]
    modes = {str(p): stat.S_IMODE(p.stat().st_mode) for p in files if p.is_file()}
    assert modes == dict.fromkeys(modes, expected)


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "private.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o600)
    write_atomically(path, "[]\n")
    assert (path.read_text(encoding="utf-8"), stat.S_IMODE(path.stat().st_mode)) == ("[]\n", 0o600)


def test_writing_through_a_symlink_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.md").symlink_to(real)
    write_atomically(tmp_path / "link.md", "new")
    assert (tmp_path / "link.md").is_symlink()
    assert real.read_text(encoding="utf-8") == "new"


def test_a_failed_check_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")

    def refuse(written: Path) -> None:
        assert written.read_text(encoding="utf-8") == "new"
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        write_atomically(path, "new", check=refuse)
    assert path.read_text(encoding="utf-8") == "old"
    assert _temporary_files(tmp_path) == []


# -- save_dataset ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("layout", "fmt"), [("file", "json"), ("file", "yaml"), ("folder", "yaml")]
)
def test_saving_a_lone_surrogate_raises_save_error_and_writes_nothing(
    tmp_path: Path, layout: str, fmt: str
) -> None:
    dataset = Dataset(id="d", title="Broken \ud800 title")
    target = tmp_path / (f"d.{fmt}" if layout == "file" else "d")
    with pytest.raises(SaveError) as raised:
        save_dataset(dataset, target, layout=layout, fmt=fmt)  # type: ignore[arg-type]
    problems = raised.value.problems
    assert [(p.code, p.pointer) for p in problems] == [("invalid-text", "/title")]
    assert "U+D800" in problems[0].message
    assert str(raised.value).startswith(
        f"{str(target)!r} was not saved: the dataset holds values no file can hold "
        "(invalid-text); fix these problems first\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_saving_a_dataset_that_would_not_load_raises_with_the_problems(tmp_path: Path) -> None:
    dataset = Dataset(id="has spaces", title="")
    target = tmp_path / "d.yaml"
    target.write_text("the old file\n", encoding="utf-8")
    with pytest.raises(SaveError) as raised:
        save_dataset(dataset, target)
    error = raised.value
    assert isinstance(error, benchmarkkit.BenchmarkkitError)
    assert sorted(p.pointer for p in error.problems) == ["/id", "/title"]
    assert {p.file for p in error.problems} == {str(target)}
    assert all(p.line is not None for p in error.problems)
    assert str(error).startswith(f"{str(target)!r} was not saved: it would not load again")
    assert target.read_text(encoding="utf-8") == "the old file\n"
    assert _temporary_files(tmp_path) == []


def test_save_error_pickles_with_its_problems(tmp_path: Path) -> None:
    import pickle

    with pytest.raises(SaveError) as raised:
        save_dataset(Dataset(id="d", title=""), tmp_path / "d.json")
    copy = pickle.loads(pickle.dumps(raised.value))
    assert (str(copy), copy.problems) == (str(raised.value), raised.value.problems)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "xml"}, "fmt must be 'json' or 'yaml', not 'xml'"),
        ({"layout": "zip"}, "layout must be 'file' or 'folder', not 'zip'"),
    ],
)
def test_unknown_format_or_layout_is_a_value_error(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    dataset = Dataset(id="d", title="T")
    with pytest.raises(ValueError, match=message):
        save_dataset(dataset, tmp_path / "d.yaml", **options)  # type: ignore[arg-type]
    if "fmt" in options:
        with pytest.raises(ValueError, match=message):
            dump_dataset(dataset, options["fmt"])  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_folder_save_keeps_archives_and_other_files(tmp_path: Path) -> None:
    target = tmp_path / "copy"
    shutil.copytree(EXAMPLE, target)
    (target / ".schemas").mkdir()
    (target / ".schemas" / "x.json").write_text("{}", encoding="utf-8")
    dataset = load_dataset(EXAMPLE)
    changed = attrs.evolve(dataset, title="A new title")
    save_dataset(changed, target, layout="folder")
    assert load_dataset(target) == changed
    assert (target / "sources" / ARCHIVE).read_bytes() == (
        EXAMPLE / "sources" / ARCHIVE
    ).read_bytes()
    assert (target / "report.md").exists()
    assert (target / ".schemas" / "x.json").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]


def test_a_folder_save_that_fails_leaves_the_old_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy"
    shutil.copytree(EXAMPLE, target)
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    _full_disk(monkeypatch, after=5000)
    with pytest.raises(SaveError, match="No space left on device"):
        save_dataset(attrs.evolve(load_dataset(EXAMPLE), title="New"), target, layout="folder")
    monkeypatch.undo()
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy"]


@settings(max_examples=20)
@given(st.text(max_size=20))
def test_save_never_writes_what_it_cannot_read_back(title: str) -> None:
    import tempfile

    dataset = Dataset(id="d", title=title)
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("d.json", "d.yaml"):
            path = Path(tmp) / name
            try:
                save_dataset(dataset, path)
            except SaveError as error:
                assert error.problems  # noqa: PT017 - the property is about the error
                assert not path.exists()
            else:
                assert load_dataset(path, checks=(), plugins=False) == dataset


# -- init ------------------------------------------------------------------------------------


def test_init_racing_another_init_fails_and_keeps_the_other_runs_files(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "race"
    real = benchmarkkit._cli.init.dataset_id
    others: list[int] = []

    def race(folder: Path) -> str:
        if not others:
            others.append(-1)  # the other run must not start a race of its own
            others[0] = main(["init", str(target)])
            (target / "dataset.yaml").write_text("id: the-other-run\n", encoding="utf-8")
        return real(folder)

    monkeypatch.setattr(benchmarkkit._cli.init, "dataset_id", race)
    result = cli("init", target)
    assert others == [0]
    assert result.status == 2
    assert result.err.endswith(
        f"error: {str(target)!r} was created by someone else while this command ran; "
        "nothing was overwritten\n"
    )
    assert (target / "dataset.yaml").read_text(encoding="utf-8") == "id: the-other-run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["race"]


@pytest.mark.parametrize("existing", [False, True], ids=["new-folders", "empty-folder"])
def test_init_on_a_full_disk_leaves_nothing_and_a_rerun_works(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """New folders are removed again; an empty folder that was there stays, empty."""
    target = tmp_path / "empty" if existing else tmp_path / "a" / "b"
    if existing:
        target.mkdir()
    _full_disk(monkeypatch, after=3000)
    result = cli("init", target)
    monkeypatch.undo()
    assert result.status == 2
    assert result.err == (
        f"benchmarkkit init: error: cannot create {str(target)!r}: No space left on device; "
        "nothing was left behind\n"
    )
    assert list((target if existing else tmp_path).iterdir()) == []
    assert cli("init", target).status == 0
    assert validate(target).valid


def test_two_inits_at_once_never_both_succeed(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for attempt in range(4):
        target = tmp_path / f"race-{attempt}"
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "benchmarkkit", "init", str(target)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
            )
            for _ in range(2)
        ]
        errors = b"".join(run.communicate(timeout=60)[1] for run in runs)
        statuses = sorted(run.returncode for run in runs)
        assert statuses == [0, 2], errors
        assert validate(target).valid


# -- defects from the acceptance review ------------------------------------------------------


def _csv(cli: Any, folder: Path) -> str:
    result = cli("score", folder, "--as-of", AS_OF, "--format", "csv")
    assert result.status == 0
    out: str = result.out
    return out


def test_output_to_a_named_pipe_goes_into_the_pipe_and_leaves_it_a_pipe(
    cli: Any, folder: Path, tmp_path: Path
) -> None:
    expected = _csv(cli, folder)
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    # A reader that never blocks: the output (a few kB) fits in the pipe's buffer.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = cli("score", folder, "--as-of", AS_OF, "--format", "csv", "-o", fifo)
        received = os.read(reader, 1 << 20)
    finally:
        os.close(reader)
    assert (result.status, result.err) == (0, "")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received.decode("utf-8") == expected
    assert _temporary_files(tmp_path) == []


def test_write_atomically_writes_through_a_link_to_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "link.json").symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomically(tmp_path / "link.json", "through the link\n")
        received = os.read(reader, 1024)
    finally:
        os.close(reader)
    assert received == b"through the link\n"
    assert (tmp_path / "link.json").is_symlink()
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_save_dataset_to_a_named_pipe_checks_then_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "d.yaml"
    os.mkfifo(fifo)
    dataset = Dataset(id="d", title="T")
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert save_dataset(dataset, fifo) == [fifo]
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert received.decode("utf-8") == dump_dataset(dataset)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]


def test_a_dataset_that_would_not_load_is_not_saved_by_default(tmp_path: Path) -> None:
    dataset = load_dataset(EXAMPLE)
    broken = attrs.evolve(
        dataset,
        benchmarks=(
            attrs.evolve(dataset.benchmarks[0], area="no-such-area"),
            *dataset.benchmarks[1:],
        ),
    )
    target = tmp_path / "bad.yaml"
    with pytest.raises(SaveError) as raised:
        save_dataset(broken, target)
    problems = raised.value.problems
    assert [(p.code, p.pointer, p.file) for p in problems] == [
        ("unknown-reference", "/benchmarks/0/area", str(target))
    ]
    assert "refers to area 'no-such-area', which the dataset does not define" in problems[0].message
    assert problems[0].line is not None
    assert str(raised.value).startswith(
        f"{str(target)!r} was not saved: it would not load again; fix these problems first\n"
    )
    assert list(tmp_path.iterdir()) == []
    # A draft is saved when the caller asks for it: checks=() leaves the records unchecked.
    assert save_dataset(broken, target, checks=()) == [target]
    assert load_dataset(target, checks=(), plugins=False) == broken


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_a_dataset_saved_away_from_its_archived_texts_is_still_saved(
    tmp_path: Path, layout: str
) -> None:
    dataset = load_dataset(EXAMPLE)
    target = tmp_path / ("elsewhere.yaml" if layout == "file" else "elsewhere")
    save_dataset(dataset, target, layout=layout)  # type: ignore[arg-type]
    # The archived texts are not beside it: the one thing the saved dataset lacks.
    assert validate(target).codes() == {"archive-missing": 1, **EXAMPLE_NOTES}
    # Asked for, the archived texts are checked where the dataset is saved.
    with pytest.raises(SaveError) as raised:
        save_dataset(dataset, tmp_path / "checked.yaml", checks=benchmarkkit.DEFAULT_CHECKS)
    assert [p.code for p in raised.value.problems if p.severity == "error"] == ["archive-missing"]


def test_a_folder_save_never_changes_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "copy"
    shutil.copytree(EXAMPLE, target)
    monkeypatch.chdir(target / "sources")
    before = Path().stat()
    changed = attrs.evolve(load_dataset(EXAMPLE), title="A new title")
    save_dataset(changed, target, layout="folder")
    after = Path().stat()
    # Still the same folder: the old one, now removed, as the docstring says.
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert after.st_nlink == 0
    assert load_dataset(target) == changed


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (10**30, "number-too-large"),
        (float("inf"), "number-too-large"),
        (float("nan"), "wrong-type"),
    ],
    ids=["huge", "inf", "nan"],
)
def test_a_number_no_file_can_hold_is_named_as_a_value_not_text(
    tmp_path: Path, value: float, code: str
) -> None:
    dataset = load_dataset(EXAMPLE)
    indicator = next(i for i in dataset.indicators if i.baseline is not None)
    assert indicator.baseline is not None
    changed = attrs.evolve(indicator, baseline=attrs.evolve(indicator.baseline, value=value))
    dataset = attrs.evolve(
        dataset, indicators=tuple(changed if i is indicator else i for i in dataset.indicators)
    )
    target = tmp_path / "rt.json"
    with pytest.raises(SaveError) as raised:
        save_dataset(dataset, target)
    assert sorted({p.code for p in raised.value.problems}) == [code]
    first_line = str(raised.value).splitlines()[0]
    assert first_line == (
        f"{str(target)!r} was not saved: the dataset holds values no file can hold "
        f"({code}); fix these problems first"
    )
    assert "text" not in first_line
    assert list(tmp_path.iterdir()) == []


def test_a_file_target_without_a_data_suffix_is_refused_in_plain_words(tmp_path: Path) -> None:
    target = tmp_path / "jf2"
    with pytest.raises(SaveError) as raised:
        save_dataset(Dataset(id="d", title="T"), target, layout="file")
    assert str(raised.value) == (
        f"{str(target)!r} was not saved: a dataset file's name must end in .json, .yaml or "
        ".yml, or it would not load again; add one of them, or save with layout='folder'"
    )
    assert list(tmp_path.iterdir()) == []


def test_problems_from_reading_back_never_name_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "d.json"
    with pytest.raises(SaveError) as raised:
        save_dataset(Dataset(id="d", title="T"), target, fmt="yaml")  # YAML text in a .json file
    text = str(raised.value) + "".join(p.message for p in raised.value.problems)
    assert ".tmp" not in text
    assert {p.file for p in raised.value.problems} == {str(target)}


@pytest.mark.parametrize(
    ("output", "what"),
    [
        ("", "the dataset folder {dataset!r} itself"),
        ("sources", "a folder inside the dataset folder {dataset!r}"),
    ],
    ids=["the-folder", "a-subfolder"],
)
def test_the_refusal_for_a_folder_says_folder(
    cli: Any, folder: Path, output: str, what: str
) -> None:
    target = folder / output if output else folder
    result = cli("score", folder, "--as-of", AS_OF, "--format", "json", "-o", target)
    assert result.status == 2
    assert result.err == (
        f"benchmarkkit score: error: {str(target)!r} is "
        + what.format(dataset=str(folder))
        + ", so writing there would destroy it; write to another file, or add --force to "
        "overwrite it anyway\n"
    )


def test_schema_into_a_new_folder_on_a_full_disk_leaves_no_folder(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = [len(schema_text(name).encode()) for name in SCHEMA_NAMES]
    _full_disk(monkeypatch, after=sizes[0] + sizes[1] + 10)  # room for two files, not five
    target = tmp_path / "new" / "schemas"
    result = cli("schema", "--output", target)
    monkeypatch.undo()
    assert result.status == 2
    assert result.err.startswith("benchmarkkit schema: error: cannot write ")
    assert result.err.endswith(f": No space left on device; {str(target)!r} was not created\n")
    assert list(tmp_path.iterdir()) == []
    assert cli("schema", "--output", target).status == 0
    assert sorted(p.name for p in target.iterdir() if p.is_file()) == sorted(
        f"{name}.schema.json" for name in (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES)
    )


def test_schema_into_an_existing_folder_on_a_full_disk_changes_nothing(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keep.txt").write_text("mine\n", encoding="utf-8")
    sizes = [len(schema_text(name).encode()) for name in SCHEMA_NAMES]
    _full_disk(monkeypatch, after=sizes[0] + sizes[1] + 10)
    result = cli("schema", "--output", tmp_path)
    monkeypatch.undo()
    assert result.status == 2
    assert result.err.endswith(": No space left on device; no file was changed\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_init_through_a_link_to_an_empty_folder_fills_that_folder(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "lnk").symlink_to("real")
    result = cli("init", tmp_path / "lnk")
    assert (result.status, result.err) == (0, "")
    assert (tmp_path / "lnk").is_symlink()
    assert (tmp_path / "real" / "dataset.yaml").is_file()
    assert validate(tmp_path / "lnk").valid
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lnk", "real"]


def test_init_in_the_empty_working_folder_fills_it_in_place(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    before = Path().stat()
    result = cli("init", ".")
    assert (result.status, result.err) == (0, "")
    after = Path().stat()
    assert (after.st_ino, after.st_nlink > 0) == (before.st_ino, True)
    assert validate(".").valid
    assert "id: here\n" in Path("dataset.yaml").read_text(encoding="utf-8")
