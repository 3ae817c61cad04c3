"""The registries of scoring rules and aggregations, filled by decorators and entry points.

A dataset names a rule only by its registered name. Names are looked up
here and nowhere else: first among the rules registered in this process
(the built-in ones, and any a script registered with :func:`register_rule`),
then among the entry points installed packages declare in the
``benchmarkkit.rules`` and ``benchmarkkit.aggregations`` groups. Nothing a
dataset says is ever imported as a module path.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

import attrs
import jsonschema

from benchmarkkit._plugins import plugin_label
from benchmarkkit.scoring._errors import (
    PluginLoadError,
    RegistrationError,
    UnknownRuleError,
)
from benchmarkkit.scoring._parameters import describe_parameters, non_finite, plain_message
from benchmarkkit.scoring._protocols import Aggregation, ScoringRule

__all__ = [
    "AGGREGATIONS",
    "AGGREGATIONS_GROUP",
    "RULES",
    "RULES_GROUP",
    "Registered",
    "Registry",
    "aggregation_info",
    "aggregation_names",
    "get_aggregation",
    "get_rule",
    "register_aggregation",
    "register_rule",
    "rule_info",
    "rule_names",
]

#: The entry-point group through which installed packages add benchmark rules.
RULES_GROUP = "benchmarkkit.rules"
#: The entry-point group through which installed packages add aggregations.
AGGREGATIONS_GROUP = "benchmarkkit.aggregations"

#: The names a dataset can use (the same pattern as in the dataset schema).
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")  # \Z: no final line break, unlike $

F = TypeVar("F", bound=Callable[..., Any])


def _where(function: Callable[..., Any]) -> str:
    module = getattr(function, "__module__", None) or "?"
    qualname = getattr(function, "__qualname__", None) or type(function).__qualname__
    return f"{module}.{qualname}"


def _origin(function: Callable[..., Any]) -> str:
    where = _where(function)
    return "built-in" if where.startswith("benchmarkkit.") else f"registered by {where}"


@attrs.frozen(kw_only=True)
class Registered:
    """A registered rule or aggregation: its name, its callable and what it takes.

    ``origin`` says where it comes from (``built-in``, the function that
    registered it, or the entry point and package that installed it);
    ``plugin`` is the entry point's label when an installed package
    provides it; ``kind`` is ``rule`` or ``aggregation``.
    ``config_defaults`` maps a parameter name to the
    ``ScoringConfig`` field that supplies its default. ``dated`` is ``False``
    for a rule whose result depends on the date only through the records its
    context's date-filtered queries give (see :func:`register_rule`).
    """

    name: str
    function: Callable[..., Any] = attrs.field(eq=False)
    parameters_schema: Mapping[str, Any] | None = attrs.field(default=None, eq=False, hash=False)
    description: str = ""
    origin: str = "built-in"
    plugin: str | None = None
    config_defaults: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False)
    kind: str = "rule"
    dated: bool = True
    _validator: Any = attrs.field(default=None, eq=False, hash=False, repr=False, alias="validator")

    def parameter_violations(
        self, parameters: Mapping[str, Any]
    ) -> tuple[tuple[tuple[str | int, ...], str], ...]:
        """List what is wrong with ``parameters``: (path within them, message) pairs.

        Each message names the parameter in plain words (``the parameter
        'ceiling' must be at most 1, not 2``), offers the nearest name for
        one the rule does not take, and refuses numbers that are not finite.
        """
        found = list(non_finite(dict(parameters)))
        if self._validator is not None:
            errors = sorted(
                self._validator.iter_errors(dict(parameters)),
                key=lambda e: [str(p) for p in e.path],
            )
            found += [
                (tuple(error.absolute_path), plain_message(error, self.kind, self.name))
                for error in errors
            ]
        return tuple(found)

    def parameter_errors(self, parameters: Mapping[str, Any]) -> tuple[str, ...]:
        """List what is wrong with ``parameters``, one line each; empty when they are fine."""
        return tuple(message for _, message in self.parameter_violations(parameters))

    def parameter_lines(self) -> tuple[str, ...]:
        """Describe each parameter the schema names: type, bounds, default and description."""
        return describe_parameters(self.parameters_schema)


T = TypeVar("T")


class Registry(Generic[T]):
    """Names to rules (or aggregations), with installed entry points loaded on demand."""

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        self._entries: dict[str, Registered] = {}
        self._lock = threading.RLock()

    def register(
        self,
        name: str,
        function: Callable[..., Any],
        *,
        parameters_schema: Mapping[str, Any] | None = None,
        description: str | None = None,
        replace: bool = False,
        origin: str | None = None,
        plugin: str | None = None,
        config_defaults: Mapping[str, str] | None = None,
        dated: bool = True,
    ) -> Registered:
        """Register ``function`` as ``name``; raise if the name is taken, unless ``replace``.

        ``dated=False`` is the rule's promise that the date reaches its result only
        through its context's date-filtered queries (see :func:`register_rule`).
        """
        given: object = name  # callers may pass anything; say clearly what was wrong
        if not isinstance(given, str) or NAME_PATTERN.match(given) is None:
            raise RegistrationError(
                f"a {self.kind} name is lowercase letters, digits, '.', '_' and '-', starting "
                f"with a letter or digit, as datasets write it; {name!r} is not"
            )
        if not callable(function):
            raise RegistrationError(f"the {self.kind} {name!r} must be callable, not {function!r}")
        validator = None
        if parameters_schema is not None:
            try:
                jsonschema.Draft202012Validator.check_schema(parameters_schema)
            except jsonschema.SchemaError as error:
                raise RegistrationError(
                    f"the parameters schema of the {self.kind} {name!r} is not a valid JSON "
                    f"Schema: {error.message}"
                ) from error
            validator = jsonschema.Draft202012Validator(dict(parameters_schema))
        doc = (getattr(function, "__doc__", None) or "").strip().splitlines()
        entry = Registered(
            name=name,
            function=function,
            parameters_schema=dict(parameters_schema) if parameters_schema is not None else None,
            description=description if description is not None else (doc[0] if doc else ""),
            origin=origin or _origin(function),
            plugin=plugin,
            config_defaults=dict(config_defaults or {}),
            kind=self.kind,
            dated=dated,
            validator=validator,
        )
        with self._lock:
            existing = self._entries.get(name)
            if existing is not None and not replace and existing.function is not function:
                raise RegistrationError(
                    f"a {self.kind} named {name!r} is already registered ({existing.origin}); "
                    f"pass replace=True to replace it"
                )
            self._entries[name] = entry
        return entry

    def decorator(self, name: str, **options: Any) -> Callable[[F], F]:
        """A decorator that registers the function it decorates as ``name``, with ``options``."""

        def decorate(function: F) -> F:
            self.register(name, function, **options)
            return function

        return decorate

    def unregister(self, name: str) -> None:
        """Forget ``name`` (tests use this to clean up); unknown names are ignored."""
        with self._lock:
            self._entries.pop(name, None)

    def lookup(self, name: str) -> Registered:
        """Return the entry for ``name``, loading an installed entry point of that name if needed.

        Raises ``UnknownRuleError`` when nothing has the name, and
        :class:`PluginLoadError` when the package that declares it fails to load.
        """
        with self._lock:
            entry = self._entries.get(name)
            if entry is not None:
                return entry
            if isinstance(name, str):
                for entry_point in self._entry_points(name):
                    return self._load(entry_point)
            raise UnknownRuleError(str(name), self.kind, self.names())

    def names(self) -> tuple[str, ...]:
        """Return every registered name and every name installed packages declare, sorted."""
        installed = {ep.name for ep in entry_points(group=self.group)}
        return tuple(sorted(set(self._entries) | installed))

    def _entry_points(self, name: str) -> list[EntryPoint]:
        found = entry_points(group=self.group, name=name)
        return sorted(
            found, key=lambda ep: (getattr(getattr(ep, "dist", None), "name", ""), ep.value)
        )

    def _load(self, entry_point: EntryPoint) -> Registered:
        label = plugin_label(entry_point)
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin is reported, never a crash
            raise PluginLoadError(
                label, f"could not be loaded: {type(error).__name__}: {error}"
            ) from error
        known = self._entries.get(entry_point.name)
        if known is not None and known.function is loaded:
            # The plugin's module registered the function itself on import.
            entry = attrs.evolve(known, plugin=label, origin=f"entry point {label}")
            self._entries[entry_point.name] = entry
            return entry
        if not callable(loaded):
            raise PluginLoadError(label, f"is not callable: {type(loaded).__name__}")
        try:
            return self.register(
                entry_point.name,
                loaded,
                parameters_schema=getattr(loaded, "parameters_schema", None),
                replace=True,
                origin=f"entry point {label}",
                plugin=label,
            )
        except RegistrationError as error:
            raise PluginLoadError(label, str(error)) from error


#: The registry of benchmark scoring rules.
RULES: Registry[ScoringRule] = Registry("rule", RULES_GROUP)
#: The registry of aggregations.
AGGREGATIONS: Registry[Aggregation] = Registry("aggregation", AGGREGATIONS_GROUP)


def register_rule(
    name: str,
    *,
    parameters_schema: Mapping[str, Any] | None = None,
    description: str | None = None,
    replace: bool = False,
    dated: bool = True,
) -> Callable[[F], F]:
    """Register a benchmark scoring rule under ``name``; use as a decorator.

    ``parameters_schema`` is a JSON Schema the rule's parameters must
    satisfy (checked before scoring starts); without one any parameters are
    accepted. ``description`` defaults to the first line of the docstring.
    Registering a taken name raises ``RegistrationError`` unless
    ``replace=True``.

    ``dated=False`` is a promise about the rule: given the same answers from
    its context's date-filtered queries (``context.assessments``,
    ``context.evidence``, ``context.evidence_by_id``, ``context.readings``), its
    score, status and provisional flag are the same on any date; the date may
    appear in its words (a benchmark whose rule calls ``context.age_days`` is
    rescored on every date anyway). In return a report's timeline rescores a
    benchmark such a rule scored only on the dates where what it read changed,
    instead of on every date. The default, ``dated=True``, is always safe: the
    rule is called on every date. A rule that breaks the promise gives a
    timeline that keeps an old score where it should have changed; its
    scorecards (which :func:`score` makes in full) are unaffected.

    Example::

        @register_rule("always-half", dated=False)
        def always_half(benchmark, context, parameters):
            '''Scores every benchmark 0.5.'''
            return RuleOutcome(score=0.5, steps=["every benchmark scores 0.5"])
    """
    return RULES.decorator(
        name,
        parameters_schema=parameters_schema,
        description=description,
        replace=replace,
        dated=dated,
    )


def register_aggregation(
    name: str,
    *,
    parameters_schema: Mapping[str, Any] | None = None,
    description: str | None = None,
    replace: bool = False,
    config_defaults: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """Register an aggregation under ``name``; use as a decorator.

    Like :func:`register_rule`. ``config_defaults`` maps a parameter to the
    ``ScoringConfig`` field that supplies it when the configuration
    does not (``{"threshold": "met_threshold"}`` for ``share-met``).
    """
    return AGGREGATIONS.decorator(
        name,
        parameters_schema=parameters_schema,
        description=description,
        replace=replace,
        config_defaults=config_defaults,
    )


def get_rule(name: str) -> ScoringRule:
    """Return the rule registered (or installed) as ``name``; raise if none."""
    function: ScoringRule = RULES.lookup(name).function
    return function


def get_aggregation(name: str) -> Aggregation:
    """Return the aggregation registered (or installed) as ``name``; raise if none."""
    function: Aggregation = AGGREGATIONS.lookup(name).function
    return function


def rule_info(name: str) -> Registered:
    """Return what is registered as the rule ``name``: parameter schema, description, origin."""
    return RULES.lookup(name)


def aggregation_info(name: str) -> Registered:
    """Return what is registered as the aggregation ``name``."""
    return AGGREGATIONS.lookup(name)


def rule_names() -> tuple[str, ...]:
    """Return the names of every registered and installed rule, sorted."""
    return RULES.names()


def aggregation_names() -> tuple[str, ...]:
    """Return the names of every registered and installed aggregation, sorted."""
    return AGGREGATIONS.names()
