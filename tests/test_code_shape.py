"""The code stays plain: no function in src/ over cyclomatic complexity 15, except with a reason.

CI runs ``ruff check .`` with the mccabe rule (C90) at 15; these tests say so, and
run the same check over ``src/`` when ruff is installed (the ``dev`` extra).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src" / "benchmarkkit"
MAX_COMPLEXITY = 15
# A function may be more complex only with its reason after the C901 in its noqa comment.
NOQA_C901 = re.compile(r"#\s*noqa:[^#\n]*\bC901\b(?P<rest>[^\n]*)")


def complexity_check(path: Path) -> subprocess.CompletedProcess[str]:
    """Run ruff's mccabe rule alone, at 15, over ``path``."""
    pytest.importorskip("ruff", reason="ruff comes with the dev extra")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--isolated",  # this rule alone, whatever else the configuration selects
            "--select=C901",
            f"--config=lint.mccabe.max-complexity = {MAX_COMPLEXITY}",
            "--output-format=concise",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_ci_lint_limits_every_function_to_complexity_15() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "C90" in lint["select"]
    assert lint["mccabe"]["max-complexity"] == MAX_COMPLEXITY


def test_no_function_in_src_is_over_complexity_15() -> None:
    result = complexity_check(SRC)
    over = [line.removeprefix(f"{ROOT}/") for line in result.stdout.splitlines() if "C901" in line]
    assert over == []
    assert result.returncode == 0, result.stderr


def test_the_complexity_check_reports_a_function_over_15(tmp_path: Path) -> None:
    # The check above can fail: one more branch than the limit allows is reported, by name.
    branches = "".join(f"    if value == {n}:\n        return {n}\n" for n in range(15))
    (tmp_path / "tangled.py").write_text(f"def tangled(value):\n{branches}    return -1\n")
    result = complexity_check(tmp_path)
    assert "tangled.py:1:5: C901 `tangled` is too complex (16 > 15)" in result.stdout
    assert result.returncode == 1


def test_every_complexity_exception_in_src_gives_its_reason() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if (match := NOQA_C901.search(line)) and not re.search(r"\w", match["rest"])
    ]
    assert bare == []
