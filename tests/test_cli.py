"""The command line, driven in-process through ``main([...])``: output and exit status."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import benchmarkkit._cli.validate
import benchmarkkit._plugins
from benchmarkkit import __version__, validate
from benchmarkkit._schema import OTHER_SCHEMA_NAMES, SCHEMA_NAMES, schema_text
from benchmarkkit.cli import build_parser, main
from benchmarkkit.scoring import RuleOutcome, register_rule
from benchmarkkit.scoring._registry import RULES
from tests.conftest import EXAMPLE, FIXTURES, ROOT

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
EXPECTED: dict[str, list[str]] = yaml.safe_load((INVALID / "EXPECTED.yaml").read_text())
REPORT_SCHEMA = json.loads(
    (ROOT / "src" / "benchmarkkit" / "schemas" / "validation-report.schema.json").read_text()
)
# ::error file=F,line=L,col=C,title=T::message, every property value escaped.
GITHUB_COMMAND = re.compile(
    r"^::(error|warning|notice) (file=[^,:\r\n]+(,line=\d+(,col=\d+)?)?,)?"
    r"title=[^,:\r\n]+::[^\r\n]+$"
)


def _dataset(**collections: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"schema_version": "1.0", "id": "d", "title": "A test dataset"}
    document.update(collections)
    return document


def _write_yaml(path: Path, document: Any) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _many_problems(tmp_path: Path, count: int = 300) -> Path:
    """A dataset with ``count`` unverifiable quotes (warnings) and ``count`` dangling references."""
    evidence = [
        {
            "id": f"ev-{number}",
            "source": "unarchived",
            "date": "2012-03-20",
            "benchmarks": ["bm-1", "bm-missing"],
            "direction": "mixed",
            "summary": "Something happened.",
            "quote": f"words number {number}",
        }
        for number in range(count)
    ]
    return _write_yaml(
        tmp_path / "many.yaml",
        _dataset(
            sources=[{"id": "unarchived", "title": "A report", "kind": "report"}],
            areas=[{"id": "a", "title": "An area"}],
            benchmarks=[
                {"id": "bm-1", "title": "B", "statement": "S", "area": "a", "type": "outcome"}
            ],
            evidence=evidence,
        ),
    )


def _warnings_only(tmp_path: Path) -> Path:
    return _write_yaml(
        tmp_path / "warnings.yaml",
        _dataset(
            sources=[{"id": "s", "title": "A report", "kind": "report"}],
            areas=[{"id": "a", "title": "An area"}],
            benchmarks=[
                {"id": "b", "title": "B", "statement": "S", "area": "a", "type": "outcome"}
            ],
            evidence=[
                {
                    "id": f"e{n}",
                    "source": "s",
                    "date": "2012",
                    "benchmarks": ["b"],
                    "direction": "mixed",
                    "summary": "S",
                    "quote": "Q",
                }
                for n in range(3)
            ],
        ),
    )


def _report_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        REPORT_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _check_report(text: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(text)
    errors = sorted(_report_validator().iter_errors(report), key=str)
    assert [error.message for error in errors] == []
    return report


# -- the command ---------------------------------------------------------------------------


def test_version_names_the_package_version(cli: Any) -> None:
    result = cli("--version")
    assert (result.status, result.out) == (0, f"benchmarkkit {__version__}\n")


@pytest.mark.parametrize("command", [[], ["validate"], ["score"], ["report"], ["schema"], ["init"]])
def test_every_command_has_help(cli: Any, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.status == 0
    assert result.out.startswith("usage: benchmarkkit")
    if command in ([], ["validate"]):
        assert "exit status:" in result.out


def test_no_command_is_a_usage_error(cli: Any) -> None:
    result = cli()
    assert result.status == 2
    assert "usage: benchmarkkit" in result.err
    assert "required: COMMAND" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["validate"],
        ["validate", "x.yaml", "--format", "xml"],
        ["validate", "x.yaml", "--max-problems", "0"],
        ["validate", "x.yaml", "--max-problems", "many"],
        ["score", "x", "--format", "pdf"],
        ["report", "x"],
    ],
)
def test_bad_arguments_exit_2_with_usage(cli: Any, args: list[str]) -> None:
    result = cli(*args)
    assert result.status == 2
    assert "usage:" in result.err
    assert "error:" in result.err


# -- validate: exit statuses ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["minimal.yaml", "folder"])
def test_valid_dataset_exits_0(cli: Any, name: str) -> None:
    result = cli("validate", VALID / name)
    assert result.status == 0
    assert result.out == f"{VALID / name}: valid, no problems\n"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example dataset is not written yet")
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_kazakhstan_example_is_valid(cli: Any, fmt: str) -> None:
    result = cli("validate", EXAMPLE, "--format", fmt, "--strict")
    assert result.status == 0, result.out
    if fmt == "json":
        assert _check_report(result.out)["valid"] is True
    if fmt == "github":
        # The example's two info notes are notices; nothing is an error or a warning.
        annotations = [line for line in result.out.splitlines() if line.startswith("::")]
        assert [line.split(" ", 1)[0] for line in annotations] == ["::notice"] * 2


def test_missing_path_could_not_run(cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "datset.yaml"
    result = cli("validate", missing)
    assert result.status == 2
    assert f"{missing}: path-not-found '{missing}' does not exist" in result.out
    assert "could not be validated" in result.out


def test_directory_without_dataset_could_not_run(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not data")
    result = cli("validate", tmp_path)
    assert result.status == 2
    assert "not-a-dataset" in result.out


def test_a_file_that_is_not_utf8_is_a_located_problem_with_the_fix(cli: Any) -> None:
    """The file was read; what it holds is wrong: exit 1, like a syntax error, not 2."""
    result = cli("validate", INVALID / "not-utf8.yaml")
    assert result.status == 1
    first, hint = result.out.splitlines()[:2]
    assert re.match(re.escape(str(INVALID / "not-utf8.yaml")) + r":\d+:\d+: not-utf8 ", first)
    assert "the file is not UTF-8 text: byte 0x" in first
    assert "it may be Windows-1252 or Latin-1" in first
    assert "iconv -f WINDOWS-1252 -t UTF-8" in hint


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize(
    ("encoding", "guess"),
    [("utf-16", "it looks like UTF-16"), ("cp1252", "it may be Windows-1252 or Latin-1")],
)
def test_a_fragment_in_another_encoding_leaves_the_rest_checked(
    cli: Any, tmp_path: Path, fmt: str, encoding: str, guess: str
) -> None:
    """One fragment saved in another encoding: a problem there, the other files still checked."""
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    actors = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))
    actors["actors"][0]["name"] = "Société Générale d'Été"
    (folder / "actors.yaml").unlink()
    text = (
        json.dumps(actors, ensure_ascii=False)
        if fmt == "json"
        else yaml.safe_dump(actors, allow_unicode=True)
    )
    (folder / f"actors.{fmt}").write_bytes(text.encode(encoding))
    evidence = folder / "evidence.yaml"
    evidence.write_text(
        evidence.read_text(encoding="utf-8").replace(
            "direction: progress", "direction: progres", 1
        ),
        encoding="utf-8",
    )
    result = cli("validate", folder)
    assert result.status == 1, result.out
    codes = re.findall(r"^\S+:\d+:\d+: ([a-z0-9-]+) ", result.out, flags=re.MULTILINE)
    assert codes == ["not-utf8", "invalid-value"]  # no false unknown-reference to its actors
    assert guess in result.out
    assert result.out.rstrip().endswith("invalid: 2 errors, 0 warnings")


@pytest.mark.parametrize(
    ("name", "code", "position"),
    [("syntax.json", "json-syntax", r":\d+:\d+: "), ("syntax.yaml", "yaml-syntax", r":\d+:\d+: ")],
)
def test_malformed_file_is_an_invalid_dataset(
    cli: Any, name: str, code: str, position: str
) -> None:
    result = cli("validate", INVALID / name)
    assert result.status == 1
    first = result.out.splitlines()[0]
    assert re.match(re.escape(str(INVALID / name)) + position + code + " ", first), first
    assert result.out.splitlines()[1].startswith("    hint: ")


@pytest.mark.parametrize(("name", "codes"), sorted(EXPECTED.items()))
def test_every_invalid_fixture_is_reported_in_json_with_its_codes(
    cli: Any, name: str, codes: list[str]
) -> None:
    result = cli("validate", "--format", "json", INVALID / name)
    report = _check_report(result.out)
    [dataset] = report["datasets"]
    assert sorted(problem["code"] for problem in dataset["problems"]) == sorted(codes)
    assert result.status == (2 if "file-unreadable" in codes else 1)
    assert report["valid"] is False


def test_exit_status_is_the_worst_of_all_paths(cli: Any, tmp_path: Path) -> None:
    assert cli("validate", VALID / "minimal.yaml", INVALID / "syntax.json").status == 1
    result = cli("validate", VALID / "minimal.yaml", INVALID / "syntax.json", tmp_path / "nope")
    assert result.status == 2
    assert result.out.splitlines()[-1] == "3 datasets: 1 valid, 2 not"


def test_a_path_given_twice_is_validated_once(cli: Any) -> None:
    result = cli("validate", "--format", "json", VALID / "minimal.yaml", VALID / "minimal.yaml")
    assert len(json.loads(result.out)["datasets"]) == 1


def test_warnings_pass_unless_strict(cli: Any, tmp_path: Path) -> None:
    path = _warnings_only(tmp_path)
    lenient = cli("validate", path)
    assert lenient.status == 0
    assert lenient.out.splitlines()[-1] == f"{path}: valid, with 0 errors, 3 warnings"
    strict = cli("validate", "--strict", path)
    assert strict.status == 1
    assert strict.out.splitlines()[-1] == f"{path}: invalid (strict): 0 errors, 3 warnings"
    report = _check_report(cli("validate", "--strict", "--format", "json", path).out)
    assert (report["strict"], report["valid"], report["counts"]["warning"]) == (True, False, 3)


# -- validate: text output ------------------------------------------------------------------


def test_text_lines_are_file_line_column_code_message_then_hint(cli: Any) -> None:
    result = cli("validate", INVALID / "schema-errors.yaml")
    lines = result.out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")][:-1]
    assert len(heads) == 8
    for line in heads:
        assert re.match(r"^\S+schema-errors\.yaml:\d+:\d+: [a-z-]+ \S", line), line
    numbers = [tuple(int(n) for n in line.split(":")[1:3]) for line in heads]
    assert numbers == sorted(numbers)
    assert all(line.startswith("    hint: ") for line in lines if line.startswith(" "))


def test_repeated_problems_are_grouped_with_their_places(cli: Any, tmp_path: Path) -> None:
    path = _many_problems(tmp_path, count=300)
    result = cli("validate", path)
    assert result.status == 1
    lines = result.out.splitlines()
    heads = [line for line in lines if not line.startswith(" ")]
    assert len(heads) == 3  # the dangling references, the unverifiable quotes, the verdict
    assert (
        "unknown-reference evidence 'ev-0': 'benchmarks' refers to benchmark 'bm-missing'"
        in heads[0]
    )
    assert "quote-unverifiable evidence 'ev-0': the quote cannot be verified" in heads[1]
    assert heads[1].endswith("(warning)")
    assert lines.count("    the same problem at 299 more places:") == 2
    places = [line for line in lines if line.startswith("      ")]
    assert len(places) == 2 * 299
    assert re.match(r"^      \S+many\.yaml:\d+:\d+ \(evidence 'ev-1'\)$", places[0]), places[0]
    assert heads[2] == f"{path}: invalid: 300 errors, 300 warnings"


def test_max_problems_bounds_the_output_and_says_how_many_were_left_out(
    cli: Any, tmp_path: Path
) -> None:
    path = _many_problems(tmp_path, count=30)
    result = cli("validate", "--max-problems", "5", path)
    places = [line for line in result.out.splitlines() if line.startswith("      ")]
    assert len(result.out.splitlines()) < 15
    assert len(places) == 3  # five problems shown: two groups sharing them
    assert result.out.splitlines()[-1].endswith(
        "55 more problems not shown (raise --max-problems to see them)"
    )
    report = _check_report(cli("validate", "--max-problems", "5", "--format", "json", path).out)
    assert len(report["datasets"][0]["problems"]) == 5
    assert report["problems_omitted"] == report["datasets"][0]["problems_omitted"] == 55
    assert report["counts"] == {"error": 30, "warning": 30, "info": 0}
    github = cli("validate", "--max-problems", "5", "--format", "github", path).out
    assert len([line for line in github.splitlines() if line.startswith("::")]) == 5


def test_max_problems_counts_over_every_dataset(cli: Any, tmp_path: Path) -> None:
    path = _many_problems(tmp_path, count=3)
    result = cli(
        "validate", "--max-problems", "4", "--format", "json", path, INVALID / "dates.yaml"
    )
    report = _check_report(result.out)
    assert [len(d["problems"]) for d in report["datasets"]] == [4, 0]
    assert [d["problems_omitted"] for d in report["datasets"]] == [2, 3]


# -- validate: JSON report ------------------------------------------------------------------


def test_json_report_has_the_documented_envelope(cli: Any) -> None:
    report = _check_report(cli("validate", "--format", "json", VALID / "folder").out)
    assert report["report_format_version"] == "1.1"  # 1.1 added a problem's place in a table
    assert report["tool"] == {"name": "benchmarkkit", "version": __version__}
    [dataset] = report["datasets"]
    assert dataset["path"] == str(VALID / "folder")
    assert dataset["schema_version"] == "1.0"
    assert dataset["files"][0] == str(VALID / "folder" / "dataset.yaml")
    assert (dataset["valid"], dataset["problems"], dataset["counts"]) == (
        True,
        [],
        {"error": 0, "warning": 0, "info": 0},
    )


def test_json_problem_carries_pointer_position_value_and_hint(cli: Any) -> None:
    report = _check_report(cli("validate", "--format", "json", INVALID / "schema-errors.yaml").out)
    problems = {p["code"]: p for p in report["datasets"][0]["problems"]}
    unknown = problems["unknown-field"]
    assert unknown["pointer"] == "/actors/0/nmae"
    assert (unknown["line"], unknown["column"]) == (8, 5)
    assert unknown["value"] == "nmae"
    assert unknown["hint"].startswith("Check the spelling")
    assert problems["invalid-format"]["value"] == "20 March 2012"
    assert problems["invalid-format"]["value_truncated"] is False


def test_json_report_cuts_long_values_and_summarises_big_ones(cli: Any, tmp_path: Path) -> None:
    long_quote = "word " * 100
    path = _write_yaml(
        tmp_path / "long.yaml",
        _dataset(
            sources=[{"id": "s", "title": "S", "kind": "report"}],
            areas=[{"id": "a", "title": "A"}],
            benchmarks=[
                {"id": "b", "title": "B", "statement": "S", "area": "a", "type": "outcome"}
            ],
            evidence=[
                {
                    "id": "e",
                    "source": "s",
                    "date": "2012",
                    "benchmarks": ["b"],
                    "direction": "mixed",
                    "summary": "S",
                    "quote": long_quote,
                }
            ],
            actors={"id": "x", "name": "n" * 300, "kind": "ngo"},
        ),
    )
    report = _check_report(cli("validate", "--format", "json", path).out)
    problems = {p["code"]: p for p in report["datasets"][0]["problems"]}
    quote = problems["quote-unverifiable"]
    assert quote["value"] == long_quote[:200] + "..."
    assert quote["value_truncated"] is True
    wrong_type = problems["wrong-type"]
    assert (wrong_type["value"], wrong_type["value_truncated"]) == ("a mapping with 3 keys", True)


def test_json_report_of_a_missing_path_is_valid_against_its_schema(
    cli: Any, tmp_path: Path
) -> None:
    result = cli("validate", "--format", "json", tmp_path / "nope.yaml")
    report = _check_report(result.out)
    assert result.status == 2
    assert report["datasets"][0]["schema_version"] is None
    assert report["datasets"][0]["problems"][0]["code"] == "path-not-found"


def test_report_schema_is_a_documented_closed_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    assert (
        REPORT_SCHEMA["$id"] == "https://schemas.benchmarkkit.org/1.1/validation-report.schema.json"
    )

    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if node.get("type") == "object":
                if node.get("additionalProperties") is not False:
                    yield f"{where}: additionalProperties is not false"
                for name, prop in node.get("properties", {}).items():
                    if not prop.get("description"):
                        yield f"{where}/properties/{name}: no description"
            for key, value in node.items():
                yield from walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from walk(value, f"{where}/{index}")

    assert list(walk(REPORT_SCHEMA, "#")) == []


# -- validate: GitHub annotations -----------------------------------------------------------


def test_github_format_is_workflow_commands_then_a_summary(cli: Any, tmp_path: Path) -> None:
    result = cli(
        "validate", "--format", "github", INVALID / "references.yaml", _warnings_only(tmp_path)
    )
    lines = result.out.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 6 + 3
    for line in commands:
        assert GITHUB_COMMAND.match(line), line
    assert lines[0].startswith(f"::error file={INVALID / 'references.yaml'},line=")
    assert ",title=unknown-reference::" in result.out
    assert "%0AFix: " in result.out
    assert sum(line.startswith("::warning ") for line in commands) == 3
    assert [line for line in lines if not line.startswith("::")] == [
        f"benchmarkkit: {INVALID / 'references.yaml'}: invalid: 6 errors, 0 warnings",
        f"benchmarkkit: {tmp_path / 'warnings.yaml'}: valid, with 0 errors, 3 warnings",
    ]
    assert result.status == 1


# -- validate: plugins ---------------------------------------------------------------------


def raising_check(dataset: object, context: object) -> list[object]:
    """A check plugin with a bug."""
    raise KeyError("boom")


def test_a_check_plugin_that_raises_is_a_problem_naming_it(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = EntryPoint(
        name="broken-check", value="tests.test_cli:raising_check", group="benchmarkkit.checks"
    )
    monkeypatch.setattr(benchmarkkit._plugins, "entry_points", lambda group: [broken])
    monkeypatch.setattr(benchmarkkit._plugins, "may_be_installed", lambda group: True)
    result = cli("validate", "--format", "json", VALID / "minimal.yaml")
    report = _check_report(result.out)
    [problem] = report["datasets"][0]["problems"]
    assert (problem["code"], problem["plugin"]) == ("plugin-failed", "broken-check")
    assert "KeyError" in problem["message"]
    assert result.status == 1
    assert cli("validate", "--no-plugins", VALID / "minimal.yaml").status == 0


# -- failures that are not the dataset's --------------------------------------------------


def test_an_unexpected_failure_is_a_short_message_and_status_2(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(benchmarkkit._cli.validate, "validate", explode)
    monkeypatch.delenv("BENCHMARKKIT_DEBUG", raising=False)
    result = cli("validate", VALID / "minimal.yaml")
    assert result.status == 2
    assert result.err.startswith(
        "benchmarkkit validate: unexpected failure (RuntimeError: something broke).\n"
    )
    assert len(result.err.splitlines()) == 2


def test_debug_variable_shows_the_traceback_of_an_unexpected_failure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something broke")

    monkeypatch.setattr(benchmarkkit._cli.validate, "validate", explode)
    monkeypatch.setenv("BENCHMARKKIT_DEBUG", "1")
    assert main(["validate", str(VALID / "minimal.yaml")]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_interrupt_exits_130_quietly(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(benchmarkkit._cli.validate, "validate", interrupt)
    result = cli("validate", VALID / "minimal.yaml")
    assert (result.status, result.err) == (130, "benchmarkkit: interrupted\n")


def test_a_reader_that_goes_away_ends_the_command_quietly(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(benchmarkkit._cli.validate, "write_lines", gone)
    result = cli("validate", VALID / "minimal.yaml")
    assert (result.status, result.err) == (2, "")


def _broken_inputs(folder: Path) -> list[Path]:
    """Files and folders that are broken in every way we can think of."""
    made = {
        "empty.yaml": b"",
        "empty.json": b"",
        "null.yaml": b"null\n",
        "list.yaml": b"- a\n- b\n",
        "number.json": b"42",
        "string.json": b'"dataset"',
        "binary.yaml": bytes(range(256)),
        "bom.json": b"\xef\xbb\xbf{",
        "nul.yaml": b"id: \x00\n",
        "tabs.yaml": b"id:\n\t- x\n",
        "huge-int.json": b'{"schema_version": "1.0", "id": "x", "title": "t", "areas": '
        + b"[" * 5
        + b"1" * 5000
        + b"]" * 5
        + b"}",
        "nan.json": b'{"schema_version": "1.0", "id": "x", "title": NaN}',
        "surrogate.json": b'{"schema_version": "1.0", "id": "\\ud800", "title": "t"}',
        "version.yaml": b'schema_version: "9.9"\nid: x\ntitle: t\n',
        "version-type.yaml": b"schema_version: [1]\nid: x\ntitle: t\n",
        "gates.yaml": b'schema_version: "1.0"\nid: x\ntitle: t\ngates: [{id: g, title: G, '
        b"condition: {kind: nope}}]\n",
        "scoring.yaml": b'schema_version: "1.0"\nid: x\ntitle: t\nscoring: {benchmark_rules: '
        b"[{rule: no-such-rule}], met_threshold: 2}\n",
    }
    paths = []
    for name, data in made.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    (folder / "dir.yaml").mkdir()
    paths.append(folder / "dir.yaml")
    manifest_only = folder / "two-manifests"
    manifest_only.mkdir()
    (manifest_only / "dataset.yaml").write_text('schema_version: "1.0"\nid: x\ntitle: t\n')
    (manifest_only / "dataset.json").write_text("{}")
    paths.append(manifest_only)
    bad_fragment = folder / "bad-fragment"
    bad_fragment.mkdir()
    (bad_fragment / "dataset.yaml").write_text('schema_version: "1.0"\nid: x\ntitle: t\n')
    (bad_fragment / "more.json").write_bytes(b"[1, 2")
    (bad_fragment / "other.yaml").write_bytes(b"schema_version: 1.0\n")
    paths.append(bad_fragment)
    return paths


def test_no_broken_input_produces_a_traceback(cli: Any, tmp_path: Path) -> None:
    broken = [
        *sorted(p for p in INVALID.iterdir() if p.name != "EXPECTED.yaml"),
        *_broken_inputs(tmp_path),
    ]
    for path in broken:
        for args in (
            ["validate", path],
            ["validate", "--format", "json", path],
            ["validate", "--format", "github", "--strict", path],
            ["score", path],
            ["score", "--format", "json", "--compare", "2000-01-01", path],
            ["report", path, "-o", tmp_path / "report.md"],
        ):
            result = cli(*args)
            assert result.status in (1, 2), (args, result)
            assert "unexpected failure" not in result.err, (args, result.err)
            if args[:3] == ["validate", "--format", "json"]:
                _check_report(result.out)


# -- score ----------------------------------------------------------------------------------


@pytest.fixture
def scaffold(tmp_path: Path, cli: Any) -> Path:
    """A fresh dataset made by ``benchmarkkit init``: valid, with a gate and a custom scale."""
    target = tmp_path / "my-benchmarks"
    assert cli("init", target).status == 0
    return target


def test_score_prints_a_table_of_areas_benchmarks_and_gates(cli: Any, scaffold: Path) -> None:
    result = cli("score", scaffold, "--as-of", "2024-01-31")
    assert result.status == 0, result.err
    assert "Benchmarks for human rights improvements in Examplia (as of 2024-01-31" in result.out
    for text in ("Peaceful assembly", "Media freedom", "bm-assembly-law", "Overall", "Gate "):
        assert text in result.out
    assert "\x1b[" not in result.out  # no colour when the output is not a terminal


def test_score_explain_shows_how_each_score_was_reached(cli: Any, scaffold: Path) -> None:
    result = cli("score", scaffold, "--as-of", "2024-01-31", "--explain")
    assert "Assembly law adopted (bm-assembly-law):" in result.out


def test_score_as_json_csv_and_markdown(cli: Any, scaffold: Path) -> None:
    as_json = json.loads(cli("score", scaffold, "--as-of", "2024-01-31", "--format", "json").out)
    assert as_json["as_of"] == "2024-01-31"
    assert [b["benchmark_id"] for b in as_json["benchmarks"]] == [
        "bm-assembly-law",
        "bm-journalists-released",
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(cli("score", scaffold, "--as-of", "2024-01-31", "-f", "csv").out)
        )
    )
    assert [row["subject"] for row in rows] == [
        "overall",
        "area",
        "area",
        "benchmark",
        "benchmark",
        "gate",
    ]
    assert rows[3]["score"] == "0.0"
    assert rows[3]["status"] == "not-implemented"
    assert rows[5]["verdict"] == "fail"
    markdown = cli("score", scaffold, "--as-of", "2024-01-31", "--format", "markdown").out
    assert markdown.startswith("# Benchmarks for human rights improvements in Examplia\n")
    assert (
        "| Assembly law adopted (`bm-assembly-law`) | Peaceful assembly | 0.00 | no |" in markdown
    )


def test_score_before_the_first_record_is_not_assessable_not_zero(cli: Any, scaffold: Path) -> None:
    as_json = json.loads(cli("score", scaffold, "--as-of", "2000-01-01", "--format", "json").out)
    assert as_json["overall"]["score"] is None


def test_score_compare_shows_change_between_two_dates(cli: Any, scaffold: Path) -> None:
    table = cli("score", scaffold, "--as-of", "2024-01-31", "--compare", "2023-01-01")
    assert table.status == 0
    assert "(from 2023-01-01 to 2024-01-31)" in table.out
    assert "new" in table.out
    swapped = json.loads(
        cli("score", scaffold, "--as-of", "2023-01-01", "--compare", "2024-01-31", "-f", "json").out
    )
    assert (swapped["before"], swapped["after"]) == ("2023-01-01", "2024-01-31")
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli(
                    "score",
                    scaffold,
                    "--compare",
                    "2023-01-01",
                    "--as-of",
                    "2024-01-31",
                    "-f",
                    "csv",
                ).out
            )
        )
    )
    assert {row["change"] for row in rows} <= {
        "improved",
        "regressed",
        "unchanged",
        "new",
        "no-longer-assessable",
    }
    markdown = cli(
        "score", scaffold, "--compare", "2023-01-01", "--as-of", "2024-01-31", "-f", "markdown"
    ).out
    assert "Change from **2023-01-01** to **2024-01-31**" in markdown


def test_score_writes_to_a_file(cli: Any, scaffold: Path, tmp_path: Path) -> None:
    for fmt, name in (
        ("json", "s.json"),
        ("csv", "s.csv"),
        ("markdown", "s.md"),
        ("table", "s.txt"),
    ):
        result = cli("score", scaffold, "--as-of", "2024-01-31", "-f", fmt, "-o", tmp_path / name)
        assert (result.status, result.out) == (0, "")
        assert (tmp_path / name).read_text(encoding="utf-8").strip()


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example dataset is not written yet")
def test_score_the_kazakhstan_example(cli: Any) -> None:
    result = cli("score", EXAMPLE, "--as-of", "2012-03-20")
    assert result.status == 0, result.err
    assert "Freedom of religion" in result.out


@pytest.mark.parametrize("rule", ["no-such-rule", "status_mapping"])
def test_unknown_rule_name_could_not_run(cli: Any, scaffold: Path, rule: str) -> None:
    result = cli("score", scaffold, "--rule", rule)
    assert result.status == 2
    assert result.err.startswith(f"benchmarkkit score: error: no scoring rule is called '{rule}'")
    assert "status-mapping" in result.err


def test_a_registered_rule_can_be_chosen_and_rules_can_be_listed(cli: Any, scaffold: Path) -> None:
    listing = cli("score", "--list-rules")
    assert listing.status == 0
    assert re.search(r"^status-mapping\s+\S", listing.out, re.MULTILINE)
    result = cli(
        "score", scaffold, "--as-of", "2024-01-31", "--rule", "evidence-based", "-f", "json"
    )
    assert result.status == 0
    assert {b["rule"] for b in json.loads(result.out)["benchmarks"]} <= {"evidence-based", None}


@pytest.mark.parametrize(
    "date",
    ["2012-02-30", "2012-13-01", "20 March 2012", "2012", "20120320", "2012-W12-2", "yesterday"],
)
def test_invalid_date_could_not_run(cli: Any, scaffold: Path, date: str) -> None:
    for option in ("--as-of", "--compare"):
        result = cli("score", scaffold, option, date)
        assert result.status == 2
        assert f"argument {option}: '{date}' is not a date: write it as YYYY-MM-DD" in result.err


def test_score_of_a_dataset_with_errors_shows_them_and_exits_1(cli: Any) -> None:
    result = cli("score", INVALID / "references.yaml")
    assert result.status == 1
    assert "unknown-reference" in result.err
    assert result.err.splitlines()[-1].startswith("benchmarkkit score: error: ")
    assert result.out == ""


def test_score_of_a_missing_path_could_not_run(cli: Any, tmp_path: Path) -> None:
    result = cli("score", tmp_path / "nope")
    assert result.status == 2
    assert "path-not-found" in result.err
    assert cli("score").status == 2  # no path at all


def test_score_of_a_dataset_with_warnings_notes_them(cli: Any, tmp_path: Path) -> None:
    path = _warnings_only(tmp_path)
    result = cli("score", path, "--as-of", "2012-12-31")
    assert result.status == 0
    assert result.err == (
        f"note: {path} has 3 warnings; 'benchmarkkit validate {path}' lists them\n"
    )


@pytest.fixture
def raising_rule() -> Iterator[str]:
    name = "cli-test-raises"

    @register_rule(name, replace=True)
    def raises(benchmark: object, context: object, parameters: object) -> RuleOutcome:
        """Always raises."""
        raise ZeroDivisionError("a bug in the rule")

    yield name
    RULES.unregister(name)


def test_a_scoring_rule_that_raises_is_reported_naming_it(
    cli: Any, scaffold: Path, raising_rule: str
) -> None:
    result = cli("score", scaffold, "--as-of", "2024-01-31", "--rule", raising_rule)
    assert result.status == 1
    assert "Overall" in result.out  # the scorecard is still printed
    # Registered by a script, not installed by a package: a rule, never "a plugin".
    assert f"error: rule-failed the rule '{raising_rule}' (registered by " in result.err
    assert "ZeroDivisionError: a bug in the rule" in result.err
    [error_line] = [line for line in result.err.splitlines() if "error: rule-failed" in line]
    assert "plugin" not in error_line
    report = cli("report", scaffold, "--as-of", "2024-01-31", "--rule", raising_rule, "-o", "-")
    assert report.status == 1
    assert "\n## Problems while scoring\n\n- `rule-failed`: the rule" in report.out


# -- report ---------------------------------------------------------------------------------


def test_report_writes_markdown(cli: Any, scaffold: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = cli("report", scaffold, "--as-of", "2024-01-31", "-o", target)
    assert (result.status, result.out) == (0, f"wrote {target}\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks for human rights improvements in Examplia\n")
    assert "## Gates" in text
    assert "## How each score was reached" in text


def test_report_with_compare_adds_the_changes(cli: Any, scaffold: Path) -> None:
    result = cli("report", scaffold, "--as-of", "2024-01-31", "--compare", "2023-06-01", "-o", "-")
    assert result.status == 0
    assert "\n## Change from 2023-06-01 to 2024-01-31\n" in result.out
    assert "\n### What changed\n" in result.out


@pytest.mark.parametrize(
    ("name", "message"),
    [("report.pdf", "ending in .md")],
)
def test_report_to_an_unknown_format_could_not_run(
    cli: Any, scaffold: Path, tmp_path: Path, name: str, message: str
) -> None:
    result = cli("report", scaffold, "-o", tmp_path / name)
    assert result.status == 2
    assert message in result.err
    assert not (tmp_path / name).exists()


def test_report_to_an_unwritable_place_could_not_run(
    cli: Any, scaffold: Path, tmp_path: Path
) -> None:
    result = cli("report", scaffold, "-o", tmp_path / "no" / "such" / "folder" / "r.md")
    assert result.status == 2
    assert result.err.startswith("benchmarkkit report: error: cannot write")


# -- schema ---------------------------------------------------------------------------------


def test_schema_prints_the_dataset_schema(cli: Any) -> None:
    result = cli("schema")
    assert result.status == 0
    assert result.out.rstrip("\n") == schema_text("dataset").rstrip("\n")
    assert json.loads(cli("schema", "fragment").out)["$id"].endswith("/fragment.schema.json")


def test_schema_lists_the_names(cli: Any) -> None:
    result = cli("schema", "--list")
    assert [line.split()[0] for line in result.out.splitlines()] == [
        *SCHEMA_NAMES,
        *OTHER_SCHEMA_NAMES,
    ]


def test_schema_writes_every_file_into_a_folder(cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "schemas"
    result = cli("schema", "--output", target)
    assert result.status == 0
    # The newest files at the top; every format version's in its own folder
    # (tests/test_format_versions.py checks those).
    assert sorted(p.name for p in target.iterdir() if p.is_file()) == sorted(
        f"{n}.schema.json" for n in (*SCHEMA_NAMES, *OTHER_SCHEMA_NAMES)
    )
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == ["1.0", "1.1"]
    for name in SCHEMA_NAMES:
        assert (target / f"{name}.schema.json").read_text(encoding="utf-8") == schema_text(name)
    one = tmp_path / "one"
    assert cli("schema", "definitions", "-o", one).status == 0
    assert [p.name for p in one.iterdir()] == ["definitions.schema.json"]


def test_unknown_schema_name_could_not_run(cli: Any) -> None:
    result = cli("schema", "datset")
    assert result.status == 2
    assert "no schema is called 'datset'" in result.err


def test_schema_into_a_file_instead_of_a_folder_could_not_run(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = cli("schema", "-o", tmp_path / "file")
    assert result.status == 2
    assert "cannot write into" in result.err


# -- init -----------------------------------------------------------------------------------


def test_init_creates_a_dataset_that_validates_without_any_problem(
    cli: Any, scaffold: Path
) -> None:
    report = validate(scaffold)
    assert [str(problem) for problem in report.problems] == []
    assert cli("validate", "--strict", scaffold).status == 0
    manifest = (scaffold / "dataset.yaml").read_text(encoding="utf-8")
    assert "\nid: my-benchmarks\n" in manifest
    assert sum(line.lstrip().startswith("#") for line in manifest.splitlines()) >= 20
    assert (scaffold / "sources" / "example-appeal.txt").is_file()


def test_init_names_the_dataset_after_a_usable_folder_name(cli: Any, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "Über Daten!").status == 0
    assert "\nid: ber-daten\n" in (tmp_path / "Über Daten!" / "dataset.yaml").read_text()
    assert cli("init", tmp_path / "...").status == 0
    assert "\nid: my-dataset\n" in (tmp_path / "..." / "dataset.yaml").read_text()


@pytest.mark.parametrize("name", ["2024", "null", "true", "1e3", "0x1F"])
def test_init_quotes_an_id_that_yaml_would_read_as_a_number_or_nothing(
    cli: Any, tmp_path: Path, name: str
) -> None:
    assert cli("init", tmp_path / name).status == 0
    assert f'\nid: "{name.lower()}"\n' in (tmp_path / name / "dataset.yaml").read_text()
    assert not validate(tmp_path / name).problems


def test_init_where_the_system_refuses_says_so(cli: Any, tmp_path: Path) -> None:
    result = cli("init", tmp_path / ("b" * 300))
    assert result.status == 2
    assert "cannot create" in result.err
    assert "unexpected" not in result.err


def test_init_into_an_empty_folder_works_and_never_overwrites(cli: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    first = cli("init", empty)
    assert first.status == 0
    assert first.out.startswith(f"Created a new dataset in {empty}:\n")
    before = (empty / "dataset.yaml").read_text()
    again = cli("init", empty)
    assert again.status == 2
    assert "already exists and is not an empty folder" in again.err
    assert (empty / "dataset.yaml").read_text() == before
    (tmp_path / "a-file").write_text("x")
    assert cli("init", tmp_path / "a-file").status == 2


# -- the pre-commit hook --------------------------------------------------------------------


def test_pre_commit_hook_validates_the_whole_dataset_once() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    hook = by_id["benchmarkkit-validate"]
    assert hook["entry"] == "benchmarkkit validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert hook["require_serial"] is True
    # Data files and archived texts run it (tests/test_precommit_hook.py tries each kind).
    assert "types_or" not in hook
    assert re.search(hook["files"], "data/evidence.yaml")
    assert re.search(hook["files"], "sources/2012-03-20-appeal.txt")
    args = build_parser().parse_args(["validate", *hook["args"]])
    assert args.paths == ["."]


# -- documentation --------------------------------------------------------------------------


def test_cli_reference_documents_every_command_and_option() -> None:
    text = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    for name, sub in subparsers.choices.items():
        assert f"## `benchmarkkit {name}`" in text
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):  # documented once for every command
                    assert f"`{option}" in text, (name, option)
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in text


def test_validation_report_reference_documents_every_field() -> None:
    text = (ROOT / "docs" / "reference" / "validation-report.md").read_text(encoding="utf-8")
    fields = set(REPORT_SCHEMA["properties"])
    for definition in REPORT_SCHEMA["$defs"].values():
        fields.update(definition.get("properties", {}))
    for field in fields:
        assert f"`{field}`" in text, field


def test_ci_how_to_has_a_complete_workflow_and_the_hook() -> None:
    text = (ROOT / "docs" / "how-to" / "validate-in-ci.md").read_text(encoding="utf-8")
    workflows = re.findall(r"```yaml[^\n]*\n(.*?)```", text, re.DOTALL)
    documents = [yaml.safe_load(block) for block in workflows]
    workflow = next(doc for doc in documents if isinstance(doc, dict) and "jobs" in doc)
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("benchmarkkit validate" in step.get("run", "") for step in steps)
    assert any("--format github" in step.get("run", "") for step in steps)
    hook_config = next(doc for doc in documents if isinstance(doc, dict) and "repos" in doc)
    assert hook_config["repos"][0]["hooks"][0]["id"] == "benchmarkkit-validate"


def test_score_never_writes_a_data_file_into_the_dataset_folder(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES / "valid" / "folder", folder)
    output = folder / "scores.json"
    arguments = [
        "score",
        str(folder),
        "--as-of",
        "2012-03-20",
        "--format",
        "json",
        "-o",
        str(output),
    ]
    assert main(arguments) == 2
    assert not output.exists()
    assert main(["validate", str(folder)]) == 0
    assert main([*arguments[:-1], str(tmp_path / "scores.json")]) == 0
