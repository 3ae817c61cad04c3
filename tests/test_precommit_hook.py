"""The pre-commit hook works as docs/how-to/validate-in-ci.md says, installed for real.

``.pre-commit-hooks.yaml`` says when the hook runs; the first tests hold its pattern to
the files ``benchmarkkit validate`` reads and to the archived texts' folder. The last
one follows the guide in a new git repository: it installs the hook with pre-commit
from a git repository of this checkout (a one-commit copy of the working tree, so that
the code under test is the code these tests import; on a clean clone that is HEAD),
with the custom-rule guide's rule package in ``additional_dependencies``, and commits
to the dataset. pre-commit builds the hook's environment with pip, which needs PyPI;
the test is skipped, saying why, where pre-commit or git is missing or PyPI cannot be
reached.
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
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._files import DATA_SUFFIXES, TABLE_SUFFIXES
from tests.conftest import EXAMPLE, ROOT
from tests.test_ci_guide import (
    INSTALL_STEP,
    PRECOMMIT_CONFIG,
    file_block,
    github_environment,
    precommit_commands,
    refused_commit,
    run_workflow,
    workflow_steps,
)
from tests.test_docs_examples import blocks, matches

HOOKS = ROOT / ".pre-commit-hooks.yaml"
RULE_PAGE = ROOT / "docs" / "how-to" / "custom-rule.md"
#: What ``benchmarkkit validate`` reads as a dataset: data files, workbooks, CSV tables.
READ_SUFFIXES = (*DATA_SUFFIXES, *TABLE_SUFFIXES, ".csv", ".tsv")
#: The guide's placeholders, and what this test puts in their place.
GUIDE_REPO = "https://github.com/benchmarkkit/benchmarkkit"
GUIDE_REV = "v0.1.0"
GUIDE_PACKAGE = (
    "ngo-benchmark-rules @ git+https://github.com/your-organisation/ngo-benchmark-rules@v0.1.0"
)
ARCHIVE = "data/sources/2012-03-20-appeal-eu-kazakhstan.txt"
#: The edit the guide's refused commit makes: a misspelt benchmark id, then corrected.
EVIDENCE = "data/evidence.yaml"
BEFORE = "    benchmarks: [bm-pluralistic-elections]\n    direction: no-change\n    actors: [osce"
MISSPELT = BEFORE.replace("elections]", "elections, bm-election-lw]")
CORRECTED = BEFORE.replace("elections]", "elections, bm-election-law]")
_OFFLINE = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Network is unreachable"
    r"|Failed to establish a new connection"
)


def _hook() -> dict[str, object]:
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(hook, dict)
    return hook


def _runs_for(path: str) -> bool:
    """Whether pre-commit runs the hook for a changed ``path``, by the hook's own filters."""
    hook = _hook()
    # No type filter: pre-commit's default (`types: [file]`) takes every file, binary
    # workbooks and archived texts of any name included.
    assert {"types", "types_or", "exclude_types", "exclude"}.isdisjoint(hook)
    return re.search(str(hook["files"]), path) is not None


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("data/dataset.yaml", True),
        ("data/evidence.yml", True),
        ("dataset.json", True),
        ("data/Actors.YAML", True),
        (ARCHIVE, True),
        ("data/sources/appeal.html", True),  # an archived text of another name
        ("shared-sources/appeal.txt", True),  # a shared archive folder (archive_folders)
        ("tables/dataset.csv", True),
        ("book.xlsx", True),
        ("README.md", False),
        ("data/report.md", False),
        ("scripts/convert.py", False),
        ("images/logo.png", False),
        ("resources/notes.md", False),  # a folder whose name only ends in "sources"
    ],
)
def test_the_hook_runs_when_a_data_file_or_an_archived_text_changes(path: str, runs: bool) -> None:
    assert _runs_for(path) is runs


_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


@given(
    folders=st.lists(_NAMES, max_size=3),
    stem=_NAMES,
    suffix=st.sampled_from(READ_SUFFIXES),
    upper=st.booleans(),
)
def test_every_file_validate_reads_runs_the_hook(
    folders: list[str], stem: str, suffix: str, upper: bool
) -> None:
    assert _runs_for("/".join([*folders, stem + (suffix.upper() if upper else suffix)]))


@given(
    before=st.lists(_NAMES, max_size=2),
    after=st.lists(_NAMES, max_size=2),
    name=_NAMES,
    suffix=st.sampled_from(["", ".txt", ".html", ".md", ".pdf"]),
)
def test_every_file_in_a_sources_folder_runs_the_hook(
    before: list[str], after: list[str], name: str, suffix: str
) -> None:
    assert _runs_for("/".join([*before, "sources", *after, name + suffix]))


def test_pre_commit_accepts_the_hook_and_every_configuration_of_the_guides(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra has it)")
    configs = [
        *file_block(PRECOMMIT_CONFIG),
        *(
            block
            for block in blocks(RULE_PAGE.read_text("utf-8"))
            if block.file == PRECOMMIT_CONFIG
        ),
    ]
    for number, block in enumerate(configs):
        (tmp_path / f"config-{number}.yaml").write_text(block.text, encoding="utf-8")
    for command in (
        ["validate-manifest", str(HOOKS)],
        ["validate-config", *(str(tmp_path / f"config-{n}.yaml") for n in range(len(configs)))],
    ):
        status, output = _run(
            [sys.executable, "-m", "pre_commit", *command], tmp_path, {**os.environ}
        )
        assert (status, output) == (0, ""), command


# -- the hook for real ---------------------------------------------------------------------


def _environment(tmp_path: Path) -> dict[str, str]:
    """git and pre-commit kept inside ``tmp_path``: no user's settings, no shared caches."""
    settings = tmp_path / "gitconfig"
    settings.write_text(
        "[user]\n\tname = Dataset Editor\n\temail = editor@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "BENCHMARKKIT_", "FORCE_COLOR"))
    }
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.update(
        GIT_CONFIG_GLOBAL=str(settings),
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        BENCHMARKKIT_CACHE_DIR=str(tmp_path / "cache"),
        NO_COLOR="1",
        TERM="dumb",
    )
    return env


def _run(command: str | list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run a command (a shell line from the guide, or arguments); its status and output."""
    result = subprocess.run(
        ["bash", "-c", command] if isinstance(command, str) else command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )
    return result.returncode, result.stdout


def _git(cwd: Path, env: dict[str, str], *arguments: str) -> str:
    status, output = _run(["git", *arguments], cwd, env)
    assert status == 0, f"git {' '.join(arguments)}: {output}"
    return output


def _commits(repository: Path, env: dict[str, str]) -> int:
    return int(_git(repository, env, "rev-list", "--count", "HEAD"))


def _hook_repository(target: Path, env: dict[str, str]) -> str:
    """A git repository of this checkout's working tree, in one commit; that commit."""
    status, listed = _run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        ROOT,
        env,
    )
    if status != 0:
        pytest.skip(f"{ROOT} is not a git checkout, so pre-commit cannot install the hook from it")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if os.path.lexists(source) and not source.is_dir():  # a deleted file is still listed
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    _git(target, env, "init", "-q")
    _git(target, env, "add", "-A")
    _git(target, env, "commit", "-q", "-m", "The working tree under test")
    return _git(target, env, "rev-parse", "HEAD").strip()


def _rule_package(work: Path) -> tuple[Path, str]:
    """The custom-rule guide's package, written from its blocks; and its scoring snippet."""
    text = RULE_PAGE.read_text(encoding="utf-8")
    for block in blocks(text):
        if block.file is not None and block.file.startswith("my-rules/"):
            (work / block.file).parent.mkdir(parents=True, exist_ok=True)
            (work / block.file).write_text(block.text, encoding="utf-8")
    snippet = next(
        block.text
        for block in blocks(text)
        if block.language == "yaml" and block.text.startswith("scoring:")
    )
    return work / "my-rules", snippet


def _dataset_repository(repository: Path, scoring: str, env: dict[str, str]) -> None:
    """A dataset repository, as a reader of the guide has: the example, scored by the rule.

    The dataset is not in git yet: the guide's own steps add it.
    """
    shutil.copytree(EXAMPLE, repository / "data")
    manifest = repository / "data" / "dataset.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["scoring"] = yaml.safe_load(scoring)["scoring"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    _git(repository, env, "init", "-q")


def _replace(path: Path, old: str, new: str) -> str:
    """Replace the one ``old`` in a file; the text before."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text


def _install_the_hook(tmp_path: Path, env: dict[str, str]) -> tuple[Path, Path, str]:
    """A dataset repository with the hook installed as the guide says.

    Returns the dataset's repository, the hook's (this checkout's) and the commit pinned.

    The configuration is the guide's with a rule package, pinned to this checkout and to
    the custom-rule guide's package; the dataset scores with that package's rule.
    """
    hook_repository = tmp_path / "benchmarkkit"
    commit = _hook_repository(hook_repository, env)
    package, scoring = _rule_package(tmp_path)
    repository = tmp_path / "dataset"
    _dataset_repository(repository, scoring, env)
    config = file_block(PRECOMMIT_CONFIG)[-1].text
    for placeholder in (GUIDE_REPO, f"rev: {GUIDE_REV}", GUIDE_PACKAGE):
        assert config.count(placeholder) == 1, placeholder
    config = config.replace(GUIDE_REPO, str(hook_repository))
    config = config.replace(f"rev: {GUIDE_REV}", f"rev: {commit}")
    config = config.replace(GUIDE_PACKAGE, str(package))
    (repository / PRECOMMIT_CONFIG).write_text(config, encoding="utf-8")
    # pre-commit install; git add data/; pre-commit run benchmarkkit-validate --all-files
    for command in precommit_commands():
        status, output = _run(command, repository, env)
        if status != 0 and _OFFLINE.search(output):
            pytest.skip(f"PyPI cannot be reached, so pre-commit cannot build the hook: {output}")
        assert status == 0, f"$ {command}\n{output}"
    assert re.search(r"^benchmarkkit validate\.+Passed$", output, re.MULTILINE), output
    _git(repository, env, "add", PRECOMMIT_CONFIG)
    _git(repository, env, "commit", "-q", "-m", "The dataset, validated before every commit")
    return repository, hook_repository, commit


def _run_the_workflow(
    tmp_path: Path, repository: Path, hook_repository: Path, commit: str, env: dict[str, str]
) -> None:
    """The guide's workflow, in the hook's environment once benchmarkkit is taken out of it.

    Its dependencies stay, so the install step installs benchmarkkit alone, from the git
    repository of this checkout, as the guide's does from GitHub.
    """
    (bin_dir,) = Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/bin")
    uninstall = [str(bin_dir / "python"), "-m", "pip", "uninstall", "-q", "-y", "benchmarkkit"]
    assert _run(uninstall, tmp_path, env)[0] == 0
    steps = workflow_steps()
    for step in steps:
        if step.get("name") == INSTALL_STEP:
            step["run"] = step["run"].replace(
                f"git+{GUIDE_REPO}@{GUIDE_REV}", f"git+file://{hook_repository}@{commit}"
            )
    github = github_environment(tmp_path, bin_dir)
    ran = run_workflow(steps, repository, github)
    assert [(step.name, step.status) for step in ran] == [
        (INSTALL_STEP, 0),
        ("Validate", 0),
        ("Write the JSON report", 0),
        ("Add the scorecard to the summary", 0),
    ], [step.output for step in ran]
    assert "Successfully installed benchmarkkit-" in ran[0].output, ran[0].output
    summary = Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert "progress-share" in summary  # the package's rule scored the dataset


@pytest.mark.slow
def test_the_hook_refuses_broken_commits_as_the_guide_shows(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra has it)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed, and pre-commit works on git repositories")
    env = _environment(tmp_path)
    repository, hook_repository, commit = _install_the_hook(tmp_path, env)
    accepted = _commits(repository, env)

    # A misspelt benchmark id: refused, with the problem the guide shows; the rule is found.
    _replace(repository / EVIDENCE, BEFORE, MISSPELT)
    command, shown = refused_commit()
    status, output = _run(command, repository, env)
    assert (status, _commits(repository, env)) == (1, accepted), output
    assert matches(shown, output), f"the guide shows:\n{shown}\nbut the commit printed:\n{output}"
    assert "unknown-rule" not in output

    # Corrected: accepted.
    _replace(repository / EVIDENCE, MISSPELT, CORRECTED)
    status, output = _run(command, repository, env)
    assert (status, _commits(repository, env)) == (0, accepted + 1), output
    assert re.search(r"^benchmarkkit validate\.+Passed$", output, re.MULTILINE), output

    # Only an archived text changed, so that a quote no longer matches: refused, quote named.
    original = _replace(repository / ARCHIVE, "push for concrete democracy", "push for real")
    _git(repository, env, "add", ARCHIVE)
    status, output = _run(["git", "commit", "-m", "Re-extract the appeal"], repository, env)
    assert (status, _commits(repository, env)) == (1, accepted + 1), output
    assert (
        "data/recommendations.yaml:64:5: quote-not-found recommendation "
        "'rec-appeal-use-agreement': the quote does not occur in the archived text of "
        "source 'appeal': it matches as far as '...agreement as an opportunity to push for', "
        "then has 'concrete' where the archived text has 'real' (line 11, column 342 of "
        "sources/2012-03-20-appeal-eu-kazakhstan.txt)."
    ) in output
    (repository / ARCHIVE).write_text(original, encoding="utf-8")
    _git(repository, env, "add", ARCHIVE)

    _run_the_workflow(tmp_path, repository, hook_repository, commit, env)
