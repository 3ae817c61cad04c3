"""score(): runs the rule chain, the aggregations and the gates over a dataset as of a date."""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from benchmarkkit._conditions import Gate, RuleSpec, ScoringConfig
from benchmarkkit._model import Area, Benchmark, Dataset
from benchmarkkit._problems import Problem, Severity, sort_problems
from benchmarkkit.scoring._context import DatedRecords, RuleContext
from benchmarkkit.scoring._errors import (
    InvalidAsOfError,
    InvalidDatasetError,
    InvalidParametersError,
    PluginLoadError,
    ScoringError,
)
from benchmarkkit.scoring._explain import Explanation, Input
from benchmarkkit.scoring._fingerprint import LineCache, fingerprint
from benchmarkkit.scoring._gates import condition_verdict
from benchmarkkit.scoring._numbers import at_least, fmt
from benchmarkkit.scoring._protocols import AggregateOutcome, RuleOutcome, Status
from benchmarkkit.scoring._recommendations import recommendation_results
from benchmarkkit.scoring._registry import AGGREGATIONS, RULES, Registered, Registry
from benchmarkkit.scoring._results import (
    AreaResult,
    BenchmarkResult,
    GateVerdict,
    OverallResult,
    Scorecard,
)

__all__ = [
    "AreaMemo",
    "Scored",
    "ScoringPlan",
    "area_results",
    "check_dataset",
    "effective_config",
    "overall_result",
    "plan_scoring",
    "require_valid",
    "resolve_as_of",
    "run_chain",
    "score",
    "score_on",
]

_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
#: The hints of a plugin that fails while scoring (the catalogue's are for validation).
_LOAD_HINT = (
    "The plugin named in the message has a bug or is not installed properly; report it to its "
    "authors. The rest of the scorecard was computed; what needs the plugin is not assessable."
)
_FAILED_HINT = (
    "The plugin named in the message has a bug; report it to its authors. The rest of the "
    "scorecard was computed; what the plugin was scoring is not assessable."
)


def check_dataset(dataset: Dataset) -> tuple[Problem, ...]:
    """Validate ``dataset`` as a file would be; return its errors (warnings do not count)."""
    from benchmarkkit._validate import validate  # imported here: validation imports scoring

    report = validate(dataset)
    return tuple(problem for problem in report.problems if problem.severity is Severity.ERROR)


def require_valid(dataset: Dataset) -> None:
    """Raise ``InvalidDatasetError`` with the errors of ``dataset``, if it has any."""
    errors = check_dataset(dataset)
    if errors:
        raise InvalidDatasetError(dataset.id, errors)


def resolve_as_of(as_of: dt.date | str | None) -> dt.date:
    """Return the day to score as of: a date, a ``YYYY-MM-DD`` string, or ``None`` for today."""
    value: object = as_of  # callers may pass anything; say clearly what was wrong
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidAsOfError(value)


def effective_config(
    dataset: Dataset,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
) -> ScoringConfig:
    """Return the configuration scoring uses: ``config``, else the dataset's, else the defaults.

    ``rules`` (rule names or specs) replace its benchmark rules.
    """
    effective = config if config is not None else (dataset.scoring or ScoringConfig())
    if rules is not None:
        specs = tuple(RuleSpec(rule=rule) if isinstance(rule, str) else rule for rule in rules)
        if not specs:
            raise ScoringError("give at least one benchmark rule")
        effective = attrs.evolve(effective, benchmark_rules=specs)
    return effective


@attrs.frozen
class _Step:
    """A rule or aggregation resolved for this run, or the reason it cannot run."""

    name: str
    parameters: Mapping[str, Any]
    entry: Registered | None
    failure: str | None = None


def _resolve(
    registry: Registry[Any], spec: RuleSpec, config: ScoringConfig, problems: list[Problem]
) -> _Step:
    try:
        entry = registry.lookup(spec.rule)
    except PluginLoadError as error:
        problems.append(
            Problem.create("plugin-failed", str(error), plugin=spec.rule, hint=_LOAD_HINT)
        )
        return _Step(spec.rule, dict(spec.parameters), None, str(error))
    parameters = dict(spec.parameters)
    for name, field in entry.config_defaults.items():
        if name not in parameters:
            parameters[name] = getattr(config, field)
    errors = entry.parameter_errors(parameters)
    if errors:
        raise InvalidParametersError(spec.rule, errors)
    return _Step(spec.rule, parameters, entry)


def _failure(step: _Step, entry: Registered, what: str, reason: str) -> tuple[str, Problem]:
    """Say what failed in words that tell a built-in from a registered or installed one."""
    if entry.plugin is not None:
        message = f"the {what} {step.name!r} from the plugin {entry.plugin} {reason}"
        return message, Problem.create(
            "plugin-failed", message, plugin=step.name, hint=_FAILED_HINT
        )
    if entry.origin == "built-in":
        message = f"the built-in {what} {step.name!r} {reason}"
    else:
        message = f"the {what} {step.name!r} ({entry.origin}) {reason}"
    return message, Problem.create("rule-failed", message)


def _call_rule(
    entry: Registered, parameters: Mapping[str, Any], benchmark: Benchmark, context: RuleContext
) -> tuple[RuleOutcome | None, str | None]:
    """Call a rule; return its outcome, or why it failed (it raised or returned junk)."""
    try:
        outcome: object = entry.function(
            benchmark, context, types.MappingProxyType(dict(parameters))
        )
    except Exception as error:  # a failing rule is reported, never a crash
        return None, f"raised {type(error).__name__}: {error}"
    if outcome is None or isinstance(outcome, RuleOutcome):
        return outcome, None
    return None, f"returned {type(outcome).__name__}, not a RuleOutcome or None"


def _result(
    benchmark: Benchmark,
    rule: str | None,
    explanation: Explanation,
    outcome: RuleOutcome | None = None,
    met: bool | None = None,  # noqa: FBT001 - a value, not a flag
) -> BenchmarkResult:
    """The result of ``benchmark``: not assessable unless a rule gave an ``outcome``."""
    return BenchmarkResult(
        benchmark_id=benchmark.id,
        title=benchmark.title,
        area_id=benchmark.area,
        weight=benchmark.weight,
        score=None if outcome is None else outcome.score,
        met=met,
        provisional=outcome is not None and outcome.provisional,
        status=None if outcome is None else outcome.status,
        rule=rule,
        explanation=explanation,
    )


def _not_assessable(
    benchmark: Benchmark, rule: str | None, params: Mapping[str, Any], steps: list[str]
) -> BenchmarkResult:
    return _result(benchmark, rule, Explanation(rule=rule, parameters=params, steps=steps))


def run_chain(
    benchmark: Benchmark, chain: Sequence[_Step], context: RuleContext
) -> tuple[int, RuleOutcome | None, str | None, list[str]]:
    """Try the rules of ``chain`` in order until one scores ``benchmark`` or cannot run.

    Returns the position of the last step tried (``len(chain)`` when every rule
    declined), its outcome (``None`` unless it scored), why it failed (it raised or
    returned junk), and the reasons of the rules that declined before it. A step
    that could not be loaded ends the chain with neither outcome nor failure.
    """
    declined: list[str] = []
    for at, step in enumerate(chain):
        if step.entry is None:
            return at, None, None, declined
        context._take_decline()  # the engine owns the context
        outcome, failure = _call_rule(step.entry, step.parameters, benchmark, context)
        if outcome is not None or failure is not None:
            return at, outcome, failure, declined
        reason = context._take_decline() or "it gave no reason"
        declined.append(f"{step.name} does not apply: {reason}.")
    return len(chain), None, None, declined


def _score_benchmark(
    benchmark: Benchmark, chain: Sequence[_Step], context: RuleContext, problems: list[Problem]
) -> BenchmarkResult:
    as_of = context.as_of.isoformat()
    at, outcome, failure, declined = run_chain(benchmark, chain, context)
    if at < len(chain):
        step = chain[at]
        if step.entry is None:
            return _not_assessable(
                benchmark,
                step.name,
                step.parameters,
                [
                    *declined,
                    (
                        f"The rule {step.name!r} could not be loaded ({step.failure}); "
                        f"{benchmark.id} is not assessable."
                    ),
                ],
            )
        if failure is not None:
            message, problem = _failure(step, step.entry, "rule", failure)
            problems.append(problem)
            return _not_assessable(
                benchmark,
                step.name,
                step.parameters,
                [*declined, f"The rule failed: {message}. {benchmark.id} is not assessable."],
            )
        assert outcome is not None  # noqa: S101 - run_chain stops on an outcome or a failure
        steps = [*declined, *outcome.steps]
        met = (
            None if outcome.score is None else at_least(outcome.score, context.config.met_threshold)
        )
        if outcome.score is None:
            steps.append(f"{benchmark.id} is not assessable as of {as_of}.")
        else:
            threshold = fmt(context.config.met_threshold)
            steps.append(
                f"Met: {'yes' if met else 'no'} (score {fmt(outcome.score)} "
                f"{'reaches' if met else 'is below'} the met threshold {threshold})."
            )
        if outcome.provisional:
            steps.append("The result is provisional: it is derived from evidence, not assessed.")
        explanation = Explanation(
            rule=step.name,
            parameters=step.parameters,
            inputs=outcome.inputs,
            steps=steps,
            intermediate=outcome.intermediate,
        )
        return _result(benchmark, step.name, explanation, outcome, met)
    return _not_assessable(
        benchmark,
        None,
        {},
        [
            f"No rule could score {benchmark.id} as of {as_of}.",
            *declined,
            f"{benchmark.id} is not assessable.",
        ],
    )


def _aggregate(
    step: _Step,
    members: Sequence[tuple[str, float | None, float]],
    kind: str,
    heading: str,
    problems: list[Problem],
) -> tuple[float | None, Explanation]:
    """Aggregate ``(id, score, weight)`` members (already in id order) with ``step``."""
    inputs = [
        Input(kind=kind, id=member_id, value=value, weight=weight)
        for member_id, value, weight in members
    ]
    missing = [member_id for member_id, value, _ in members if value is None]
    steps = [heading]
    if missing:
        steps.append(f"Not assessable: {', '.join(missing)}.")
    if step.entry is None:
        steps.append(
            f"The aggregation {step.name!r} could not be loaded ({step.failure}); not assessable."
        )
        return None, Explanation(
            rule=step.name, parameters=step.parameters, inputs=inputs, steps=steps
        )
    items = tuple((value, weight) for _, value, weight in members)
    failure = None
    try:
        outcome: object = step.entry.function(items, types.MappingProxyType(dict(step.parameters)))
    except Exception as error:  # a failing aggregation is reported, never a crash
        outcome, failure = None, f"raised {type(error).__name__}: {error}"
    if not isinstance(outcome, AggregateOutcome):
        failure = failure or f"returned {type(outcome).__name__}, not an AggregateOutcome"
        message, problem = _failure(step, step.entry, "aggregation", failure)
        problems.append(problem)
        steps.append(f"The aggregation failed: {message}; not assessable.")
        return None, Explanation(
            rule=step.name, parameters=step.parameters, inputs=inputs, steps=steps
        )
    return outcome.score, Explanation(
        rule=step.name,
        parameters=step.parameters,
        inputs=inputs,
        steps=[*steps, *outcome.steps],
        intermediate=outcome.intermediate,
    )


def _by_id(member: tuple[str, float | None, float]) -> str:
    return member[0]


class Scored(Protocol):
    """What aggregation reads of a benchmark's result: a :class:`BenchmarkResult` has it."""

    @property
    def benchmark_id(self) -> str: ...
    @property
    def area_id(self) -> str: ...
    @property
    def score(self) -> float | None: ...
    @property
    def weight(self) -> float: ...


#: Each area's members (id, score, weight) when it was last aggregated, and its result then.
AreaMemo = dict[str, tuple[tuple[tuple[str, float | None, float], ...], AreaResult]]


def area_results(
    areas: Sequence[Area],
    results: Sequence[Scored],
    step: _Step,
    problems: list[Problem],
    memo: AreaMemo | None = None,
) -> tuple[AreaResult, ...]:
    """Each area's result, aggregated from the results of its benchmarks (taken in id order).

    With ``memo`` (a timeline's, from date to date), an area whose members are those
    it had when last aggregated keeps that result: an aggregation sees nothing else.
    """
    by_area: dict[str, list[tuple[str, float | None, float]]] = {}
    for result in results:
        by_area.setdefault(result.area_id, []).append(
            (result.benchmark_id, result.score, result.weight)
        )
    found = []
    for area in areas:
        members = tuple(sorted(by_area.get(area.id, []), key=_by_id))
        known = None if memo is None else memo.get(area.id)
        if known is not None and known[0] == members:
            found.append(known[1])
            continue
        reported = len(problems)
        aggregated = _area_result(area, members, step, problems)
        if memo is not None:  # a failure is not kept: it may pass on the next date
            memo.pop(area.id, None)
            if len(problems) == reported:
                memo[area.id] = (members, aggregated)
        found.append(aggregated)
    return tuple(found)


def _area_result(
    area: Area,
    members: Sequence[tuple[str, float | None, float]],
    step: _Step,
    problems: list[Problem],
) -> AreaResult:
    scored = sum(1 for _, value, _ in members if value is not None)
    heading = (
        f"Area {area.id}: {scored} of {len(members)} "
        f"{'benchmark is' if len(members) == 1 else 'benchmarks are'} assessable."
        if members
        else f"No benchmark belongs to area {area.id}."
    )
    value, explanation = _aggregate(step, members, "benchmark", heading, problems)
    return AreaResult(
        area_id=area.id,
        title=area.title,
        weight=area.weight,
        score=value,
        scored=scored,
        total=len(members),
        explanation=explanation,
    )


def overall_result(
    areas: Sequence[AreaResult],
    results: Sequence[Scored],
    step: _Step,
    problems: list[Problem],
) -> OverallResult:
    """The overall result, aggregated from the areas' (benchmarks in no area are named)."""
    members = sorted(((a.area_id, a.score, a.weight) for a in areas), key=_by_id)
    scored = sum(1 for _, value, _ in members if value is not None)
    heading = (
        f"Overall: {scored} of {len(members)} "
        f"{'area is' if len(members) == 1 else 'areas are'} assessable."
    )
    area_ids = {area.area_id for area in areas}
    orphans = sorted({r.benchmark_id for r in results if r.area_id not in area_ids})
    if orphans:
        heading += f" Benchmarks in no area of the dataset, not counted: {', '.join(orphans)}."
    value, explanation = _aggregate(step, members, "area", heading, problems)
    return OverallResult(score=value, scored=scored, total=len(members), explanation=explanation)


def _gate_verdicts(
    gates: Sequence[Gate],
    results: Sequence[BenchmarkResult],
    areas: Sequence[AreaResult],
    context: RuleContext,
) -> tuple[GateVerdict, ...]:
    benchmark_scores: dict[str, float | None] = {}
    statuses: dict[str, Status] = {}
    for result in results:
        benchmark_scores.setdefault(result.benchmark_id, result.score)
        if result.status is not None:
            statuses.setdefault(result.benchmark_id, result.status)
    area_scores: dict[str, float | None] = {}
    for area in areas:
        area_scores.setdefault(area.area_id, area.score)
    verdicts = []
    for gate in gates:
        condition = condition_verdict(
            gate.condition,
            benchmarks=benchmark_scores,
            areas=area_scores,
            scale=context.scale,
            as_of=context.as_of.isoformat(),
            statuses=statuses,
        )
        inputs: dict[tuple[str, str], Input] = {}
        stack = [condition]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.target is not None and node.kind in {"benchmark", "area"}:
                inputs[(node.kind, node.target)] = Input(
                    kind=node.kind, id=node.target, value=node.score
                )
        explanation = Explanation(
            rule=None,
            inputs=[inputs[key] for key in sorted(inputs)],
            steps=[
                f"Gate {gate.id} as of {context.as_of.isoformat()}: {condition.verdict.value}.",
                *condition.lines(),
            ],
        )
        verdicts.append(
            GateVerdict(
                gate_id=gate.id,
                title=gate.title,
                applies_to=gate.applies_to,
                verdict=condition.verdict,
                condition=condition,
                explanation=explanation,
            )
        )
    return tuple(verdicts)


@attrs.frozen(eq=False)
class ScoringPlan:
    """What scoring a dataset needs before any date: the configuration, the steps, the records.

    Made once by :func:`plan_scoring`; :func:`score_on` scores it as of any date, so
    that a history shares the sorted records and the fingerprint's lines.
    """

    config: ScoringConfig
    records: DatedRecords
    chain: tuple[_Step, ...]
    area_step: _Step
    overall_step: _Step
    problems: tuple[Problem, ...]  # found while resolving the steps: on every date
    structure: Mapping[str, tuple[Any, ...]]
    lines: LineCache


def plan_scoring(
    dataset: Dataset,
    *,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
    validated: bool = False,
) -> ScoringPlan:
    """Check the dataset (unless ``validated``), resolve the rules, sort the dated records."""
    effective = effective_config(dataset, config, rules)
    if not validated:
        require_valid(dataset)
    problems: list[Problem] = []
    chain = tuple(_resolve(RULES, spec, effective, problems) for spec in effective.benchmark_rules)
    area_step = _resolve(AGGREGATIONS, effective.area_aggregation, effective, problems)
    overall_step = _resolve(AGGREGATIONS, effective.overall_aggregation, effective, problems)
    records = DatedRecords(dataset, effective)
    # Every listing takes the first record of each id, as the lookups do: a later copy of
    # an id (an error validation reports) is neither scored nor counted.
    structure = {name: records.index.records(name) for name in ("benchmarks", "areas", "gates")}
    return ScoringPlan(
        config=effective,
        records=records,
        chain=chain,
        area_step=area_step,
        overall_step=overall_step,
        problems=tuple(problems),
        structure=structure,
        lines=LineCache(),
    )


def score_on(plan: ScoringPlan, day: dt.date) -> Scorecard:
    """Score a planned dataset as of ``day``."""
    dataset, effective, structure = plan.records.dataset, plan.config, plan.structure
    chain, area_step, overall_step = plan.chain, plan.area_step, plan.overall_step
    problems = list(plan.problems)
    context = RuleContext._on(plan.records, day)
    results = tuple(_score_benchmark(b, chain, context, problems) for b in structure["benchmarks"])
    areas = area_results(structure["areas"], results, area_step, problems)
    overall = overall_result(areas, results, overall_step, problems)
    gates = _gate_verdicts(structure["gates"], results, areas, context)
    used = {
        step.name: step.entry.origin if step.entry else f"failed: {step.failure}"
        for step in (*chain, area_step, overall_step)
    }
    recommendations, counted = recommendation_results(plan.records.index, context)
    read = {
        (collection, record_id): record
        for collection, record_id, record in context._records_read()
        if collection not in {"benchmarks", "areas"}
    }
    read.update(counted)  # the recommendations counted, and what says how far each is done
    inputs = [(collection, record_id, record) for (collection, record_id), record in read.items()]
    return Scorecard(
        dataset_id=dataset.id,
        title=dataset.title,
        subject=dataset.subject,
        as_of=day,
        config=effective,
        fingerprint=fingerprint(
            as_of=day,
            config=effective,
            rules=used,
            structure=structure,
            inputs=inputs,
            lines=plan.lines,
        ),
        benchmarks=results,
        areas=areas,
        overall=overall,
        gates=gates,
        problems=sort_problems(problems),
        recommendations=recommendations,
    )


def score(
    dataset: Dataset,
    *,
    as_of: dt.date | str | None = None,
    config: ScoringConfig | None = None,
    rules: Sequence[str | RuleSpec] | None = None,
    validated: bool = False,
) -> Scorecard:
    """Score a dataset as of a date: every benchmark, area, the whole, and every gate.

    Only records dated on or before ``as_of`` count (``None`` means today;
    a string is ``YYYY-MM-DD``). ``config`` defaults to the dataset's own
    scoring configuration, else the defaults; ``rules`` (names or
    ``RuleSpec``) replace its benchmark rules.

    Raises ``UnknownRuleError`` for a rule name nobody registered,
    ``InvalidParametersError`` for parameters a rule refuses, and
    ``InvalidAsOfError`` for a bad date, before any scoring starts.
    A dataset with errors is not scored: ``InvalidDatasetError``
    carries the problems validation found. A caller that has validated the
    dataset already (the command line, a report scoring many dates) passes
    ``validated=True`` to skip that check.
    A rule or aggregation that fails while scoring never raises: it is
    reported in :attr:`Scorecard.problems` with code ``rule-failed``, and
    what it was scoring becomes not assessable.

    The dataset's recommendations, if it has any, are counted by the position
    taken on them as of the date, and by how far those supported are
    implemented (:attr:`Scorecard.recommendations`).
    """
    day = resolve_as_of(as_of)
    return score_on(plan_scoring(dataset, config=config, rules=rules, validated=validated), day)
