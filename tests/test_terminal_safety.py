"""Text from a dataset never drives the terminal: control characters are shown as escapes.

Every subcommand's text output is run on a hostile dataset, in-process and as
a real process (also on a pseudo-terminal, with colour), and must hold no
raw ESC, OSC, BEL, C1 or bidi control, while showing the escaped form so
that the user sees what is in the data.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._cli._common import make_console, write_lines, write_text
from benchmarkkit.cli import main
from benchmarkkit.reports._controls import visible_controls
from tests.conftest import ROOT

CLEAR = "\x1b[2J"  # clears the screen
OSC = "\x1b]0;pwned\x07"  # retitles the terminal
C1_CSI = "\x9b31m"  # the one-byte CSI: red text on some terminals
BIDI = "\u202eevil\u2066"  # a right-to-left override and an isolate
HOSTILE = f"{CLEAR}{OSC}{C1_CSI}{BIDI}\x7f"
#: How HOSTILE is shown: every control character as an escape.
SHOWN = "\\x1b[2J\\x1b]0;pwned\\x07\\u009b31m\\u202eevil\\u2066\\u007f"
#: Anything a terminal would act on, other than a line feed or a tab.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The colour codes benchmarkkit writes itself: SGR sequences only.
SGR = re.compile(r"\x1b\[[0-9;]*m")
AS_OF = "2012-03-20"


def _raw_controls(text: str, *, colour: bool = False) -> list[str]:
    """The control characters in ``text`` a terminal would act on (our own colours left out)."""
    if colour:
        text = SGR.sub("", text)
    return RAW.findall(text)


def hostile_document() -> dict[str, object]:
    """A valid dataset with control sequences in every title, label and text a command shows."""
    return {
        "schema_version": "1.0",
        "id": "hostile",
        "title": f"Title {HOSTILE}",
        "subject": f"Subject {HOSTILE}",
        "areas": [{"id": "a", "title": f"Area {HOSTILE}"}],
        "benchmarks": [
            {"id": "b", "title": f"Bench {HOSTILE}", "statement": f"S {HOSTILE}", "area": "a",
             "type": "outcome"},
            {"id": "b2", "title": f"Other {HOSTILE}", "statement": "S", "area": "a",
             "type": "outcome"},
        ],
        "assessments": [
            {"id": "as1", "benchmark": "b", "as_of": "2012-01-01", "scale": "ogp-completion",
             "level": "limited", "assessor": f"E {HOSTILE}", "rationale": f"R {HOSTILE}"},
            {"id": "as2", "benchmark": "b", "as_of": "2012-03-01", "scale": "ogp-completion",
             "level": "complete", "assessor": "E", "rationale": "R"},
        ],
        "gates": [
            {"id": "g", "title": f"Gate {HOSTILE}", "applies_to": f"Applies {HOSTILE}",
             "condition": {"kind": "benchmark", "benchmark": "b", "minimum_score": 0.5,
                           "label": f"Label {HOSTILE}"}},
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``good``: a valid hostile dataset; ``bad``: the same with problems that quote the data."""
    folder = tmp_path_factory.mktemp("hostile")
    document = hostile_document()
    good = folder / "good.yaml"
    good.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    benchmarks = document["benchmarks"]
    assert isinstance(benchmarks, list)
    benchmarks[1]["area"] = f"a{HOSTILE}"
    benchmarks[1][f"note{CLEAR}"] = "x"
    bad = folder / "bad.yaml"
    bad.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    odd = folder / f"bad{OSC}.yaml"  # a file name is shown too, in problems and errors
    odd.write_bytes(bad.read_bytes())
    return {"good": good, "bad": bad, "odd": odd, "folder": folder}


#: Each command, the status it ends with, and whether its output shows the data escaped.
COMMANDS: list[tuple[list[str], int, bool]] = [
    (["validate", "{bad}"], 1, True),
    (["validate", "{bad}", "--format", "github"], 1, True),
    (["validate", "{good}"], 0, False),
    (["score", "{good}", "--as-of", AS_OF], 0, True),
    (["score", "{good}", "--as-of", AS_OF, "--explain"], 0, True),
    (["score", "{good}", "--as-of", AS_OF, "--compare", "2012-01-15"], 0, True),
    # CSV to a pipe keeps its values exactly (test_a_csv_scorecard_keeps_every_value...);
    # on a terminal it is escaped (test_csv_on_a_real_terminal_is_escaped).
    (["score", "{good}", "--as-of", AS_OF, "--format", "markdown"], 0, True),
    (["score", "{bad}", "--as-of", AS_OF], 1, True),
    (["score", "{odd}", "--as-of", AS_OF], 1, True),
    (["validate", "{odd}", "--format", "github"], 1, True),
    (["report", "{good}", "--as-of", AS_OF, "--compare", "2012-01-15", "-o", "-"], 0, True),
    (["report", "{good}", "--as-of", AS_OF, "-o", "{folder}/r\x1b[2J.html"], 0, True),
    (["schema", f"dataset{CLEAR}"], 2, True),
    (["init", "{folder}/new\x1b]0;x\x07"], 0, True),
]


def _args(template: list[str], files: dict[str, Path], run: str) -> list[str]:
    names = {name: str(path) for name, path in files.items()}
    return [part.format(**names).replace("new", f"new-{run}") for part in template]


def _check(out: str, err: str, *, shows: bool, colour: bool = False) -> None:
    assert _raw_controls(out, colour=colour) == []
    assert _raw_controls(err, colour=colour) == []
    if shows:
        shown = SGR.sub("", out + err) if colour else out + err
        assert "\\x1b" in shown, shown


@pytest.mark.parametrize(("template", "status", "shows"), COMMANDS, ids=lambda v: str(v)[:40])
def test_every_command_shows_control_characters_escaped_in_process(
    template: list[str],
    status: int,
    shows: bool,
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(_args(template, files, "in-process")) == status
    captured = capsys.readouterr()
    _check(captured.out, captured.err, shows=shows)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "TERM")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


@pytest.mark.parametrize(("template", "status", "shows"), COMMANDS, ids=lambda v: str(v)[:40])
def test_every_command_shows_control_characters_escaped_as_a_process(
    template: list[str],
    status: int,
    shows: bool,
    files: dict[str, Path],
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarkkit", *_args(template, files, "process")],
        capture_output=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert result.returncode == status, err
    _check(out, err, shows=shows)


needs_a_terminal = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _on_a_terminal(arguments: list[str]) -> tuple[str, str]:
    """Run the command with a real terminal as its standard output: what it showed there."""
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarkkit", *arguments],
        stdout=follower,
        stderr=subprocess.PIPE,  # no progress spinner: only the table is on the terminal
        env={**_env(), "TERM": "xterm-256color"},
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal is closed once the process has ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 0
        assert process.stderr is not None
        err = process.stderr.read().decode("utf-8")
    os.close(leader)
    # The terminal itself writes each line feed as carriage return and line feed.
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), err


@needs_a_terminal
def test_score_on_a_real_terminal_keeps_its_colours_and_escapes_the_data(
    files: dict[str, Path],
) -> None:
    text, err = _on_a_terminal(["score", str(files["good"]), "--as-of", AS_OF])
    assert SGR.search(text) is not None  # coloured: the terminal is real
    _check(text, err, shows=True, colour=True)
    assert "Title " + SHOWN.replace("\\x07", "") in SGR.sub("", text)  # rich drops BEL itself


@needs_a_terminal
def test_csv_on_a_real_terminal_is_escaped(files: dict[str, Path]) -> None:
    text, err = _on_a_terminal(["score", str(files["good"]), "--as-of", AS_OF, "-f", "csv"])
    _check(text, err, shows=True)


def test_json_output_keeps_the_data_exactly(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(files["good"]), "--as-of", AS_OF, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert _raw_controls(out) == []
    assert json.loads(out)["title"] == f"Title {HOSTILE}"


# -- where text is written -----------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_write_text_shows_every_control_character_as_an_escape() -> None:
    stream = io.StringIO()
    write_text(stream, f"{HOSTILE}\tkept\nnext\r")
    assert stream.getvalue() == f"{SHOWN}\tkept\nnext\\x0d"


def test_write_lines_escapes_the_data_and_keeps_its_own_colours() -> None:
    stream = FakeTerminal()
    write_lines(stream, [[(f"title {HOSTILE}", "bold red"), (" plain", None)]], colour=True)
    text = stream.getvalue()
    assert _raw_controls(text, colour=True) == []
    assert SGR.search(text) is not None
    assert SGR.sub("", text) == f"title {SHOWN} plain\n"
    plain = io.StringIO()
    write_lines(plain, [[(f"title {HOSTILE}", "bold red")]], colour=False)
    assert plain.getvalue() == f"title {SHOWN}\n"


def test_rich_console_output_shows_control_characters_escaped() -> None:
    from rich.table import Table
    from rich.text import Text

    stream = FakeTerminal()
    console = make_console(stream, colour=True, width=200)
    table = Table("Benchmark")
    table.add_row(Text(f"cell {HOSTILE}", style="red"))
    console.print(Text(f"heading {HOSTILE}", style="bold"))
    console.print(table)
    console.print(f"str {HOSTILE}")
    text = stream.getvalue()
    assert _raw_controls(text, colour=True) == []
    plain = SGR.sub("", text)
    # rich itself drops BEL, backspace, vertical tab, form feed and carriage return from Text
    shown = SHOWN.replace("\\x07", "")
    for label in ("heading", "cell", "str"):
        assert f"{label} {shown}" in plain


@given(st.text())
def test_escaped_text_holds_no_control_character_but_line_feeds_and_tabs(text: str) -> None:
    shown = visible_controls(text)
    assert _raw_controls(shown) == []
    assert visible_controls(shown) == shown  # escaping twice changes nothing more
    if _raw_controls(text) == []:
        assert shown == text


@given(
    st.recursive(
        st.text() | st.integers() | st.none(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_json_stays_valid_json_with_the_same_values(value: object) -> None:
    document = json.dumps(value, ensure_ascii=False)
    assert json.loads(visible_controls(document)) == value


def test_a_csv_scorecard_keeps_every_value_exactly_in_a_file_and_a_pipe(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CSV is data (spreadsheets, pandas): escaped only where it reaches a terminal."""
    import csv
    import io

    target = tmp_path / "card.csv"
    common = ["score", str(files["good"]), "--as-of", AS_OF, "--format", "csv"]
    assert main([*common, "-o", str(target)]) == 0
    capsys.readouterr()
    assert main(common) == 0  # captured: a pipe, not a terminal
    piped = capsys.readouterr().out
    for text in (target.read_text(encoding="utf-8"), piped):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert any(HOSTILE in value for row in rows for value in row.values() if value)


@pytest.mark.parametrize(
    ("options", "name", "shows"),
    [
        (["score", "--format", "table"], "card.txt", True),
        (["score", "--format", "markdown"], "card.md", True),
        (["score", "--format", "json"], "card.json", False),  # JSON's own escapes
        (["report"], "report.md", True),
        (["report"], "report.html", True),
    ],
)
def test_files_the_commands_write_show_control_characters_escaped(
    *,
    options: list[str],
    name: str,
    shows: bool,
    files: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target = tmp_path / name
    command, *rest = options
    assert main([command, str(files["good"]), "--as-of", AS_OF, *rest, "-o", str(target)]) == 0
    capsys.readouterr()
    text = target.read_text(encoding="utf-8")
    assert _raw_controls(text) == []
    if shows:
        assert "\\x1b" in text
    if name.endswith(".json"):
        assert json.loads(text)["title"] == f"Title {HOSTILE}"
