"""Scoring of recommendations: positions and implementation counted as of a date, by group.

Worked by hand on a small dataset (the numbers of docs/scoring.md), then as
properties over generated datasets (``tests/scoring_strategies.py``):
shares in [0, 1], counts that add up, totals that grow with the date, records
dated later that change nothing, and benchmark scores that assessments of
recommendations never touch.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from benchmarkkit import load_dataset
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import (
    Actor,
    Area,
    Assessment,
    Dataset,
    Recommendation,
    Response,
)
from benchmarkkit._save import dump_dataset
from benchmarkkit._vocabulary import ActorKind, Mechanism, Position
from benchmarkkit.scoring._json import SCORECARD_FORMAT_VERSION, scorecard_to_json
from benchmarkkit.scoring._results import RecommendationCounts, RecommendationResults, Scorecard
from benchmarkkit.scoring._scorecard import score
from tests.conftest import ROOT, Run
from tests.scoring_strategies import (
    STATUS,
    as_of_dates,
    later_recommendation_records,
    make_assessment,
    make_benchmark,
    recommendation_datasets,
    shuffled,
)

#: Examples for the properties that score whole datasets (several scorings each): at most
#: 50, so that the thorough run stays within its time.
_EXPENSIVE = min(50, settings().max_examples)

AS_OF = "2012-03-20"
FROZEN = ROOT / "tests" / "data" / "format-1.0"


def _recommendation(
    rec_id: str,
    date: str,
    by: tuple[str, ...],
    mechanism: Mechanism,
    *,
    areas: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    responses: tuple[tuple[Position, str | None], ...] = (),
) -> Recommendation:
    return Recommendation(
        id=rec_id,
        text=f"The words of {rec_id}.",
        by=by,
        to="kz",
        date=PartialDate.parse(date),
        mechanism=mechanism,
        areas=areas,
        themes=themes,
        responses=tuple(
            Response(
                by="kz",
                position=position,
                date=None if when is None else PartialDate.parse(when),
            )
            for position, when in responses
        ),
    )


def _implementation(assessment_id: str, rec_id: str, as_of: str, level: str | None) -> Assessment:
    return Assessment(
        id=assessment_id,
        recommendation=rec_id,
        as_of=PartialDate.parse(as_of),
        scale="upr-info-implementation",
        level=level,
        assessor="The editors",
        rationale="Read from the State's mid-term report.",
    )


def worked_example() -> Dataset:
    """The dataset of the worked example in docs/scoring.md."""
    upr, ngo, treaty = Mechanism.UPR, Mechanism.NGO, Mechanism.TREATY_BODY
    supported, partially = Position.SUPPORTED, Position.PARTIALLY_SUPPORTED
    return Dataset(
        id="recs",
        title="Recommendations",
        actors=(
            Actor(id="kz", name="Kazakhstan", kind=ActorKind.STATE),
            Actor(id="no", name="Norway", kind=ActorKind.STATE),
            Actor(id="hrw", name="Human Rights Watch", kind=ActorKind.NGO),
        ),
        areas=(Area(id="area-1", title="Torture"), Area(id="area-2", title="Fair trial")),
        benchmarks=(
            attrs.evolve(make_benchmark("bm-1", area="area-2"), recommendations=("rec-3",)),
        ),
        recommendations=(
            _recommendation(
                "rec-1",
                "2010-05",
                ("no", "hrw"),
                upr,
                areas=("area-1",),
                themes=("Torture",),
                responses=((supported, "2010-06-10"),),
            ),
            _recommendation(
                "rec-2",
                "2010-05-01",
                ("no",),
                upr,
                areas=("area-1",),
                themes=("Torture", "Elections"),
                responses=((Position.PENDING, "2010-06-01"), (Position.NOTED, "2010-09-15")),
            ),
            _recommendation(
                "rec-3", "2011", ("hrw",), ngo, areas=("area-2",), responses=((partially, None),)
            ),
            _recommendation("rec-4", "2012-02-01", ("hrw",), treaty, areas=("area-1",)),
            _recommendation("rec-5", "2013-01-01", ("no",), upr, responses=((supported, None),)),
        ),
        assessments=(
            _implementation("as-1", "rec-1", "2010-12", "not-implemented"),
            _implementation("as-2", "rec-1", "2011-06", "fully-implemented"),
            _implementation("as-3", "rec-3", "2012-01-15", "partially-implemented"),
            _implementation("as-4", "rec-2", "2011-06", "fully-implemented"),
        ),
    )


def _counts(group: RecommendationCounts) -> dict[str, int]:
    return {entry.position.value: entry.count for entry in group.positions if entry.count}


# -- the worked example ----------------------------------------------------------------------


def test_recommendations_are_counted_by_their_position_as_of_the_date() -> None:
    part = score(worked_example(), as_of=AS_OF).recommendations
    assert part is not None
    assert part.overall.total == 4  # rec-5 is made in 2013
    assert _counts(part.overall) == {
        "supported": 1,
        "partially-supported": 1,
        "noted": 1,
        "no-response": 1,
    }
    assert part.overall.share(Position.SUPPORTED) == 0.25
    assert part.overall.share("rejected") == 0.0
    assert part.overall.explanation.steps == (
        (
            "All recommendations: 1 of 4 recommendations supported as of 2012-03-20; "
            "1 partially supported; 1 noted; 1 without response."
        ),
        (
            "Of the 2 recommendations supported or partially supported, 1 fully implemented, "
            "1 partially implemented, 0 not implemented, 0 not assessed. Implemented: 1 of 2 "
            "assessed (0.5); fully or partially: 1."
        ),
    )
    assert [(i.kind, i.id, i.value) for i in part.overall.explanation.inputs] == [
        ("recommendation", "rec-2", "noted"),
        ("recommendation", "rec-1", "supported"),
        ("assessment", "as-2", "fully-implemented"),
        ("recommendation", "rec-3", "partially-supported"),
        ("assessment", "as-3", "partially-implemented"),
        ("recommendation", "rec-4", "no-response"),
    ]


def test_the_latest_response_by_the_date_is_the_position() -> None:
    part = score(worked_example(), as_of="2010-06-05").recommendations
    assert part is not None
    # rec-1 is answered on 2010-06-10, after the date; rec-2 was pending on 2010-06-01.
    assert _counts(part.overall) == {"pending": 1, "no-response": 1}
    assert part.overall.explanation.steps == (
        (
            "All recommendations: 0 of 2 recommendations supported as of 2010-06-05; "
            "1 pending; 1 without response."
        ),
    )
    later = score(worked_example(), as_of="2010-09-15").recommendations
    assert later is not None
    assert _counts(later.overall) == {"supported": 1, "noted": 1}


def test_implementation_counts_the_latest_assessment_of_recommendations_taken_on() -> None:
    part = score(worked_example(), as_of=AS_OF).recommendations
    assert part is not None
    done = part.overall.implementation
    # rec-2 is noted: its assessment is not counted. rec-1's later assessment wins.
    assert attrs.astuple(done) == (2, 1, 1, 0, 0, 0.5, 1.0)
    assert done.assessed == 2
    before = score(worked_example(), as_of="2011-01-31").recommendations
    assert before is not None
    assert attrs.asdict(before.overall.implementation) == {
        "taken_on": 2,
        "fully_implemented": 0,
        "partially_implemented": 0,
        "not_implemented": 1,
        "not_assessed": 1,
        "implemented_share": 0.0,
        "acted_on_share": 0.0,
    }


def test_an_assessment_without_a_level_leaves_a_recommendation_not_assessed() -> None:
    dataset = worked_example()
    dataset = attrs.evolve(
        dataset,
        assessments=(
            *dataset.assessments,
            _implementation("as-5", "rec-1", "2012-01", None),
            _implementation("as-6", "rec-3", "2012-02", None),
        ),
    )
    part = score(dataset, as_of=AS_OF).recommendations
    assert part is not None
    done = part.overall.implementation
    assert (done.taken_on, done.not_assessed, done.implemented_share) == (2, 2, None)
    assert part.overall.explanation.steps[1] == (
        "Of the 2 recommendations supported or partially supported, 0 fully implemented, "
        "0 partially implemented, 0 not implemented, 2 not assessed. None is assessed, so no "
        "share implemented is given."
    )


def test_any_scale_says_implemented_by_its_levels_values() -> None:
    dataset = worked_example()
    on_another_scale = attrs.evolve(
        make_assessment("as-7", "bm-1", "2012-03-01", "partly-met", scale=STATUS.id),
        benchmark=None,
        recommendation="rec-1",
    )
    dataset = attrs.evolve(
        dataset, scales=(STATUS,), assessments=(*dataset.assessments, on_another_scale)
    )
    part = score(dataset, as_of=AS_OF).recommendations
    assert part is not None
    # partly-met is valued 0.6 on the status scale: partially implemented.
    assert attrs.astuple(part.overall.implementation)[:5] == (2, 0, 2, 0, 0)


def test_a_group_counts_each_of_its_recommendations_once() -> None:
    part = score(worked_example(), as_of=AS_OF).recommendations
    assert part is not None
    # rec-3 lists area-2, and bm-1 of area-2 follows from it: counted once.
    assert [(g.key, g.label, g.total) for g in part.areas] == [
        ("area-1", "Torture", 3),
        ("area-2", "Fair trial", 1),
    ]
    assert [(g.key, g.total) for g in part.mechanisms] == [
        ("upr", 2),
        ("treaty-body", 1),
        ("ngo", 1),
    ]
    assert part.mechanism("upr").label == "Universal Periodic Review"
    assert [(g.key, g.label, g.total) for g in part.actors] == [
        ("no", "Norway", 2),
        ("hrw", "Human Rights Watch", 3),
    ]
    assert [(g.key, g.total) for g in part.themes] == [("Elections", 1), ("Torture", 2)]
    assert part.theme("Torture").explanation.steps == (
        "Torture: 1 of 2 recommendations supported as of 2012-03-20; 1 noted.",
        (
            "Of the 1 recommendation supported or partially supported, 1 fully implemented, "
            "0 partially implemented, 0 not implemented, 0 not assessed. Implemented: 1 of 1 "
            "assessed (1); fully or partially: 1."
        ),
    )
    with pytest.raises(KeyError):
        part.mechanism("parliament")


def test_a_benchmark_names_its_area_for_a_recommendation_that_lists_none() -> None:
    dataset = worked_example()
    dataset = attrs.evolve(
        dataset,
        recommendations=tuple(
            attrs.evolve(r, areas=()) if r.id == "rec-3" else r for r in dataset.recommendations
        ),
    )
    part = score(dataset, as_of=AS_OF).recommendations
    assert part is not None
    assert part.area("area-2").total == 1


def test_before_any_recommendation_the_part_is_there_with_nothing_counted() -> None:
    part = score(worked_example(), as_of="2009-12-31").recommendations
    assert part is not None
    assert part.overall.total == 0
    assert {entry.share for entry in part.overall.positions} == {None}
    assert part.overall.explanation.steps == (
        "All recommendations: no recommendation made on or before 2009-12-31.",
    )
    assert (part.themes, part.mechanisms, part.actors) == ((), (), ())
    assert [g.total for g in part.areas] == [0, 0]


# -- a dataset without recommendations, and format 1.0 -----------------------------------------


def test_a_dataset_without_recommendations_has_no_recommendations_part() -> None:
    dataset = attrs.evolve(worked_example(), recommendations=(), benchmarks=(), assessments=())
    card = score(dataset, as_of=AS_OF)
    assert card.recommendations is None
    assert "recommendations" not in scorecard_to_json(card)


def test_the_frozen_format_1_0_example_scores_to_its_frozen_scorecard() -> None:
    """Everything but the scorecard format's version (and its schema) and the tool's version."""
    frozen = json.loads((FROZEN / "kazakhstan-2012.scorecard.json").read_text("utf-8"))
    # It was written without --as-of: as of the day it was frozen.
    card = score(load_dataset(FROZEN / "kazakhstan-2012"), as_of=frozen["as_of"])
    document = scorecard_to_json(card)
    envelope = {"$schema", "scorecard_format_version", "tool"}
    assert {k: v for k, v in document.items() if k not in envelope} == {
        k: v for k, v in frozen.items() if k not in envelope
    }
    assert (frozen["scorecard_format_version"], document["scorecard_format_version"]) == (
        "1.0",
        SCORECARD_FORMAT_VERSION,
    )


# -- the JSON form and the text ------------------------------------------------------------


def _validator() -> jsonschema.Draft202012Validator:
    text = (resources.files("benchmarkkit") / "schemas" / "scorecard.schema.json").read_text(
        "utf-8"
    )
    return jsonschema.Draft202012Validator(json.loads(text))


def test_the_json_form_holds_the_part_and_the_schema_accepts_it() -> None:
    document = scorecard_to_json(score(worked_example(), as_of=AS_OF))
    assert document["scorecard_format_version"] == "1.1"
    assert document["$schema"] == "https://schemas.benchmarkkit.org/1.1/scorecard.schema.json"
    part = document["recommendations"]
    assert list(part) == ["overall", "areas", "themes", "mechanisms", "actors"]
    overall = part["overall"]
    assert (overall["key"], overall["label"], overall["total"]) == (
        None,
        "All recommendations",
        4,
    )
    assert overall["positions"][0] == {"position": "supported", "count": 1, "share": 0.25}
    assert overall["implementation"]["implemented_share"] == 0.5
    assert list(_validator().iter_errors(document)) == []


def test_the_schema_reads_a_scorecard_of_format_1_0() -> None:
    frozen = json.loads((FROZEN / "kazakhstan-2012.scorecard.json").read_text("utf-8"))
    assert list(_validator().iter_errors(frozen)) == []


def test_the_schema_refuses_counts_that_are_no_counts() -> None:
    document = scorecard_to_json(score(worked_example(), as_of=AS_OF))
    document["recommendations"]["overall"]["positions"][0]["share"] = 1.5
    document["recommendations"]["overall"]["total"] = -1
    messages = sorted(error.message for error in _validator().iter_errors(document))
    assert messages == ["-1 is less than the minimum of 0", "1.5 is greater than the maximum of 1"]


def test_the_text_scorecard_shows_the_recommendations(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "recs.json"
    path.write_text(dump_dataset(worked_example(), "json"), encoding="utf-8")
    run = cli("score", path, "--as-of", AS_OF)
    assert run.status == 0
    rows = [" ".join(line.strip("│┃ ").split()) for line in run.out.splitlines()]
    header = next(row for row in rows if row.startswith("Recommendations as of"))
    # Only positions some group holds get a column.
    assert " ".join(header.replace("│", " ").replace("┃", " ").split()) == (
        "Recommendations as of 2012-03-20 Made Supported Partly Noted No response Implemented"
    )
    table = [" ".join(row.replace("│", " ").split()) for row in rows]
    assert "All recommendations 4 1 1 1 1 1 of 2 assessed" in table
    assert "By area" in table
    assert "Torture 3 1 0 1 1 1 of 1 assessed" in table
    assert "Treaty bodies 1 0 0 0 1 -" in table
    assert "Human Rights Watch 3 1 1 0 1 1 of 2 assessed" in table
    assert not any(row.startswith("Elections") for row in table)  # themes: with --explain
    explained = cli("score", path, "--as-of", AS_OF, "--explain")
    assert "Elections: 0 of 1 recommendation supported as of 2012-03-20; 1 noted." in (
        " ".join(explained.out.split())
    )


def test_the_csv_holds_benchmarks_areas_and_gates_only(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "recs.json"
    path.write_text(dump_dataset(worked_example(), "json"), encoding="utf-8")
    run = cli("score", path, "--as-of", AS_OF, "--format", "csv")
    subjects = {line.split(",")[2] for line in run.out.splitlines()[1:]}
    assert (run.status, subjects) == (0, {"overall", "area", "benchmark"})


# -- the fingerprint -------------------------------------------------------------------------


def _with_response(dataset: Dataset, rec_id: str, position: Position, date: str) -> Dataset:
    return attrs.evolve(
        dataset,
        recommendations=tuple(
            attrs.evolve(
                r,
                responses=(
                    *r.responses,
                    Response(by="kz", position=position, date=PartialDate.parse(date)),
                ),
            )
            if r.id == rec_id
            else r
            for r in dataset.recommendations
        ),
    )


def test_a_response_given_by_the_date_changes_the_fingerprint_and_a_later_one_does_not() -> None:
    dataset = worked_example()
    card = score(dataset, as_of=AS_OF)
    answered = score(_with_response(dataset, "rec-4", Position.REJECTED, "2012-03"), as_of=AS_OF)
    assert answered.fingerprint != card.fingerprint
    later = score(_with_response(dataset, "rec-4", Position.REJECTED, "2012-04"), as_of=AS_OF)
    assert later == card


def test_a_recommendation_made_later_changes_neither_the_scorecard_nor_its_fingerprint() -> None:
    dataset = worked_example()
    without = attrs.evolve(dataset, recommendations=dataset.recommendations[:4])
    assert score(without, as_of=AS_OF) == score(dataset, as_of=AS_OF)


def test_a_changed_implementation_assessment_changes_the_fingerprint() -> None:
    dataset = worked_example()
    revised = attrs.evolve(
        dataset,
        assessments=tuple(
            attrs.evolve(a, rationale="Read again.") if a.id == "as-3" else a
            for a in dataset.assessments
        ),
    )
    assert score(revised, as_of=AS_OF).fingerprint != score(dataset, as_of=AS_OF).fingerprint


# -- properties --------------------------------------------------------------------------------


def _groups(part: RecommendationResults) -> list[RecommendationCounts]:
    return [part.overall, *part.areas, *part.themes, *part.mechanisms, *part.actors]


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates)
def test_shares_are_in_the_unit_interval_and_counts_add_up(
    dataset: Dataset, as_of: dt.date
) -> None:
    part = score(dataset, as_of=as_of).recommendations
    assert part is not None
    for group in _groups(part):
        assert [entry.position for entry in group.positions] == list(Position)
        assert sum(entry.count for entry in group.positions) == group.total
        for entry in group.positions:
            if group.total == 0:
                assert entry.share is None
            else:
                assert entry.share is not None
                assert 0 <= entry.share <= 1
        done = group.implementation
        taken_on = group.count(Position.SUPPORTED) + group.count(Position.PARTIALLY_SUPPORTED)
        assert done.taken_on == taken_on
        assert done.assessed + done.not_assessed == taken_on
        if done.assessed == 0:
            assert (done.implemented_share, done.acted_on_share) == (None, None)
        else:
            assert done.implemented_share is not None
            assert done.acted_on_share is not None
            assert 0 <= done.implemented_share <= done.acted_on_share <= 1


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates)
def test_mechanisms_partition_the_recommendations_and_other_groups_need_not(
    dataset: Dataset, as_of: dt.date
) -> None:
    part = score(dataset, as_of=as_of).recommendations
    assert part is not None
    made = [r for r in dataset.recommendations if r.date.first_day <= as_of]
    assert part.overall.total == len(made)
    for position in Position:
        assert sum(g.count(position) for g in part.mechanisms) == part.overall.count(position)
    for field in ("taken_on", "fully_implemented", "not_assessed"):
        assert sum(getattr(g.implementation, field) for g in part.mechanisms) == getattr(
            part.overall.implementation, field
        )
    # A recommendation may be in several areas, themes and actors' groups, or in none.
    for groups in (part.areas, part.themes, part.actors):
        assert all(g.total <= part.overall.total for g in groups)
    assert sum(g.total for g in part.actors) >= part.overall.total


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates, as_of_dates)
def test_totals_never_fall_as_the_date_moves_later(
    dataset: Dataset, first: dt.date, second: dt.date
) -> None:
    early, late = sorted((first, second))
    before, after = score(dataset, as_of=early), score(dataset, as_of=late)
    assert before.recommendations is not None
    assert after.recommendations is not None
    totals_after = {
        (kind, g.key): g.total
        for kind in ("areas", "themes", "mechanisms", "actors")
        for g in getattr(after.recommendations, kind)
    }
    assert after.recommendations.overall.total >= before.recommendations.overall.total
    for kind in ("areas", "themes", "mechanisms", "actors"):
        for group in getattr(before.recommendations, kind):
            assert totals_after[(kind, group.key)] >= group.total


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates, st.data())
def test_responses_and_records_dated_after_the_date_never_change_the_scorecard(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    extended = data.draw(later_recommendation_records(dataset, as_of))
    assert score(extended, as_of=as_of) == score(dataset, as_of=as_of)


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates, st.data())
def test_the_order_of_records_never_changes_the_counts(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    reordered = data.draw(shuffled(dataset))
    reordered = attrs.evolve(
        reordered, recommendations=tuple(data.draw(st.permutations(dataset.recommendations)))
    )

    def by_key(card: Scorecard) -> dict[tuple[str, str | None], RecommendationCounts]:
        part = card.recommendations
        assert part is not None
        return {
            (kind, g.key): g
            for kind in ("areas", "themes", "mechanisms", "actors")
            for g in getattr(part, kind)
        } | {("overall", None): part.overall}

    before, after = score(dataset, as_of=as_of), score(reordered, as_of=as_of)
    assert by_key(before) == by_key(after)
    assert before.fingerprint == after.fingerprint


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(), as_of_dates)
def test_assessments_of_recommendations_never_change_a_benchmark_score(
    dataset: Dataset, as_of: dt.date
) -> None:
    assume(any(a.recommendation is not None for a in dataset.assessments))
    without = attrs.evolve(
        dataset, assessments=tuple(a for a in dataset.assessments if a.benchmark is not None)
    )
    first, second = score(dataset, as_of=as_of), score(without, as_of=as_of)
    assert (first.benchmarks, first.areas, first.overall, first.gates) == (
        second.benchmarks,
        second.areas,
        second.overall,
        second.gates,
    )


@settings(max_examples=_EXPENSIVE)
@given(recommendation_datasets(max_size=4), as_of_dates)
def test_every_generated_scorecard_is_valid_against_the_schema(
    dataset: Dataset, as_of: dt.date
) -> None:
    document: dict[str, Any] = json.loads(
        json.dumps(scorecard_to_json(score(dataset, as_of=as_of)))
    )
    assert list(_validator().iter_errors(document)) == []


def test_the_markdown_scorecard_shows_the_recommendations_as_the_text_one_does(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    path = tmp_path / "recs.json"
    path.write_text(dump_dataset(worked_example(), "json"), encoding="utf-8")
    run = cli("score", path, "--as-of", AS_OF, "--format", "markdown")
    assert run.status == 0
    text = run.out
    section = text[text.index("## Recommendations") : text.index("## How each score")]
    assert "Recommendations made on or before 2012-03-20, by their position on that date." in (
        section
    )
    assert "| Group | Made | Supported | Partly | Noted | No response | Implemented |" in section
    assert "| All recommendations | 4 | 1 | 1 | 1 | 1 | 1 of 2 assessed |" in section
    assert "| Torture | 3 | 1 | 0 | 1 | 1 | 1 of 1 assessed |" in section
    assert "| Treaty bodies | 1 | 0 | 0 | 0 | 1 | - |" in section
    assert "| Human Rights Watch | 3 | 1 | 1 | 0 | 1 | 1 of 2 assessed |" in section
    assert "- All recommendations: 1 of 4 recommendations supported as of 2012-03-20" in section


def test_a_markdown_scorecard_without_recommendations_has_no_such_section(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    run = cli(
        "score", ROOT / "tests" / "data" / "format-1.0" / "kazakhstan-2012", "--format", "markdown"
    )
    assert run.status == 0
    assert "## Recommendations" not in run.out
