"""Every example in the documentation runs, and shows what the code really does.

Each Markdown page (``docs/**/*.md``, ``README.md``, ``CONTRIBUTING.md``) is one test.
Its fenced code blocks run in page order, in a fresh folder that holds a copy of the
repository's ``examples/``, so nothing is written in the repository:

- ``python`` blocks run in one namespace per page; a block that starts with ``>>>``
  (and every ``pycon`` block) is a doctest whose output must match;
- ``console`` blocks run each ``$ command`` through bash with the real ``benchmarkkit``
  command; the lines after a command, when there are any, are the output it must print
  (``...`` stands for any text); every command must exit 0, unless the next command is
  ``echo $?``, which then shows the status;
- ``bash``, ``sh`` and ``shell`` blocks run line by line the same way, without output;
- a block whose info string has ``file=PATH`` (```` ```yaml file=my-data/actors.yaml ````)
  is written to ``PATH`` instead of being run, so a page can have the reader create files;
- a block whose info string has ``norun`` (```` ```bash norun ````) is not run: installs,
  workflow files, commands that need a network or a package index;
- ``<!-- docs-test: setup COMMAND -->`` on a page runs ``COMMAND`` before its first block.

CONTRIBUTING.md explains the conventions to authors.
"""

from __future__ import annotations

import doctest
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from benchmarkkit.scoring._registry import AGGREGATIONS, RULES
from tests.conftest import ROOT

PAGES = sorted(
    [
        *(path for path in (ROOT / "docs").rglob("*.md") if "_build" not in path.parts),
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
    ]
)
SHELLS = ("console", "bash", "sh", "shell")
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
_SETUP = re.compile(r"<!--\s*docs-test:\s*setup\s+(?P<command>.*?)\s*-->")
_STATUS_SHOWN = "echo $?"
# Commands that change the Python environment or need the network: a page marks them norun.
_NEVER_RUN = re.compile(
    r"\bpip3?\s+(install|uninstall)\b|\bpre-commit\b|\bgit\s+clone\b|\bcurl\b|\bwget\b"
)
# Markers the shell prints around each command's output; control characters no command prints.
_START, _END, _CWD = "\x1e", "\x1f", "\x1d"


@attrs.frozen
class Block:
    """One fenced code block of a page."""

    language: str
    options: tuple[str, ...]
    text: str
    line: int

    @property
    def file(self) -> str | None:
        """The file the block is to be written to, if it says ``file=PATH``."""
        for option in self.options:
            if option.startswith("file="):
                return option.removeprefix("file=")
        return None

    @property
    def runs(self) -> bool:
        """Whether the block is run or written (and not marked ``norun``)."""
        if "norun" in self.options:
            return False
        return self.file is not None or self.language in ("python", "pycon", *SHELLS)


def blocks(text: str) -> Iterator[Block]:
    """The fenced code blocks of a Markdown text, with their 1-based first content line."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        words = opening["info"].split()
        content: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines):
            closing = re.match(r"^ *(`{3,}|~{3,})\s*$", lines[index])
            if closing and closing[1][0] == fence[0] and len(closing[1]) >= len(fence):
                break
            line = lines[index]
            content.append(line[indent:] if line[:indent].strip() == "" else line)
            index += 1
        index += 1
        if words:
            yield Block(words[0], tuple(words[1:]), "\n".join(content) + "\n", start)


# -- shell ---------------------------------------------------------------------------------


@attrs.frozen
class Command:
    """A command of a shell block, with the output the page shows for it (if any)."""

    text: str
    expected: str | None
    line: int


def commands(block: Block) -> list[Command]:
    """The commands of a ``console`` block (``$ `` lines) or a ``bash`` block (every line)."""
    found: list[Command] = []
    lines = block.text.rstrip("\n").split("\n")
    index = 0
    while index < len(lines):
        line, number = lines[index], block.line + index
        index += 1
        if block.language == "console":
            if not line.startswith("$ "):
                continue
            line = line[2:]
        elif not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.endswith("\\") and index < len(lines):
            line = line[:-1] + "\n" + lines[index].removeprefix("> ")
            index += 1
        output: list[str] = []
        while block.language == "console" and index < len(lines):
            if lines[index].startswith("$ "):
                break
            output.append(lines[index])
            index += 1
        shown = "\n".join(output).strip("\n")
        found.append(Command(line, shown or None, number))
    return found


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BENCHMARKKIT_DEBUG", "FORCE_COLOR")}
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="100", CI="true", PYTHONUNBUFFERED="1")
    return env


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected``, where ``...`` in ``expected`` stands for any text."""
    want = "\n".join(line.rstrip() for line in expected.strip("\n").split("\n"))
    got = "\n".join(line.rstrip() for line in actual.strip("\n").split("\n"))
    parts = want.split("...")
    if len(parts) == 1:
        return want == got
    if not (got.startswith(parts[0]) and got.endswith(parts[-1])):
        return False
    position, end = len(parts[0]), len(got) - len(parts[-1])
    for part in parts[1:-1]:
        found = got.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return position <= end


class Shell:
    """Runs the shell examples of one page, keeping the working folder between blocks."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd

    def run(self, page: str, block: Block) -> None:
        """Run a block's commands; fail with what the page shows and what really happened."""
        steps = commands(block)
        for step in steps:
            assert not _NEVER_RUN.search(step.text), (
                f"{page}:{step.line}: `{step.text}` would change this environment or need the "
                "network; mark the block `norun` (see CONTRIBUTING.md)"
            )
        script = [
            'command -v benchmarkkit >/dev/null || benchmarkkit() { python -m benchmarkkit "$@"; }',
            f"cd {_quote(self.cwd)}",
            "__status=0",
        ]
        for number, step in enumerate(steps):
            script += [
                f"printf '{_START}%d{_START}' {number}; (exit \"$__status\")",
                step.text,
                f"__status=$?; printf '{_END}%d{_END}' \"$__status\"",
            ]
        script.append(f"printf '{_CWD}%s' \"$PWD\"")
        result = subprocess.run(
            ["bash", "-c", "\n".join(script)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            env=_environment(),
            cwd=self.cwd,
            timeout=300,
            check=False,
        )
        output, _, cwd = result.stdout.rpartition(_CWD)
        assert cwd, f"{page}:{block.line}: the shell did not finish:\n{result.stdout}"
        self.cwd = Path(cwd)
        pieces = re.findall(
            rf"{_START}(\d+){_START}(.*?){_END}(\d+){_END}", output, flags=re.DOTALL
        )
        assert len(pieces) == len(steps), f"{page}:{block.line}: the shell stopped:\n{output}"
        for index, (step, (_, printed, status)) in enumerate(zip(steps, pieces, strict=True)):
            shows_status = index + 1 < len(steps) and steps[index + 1].text == _STATUS_SHOWN
            where = f"{page}:{step.line}: $ {step.text}"
            assert shows_status or status == "0", f"{where}\nexit status {status}:\n{printed}"
            if step.expected is not None:
                assert matches(step.expected, printed), (
                    f"{where}\nthe page shows:\n{step.expected}\n"
                    f"but the command printed:\n{printed}"
                )


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


# -- python ----------------------------------------------------------------------------------


def run_python(page: str, block: Block, namespace: dict[str, object]) -> None:
    """Run a Python block: as a doctest when it has ``>>>`` prompts, else as a script."""
    if block.language == "pycon" or block.text.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(
            block.text, namespace, page, page, block.line - 1
        )
        runner = doctest.DocTestRunner(
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
        )
        report = io.StringIO()
        runner.run(test, out=report.write, clear_globs=False)
        namespace.update(test.globs)  # a DocTest works on a copy of the namespace
        assert runner.failures == 0, report.getvalue()
        return
    code = compile(block.text, f"{page}:{block.line}", "exec")
    exec(code, namespace)  # noqa: S102 - running the documentation's own examples is the point


# -- the test ----------------------------------------------------------------------------------


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder with a copy of examples/; registries, sys.path and modules restored after."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "examples", work / "examples")
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "path", list(sys.path))
    rules, aggregations = dict(RULES._entries), dict(AGGREGATIONS._entries)
    modules = set(sys.modules)
    try:
        yield work
    finally:
        RULES._entries.clear()
        RULES._entries.update(rules)
        AGGREGATIONS._entries.clear()
        AGGREGATIONS._entries.update(aggregations)
        for name in set(sys.modules) - modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(tmp_path)):
                del sys.modules[name]


def _page_id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", PAGES, ids=_page_id)
def test_the_examples_of_the_page_run(path: Path, isolated: Path) -> None:
    page = _page_id(path)
    text = path.read_text(encoding="utf-8")
    shell = Shell(isolated)
    for setup in _SETUP.finditer(text):
        line = text[: setup.start()].count("\n") + 1
        shell.run(page, Block("bash", (), setup["command"] + "\n", line))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for block in blocks(text):
        if not block.runs:
            continue
        if block.file is not None:
            target = shell.cwd / block.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
        elif block.language in SHELLS:
            shell.run(page, block)
        else:
            os.chdir(shell.cwd)
            run_python(page, block, namespace)


# -- the harness itself ----------------------------------------------------------------------


def test_blocks_are_found_with_their_options_and_lines() -> None:
    text = "intro\n\n```yaml file=a/b.yaml\nx: 1\n```\n\n  ```bash norun\n  pip install x\n  ```\n"
    found = list(blocks(text))
    assert found == [
        Block("yaml", ("file=a/b.yaml",), "x: 1\n", 4),
        Block("bash", ("norun",), "pip install x\n", 8),
    ]
    assert [block.runs for block in found] == [True, False]


def test_console_commands_keep_their_output_and_continuations() -> None:
    block = Block("console", (), "$ a \\\n>   --b\nout 1\nout 2\n$ echo $?\n1\n$ c\n", 10)
    assert commands(block) == [
        Command("a \n  --b", "out 1\nout 2", 10),
        Command("echo $?", "1", 14),
        Command("c", None, 16),
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "matched"),
    [
        ("a\nb", "a  \nb\n", True),
        ("a...c", "abbbc", True),
        ("a...c", "abbbd", False),
        ("x\n...\nz", "x\ny1\ny2\nz", True),
        ("the quote 'abc...' is", "the quote 'abc...' is", True),
        ("ab...ba", "aba", False),
    ],
)
def test_output_matching_allows_ellipses(expected: str, actual: str, matched: bool) -> None:
    assert matches(expected, actual) is matched


def test_installs_must_be_marked_norun(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="mark the block `norun`"):
        Shell(tmp_path).run("page.md", Block("bash", (), "python -m pip install x\n", 1))


def test_a_failing_command_fails_the_page(tmp_path: Path) -> None:
    shell = Shell(tmp_path)
    with pytest.raises(AssertionError, match="exit status 2"):
        shell.run("page.md", Block("console", (), "$ benchmarkkit validate missing\n", 1))
    shell.run("page.md", Block("console", (), "$ benchmarkkit validate missing\n$ echo $?\n2\n", 1))
