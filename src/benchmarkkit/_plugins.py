"""Checks added by installed packages through entry points, and how a failing check is reported.

Only packages the user installed can add checks; a dataset cannot name
code. A plugin that fails to load or raises is reported as a problem naming
it, and the rest of the validation still runs; so is a check passed in code
(:func:`run_check`). Plugins (``benchmarkkit.checks``) are checks of the
user's choosing; a section check (``benchmarkkit.section_checks``) is how the
package that owns a section of the dataset checks it: benchmarkkit's scoring
package checks the ``scoring`` configuration so, and validation knows nothing
of scoring.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from benchmarkkit._context import CheckContext
from benchmarkkit._model import Dataset
from benchmarkkit._problems import Problem
from benchmarkkit._wording import short

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from benchmarkkit._checks import Check

__all__ = [
    "CHECKS_GROUP",
    "SECTION_CHECKS_GROUP",
    "check_sections",
    "may_be_installed",
    "plugin_label",
    "run_check",
    "run_plugin_checks",
]

#: The entry-point group installed packages use to add validation checks.
CHECKS_GROUP = "benchmarkkit.checks"
#: The entry-point group of the checks of a dataset's sections: an entry point's name is
#: the :class:`Dataset` field it checks (``scoring``), and it runs only for a dataset
#: that sets that field, as one of the default checks (its problems name no plugin).
SECTION_CHECKS_GROUP = "benchmarkkit.section_checks"


def plugin_label(entry_point: EntryPoint) -> str:
    """How problems name a plugin: its name, its object and its distribution."""
    dist = getattr(entry_point, "dist", None)
    package = f" from {dist.name} {dist.version}" if dist is not None else ""
    return f"{entry_point.name!r} ({entry_point.value}{package})"


@attrs.frozen
class _Origin:
    """Where a check comes from: how its failures name it and which code they get.

    A check passed in code fails as ``check-failed``; an installed one, a
    plugin or a section check, as ``plugin-failed``, naming its entry point
    (``plugin``). Only a plugin's own problems carry that name too (``tags``):
    a section check is one of the default checks.
    """

    name: str
    code: str = "check-failed"
    plugin: str | None = None
    tags: bool = False

    def failure(self, context: CheckContext, what: str) -> Problem:
        problem = context.problem(self.code, f"{self.name} {what}; the other checks ran")
        return problem if self.plugin is None else attrs.evolve(problem, plugin=self.plugin)


def _installed(entry_point: EntryPoint, *, section: bool = False) -> _Origin:
    label = plugin_label(entry_point)
    if section:
        name = f"the check of the dataset's {entry_point.name!r} section, {label}"
    else:
        name = f"the check plugin {label}"
    return _Origin(name, "plugin-failed", entry_point.name, tags=not section)


def _run(
    check: Check, origin: _Origin, dataset: Dataset, context: CheckContext
) -> Iterator[Problem]:
    """The problems of one check, of any origin, each failure of it a problem too.

    A check that raises, or yields something that is not a :class:`Problem`,
    is reported as ``origin`` says; what it gave before it failed is kept.
    """
    try:
        found: Iterable[object] = check(dataset, context)
        for problem in found:
            if not isinstance(problem, Problem):
                shown = short(problem) if isinstance(problem, str) else repr(problem)[:80]
                yield origin.failure(context, f"gave {shown}, which is not a Problem")
            elif origin.tags:
                yield attrs.evolve(problem, plugin=origin.plugin)
            else:
                yield problem
    except Exception as error:
        yield origin.failure(context, f"raised {type(error).__name__}: {error}")


def _run_installed(
    entry_point: EntryPoint, origin: _Origin, dataset: Dataset, context: CheckContext
) -> Iterator[Problem]:
    """Load the check of ``entry_point`` and run it; a check that cannot be loaded is a problem."""
    try:
        check = entry_point.load()
    except Exception as error:
        yield origin.failure(context, f"could not be loaded: {type(error).__name__}: {error}")
        return
    yield from _run(check, origin, dataset, context)


def may_be_installed(group: str) -> bool:
    """Whether any installed distribution may declare entry points in ``group``.

    A quick look at the ``entry_points.txt`` of the distributions on
    ``sys.path``, so that the common case (no plugin installed) does not pay
    for importing :mod:`importlib.metadata`. Whenever the look cannot be sure
    (eggs, zip files, other distribution finders), it says yes, and
    :mod:`importlib.metadata` decides.
    """
    from importlib.machinery import PathFinder

    if any(
        hasattr(finder, "find_distributions") and finder is not PathFinder
        for finder in sys.meta_path
    ):
        return True
    header = f"[{group}]"
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_file():
            return True  # a zip file on the path may hold distributions
        try:
            names = [child.name for child in folder.iterdir()]
        except OSError:
            continue
        for name in names:
            if name.endswith((".egg-info", ".egg")):
                return True
            if name.endswith(".dist-info"):
                try:
                    text = (folder / name / "entry_points.txt").read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if header in text:
                    return True
    return False


def entry_points(group: str) -> tuple[EntryPoint, ...]:
    """The entry points of ``group``, through :mod:`importlib.metadata` (imported now)."""
    from importlib.metadata import entry_points as find

    return tuple(find(group=group))


def check_sections(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Run the section checks installed for the sections ``dataset`` sets.

    A section is a field that holds a structure of its own (the ``scoring``
    configuration). Installed metadata is read only for a dataset that sets
    one, so that the others never pay for :mod:`importlib.metadata`.
    """
    present = {
        field.name
        for field in attrs.fields(Dataset)
        if attrs.has(type(getattr(dataset, field.name)))
    }
    if not present:
        return
    checked: set[str] = set()
    # No quick look first (may_be_installed): benchmarkkit itself declares this group.
    for entry_point in sorted(entry_points(SECTION_CHECKS_GROUP), key=lambda ep: ep.name):
        if entry_point.name not in present:
            continue
        checked.add(entry_point.name)
        origin = _installed(entry_point, section=True)
        yield from _run_installed(entry_point, origin, dataset, context)
    # A section nothing installed checks is said, never passed in silence.
    for section in sorted(present - checked):
        yield context.problem(
            "unchecked-section",
            f"the dataset's {section!r} section was not checked: no installed package "
            f"declares a check of it (a {SECTION_CHECKS_GROUP!r} entry point named "
            f"{section!r}); is benchmarkkit installed, rather than imported from a source "
            "folder?",
            None,
            section,
        )


def run_plugin_checks(dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """Run every installed check; their problems carry the plugin's name."""
    if not may_be_installed(CHECKS_GROUP):
        return
    for entry_point in sorted(entry_points(group=CHECKS_GROUP), key=lambda ep: ep.name):
        yield from _run_installed(entry_point, _installed(entry_point), dataset, context)


def run_check(check: Check, dataset: Dataset, context: CheckContext) -> Iterator[Problem]:
    """The problems of one check passed in code; its failures are ``check-failed`` problems."""
    name = getattr(check, "__name__", None) or type(check).__name__
    return _run(check, _Origin(f"the check {name!r}"), dataset, context)
