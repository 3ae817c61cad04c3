"""One mistake gives one problem, first: no false consequences in other files, in any format.

Each test breaks a copy of the Kazakhstan example the way an editor might
(an indentation slip, a typo in a scale's level) and checks the report a
user reads: the real problem first, and no reference into the broken part
reported as undefined.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from benchmarkkit import ValidationReport, validate
from benchmarkkit.reports import report_to_json
from benchmarkkit.reports._validation import plain_text, render_github, render_text
from tests.conftest import EXAMPLE

FRAGMENTS = (
    "actors.yaml",
    "sources.yaml",
    "standards.yaml",
    "commitments.yaml",
    "areas.yaml",
    "benchmarks.yaml",
    "indicators.yaml",
    "evidence.yaml",
)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    folder = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _slip_indentation(path: Path) -> int:
    """Take one space off the line after the second record's id; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if re.match(r"  - id: ", line)]
    after = starts[1] + 1
    assert lines[after].startswith("    "), lines[after]
    lines[after] = lines[after][1:]
    path.write_text("".join(lines), encoding="utf-8")
    return after + 1


def _first_lines(report: ValidationReport) -> tuple[str, str, str]:
    """The first problem as the text, JSON and GitHub outputs show it."""
    text = plain_text(render_text([report])).splitlines()[0]
    document = report_to_json([report])["datasets"][0]["problems"][0]
    github = render_github([report]).splitlines()[0]
    return text, f"{document['file']}:{document['line']} {document['code']}", github


@pytest.mark.parametrize("name", FRAGMENTS)
def test_an_indentation_slip_is_the_only_problem_and_nothing_refers_into_the_void(
    example: Path, name: str
) -> None:
    line = _slip_indentation(example / name)
    report = validate(example)
    first = report.problems[0]
    assert (first.code, first.file, first.line) == ("yaml-syntax", str(example / name), line)
    assert [p for p in report.problems if p.code == "unknown-reference"] == []
    assert [p.code for p in report.problems] == ["yaml-syntax"]


def test_the_broken_file_comes_first_in_every_output_format_even_when_it_sorts_last(
    example: Path,
) -> None:
    # A real problem in a file that sorts before the broken one: the slip still leads.
    actors = example / "actors.yaml"
    actors.write_text(
        actors.read_text(encoding="utf-8").replace("kind: ngo", "kind: NGO", 1), encoding="utf-8"
    )
    line = _slip_indentation(example / "standards.yaml")
    report = validate(example)
    assert [p.code for p in report.problems] == ["yaml-syntax", "invalid-value"]
    text, document, github = _first_lines(report)
    standards = str(example / "standards.yaml")
    assert text.startswith(f"{standards}:{line}:")
    assert "yaml-syntax" in text
    assert document == f"{standards}:{line} yaml-syntax"
    assert github.startswith(f"::error file={standards},line={line},")


def test_a_manifest_that_cannot_be_parsed_leaves_no_false_reference_to_its_scales(
    example: Path,
) -> None:
    manifest = example / "dataset.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("      - id: not-met\n", "      - id: not-met\n  x\n"))
    report = validate(example)
    assert report.problems[0].code == "yaml-syntax"
    assert report.problems[0].file == str(manifest)
    assert [p for p in report.problems if p.code == "unknown-reference"] == []


def test_a_json_fragment_that_cannot_be_parsed_still_declares_its_ids(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text('schema_version: "1.0"\nid: d\ntitle: T\n')
    (tmp_path / "areas.json").write_text(
        '{"areas": [{"id": "area-1", "title": "One"}, {"id": "area-2", "title": "Two"},]}'
    )
    (tmp_path / "benchmarks.json").write_text(
        json.dumps(
            {
                "benchmarks": [
                    {"id": f"bm-{n}", "title": "B", "statement": "S", "area": f"area-{n}"}
                    | {"type": "outcome"}
                    for n in (1, 2, 3)
                ]
            }
        )
    )
    report = validate(tmp_path)
    assert report.problems[0].code == "json-syntax"
    assert report.problems[0].file == str(tmp_path / "areas.json")
    # area-3 is declared nowhere, not even in the broken file: still reported.
    [unknown] = [p for p in report.problems if p.code == "unknown-reference"]
    assert unknown.pointer == "/benchmarks/2/area"
    assert "area 'area-3'" in unknown.message


@pytest.mark.parametrize(
    ("typo", "code"),
    [
        ("        label: Not met\n", "        lable: Not met\n"),
        ("      - id: not-met\n", "      - id: not met\n"),
        ("        value: 0.33\n", "        value: 0.33.\n"),
    ],
)
def test_a_typo_in_a_scale_level_is_reported_once_not_in_every_gate_using_the_scale(
    example: Path, typo: str, code: str
) -> None:
    manifest = example / "dataset.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.count(typo) == 1
    manifest.write_text(text.replace(typo, code), encoding="utf-8")
    report = validate(example)
    assert {p.file for p in report.errors} == {str(manifest)}
    assert [p for p in report.problems if p.code == "unknown-reference"] == []
    assert report.errors[0].pointer.startswith("/scales/0/levels/1")


def test_a_broken_record_still_declares_its_id_so_references_to_it_are_not_reported(
    example: Path,
) -> None:
    sources = example / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("  - id: appeal\n", "  - id: appeal\n    colour: red\n", 1))
    report = validate(example)
    assert [p.code for p in report.errors] == ["unknown-field"]
    assert report.errors[0].pointer == "/sources/0/colour"


@pytest.mark.parametrize("broken", ['  - id: "iphr\n', "  - id: [iphr\n", "  - id: 'iphr\n"])
def test_an_unclosed_quote_or_bracket_on_an_id_still_declares_it(
    example: Path, broken: str
) -> None:
    actors = example / "actors.yaml"
    text = actors.read_text(encoding="utf-8")
    assert text.count("  - id: iphr\n") == 1
    actors.write_text(text.replace("  - id: iphr\n", broken), encoding="utf-8")
    report = validate(example)
    assert [(p.code, p.file) for p in report.problems] == [("yaml-syntax", str(actors))]


def _json_dataset(tmp_path: Path, area: str) -> Path:
    path = tmp_path / "d.json"
    path.write_text(
        '{"schema_version": "1.0", "id": "d", "title": "T",\n'
        '"areas": [{"id": "area-1", "title": "One"},\n'
        f"{area}]}}\n",
        encoding="ascii",
    )
    return path


@pytest.mark.parametrize(
    ("area", "column", "pointer"),
    [
        ('{"id": "area-2",\n "\\ud800title": "Two"}', 2, "/areas/1/\ud800title"),
        ('{"id": "area-\\udc00media", "title": "Media"}', 8, "/areas/1/id"),
        ('{"id": "area-2", "title": "T\\udfffwo"}', 27, "/areas/1/title"),
    ],
)
def test_a_lone_surrogate_in_json_is_the_only_problem_and_comes_first(
    tmp_path: Path, area: str, column: int, pointer: str
) -> None:
    path = _json_dataset(tmp_path, area)
    report = validate(path)
    line = 4 if "\n" in area else 3
    assert [(p.code, p.line, p.column, p.pointer) for p in report.problems] == [
        ("invalid-text", line, column, pointer)
    ]
    text, document, github = _first_lines(report)
    assert text.startswith(f"{path}:{line}:{column}: invalid-text")
    assert document == f"{path}:{line} invalid-text"
    assert github.startswith(f"::error file={path},line={line},")


@pytest.mark.parametrize(
    ("key", "value", "pointer"),
    [("\ud800title", "Two", "/areas/1/\ud800title"), ("title", "T\udfffwo", "/areas/1/title")],
)
def test_a_lone_surrogate_in_memory_is_the_only_problem(key: str, value: str, pointer: str) -> None:
    from benchmarkkit import validate_data

    data = {
        "schema_version": "1.0",
        "id": "d",
        "title": "T",
        "areas": [{"id": "area-1", "title": "One"}, {"id": "area-\udc00two", key: value}],
    }
    report = validate_data(data)
    assert [(p.code, p.pointer) for p in report.problems] == [
        ("invalid-text", "/areas/1/id"),
        ("invalid-text", pointer),
    ]
