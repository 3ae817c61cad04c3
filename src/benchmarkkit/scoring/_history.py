"""score_history(): a dataset scored on many dates, its records sorted and encoded once.

A report's timeline scores a dataset on up to 24 dates. Scoring each date from
scratch sorts every piece of evidence and every assessment again, and encodes
every record the fingerprint covers again. Here the dataset is checked, its
rules resolved and its dated records sorted once (:func:`plan_scoring`); each
date then takes what is known by then by bisecting on integer date keys, and
the fingerprint reuses each record's encoded line. Each scorecard is exactly
the one :func:`score` gives for its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._model import Dataset
from benchmarkkit.scoring._results import Scorecard
from benchmarkkit.scoring._scorecard import plan_scoring, resolve_as_of, score_on

__all__ = ["score_history"]


def score_history(
    dataset: Dataset,
    dates: Iterable[dt.date | str],
    *,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
    validated: bool = False,
) -> tuple[Scorecard, ...]:
    """Score ``dataset`` as of each of ``dates``: one scorecard per date, in the order given.

    The same as ``tuple(score(dataset, as_of=day, config=config, rules=rules,
    validated=validated) for day in dates)``, field for field, fingerprints
    included, in about the time of scoring the dataset once plus what each
    date's scorecard itself holds. Every date is checked (``InvalidAsOfError``)
    and the dataset validated (unless ``validated``) before any scoring starts.
    """
    days = [resolve_as_of(day) for day in dates]
    plan = plan_scoring(dataset, config=config, rules=rules, validated=validated)
    return tuple(score_on(plan, day) for day in days)
