"""Score a dataset with a rule of your own: "two-independent-sources".

A benchmark counts as met (score 1) only when evidence from at least two
different sources, with different publishers, points to progress as of the
date. The rule:

* scores 1 when it finds such sources (by default two; parameter
  ``minimum_sources``): sources whose publisher lists share no one;
  a source with no publisher listed cannot be shown to be independent;
* scores 0 (not met) when there is evidence on the benchmark as of the
  date but no such corroboration;
* does not apply when there is no evidence on the benchmark at all, so
  that the next rule in the chain (here: the assessment's status) decides.

Copy this file, change the rule, and run it from the repository root::

    python examples/custom_rule.py                      # the Kazakhstan example
    python examples/custom_rule.py path/to/dataset --as-of 2012-03-20

To ship the rule in a package instead, declare it in your pyproject.toml
(see docs/scoring.md)::

    [project.entry-points."benchmarkkit.rules"]
    two-independent-sources = "my_package.rules:two_independent_sources"
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import benchmarkkit
from benchmarkkit import Benchmark, EvidenceDirection, Source
from benchmarkkit.scoring import (
    Input,
    RuleContext,
    RuleOutcome,
    Scorecard,
    register_rule,
    score,
)

EXAMPLE = Path(__file__).resolve().parent / "kazakhstan-2012"


@register_rule(
    "two-independent-sources",
    parameters_schema={
        "type": "object",
        "properties": {
            "minimum_sources": {
                "type": "integer",
                "minimum": 2,
                "description": "How many independent sources must report progress (default 2).",
            }
        },
        "additionalProperties": False,
    },
)
def two_independent_sources(
    benchmark: Benchmark, context: RuleContext, parameters: Mapping[str, Any]
) -> RuleOutcome | None:
    """Met (1) when independent sources report progress; 0 when evidence exists but does not."""
    evidence = context.evidence(benchmark.id)
    as_of = context.as_of.isoformat()
    if not evidence:
        return context.decline(f"no evidence on {benchmark.id} is dated on or before {as_of}")
    needed = int(parameters.get("minimum_sources", 2))
    progress = [item for item in evidence if item.direction is EvidenceDirection.PROGRESS]
    sources: dict[str, Source] = {}
    for item in progress:
        source = context.source(item.source)
        if source is not None and source.publishers:
            sources[source.id] = source
    steps = [
        (
            f"Evidence on {benchmark.id} as of {as_of}: {len(evidence)} item(s), "
            f"{len(progress)} pointing to progress, from {len(sources)} source(s) with publishers."
        )
    ]
    for group in itertools.combinations(sorted(sources), needed):
        publishers = [set(sources[source_id].publishers) for source_id in group]
        if all(a.isdisjoint(b) for a, b in itertools.combinations(publishers, 2)):
            used = [item for item in progress if item.source in group]
            steps.append(
                f"Sources {', '.join(group)} have no publisher in common and all report progress: "
                f"met."
            )
            return RuleOutcome(
                score=1.0,
                steps=steps,
                inputs=[
                    Input(kind="evidence", id=item.id, date=item.date, value=item.direction.value)
                    for item in used
                ],
            )
    steps.append(f"Fewer than {needed} sources with different publishers report progress: not met.")
    return RuleOutcome(
        score=0.0,
        steps=steps,
        inputs=[
            Input(kind="evidence", id=item.id, date=item.date, value=item.direction.value)
            for item in progress
        ],
    )


def render(card: Scorecard) -> str:
    """Write a scorecard as plain text, one line per benchmark, area and gate."""
    chain = ", ".join(spec.rule for spec in card.config.benchmark_rules)
    lines = [
        f"Scorecard of {card.dataset_id} as of {card.as_of.isoformat()} (rules: {chain})",
        f"fingerprint {card.fingerprint}",
        "",
        "Benchmarks:",
    ]

    def number(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    for result in card.benchmarks:
        met = {True: "met", False: "not met", None: "not assessable"}[result.met]
        lines.append(
            f"  {result.benchmark_id:<36} {number(result.score):>5}  {met:<15} {result.rule or '-'}"
        )
        lines.extend(
            f"      {step}" for step in result.explanation.steps if not step.startswith("Met:")
        )
    lines += ["", "Areas:"]
    for area in card.areas:
        lines.append(
            f"  {area.area_id:<36} {number(area.score):>5}  ({area.scored} of {area.total} scored)"
        )
    lines += ["", f"Overall: {number(card.overall.score)}", "", "Gates:"]
    for gate in card.gates:
        lines.append(f"  {gate.gate_id}: {gate.verdict.value}")
        lines.extend(f"    {step}" for step in gate.explanation.steps[1:])
    lines.extend(f"Problem: {problem}" for problem in card.problems)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Score the dataset with the custom rule first, then the assessments' status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("dataset", nargs="?", default=str(EXAMPLE), help="a dataset file or folder")
    parser.add_argument("--as-of", default="2012-03-20", help="the day to score (YYYY-MM-DD)")
    arguments = parser.parse_args(argv)
    dataset = benchmarkkit.load_dataset(arguments.dataset)
    card = score(
        dataset, as_of=arguments.as_of, rules=["two-independent-sources", "status-mapping"]
    )
    print(render(card))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
