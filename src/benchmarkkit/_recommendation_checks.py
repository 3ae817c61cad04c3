"""Checks of recommendations and their responses (format 1.1): dates, repeats, old standards.

Recommendations come by the hundred thousand (a UPR export), so each check
reads every record once and looks up by id or by key in a dict. Which records
link to a recommendation is checked with every other reference, by
:func:`benchmarkkit._checks.check_links`.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchmarkkit._context import CheckContext
from benchmarkkit._index import index_of
from benchmarkkit._model import Dataset, Recommendation
from benchmarkkit._problems import Problem
from benchmarkkit._since import version_at_least
from benchmarkkit._vocabulary import StandardKind
from benchmarkkit._wording import one_of, short

__all__ = ["RECOMMENDATION_CHECKS"]


def check_response_dates(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """No response is dated before the recommendation it answers."""
    for recommendation in dataset.recommendations:
        made = recommendation.date
        for position, response in enumerate(recommendation.responses):
            answered = response.date
            # A later year is never before; the other cases compare as partial dates do.
            if answered is None or answered.year > made.year:
                continue
            if not made.is_certainly_after(answered):
                continue
            yield context.problem(
                "response-before-recommendation",
                f"recommendation {short(recommendation.id)}: response {position + 1} (by "
                f"{short(response.by)}) is dated {response.date}, before the recommendation "
                f"was made ({made}): a response answers a recommendation already made; "
                "correct whichever date is wrong (often the year)",
                recommendation,
                "responses",
                position,
                "date",
                value=str(response.date),
            )


def check_assessment_dates(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """No assessment of a recommendation is as of a date before the recommendation was made."""
    recommendations = index_of(dataset)["recommendations"]
    for assessment in dataset.assessments:
        made = recommendations.get(assessment.recommendation or "")
        if made is None or not made.date.is_certainly_after(assessment.as_of):
            continue
        yield context.problem(
            "assessment-before-recommendation",
            f"assessment {short(assessment.id)} is as of {assessment.as_of}, before "
            f"recommendation {short(made.id)} was made ({made.date}): a recommendation's "
            "implementation can only be assessed once it is made; correct the as_of date "
            "or the recommendation's date",
            assessment,
            "as_of",
            value=str(assessment.as_of),
        )


_Key = tuple[str, str, int, int | None, int | None, object]


def _key(recommendation: Recommendation) -> _Key:
    """What makes two records one recommendation: words (spacing, case aside), to, date, by.

    Built for speed, as it is built for every recommendation: the date as its
    numbers, and one actor as itself rather than as a set.
    """
    date, by = recommendation.date, recommendation.by
    words = " ".join(recommendation.text.casefold().split())
    actors = by if len(by) == 1 else frozenset(by)
    return words, recommendation.to, date.year, date.month, date.day, actors


def check_repeated_recommendations(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """The same recommendation is not entered twice: same words, by, to and date."""
    first: dict[_Key, Recommendation] = {}
    for recommendation in dataset.recommendations:
        earlier = first.setdefault(_key(recommendation), recommendation)
        if earlier is recommendation:
            continue
        together = " and ".join(one_of(sorted(recommendation.by)).rsplit(" or ", 1))
        yield context.problem(
            "duplicate-recommendation",
            f"recommendation {short(recommendation.id)} repeats recommendation "
            f"{short(earlier.id)}: the same words, made by {together} "
            f"to {short(recommendation.to)} on {recommendation.date}, would be counted twice; "
            f"keep one record and move the other's responses and links to it",
            recommendation,
            value=recommendation.id,
        )


def check_recommendation_standards(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """A standard of kind recommendation, in format 1.1, may be a recommendation to one State."""
    if not version_at_least(dataset.schema_version, "1.1"):
        return  # in format 1.0 such a standard is any recommendation: nothing to suggest
    for standard in dataset.standards:
        if standard.kind is not StandardKind.RECOMMENDATION:
            continue
        yield context.problem(
            "recommendation-as-standard",
            f"standard {short(standard.id)} is of kind 'recommendation': if a body addressed "
            "it to one duty bearer, enter it under recommendations instead (with who made it, "
            "to whom, and the responses), and name it in the recommendations of the "
            "benchmarks that follow from it, so that its responses and implementation are "
            "tracked; a general recommendation addressed to every State stays a standard",
            standard,
            "kind",
            value=str(standard.kind),
        )


#: The checks of recommendations, in the order they run.
RECOMMENDATION_CHECKS = (
    check_response_dates,
    check_assessment_dates,
    check_repeated_recommendations,
    check_recommendation_standards,
)
