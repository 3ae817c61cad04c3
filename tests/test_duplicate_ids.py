"""A later copy of an id changes nothing: scoring, reports and comparisons list the first record.

Validation reports a repeated id (``duplicate-id``); everything else takes the
first record of each id, in dataset order, from the one index of records by
id. So a dataset with later copies appended scores, compares and reports
exactly as the same dataset without them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import Dataset
from benchmarkkit.reports._build import build_report
from benchmarkkit.reports._html import report_to_html
from benchmarkkit.reports._markdown_report import report_to_markdown
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import score
from benchmarkkit.scoring._compare import compare
from benchmarkkit.scoring._json import comparison_to_json, scorecard_to_json
from tests.conftest import EXAMPLE
from tests.scoring_strategies import partial_dates, scoring_datasets

BEFORE = dt.date(2011, 6, 30)
AS_OF = dt.date(2013, 6, 30)
#: The text of a later copy, where it has one: no output may show it.
COPY = "A LATER COPY"
#: The collections a later copy may be appended to (scoring datasets have no commitments).
COPIED = (
    "scales",
    "actors",
    "sources",
    "areas",
    "benchmarks",
    "indicators",
    "evidence",
    "assessments",
    "gates",
)


def _later_copy(record: Any, record_id: str, date: PartialDate) -> Any:
    """``record`` under the id ``record_id``, with other words and date where it has them."""
    names = {field.name for field in attrs.fields(type(record))}
    changes: dict[str, Any] = {name: COPY for name in ("title", "name", "summary") if name in names}
    changes.update((name, date) for name in ("date", "as_of") if name in names)
    return attrs.evolve(record, id=record_id, **changes)


@st.composite
def with_later_copies(draw: st.DrawFn, dataset: Dataset) -> Dataset:
    """``dataset`` with later copies of some of its ids appended to some collections.

    A copy is another record of the same collection (so its references resolve)
    given an id already used, or the record itself changed; its words and its date
    (so that a copied assessment would add a date to the timeline) are changed.
    """
    changes: dict[str, Any] = {}
    for collection in draw(st.lists(st.sampled_from(COPIED), min_size=1, unique=True)):
        records = getattr(dataset, collection)
        if not records:
            continue
        copies = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(records),
                    st.sampled_from([r.id for r in records]),
                    partial_dates(),
                ),
                min_size=1,
                max_size=3,
            )
        )
        changes[collection] = (*records, *(_later_copy(*copy) for copy in copies))
    return attrs.evolve(dataset, **changes)


def _outputs(dataset: Dataset) -> dict[str, Any]:
    """Everything a reader sees of ``dataset``: scorecard, comparison and both reports."""
    card = score(dataset, as_of=AS_OF, validated=True)
    comparison = compare(dataset, BEFORE, AS_OF, validated=True)
    history = [
        score(dataset, as_of=day, validated=True) for day in history_dates(dataset, AS_OF)[:-1]
    ]
    report = build_report(dataset, card, comparison=comparison, history=history)
    return {
        "scorecard": json.dumps(scorecard_to_json(card), sort_keys=True),
        "comparison": json.dumps(comparison_to_json(comparison), sort_keys=True),
        "history": [day.isoformat() for day in history_dates(dataset, AS_OF)],
        "markdown": report_to_markdown(report),
        "html": report_to_html(report),
    }


@given(st.data(), scoring_datasets())
def test_a_later_copy_of_any_id_changes_nothing_in_scorecards_comparisons_or_reports(
    data: st.DataObject, dataset: Dataset
) -> None:
    copied = data.draw(with_later_copies(dataset))
    expected = _outputs(dataset)
    found = _outputs(copied)
    assert found == expected
    assert COPY not in found["markdown"]
    assert COPY not in found["html"]


def _example_with_copies() -> tuple[Dataset, Dataset]:
    """The example, and it with later copies of a benchmark, area, gate, source and evidence."""
    example = benchmarkkit.load_dataset(EXAMPLE)
    benchmark, area, gate = example.benchmarks[0], example.areas[0], example.gates[0]
    source, evidence = example.sources[0], example.evidence[0]
    copied = attrs.evolve(
        example,
        benchmarks=(*example.benchmarks, attrs.evolve(benchmark, title=COPY, weight=7.0)),
        areas=(*example.areas, attrs.evolve(area, title=COPY, weight=3.0)),
        gates=(*example.gates, attrs.evolve(gate, title=COPY)),
        sources=(*example.sources, attrs.evolve(source, title=COPY)),
        evidence=(*example.evidence, attrs.evolve(evidence, summary=COPY, date="2012-03-01")),
    )
    return example, copied


def test_the_example_with_later_copies_is_scored_and_reported_once_per_id() -> None:
    example, copied = _example_with_copies()
    problems = [
        (problem.code, problem.pointer) for problem in benchmarkkit.validate(copied).problems
    ]
    last = {name: len(getattr(example, name)) for name in ("benchmarks", "areas", "gates")}
    assert {
        ("duplicate-id", f"/benchmarks/{last['benchmarks']}/id"),
        ("duplicate-id", f"/areas/{last['areas']}/id"),
        ("duplicate-id", f"/gates/{last['gates']}/id"),
    } <= set(problems)
    card = score(copied, as_of="2012-03-20", validated=True)
    first = example.benchmarks[0]
    assert [(b.title, b.weight) for b in card.benchmarks if b.benchmark_id == first.id] == [
        (first.title, first.weight)
    ]
    assert (card.overall.total, len(card.areas), len(card.gates)) == (
        len(example.areas),
        len(example.areas),
        len(example.gates),
    )
    expected = score(example, as_of="2012-03-20", validated=True)
    assert scorecard_to_json(card) == scorecard_to_json(expected)
    markdown = report_to_markdown(build_report(copied, card))
    assert COPY not in markdown
    assert markdown == report_to_markdown(build_report(example, expected))
