"""The Kazakhstan example scored as of the appeal's date, and the custom-rule script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import benchmarkkit
from benchmarkkit import (
    Actor,
    ActorKind,
    EvidenceDirection,
    Reliability,
    Source,
    SourceKind,
    unstructure,
)
from benchmarkkit.scoring import Scorecard, compare, score, scorecard_to_json
from benchmarkkit.scoring._compare import ChangeKind
from benchmarkkit.scoring._gates import Verdict
from tests.scoring_strategies import make_assessment, make_benchmark, make_dataset, make_evidence

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kazakhstan-2012"
SCRIPT = ROOT / "examples" / "custom_rule.py"

#: benchmark id -> (score, level stated by the latest assessment), as of 2012-03-20.
PINNED = {
    "bm-election-law": (0.33, "not-met"),
    "bm-opposition-parties": (0.33, "not-met"),
    "bm-pluralistic-elections": (0.33, "not-met"),
    "bm-zhanaozen-disclosure": (0.33, "not-met"),
    "bm-zhanaozen-accountability": (0.67, "partially-met"),
    "bm-zhanaozen-torture": (0.33, "not-met"),
    "bm-zhanaozen-fair-trials": (None, None),
    "bm-zhanaozen-independent-experts": (None, None),
    "bm-political-charges-dropped": (0.33, "not-met"),
    "bm-harassment-ended": (0.0, "regressing"),
    "bm-sokolova": (0.67, "partially-met"),
    "bm-media-law": (0.0, "regressing"),
    "bm-internet-information": (0.0, "regressing"),
    "bm-opposition-media": (0.0, "regressing"),
    "bm-assembly-law": (0.33, "not-met"),
    "bm-assembly-not-denied": (0.33, "not-met"),
    "bm-assembly-not-punished": (0.0, "regressing"),
    "bm-religion-law": (0.0, "regressing"),
    "bm-religious-groups-not-closed": (0.0, "regressing"),
    "bm-religious-harassment-ended": (0.0, "regressing"),
}


@pytest.fixture(scope="module")
def kazakhstan() -> benchmarkkit.Dataset:
    return benchmarkkit.load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def card(kazakhstan: benchmarkkit.Dataset) -> Scorecard:
    return score(kazakhstan, as_of="2012-03-20")


def test_the_kazakhstan_example_scores_as_of_the_appeal(card: Scorecard) -> None:
    assert card.problems == ()
    assert card.config.benchmark_rules[0].rule == "status-mapping"
    found = {
        r.benchmark_id: (r.score, r.status.level if r.status else None) for r in card.benchmarks
    }
    assert found == PINNED
    assert {r.rule for r in card.benchmarks} == {"status-mapping"}
    assert not any(r.met for r in card.benchmarks)
    areas = {a.area_id: (round(a.score or 0, 4), a.scored, a.total) for a in card.areas}
    assert areas == {
        "area-political-participation": (0.33, 3, 3),
        "area-zhanaozen": (0.4433, 3, 5),
        "area-crackdown": (0.3333, 3, 3),
        "area-media": (0.0, 3, 3),
        "area-assembly": (0.22, 3, 3),
        "area-religion": (0.0, 3, 3),
    }
    assert card.overall.score == pytest.approx(0.2211, abs=1e-4)


def test_the_pca_conditionality_gate_fails_and_says_why(card: Scorecard) -> None:
    gate = card.gate("gate-pca-conditionality")
    assert gate.verdict is Verdict.FAIL
    assert [c.verdict for c in gate.condition.children] == [Verdict.FAIL] * 6
    zhanaozen = gate.condition.children[1]
    assert zhanaozen.detail == (
        "0 of 5 hold, 3 do not, 2 undetermined; all must hold, so it fails on: "
        "bm-zhanaozen-disclosure has Not met (0.33), needs Met (1); "
        "bm-zhanaozen-accountability has Partly met (0.67), needs Met (1); "
        "bm-zhanaozen-torture has Not met (0.33), needs Met (1)"
    )
    assert zhanaozen.decided_by == (0, 1, 2)
    assert [c.verdict for c in zhanaozen.children] == [
        Verdict.FAIL,
        Verdict.FAIL,
        Verdict.FAIL,
        Verdict.UNDETERMINED,
        Verdict.UNDETERMINED,
    ]
    assert gate.explanation.steps[0] == "Gate gate-pca-conditionality as of 2012-03-20: fail."
    assert len(gate.explanation.inputs) == 20


def test_the_kazakhstan_explanations_name_assessments_and_reasons(card: Scorecard) -> None:
    sokolova = card.benchmark("bm-sokolova")
    assert sokolova.explanation.inputs[0].kind == "assessment"
    assert sokolova.explanation.inputs[1].id == "editors-status"
    assert "'partially-met'" in sokolova.explanation.steps[-2]
    unknown = card.benchmark("bm-zhanaozen-fair-trials")
    assert any("could not be assessed" in step for step in unknown.explanation.steps)
    area = card.area("area-zhanaozen")
    assert "Not assessable: bm-zhanaozen-fair-trials, bm-zhanaozen-independent-experts." in (
        area.explanation.steps
    )


def test_the_kazakhstan_fingerprint_is_stable_and_dated(
    kazakhstan: benchmarkkit.Dataset, card: Scorecard
) -> None:
    again = score(benchmarkkit.load_dataset(EXAMPLE), as_of="2012-03-20")
    assert again.fingerprint == card.fingerprint
    assert score(kazakhstan, as_of="2012-01-01").fingerprint != card.fingerprint


def test_before_the_appeal_only_the_evidence_speaks(kazakhstan: benchmarkkit.Dataset) -> None:
    early = score(kazakhstan, as_of="2012-01-01")
    rules = {r.rule for r in early.benchmarks}
    # No assessment is dated before the appeal: what scores is what the evidence says,
    # read through an indicator (the Religion Law of October 2011) or weighed as a whole.
    assert rules == {"evidence-based", "indicator-progress", None}
    assert all(
        r.provisional
        for r in early.benchmarks
        if r.score is not None and r.rule == "evidence-based"
    )
    religion = early.benchmark("bm-religion-law")
    assert (religion.rule, religion.score) == ("indicator-progress", 0.0)
    assert early.gate("gate-pca-conditionality").verdict is Verdict.FAIL
    comparison = compare(kazakhstan, "2012-01-01", "2012-03-20")
    # Accountability: provisional from the evidence (criminal cases) before, assessed after;
    # scores of different kinds are not called a change.
    accountability = comparison.benchmarks[4]
    assert accountability.id == "bm-zhanaozen-accountability"
    assert accountability.kind is ChangeKind.DIFFERENT_KIND
    assert accountability.summary.endswith(
        "(Partly met, assessed): scores of different kinds, so the difference is not counted "
        "as a change."
    )


def test_the_kazakhstan_scorecard_json_is_valid(card: Scorecard) -> None:
    text = (resources.files("benchmarkkit") / "schemas" / "scorecard.schema.json").read_text(
        "utf-8"
    )
    validator = jsonschema.Draft202012Validator(
        json.loads(text), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    document = json.loads(json.dumps(scorecard_to_json(card)))
    assert list(validator.iter_errors(document)) == []


# -- examples/custom_rule.py ---------------------------------------------------------------


def _run(*arguments: str) -> str:
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_the_custom_rule_script_scores_the_kazakhstan_example() -> None:
    output = _run()
    lines = output.splitlines()
    assert lines[0] == (
        "Scorecard of kazakhstan-2012 as of 2012-03-20 "
        "(rules: two-independent-sources, status-mapping)"
    )
    # Every event in the example comes from the appeal alone: nothing is corroborated.
    rows = [line.split() for line in lines if line.startswith("  bm-")]
    assert len(rows) == 20
    assert (
        sum(1 for row in rows if row[1:] == ["0.00", "not", "met", "two-independent-sources"]) == 19
    )
    assert [
        "bm-zhanaozen-independent-experts",
        "n/a",
        "not",
        "assessable",
        "status-mapping",
    ] in rows
    assert "      Fewer than 2 sources with different publishers report progress: not met." in lines
    assert "  gate-pca-conditionality: fail" in lines
    assert "Overall: 0.00" in lines


def test_the_custom_rule_counts_independent_sources(tmp_path: Path) -> None:
    actors = (
        Actor(id="ngo-a", name="NGO A", kind=ActorKind.NGO),
        Actor(id="ngo-b", name="NGO B", kind=ActorKind.NGO),
    )
    sources = tuple(
        Source(
            id=source_id,
            title=f"Report {source_id}",
            kind=SourceKind.REPORT,
            publishers=publishers,
            reliability=Reliability.LIKELY_RELIABLE,
        )
        for source_id, publishers in [
            ("report-a", ("ngo-a",)),
            ("report-a2", ("ngo-a",)),
            ("report-b", ("ngo-b",)),
        ]
    )
    progress = EvidenceDirection.PROGRESS
    dataset = make_dataset(
        actors=actors,
        sources=sources,
        benchmarks=(
            make_benchmark("bm-both"),
            make_benchmark("bm-same"),
            make_benchmark("bm-none"),
        ),
        evidence=(
            make_evidence("ev-1", ("bm-both", "bm-same"), "2012-01", progress, source="report-a"),
            make_evidence("ev-2", ("bm-both",), "2012-02", progress, source="report-b"),
            make_evidence("ev-3", ("bm-same",), "2012-02", progress, source="report-a2"),
        ),
        assessments=(make_assessment("as-1", "bm-none", "2012-01-01", "partly-met"),),
    )
    path = tmp_path / "corroborated.json"
    path.write_text(json.dumps(unstructure(dataset)), encoding="utf-8")
    output = _run(str(path), "--as-of", "2012-03-01")
    rows = {
        line.split()[0]: line.split()[1:]
        for line in output.splitlines()
        if line.startswith("  bm-")
    }
    assert rows == {
        "bm-both": ["1.00", "met", "two-independent-sources"],
        "bm-same": ["0.00", "not", "met", "two-independent-sources"],
        "bm-none": ["0.60", "not", "met", "status-mapping"],
    }
    assert (
        "      Sources report-a, report-b have no publisher in common and all report progress: met."
        in (output.splitlines())
    )
