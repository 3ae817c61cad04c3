"""Where a recommendation stands as of a date: made yet or not, and the position taken.

Read from the typed records, below scoring and the reports, so that the
scorecard's counts and the reports' listings agree on every recommendation.
"""

from __future__ import annotations

import datetime as dt

from benchmarkkit._model import Recommendation, Response
from benchmarkkit._vocabulary import Position

__all__ = ["given_by", "latest_response", "made_by", "position_as_of", "responses_as_of"]


def made_by(recommendation: Recommendation, as_of: dt.date) -> bool:
    """Whether ``recommendation`` was made on or before ``as_of``.

    A recommendation dated only to a month or a year counts from that period's
    first day, as evidence does.
    """
    return recommendation.date.is_on_or_before(as_of)


def given_by(response: Response, recommendation: Recommendation, as_of: dt.date) -> bool:
    """Whether ``response`` to ``recommendation`` was given on or before ``as_of``.

    An undated response counts from the recommendation's own date.
    """
    date = response.date if response.date is not None else recommendation.date
    return date.is_on_or_before(as_of)


def responses_as_of(recommendation: Recommendation, as_of: dt.date) -> tuple[Response, ...]:
    """The responses given on or before ``as_of``, in their order."""
    return tuple(r for r in recommendation.responses if given_by(r, recommendation, as_of))


def latest_response(recommendation: Recommendation, as_of: dt.date) -> Response | None:
    """The last response given on or before ``as_of``, or ``None``.

    An undated response counts from the recommendation's own date. Of responses
    of the same date, the later in the list wins: responses are listed in the
    order they were given.
    """
    latest: Response | None = None
    latest_date = recommendation.date
    for response in responses_as_of(recommendation, as_of):
        date = response.date if response.date is not None else recommendation.date
        if latest is None or not latest_date.is_certainly_after(date):
            latest, latest_date = response, date
    return latest


def position_as_of(recommendation: Recommendation, as_of: dt.date) -> Position:
    """The position of the latest response on or before ``as_of``; ``no-response`` if none."""
    response = latest_response(recommendation, as_of)
    return Position.NO_RESPONSE if response is None else response.position
