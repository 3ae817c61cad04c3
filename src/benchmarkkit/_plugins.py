"""Checks added by installed packages through the ``benchmarkkit.checks`` entry-point group.

Only packages the user installed can add checks; a dataset cannot name
code. A plugin that fails to load or raises is reported as a problem naming
it, and the rest of the validation still runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points

import attrs

from benchmarkkit._context import CheckContext
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem

__all__ = ["CHECKS_GROUP", "plugin_label", "run_plugin_checks"]

#: The entry-point group installed packages use to add validation checks.
CHECKS_GROUP = "benchmarkkit.checks"


def plugin_label(entry_point: EntryPoint) -> str:
    """How problems name a plugin: its name, its object and its distribution."""
    dist = getattr(entry_point, "dist", None)
    package = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"{entry_point.name!r} ({entry_point.value}{package})"


def _failure(
    context: CheckContext, entry_point: EntryPoint, what: str, error: BaseException
) -> Problem:
    return attrs.evolve(
        context.problem(
            "plugin-failed",
            f"the check plugin {plugin_label(entry_point)} {what}: {type(error).__name__}: {error}",
        ),
        plugin=entry_point.name,
    )


def run_plugin_checks(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Run every installed check; their problems carry the plugin's name."""
    for entry_point in sorted(entry_points(group=CHECKS_GROUP), key=lambda ep: ep.name):
        try:
            check = entry_point.load()
        except Exception as error:
            yield _failure(context, entry_point, "could not be loaded", error)
            continue
        try:
            found = list(check(dataset, context))
        except Exception as error:
            yield _failure(context, entry_point, "raised an exception", error)
            continue
        for problem in found:
            if isinstance(problem, Problem):
                yield attrs.evolve(problem, plugin=entry_point.name)
            else:
                yield _failure(
                    context,
                    entry_point,
                    "returned something that is not a Problem",
                    TypeError(repr(problem)[:80]),
                )
