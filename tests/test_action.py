"""The GitHub Action (action.yml) works as GitHub runs it, and is valid where GitHub reads it.

The action's steps are done by ``.github/action/benchmarkkit_action.py``. These tests run it in a
child process with the environment variables GitHub sets for a step
(``GITHUB_WORKSPACE``, ``RUNNER_TEMP``, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_ACTION_PATH``, and the ``INPUT_*`` variables action.yml maps its inputs to),
on the example dataset and on broken copies of it, and read back what GitHub would
show: the annotations in the log, the step's outputs, the job's summary page.

``action.yml`` and every workflow in the documentation are checked against the
published schemas of GitHub's action metadata and workflow files (shipped offline with
check-jsonschema, a test dependency), and every action they use must be at its current
major version, which runs on the runners' Node 24 without a deprecation warning.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLE, ROOT
from tests.test_docs_examples import blocks
from tests.test_portable_schemas import _offline

ACTION = ROOT / "action.yml"
SCRIPT = ROOT / ".github" / "action" / "benchmarkkit_action.py"

#: The current major version of each action used by action.yml and the docs' workflows,
#: checked in December 2026: each is the latest major, and runs on Node 24 (checkout
#: from v5, setup-python from v6, upload-artifact from v6; upload-artifact has no v8).
CURRENT_MAJOR = {"actions/checkout": 7, "actions/setup-python": 7, "actions/upload-artifact": 7}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarkkit_action", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


action_script = _load_script()


def _action() -> dict[str, Any]:
    result: dict[str, Any] = yaml.safe_load(ACTION.read_text("utf-8"))
    return result


# -- running the script as GitHub does ------------------------------------------------------


class Step(NamedTuple):
    """What a run of the validate step left: status, log, outputs and summary."""

    status: int
    log: str
    outputs: dict[str, str]
    summary: str


@pytest.fixture
def runner(tmp_path: Path) -> Path:
    """A runner's folders: the workspace (holding a copy of the example as data/) and temp."""
    workspace = tmp_path / "workspace"
    shutil.copytree(EXAMPLE, workspace / "data")
    (tmp_path / "runner-temp").mkdir()
    return tmp_path


def _step(runner: Path, command: str = "validate", **inputs: str) -> Step:
    output, summary = runner / "github-output", runner / "step-summary"
    output.write_text("", encoding="utf-8")
    summary.write_text("", encoding="utf-8")
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("INPUT_", "GITHUB_", "RUNNER_"))
    }
    environ["PYTHONPATH"] = str(ROOT / "src")
    environ.update(
        CI="true",
        GITHUB_ACTIONS="true",
        GITHUB_ACTION_PATH=str(ROOT),
        GITHUB_WORKSPACE=str(runner / "workspace"),
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(runner / "runner-temp"),
        RUNNER_OS="Linux",
    )
    environ.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    result = subprocess.run(
        [sys.executable, str(SCRIPT), command],
        cwd=runner,  # the script must use GITHUB_WORKSPACE, not its own folder
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text("utf-8").splitlines() if line.strip()
    )
    return Step(result.returncode, result.stdout + result.stderr, outputs, summary.read_text())


def _annotations(log: str, level: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(f"::{level} ")]


def _break_a_reference(runner: Path) -> None:
    evidence = runner / "workspace" / "data" / "evidence.yaml"
    text = evidence.read_text("utf-8")
    evidence.write_text(text.replace("source: appeal\n", "source: apeal\n", 1), encoding="utf-8")


def _unarchive_the_appeal(runner: Path) -> None:
    """Every quote of the appeal becomes a warning: its source has no archived text."""
    sources = runner / "workspace" / "data" / "sources.yaml"
    text = sources.read_text("utf-8")
    archive = "    archive: sources/2012-03-20-appeal-eu-kazakhstan.txt\n"
    assert archive in text
    sources.write_text(text.replace(archive, ""), encoding="utf-8")


def test_the_example_passes_with_its_notes_annotated_and_a_summary(runner: Path) -> None:
    step = _step(runner, path="data/")
    assert step.status == 0, step.log
    notices = _annotations(step.log, "notice")
    assert len(notices) == 2
    assert notices[0].startswith(
        "::notice file=data/commitments.yaml,line=144,col=5,title=unlinked-commitment::"
    )
    assert _annotations(step.log, "error") == []
    assert step.outputs == {"report": "", "report-folder": "", "status": "0"}
    assert step.summary == (
        "## benchmarkkit: dataset validation\n\n"
        "```text\ndata/: valid, with 0 errors, 0 warnings, 2 info\n```\n"
    )


def test_a_broken_reference_fails_with_an_error_annotation_on_its_line(runner: Path) -> None:
    _break_a_reference(runner)
    step = _step(runner, path="data")
    assert step.status == 1
    errors = _annotations(step.log, "error")
    assert len(errors) == 1
    assert errors[0].startswith(
        "::error file=data/evidence.yaml,line=29,col=5,title=unknown-reference::"
        "evidence 'ev-no-overall-progress': 'source' refers to source 'apeal', which the "
        "dataset does not define (did you mean 'appeal'?)%0AFix: "
    )
    assert step.outputs["status"] == "1"
    assert "data: invalid: 1 error, 0 warnings, 2 info\n" in step.summary
    assert "Each problem is annotated on the line where it is" in step.summary
    assert "No report" not in step.summary  # none was asked for


def test_warnings_pass_unless_strict(runner: Path) -> None:
    _unarchive_the_appeal(runner)
    lenient = _step(runner, path="data")
    assert lenient.status == 0
    warnings = _annotations(lenient.log, "warning")
    assert len(warnings) > 10
    assert all(",title=quote-unverifiable::" in line for line in warnings)
    assert "source 'appeal' has no archived text" in warnings[0]

    strict = _step(runner, path="data", strict="true")
    assert strict.status == 1
    assert _annotations(strict.log, "warning") == warnings  # still warnings, now failing
    assert f"data: invalid (strict): 0 errors, {len(warnings)} warnings, 2 info" in strict.summary
    assert strict.outputs["status"] == "1"


def test_report_writes_the_html_report_for_the_artifact_and_the_scorecard_summary(
    runner: Path,
) -> None:
    step = _step(runner, path="data/", report="true", artifact_name="kz-report")
    assert step.status == 0, step.log
    html, folder = Path(step.outputs["report"]), Path(step.outputs["report-folder"])
    assert folder.parent == runner / "runner-temp"  # never in the workspace
    assert html == folder / "report.html"
    assert html.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "::group::Write the report" in step.log
    assert (
        "The full report is the artifact `kz-report` of this run (*Artifacts*, at the bottom "
        "of the run's summary page): open report.html."
    ) in step.summary
    assert "# Kazakhstan 2012: human-rights benchmarks for the new EU-Kazakhstan PCA" in (
        step.summary
    )
    assert "**Overall score: " in step.summary


def test_strict_with_report_fails_and_still_keeps_the_report(runner: Path) -> None:
    _unarchive_the_appeal(runner)
    step = _step(runner, path="data", strict="true", report="true")
    assert step.status == 1
    assert Path(step.outputs["report"]).is_file()  # warnings do not stop scoring
    assert "**Overall score: " in step.summary


def test_the_note_on_warnings_is_in_the_log_once(runner: Path) -> None:
    _unarchive_the_appeal(runner)
    step = _step(runner, path="data", report="true")
    assert step.status == 0, step.log
    warnings = len(_annotations(step.log, "warning"))
    note = f"note: data has {warnings} warnings; 'benchmarkkit validate data' lists them\n"
    assert step.log.count(note) == 1, step.log


def test_report_of_an_invalid_dataset_says_why_there_is_none(runner: Path) -> None:
    _break_a_reference(runner)
    step = _step(runner, path="data", report="true")
    assert step.status == 1
    assert step.outputs["report"] == step.outputs["report-folder"] == ""
    assert list((runner / "runner-temp").iterdir()) == []
    assert "No report: a dataset with errors cannot be scored." in step.summary


def test_a_path_that_does_not_exist_is_status_2_and_the_summary_says_so(runner: Path) -> None:
    step = _step(runner, path="dta/", report="true")
    assert step.status == 2
    assert "title=path-not-found::" in step.log
    assert step.summary == (
        "## benchmarkkit: dataset validation\n\n"
        "```text\ndta/: could not be validated (1 error, 0 warnings)\n```\n\n"
        "benchmarkkit could not validate the dataset: the log of the step says why.\n\n"
        "No report: the dataset could not be validated.\n"
    )
    assert step.outputs["status"] == "2"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"path": ""}, "the input 'path' is empty: give the dataset, relative to the repository"),
        ({"path": "data", "strict": "yes"}, "the input 'strict' is 'yes'; write true or false"),
        ({"path": "data", "report": "1"}, "the input 'report' is '1'; write true or false"),
    ],
)
def test_an_unusable_input_stops_the_step_with_a_plain_error(
    runner: Path, inputs: dict[str, str], message: str
) -> None:
    step = _step(runner, **inputs)
    assert step.status == 2
    assert f"::error title=benchmarkkit action::{message}" in step.log
    assert step.outputs == {"status": "2"}


def test_an_unusable_version_stops_the_install_before_pip_runs(runner: Path) -> None:
    step = _step(runner, "install", version="0.1.0; echo hacked")
    assert step.status == 2
    assert (
        "::error title=benchmarkkit action::the input 'version' is '0.1.0; echo hacked', which "
        "is neither a release number (0.1.0) nor a tag, branch or commit (v0.1.0)"
    ) in step.log
    assert list((runner / "runner-temp").iterdir()) == []  # no environment made


def test_the_script_refuses_an_unknown_step(runner: Path) -> None:
    step = _step(runner, "deploy", path="data")
    assert step.status == 2
    assert "usage: benchmarkkit_action.py install|validate (run by action.yml)" in step.log


def test_a_command_that_ended_before_its_summary_line_still_gets_a_summary() -> None:
    # benchmarkkit prints its summary line last; a crash before it leaves only the verdict.
    validation = action_script.Validation(2, [], 0)
    assert action_script.summary(validation, None, asked=True, artifact="r") == (
        "## benchmarkkit: dataset validation\n\n"
        "benchmarkkit could not validate the dataset: the log of the step says why.\n\n"
        "No report: the dataset could not be validated.\n"
    )


def test_a_summary_line_cannot_break_out_of_its_code_block() -> None:
    validation = action_script.Validation(1, ["data/``` `` ####: invalid: 1 error"], 1)
    text = action_script.summary(validation, None, asked=False, artifact="r")
    assert "\n````text\ndata/``` `` ####: invalid: 1 error\n````\n" in text


def test_a_scorecard_too_long_for_the_summary_page_is_left_to_the_report(tmp_path: Path) -> None:
    long = "| benchmark | score |\n" * (action_script.SUMMARY_LIMIT // 20)
    report = action_script.Report(0, tmp_path, tmp_path / "report.html", long)
    text = action_script.summary(
        action_script.Validation(0, ["data: valid, no problems"], 0),
        report,
        asked=True,
        artifact="r",
    )
    assert "| benchmark | score |" not in text
    assert (
        "is too long for this page, which shows at most 1 MiB per step: it is in the report."
        in (text)
    )


# -- what the install step installs -----------------------------------------------------------


def test_the_default_version_is_the_actions_own_code() -> None:
    assert action_script.requirement("", "/runner/_actions/benchmarkkit/benchmarkkit/v0.1.0") == (
        "/runner/_actions/benchmarkkit/benchmarkkit/v0.1.0"
    )
    assert action_script.requirement("  ", "/action") == "/action"


@pytest.mark.parametrize(
    ("version", "wanted"),
    [
        ("0.1.0", "benchmarkkit==0.1.0"),
        ("0.1.*", "benchmarkkit==0.1.*"),
        ("0.2.0rc1", "benchmarkkit==0.2.0rc1"),
        ("v0.1.0", "benchmarkkit @ git+https://github.com/benchmarkkit/benchmarkkit@v0.1.0"),
        ("main", "benchmarkkit @ git+https://github.com/benchmarkkit/benchmarkkit@main"),
        ("0a1f4e0", "benchmarkkit @ git+https://github.com/benchmarkkit/benchmarkkit@0a1f4e0"),
    ],
)
def test_a_version_is_a_release_from_pypi_or_a_ref_of_the_repository(
    version: str, wanted: str
) -> None:
    assert action_script.requirement(version, "/action") == wanted


@given(st.from_regex(r"[0-9a-f]{7,40}", fullmatch=True))
def test_every_commit_is_read_as_a_ref_of_the_repository(commit: str) -> None:
    # A commit never has a dot, so it is never taken for a release number.
    assert action_script.requirement(commit, "/action") == (
        f"benchmarkkit @ git+https://github.com/benchmarkkit/benchmarkkit@{commit}"
    )


@given(st.lists(st.integers(0, 99), min_size=2, max_size=4))
def test_every_release_number_is_installed_from_pypi(parts: list[int]) -> None:
    version = ".".join(map(str, parts))
    assert action_script.requirement(version, "/action") == f"benchmarkkit=={version}"


@pytest.mark.parametrize("version", ["-e .", "v1 --index-url x", "../x", "a b", "$(id)"])
def test_a_version_that_is_neither_is_refused(version: str) -> None:
    with pytest.raises(action_script.InputError, match="neither a release number"):
        action_script.requirement(version, "/action")


def test_packages_are_one_requirement_a_line_and_never_pip_options() -> None:
    text = "\n# our rules\nmy-rules==1.2  # the custom rules\n\n./checks\n"
    assert action_script.packages(text) == ["my-rules==1.2", "./checks"]
    with pytest.raises(action_script.InputError, match=r"give requirements .* not pip options"):
        action_script.packages("--index-url https://example.org/simple")


def test_each_python_gets_its_own_virtual_environment(tmp_path: Path) -> None:
    # A job that uses the action twice, with python-version 3.11 and then 3.13.
    environ = {"RUNNER_TEMP": str(tmp_path)}
    first = "/opt/hostedtoolcache/Python/3.11.9/x64/bin/python"
    second = "/opt/hostedtoolcache/Python/3.13.1/x64/bin/python"
    folder = action_script.environment_folder(environ, first, (3, 11))
    assert folder.parent == tmp_path
    assert folder.name.startswith("benchmarkkit-action-py3.11-")
    assert action_script.environment_folder(environ, first, (3, 11)) == folder
    other = action_script.environment_folder(environ, second, (3, 13))
    assert other.name.startswith("benchmarkkit-action-py3.13-")
    assert other != folder
    # Two builds of one version (another path) are two Pythons too.
    pypy = action_script.environment_folder(environ, "/opt/pypy/bin/python", (3, 11))
    assert pypy not in (folder, other)


def test_the_virtual_environment_is_the_actions_own() -> None:
    folder = Path("/runner/temp/benchmarkkit-action")
    expected = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    assert action_script._environment_python(folder) == folder / expected


# -- action.yml and the docs' workflows, as GitHub reads them ---------------------------------


def _check_jsonschema(builtin: str, files: list[Path], tmp_path: Path) -> str:
    """Validate files against a schema check-jsonschema ships, with the network unreachable."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", builtin, *map(str, files)],
        env=_offline(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "network-guard" not in result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_action_yml_is_valid_action_metadata(tmp_path: Path) -> None:
    assert _check_jsonschema("vendor.github-actions", [ACTION], tmp_path) == (
        "ok -- validation done"
    )


def test_the_check_refuses_metadata_github_would_refuse(tmp_path: Path) -> None:
    # Otherwise the test above could not fail: a composite step must say its shell.
    action = _action()
    del action["runs"]["steps"][1]["shell"]
    broken = tmp_path / "action.yml"
    broken.write_text(yaml.safe_dump(action), encoding="utf-8")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "check_jsonschema"),
            *("--builtin-schema", "vendor.github-actions", str(broken)),
        ],
        env=_offline(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Schema validation errors were encountered." in result.stdout + result.stderr


def test_the_check_refuses_a_workflow_github_would_refuse(tmp_path: Path) -> None:
    # Otherwise the test below could not fail: a step must run something or use an action.
    (place, text) = next(
        (place, text)
        for place, text in _docs_workflows()
        if "- uses: benchmarkkit/benchmarkkit@" in text
    )
    broken = tmp_path / "workflow.yml"
    broken.write_text(text.replace("- uses: benchmarkkit/benchmarkkit@", "- name: "), "utf-8")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "check_jsonschema"),
            *("--builtin-schema", "vendor.github-workflows", str(broken)),
        ],
        env=_offline(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, place
    assert "'uses' is a required property" in result.stdout


def _docs_workflows() -> list[tuple[str, str]]:
    """Every YAML block of the docs and README that is a workflow (it has ``jobs:``)."""
    pages = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    return [
        (f"{page.relative_to(ROOT)}:{block.line}", block.text)
        for page in pages
        if "_build" not in page.parts
        for block in blocks(page.read_text("utf-8"))
        if block.language in ("yaml", "yml") and re.search(r"(?m)^jobs:", block.text)
    ]


def test_the_ci_guide_has_workflows_to_check() -> None:
    places = [place for place, _ in _docs_workflows()]
    assert sum(place.startswith("docs/how-to/validate-in-ci.md:") for place in places) >= 2


def test_every_workflow_in_the_docs_is_a_valid_workflow(tmp_path: Path) -> None:
    files = []
    for number, (place, text) in enumerate(_docs_workflows()):
        path = tmp_path / f"workflow-{number}.yml"
        path.write_text(f"# {place}\n{text}", encoding="utf-8")
        files.append(path)
    assert _check_jsonschema("vendor.github-workflows", files, tmp_path) == (
        "ok -- validation done"
    )


def _uses(text: str) -> list[str]:
    return re.findall(r"(?m)^\s*(?:-\s+)?uses:\s*(\S+)", text)


def test_every_action_used_is_at_its_current_major_version() -> None:
    sources = [("action.yml", ACTION.read_text("utf-8")), *_docs_workflows()]
    outdated = []
    for place, text in sources:
        for used in _uses(text):
            name, _, ref = used.partition("@")
            if name in CURRENT_MAJOR and ref != f"v{CURRENT_MAJOR[name]}":
                outdated.append(f"{place}: {used} (current: v{CURRENT_MAJOR[name]})")
            elif name.startswith("actions/"):
                assert name in CURRENT_MAJOR, f"{place}: {used}: add its current major above"
    assert outdated == []


def _steps(node: Any) -> list[dict[str, Any]]:
    """Every step (a mapping with ``uses``) in a parsed YAML document."""
    if isinstance(node, dict):
        found = [node] if "uses" in node else []
        return found + [step for value in node.values() for step in _steps(value)]
    if isinstance(node, list):
        return [step for value in node for step in _steps(value)]
    return []


def test_the_docs_use_the_action_with_its_own_inputs_only() -> None:
    inputs = _action()["inputs"]
    uses = []
    for page in sorted((ROOT / "docs").rglob("*.md")):
        for block in blocks(page.read_text("utf-8")):
            if (
                block.language not in ("yaml", "yml")
                or "benchmarkkit/benchmarkkit@" not in block.text
            ):
                continue
            for step in _steps(yaml.safe_load(block.text)):
                if step["uses"].startswith("benchmarkkit/benchmarkkit@"):
                    place = f"{page.relative_to(ROOT)}:{block.line}"
                    uses.append(place)
                    assert "path" in step["with"], place
                    assert set(step["with"]) <= set(inputs), place
    assert len(uses) >= 2


def test_the_action_calls_the_actions_it_needs() -> None:
    assert [used.partition("@")[0] for used in _uses(ACTION.read_text("utf-8"))] == [
        "actions/setup-python",
        "actions/upload-artifact",
    ]


def test_every_input_is_used_and_every_input_used_is_declared() -> None:
    action = _action()
    declared = set(action["inputs"])
    used = set(re.findall(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}", ACTION.read_text("utf-8")))
    assert used == declared
    assert action["inputs"]["path"]["required"] is True
    optional = {name for name, spec in action["inputs"].items() if not spec.get("required")}
    assert {"version", "strict", "report"} <= optional


def test_the_script_reads_the_inputs_action_yml_gives_it() -> None:
    # Each run step maps inputs to INPUT_<NAME>; the script must read exactly those names.
    script = SCRIPT.read_text("utf-8")
    read = set(re.findall(r"\"INPUT_([A-Z_]+)\"", script))
    read |= {name.upper() for name in re.findall(r"flag\(environ, \"([a-z]+)\"\)", script)}
    mapped = set()
    for step in _action()["runs"]["steps"]:
        for name, value in step.get("env", {}).items():
            if name.startswith("INPUT_"):
                input_name = name.removeprefix("INPUT_").lower().replace("_", "-")
                assert value == f"${{{{ inputs.{input_name} }}}}", name
                mapped.add(name.removeprefix("INPUT_"))
    assert read == mapped


def test_the_steps_run_the_script_by_the_path_github_gives_the_action() -> None:
    runs = [step["run"] for step in _action()["runs"]["steps"] if "run" in step]
    script = '"$GITHUB_ACTION_PATH/.github/action/benchmarkkit_action.py"'
    assert runs == [
        f'"$BENCHMARKKIT_SETUP_PYTHON" {script} install',
        f'"$BENCHMARKKIT_PYTHON" {script} validate',
    ]
    assert SCRIPT.is_file()
