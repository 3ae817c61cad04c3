"""The steps of the benchmarkkit GitHub Action (action.yml at the repository root).

``benchmarkkit_action.py install`` makes a virtual environment for the action alone and installs
benchmarkkit in it; ``benchmarkkit_action.py validate``, run by that environment's Python, validates
the dataset with one annotation per problem, writes the job's summary and, when asked,
the scorecard report. The inputs come as ``INPUT_<NAME>`` environment variables, which
action.yml maps from its inputs (never written into the script, so no input can become
shell code); the results go where GitHub reads them: ``$GITHUB_OUTPUT``,
``$GITHUB_STEP_SUMMARY`` and workflow commands on the standard output.

Only the standard library: the script runs before benchmarkkit is installed, and it
runs benchmarkkit's command rather than its internals, so that the action does exactly
what the command does. tests/test_action.py runs it as GitHub would.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

REPOSITORY = "https://github.com/benchmarkkit/benchmarkkit"
#: A release number from PyPI: 0.1.0, 0.1.0rc1, or 0.1.* for the latest of a series.
_RELEASE = re.compile(r"\d+(\.\d+)+((a|b|rc)\d+)?(\.\*)?")
#: A git tag, branch or commit of the repository.
_GIT_REF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")
#: GitHub shows at most 1 MiB of summary per step; the scorecard gets half of it.
SUMMARY_LIMIT = 512 * 1024
#: The lines of ``validate --format github`` that sum up a dataset (never a workflow command).
_SUMMARY_PREFIX = "benchmarkkit: "
_TITLE = "benchmarkkit action"


class InputError(Exception):
    """An input of the action that cannot be used; the message says how to fix it."""


def _escape(text: str) -> str:
    """Text for the message of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def annotate(level: str, message: str) -> None:
    """Print a workflow command (``error``, ``warning``, ``notice``) of the action's own."""
    print(f"::{level} title={_TITLE}::{_escape(message)}", flush=True)


def dataset_path(environ: Mapping[str, str]) -> str:
    """The input ``path``, which must not be empty."""
    path = environ.get("INPUT_PATH", "").strip()
    if not path:
        raise InputError(
            "the input 'path' is empty: give the dataset, relative to the repository root "
            "(path: data/)"
        )
    return path


def flag(environ: Mapping[str, str], name: str) -> bool:
    """The boolean input ``name``: true or false (empty: false)."""
    value = environ.get(f"INPUT_{name.upper()}", "").strip()
    if value.lower() in ("", "false"):
        return False
    if value.lower() == "true":
        return True
    raise InputError(f"the input '{name}' is {value!r}; write true or false")


def requirement(version: str, action_path: str) -> str:
    """What pip installs for the input ``version``; the action's own code when it is empty."""
    version = version.strip()
    if not version:
        return action_path
    if _RELEASE.fullmatch(version):
        return f"benchmarkkit=={version}"
    if _GIT_REF.fullmatch(version):
        return f"benchmarkkit @ git+{REPOSITORY}@{version}"
    raise InputError(
        f"the input 'version' is {version!r}, which is neither a release number (0.1.0) "
        "nor a tag, branch or commit (v0.1.0); leave it out to use the action's own version"
    )


def packages(text: str) -> list[str]:
    """The input ``packages``: one requirement per line; blank lines and comments skipped."""
    found = []
    for line in text.splitlines():
        wanted = line.split(" #", 1)[0].strip()
        if not wanted or wanted.startswith("#"):
            continue
        if wanted.startswith("-"):
            raise InputError(
                f"the input 'packages' has the line {wanted!r}: give requirements "
                "(my-rules==1.2, a path or a git URL), not pip options"
            )
        found.append(wanted)
    return found


def set_output(environ: Mapping[str, str], name: str, value: str) -> None:
    """Set a step output through ``$GITHUB_OUTPUT`` (skipped where it is not set)."""
    if "\n" in value or "\r" in value:
        raise ValueError(f"an output holds a line break: {value!r}")
    target = environ.get("GITHUB_OUTPUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write(f"{name}={value}\n")


def _environment_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def environment_folder(environ: Mapping[str, str], python: str, version: tuple[int, int]) -> Path:
    """The action's virtual environment for the Python ``python`` (``version``: major, minor).

    Each Python has its own, so a second use of the action in a job, with another
    ``python-version``, never runs in the first one's environment.
    """
    temporary = Path(environ.get("RUNNER_TEMP") or tempfile.gettempdir())
    digest = hashlib.sha256(os.fsencode(python)).hexdigest()[:12]
    return temporary / f"benchmarkkit-action-py{version[0]}.{version[1]}-{digest}"


def install(environ: Mapping[str, str]) -> int:
    """Install benchmarkkit (and the input ``packages``) in a virtual environment of its own."""
    try:
        wanted = requirement(environ.get("INPUT_VERSION", ""), environ["GITHUB_ACTION_PATH"])
        extra = packages(environ.get("INPUT_PACKAGES", ""))
    except InputError as error:
        annotate("error", str(error))
        return 2
    folder = environment_folder(environ, sys.executable, sys.version_info[:2])
    python = _environment_python(folder)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", wanted, *extra]
    print(f"::group::Install {wanted}", flush=True)
    status = subprocess.run(command, check=False).returncode
    print("::endgroup::", flush=True)
    if status != 0:
        annotate("error", f"pip could not install {wanted} (exit status {status}): see the log")
        return 2
    set_output(environ, "python", str(python))
    return 0


class Validation(NamedTuple):
    """What ``validate --format github`` said: its status, its summary lines, its errors."""

    status: int
    summaries: list[str]
    errors: int


def _child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    # UTF-8 on every runner (a Windows console would otherwise encode the output in cp1252).
    return {**environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}


def _benchmarkkit(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "benchmarkkit", *arguments]


def run_validation(path: str, *, strict: bool, environ: Mapping[str, str], cwd: str) -> Validation:
    """Validate ``path``, passing each annotation on to the log as it comes."""
    command = _benchmarkkit("validate", "--format", "github", *(["--strict"] * strict), "--", path)
    summaries: list[str] = []
    errors = 0
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=_child_environment(environ),
        stdout=subprocess.PIPE,
        encoding="utf-8",
        errors="replace",
    ) as process:
        assert process.stdout is not None  # noqa: S101 - stdout=PIPE makes it
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if line.startswith(_SUMMARY_PREFIX):
                summaries.append(line[len(_SUMMARY_PREFIX) :].rstrip("\n"))
            elif line.startswith("::error "):
                errors += 1
    return Validation(process.returncode, summaries, errors)


class Report(NamedTuple):
    """The report written for the summary page and the artifact."""

    status: int
    folder: Path
    html: Path
    scorecard: str


def write_report(path: str, *, environ: Mapping[str, str], cwd: str) -> Report:
    """Write the HTML report in a new folder of ``$RUNNER_TEMP``; get the Markdown scorecard."""
    temporary = environ.get("RUNNER_TEMP") or tempfile.gettempdir()
    folder = Path(tempfile.mkdtemp(prefix="benchmarkkit-report-", dir=temporary))
    html = folder / "report.html"
    child = _child_environment(environ)
    print("::group::Write the report", flush=True)
    status = subprocess.run(
        _benchmarkkit("report", "-o", str(html), "--", path), cwd=cwd, env=child, check=False
    ).returncode
    scorecard = ""
    if status == 0:
        # Its standard error repeats what the report's said (the note on warnings): shown
        # only if the command fails.
        result = subprocess.run(
            _benchmarkkit("score", "--format", "markdown", "--", path),
            cwd=cwd,
            env=child,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
        status, scorecard = result.returncode, result.stdout
        if status != 0:
            sys.stderr.write(result.stderr)
    print("::endgroup::", flush=True)
    return Report(status, folder, html, scorecard)


def _fenced(lines: Sequence[str]) -> str:
    """Lines as a Markdown code block, which shows any text as it is."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([f"{fence}text", *lines, fence])


_VERDICTS = {
    0: "",
    1: (
        "Each problem is annotated on the line where it is: the pull request's "
        "*Files changed* tab shows the first 10 errors and 10 warnings of a step, "
        "and the log of the step *Validate the dataset* lists them all."
    ),
    2: "benchmarkkit could not validate the dataset: the log of the step says why.",
}


def summary(validation: Validation, report: Report | None, *, asked: bool, artifact: str) -> str:
    """The Markdown the action adds to the job's summary page."""
    parts = ["## benchmarkkit: dataset validation"]
    if validation.summaries:  # none when the command could not start or ended early
        parts.append(_fenced(validation.summaries))
    verdict = _VERDICTS.get(validation.status, _VERDICTS[2])
    if verdict:
        parts.append(verdict)
    if report is not None and report.status == 0:
        parts.append(
            f"The full report is the artifact `{artifact}` of this run "
            "(*Artifacts*, at the bottom of the run's summary page): open report.html."
        )
        size = len(report.scorecard.encode("utf-8"))
        if size <= SUMMARY_LIMIT:
            parts.append(report.scorecard.rstrip("\n"))
        else:
            parts.append(
                f"The scorecard ({size // 1024} KiB) is too long for this page, which "
                "shows at most 1 MiB per step: it is in the report."
            )
    elif report is not None:
        parts.append("The report could not be written: the log of the step says why.")
    elif asked and validation.status == 2:
        parts.append("No report: the dataset could not be validated.")
    elif asked:
        parts.append("No report: a dataset with errors cannot be scored.")
    return "\n\n".join(parts) + "\n"


def _write_summary(environ: Mapping[str, str], text: str) -> None:
    target = environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as stream:
            stream.write(text)


def validate(environ: Mapping[str, str]) -> int:
    """Validate the dataset (and report on it); return the validation's exit status."""
    try:
        path = dataset_path(environ)
        strict, asked = flag(environ, "strict"), flag(environ, "report")
    except InputError as error:
        annotate("error", str(error))
        set_output(environ, "status", "2")
        return 2
    cwd = environ.get("GITHUB_WORKSPACE") or str(Path.cwd())
    validation = run_validation(path, strict=strict, environ=environ, cwd=cwd)
    report = None
    if asked and validation.status != 2 and validation.errors == 0:
        report = write_report(path, environ=environ, cwd=cwd)
    artifact = environ.get("INPUT_ARTIFACT_NAME") or "benchmarkkit-report"
    _write_summary(environ, summary(validation, report, asked=asked, artifact=artifact))
    status = validation.status
    written = report is not None and report.status == 0
    set_output(environ, "report", str(report.html) if report and written else "")
    set_output(environ, "report-folder", str(report.folder) if report and written else "")
    if report is not None and not written:
        annotate("error", "the report could not be written: see the log of this step")
        status = status or report.status
    set_output(environ, "status", str(status))
    return status


def main(arguments: Sequence[str], environ: Mapping[str, str]) -> int:
    """Run the step named by the first argument: ``install`` or ``validate``."""
    steps = {"install": install, "validate": validate}
    if len(arguments) != 1 or arguments[0] not in steps:
        print("usage: benchmarkkit_action.py install|validate (run by action.yml)", file=sys.stderr)
        return 2
    return steps[arguments[0]](environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], os.environ))
