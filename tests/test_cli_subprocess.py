"""The command line as a real process: ``python -m benchmarkkit``, its output, status and weight."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarkkit import __version__
from tests.conftest import EXAMPLE, FIXTURES, ROOT

SRC = ROOT / "src"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "BENCHMARKKIT_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


def _run(
    *args: str | Path, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarkkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(**env),
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_console_script_points_at_main() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"benchmarkkit": "benchmarkkit.cli:main"}


def test_version_as_a_process() -> None:
    result = _run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"benchmarkkit {__version__}\n",
        "",
    )


def test_validate_a_valid_dataset_as_a_process() -> None:
    result = _run("validate", FIXTURES / "valid" / "folder")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{FIXTURES / 'valid' / 'folder'}: valid, no problems\n"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example dataset is not written yet")
def test_the_kazakhstan_example_validates_as_a_process() -> None:
    result = _run("validate", "examples/kazakhstan-2012", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    # Valid, with the example's two info notes (tests/conftest.py: EXAMPLE_NOTES).
    assert result.stdout.endswith(
        "examples/kazakhstan-2012: valid, with 0 errors, 0 warnings, 2 info\n"
    )


@pytest.mark.parametrize(
    ("args", "status", "text"),
    [
        (["validate", "no/such/dataset.yaml"], 2, "path-not-found"),
        (["validate", str(FIXTURES)], 2, "not-a-dataset"),
        (["validate", str(FIXTURES / "invalid" / "syntax.json")], 1, "json-syntax"),
        (["validate", str(FIXTURES / "invalid" / "syntax.yaml")], 1, "yaml-syntax"),
        (
            ["score", str(FIXTURES / "valid" / "minimal.yaml"), "--rule", "nope"],
            2,
            "no scoring rule",
        ),
        (
            ["score", str(FIXTURES / "valid" / "minimal.yaml"), "--as-of", "2012-02-30"],
            2,
            "not a date",
        ),
        (["validate", "--format", "yaml", "x"], 2, "invalid choice"),
    ],
)
def test_bad_input_as_a_process(args: list[str], status: int, text: str) -> None:
    result = _run(*args)
    assert result.returncode == status
    assert text in result.stdout + result.stderr


def test_github_annotations_as_a_process() -> None:
    result = _run("validate", "--format", "github", FIXTURES / "invalid" / "dates.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines[:3]:
        assert re.fullmatch(r"::error file=[^,]+,line=\d+,col=\d+,title=[a-z-]+::.+", line), line
    assert lines[3].startswith("benchmarkkit: ")


def test_piped_output_has_no_colour_and_no_progress(tmp_path: Path) -> None:
    result = _run(
        "validate", FIXTURES / "invalid" / "references.yaml", FORCE_COLOR="", TERM="xterm"
    )
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_init_then_validate_then_score_as_processes(tmp_path: Path) -> None:
    created = _run("init", "my-data", cwd=tmp_path)
    assert created.returncode == 0
    checked = _run("validate", "--strict", "--format", "json", "my-data", cwd=tmp_path)
    assert checked.returncode == 0
    assert json.loads(checked.stdout)["counts"] == {"error": 0, "warning": 0, "info": 0}
    scored = _run("score", "my-data", "--as-of", "2024-02-01", "--format", "csv", cwd=tmp_path)
    assert scored.returncode == 0
    assert scored.stdout.startswith("dataset_id,as_of,subject,id,title,")


def _modules_loaded(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=True,
    )
    loaded: set[str] = set(json.loads(result.stdout.splitlines()[-1]))
    return loaded


def test_version_loads_nothing_beyond_the_package_itself() -> None:
    # Whatever ``import benchmarkkit`` loads, --version adds only the command's own modules.
    added = _modules_loaded(
        "import json, sys, benchmarkkit; before = set(sys.modules)\n"
        "from benchmarkkit.cli import main; main(['--version'])\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    ours = {name for name in added if name.startswith("benchmarkkit")}
    # _process: the collector, paused from the start (the standard library's gc and atexit).
    assert ours == {
        "benchmarkkit.cli",
        "benchmarkkit._cli",
        "benchmarkkit._cli._parser",
        "benchmarkkit._cli._process",
    }
    assert not {"rich", "jsonschema", "jsonschema_rs", "yaml", "attrs", "typing"} & added


def test_validating_into_a_pipe_does_not_load_rich() -> None:
    loaded = _modules_loaded(
        "import json, sys\nfrom benchmarkkit.cli import main\n"
        f"main(['validate', {str(FIXTURES / 'valid' / 'minimal.yaml')!r}])\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    assert "rich" not in loaded
    assert "benchmarkkit.scoring" not in loaded or "benchmarkkit.scoring" in _modules_loaded(
        "import json, sys, benchmarkkit; print(json.dumps(sorted(sys.modules)))"
    )
