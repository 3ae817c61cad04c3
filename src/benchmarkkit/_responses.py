"""Where a recommendation stands as of a date: made yet or not, the position taken, how far done.

Read from the typed records, below scoring and the reports, so that the
scorecard's counts and the reports' listings agree on every recommendation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from benchmarkkit._model import Assessment, Benchmark, Recommendation, Response
from benchmarkkit._vocabulary import Position

__all__ = [
    "areas_of_recommendations",
    "assessment_known",
    "given_by",
    "latest_assessments",
    "latest_response",
    "made_by",
    "position_as_of",
    "responses_as_of",
]


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


def assessment_known(assessment: Assessment, as_of: dt.date) -> bool:
    """Whether ``assessment`` counts as of ``as_of``.

    An assessment judges its whole period, so it counts once that period is
    over (its last day): "2027" counts from 2027-12-31.
    """
    return assessment.as_of.last_day <= as_of


def _assessed_order(assessment: Assessment) -> tuple[int, str]:
    return (assessment.as_of.order, assessment.id)


def latest_assessments(assessments: Iterable[Assessment], as_of: dt.date) -> dict[str, Assessment]:
    """The latest assessment of each recommendation's implementation known as of ``as_of``.

    By recommendation id. The latest is the one of the latest period (the
    first day, then the last day), ties by id; an assessment of a benchmark
    is not one of a recommendation.
    """
    known = sorted(
        (a for a in assessments if a.benchmark is None and assessment_known(a, as_of)),
        key=_assessed_order,
    )
    # Oldest first, so that the latest of each recommendation is the one that stays.
    return {a.recommendation: a for a in known if a.recommendation is not None}


def areas_of_recommendations(
    benchmarks: Iterable[Benchmark],
) -> Callable[[Recommendation], tuple[str, ...]]:
    """The areas of each recommendation, as a function read once from the benchmarks.

    A recommendation belongs to the areas it lists, then to the areas of the
    benchmarks that name it (each once, in that order): scoring counts it there,
    and the reports list it there.
    """
    via: dict[str, dict[str, None]] = {}
    for benchmark in benchmarks:
        for recommendation_id in benchmark.recommendations:
            via.setdefault(recommendation_id, {})[benchmark.area] = None

    def areas_of(recommendation: Recommendation) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*recommendation.areas, *via.get(recommendation.id, ()))))

    return areas_of
