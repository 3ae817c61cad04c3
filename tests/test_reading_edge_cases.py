"""Reading never crashes: odd YAML and JSON become located problems, never tracebacks.

Each case here once raised, or dropped a whole file as unreadable without a
line: a tag on a value it does not fit, a number too large for Python or for
a float, an escaped lone surrogate, a control character. Each is now a
problem with a code, a plain message, the file, line and column (exit 1).
"""

from __future__ import annotations

import io
import shutil
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from benchmarkkit import _json_file, validate
from benchmarkkit._codes import CODES
from benchmarkkit._dates import PartialDate
from benchmarkkit._files import read_dataset_files, read_yaml
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, EXAMPLE_NOTES

HEAD = 'schema_version: "1.0"\nid: d\ntitle: T\n'
# A dataset with one source, whose date (on line 10) follows.
WITH_SOURCE = (
    HEAD + "actors: [{id: a, name: A, kind: ngo}]\n"
    "sources:\n  - id: s\n    title: S\n    kind: report\n    publishers: [a]\n    date: "
)


def _problems(path: Path) -> list[tuple[str, int | None, int | None, str]]:
    # Reading, the schema and the records only: what this module is about.
    report = validate(path, checks=(), plugins=False)
    return [(p.code, p.line, p.column, p.message) for p in report.problems]


def _exit_status(*paths: Path | str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        status = main(["validate", *map(str, paths)])
    return status, out.getvalue()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("!!bool abc", "'abc' is not true or false"),
        ('!!float ""', "'' is not a number"),
        ("!!int abc", "'abc' is not a whole number"),
        ("!!float abc", "'abc' is not a number"),
        ("!!int 1_000", "'1_000' is not a whole number"),
        ("!!null abc", "'abc' is not null"),
        ("!!float .inf", "'.inf' is not a number"),
    ],
)
def test_a_tag_that_does_not_fit_its_value_is_a_located_problem(
    tmp_path: Path, value: str, words: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + f"description: {value}\n")
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("yaml-tag", 4, 14)
    assert words in message
    assert "remove the tag" in message
    assert _exit_status(path)[0] == 1


def test_a_tag_that_fits_its_value_is_read_as_tagged(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + "description: !!str 2012\n")
    assert _problems(path) == []


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("1" * 5000, "1111111111111111…(5,000 digits)"),
        ("-" + "9" * 4301, "-999999999999999…(4,301 digits)"),
        ("0x" + "f" * 5000, "0xffffffffffffff…(5,000 digits)"),
        ("1" + "0" * 30, "1000000000000000000000000000000"),
        ("18446744073709551616", "18446744073709551616"),
    ],
)
def test_a_whole_number_too_large_to_keep_exactly_in_yaml_is_located(
    tmp_path: Path, written: str, shown: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + f"description: {written}\n")
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("number-too-large", 4, 14)
    assert shown in message
    assert "whole numbers lie between -9223372036854775808 and 18446744073709551615" in message
    assert "cannot be read" not in message
    assert _exit_status(path)[0] == 1


def test_the_largest_whole_numbers_are_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text('schema_version: "1.0"\nid: d\ntitle: T\nx: 18446744073709551615\n')
    [(code, *_rest)] = _problems(path)
    assert code == "unknown-field"  # read, then refused by the schema, not by the reader


@pytest.fixture(params=["standard library first", "orjson only"])
def json_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways a JSON file is read: the standard library's decoder first, or orjson only."""
    monkeypatch.setattr(_json_file, "_STDLIB_NESTS_LESS", request.param == "standard library first")


@pytest.mark.usefixtures("json_reader")
@pytest.mark.parametrize(
    "written", ["1" * 5000, "1" + "0" * 30, "-" + "9" * 25, "18446744073709551616"]
)
def test_a_whole_number_too_large_to_keep_exactly_in_json_is_located(
    tmp_path: Path, written: str
) -> None:
    path = tmp_path / "d.json"
    path.write_text(
        '{"schema_version": "1.0", "id": "d",\n "title": "T", "x": [1, ' + written + "]}"
    )
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("number-too-large", 2, 25)
    assert "whole numbers lie between -9223372036854775808 and 18446744073709551615" in message
    assert "infinity" not in message


@pytest.mark.parametrize("written", ["1e400", "-1.5e999"])
def test_a_number_too_large_for_a_float_is_located_not_infinity(
    tmp_path: Path, written: str
) -> None:
    for suffix, text, where in (
        ("yaml", HEAD + f"description: {written}\n", (4, 14)),
        ("json", '{"schema_version": "1.0", "id": "d",\n "title": ' + written + "}", (2, 11)),
    ):
        path = tmp_path / f"d.{suffix}"
        path.write_text(text)
        [(code, line, column, message)] = _problems(path)
        assert (code, (line, column)) == ("number-too-large", where)
        assert f"the number {written} is too large" in message
        assert "1.7976931348623157e+308" in message
        assert "inf" not in message.replace("infinity", "")


def test_a_yaml_number_too_large_for_a_float_is_not_read_as_infinity() -> None:
    shutil_text = HEAD + "description: 1e400\n"
    from benchmarkkit._files import read_yaml

    data, _node, [problem] = read_yaml(shutil_text, "d.yaml")
    assert data is None
    assert problem.code == "number-too-large"


@pytest.mark.usefixtures("json_reader")
def test_an_escaped_lone_surrogate_is_a_located_problem_not_an_unreadable_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"schema_version": "1.0", "id": "d",\n  "title": "A \\ud800 B"}')
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("invalid-text", 2, 12)
    assert "lone surrogate" in message
    assert "\\ud800" in message
    assert "not UTF-8" not in message
    assert _exit_status(path)[0] == 1


@pytest.mark.usefixtures("json_reader")
def test_the_largest_whole_numbers_in_json_are_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(
        '{"a": [18446744073709551615, -9223372036854775808, 1e300, "1234567890123456789012"]}'
    )
    _root, [file], problems = read_dataset_files(path)
    assert problems == []
    assert file.data == {
        "a": [18446744073709551615, -9223372036854775808, 1e300, "1234567890123456789012"]
    }


@pytest.mark.usefixtures("json_reader")
def test_a_surrogate_pair_escape_is_read_as_its_character(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"schema_version": "1.0", "id": "d", "title": "\\ud83d\\ude00"}')
    report = validate(path, checks=(), plugins=False)
    assert report.problems == ()
    assert report.dataset is not None
    assert report.dataset.title == "\U0001f600"


@pytest.mark.parametrize(("character", "name"), [("\x13", "U+0013"), ("\x00", "U+0000")])
def test_a_control_character_in_yaml_is_located_in_plain_words(
    tmp_path: Path, character: str, name: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + f"description: ab{character}c\n")
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("yaml-syntax", 4, 16)
    assert f"the control character {name} is not allowed in YAML" in message
    assert "<unicode string>" not in message
    assert "position" not in message


def test_lines_after_an_empty_include_entry_are_right(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text(
        HEAD + 'include:\n  - ""\n  - "records/*.yaml"\n  - "missing/*.yaml"\n'
    )
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.yaml").write_text("actors: [{id: a, name: A, kind: ngo}]\n")
    problems = [(p.code, p.pointer, p.line) for p in validate(tmp_path).problems]
    assert ("include-matches-nothing", "/include/2", 7) in problems


def test_an_include_of_double_star_reads_every_data_file(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text(HEAD + 'include: ["**"]\n')
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.yaml").write_text("actors: [{id: a, name: A, kind: ngo}]\n")
    (tmp_path / "b.yaml").write_text("actors: [{id: b, name: B, kind: ngo}]\n")
    report = validate(tmp_path, checks=(), plugins=False)
    assert report.problems == ()
    assert report.dataset is not None
    assert [a.id for a in report.dataset.actors] == ["b", "a"]


def test_an_unquoted_date_is_a_located_warning_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(WITH_SOURCE + "2012-03-20\n")
    report = validate(path, checks=(), plugins=False)
    [problem] = report.problems
    assert (problem.code, problem.severity.value, problem.line, problem.column) == (
        "unquoted-date",
        "warning",
        10,
        11,
    )
    assert '"2012-03-20"' in problem.message
    assert "quote" in problem.message
    assert report.dataset is not None  # a warning: the file is read
    assert report.dataset.sources[0].date == PartialDate(2012, 3, 20)
    assert CODES["unquoted-date"].severity == "warning"


@pytest.mark.parametrize("text", ["2012", "2012-03", "2012-3-2", "2012-03-20T10:00:00"])
def test_unquoted_years_months_and_times_are_warned_about_only_when_yaml_1_1_reads_a_date(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEAD + f"description: {text}\n")
    codes = [p.code for p in validate(path).problems if p.code == "unquoted-date"]
    # YAML 1.1 reads 2012-3-2 and a timestamp as dates too; a year or a month stays what it is.
    assert codes == (["unquoted-date"] if "-" in text and text.count("-") == 2 else [])


def test_the_example_dataset_has_no_unquoted_date() -> None:
    assert validate(EXAMPLE).codes() == EXAMPLE_NOTES


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("2012-02-30", "2012-02-30 does not exist: February has 29 days in 2012"),
        ("2013-02-29", "2013-02-29 does not exist: 2013 is not a leap year"),
        ("2012-04-31", "2012-04-31 does not exist: April has 30 days"),
        ("2012-02-31", "2012-02-31 does not exist: February has 29 days in 2012"),
        # A month or day that no calendar has:
        ("2012-13", "there is no month 13"),
        ("2012-00-10", "there is no month 00"),
        ("2012-01-32", "no month has a day 32"),
        ("2012-01-00", "no month has a day 00"),
    ],
)
def test_every_impossible_date_is_an_invalid_date_that_says_why(
    tmp_path: Path, date: str, why: str
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(WITH_SOURCE + f'"{date}"\n')
    [(code, line, column, message)] = _problems(path)
    assert (code, line, column) == ("invalid-date", 10, 5)
    assert "must be a date that exists" in message
    assert why in message


@pytest.mark.parametrize("text", ["2012-03-20\n", "2012\n", "20120320", "2012-03-20 "])
def test_the_date_parser_refuses_anything_but_the_date(text: str) -> None:
    with pytest.raises(ValueError, match="expected a date written YYYY, YYYY-MM or YYYY-MM-DD"):
        PartialDate.parse(text)


def test_a_trailing_newline_in_an_id_is_refused_by_both_backends(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"schema_version": "1.0", "id": "d\\n", "title": "T",\n"language": "en\\n"}')
    for backend in ("fast", "reference"):
        report = validate(path, backend=backend, checks=(), plugins=False)
        codes = [(p.code, p.pointer, p.line) for p in report.problems]
        assert codes == [("invalid-format", "/id", 1), ("invalid-format", "/language", 2)]


def test_the_same_dataset_given_three_ways_is_validated_once(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "ex")
    status, output = _exit_status(tmp_path / "ex", f"{tmp_path / 'ex'}/", f"{tmp_path}/./ex")
    assert status == 0
    assert output.count("valid, with 0 errors, 0 warnings, 2 info") == 1, output


def test_reading_a_path_that_is_not_there_twice_reports_it_once(tmp_path: Path) -> None:
    status, output = _exit_status(tmp_path / "nope", f"{tmp_path}/nope/")
    assert status == 2
    assert output.count("does not exist") == 1, output


def test_read_dataset_files_keeps_an_ordinary_folder_working(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text(HEAD)
    _root, files, problems = read_dataset_files(tmp_path)
    assert problems == []
    assert [f.data for f in files] == [{"schema_version": "1.0", "id": "d", "title": "T"}]


@given(
    tag=st.sampled_from(["!!bool", "!!int", "!!float", "!!null", "!!str", ""]),
    value=st.text(
        st.characters(codec="utf-8", exclude_characters="\n\r#:'\"{}[],&*!|>%@`"),
        max_size=30,
    ),
)
@example(tag="!!float", value="")
@example(tag="!!int", value="0x" + "f" * 5000)
def test_reading_a_tagged_plain_value_never_raises(tag: str, value: str) -> None:
    data, _node, problems = read_yaml(f"x: {tag} {value.strip()}\n", "d.yaml")
    assert all(problem.code in CODES for problem in problems)
    assert data is not None or problems


@given(st.integers(min_value=-(10**40), max_value=10**40) | st.integers())
@example(2**64 - 1)
@example(2**64)
@example(-(2**63))
@example(-(2**63) - 1)
def test_a_whole_number_is_read_exactly_or_refused_in_json_and_yaml(number: int) -> None:
    fits = -(2**63) <= number <= 2**64 - 1
    with tempfile.TemporaryDirectory() as folder:
        for suffix, text in (("json", f'{{"x": {number}}}'), ("yaml", f"x: {number}\n")):
            path = Path(folder) / f"d.{suffix}"
            path.write_text(text)
            _root, [file], problems = read_dataset_files(path)
            if fits:
                assert (file.data, problems) == ({"x": number}, [])
            else:
                assert [(p.code, p.line, p.column) for p in problems] == [
                    ("number-too-large", 1, 7 if suffix == "json" else 4)
                ]


def test_a_lone_surrogate_from_a_yaml_escape_is_invalid_text() -> None:
    # libyaml refuses the escape as a syntax error; PyYAML's pure-Python reader (used where
    # libyaml is missing) makes the lone surrogate, which this check then reports.
    from benchmarkkit._yaml import _text_problems

    node = yaml.ScalarNode(
        "tag:yaml.org,2002:str", "A \ud800 B", yaml.Mark("d", 0, 2, 7, "", 0), style='"'
    )
    [problem] = _text_problems(node, "d.yaml")
    assert (problem.code, problem.line, problem.column) == ("invalid-text", 3, 8)
    assert "\\ud800" in problem.message


# Every character libyaml refuses in a file: C0 and C1 controls (but tab, line feed, carriage
# return and NEL), DEL, and the noncharacters U+FFFE and U+FFFF.
REFUSED = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
REFUSED += [chr(c) for c in range(0x80, 0xA0) if c != 0x85] + ["\ufffe", "\uffff"]


@pytest.mark.parametrize(
    ("character", "kind", "escape"),
    [
        ("\uffff", "noncharacter U+FFFF", "\\uffff"),
        ("\ufffe", "noncharacter U+FFFE", "\\ufffe"),
        ("\x9f", "control character U+009F", "\\x9f"),
        ("\x7f", "control character U+007F", "\\x7f"),
    ],
)
def test_a_character_yaml_refuses_is_named_for_what_it_is(
    character: str, kind: str, escape: str
) -> None:
    [problem] = read_yaml(HEAD + f'description: "ab{character}c"\n', "d.yaml")[2]
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 4, 17)
    assert problem.message == (
        f"not valid YAML: the {kind} is not allowed in YAML; remove it, or write it as an "
        f'escape in double quotes ("{escape}")'
    )


@given(st.sampled_from(REFUSED))
def test_the_escape_a_refused_character_is_given_reads_back_as_that_character(
    character: str,
) -> None:
    [problem] = read_yaml(f'a: "{character}"\n', "d.yaml")[2]
    escape = problem.message.rsplit('("', 1)[1].removesuffix('")')
    data, _node, problems = read_yaml(f'a: "{escape}"\n', "d.yaml")
    assert problems == []
    assert data == {"a": character}
