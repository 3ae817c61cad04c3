"""Properties every scorecard has, over generated datasets and dates."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from benchmarkkit import Dataset, Severity, structure, unstructure, validate_data
from benchmarkkit.scoring import Scorecard, score, scorecard_to_json
from benchmarkkit.scoring._errors import InvalidDatasetError
from benchmarkkit.scoring._gates import Verdict
from tests.scoring_strategies import (
    SCALES,
    as_of_dates,
    later_records,
    scoring_datasets,
    shuffled,
)
from tests.strategies import datasets as any_datasets

_VERDICT_RANK = {Verdict.FAIL: 0, Verdict.UNDETERMINED: 1, Verdict.PASS: 2}


def _by_id(card: Scorecard) -> dict[str, Any]:
    """The scorecard's JSON with benchmarks, areas and gates keyed by id (order set aside)."""
    document = scorecard_to_json(card)
    document["benchmarks"] = {b["benchmark_id"]: b for b in document["benchmarks"]}
    document["areas"] = {a["area_id"]: a for a in document["areas"]}
    document["gates"] = {g["gate_id"]: g for g in document["gates"]}
    return document


@given(scoring_datasets(), as_of_dates)
def test_every_score_is_in_the_unit_interval_or_not_assessable(
    dataset: Dataset, as_of: dt.date
) -> None:
    card = score(dataset, as_of=as_of)
    scores = (
        [b.score for b in card.benchmarks] + [a.score for a in card.areas] + [card.overall.score]
    )
    assert all(value is None or 0.0 <= value <= 1.0 for value in scores)
    for result in card.benchmarks:
        assert (result.met is None) == (result.score is None)
        if result.score is None:
            assert result.explanation.steps, "a benchmark that is not assessable says why"
    assert all(gate.verdict in Verdict for gate in card.gates)
    assert card.problems == ()


@given(scoring_datasets(), as_of_dates, st.data())
def test_a_better_status_never_lowers_a_score(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    known = [
        a for a in dataset.assessments if a.as_of.is_on_or_before(as_of) and a.level is not None
    ]
    assume(known)
    chosen = data.draw(st.sampled_from(known))
    scale = SCALES[chosen.scale]
    rank = scale.rank(chosen.level or "")
    assert rank is not None
    better = data.draw(st.sampled_from([level.id for level in scale.levels[rank:]]))
    improved = attrs.evolve(
        dataset,
        assessments=tuple(
            attrs.evolve(a, level=better) if a is chosen else a for a in dataset.assessments
        ),
    )
    before, after = score(dataset, as_of=as_of), score(improved, as_of=as_of)
    for old, new in zip(before.benchmarks, after.benchmarks, strict=True):
        assert (old.score is None) == (new.score is None)
        if old.score is not None and new.score is not None:
            assert new.score >= old.score
    for old_area, new_area in zip(before.areas, after.areas, strict=True):
        if old_area.score is not None and new_area.score is not None:
            assert new_area.score >= old_area.score - 1e-12
    for old_gate, new_gate in zip(before.gates, after.gates, strict=True):
        assert _VERDICT_RANK[new_gate.verdict] >= _VERDICT_RANK[old_gate.verdict]


@given(scoring_datasets(), as_of_dates, st.data())
def test_the_order_of_records_never_changes_the_scorecard(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    reordered = data.draw(shuffled(dataset))
    before, after = score(dataset, as_of=as_of), score(reordered, as_of=as_of)
    assert before.fingerprint == after.fingerprint
    assert _by_id(before) == _by_id(after)
    # Only the listing follows the dataset's order.
    assert [b.benchmark_id for b in after.benchmarks] == [b.id for b in reordered.benchmarks]


@given(scoring_datasets(), as_of_dates, st.data())
def test_records_dated_after_the_as_of_date_never_change_the_scorecard(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    extended = data.draw(later_records(dataset, as_of))
    assert score(dataset, as_of=as_of) == score(extended, as_of=as_of)


@given(scoring_datasets(), as_of_dates)
def test_equal_inputs_give_equal_fingerprints(dataset: Dataset, as_of: dt.date) -> None:
    copy = structure(json.loads(json.dumps(unstructure(dataset))), Dataset)
    first, second = score(dataset, as_of=as_of), score(copy, as_of=as_of)
    assert first.fingerprint == second.fingerprint
    assert first == second


@given(scoring_datasets(), as_of_dates, st.data())
def test_changing_an_input_used_changes_the_fingerprint(
    dataset: Dataset, as_of: dt.date, data: st.DataObject
) -> None:
    card = score(dataset, as_of=as_of)
    used = sorted(
        {
            (item.kind, item.id)
            for result in card.benchmarks
            for item in result.explanation.inputs
            if item.kind in {"assessment", "evidence", "reading"}
        }
    )
    assume(used)
    kind, record_id = data.draw(st.sampled_from(used))
    if kind == "assessment":
        changed = attrs.evolve(
            dataset,
            assessments=tuple(
                attrs.evolve(a, rationale=a.rationale + " (revised)") if a.id == record_id else a
                for a in dataset.assessments
            ),
        )
    else:
        changed = attrs.evolve(
            dataset,
            evidence=tuple(
                attrs.evolve(e, summary=e.summary + " (revised)") if e.id == record_id else e
                for e in dataset.evidence
            ),
        )
    assert score(changed, as_of=as_of).fingerprint != card.fingerprint


@given(scoring_datasets(), as_of_dates, st.sampled_from([0.5, 0.75]))
def test_the_fingerprint_covers_the_configuration_and_the_date(
    dataset: Dataset, as_of: dt.date, threshold: float
) -> None:
    card = score(dataset, as_of=as_of)
    config = attrs.evolve(card.config, met_threshold=threshold)
    assume(config != card.config)
    assert score(dataset, as_of=as_of, config=config).fingerprint != card.fingerprint
    assert score(dataset, as_of=as_of + dt.timedelta(days=1)).fingerprint != card.fingerprint


@given(any_datasets, st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
def test_scoring_never_crashes_even_on_an_inconsistent_dataset(
    dataset: Dataset, as_of: dt.date
) -> None:
    dataset = attrs.evolve(dataset, scoring=None)
    card = score(dataset, as_of=as_of, validated=True)
    json.dumps(scorecard_to_json(card), allow_nan=False)
    errors = [
        problem
        for problem in validate_data(unstructure(dataset)).problems
        if problem.severity is Severity.ERROR
    ]
    if errors:
        with pytest.raises(InvalidDatasetError) as refused:
            score(dataset, as_of=as_of)
        found = [(p.code, p.pointer) for p in refused.value.problems]
        assert found == [(p.code, p.pointer) for p in errors]
    else:
        assert score(dataset, as_of=as_of).fingerprint == card.fingerprint


@given(scoring_datasets(), as_of_dates)
def test_records_no_rule_reads_do_not_change_the_fingerprint(
    dataset: Dataset, as_of: dt.date
) -> None:
    renamed = attrs.evolve(
        dataset,
        actors=tuple(
            attrs.evolve(actor, name=actor.name + " (renamed)") for actor in dataset.actors
        ),
    )
    assert score(renamed, as_of=as_of).fingerprint == score(dataset, as_of=as_of).fingerprint
