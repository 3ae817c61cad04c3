"""Validation of recommendations and responses (format 1.1): references both ways, dates,
positions, repeats, the evidence and assessments that concern them, and their quotes."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit._checks import named_by
from benchmarkkit._codes import CODES
from benchmarkkit._converter import unstructure
from benchmarkkit._index import collections_of
from benchmarkkit._model import Dataset, Recommendation
from benchmarkkit._problems import Problem, Severity, ValidationReport
from benchmarkkit._references import plan, record_classes
from benchmarkkit._schema import Violation, schema
from benchmarkkit._schema_messages import problems_from_violations
from benchmarkkit._validate import validate, validate_data
from benchmarkkit._vocabulary import UPR_POSITIONS, Position
from tests.conftest import FIXTURES, ROOT
from tests.strategies import partial_dates, valid_datasets

VALID = FIXTURES / "valid" / "recommendations"
FROZEN_1_0 = ROOT / "tests" / "data" / "format-1.0" / "kazakhstan-2012"


def _dataset(version: str = "1.1") -> dict[str, Any]:
    """A small consistent dataset: one recommendation, named by a benchmark."""
    return {
        "schema_version": version,
        "id": "recs",
        "title": "Recommendations",
        "actors": [
            {"id": "kz", "name": "Kazakhstan", "kind": "state"},
            {"id": "norway", "name": "Norway", "kind": "state"},
            {"id": "sweden", "name": "Sweden", "kind": "state"},
        ],
        "sources": [{"id": "upr", "title": "UPR report", "kind": "report"}],
        "commitments": [],
        "recommendations": [
            {
                "id": "rec-assembly",
                "text": "Replace the permission regime with notification.",
                "by": ["norway", "sweden"],
                "to": "kz",
                "date": "2014-10-31",
                "mechanism": "upr",
                "responses": [{"by": "kz", "position": "supported", "date": "2015-03"}],
            }
        ],
        "areas": [{"id": "assembly", "title": "Assembly"}],
        "benchmarks": [
            {
                "id": "bm-law",
                "title": "Law",
                "statement": "A notification regime.",
                "area": "assembly",
                "type": "structural",
                "recommendations": ["rec-assembly"],
            }
        ],
    }


def _problems(document: dict[str, Any], backend: str = "auto") -> list[Problem]:
    report = validate_data(document, backend=backend)  # type: ignore[arg-type]
    return list(report.problems)


def _seen(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [(p.code, p.severity.value, p.pointer) for p in problems]


def test_the_small_dataset_and_the_fixture_have_no_problem() -> None:
    assert _problems(_dataset()) == []
    report = validate(VALID)
    assert [str(p) for p in report.problems] == []
    dataset = report.dataset
    assert isinstance(dataset, Dataset)
    assert [len(r.responses) for r in dataset.recommendations] == [2]


# -- references both ways ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "pointer", "words"),
    [
        (
            lambda d: d["recommendations"][0]["by"].__setitem__(1, "swedn"),
            "/recommendations/0/by/1",
            (
                "recommendation 'rec-assembly': 'by' refers to actor 'swedn', which the dataset "
                "does not define (did you mean 'sweden'?)"
            ),
        ),
        (
            lambda d: d["recommendations"][0].__setitem__("to", "kzz"),
            "/recommendations/0/to",
            (
                "recommendation 'rec-assembly': 'to' refers to actor 'kzz', which the dataset "
                "does not define (did you mean 'kz'?)"
            ),
        ),
        (
            lambda d: d["recommendations"][0]["responses"][0].__setitem__("by", "kaz"),
            "/recommendations/0/responses/0/by",
            (
                "recommendation 'rec-assembly': 'responses[0].by' refers to actor 'kaz', which the "
                "dataset does not define"
            ),
        ),
    ],
)
def test_a_recommendation_naming_an_unknown_actor_is_told_where_and_what_is_near(
    edit: Any, pointer: str, words: str
) -> None:
    document = _dataset()
    edit(document)
    problems = _problems(document)
    assert _seen(problems) == [("unknown-reference", "error", pointer)]
    assert problems[0].message.startswith(words)


_NAMERS: list[tuple[str, dict[str, Any], str]] = [
    ("benchmarks", {}, "/benchmarks/0/recommendations/0"),
    ("commitments", {"id": "cm", "title": "C", "actor": "kz"}, "/commitments/0/recommendations/0"),
    (
        "gates",
        {
            "id": "g",
            "title": "G",
            "condition": {"kind": "area", "area": "assembly", "minimum_score": 1},
        },
        "/gates/0/recommendations/0",
    ),
    (
        "evidence",
        {"id": "ev", "source": "upr", "date": "2016", "direction": "progress", "summary": "S"},
        "/evidence/0/recommendations/0",
    ),
    (
        "assessments",
        {
            "id": "as",
            "as_of": "2016",
            "scale": "upr-info-implementation",
            "assessor": "E",
            "rationale": "R",
        },
        "/assessments/0/recommendation",
    ),
]


@pytest.mark.parametrize(("collection", "record", "pointer"), _NAMERS)
def test_each_record_naming_an_unknown_recommendation_is_told_the_nearest_ids(
    collection: str, record: dict[str, Any], pointer: str
) -> None:
    document = _dataset()
    if collection == "benchmarks":
        document["benchmarks"][0]["recommendations"] = ["rec-asembly"]
        document["gates"] = [dict(_NAMERS[2][1], recommendations=["rec-assembly"])]
    else:
        field = "recommendation" if collection == "assessments" else "recommendations"
        value = "rec-asembly" if collection == "assessments" else ["rec-asembly"]
        document[collection] = [{**copy.deepcopy(record), field: value}]
    problems = [p for p in _problems(document) if p.code != "unlinked-commitment"]
    assert _seen(problems) == [("unknown-reference", "error", pointer)]
    assert "refers to recommendation 'rec-asembly', which the dataset does not define " in (
        problems[0].message
    )
    assert problems[0].message.endswith("(did you mean 'rec-assembly'?)")


def test_a_recommendation_nothing_names_is_reported_at_info_level_with_what_to_do() -> None:
    document = _dataset()
    document["benchmarks"][0]["recommendations"] = []
    problems = _problems(document)
    assert _seen(problems) == [("unlinked-recommendation", "info", "/recommendations/0")]
    assert problems[0].message == (
        "recommendation 'rec-assembly': no commitment, benchmark, evidence, gate or assessment "
        "names it, so it stands beside no benchmark or gate in the reports, and nothing "
        "tracks its implementation"
    )
    assert problems[0].hint is not None
    assert "Add its id to the recommendations of the benchmark" in problems[0].hint
    assert problems[0].value == "rec-assembly"
    assert validate_data(document).valid


def test_a_commitment_no_benchmark_names_is_reported_at_info_level() -> None:
    document = _dataset()
    document["commitments"] = [{"id": "cm-law", "title": "A new law", "actor": "kz"}]
    problems = _problems(document)
    assert _seen(problems) == [("unlinked-commitment", "info", "/commitments/0")]
    assert problems[0].message == (
        "commitment 'cm-law': no benchmark names it, so no report shows it"
    )
    assert problems[0].hint is not None
    assert "Add its id to the commitments of the benchmark" in problems[0].hint
    document["benchmarks"][0]["commitments"] = ["cm-law"]
    assert _problems(document) == []


@pytest.mark.parametrize(("collection", "record", "pointer"), _NAMERS)
def test_any_record_that_names_a_recommendation_links_it(
    collection: str, record: dict[str, Any], pointer: str
) -> None:
    del pointer
    document = _dataset()
    document["benchmarks"][0]["recommendations"] = []
    if collection == "benchmarks":
        document["benchmarks"][0]["recommendations"] = ["rec-assembly"]
    else:
        field = "recommendation" if collection == "assessments" else "recommendations"
        value = "rec-assembly" if collection == "assessments" else ["rec-assembly"]
        document[collection] = [{**copy.deepcopy(record), field: value}]
        if collection == "commitments":
            document["benchmarks"][0]["commitments"] = ["cm"]
    assert _problems(document) == []


def test_every_field_that_names_a_recommendation_or_commitment_is_on_a_top_level_record() -> None:
    # check_links reads only top-level records: a nested record naming one would be missed.
    tops = set(collections_of(Dataset).values())
    naming = {
        (cls.__name__, reference.field)
        for cls in record_classes(tuple(tops))
        for reference in plan(cls).references
        if reference.target in ("recommendations", "commitments")
    }
    assert naming == {
        ("Commitment", "recommendations"),
        ("Benchmark", "recommendations"),
        ("Benchmark", "commitments"),
        ("Evidence", "recommendations"),
        ("Assessment", "recommendation"),
        ("Gate", "recommendations"),
    }
    assert named_by("recommendations") == (
        ("recommendations", ("commitments", "benchmarks", "evidence", "gates")),
        ("recommendation", ("assessments",)),
    )
    assert named_by("commitments") == (("commitments", ("benchmarks",)),)


def test_nothing_is_called_unlinked_while_a_record_that_may_name_it_did_not_load() -> None:
    document = _dataset()
    document["commitments"] = [{"id": "cm-law", "title": "A new law", "actor": "kz"}]
    document["benchmarks"][0]["colour"] = "red"  # the benchmark does not load
    problems = _problems(document)
    assert _seen(problems) == [("unknown-field", "error", "/benchmarks/0/colour")]


def test_a_format_1_0_dataset_gets_no_link_or_standard_problem() -> None:
    document = _dataset("1.0")
    del document["recommendations"]
    document["benchmarks"][0].pop("recommendations")
    document["commitments"] = [{"id": "cm-law", "title": "A new law", "actor": "kz"}]
    document["standards"] = [{"id": "hrc", "title": "HRC", "kind": "recommendation"}]
    assert _problems(document) == []
    document["schema_version"] = "1.1"
    assert [p.code for p in _problems(document)] == [
        "unlinked-commitment",
        "recommendation-as-standard",
    ]


def test_the_frozen_1_0_example_validates_exactly_as_before_and_would_get_infos_as_1_1(
    tmp_path: Path,
) -> None:
    frozen = json.loads((FROZEN_1_0.parent / "kazakhstan-2012.validation.json").read_text("utf-8"))
    assert frozen["datasets"][0]["problems"] == []
    assert validate(FROZEN_1_0).problems == ()
    copied = tmp_path / "kazakhstan-2012"
    shutil.copytree(FROZEN_1_0, copied)
    manifest = copied / "dataset.yaml"
    manifest.write_text(
        manifest.read_text("utf-8").replace('schema_version: "1.0"', 'schema_version: "1.1"'),
        "utf-8",
    )
    codes = {p.code for p in validate(copied).problems}
    assert "recommendation-as-standard" in codes
    assert {CODES[code].severity for code in codes} == {"info"}


# -- dates ----------------------------------------------------------------------------------


def test_a_response_dated_before_its_recommendation_is_an_error_naming_both_dates() -> None:
    document = _dataset()
    document["recommendations"][0]["responses"].append(
        {"by": "kz", "position": "noted", "date": "2013-06"}
    )
    problems = _problems(document)
    assert _seen(problems) == [
        ("response-before-recommendation", "error", "/recommendations/0/responses/1/date")
    ]
    assert problems[0].message == (
        "recommendation 'rec-assembly': response 2 (by 'kz') is dated 2013-06, before the "
        "recommendation was made (2014-10-31): a response answers a recommendation already "
        "made; correct whichever date is wrong (often the year)"
    )
    assert problems[0].value == "2013-06"


@pytest.mark.parametrize("response_date", ["2014", "2014-10", "2014-10-31", "2020-01-01"])
def test_a_response_that_may_be_on_or_after_its_recommendation_is_not_reported(
    response_date: str,
) -> None:
    document = _dataset()
    document["recommendations"][0]["responses"][0]["date"] = response_date
    assert _problems(document) == []


def test_an_assessment_of_a_recommendation_before_it_was_made_is_an_error() -> None:
    document = _dataset()
    document["assessments"] = [
        {
            "id": "as-early",
            "recommendation": "rec-assembly",
            "as_of": "2013-12-31",
            "scale": "upr-info-implementation",
            "level": "not-implemented",
            "assessor": "E",
            "rationale": "R",
        }
    ]
    problems = _problems(document)
    assert _seen(problems) == [
        ("assessment-before-recommendation", "error", "/assessments/0/as_of")
    ]
    assert problems[0].message == (
        "assessment 'as-early' is as of 2013-12-31, before recommendation 'rec-assembly' was "
        "made (2014-10-31): a recommendation's implementation can only be assessed once it is "
        "made; correct the as_of date or the recommendation's date"
    )
    document["assessments"][0]["as_of"] = "2014"  # the same year: not certainly before
    assert _problems(document) == []


@given(made=partial_dates(), answered=partial_dates())
def test_a_response_is_reported_exactly_when_it_is_certainly_before_the_recommendation(
    made: Any, answered: Any
) -> None:
    document = _dataset()
    document["recommendations"][0]["date"] = str(made)
    document["recommendations"][0]["responses"][0]["date"] = str(answered)
    codes = [p.code for p in _problems(document)]
    expected = ["response-before-recommendation"] if made.is_certainly_after(answered) else []
    assert codes == expected


# -- positions --------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["fast", "reference"])
@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("accepted", "(the UPR's 'accepted' is 'supported')"),
        ("Accepted", "(the UPR's 'accepted' is 'supported')"),
        ("noted ", "(did you mean 'noted'?)"),
        ("Not  accepted", "(the UPR's 'not accepted' is 'noted')"),
        ("partially accepted", "(the UPR's 'partially accepted' is 'partially-supported')"),
        ("to be examined", "(the UPR's 'to be examined' is 'pending')"),
        ("suported", "(did you mean 'supported'?)"),
        ("not-supported", "(the UPR's 'not supported' is 'noted')"),
        ("not_supported", "(the UPR's 'not supported' is 'noted')"),
        ("will be examined", "(the UPR's 'will be examined' is 'pending')"),
        ("no-respons", "(did you mean 'no-response'?)"),
    ],
)
def test_a_upr_word_for_a_position_is_told_which_position_it_is(
    written: str, hint: str, backend: str
) -> None:
    document = _dataset()
    document["recommendations"][0]["responses"][0]["position"] = written
    problems = _problems(document, backend)
    assert _seen(problems) == [
        ("invalid-value", "error", "/recommendations/0/responses/0/position")
    ]
    assert problems[0].message == (
        "recommendation 'rec-assembly': 'responses[0].position' must be 'supported', "
        "'partially-supported', 'noted', 'rejected', 'pending' or 'no-response', found "
        f"{written!r} {hint}"
    )


@pytest.mark.parametrize("written", ["unsupported", "non-supported", "not suported", "unnoted"])
def test_a_negated_word_is_never_offered_the_word_it_negates(written: str) -> None:
    document = _dataset()
    document["recommendations"][0]["responses"][0]["position"] = written
    [problem] = _problems(document)
    assert problem.message.endswith(f"found {written!r}")


def test_the_upr_word_table_is_what_the_docstring_and_the_schema_say() -> None:
    docstring = " ".join((Position.__doc__ or "").split())
    for word, position in UPR_POSITIONS.items():
        assert f'"{word}"' in docstring, word
        # Each group of words in the docstring ends with the position they are.
        after = docstring[docstring.index(f'"{word}"') :]
        named = [p for p in Position if f"``{p}``" in after]
        first = min(named, key=lambda p: after.index(f"``{p}``"))
        assert first is position, (word, first)
    quoted = {part.lower() for part in docstring.split('"')[1::2]}
    assert quoted == set(UPR_POSITIONS)
    description = schema("definitions")["$defs"]["Response"]["properties"]["position"][
        "description"
    ]
    words = description.split('"')[1::2]
    assert words  # the description names the UPR's words, each as the position it is
    for word in words:
        assert f'"{word}" is {UPR_POSITIONS[word.lower()]}' in description, word


# -- the same recommendation twice ------------------------------------------------------------


def test_the_same_recommendation_entered_twice_is_warned_naming_both() -> None:
    document = _dataset()
    again = copy.deepcopy(document["recommendations"][0])
    again.update(
        id="rec-again",
        text="  replace the PERMISSION regime\nwith notification. ",
        by=["sweden", "norway"],
        responses=[],
    )
    document["recommendations"].append(again)
    document["benchmarks"][0]["recommendations"].append("rec-again")
    problems = _problems(document)
    assert _seen(problems) == [("duplicate-recommendation", "warning", "/recommendations/1")]
    assert problems[0].message == (
        "recommendation 'rec-again' repeats recommendation 'rec-assembly': the same words, "
        "made by 'norway' and 'sweden' to 'kz' on 2014-10-31, would be counted twice; keep one "
        "record and move the other's responses and links to it"
    )


@pytest.mark.parametrize(
    "change",
    [
        {"text": "Replace the permission regime with a notification."},
        {"by": ["norway"]},
        {"to": "sweden"},
        {"date": "2014-10"},
    ],
)
def test_recommendations_that_differ_in_words_by_to_or_date_are_not_repeats(
    change: dict[str, Any],
) -> None:
    document = _dataset()
    other = {**copy.deepcopy(document["recommendations"][0]), "id": "rec-other", **change}
    document["recommendations"].append(other)
    document["benchmarks"][0]["recommendations"].append("rec-other")
    assert _problems(document) == []


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Free the press.", "free  the PRESS.", "Abolish exit visas."]),
            st.sampled_from([("norway",), ("sweden",), ("norway", "sweden")]),
            st.sampled_from(["2014-10-31", "2015"]),
        ),
        max_size=8,
    )
)
def test_each_recommendation_after_the_first_of_its_kind_is_warned_once(
    drawn: list[tuple[str, tuple[str, ...], str]],
) -> None:
    document = _dataset()
    document["recommendations"] = [
        {"id": f"r{i}", "text": text, "by": list(by), "to": "kz", "date": date, "mechanism": "upr"}
        for i, (text, by, date) in enumerate(drawn)
    ]
    document["benchmarks"][0]["recommendations"] = [f"r{i}" for i in range(len(drawn))]
    kinds = {(" ".join(t.split()).lower(), frozenset(by), date) for t, by, date in drawn}
    warned = [p for p in _problems(document) if p.code == "duplicate-recommendation"]
    assert len(warned) == len(drawn) - len(kinds)


# -- evidence and assessments: benchmarks or recommendations ----------------------------------


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_evidence_naming_neither_benchmarks_nor_recommendations_is_a_missing_field(
    backend: str,
) -> None:
    document = _dataset()
    document["evidence"] = [
        {"id": "e1", "source": "upr", "date": "2016", "direction": "progress", "summary": "S"}
    ]
    problems = _problems(document, backend)
    assert _seen(problems) == [("missing-field", "error", "/evidence/0/benchmarks")]
    assert problems[0].message == (
        "evidence 'e1' must name at least one benchmark or recommendation: add 'benchmarks' "
        "or 'recommendations'"
    )


_ASSESSMENT = {
    "id": "a1",
    "as_of": "2016",
    "scale": "upr-info-implementation",
    "assessor": "E",
    "rationale": "R",
}


@pytest.mark.parametrize("backend", ["fast", "reference"])
def test_an_assessment_naming_both_or_neither_is_told_to_name_one(backend: str) -> None:
    document = _dataset()
    document["assessments"] = [
        {**_ASSESSMENT, "benchmark": "bm-law", "recommendation": "rec-assembly"},
        {**_ASSESSMENT, "id": "a2"},
    ]
    problems = _problems(document, backend)
    assert _seen(problems) == [
        ("conflicting-fields", "error", "/assessments/0/recommendation"),
        ("missing-field", "error", "/assessments/1/benchmark"),
    ]
    assert [p.message for p in problems] == [
        (
            "assessment 'a1' must name either a benchmark or a recommendation, not both: keep one "
            "of 'benchmark' and 'recommendation' and remove the other"
        ),
        (
            "assessment 'a2' must name either a benchmark or a recommendation: add 'benchmark' or "
            "'recommendation'"
        ),
    ]
    assert all(p.line is None for p in problems)  # data in memory: no file, no line


def test_alternatives_that_are_not_fields_are_worded_as_another_rule_of_the_format() -> None:
    # No bundled schema has such an anyOf yet; one added later gets the general words.
    document = _dataset()
    violation = Violation(("actors", 0), "anyOf", [], ("properties", "actors", "items", "anyOf"))
    [problem] = problems_from_violations("dataset", document, [violation], None)
    assert (problem.code, problem.pointer) == ("schema-violation", "/actors/0")
    assert (
        problem.message == "actor 'kz': the file breaks the format's 'anyOf' rule (an empty list)"
    )


def test_an_assessment_of_a_recommendation_is_checked_like_one_of_a_benchmark() -> None:
    document = _dataset()
    document["evidence"] = [
        {
            "id": "ev-late",
            "source": "upr",
            "date": "2017-05",
            "recommendations": ["rec-assembly"],
            "direction": "progress",
            "summary": "S",
        }
    ]
    document["assessments"] = [
        {
            **_ASSESSMENT,
            "recommendation": "rec-assembly",
            "level": "partly-implemented",
            "evidence": ["ev-late"],
        }
    ]
    problems = _problems(document)
    assert _seen(problems) == [
        ("evidence-after-assessment", "error", "/assessments/0/evidence/0"),
        ("unknown-level", "error", "/assessments/0/level"),
    ]
    assert "(did you mean 'partially-implemented'?)" in problems[1].message
    assert problems[0].message == (
        "assessment 'a1' is as of 2016 but cites evidence 'ev-late', dated 2017-05"
    )


# -- quotes -------------------------------------------------------------------------------------


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "recommendations"
    shutil.copytree(VALID, folder)
    return folder


def _edit_manifest(folder: Path, edit: Any) -> ValidationReport:
    manifest = folder / "dataset.yaml"
    data = yaml.safe_load(manifest.read_text("utf-8"))
    edit(data)
    manifest.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
    return validate(folder)


def test_a_recommendations_quote_is_verified_against_its_source(fixture_copy: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["recommendations"][0]["quote"] = "replacing the permission regime with a licence"

    problems = list(_edit_manifest(fixture_copy, edit).problems)
    assert _seen(problems) == [("quote-not-found", "error", "/recommendations/0/quote")]
    assert problems[0].message.startswith(
        "recommendation 'rec-assembly': the quote does not occur in the archived text of "
        "source 'upr-report': it matches as far as 'replacing the permission regime with', "
        "then has 'a' where the archived text has 'notification'"
    )
    assert problems[0].line is not None


def test_a_responses_quote_is_verified_and_located_in_its_response(fixture_copy: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["recommendations"][0]["responses"][1]["quote"] = "Kazakhstan accepts 129.14"

    problems = list(_edit_manifest(fixture_copy, edit).problems)
    assert _seen(problems) == [("quote-not-found", "error", "/recommendations/0/responses/1/quote")]
    assert problems[0].message.startswith(
        "recommendation 'rec-assembly', response 2: the quote does not occur in the archived "
        "text of source 'upr-report'"
    )
    assert problems[0].value == "Kazakhstan accepts 129.14"


def test_a_responses_quote_from_a_source_without_archive_cannot_be_verified(
    fixture_copy: Path,
) -> None:
    def edit(data: dict[str, Any]) -> None:
        response = data["recommendations"][0]["responses"][0]
        response["source"] = "monitor"

    problems = list(_edit_manifest(fixture_copy, edit).problems)
    assert _seen(problems) == [
        ("quote-unverifiable", "warning", "/recommendations/0/responses/0/quote")
    ]
    assert problems[0].message == (
        "recommendation 'rec-assembly', response 1: the quote cannot be verified because "
        "source 'monitor' has no archived text"
    )


def test_a_responses_quote_waiting_for_a_source_that_did_not_load_is_not_unverifiable(
    fixture_copy: Path,
) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["sources"][0]["colour"] = "red"  # the archived source does not load
        data["sources"].append(
            {"id": "addendum", "title": "Addendum", "kind": "report", "cited_in": "upr-report"}
        )
        data["recommendations"][0]["responses"][1]["source"] = "addendum"

    problems = list(_edit_manifest(fixture_copy, edit).problems)
    assert _seen(problems) == [("unknown-field", "error", "/sources/0/colour")]


# -- standards of kind recommendation -----------------------------------------------------------


def test_a_standard_of_kind_recommendation_in_format_1_1_suggests_a_recommendation() -> None:
    document = _dataset()
    document["standards"] = [
        {"id": "hrc-2011", "title": "A recommendation to Kazakhstan", "kind": "recommendation"},
        {"id": "iccpr-21", "title": "ICCPR, article 21", "kind": "treaty-provision"},
    ]
    problems = _problems(document)
    assert _seen(problems) == [("recommendation-as-standard", "info", "/standards/0/kind")]
    assert problems[0].message == (
        "standard 'hrc-2011' is of kind 'recommendation': if a body addressed it to one duty "
        "bearer, enter it under recommendations instead (with who made it, to whom, and the "
        "responses), and name it in the recommendations of the benchmarks that follow from "
        "it, so that its responses and implementation are tracked; a general recommendation "
        "addressed to every State stays a standard"
    )


# -- generated datasets ---------------------------------------------------------------------------


@settings(max_examples=40)
@given(valid_datasets())
def test_consistent_datasets_with_recommendations_have_no_error_or_warning(
    dataset: Dataset,
) -> None:
    report = validate_data(json.loads(json.dumps(unstructure(dataset))))
    assert [str(p) for p in report.problems if p.severity is not Severity.INFO] == []
    named: set[str | None] = {a.recommendation for a in dataset.assessments}
    for records in (dataset.benchmarks, dataset.evidence, dataset.gates):
        named.update(ref for record in records for ref in record.recommendations)
    unlinked = [p.value for p in report.problems if p.code == "unlinked-recommendation"]
    assert unlinked == [r.id for r in dataset.recommendations if r.id not in named]
    assert all(isinstance(r, Recommendation) for r in dataset.recommendations)
