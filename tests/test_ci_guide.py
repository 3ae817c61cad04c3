"""Every command of the CI guide (docs/how-to/validate-in-ci.md) is run by a test.

The guide's shell blocks that ``tests/test_docs_examples.py`` runs need nothing more.
The others (``norun``: installs, pre-commit, git) and the ``run:`` steps of the
guide's workflows are each mapped to the test (or ``.ci/run``) that runs them, in
``RUN_ELSEWHERE``; a command the page gains that nothing runs fails
``test_every_command_of_the_guide_is_run_by_a_test``, naming it. The workflow's steps
themselves run here, as GitHub would run them, on the example dataset and on a broken
copy of it; the install step runs in ``tests/test_precommit_hook.py``, which has a git
repository of this checkout to install from.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml

from benchmarkkit._version import __version__
from tests.conftest import EXAMPLE, ROOT
from tests.test_docs_examples import SHELLS, Block, blocks, commands

PAGE = ROOT / "docs" / "how-to" / "validate-in-ci.md"
PRECOMMIT_CONFIG = ".pre-commit-config.yaml"
WORKFLOW = ".github/workflows/validate-dataset.yml"
#: The line of the page's workflow that installs benchmarkkit.
INSTALL_STEP = "Install benchmarkkit"

_HOOK_TEST = "tests/test_precommit_hook.py::test_the_hook_refuses_broken_commits_as_the_guide_shows"
_STEPS_TEST = "tests/test_ci_guide.py::test_the_workflow_steps_run_as_github_runs_them"
#: Commands of the page that tests/test_docs_examples.py does not run, and what runs each:
#: (the test, or a file, that runs it; a text that test or file must contain, so that the
#: claim cannot silently go stale).
RUN_ELSEWHERE: dict[str, tuple[str, str]] = {
    # .ci/run installs the test extra, which holds pre-commit; a test cannot change its own
    # environment.
    "python -m pip install pre-commit": ("pyproject.toml", '"pre-commit>='),
    "pre-commit install": (_HOOK_TEST, "_install_the_hook("),
    "git add data/": (_HOOK_TEST, "_install_the_hook("),
    "pre-commit run benchmarkkit-validate --all-files": (_HOOK_TEST, "_install_the_hook("),
    'git commit -am "The election monitors\' finding bears on the election law too"': (
        _HOOK_TEST,
        "refused_commit()",
    ),
    # The workflow's steps: the install in the hook's environment (from a git repository of
    # this checkout), the others here.
    (
        "python -m pip install "
        '"benchmarkkit @ git+https://github.com/benchmarkkit/benchmarkkit@v0.1.0"'
    ): (_HOOK_TEST, "_run_the_workflow("),
    "benchmarkkit validate --format github --strict data/": (_STEPS_TEST, "run_workflow("),
    (
        "status=0\n"
        "benchmarkkit validate --format json --strict data/ > validation-report.json"
        ' || status=$?\ntest "$status" -ne 2'
    ): (_STEPS_TEST, "run_workflow("),
    'benchmarkkit score data/ --format markdown >> "$GITHUB_STEP_SUMMARY"': (
        _STEPS_TEST,
        "run_workflow(",
    ),
    # With other JSON Schema validators: .ci/run installs ajv-cli where npm is installed,
    # and the generic validators' test runs the page's ajv command where node is.
    "npm install -g ajv-cli": (".ci/run", "ajv-cli"),
    "ajv validate --spec=draft2020 --strict=true -s schemas/dataset.schema.json -d dataset.json": (
        (
            "tests/test_generic_validators.py::"
            "test_a_validator_command_of_the_docs_passes_the_example_offline"
        ),
        "doc_commands()",
    ),
}


@attrs.frozen
class GuideCommand:
    """A command of the guide: a shell line, or a workflow step's ``run:`` script."""

    text: str
    line: int
    #: Whether tests/test_docs_examples.py runs it (a shell block not marked ``norun``).
    run_by_docs_test: bool


def page_blocks() -> list[Block]:
    """The guide's fenced code blocks."""
    return list(blocks(PAGE.read_text(encoding="utf-8")))


def file_block(name: str) -> list[Block]:
    """The guide's blocks the reader saves as the file ``name`` (``file=name``), in order."""
    found = [block for block in page_blocks() if block.file == name]
    assert found, f"{PAGE.name} has no block that writes {name} (```yaml file={name})"
    return found


def workflows() -> Iterator[tuple[Block, dict[str, Any]]]:
    """The guide's GitHub workflows: its YAML blocks that have ``jobs``."""
    for block in page_blocks():
        if block.language == "yaml":
            data = yaml.safe_load(block.text)
            if isinstance(data, dict) and "jobs" in data:
                yield block, data


def workflow_steps() -> list[dict[str, Any]]:
    """The steps of the guide's workflow, in order."""
    data = yaml.safe_load(file_block(WORKFLOW)[0].text)
    (job,) = data["jobs"].values()
    steps: list[dict[str, Any]] = job["steps"]
    return steps


def precommit_commands() -> list[str]:
    """The guide's commands that set pre-commit up, after installing it, in order."""
    (block,) = [
        block
        for block in page_blocks()
        if block.language in SHELLS and "pre-commit install" in block.text
    ]
    return [step.text for step in commands(block) if "pip install" not in step.text]


def refused_commit() -> tuple[str, str]:
    """The guide's refused commit: the command, and the output the page shows for it."""
    for block in page_blocks():
        if block.language == "console":
            for step in commands(block):
                if step.text.startswith("git commit") and step.expected is not None:
                    return step.text, step.expected
    raise AssertionError(f"{PAGE.name} shows no refused `git commit`")


def guide_commands() -> list[GuideCommand]:
    """Every command of the guide: shell lines, and each workflow step's ``run:``."""
    found = [
        GuideCommand(step.text, step.line, block.runs)
        for block in page_blocks()
        if block.language in SHELLS
        for step in commands(block)
    ]
    found.extend(
        GuideCommand(step["run"].strip("\n"), block.line, run_by_docs_test=False)
        for block, data in workflows()
        for job in data["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    )
    return found


# -- running the workflow's steps ------------------------------------------------------------


@attrs.frozen
class StepRun:
    """What one ``run:`` step of a workflow did."""

    name: str
    status: int | None  # None: skipped, as its ``if:`` says after a failure
    output: str


def run_workflow(
    steps: list[dict[str, Any]], cwd: Path, env: dict[str, str], *, skip: tuple[str, ...] = ()
) -> list[StepRun]:
    """Run the ``run:`` steps as GitHub does: ``bash -e``, each after the last unless ``if:``.

    After a failed step, only a step whose ``if:`` says ``!cancelled()`` or ``always()``
    runs; ``success()`` (and no ``if:``) skips. ``uses:`` steps are not commands (K3's
    lint checks them); steps named in ``skip`` are left out.
    """
    results: list[StepRun] = []
    failed = False
    for step in steps:
        if "run" not in step or step.get("name") in skip:
            continue
        condition = str(step.get("if", "success()"))
        if failed and "!cancelled()" not in condition and "always()" not in condition:
            results.append(StepRun(step.get("name", step["run"]), None, ""))
            continue
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            timeout=600,
            check=False,
        )
        failed = failed or result.returncode != 0
        results.append(StepRun(step.get("name", step["run"]), result.returncode, result.stdout))
    return results


def github_environment(tmp_path: Path, bin_dir: Path) -> dict[str, str]:
    """The environment a step sees on GitHub's runner, with ``bin_dir`` first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCHMARKKIT_", "GITHUB_"))}
    env["PATH"] = os.pathsep.join([str(bin_dir), env.get("PATH", "")])
    summary = tmp_path / "step-summary.md"
    summary.touch()
    env.update(
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
        BENCHMARKKIT_CACHE_DIR=str(tmp_path / "cache"),
        NO_COLOR="1",
    )
    return env


# -- the tests -----------------------------------------------------------------------------


def _source_of(target: str) -> str:
    """The text of a file, or of one test function (``path::name``)."""
    path, _, name = target.partition("::")
    text = (ROOT / path).read_text(encoding="utf-8")
    if not name:
        return text
    lines = text.splitlines()
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            return "\n".join(lines[first - 1 : node.end_lineno])  # with its decorators
    raise AssertionError(f"{path} has no test {name}")


def test_every_command_of_the_guide_is_run_by_a_test() -> None:
    found = guide_commands()
    unrun = [
        f"{PAGE.name}:{command.line}: {command.text!r}"
        for command in found
        if not command.run_by_docs_test and command.text not in RUN_ELSEWHERE
    ]
    assert unrun == [], (
        "these commands of the CI guide are run by no test: run them in a test and add "
        "them to RUN_ELSEWHERE in tests/test_ci_guide.py, or drop `norun` from their "
        "block so that tests/test_docs_examples.py runs them:\n" + "\n".join(unrun)
    )
    texts = {command.text for command in found}
    stale = sorted(set(RUN_ELSEWHERE) - texts)
    assert stale == [], f"RUN_ELSEWHERE names commands the guide no longer has: {stale}"


@pytest.mark.parametrize(("command", "where"), sorted(RUN_ELSEWHERE.items()), ids=str)
def test_what_runs_a_command_of_the_guide_really_runs_it(
    command: str, where: tuple[str, str]
) -> None:
    target, evidence = where
    assert evidence in _source_of(target), (
        f"{target} is said to run {command!r}, but it does not contain {evidence!r}"
    )


def test_the_guide_names_the_files_it_has_the_reader_write() -> None:
    assert [block.language for block in file_block(PRECOMMIT_CONFIG)] == ["yaml", "yaml"]
    assert [block.language for block in file_block(WORKFLOW)] == ["yaml"]


def test_the_config_with_a_rule_package_is_the_plain_config_and_one_line_more() -> None:
    # The hook test runs the second; so the first, which differs only by the package, runs too.
    plain, with_package = (yaml.safe_load(block.text) for block in file_block(PRECOMMIT_CONFIG))
    (hook,) = with_package["repos"][0]["hooks"]
    packages = hook.pop("additional_dependencies")
    assert (with_package, len(packages)) == (plain, 1)


def test_the_custom_rule_guide_shows_the_configuration_the_hook_test_runs() -> None:
    rule_page = ROOT / "docs" / "how-to" / "custom-rule.md"
    (shown,) = [
        b for b in blocks(rule_page.read_text(encoding="utf-8")) if b.file == PRECOMMIT_CONFIG
    ]
    assert yaml.safe_load(shown.text) == yaml.safe_load(file_block(PRECOMMIT_CONFIG)[-1].text)


def test_the_workflow_uses_the_current_major_versions_of_the_actions() -> None:
    # As of December 2026: checkout v7, setup-python v7, upload-artifact v7 (Node 24).
    uses = [step["uses"] for step in workflow_steps() if "uses" in step]
    assert uses == [
        "actions/checkout@v7",
        "actions/setup-python@v7",
        "actions/upload-artifact@v7",
    ]


def test_the_workflow_installs_the_release_the_hook_pins() -> None:
    (install,) = [step["run"] for step in workflow_steps() if step.get("name") == INSTALL_STEP]
    (plain, _) = (yaml.safe_load(block.text) for block in file_block(PRECOMMIT_CONFIG))
    repo = plain["repos"][0]
    assert install == f'python -m pip install "benchmarkkit @ git+{repo["repo"]}@{repo["rev"]}"'


#: The files that pin a release of benchmarkkit for users (RELEASING.md, step 1).
PINNING_FILES = ("README.md", "CONTRIBUTING.md", "action.yml")
#: A release tag, unless it is another package's (the guides' rule package).
_TAG = re.compile(r"(?<![\w.])(?<!ngo-benchmark-rules@)v\d+\.\d+\.\d+\b")


def newest_release() -> str:
    """The newest dated release of CHANGELOG.md: what the docs pin."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert found, "CHANGELOG.md has no dated release"
    return found[1]


def pins(text: str) -> list[tuple[int, str]]:
    """The release tags ``text`` names, with their line numbers."""
    return [(text.count("\n", 0, match.start()) + 1, match[0]) for match in _TAG.finditer(text)]


def test_every_doc_pins_the_newest_release() -> None:
    release = newest_release()
    if re.fullmatch(r"\d+\.\d+\.\d+", __version__):  # a release commit: the version released
        assert release == __version__, "CHANGELOG.md's newest release is not _version.py's"
    files = [ROOT / name for name in PINNING_FILES] + sorted((ROOT / "docs").rglob("*.md"))
    wrong = [
        f"{path.relative_to(ROOT)}:{line}: {tag}"
        for path in files
        for line, tag in pins(path.read_text(encoding="utf-8"))
        if tag != f"v{release}"
    ]
    assert wrong == [], f"these name another release than v{release} (RELEASING.md, step 1):\n" + (
        "\n".join(wrong)
    )
    assert any(pins(path.read_text(encoding="utf-8")) for path in files)


def test_pins_are_tags_of_benchmarkkit_only() -> None:
    text = (
        "rev: v0.1.0\n"
        '"ngo-benchmark-rules @ git+https://github.com/x/ngo-benchmark-rules@v0.1.0"\n'
        "uses: benchmarkkit/benchmarkkit@v2.10.3 (`v0.1`, `v0`, 1.0.0)\n"
    )
    assert pins(text) == [(1, "v0.1.0"), (3, "v2.10.3")]


def test_the_guide_adds_the_dataset_to_git_before_it_checks_all_files() -> None:
    # pre-commit's --all-files covers the files git tracks; an untracked dataset is skipped.
    steps = precommit_commands()
    assert steps.index("git add data/") < steps.index(
        "pre-commit run benchmarkkit-validate --all-files"
    )
    assert "`(no files to check)Skipped`" in PAGE.read_text(encoding="utf-8")


def _dataset(tmp_path: Path, broken: bool) -> Path:
    work = tmp_path / "repository"
    shutil.copytree(EXAMPLE, work / "data")
    if broken:
        evidence = work / "data" / "evidence.yaml"
        text = evidence.read_text(encoding="utf-8")
        evidence.write_text(text.replace("[bm-election-law,", "[bm-election-lw,", 1))
    return work


def test_the_workflow_steps_run_as_github_runs_them(tmp_path: Path) -> None:
    work = _dataset(tmp_path, broken=False)
    env = github_environment(tmp_path, Path(sys.executable).parent)
    ran = run_workflow(workflow_steps(), work, env, skip=(INSTALL_STEP,))
    assert [(step.name, step.status) for step in ran] == [
        ("Validate", 0),
        ("Write the JSON report", 0),
        ("Add the scorecard to the summary", 0),
    ]
    report = json.loads((work / "validation-report.json").read_text(encoding="utf-8"))
    assert report["valid"] is True
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("# Kazakhstan 2012: human-rights benchmarks")
    assert "\n\nScorecard as of **" in summary


def test_the_workflow_annotates_a_broken_dataset_and_still_keeps_the_report(
    tmp_path: Path,
) -> None:
    work = _dataset(tmp_path, broken=True)
    env = github_environment(tmp_path, Path(sys.executable).parent)
    ran = run_workflow(workflow_steps(), work, env, skip=(INSTALL_STEP,))
    assert [(step.name, step.status) for step in ran] == [
        ("Validate", 1),
        ("Write the JSON report", 0),
        ("Add the scorecard to the summary", None),
    ]
    assert (
        "::error file=data/evidence.yaml,line=40,col=18,title=unknown-reference::" in ran[0].output
    )
    report = json.loads((work / "validation-report.json").read_text(encoding="utf-8"))
    (dataset,) = report["datasets"]
    errors = [problem["code"] for problem in dataset["problems"] if problem["severity"] == "error"]
    assert (report["valid"], errors) == (False, ["unknown-reference"])
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8") == ""
