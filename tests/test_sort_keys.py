"""Partial dates sort by an integer built once per date, in exactly the order the dates did."""

from __future__ import annotations

import datetime as dt
import functools

from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._dates import PartialDate
from tests.strategies import partial_dates


def _reference_key(date: PartialDate) -> tuple[dt.date, dt.date]:
    """The key scoring sorted by before: the first day, then the last day, as dates."""
    return (date.first_day, date.last_day)


def _reference_compare(first: PartialDate, second: PartialDate) -> int:
    """The old comparison of two dates, -1, 0 or 1."""
    a, b = _reference_key(first), _reference_key(second)
    return (a > b) - (a < b)


# Years, months and days close together, so that ties and overlapping periods are common.
_close_dates = partial_dates(min_year=2011, max_year=2013)
_dates = st.one_of(_close_dates, partial_dates(min_year=1000, max_year=9999))


@given(st.lists(st.tuples(_dates, st.sampled_from("abc")), max_size=30))
def test_integer_key_sorts_records_as_the_date_key_did(
    records: list[tuple[PartialDate, str]],
) -> None:
    expected = sorted(records, key=lambda r: (*_reference_key(r[0]), r[1]))
    actual = sorted(records, key=lambda r: (r[0].order, r[1]))
    assert expected == actual


@given(st.lists(_close_dates, max_size=30))
def test_integer_key_keeps_the_order_of_ties(dates: list[PartialDate]) -> None:
    # A stable sort keeps equal keys in input order: the same items must tie under both keys.
    tagged = list(enumerate(dates))
    expected = [i for i, _ in sorted(tagged, key=lambda t: _reference_key(t[1]))]
    actual = [i for i, _ in sorted(tagged, key=lambda t: t[1].order)]
    assert expected == actual


@given(_dates, _dates)
def test_comparisons_agree_with_the_date_key(first: PartialDate, second: PartialDate) -> None:
    expected = _reference_compare(first, second)
    actual = (first.order > second.order) - (first.order < second.order)
    assert expected == actual
    assert (expected < 0, expected <= 0, expected > 0, expected >= 0) == (
        first < second,
        first <= second,
        first > second,
        first >= second,
    )


@given(st.lists(_close_dates, max_size=30))
def test_sorting_dates_themselves_matches_the_old_comparison(dates: list[PartialDate]) -> None:
    expected = sorted(dates, key=functools.cmp_to_key(_reference_compare))
    assert expected == sorted(dates)


def test_year_month_and_day_of_the_same_first_day_sort_shortest_period_first() -> None:
    dates = [
        PartialDate(2012),
        PartialDate(2012, 1),
        PartialDate(2012, 1, 1),
        PartialDate(2011, 12),
    ]
    expected = [
        PartialDate(2011, 12),
        PartialDate(2012, 1, 1),
        PartialDate(2012, 1),
        PartialDate(2012),
    ]
    assert expected == sorted(dates, key=lambda d: d.order)


def test_the_key_is_computed_once_per_date() -> None:
    date = PartialDate(2012, 2)
    expected = 2012020120120229  # 2012-02-01, then 2012-02-29
    assert expected == date.order
    assert date.order is date.order  # the same object: kept, not built again
