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
