"""The JSON form of scorecards and comparisons, as described by ``scorecard.schema.json``.

Plain dicts and lists with a stable key order; every key is always
present (``null`` when there is no value), numbers stay numbers, dates are
ISO 8601 text. The one exception is a scorecard's ``recommendations``, left
out when the dataset has none, so that the scorecard of a dataset of format
1.0 is what it always was, apart from the scorecard format version.
``json.dumps(scorecard_to_json(card))`` is the document.
A cattrs converter of its own writes it: each result class's fields as
attrs declares them, in the order of :data:`_ORDER` where the document's
order differs.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from benchmarkkit._dates import PartialDate
from benchmarkkit._problems import TABLE_PLACE_KEYS, Problem
from benchmarkkit._version import __version__
from benchmarkkit._vocabulary import Position
from benchmarkkit.scoring._compare import ChangeKind, Comparison
from benchmarkkit.scoring._explain import Input
from benchmarkkit.scoring._fingerprint import canonical
from benchmarkkit.scoring._gates import ConditionResult, Verdict
from benchmarkkit.scoring._results import Scorecard

__all__ = [
    "SCORECARD_FORMAT_VERSION",
    "SCORECARD_SCHEMA_ID",
    "comparison_to_json",
    "scorecard_to_json",
]

#: The version of the scorecard document's format, written in every scorecard. 1.1 added
#: a scorecard's ``recommendations``; a reader of 1.1 reads 1.0 documents too.
SCORECARD_FORMAT_VERSION = "1.1"
#: The ``$id`` of the JSON Schema that describes both documents: it carries the
#: scorecard format's version (not the dataset format's).
SCORECARD_SCHEMA_ID = (
    f"https://schemas.benchmarkkit.org/{SCORECARD_FORMAT_VERSION}/scorecard.schema.json"
)


def _head(kind: str) -> dict[str, Any]:
    """What a document of ``kind`` starts with: its schema, kind and versions."""
    return {
        "$schema": SCORECARD_SCHEMA_ID,
        "kind": kind,
        "scorecard_format_version": SCORECARD_FORMAT_VERSION,
        "tool": {"name": "benchmarkkit", "version": __version__},
    }


#: What each document starts with, before its fields.
_HEADS: Mapping[type, Callable[[], dict[str, Any]]] = {
    Scorecard: lambda: _head("scorecard"),
    Comparison: lambda: _head("comparison"),
}

#: The document's order of the fields of the classes attrs declares in another order;
#: a field not listed follows the listed ones.
_ORDER: Mapping[type, tuple[str, ...]] = {
    Scorecard: (
        *("dataset_id", "title", "subject", "as_of", "fingerprint", "config"),
        *("overall", "areas", "benchmarks", "gates"),
    ),
    Comparison: (
        *("dataset_id", "title", "subject", "before", "after"),
        *("fingerprint_before", "fingerprint_after", "config", "materiality"),
        *("overall", "areas", "benchmarks", "gates"),
    ),
    ConditionResult: (
        *("kind", "label", "verdict", "detail", "target", "score", "threshold", "count"),
        *("children", "decided_by"),
    ),
}

#: Fields not written: a comparison's scorecards are documents of their own.
_LEFT_OUT: Mapping[type, tuple[str, ...]] = {
    Comparison: ("scorecard_before", "scorecard_after"),
}

#: Fields not written while they are ``None``: a dataset without recommendations gets
#: the scorecard a dataset of format 1.0 always got.
_LEFT_OUT_WHEN_NONE: Mapping[type, tuple[str, ...]] = {
    Scorecard: ("recommendations",),
}


def _unstructure_result(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """A result class's unstructure hook: every field, in the document's order."""
    left_out: dict[str, Any] = {name: override(omit=True) for name in _LEFT_OUT.get(cls, ())}
    fields: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(cls, conv, **left_out)
    head = _HEADS.get(cls, dict)
    order = _ORDER.get(cls)
    optional = _LEFT_OUT_WHEN_NONE.get(cls, ())
    if order is None and cls not in _HEADS:
        return fields

    def unstructure_in_order(value: Any) -> dict[str, Any]:
        data = fields(value)
        for name in optional:
            if data[name] is None:
                del data[name]
        return {**head(), **{name: data[name] for name in order or ()}, **data}

    return unstructure_in_order


def _scoring_problem(problem: Problem) -> dict[str, Any]:
    """A problem while scoring as the scorecard holds it: never in a table file's cell."""
    data = problem.to_json()
    for key in TABLE_PLACE_KEYS:
        del data[key]
    return data


def make_scorecard_converter() -> cattrs.Converter:
    """A new converter from scorecards and comparisons to their JSON documents."""
    conv = cattrs.Converter()
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(PartialDate, str)
    # Verdicts and kinds of change subclass str: cattrs would pass the members through.
    conv.register_unstructure_hook(Verdict, operator.attrgetter("value"))
    conv.register_unstructure_hook(ChangeKind, operator.attrgetter("value"))
    conv.register_unstructure_hook(Position, operator.attrgetter("value"))
    conv.register_unstructure_hook(Problem, _scoring_problem)
    # Rule parameters, and the values a rule used, may be anything a rule gave.
    conv.register_unstructure_hook_func(
        lambda t: t == Mapping[str, Any], lambda value: canonical(dict(value))
    )
    value_type = attrs.fields(attrs.resolve_types(Input)).value.type
    conv.register_unstructure_hook_func(lambda t: t == value_type, canonical)
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, float], dict)
    conv.register_unstructure_hook_factory(attrs.has, _unstructure_result)
    return conv


_converter = make_scorecard_converter()


def scorecard_to_json(scorecard: Scorecard) -> dict[str, Any]:
    """Return the JSON form of a scorecard: plain data in a stable key order."""
    document: dict[str, Any] = _converter.unstructure(scorecard, Scorecard)
    return document


def comparison_to_json(comparison: Comparison) -> dict[str, Any]:
    """Return the JSON form of a comparison; the scorecards themselves are not repeated."""
    document: dict[str, Any] = _converter.unstructure(comparison, Comparison)
    return document
