"""The fingerprint's encoder (orjson, a line per record) hashes the text it always hashed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, load_dataset
from benchmarkkit._conditions import ScoringConfig
from benchmarkkit.scoring import score
from benchmarkkit.scoring._fingerprint import (
    FINGERPRINT_VERSION,
    LineCache,
    _encode,
    _fast_canonical,
    _same,
    canonical,
    fingerprint,
)
from benchmarkkit.scoring._history import score_history
from tests.scoring_strategies import as_of_dates, recommendation_datasets
from tests.strategies import datasets as any_datasets

EXAMPLE = Path(__file__).parent.parent / "examples" / "kazakhstan-2012"


def _reference_dumps(value: Any) -> str:
    """How the fingerprint wrote each line before orjson: the standard library's json."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def _reference_fingerprint(
    *,
    as_of: dt.date,
    config: Any,
    rules: Mapping[str, str],
    structure: Mapping[str, Iterable[Any]],
    inputs: Iterable[tuple[str, str, Any]],
) -> str:
    """The fingerprint as it was computed before (text lines, sorted as text, hashed one by one)."""
    header = {
        "fingerprint_version": FINGERPRINT_VERSION,
        "as_of": as_of.isoformat(),
        "config": canonical(config),
        "rules": dict(rules),
    }
    records = [
        _reference_dumps(["structure", name, canonical(record)])
        for name, collection in structure.items()
        for record in collection
    ]
    records.extend(
        _reference_dumps(["input", collection, record_id, canonical(record)])
        for collection, record_id, record in inputs
    )
    records.sort()
    digest = hashlib.sha256(_reference_dumps(header).encode("utf-8"))
    for line in records:
        digest.update(b"\n")
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


# Floats of every kind orjson and the standard library write differently (1e-05 or
# 0.00001, 1e+16 or 1e16), integers beyond 64 bits (orjson refuses them), text of
# every plane but lone surrogates, which neither encodes.
_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_numbers = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [1e-05, 1.5e-07, 1e16, 1e22, -0.0, 5e-324, 1.7976931348623157e308, 123456789012345680.0]
)
_integers = st.integers() | st.sampled_from([2**63, -(2**63) - 1, 2**64, 10**30])
_plain = st.recursive(
    st.none() | st.booleans() | _integers | _numbers | _text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
    max_leaves=20,
)


@given(_plain)
def test_a_line_is_the_standard_librarys_json_in_utf8(value: Any) -> None:
    assert _encode(value) == _reference_dumps(canonical(value)).encode("utf-8")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_is_written_as_python_writes_it(number: float) -> None:
    assert _encode({"value": number}) == f'{{"value":{float.__repr__(number)}}}'.encode()


@given(any_datasets, as_of_dates)
def test_the_fingerprint_of_any_records_is_the_one_it_always_was(
    dataset: Dataset, as_of: dt.date
) -> None:
    """Every kind of record, nested records and odd text included, read or not."""
    arguments: dict[str, Any] = {
        "as_of": as_of,
        "config": dataset.scoring or ScoringConfig(),
        "rules": {"status-mapping": "built-in", "weighted-mean": "built-in"},
        "structure": {
            "benchmarks": dataset.benchmarks,
            "areas": dataset.areas,
            "gates": dataset.gates,
        },
        "inputs": [
            (name, record.id, record)
            for name in ("evidence", "assessments", "sources", "actors", "recommendations")
            for record in getattr(dataset, name)
        ],
    }
    expected = _reference_fingerprint(**arguments)
    assert fingerprint(**arguments) == expected
    lines = LineCache()
    assert fingerprint(**arguments, lines=lines) == expected
    assert fingerprint(**arguments, lines=lines) == expected  # every line from the cache


# Few examples: generating datasets is what costs, and the fingerprint test above walks
# the same records with the fast walk on every example of the profile.
@settings(max_examples=20)
@given(any_datasets)
def test_the_fast_walk_of_any_record_is_the_plain_one(dataset: Dataset) -> None:
    """The walk chosen once per type (``_fast_canonical``) gives what ``canonical`` gives."""
    for value in (dataset, dataset.scoring or ScoringConfig(), _plain_sample):
        assert canonical(value) == _fast_canonical(value, _same)


_plain_sample = {"a": [1.5, (2, None)], "b": {"c": dt.date(2012, 3, 20)}, "d": float("inf")}


@given(recommendation_datasets(), st.lists(as_of_dates, min_size=1, max_size=4))
def test_a_record_rebuilt_for_a_date_gets_its_own_line(
    dataset: Dataset, days: list[dt.date]
) -> None:
    """A recommendation is fingerprinted with the responses given by then: not another date's."""
    history = score_history(dataset, days, validated=True)
    assert [card.fingerprint for card in history] == [
        score(dataset, as_of=day, validated=True).fingerprint for day in days
    ]
    revised = attrs.evolve(
        dataset,
        recommendations=tuple(
            attrs.evolve(r, text=r.text + " (revised)") for r in dataset.recommendations
        ),
    )
    for card, again in zip(history, score_history(revised, days, validated=True), strict=True):
        made = card.recommendations is not None and card.recommendations.overall.total > 0
        assert (card.fingerprint != again.fingerprint) == made


def test_the_examples_fingerprints_are_the_ones_released() -> None:
    """The hex the library gave before the fast encoder, for two dates of the example."""
    dataset = load_dataset(EXAMPLE)
    cards = score_history(dataset, ["2012-03-20", "2016-01-01"])
    assert [card.fingerprint for card in cards] == [
        "a8d5184334018abe304de63db1cea33adee7820ae77ff1b37361c61b6b478046",
        "b95694b2a2621e255271c15a172816ee4c67adbc504edb60b6bfe6d70401b4f6",
    ]
    assert score(dataset, as_of="2016-01-01").fingerprint == cards[1].fingerprint
