"""Records built in code: the words of the format are accepted, and checked."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarkkit import (
    Actor,
    ActorKind,
    Assessment,
    Dataset,
    Evidence,
    EvidenceDirection,
    PartialDate,
    Reliability,
    dump_dataset,
    structure,
    unstructure,
)
from benchmarkkit._model import SCHEMA_VERSION


def test_vocabulary_words_and_date_text_become_typed_values() -> None:
    evidence = Evidence(
        id="e",
        source="s",
        date="2012-03",
        benchmarks=("b",),
        direction="progress",
        summary="S",
        reliability="unsure",
    )
    assert evidence.date == PartialDate(2012, 3)
    assert evidence.direction is EvidenceDirection.PROGRESS
    assert evidence.reliability is Reliability.UNSURE
    assert evidence == structure(unstructure(evidence), Evidence)
    assert "direction: progress" in dump_dataset(Dataset(id="d", title="T", evidence=(evidence,)))


def test_a_calendar_date_is_accepted_where_a_partial_date_is_expected() -> None:
    assessment = Assessment(
        id="a", benchmark="b", as_of=dt.date(2012, 3, 20), scale="s", assessor="x", rationale="r"
    )
    assert assessment.as_of == PartialDate.parse("2012-03-20")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Actor(id="a", name="A", kind="alien"), "'alien' is not a valid ActorKind"),
        (
            lambda: Evidence(
                id="e",
                source="s",
                date="20 March",
                benchmarks=("b",),
                direction="progress",
                summary="S",
            ),
            "expected a date written YYYY, YYYY-MM or YYYY-MM-DD",
        ),
    ],
)
def test_words_outside_the_vocabulary_are_refused(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]


def test_members_pass_through_unchanged() -> None:
    actor = Actor(id="a", name="A", kind=ActorKind.NGO)
    assert actor.kind is ActorKind.NGO


# -- structure() checks outside data as a file is checked ---------------------------------

EVIDENCE = {
    "id": "ev-1",
    "source": "report",
    "date": "2012-03",
    "benchmarks": ["bm-1"],
    "direction": "progress",
    "summary": "A law was passed.",
}


def _problems(data: object, cls: type) -> list[tuple[str, str]]:
    from benchmarkkit import DatasetError

    with pytest.raises(DatasetError) as caught:
        structure(data, cls)
    assert isinstance(caught.value, ValueError)
    return [(p.code, p.pointer) for p in caught.value.problems]


def test_good_data_structures_to_the_record() -> None:
    evidence = structure(EVIDENCE, Evidence)
    assert evidence.benchmarks == ("bm-1",)
    assert unstructure(evidence) == EVIDENCE


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"benchmarks": "bm-1"}, [("wrong-type", "/benchmarks")]),
        ({"source": 5}, [("wrong-type", "/source")]),
        ({"summary": ""}, [("wrong-length", "/summary")]),
        ({"id": "ev 1"}, [("invalid-format", "/id")]),
        ({"colour": "red"}, [("unknown-field", "/colour")]),
        ({"date": "2013-02-29"}, [("invalid-date", "/date")]),
        ({"summary": "half \ud800"}, [("invalid-text", "/summary")]),
    ],
)
def test_bad_data_raises_dataset_error_with_located_problems(
    change: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    assert _problems({**EVIDENCE, **change}, Evidence) == expected


def test_every_problem_is_reported_at_once_with_the_schema_words() -> None:
    from benchmarkkit import DatasetError

    with pytest.raises(DatasetError) as caught:
        structure({**EVIDENCE, "benchmarks": "bm-1", "summary": "", "id": 3}, Evidence)
    assert sorted(p.pointer for p in caught.value.problems) == ["/benchmarks", "/id", "/summary"]
    message = str(caught.value)
    assert message.startswith("<data>: 3 problems of error severity")
    assert "'benchmarks' must be a list, found text" in message


def test_nested_values_are_checked_against_their_place_in_a_file() -> None:
    from benchmarkkit import Measurement
    from benchmarkkit._conditions import AtLeast, ScoringConfig

    assert structure({"value": 3, "date": "2012"}, Measurement).value == 3
    assert _problems({"value": [1]}, Measurement) == [("wrong-type", "/value")]
    assert ("unknown-field", "/colour") in _problems(
        {"kind": "at-least", "count": 1, "conditions": [], "colour": 1}, AtLeast
    )
    assert _problems({"met_threshold": 2}, ScoringConfig) == [("out-of-range", "/met_threshold")]


def test_a_dataset_without_schema_version_is_of_the_current_version() -> None:
    dataset = structure({"id": "demo", "title": "Demo"}, Dataset)
    assert dataset.schema_version == SCHEMA_VERSION == "1.1"
    assert _problems({"id": "demo", "title": ""}, Dataset) == [("wrong-length", "/title")]
