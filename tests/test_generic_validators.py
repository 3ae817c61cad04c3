"""The docs' commands for other JSON Schema validators work as written, with no network.

Every command of the CI guide and of "Use the format without Python" that runs another
validator (check-jsonschema, jsonschema-rs from Python, ajv, and the page's JavaScript
program under node) is taken from the page as it is written and run in a folder laid
out as the pages say: the example dataset as ``data/``, the schemas written out to
``schemas/``, the dataset exported as ``dataset.json``, and the files the pages have
the reader write. It must pass and print what the page shows; on broken copies of the
same files it must fail and name the problem. The Python tools run with every
connection refused (tests/test_portable_schemas.py's guard), so a ``$ref`` they tried
to fetch would fail them. ajv and node run where node and ajv-cli are installed (.ci/run
installs ajv-cli where npm is), and are skipped, saying why, elsewhere.

The page's list of what a schema cannot check is held to the problem-code catalogue.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarkkit._codes import CODES
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, ROOT
from tests.test_docs_examples import SHELLS, blocks, commands, matches
from tests.test_portable_schemas import _offline

CI_GUIDE = ROOT / "docs" / "how-to" / "validate-in-ci.md"
WITHOUT_PYTHON = ROOT / "docs" / "how-to" / "use-without-python.md"
PAGES = (CI_GUIDE, WITHOUT_PYTHON)
#: How a command that runs another validator starts.
VALIDATORS = ("check-jsonschema ", "ajv ", "node ", 'python -c "import json, jsonschema_rs')
#: The stages of the catalogue whose problems no schema can find (see the page).
BEYOND_THE_SCHEMA = ("records", "references", "dates", "values", "sources")


class DocCommand:
    """A validator's command as a page writes it, with the output the page shows."""

    def __init__(self, page: Path, line: int, text: str, expected: str | None) -> None:
        self.place = f"{page.name}:{line}"
        self.text, self.expected = text, expected

    def __repr__(self) -> str:
        return self.place


def doc_commands() -> list[DocCommand]:
    """Every command of the two pages that runs another validator, run or not by the docs test."""
    found: list[DocCommand] = []
    for page in PAGES:
        for block in blocks(page.read_text("utf-8")):
            if block.language not in SHELLS:
                continue
            found.extend(
                DocCommand(page, command.line, command.text, command.expected)
                for command in commands(block)
                if command.text.startswith(VALIDATORS)
            )
    return found


def _inline_ajv_compile() -> str:
    """The ``ajv compile`` command the CI guide gives in its text, for every schema file."""
    (command,) = re.findall(r"`(ajv compile [^`]*-s FILE)`", CI_GUIDE.read_text("utf-8"))
    return " ".join(command.split())  # the text may break the line inside it


def _ajv() -> str:
    """The ajv command (.ci/run's, or one on PATH), or a skip saying what is missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed, so ajv and the page's JavaScript cannot run")
    ajv = os.environ.get("BENCHMARKKIT_AJV") or shutil.which("ajv")
    if ajv is None:
        pytest.skip("ajv-cli is not installed: 'npm install -g ajv-cli', or set BENCHMARKKIT_AJV")
    return ajv


def _node_modules(ajv: str) -> Path:
    """The node_modules folder from which ``require("ajv/dist/2020")`` finds ajv-cli's ajv."""
    program = Path(ajv).resolve()
    for folder in program.parents:
        for candidate in (folder / "node_modules", folder):
            if (candidate / "ajv" / "dist" / "2020.js").is_file():
                return candidate
    pytest.skip(f"no ajv package beside {ajv} for the page's JavaScript to require")


def _file_blocks() -> dict[str, str]:
    """The files the two pages have the reader write (```` ```lang file=PATH ````)."""
    return {
        block.file: block.text
        for page in PAGES
        for block in blocks(page.read_text("utf-8"))
        if block.file is not None
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out as the pages say, before their validator commands run."""
    folder = tmp_path_factory.mktemp("generic-validators")
    shutil.copytree(EXAMPLE, folder / "data")
    for name, text in _file_blocks().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    assert main(["schema", "--output", str(folder / "schemas")]) == 0
    assert main(["export", str(folder / "data"), "-o", str(folder / "dataset.json")]) == 0
    return folder


@pytest.fixture(scope="module")
def broken(workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same folder with a field no schema allows in every data file a command names."""
    folder = tmp_path_factory.mktemp("generic-validators-broken")
    shutil.copytree(workspace, folder, dirs_exist_ok=True)
    document = json.loads((folder / "dataset.json").read_text("utf-8"))
    document["colour"] = "red"
    (folder / "dataset.json").write_text(json.dumps(document), encoding="utf-8")
    for path in [folder / "appeal.yaml", *sorted((folder / "data").glob("*.yaml"))]:
        path.write_text(path.read_text("utf-8") + "colour: red\n", encoding="utf-8")
    return folder


def _run(command: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environ = _offline(tmp_path)
    paths = [str(Path(sys.executable).parent)]
    if command.startswith(("ajv ", "node ")):
        ajv = _ajv()
        paths.append(str(Path(ajv).parent))
        environ["NODE_PATH"] = str(_node_modules(ajv))
    environ["PATH"] = os.pathsep.join([*paths, environ.get("PATH", "")])
    return subprocess.run(
        ["bash", "-O", "extglob", "-c", command],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _prepare(command: str) -> str:
    """Where ajv is .ci/run's, the page's ``ajv`` is that program."""
    ajv = os.environ.get("BENCHMARKKIT_AJV")
    if ajv and command.startswith("ajv "):
        return f"{ajv}{command[3:]}"
    return command


def test_the_pages_give_every_validator_they_name() -> None:
    found = {command.text.split()[0] for command in doc_commands()}
    assert found == {"check-jsonschema", "ajv", "node", "python"}


@pytest.mark.parametrize("command", doc_commands(), ids=repr)
def test_a_validator_command_of_the_docs_passes_the_example_offline(
    command: DocCommand, workspace: Path, tmp_path: Path
) -> None:
    result = _run(_prepare(command.text), workspace, tmp_path)
    output = result.stdout + result.stderr
    assert "network-guard" not in output
    assert result.returncode == 0, f"{command.place}: {command.text}\n{output}"
    if command.expected is not None:
        assert matches(command.expected, output), f"{command.place}: {output}"


@pytest.mark.parametrize("command", doc_commands(), ids=repr)
def test_a_validator_command_of_the_docs_fails_on_a_broken_file_and_names_it(
    command: DocCommand, broken: Path, tmp_path: Path
) -> None:
    result = _run(_prepare(command.text), broken, tmp_path)
    output = result.stdout + result.stderr
    assert "network-guard" not in output
    assert result.returncode == 1, f"{command.place}: {command.text}\n{output}"
    words = ("colour", "must NOT have additional properties")
    assert any(word in output for word in words), f"{command.place}: {output}"


def test_the_ci_guides_ajv_compile_command_compiles_the_dataset_schema(
    workspace: Path, tmp_path: Path
) -> None:
    # tests/test_portable_schemas.py compiles every schema this way.
    name = "dataset"
    command = _inline_ajv_compile().replace("FILE", f"schemas/{name}.schema.json")
    result = _run(_prepare(command), workspace, tmp_path)
    assert (result.returncode, (result.stdout + result.stderr).strip()) == (
        0,
        f"schema schemas/{name}.schema.json is valid",
    )


def test_the_ajv_commands_of_the_docs_are_those_the_portable_schema_test_runs() -> None:
    # tests/test_portable_schemas.py compiles every schema with these options.
    source = (ROOT / "tests" / "test_portable_schemas.py").read_text("utf-8")
    options = '"compile", "--spec=draft2020", "--strict=true"'
    assert f"command = [ajv, {options}]" in source
    assert _inline_ajv_compile() == "ajv compile --spec=draft2020 --strict=true -s FILE"
    ajv_lines = [command.text for command in doc_commands() if command.text.startswith("ajv ")]
    assert ajv_lines
    assert all(
        line.startswith("ajv validate --spec=draft2020 --strict=true -s schemas/")
        for line in ajv_lines
    )


def test_the_page_lists_every_check_a_schema_cannot_make() -> None:
    text = WITHOUT_PYTHON.read_text("utf-8")
    section = text.split("## What a schema cannot check", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([a-z0-9-]+)`", section)
    beyond = [info.code for info in CODES.values() if info.stage in BEYOND_THE_SCHEMA]
    assert listed == beyond


def test_the_schema_table_names_every_published_schema() -> None:
    text = WITHOUT_PYTHON.read_text("utf-8")
    named = re.findall(r"^\| `([a-z-]+\.schema\.json)` \|", text, flags=re.MULTILINE)
    published = sorted(path.name for path in (ROOT / "schemas").glob("*.schema.json"))
    assert sorted(named) == published
    assert named[0] == "dataset.schema.json"  # the entry point comes first
