"""The exceptions scoring raises; each also inherits the matching builtin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarkkit._errors import BenchmarkkitError

if TYPE_CHECKING:
    from benchmarkkit._problems import Problem

__all__ = [
    "InvalidAsOfError",
    "InvalidDatasetError",
    "InvalidParametersError",
    "PluginLoadError",
    "RegistrationError",
    "ScoringError",
    "UnknownRuleError",
]


class ScoringError(BenchmarkkitError):
    """Scoring cannot start: a rule name, its parameters or an argument is wrong.

    Problems *during* scoring (a plugin rule that raises, say) never raise:
    they are reported in :attr:`Scorecard.problems`.
    """


class UnknownRuleError(ScoringError, LookupError):
    """No rule or aggregation is registered under a name.

    ``kind`` is ``"rule"`` or ``"aggregation"``; ``known`` lists the names
    that are registered or installed, so that the message can offer them.
    """

    def __init__(self, name: str, kind: str, known: tuple[str, ...]) -> None:
        super().__init__(name, kind, known)
        self.name = name
        self.kind = kind
        self.known = known

    def __str__(self) -> str:
        names = ", ".join(self.known) or "(none)"
        return (
            f"no scoring {self.kind} is registered as {self.name!r}; the {self.kind}s "
            f"available are: {names}. A dataset names {self.kind}s by registered name only; "
            f"install the package that provides {self.name!r}, or register it with "
            f"register_{self.kind}()"
        )

    def __repr__(self) -> str:
        return f"UnknownRuleError({self.name!r}, {self.kind!r})"


class InvalidParametersError(ScoringError, ValueError):
    """A rule's or aggregation's parameters are not what it takes.

    ``messages`` says, one line each, what is wrong.
    """

    def __init__(self, name: str, messages: tuple[str, ...]) -> None:
        super().__init__(name, messages)
        self.name = name
        self.messages = messages

    def __str__(self) -> str:
        return f"the parameters of {self.name!r} are not valid: " + "; ".join(self.messages)

    def __repr__(self) -> str:
        return f"InvalidParametersError({self.name!r}, {len(self.messages)} messages)"


class RegistrationError(ScoringError, ValueError):
    """A rule or aggregation cannot be registered: a bad name, a taken name, a bad schema."""


class PluginLoadError(ScoringError):
    """An installed package declares a rule or aggregation, but loading it failed.

    ``plugin`` names the entry point and the package; ``reason`` says what
    went wrong. :func:`score` reports this as a ``plugin-failed`` problem
    instead of raising.
    """

    def __init__(self, plugin: str, reason: str) -> None:
        super().__init__(plugin, reason)
        self.plugin = plugin
        self.reason = reason

    def __str__(self) -> str:
        return f"the plugin {self.plugin} {self.reason}"

    def __repr__(self) -> str:
        return f"PluginLoadError({self.plugin!r})"


class InvalidAsOfError(ScoringError, ValueError):
    """An as-of date is not a date, nor a ``YYYY-MM-DD`` string of a day that exists.

    ``reason`` replaces the standard message when the date is well formed
    but unusable (a comparison whose "before" falls after its "after").
    """

    def __init__(self, value: object, reason: str | None = None) -> None:
        super().__init__(value, reason)
        self.value = value
        self.reason = reason

    def __str__(self) -> str:
        if self.reason is not None:
            return self.reason
        return (
            f"the as-of date must be a day written YYYY-MM-DD, such as 2012-03-20; "
            f"found {self.value!r}"
        )


class InvalidDatasetError(ScoringError, ValueError):
    """The dataset has errors, so :func:`score` refuses to score it.

    ``problems`` are the errors validation found (warnings do not stop
    scoring); ``dataset_id`` names the dataset. ``benchmarkkit.validate(dataset)``
    lists every problem of the typed dataset. Fix the errors, or pass
    ``validated=True`` to :func:`score` when the caller has validated the
    dataset itself.
    """

    _SHOWN = 3

    def __init__(self, dataset_id: str, problems: tuple[Problem, ...]) -> None:
        super().__init__(dataset_id, problems)
        self.dataset_id = dataset_id
        self.problems = problems

    def __str__(self) -> str:
        count = len(self.problems)
        shown = "; ".join(problem.message for problem in self.problems[: self._SHOWN])
        more = f"; and {count - self._SHOWN} more" if count > self._SHOWN else ""
        return (
            f"the dataset {self.dataset_id!r} has {count} error{'s' if count != 1 else ''}, so "
            f"it cannot be scored: {shown}{more}. benchmarkkit.validate(dataset) lists them all"
        )

    def __repr__(self) -> str:
        return f"InvalidDatasetError({self.dataset_id!r}, {len(self.problems)} problems)"
