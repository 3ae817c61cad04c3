"""The exceptions benchmarkkit raises; each also inherits the matching builtin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarkkit._problems import ValidationReport

__all__ = ["BenchmarkkitError", "DatasetError", "SaveError", "UnknownSchemaError"]


class BenchmarkkitError(Exception):
    """The root of every exception benchmarkkit raises on purpose."""


class DatasetError(BenchmarkkitError, ValueError):
    """A dataset has problems of error severity; ``problems`` lists them all.

    ``report`` is the full :class:`~benchmarkkit.ValidationReport`, warnings
    included. ``str()`` lists the first problems for people; iterate over
    ``problems`` to handle them in code.
    """

    _SHOWN = 20

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report)
        self.report = report

    @property
    def problems(self) -> tuple[Any, ...]:
        """The problems of error severity (warnings are in ``report``)."""
        return self.report.errors

    def __str__(self) -> str:
        errors = self.report.errors
        noun = "problem" if len(errors) == 1 else "problems"
        lines = [f"{self.report.path}: {len(errors)} {noun} of error severity"]
        lines.extend(f"  {problem}" for problem in errors[: self._SHOWN])
        if len(errors) > self._SHOWN:
            lines.append(f"  ... and {len(errors) - self._SHOWN} more")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"DatasetError({self.report.path!r}, errors={len(self.report.errors)})"

    def __reduce__(self) -> tuple[type[DatasetError], tuple[ValidationReport]]:
        return (type(self), (self.report,))


class UnknownSchemaError(BenchmarkkitError, KeyError):
    """No bundled schema has the name asked for."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known

    def __str__(self) -> str:
        return f"no schema is called {self.name!r}; the schemas are: {', '.join(self.known)}"

    def __reduce__(self) -> tuple[type[UnknownSchemaError], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.name, self.known))


class SaveError(BenchmarkkitError, OSError):
    """A dataset could not be saved; any file that existed is unchanged.

    ``problems`` lists, when the dataset itself is the reason (it holds text
    or numbers no file can hold, or would not load again: a schema problem,
    a reference to a record it does not define), the problems that say
    where, each naming the path given to :func:`~benchmarkkit.save_dataset`;
    it is empty when the path cannot hold a dataset (a name without a data
    suffix) or the system refused the write (a full disk, say).
    """

    _SHOWN = 20

    def __init__(self, message: str, problems: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [self.message]
        lines.extend(f"  {problem}" for problem in self.problems[: self._SHOWN])
        if len(self.problems) > self._SHOWN:
            lines.append(f"  ... and {len(self.problems) - self._SHOWN} more")
        return "\n".join(lines)

    def __reduce__(self) -> tuple[type[SaveError], tuple[str, tuple[Any, ...]]]:
        return (type(self), (self.message, self.problems))
