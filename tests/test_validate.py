"""Validation finds every problem, in one run, and says where each one is."""

from __future__ import annotations

import math
import pickle
import signal
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit import (
    CODES,
    Dataset,
    DatasetError,
    Problem,
    Severity,
    ValidationReport,
    _yaml,
    load_dataset,
    validate,
    validate_data,
)
from tests.conftest import FIXTURES

INVALID = FIXTURES / "invalid"
EXPECTED: dict[str, list[str]] = yaml.safe_load((INVALID / "EXPECTED.yaml").read_text())


@pytest.mark.parametrize("name", ["minimal.yaml", "folder"])
def test_valid_fixtures_have_no_problem(name: str) -> None:
    report = validate(FIXTURES / "valid" / name)
    assert [str(p) for p in report.problems] == []
    assert report.valid
    assert isinstance(report.dataset, Dataset)


def test_every_invalid_fixture_is_listed_with_its_codes() -> None:
    on_disk = {path.name for path in INVALID.iterdir() if path.name != "EXPECTED.yaml"}
    assert on_disk == set(EXPECTED)


@pytest.mark.parametrize(("name", "codes"), sorted(EXPECTED.items()))
def test_invalid_fixture_yields_exactly_its_codes(name: str, codes: list[str]) -> None:
    report = validate(INVALID / name)
    assert sorted(p.code for p in report.problems) == sorted(codes)
    assert not report.valid or all(CODES[c].severity != "error" for c in codes)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_has_a_known_code_a_file_and_a_position(name: str) -> None:
    report = validate(INVALID / name)
    for problem in report.problems:
        assert problem.code in CODES
        assert problem.file is not None
        assert problem.message
        assert problem.hint
        assert problem.line is not None, str(problem)
        assert problem.column is not None, str(problem)


def _write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    _write(
        tmp_path,
        "dataset.yaml",
        """
        schema_version: "1.0"
        id: broken
        title: Several kinds of problem
        """,
    )
    _write(
        tmp_path,
        "records.json",
        """
        {
          "sources": [
            {"id": "s", "title": "S", "kind": "report", "archive": "text.txt"}
          ],
          "areas": [{"id": "a", "title": "A"}],
          "benchmarks": [
            {"id": "b", "title": "B", "statement": "S", "area": "a", "type": "outcome"},
            {"id": "b2", "title": "B2", "area": "a", "type": "outcome", "colour": "red"}
          ]
        }
        """,
    )
    _write(
        tmp_path,
        "evidence/2012.yaml",
        """
        evidence:
          - id: e1
            source: s
            date: "2012-03-20"
            benchmarks: [b, b9]
            direction: progress
            summary: S
            quote: words that are not there
          - id: e2
            source: s
            date: March 2012
            benchmarks: [b]
            direction: progress
            summary: S
        """,
    )
    _write(tmp_path, "text.txt", "Some archived words.\n")
    return tmp_path


def test_a_dataset_with_several_kinds_of_problem_yields_all_of_them_located(
    broken_folder: Path,
) -> None:
    report = validate(broken_folder)
    found = [
        (Path(p.file or "").name, p.pointer, p.line, p.column, p.code) for p in report.problems
    ]
    assert found == [
        ("2012.yaml", "/evidence/0/benchmarks/1", 5, 21, "unknown-reference"),
        ("2012.yaml", "/evidence/0/quote", 8, 5, "quote-not-found"),
        ("2012.yaml", "/evidence/1/date", 11, 5, "invalid-format"),
        ("records.json", "/benchmarks/1/statement", 8, 5, "missing-field"),
        ("records.json", "/benchmarks/1/colour", 8, 65, "unknown-field"),
    ]
    messages = {p.code: p.message for p in report.problems}
    assert messages["missing-field"].startswith(
        "benchmark 'b2': the required field 'statement' is missing"
    )
    assert "did you mean" not in messages["unknown-field"]
    assert "'date' must be a date written YYYY, YYYY-MM or YYYY-MM-DD" in messages["invalid-format"]
    assert "found 'March 2012'" in messages["invalid-format"]


def test_unknown_field_suggests_the_field_meant(tmp_path: Path) -> None:
    _write(tmp_path, "d.yaml", 'schema_version: "1.0"\nid: d\ntitle: T\nsubjcet: Kazakhstan\n')
    [problem] = validate(tmp_path / "d.yaml").problems
    assert problem.code == "unknown-field"
    assert "(did you mean 'subject'?)" in problem.message
    assert (problem.line, problem.column, problem.pointer) == (4, 1, "/subjcet")


def test_conditional_requirement_is_explained(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "d.yaml",
        """
        schema_version: "1.0"
        id: d
        title: T
        indicators:
          - {id: i, benchmark: b, title: Groups closed, kind: numeric, direction: lower-is-better}
        """,
    )
    messages = [p.message for p in validate(tmp_path / "d.yaml", checks=()).problems]
    expected = (
        "indicator 'i': the required field 'unit' is missing (needed when kind is 'numeric'); "
        'it holds the unit of a numeric indicator, such as "persons" or "%"'
    )
    assert messages == [expected]


def test_missing_path_and_folder_without_manifest_are_problems_not_exceptions(
    tmp_path: Path,
) -> None:
    missing = validate(tmp_path / "nope.yaml")
    assert [p.code for p in missing.problems] == ["path-not-found"]
    (tmp_path / "notes.txt").write_text("hello")
    empty = validate(tmp_path)
    assert [p.code for p in empty.problems] == ["not-a-dataset"]
    assert not empty.valid


def test_load_dataset_raises_one_error_carrying_every_problem(broken_folder: Path) -> None:
    with pytest.raises(DatasetError) as caught:
        load_dataset(broken_folder)
    error = caught.value
    assert isinstance(error, ValueError)
    assert len(error.problems) == 5
    assert str(error).splitlines()[0].endswith("5 problems of error severity")
    clone = pickle.loads(pickle.dumps(error))
    assert clone.report == error.report
    assert "DatasetError" in repr(error)


def test_warnings_do_not_block_loading_unless_strict(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "d.yaml",
        """
        schema_version: "1.0"
        id: d
        title: T
        sources: [{id: s, title: S, kind: report}]
        areas: [{id: a, title: A}]
        benchmarks: [{id: b, title: B, statement: S, area: a, type: outcome}]
        evidence:
          - {id: e, source: s, date: "2012", benchmarks: [b], direction: mixed, summary: S,
             quote: Q}
        """,
    )
    assert load_dataset(tmp_path / "d.yaml").evidence[0].quote == "Q"
    with pytest.raises(DatasetError) as caught:
        load_dataset(tmp_path / "d.yaml", strict=True)
    assert [p.code for p in caught.value.report.warnings] == ["quote-unverifiable"]


def test_validate_data_checks_a_document_in_memory() -> None:
    report = validate_data({"schema_version": "1.0", "id": "d", "title": 3})
    assert [(p.code, p.pointer, p.line) for p in report.problems] == [
        ("wrong-type", "/title", None)
    ]


def test_report_counts_and_strictness() -> None:
    warning = Problem.create("quote-unverifiable", "w", file="f")
    error = Problem.create("duplicate-id", "e", file="f")
    report = ValidationReport(path="p", problems=(warning,))
    assert report.valid
    assert not report.is_valid(strict=True)
    assert report.counts() == {"error": 0, "warning": 1, "info": 0}
    assert ValidationReport(path="p", problems=(warning, error)).errors == (error,)
    assert warning.severity is Severity.WARNING


def test_problems_are_sorted_by_file_line_and_column(broken_folder: Path) -> None:
    problems = validate(broken_folder).problems
    assert list(problems) == sorted(problems, key=Problem.sort_key)


# -- typed datasets and data built in Python ---------------------------------------------

MINIMAL = FIXTURES / "valid" / "minimal.yaml"


def test_a_typed_dataset_is_validated_and_kept_as_it_is() -> None:
    dataset = load_dataset(MINIMAL)
    report = validate(dataset)
    assert report.problems == ()
    assert report.path == "<dataset>"
    assert report.dataset is dataset


def test_a_typed_dataset_with_a_dangling_reference_gets_a_located_problem() -> None:
    import attrs

    dataset = load_dataset(MINIMAL)
    broken = attrs.evolve(
        dataset, evidence=(attrs.evolve(dataset.evidence[0], benchmarks=("bm-lwa",)),)
    )
    report = validate(broken)
    assert [(p.code, p.file, p.pointer, p.line) for p in report.problems] == [
        ("unknown-reference", "<dataset>", "/evidence/0/benchmarks/0", None)
    ]
    assert report.dataset is None
    assert not report.valid


def test_a_typed_dataset_holding_a_string_where_a_list_belongs_is_a_problem() -> None:
    import attrs

    dataset = load_dataset(MINIMAL)
    broken = attrs.evolve(
        dataset,
        evidence=(attrs.evolve(dataset.evidence[0], benchmarks="bm-law"),),  # type: ignore[arg-type]
    )
    report = validate(broken)
    assert [(p.code, p.pointer) for p in report.problems] == [
        ("wrong-type", "/evidence/0/benchmarks")
    ]
    assert "evidence 'ev-1'" in report.problems[0].message


def test_a_check_that_yields_none_is_a_problem_naming_it_not_a_crash() -> None:
    from benchmarkkit import DEFAULT_CHECKS

    def sloppy(dataset: Dataset, context: object) -> list[object]:
        return [None]

    report = validate(MINIMAL, checks=(*DEFAULT_CHECKS, sloppy))  # type: ignore[arg-type]
    [problem] = report.problems
    assert problem.code == "check-failed"
    assert problem.severity is Severity.ERROR
    assert "the check 'sloppy'" in problem.message
    assert "gave None, which is not a Problem" in problem.message


def test_a_check_that_raises_is_a_problem_and_the_other_checks_still_run() -> None:
    from benchmarkkit import DEFAULT_CHECKS

    def broken(dataset: Dataset, context: object) -> list[Problem]:
        raise KeyError("oops")

    def fine(dataset: Dataset, context: object) -> list[Problem]:
        return [Problem.create("org-note", "seen", severity=Severity.INFO)]

    report = validate(MINIMAL, checks=(*DEFAULT_CHECKS, broken, fine))
    assert sorted(p.code for p in report.problems) == ["check-failed", "org-note"]
    [failed] = [p for p in report.problems if p.code == "check-failed"]
    assert "the check 'broken' raised KeyError: 'oops'; the other checks ran" in failed.message
    assert failed.file == str(MINIMAL)


def test_a_check_that_fails_half_way_keeps_the_problems_it_gave() -> None:
    def half(dataset: Dataset, context: object) -> Iterator[Problem]:
        yield Problem.create("org-first", "first", severity=Severity.WARNING)
        raise RuntimeError("then broke")

    report = validate(MINIMAL, checks=(half,))
    assert sorted(p.code for p in report.problems) == ["check-failed", "org-first"]


@pytest.mark.parametrize(
    ("where", "pointer"),
    [
        (lambda d: d.__setitem__("title", "Tit\ud800le"), "/title"),
        (lambda d: d["actors"][0].__setitem__("name", "\udfff"), "/actors/0/name"),
        (lambda d: d["evidence"][0]["benchmarks"].append("bm-\ud83d"), "/evidence/0/benchmarks/1"),
    ],
)
def test_text_no_file_can_hold_is_a_located_problem(where: Any, pointer: str) -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    where(data)
    report = validate_data(data, name="form")
    problems = [p for p in report.problems if p.code == "invalid-text"]
    assert [(p.file, p.pointer) for p in problems] == [("form", pointer)]
    assert "U+D" in problems[0].message
    assert "lone surrogate" in problems[0].message
    assert not report.valid


def test_a_surrogate_in_a_key_is_a_problem_at_that_key() -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    data["actors"][0]["n\udc80me"] = "x"
    report = validate_data(data)
    assert ("invalid-text", "/actors/0/n\udc80me") in [(p.code, p.pointer) for p in report.problems]


def test_a_typed_dataset_with_a_lone_surrogate_is_invalid() -> None:
    import attrs

    dataset = load_dataset(MINIMAL)
    report = validate(attrs.evolve(dataset, title="A \ud800 title"))
    assert [(p.code, p.pointer) for p in report.problems] == [("invalid-text", "/title")]


@pytest.mark.parametrize("key", [1, None, 2.5, ("a", "b"), True])
def test_a_key_that_is_not_text_is_a_located_problem(key: Any) -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    data["actors"][0][key] = "x"
    for backend in ("fast", "reference"):
        report = validate_data(data, name="form", backend=backend)
        problems = [p for p in report.problems if p.code == "non-text-key"]
        assert [(p.file, p.pointer) for p in problems] == [("form", "/actors/0")]
        assert problems[0].message.startswith(f"the key {key!r} is ")
        assert "keys must be text" in problems[0].message


def test_a_clean_document_in_memory_gets_no_text_problem() -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    data["title"] = "Ünïcödé 😀 text is fine"
    assert validate_data(data).problems == ()


# -- dates against their source, and did-you-mean for ids -----------------------------


def _minimal_with(tmp_path: Path, old: str, new: str) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "d.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_evidence_dated_after_its_source_was_published_is_a_warning(tmp_path: Path) -> None:
    # A year typo in the source's date: the evidence now seems to come from the future.
    path = _minimal_with(tmp_path, '    date: "2012-03"\nareas', '    date: "2011-03"\nareas')
    report = validate(path)
    [problem] = report.problems
    assert (problem.code, problem.severity, problem.pointer, problem.line, problem.column) == (
        "evidence-after-source",
        Severity.WARNING,
        "/evidence/0/date",
        27,
        5,
    )
    assert problem.message == (
        "evidence 'ev-1' is dated 2012-03, after source 'report' was published (2011-03): "
        "a source cannot report what happened after it was published"
    )
    assert report.valid
    assert not report.is_valid(strict=True)


@pytest.mark.parametrize(
    ("evidence", "source"),
    [("2012-03", "2012-03"), ("2012", "2012-03"), ("2012-03-15", "2012-03"), ("2011", "2012")],
)
def test_evidence_that_may_be_from_before_its_source_passes(
    tmp_path: Path, evidence: str, source: str
) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace(
        '    date: "2012-03"\n    benchmarks', f'    date: "{evidence}"\n    benchmarks'
    )
    text = text.replace('    date: "2012-03"\nareas', f'    date: "{source}"\nareas')
    path = tmp_path / "d.yaml"
    path.write_text(text, encoding="utf-8")
    assert validate(path).problems == ()


@pytest.mark.parametrize(
    ("old", "new", "pointer", "suggestion"),
    [
        ("benchmarks: [bm-law]", "benchmarks: [bm-lwa]", "/evidence/0/benchmarks/0", "'bm-law'"),
        ("    source: report\n", "    source: reprot\n", "/evidence/0/source", "'report'"),
        ("publishers: [ngo]", "publishers: [ngos]", "/sources/0/publishers/0", "'ngo'"),
        ("    area: assembly\n", "    area: asembly\n", "/benchmarks/0/area", "'assembly'"),
        (
            "scale: ogp-completion",
            "scale: ogp-completon",
            "/assessments/0/scale",
            "'ogp-completion'",
        ),
    ],
)
def test_a_mistyped_id_gets_the_nearest_declared_id_of_the_right_kind(
    tmp_path: Path, old: str, new: str, pointer: str, suggestion: str
) -> None:
    report = validate(_minimal_with(tmp_path, old, new))
    [problem] = [p for p in report.problems if p.code == "unknown-reference"]
    assert problem.pointer == pointer
    assert problem.message.endswith(
        f"which the dataset does not define (did you mean {suggestion}?)"
    )


def test_a_suggestion_is_of_the_kind_the_field_refers_to(tmp_path: Path) -> None:
    # 'report' is a source; an actor reference to 'reprt' gets no source id suggested.
    [problem] = validate(
        _minimal_with(tmp_path, "publishers: [ngo]", "publishers: [reprt]")
    ).problems
    assert problem.message.endswith("refers to actor 'reprt', which the dataset does not define")


def test_an_id_far_from_every_declared_one_gets_no_suggestion(tmp_path: Path) -> None:
    [problem] = validate(
        _minimal_with(tmp_path, "benchmarks: [bm-law]", "benchmarks: [xyz]")
    ).problems
    assert "did you mean" not in problem.message


def test_a_mistyped_level_gets_the_nearest_level(tmp_path: Path) -> None:
    [problem] = validate(
        _minimal_with(tmp_path, "level: not-started", "level: not-stared")
    ).problems
    assert problem.code == "unknown-level"
    assert "(did you mean 'not-started'?)" in problem.message


def _bad_places(data: Any, path: str = "") -> list[tuple[str, str]]:
    """The (code, pointer) of each key that is not text, and each text and number no file holds."""

    def escaped(part: object) -> str:
        return str(part).replace("~", "~0").replace("/", "~1")

    def broken(text: str) -> bool:
        return any(0xD800 <= ord(char) <= 0xDFFF for char in text)

    if isinstance(data, str):
        return [("invalid-text", path)] if broken(data) else []
    if isinstance(data, float) and math.isnan(data):
        return [("wrong-type", path)]
    if isinstance(data, float) and math.isinf(data):
        return [("number-too-large", path)]
    if isinstance(data, int) and not isinstance(data, bool) and not -(2**63) <= data < 2**64:
        return [("number-too-large", path)]
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                found.append(("non-text-key", path))
                continue
            if broken(key):
                found.append(("invalid-text", f"{path}/{escaped(key)}"))
            found.extend(_bad_places(value, f"{path}/{escaped(key)}"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_bad_places(value, f"{path}/{index}"))
    return found


_texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=6)
_keys = st.one_of(_texts, st.integers(), st.none(), st.booleans())
_data = st.recursive(
    st.one_of(
        _texts,
        st.integers(),
        st.integers(min_value=2**64 - 2),
        st.floats(),
        st.booleans(),
        st.none(),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=20,
)


@given(_data)
def test_every_unsavable_text_and_key_is_one_problem_at_its_place(data: Any) -> None:
    from benchmarkkit._in_memory import text_problems

    cleaned, problems = text_problems(data, "form")
    assert sorted((p.code, p.pointer) for p in problems) == sorted(_bad_places(data))
    assert all(p.file == "form" and p.severity is Severity.ERROR for p in problems)
    assert _bad_places(cleaned) == []
    if not problems:
        assert cleaned is data


@given(_data)
def test_validate_data_never_raises_for_data_built_in_python(data: Any) -> None:
    report = validate_data({"schema_version": "1.0", "id": "d", "title": "T", "actors": [data]})
    assert all(p.code in CODES for p in report.problems)


# -- numbers no file can hold exactly, in data built in Python ---------------------------------


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        (
            10**30,
            "number-too-large",
            "the whole number 1000000000000000000000000000000 is too large",
        ),
        (-(2**63) - 1, "number-too-large", "the whole number -9223372036854775809 is too large"),
        (10**5000, "number-too-large", "the whole number of about 5,001 digits is too large"),
        (float("inf"), "number-too-large", "the number infinity is too large"),
        (float("nan"), "wrong-type", "the value is NaN (not a number)"),
    ],
    ids=["10**30", "-2**63-1", "10**5000", "inf", "nan"],
)
def test_a_number_no_file_holds_exactly_is_one_located_problem(
    value: float, code: str, words: str
) -> None:
    from tests.conftest import EXAMPLE

    data = benchmarkkit.unstructure(benchmarkkit.load_dataset(EXAMPLE))
    data["areas"][1]["weight"] = value
    report = benchmarkkit.validate_data(data, root=EXAMPLE)
    [problem] = report.errors  # not also a schema problem about the same value
    assert (problem.code, problem.pointer) == (code, "/areas/1/weight")
    assert problem.message.startswith(words)


def test_a_typed_dataset_with_a_whole_number_a_json_file_would_round_is_invalid(
    tmp_path: Path,
) -> None:
    """10**30 saved to JSON comes back as 1e+30: refused on the way in, and never saved."""
    import attrs

    from tests.conftest import EXAMPLE, EXAMPLE_NOTES

    dataset = benchmarkkit.load_dataset(EXAMPLE)
    indicator = next(i for i in dataset.indicators if i.kind == "numeric")
    assert indicator.baseline is not None
    changed = attrs.evolve(indicator, baseline=attrs.evolve(indicator.baseline, value=10**30))
    dataset = attrs.evolve(
        dataset,
        indicators=tuple(changed if i is indicator else i for i in dataset.indicators),
    )
    report = benchmarkkit.validate(dataset, root=EXAMPLE)
    assert report.codes() == {"number-too-large": 1, **EXAMPLE_NOTES}
    with pytest.raises(benchmarkkit.SaveError) as raised:
        benchmarkkit.save_dataset(dataset, tmp_path / "out.json")
    assert [p.code for p in raised.value.problems] == ["number-too-large"]
    assert list(tmp_path.iterdir()) == []


# -- data built in Python that no file can be: cycles, deep nesting, unknown backends ---


def _cyclic_through_areas() -> dict[str, Any]:
    data: dict[str, Any] = {"schema_version": "1.0", "id": "d", "title": "T", "areas": []}
    data["areas"].append(data)
    return data


def _area_holding_itself() -> dict[str, Any]:
    area: dict[str, Any] = {"id": "a", "title": "A"}
    area["description"] = area
    return {"schema_version": "1.0", "id": "d", "title": "T", "areas": [area]}


@contextmanager
def _at_most(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block takes longer than ``seconds``."""

    def stop(_signal: int, _frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the time limit needs SIGALRM")
@pytest.mark.parametrize(
    ("build", "pointer"),
    [
        (_cyclic_through_areas, "/areas/0"),
        (_area_holding_itself, "/areas/0/description"),
    ],
)
def test_a_value_that_contains_itself_is_one_located_problem_not_a_hang(
    build: Any, pointer: str
) -> None:
    with _at_most(10):
        report = validate_data(build(), name="form")
    assert [(p.code, p.file, p.pointer) for p in report.problems] == [
        ("too-complex", "form", pointer)
    ]
    assert "this value contains itself, which no file can hold" in report.problems[0].message
    with _at_most(10), pytest.raises(DatasetError) as raised:
        benchmarkkit.structure(build(), Dataset)
    assert [p.pointer for p in raised.value.report.problems] == [pointer]


def test_a_value_shared_twice_without_a_cycle_is_not_a_problem() -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    title = "Ünïcode \ud800"  # forces the walk in Python, where shared values are seen twice
    shared = {"id": "x", "name": title, "kind": "ngo"}
    data["actors"] = [shared, shared]
    codes = [(p.code, p.pointer) for p in validate_data(data).problems]
    assert ("invalid-text", "/actors/0/name") in codes
    assert "too-complex" not in [code for code, _ in codes]


@pytest.mark.parametrize("leaf", ["fine", "bad \ud800", 10**30])
def test_deep_nesting_built_in_python_is_a_problem_not_a_recursion_error(leaf: Any) -> None:
    nested: Any = leaf
    for _ in range(100_000):
        nested = [nested]
    data = {"schema_version": "1.0", "id": "d", "title": "T", "areas": nested}
    report = validate_data(data)
    assert [p.code for p in report.problems] == ["too-complex"]
    assert "nested too deep" in report.problems[0].message
    assert report.problems[0].pointer.startswith("/areas/0/0/0")


def test_a_lone_surrogate_in_memory_is_not_said_to_stop_a_save() -> None:
    for problems in (
        validate_data({"schema_version": "1.0", "id": "d", "title": "T\ud800"}).problems,
        _structure_problems({"id": "a", "name": "N\ud800", "kind": "ngo"}),
    ):
        [problem] = problems
        assert problem.code == "invalid-text"
        assert "which no file can hold" in problem.message
        assert "saved" not in problem.message


def _structure_problems(data: Any) -> tuple[Problem, ...]:
    with pytest.raises(DatasetError) as raised:
        benchmarkkit.structure(data, benchmarkkit.Actor)
    return raised.value.report.problems


def test_an_unknown_backend_is_refused_naming_the_allowed_ones() -> None:
    data = yaml.safe_load(MINIMAL.read_text())
    words = "backend must be 'auto', 'fast' or 'reference', not 'bogus'"
    with pytest.raises(ValueError, match=words):
        validate_data(data, backend="bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=words):
        validate(MINIMAL, backend="bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=words):
        load_dataset(MINIMAL, backend="bogus")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", ["fast", "reference"])
@pytest.mark.parametrize(("given", "found"), [(["ngo"], "a list"), ({"a": 1}, "a mapping")])
def test_a_list_given_for_one_of_the_words_is_one_wrong_type_problem(
    backend: Any, given: Any, found: str
) -> None:
    data = {
        "schema_version": "1.0",
        "id": "d",
        "title": "T",
        "actors": [{"id": "a", "name": "A", "kind": given}],
    }
    report = validate_data(data, backend=backend)
    assert [(p.code, p.pointer) for p in report.problems] == [("wrong-type", "/actors/0/kind")]
    message = report.problems[0].message
    assert message.startswith("actor 'a': 'kind' must be one of the words 'state', ")
    assert message.endswith(f"'person' or 'other', found {found}")


def _containers(data: Any, path: str = "") -> list[tuple[Any, str]]:
    """Every list and text-keyed mapping in ``data``, with its pointer, outermost first."""
    if isinstance(data, list):
        inner = [_containers(item, f"{path}/{n}") for n, item in enumerate(data)]
    elif isinstance(data, dict) and all(isinstance(key, str) for key in data):
        inner = [_containers(item, f"{path}/{_esc(key)}") for key, item in data.items()]
    else:
        return []
    return [(data, path)] + [found for part in inner for found in part]


def _esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


_clean_texts = st.text(st.characters(codec="utf-8"), max_size=4)
_clean_data = st.recursive(
    st.one_of(_clean_texts, st.integers(-10, 10), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3), st.dictionaries(_clean_texts, inner, max_size=3)
    ),
    max_leaves=12,
)


@given(_clean_data.filter(lambda d: isinstance(d, list | dict)), st.data())
def test_a_value_inside_itself_is_found_at_the_place_it_comes_back(data: Any, draw: Any) -> None:
    containers = _containers(data)
    outer, outer_path = draw.draw(st.sampled_from(containers))
    inner, inner_path = draw.draw(st.sampled_from(_containers(outer, outer_path)))
    if isinstance(inner, list):
        inner.append(outer)
        back = f"{inner_path}/{len(inner) - 1}"
    else:
        key = draw.draw(_clean_texts.filter(lambda k: k not in inner))
        inner[key] = outer
        back = f"{inner_path}/{_esc(key)}"
    from benchmarkkit._in_memory import text_problems

    with _at_most(10):
        cleaned, problems = text_problems(data, "form")
    assert [(p.code, p.pointer) for p in problems] == [("too-complex", back)]
    assert "contains itself" in problems[0].message
    assert _containers(cleaned)  # a copy, which the schema can walk: no cycle left
    report = validate_data({"schema_version": "1.0", "id": "d", "title": "T", "actors": [data]})
    assert ("too-complex", "/actors/0" + back) in [(p.code, p.pointer) for p in report.problems]


def test_validation_leaves_the_files_it_reads_unchanged(tmp_path: Path) -> None:
    import copy
    import shutil

    from benchmarkkit._files import read_dataset_files
    from benchmarkkit._validate import _validate_files

    folder = tmp_path / "d"
    shutil.copytree(FIXTURES / "valid" / "folder", folder)
    (folder / "broken.yaml").write_text("actors: [\n", encoding="utf-8")
    (folder / "listed.yaml").write_text("- id: a\n", encoding="utf-8")
    manifest = folder / "dataset.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"1.0"', '"9.0"'), encoding="utf-8"
    )
    root, files, problems = read_dataset_files(folder)
    before = [(file.parsed, copy.deepcopy(file.data)) for file in files]
    report = _validate_files(
        str(folder), root, files, problems, backend="auto", checks=(), plugins=False
    )
    assert [(file.parsed, file.data) for file in files] == before
    found = {(p.code, Path(p.file or "").name, p.pointer, p.line) for p in report.problems}
    assert {
        ("unsupported-schema-version", "dataset.yaml", "/schema_version", 1),
        ("yaml-syntax", "broken.yaml", "", 2),
        ("wrong-type", "listed.yaml", "", 1),
    } <= found


def test_the_records_of_a_dataset_whose_own_fields_are_broken_are_still_checked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            schema_version: "1.0"
            id: d
            title: 5
            areas: [{id: a, title: A}]
            benchmarks:
              - {id: b, title: B, statement: S, area: nowhere, type: outcome}
            """
        ),
        encoding="utf-8",
    )
    report = validate(path)
    found = [(p.code, p.pointer, p.line) for p in report.problems]
    assert found == [
        ("wrong-type", "/title", 3),
        ("unknown-reference", "/benchmarks/0/area", 6),
    ]
    assert "'nowhere'" in report.problems[1].message
    assert report.dataset is None


def test_a_large_file_of_plain_data_loads_however_many_values_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The limit is on what aliases add: a dataset of 100,000 records holds millions of
    # values of its own, and saving one as YAML used to be refused as "too complex".
    monkeypatch.setattr(_yaml, "MAX_EXPANDED_NODES", 50)
    actors = "".join(f"  - {{id: a{n}, name: Actor {n}, kind: ngo}}\n" for n in range(100))
    path = tmp_path / "big.yaml"
    path.write_text(f'schema_version: "1.1"\nid: d\ntitle: T\nactors:\n{actors}', "utf-8")
    report = validate(path)
    assert report.valid, report.problems
    assert len(load_dataset(path).actors) == 100
    bomb = validate(FIXTURES / "invalid" / "alias-bomb.yaml")
    assert [p.code for p in bomb.problems] == ["too-complex"]
    assert "through aliases" in bomb.problems[0].message
