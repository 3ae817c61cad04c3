"""The package that docs/how-to/custom-rule.md builds works once installed.

The page writes a package (its ``file=`` blocks) and tells the reader to install it
with pip, which a test cannot do without a network and a build backend. This test
installs it the way pip leaves it behind for ``importlib.metadata``: a
``.dist-info`` folder with the entry points the page's ``pyproject.toml`` declares.
Then it runs the commands the page shows after the install (its ``console norun``
blocks) and scores a dataset whose manifest uses the page's scoring snippet.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.test_docs_examples import blocks, commands, matches

PAGE = ROOT / "docs" / "how-to" / "custom-rule.md"


def _install(work: Path) -> dict[str, str]:
    """Write the page's package into ``work`` and 'install' it; return the environment."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    text = PAGE.read_text(encoding="utf-8")
    for block in blocks(text):
        if block.file is not None:
            target = work / block.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
    pyproject = tomllib.loads((work / "my-rules" / "pyproject.toml").read_text())
    project = pyproject["project"]
    dist_info = (
        work / "site" / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    )
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n"
    )
    groups = project["entry-points"]
    (dist_info / "entry_points.txt").write_text(
        "".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in points.items())
            for group, points in groups.items()
        )
    )
    env = {k: v for k, v in os.environ.items() if k not in ("BENCHMARKKIT_DEBUG", "FORCE_COLOR")}
    paths = [str(ROOT / "src"), str(work / "site"), str(work / "my-rules" / "src")]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(NO_COLOR="1", TERM="dumb", CI="true")
    return env


def _run(command: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    arguments = command.split()
    assert arguments[0] == "benchmarkkit"
    return subprocess.run(
        [sys.executable, "-m", "benchmarkkit", *arguments[1:]],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_page_declares_the_rule_under_the_name_it_registers() -> None:
    tomllib = pytest.importorskip("tomllib")
    text = PAGE.read_text(encoding="utf-8")
    found = {block.file: block.text for block in blocks(text) if block.file}
    points = tomllib.loads(found["my-rules/pyproject.toml"])["project"]["entry-points"]
    registered = re.findall(
        r'@register_rule\(\s*"([^"]+)"', found[next(iter(f for f in found if f.endswith(".py")))]
    )
    assert list(points["benchmarkkit.rules"]) == registered


def test_the_commands_after_the_install_do_what_the_page_shows(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = _install(tmp_path)
    after_install = [
        block
        for block in blocks(PAGE.read_text(encoding="utf-8"))
        if block.language == "console" and "norun" in block.options
    ]
    assert after_install
    for block in after_install:
        for step in commands(block):
            result = _run(step.text, env, tmp_path)
            assert result.returncode == 0, (step.text, result.stdout, result.stderr)
            if step.expected is not None:
                assert matches(step.expected, result.stdout), (step.text, result.stdout)


def test_a_dataset_can_name_the_installed_rule_in_its_scoring(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "kazakhstan-2012", tmp_path / "data")
    env = _install(tmp_path)
    snippet = next(
        block.text
        for block in blocks(PAGE.read_text(encoding="utf-8"))
        if block.language == "yaml" and block.text.startswith("scoring:")
    )
    manifest = tmp_path / "data" / "dataset.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["scoring"] = yaml.safe_load(snippet)["scoring"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    valid = _run("benchmarkkit validate data", env, tmp_path)
    # Valid, with the example's two info notes (tests/conftest.py: EXAMPLE_NOTES).
    assert (valid.returncode, valid.stdout.splitlines()[-1]) == (
        0,
        "data: valid, with 0 errors, 0 warnings, 2 info",
    )
    scored = _run("benchmarkkit score data --as-of 2012-03-20 --format json", env, tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert '"rule": "progress-share"' in scored.stdout

    env["PYTHONPATH"] = str(ROOT / "src")  # the package is not installed here
    missing = _run("benchmarkkit validate data", env, tmp_path)
    assert missing.returncode == 1
    assert "unknown-rule" in missing.stdout
