"""The renderers behind the command line: escaping, grouping, truncation, colour and progress."""

from __future__ import annotations

import ast
import csv
import io
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console

import benchmarkkit._cli._common
from benchmarkkit import Problem, Severity, ValidationReport, validate
from benchmarkkit._cli._common import (
    colour_enabled,
    is_terminal,
    progress,
    progress_enabled,
    write_lines,
    write_text,
)
from benchmarkkit.reports._csv import scorecard_to_csv
from benchmarkkit.reports._markdown import escape_markdown, scorecard_to_markdown
from benchmarkkit.reports._validation import (
    escape_github_data,
    escape_github_property,
    github_annotation,
    group_problems,
    json_value,
    plain_text,
    render_github,
    render_text,
)
from benchmarkkit.scoring import score
from tests.conftest import ROOT

HOSTILE = "100% sure\r\n::error file=x::pwned, really: yes\n%0A"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _unescape_data(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%2C", ",").replace("%3A", ":"))


# -- GitHub workflow commands ----------------------------------------------------------------


def test_github_data_escaping_follows_the_runner_rules() -> None:
    assert escape_github_data("a%b\rc\nd") == "a%25b%0Dc%0Ad"
    assert escape_github_data("%0A") == "%250A"  # an escape in the text stays text
    assert escape_github_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"


@pytest.mark.parametrize(
    "hostile", [HOSTILE, "::warning::x", "%%%", "a\rb", ",:,:", "\n\n::stop-commands::t"]
)
def test_hostile_strings_stay_inside_one_annotation(hostile: str) -> None:
    problem = Problem(
        code=f"plugin-code{hostile}",
        severity=Severity.WARNING,
        message=hostile,
        file=f"data/{hostile}.yaml",
        line=3,
        column=7,
        hint=hostile,
        plugin=hostile,
    )
    line = github_annotation(problem)
    assert "\n" not in line
    assert "\r" not in line
    match = re.fullmatch(r"::warning (?P<props>[^:]*)::(?P<message>.*)", line)
    assert match is not None, line
    props = dict(part.split("=", 1) for part in match.group("props").split(","))
    assert list(props) == ["file", "line", "col", "title"]
    assert _unescape_property(props["file"]) == f"data/{hostile}.yaml"
    assert (props["line"], props["col"]) == ("3", "7")
    assert _unescape_property(props["title"]) == f"plugin-code{hostile}"
    message = _unescape_data(match.group("message"))
    assert message.startswith(hostile)
    assert message.endswith(f"\nFix: {hostile}")
    assert f"(reported by the plugin {hostile!r})" in message


def test_annotation_without_a_place_has_only_a_title() -> None:
    problem = Problem(code="plugin-failed", severity=Severity.INFO, message="m")
    assert github_annotation(problem) == "::notice title=plugin-failed::m"
    located = Problem(code="c", severity=Severity.ERROR, message="m", file="f.yaml", pointer="/a/0")
    assert github_annotation(located) == "::error file=f.yaml,title=c::m (at /a/0)"


def test_github_summary_line_cannot_become_a_workflow_command() -> None:
    report = ValidationReport(path="x\n::error::injected", problems=())
    text = render_github([report])
    assert text == "benchmarkkit: x\\n::error::injected: valid, no problems\n"


# -- grouping ------------------------------------------------------------------------------


def _problem(message: str, line: int, **kwargs: Any) -> Problem:
    return Problem.create(
        kwargs.pop("code", "quote-unverifiable"),
        message,
        file="f.yaml",
        line=line,
        column=1,
        **kwargs,
    )


def test_problems_that_differ_only_in_their_record_are_grouped() -> None:
    long_id = "x" * 80
    same = "the quote cannot be verified because source 's' has no archived text"
    problems = [
        _problem(f"evidence 'ev-1': {same}", 1),
        _problem(f"commitment 'c-1': {same}", 2),
        _problem("evidence 'ev-2': " + same.replace("'s'", "'t'"), 3),
        _problem(f"evidence '{long_id[:56]}...: {same}", 4),
        _problem(f"evidence #3 (no id): {same}", 5),
        _problem(f"the dataset: {same}", 6),
        _problem(f"evidence 'ev-9': {same}", 7, hint="x"),
    ]
    groups = group_problems(problems)
    assert [[p.line for p in group.problems] for group in groups] == [[1, 2, 4, 5, 6], [3], [7]]


def test_problems_without_a_record_label_group_only_when_identical() -> None:
    problems = [
        _problem("scale 's' has two levels with the id 'a'", 1, code="duplicate-id"),
        _problem("scale 's' has two levels with the id 'b'", 2, code="duplicate-id"),
        _problem("scale 's' has two levels with the id 'a'", 3, code="duplicate-id"),
    ]
    assert [[p.line for p in g.problems] for g in group_problems(problems)] == [[1, 3], [2]]


def test_text_output_shows_control_characters_escaped() -> None:
    problem = Problem(
        code="plugin-code",
        severity=Severity.ERROR,
        message="bad \x1b[31mred\x1b[0m\nnext",
        file="a\x07.yaml",
    )
    text = plain_text(render_text([ValidationReport(path="p", problems=(problem,))]))
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "a\\x07.yaml: plugin-code bad \\x1b[31mred\\x1b[0m\\nnext" in text


# -- JSON values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, (None, False)),
        (True, (True, False)),
        (3, (3, False)),
        (2.5, (2.5, False)),
        (math.inf, ("inf", False)),
        ("x" * 200, ("x" * 200, False)),
        ("x" * 201, ("x" * 200 + "...", True)),
        ([1, 2], ([1, 2], False)),
        (("a", "b"), (["a", "b"], False)),
        (["x" * 50] * 4, ("a list of 4 items", True)),
        ({"k": "v" * 300}, ("a mapping with 1 key", True)),
        (Path("a/b"), ("a/b", False)),
    ],
)
def test_json_values_are_cut_to_a_documented_size(value: Any, expected: tuple[Any, bool]) -> None:
    assert json_value(value) == expected


# -- Markdown and CSV ------------------------------------------------------------------------

HOSTILE_TITLE = (
    "A | B\nC <script>alert(1)</script> [x](javascript:alert(1)) *b* `c` # h _i_ ~s~ &amp;"
)


def test_markdown_escaping_leaves_plain_inert_text() -> None:
    escaped = escape_markdown(HOSTILE_TITLE)
    assert "\n" not in escaped
    assert re.search(r"(?<!\\)[|<>\[\]`*_~&#]", escaped) is None
    assert escape_markdown("- item") == "\\- item"
    assert escape_markdown("1. first") == "1\\. first"
    assert escape_markdown("it's fine: 50% (or so)") == "it's fine: 50% (or so)"


@pytest.fixture
def hostile_dataset(tmp_path: Path) -> Path:
    document = {
        "schema_version": "1.0",
        "id": "hostile",
        "title": HOSTILE_TITLE,
        "subject": "=cmd|' /C calc'!A0",
        "areas": [{"id": "a", "title": HOSTILE_TITLE}],
        "benchmarks": [
            {
                "id": "b",
                "title": "@SUM(1+1)*cmd|' /C calc'!A0",
                "statement": "S",
                "area": "a",
                "type": "outcome",
            },
            {"id": "b2", "title": "-2+3", "statement": "S", "area": "a", "type": "outcome"},
        ],
        "assessments": [
            {
                "id": "as",
                "benchmark": "b",
                "as_of": "2012-01-01",
                "scale": "ogp-completion",
                "level": "limited",
                "assessor": "E",
                "rationale": "R",
            }
        ],
        "gates": [
            {
                "id": "g",
                "title": "+" + HOSTILE_TITLE,
                "condition": {
                    "kind": "benchmark",
                    "benchmark": "b",
                    "minimum_score": 0.5,
                    "label": HOSTILE_TITLE,
                },
            }
        ],
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_hostile_strings_cannot_break_a_markdown_scorecard(hostile_dataset: Path) -> None:
    report = validate(hostile_dataset)
    assert report.dataset is not None, [str(p) for p in report.problems]
    markdown = scorecard_to_markdown(score(report.dataset, as_of="2012-03-20"))
    assert "<script>" not in markdown
    assert re.search(r"(?<!\\)\]\(", markdown) is None  # no link: every ] is escaped
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) in (3, 6), line
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert all(line.count("\n") == 0 for line in headings)


def test_csv_neutralises_formulas_and_keeps_rows_intact(hostile_dataset: Path) -> None:
    dataset = validate(hostile_dataset).dataset
    assert dataset is not None
    rows = list(csv.DictReader(io.StringIO(scorecard_to_csv(score(dataset, as_of="2012-03-20")))))
    titles = [row["title"] for row in rows]
    assert titles[0] == HOSTILE_TITLE
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in titles
    assert "'-2+3" in titles
    assert "'+" + HOSTILE_TITLE in titles
    scores = {row["id"]: row["score"] for row in rows if row["subject"] == "benchmark"}
    assert scores == {"b": repr(1 / 3), "b2": ""}


# -- colour and progress --------------------------------------------------------------------


def test_colour_only_on_a_terminal_without_no_color() -> None:
    terminal, pipe = FakeTerminal(), io.StringIO()
    assert is_terminal(terminal)
    assert not is_terminal(pipe)
    assert not is_terminal(object())
    assert colour_enabled(terminal, {})
    assert not colour_enabled(pipe, {})
    assert not colour_enabled(terminal, {"NO_COLOR": "1"})
    assert colour_enabled(terminal, {"NO_COLOR": ""})  # no-color.org: only a non-empty value counts
    assert not colour_enabled(terminal, {"TERM": "dumb"})


def test_progress_only_on_terminals_and_never_in_ci() -> None:
    terminal, pipe = FakeTerminal(), io.StringIO()
    assert progress_enabled(terminal, terminal, {})
    assert not progress_enabled(terminal, terminal, {"CI": "true"})
    assert not progress_enabled(pipe, terminal, {})
    assert not progress_enabled(terminal, pipe, {})
    assert not progress_enabled(terminal, terminal, {"TERM": "dumb"})


def test_progress_when_piped_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    with progress(out, err, "Validating") as status:
        status.update("still validating")
    assert (out.getvalue(), err.getvalue()) == ("", "")


def test_coloured_output_treats_dataset_text_as_text() -> None:
    stream = FakeTerminal()
    write_lines(stream, [[("[bold]not markup[/bold] :smile:", "red")]], colour=True)
    text = stream.getvalue()
    assert "\x1b[" in text
    assert "[bold]not markup[/bold] :smile:" in text


def test_a_console_without_ansi_codes_is_driven_through_rich(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def legacy(stream: Any, *, colour: bool, width: int | None = None) -> Console:
        return Console(file=stream, legacy_windows=True, force_terminal=True, markup=False)

    monkeypatch.setattr(benchmarkkit._cli._common, "make_console", legacy)
    stream = FakeTerminal()
    write_lines(stream, [[("a", "bold"), (" [b]", None)], [("c", None)]], colour=True)
    assert plain_text([[("x", None)]]) == "x\n"
    assert "[b]" in stream.getvalue()
    assert stream.getvalue().endswith("c\n")


def test_text_a_stream_cannot_encode_is_escaped_not_an_error() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    write_text(stream, "Almaty \u2013 Zhanaozen\n")
    assert raw.getvalue() == b"Almaty \\u2013 Zhanaozen\n"


# -- start-up weight --------------------------------------------------------------------------


def _top_level_imports(*path: str) -> set[str]:
    tree = ast.parse(ROOT.joinpath("src", "benchmarkkit", *path).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    return imported


def test_cli_module_imports_only_the_standard_library_and_the_version() -> None:
    assert _top_level_imports("cli.py") == {
        "__future__",
        "argparse",
        "importlib",
        "os",
        "sys",
        "collections.abc",
        "benchmarkkit._cli",
        "benchmarkkit._cli._parser",
        "benchmarkkit._cli._process",
    }
    # What the command does to its process (the collector) needs only the standard library.
    assert _top_level_imports("_cli", "_process.py") == {
        "__future__",
        "atexit",
        "gc",
        "collections.abc",
        "contextlib",
    }
    assert _top_level_imports("_cli", "_parser.py") == {
        "__future__",
        "argparse",
        "benchmarkkit._version",
    }
    package = ast.parse(
        (ROOT / "src" / "benchmarkkit" / "_cli" / "__init__.py").read_text(encoding="utf-8")
    )
    imports = [node for node in package.body if isinstance(node, ast.Import | ast.ImportFrom)]
    assert [getattr(node, "module", None) for node in imports] == ["__future__"]


def test_a_change_too_small_for_two_decimals_is_shown_with_more() -> None:
    from benchmarkkit.reports._words import change_texts

    assert change_texts(1 / 3, 0.33) == ("0.333", "0.330")
    assert change_texts(0.5, 0.5) == ("0.50", "0.50")
    assert change_texts(None, 0.25) == ("not assessable", "0.25")
    assert change_texts(0.1, 0.9) == ("0.10", "0.90")
