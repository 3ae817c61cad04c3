"""Checks of a dataset's scoring configuration: rule names are registered, parameters fit.

Part of validation: a dataset that names a rule nobody registered, or
gives a rule parameters it refuses, is reported before anyone scores it.
Validation never imports scoring: it finds this check through the
``benchmarkkit.section_checks`` entry point (pyproject.toml), for the
datasets that have a ``scoring`` section.
Names are only looked up in the registries (and installed entry points);
nothing is ever imported from a path the dataset gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from benchmarkkit._conditions import RuleSpec, ScoringConfig
from benchmarkkit._context import CheckContext
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem
from benchmarkkit.scoring._errors import PluginLoadError, UnknownRuleError
from benchmarkkit.scoring._registry import AGGREGATIONS, RULES, Registry

__all__ = ["check_scoring_config"]


def _check(
    registry: Registry[Any],
    other: Registry[Any],
    *,
    spec: RuleSpec,
    config: ScoringConfig,
    context: CheckContext,
    path: tuple[str | int, ...],
) -> Iterator[Problem]:
    kind = registry.kind
    try:
        entry = registry.lookup(spec.rule)
    except UnknownRuleError as error:
        known = ", ".join(error.known) or "(none)"
        also = ""
        if spec.rule in other.names():
            also = (
                f" ({spec.rule!r} is an {other.kind}, not a benchmark {kind})"
                if kind == "rule"
                else (f" ({spec.rule!r} is a benchmark {other.kind}, not an {kind})")
            )
        yield context.problem(
            "unknown-rule",
            f"the scoring configuration names the {kind} {spec.rule!r}, which is not "
            f"registered{also}; the {kind}s available are: {known}",
            None,
            *path,
            "rule",
            value=spec.rule,
        )
        return
    except PluginLoadError as error:
        problem = context.problem("plugin-failed", str(error), None, *path, "rule", value=spec.rule)
        yield attrs.evolve(problem, plugin=spec.rule)
        return
    parameters = dict(spec.parameters)
    for name, field in entry.config_defaults.items():
        parameters.setdefault(name, getattr(config, field))
    for where, message in entry.parameter_violations(parameters):
        inside = ("parameters", *where) if where or spec.parameters else ()
        yield context.problem(
            "invalid-rule-parameters",
            f"the {kind} {spec.rule!r}: {message}",
            None,
            *path,
            *inside,
        )


def check_scoring_config(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Report unknown rule and aggregation names, and parameters a rule refuses.

    Yields ``unknown-rule``, ``invalid-rule-parameters``, and
    ``plugin-failed`` when an installed package that provides a name cannot
    be loaded. Datasets without a ``scoring`` configuration have nothing to
    check.
    """
    config = dataset.scoring
    if config is None:
        return
    for index, spec in enumerate(config.benchmark_rules):
        yield from _check(
            RULES,
            AGGREGATIONS,
            spec=spec,
            config=config,
            context=context,
            path=("scoring", "benchmark_rules", index),
        )
    for field in ("area_aggregation", "overall_aggregation"):
        yield from _check(
            AGGREGATIONS,
            RULES,
            spec=getattr(config, field),
            config=config,
            context=context,
            path=("scoring", field),
        )
