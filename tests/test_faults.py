"""Fault injection for every writer: killed at each step, a full disk, a size limit, a bad stdout.

Each test runs the real command (or ``save_dataset``) in a child process and
asserts what a user finds afterwards: the old file or dataset intact (or the
new one whole), no temporary file left after a failure the process survived,
and the message and exit status.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarkkit import load_dataset, validate
from tests.conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and limits")

AS_OF = "2012-03-20"
#: The file-size limit of the size-limit tests: smaller than every output, larger than the old.
LIMIT = 2048
OLD = "the old, good output\n"

#: Run in the child: kill the process at the Nth step (a sync, or a rename), then run the code.
_KILLER = """
import os, signal, sys

target = int(os.environ["KILL_AT_STEP"])
steps = [0]

def step(real):
    def wrapped(*args, **kwargs):
        steps[0] += 1
        if steps[0] == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapped

for name in ("fsync", "rename", "replace"):
    setattr(os, name, step(getattr(os, name)))
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BENCHMARKKIT_DEBUG"}
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def _child(
    code: str,
    *,
    cwd: Path,
    kill_at: int | None = None,
    limit: int | None = None,
    ignore_size_signal: bool = False,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    def prepare() -> None:  # pragma: no cover - runs in the child
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        if ignore_size_signal:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    env = _env()
    if kill_at is not None:
        env["KILL_AT_STEP"] = str(kill_at)
        code = _KILLER + code
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=prepare,
    )


def _command(*args: str | Path) -> str:
    arguments = [str(arg) for arg in args]
    return f"import sys\nfrom benchmarkkit.cli import main\nsys.exit(main({arguments!r}))\n"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _kill_at_every_step(
    run: Callable[[int], subprocess.CompletedProcess[str]], after_kill: Callable[[], None]
) -> int:
    """Run, killed at step 1, 2, ... until a run completes; check the state after each kill."""
    for step in range(1, 200):
        result = run(step)
        if result.returncode != -signal.SIGKILL:
            assert result.returncode == 0, result.stderr
            return step - 1
        after_kill()
    raise AssertionError("the writer never completed")  # pragma: no cover


# -- killed at each step ---------------------------------------------------------------------


def test_a_folder_save_killed_at_any_step_leaves_the_old_dataset_or_the_new(tmp_path: Path) -> None:
    old = load_dataset(EXAMPLE)
    target = tmp_path / "ds"
    new_title = "Kazakhstan 2012, revised"
    code = textwrap.dedent(
        f"""
        import attrs, benchmarkkit
        dataset = benchmarkkit.load_dataset({str(EXAMPLE)!r})
        last = attrs.evolve(dataset.evidence[-1], summary="Revised summary.")
        changed = attrs.evolve(
            dataset, title={new_title!r}, evidence=(*dataset.evidence[:-1], last)
        )
        benchmarkkit.save_dataset(changed, {str(target)!r}, layout="folder")
        """
    )
    seen = set()

    def after_kill() -> None:
        report = validate(target)
        assert report.valid, [str(p) for p in report.errors]
        dataset = report.dataset
        assert dataset is not None
        if dataset.title == new_title:
            assert dataset.evidence[-1].summary == "Revised summary."
            seen.add("new")
        else:
            assert dataset == old
            seen.add("old")
        assert (target / "sources" / "2012-03-20-appeal-eu-kazakhstan.txt").is_file()
        # Only hidden leftovers, which no dataset reads; the next save still works.
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["ds"]

    def run(step: int) -> subprocess.CompletedProcess[str]:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(EXAMPLE, target)
        return _child(code, cwd=tmp_path, kill_at=step)

    steps = _kill_at_every_step(run, after_kill)
    assert steps >= len(list(EXAMPLE.glob("*.yaml")))  # killed before and after every file
    assert "old" in seen
    assert load_dataset(target).title == new_title


@pytest.mark.parametrize(
    "args",
    [
        ("score", EXAMPLE, "--as-of", AS_OF, "--format", "json", "-o", "out.json"),
        ("report", EXAMPLE, "--as-of", AS_OF, "-o", "out.html"),
    ],
    ids=["score", "report"],
)
def test_an_output_killed_at_any_step_is_old_or_new_never_truncated(
    tmp_path: Path, args: tuple[str | Path, ...]
) -> None:
    output = tmp_path / str(args[-1])
    complete = _child(_command(*args), cwd=tmp_path)
    assert complete.returncode == 0, complete.stderr
    new = output.read_text(encoding="utf-8")

    def run(step: int) -> subprocess.CompletedProcess[str]:
        output.write_text(OLD, encoding="utf-8")
        return _child(_command(*args), cwd=tmp_path, kill_at=step)

    def after_kill() -> None:
        assert output.read_text(encoding="utf-8") in (OLD, new)

    assert _kill_at_every_step(run, after_kill) >= 1


def test_init_killed_at_any_step_leaves_no_folder_and_a_rerun_works(tmp_path: Path) -> None:
    target = tmp_path / "new-dataset"

    def run(step: int) -> subprocess.CompletedProcess[str]:
        shutil.rmtree(target, ignore_errors=True)  # a whole dataset from the previous step
        return _child(_command("init", target), cwd=tmp_path, kill_at=step)

    def after_kill() -> None:
        assert not target.exists() or validate(target).valid
        assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] in (
            [],
            ["new-dataset"],
        )

    steps = _kill_at_every_step(run, after_kill)
    assert steps >= 6  # one step per file, and the rename
    assert validate(target).valid


# -- size limit (ulimit -f) and full disk ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("score", EXAMPLE, "--as-of", AS_OF, "--format", "json", "-o", "out.json"), "out.json"),
        (("report", EXAMPLE, "--as-of", AS_OF, "-o", "out.html"), "out.html"),
        (("schema", "dataset", "--output", "."), "dataset.schema.json"),
    ],
    ids=["score", "report", "schema"],
)
def test_a_size_limit_leaves_the_old_output_and_says_so(
    tmp_path: Path, args: tuple[str | Path, ...], output: str
) -> None:
    (tmp_path / output).write_text(OLD, encoding="utf-8")
    result = _child(_command(*args), cwd=tmp_path, limit=LIMIT)
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"benchmarkkit {args[0]}: error: cannot write {output!r}: File too large; "
        + ("the file is unchanged\n" if args[0] != "schema" else "that file is unchanged\n")
    )
    assert (tmp_path / output).read_text(encoding="utf-8") == OLD
    assert _leftovers(tmp_path) == []


def test_init_under_a_size_limit_leaves_nothing(tmp_path: Path) -> None:
    result = _child(_command("init", "new"), cwd=tmp_path, limit=LIMIT)
    assert result.returncode == 2
    assert result.stderr == (
        "benchmarkkit init: error: cannot create 'new': File too large; nothing was left behind\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("layout", ["file", "folder"])
def test_save_dataset_under_a_size_limit_raises_save_error_and_changes_nothing(
    tmp_path: Path, layout: str
) -> None:
    target = tmp_path / ("ds.yaml" if layout == "file" else "ds")
    if layout == "file":
        target.write_text(OLD, encoding="utf-8")
    else:
        shutil.copytree(EXAMPLE, target)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code = textwrap.dedent(
        f"""
        import benchmarkkit
        dataset = benchmarkkit.load_dataset({str(EXAMPLE)!r})
        try:
            benchmarkkit.save_dataset(dataset, {str(target)!r}, layout={layout!r})
        except benchmarkkit.SaveError as error:
            print(error)
        """
    )
    result = _child(code, cwd=tmp_path, limit=LIMIT, ignore_size_signal=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"cannot write {str(target)!r}: File too large; nothing was changed\n"
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert _leftovers(tmp_path) == []


# -- standard output ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("validate", EXAMPLE),
        ("score", EXAMPLE, "--as-of", AS_OF),
        ("schema",),
        ("--help",),
    ],
    ids=["validate", "score", "schema", "help"],
)
def test_a_full_standard_output_is_a_one_line_error(
    tmp_path: Path, args: tuple[str | Path, ...]
) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with Path("/dev/full").open("w") as full:
        result = _child(_command(*args), cwd=tmp_path, stdout=full.fileno())
    command = f" {args[0]}" if args[0] != "--help" else ""
    message = f"benchmarkkit{command}: error: cannot write to the standard output: "
    assert (result.returncode, result.stderr) == (2, message + "No space left on device\n")


def test_a_closed_standard_output_is_a_one_line_error(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", "-c", 'exec "$0" -c "$1" >&-', sys.executable, _command("validate", EXAMPLE)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "benchmarkkit validate: error: cannot write to the standard output: it is closed\n",
    )


@pytest.mark.parametrize(
    "args",
    [("validate", EXAMPLE), ("score", EXAMPLE, "--as-of", AS_OF, "--explain")],
    ids=["validate", "score-table"],
)
def test_a_reader_that_went_away_ends_the_command_quietly(
    tmp_path: Path, args: tuple[str | Path, ...]
) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line, as with `| head -0`
    try:
        result = _child(_command(*args), cwd=tmp_path, stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (2, "")


# -- outputs that are not regular files, and the standard output under a size limit ----------


def _csv_scorecard(tmp_path: Path) -> str:
    result = _child(_command("score", EXAMPLE, "--as-of", AS_OF, "--format", "csv"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_output_to_dev_stdout_goes_to_the_standard_output(tmp_path: Path) -> None:
    expected = _csv_scorecard(tmp_path)
    args = ("score", EXAMPLE, "--as-of", AS_OF, "--format", "csv", "-o", "/dev/stdout")
    result = _child(_command(*args), cwd=tmp_path)  # the standard output is a pipe
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == expected
    assert list(tmp_path.iterdir()) == []


def test_output_to_dev_fd_writes_into_that_descriptor(tmp_path: Path) -> None:
    expected = _csv_scorecard(tmp_path)
    read_end, write_end = os.pipe()
    args = ("score", EXAMPLE, "--as-of", AS_OF, "--format", "csv", "-o", f"/dev/fd/{write_end}")
    try:
        result = subprocess.run(
            [sys.executable, "-c", _command(*args)],
            cwd=tmp_path,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            pass_fds=(write_end,),
        )
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            received = reader.read()
    finally:
        with contextlib.suppress(OSError):
            os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")
    assert received.decode("utf-8") == expected


def test_output_to_dev_stdout_appends_to_a_file_opened_for_appending(tmp_path: Path) -> None:
    expected = _csv_scorecard(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("earlier lines\n", encoding="utf-8")
    args = ("score", EXAMPLE, "--as-of", AS_OF, "--format", "csv", "-o", "/dev/stdout")
    with log.open("a") as appending:
        result = _child(_command(*args), cwd=tmp_path, stdout=appending.fileno())
    assert (result.returncode, result.stderr) == (0, "")
    assert log.read_text(encoding="utf-8") == "earlier lines\n" + expected


@pytest.mark.parametrize(
    "args",
    [
        ("score", EXAMPLE, "--as-of", AS_OF, "--format", "json"),
        ("schema", "definitions"),
        ("report", EXAMPLE, "--as-of", AS_OF, "-o", "-"),
        ("score", EXAMPLE, "--as-of", AS_OF, "--format", "csv", "-o", "/dev/stdout"),
    ],
    ids=["score-json", "schema", "report", "score-to-dev-stdout"],
)
def test_a_size_limit_on_the_standard_output_is_an_error(
    tmp_path: Path, args: tuple[str | Path, ...]
) -> None:
    limit = 1024 if "csv" in args else 20 * 1024  # smaller than each output
    out = tmp_path / "big.out"
    with out.open("wb") as stdout:
        result = _child(_command(*args), cwd=tmp_path, stdout=stdout.fileno(), limit=limit)
    assert result.returncode == 2
    expected = (
        f"benchmarkkit {args[0]}: error: cannot write to the standard output: File too large\n"
        if "/dev/stdout" not in args
        else "benchmarkkit score: error: cannot write '/dev/stdout': File too large; it is not "
        "a regular file, so part of the output may have reached it\n"
    )
    assert result.stderr == expected
    assert out.stat().st_size == limit
