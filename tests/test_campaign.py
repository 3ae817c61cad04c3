"""The robustness campaign, kept: mutated copies of the example dataset never crash anything.

Each example changes one file of a copy of examples/kazakhstan-2012 (see
tests/mutations.py for the kinds of change) and checks what a user is promised:

- ``validate()`` returns a report and never raises, whatever the files hold;
- every problem has a code documented in ``benchmarkkit.CODES``;
- the command exits 0, 1 or 2 only, never with "unexpected failure" or a
  traceback, and 0 exactly when the dataset is valid;
- a dataset that validates can be scored, compared and rendered as HTML and
  Markdown without error;
- nothing outside the temporary folder changes: the repository's examples/,
  the temporary folder's siblings (one of them the command's working folder),
  and the dataset copy itself once the mutation is undone.

The copy is made once per test and each mutated file is restored after its
example, so that the thorough profile (``HYPOTHESIS_PROFILE=ci``) affords at
least 10,000 inputs. ``validate()`` runs on every input; the command runs
in-process (``main([...])``) on most of them and as a real process on a
sample; datasets that stay valid are scored and reported for a sample. The
generated inputs are drawn in five shards, each of three kinds of mutation, so
that ``pytest -n auto`` spreads them over the cores; the known crashes of
issue 12 are a test of their own, tried on every run.

The figures (inputs tried, unexpected exceptions, the slowest input) are
printed at the end of the run, added up over the workers;
``pytest --hypothesis-show-statistics`` also shows which kinds of mutation
and which outcomes were exercised.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st

from benchmarkkit import CODES, Severity, load_dataset, validate
from benchmarkkit.cli import main
from benchmarkkit.reports import build_report, report_to_html, report_to_markdown
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE, FIXTURES, PROFILE, ROOT, keep_campaign_figures
from tests.mutations import KINDS, Mutation, mutations, restore

#: Inputs per run: at least 10,000 under the thorough profile; quick otherwise.
CAMPAIGN_EXAMPLES = {"ci": 10_000, "dev": 30}.get(PROFILE, 200)
#: The campaign is run in shards, so that pytest-xdist spreads it over the cores: each shard
#: draws the mutations of its own kinds (every fifth, in name order), and the shards together
#: try CAMPAIGN_EXAMPLES generated inputs, as one test did.
SHARDS = 5
SHARD_KINDS = [tuple(sorted(KINDS)[shard::SHARDS]) for shard in range(SHARDS)]
assert CAMPAIGN_EXAMPLES % SHARDS == 0, "the shards must add up to the campaign's inputs"
AS_OF = "2012-03-20"
SRC = ROOT / "src"
#: A format 1.1 dataset whose recommendations use every field, responses and links included.
RECOMMENDATIONS = FIXTURES / "valid" / "recommendations"

Snapshot = dict[str, tuple[int, int, str]]


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() or path.is_symlink():
            yield path


_HASHES: dict[tuple[str, int, int, int], str] = {}


def _hash(path: Path, stat: os.stat_result) -> str:
    """The file's BLAKE2 hash, computed again only when its size, time or inode change."""
    key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if key not in _HASHES:
        _HASHES[key] = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    return _HASHES[key]


def snapshot(root: Path, *, times: bool = True) -> Snapshot:
    """Every file under ``root``: (size, mtime in ns, BLAKE2 hash), by relative path."""
    found: Snapshot = {}
    for path in _files(root):
        stat = path.lstat()
        found[path.relative_to(root).as_posix()] = (
            stat.st_size,
            stat.st_mtime_ns if times else 0,
            _hash(path, stat),
        )
    return found


def _changed(before: Snapshot, after: Snapshot) -> list[str]:
    def how(path: str) -> str:
        return "added" if path not in before else "removed" if path not in after else "changed"

    return sorted(
        f"{path}: {how(path)}"
        for path in before.keys() | after.keys()
        if before.get(path) != after.get(path)
    )


@attrs.define
class Figures:
    """What the campaign did, for the report at the end of the run."""

    inputs: int = 0
    unexpected: list[str] = attrs.field(factory=list)
    slowest: float = 0.0
    slowest_input: str = ""
    kinds: Counter[str] = attrs.field(factory=Counter)
    outcomes: Counter[str] = attrs.field(factory=Counter)
    statuses: Counter[str] = attrs.field(factory=Counter)
    processes: int = 0
    rendered: int = 0

    def as_data(self) -> dict[str, Any]:
        """The figures as plain data, which a pytest-xdist worker can send to the controller."""
        return attrs.asdict(self)

    @classmethod
    def added_up(cls, parts: Iterable[Mapping[str, Any]]) -> Figures:
        """The figures of a run from those of its processes (:meth:`as_data` of each)."""
        total = cls()
        for part in parts:
            total.inputs += part["inputs"]
            total.unexpected += part["unexpected"]
            if part["slowest"] > total.slowest:
                total.slowest, total.slowest_input = part["slowest"], part["slowest_input"]
            total.kinds.update(part["kinds"])
            total.outcomes.update(part["outcomes"])
            total.statuses.update(part["statuses"])
            total.processes += part["processes"]
            total.rendered += part["rendered"]
        return total

    def lines(self) -> list[str]:
        slowest = f"slowest input {self.slowest:.3f} s ({self.slowest_input})"
        outcomes = dict(sorted(self.outcomes.items()))
        statuses = dict(sorted(self.statuses.items()))
        return [
            (
                f"campaign: {self.inputs} inputs tried, {len(self.unexpected)} unexpected "
                f"exceptions; {slowest}"
            ),
            (
                f"campaign: outcomes {outcomes}; command statuses {statuses}; "
                f"{self.processes} runs as a process; {self.rendered} valid datasets scored "
                "and reported"
            ),
            f"campaign: mutation kinds {dict(sorted(self.kinds.items()))}",
            *(f"campaign: unexpected: {line}" for line in self.unexpected[:20]),
        ]


FIGURES = Figures()


@pytest.fixture(scope="module", autouse=True)
def _keep_figures(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep this process's figures so far; the run prints them, added up, at its end."""
    yield
    if FIGURES.inputs:
        keep_campaign_figures(request.config, FIGURES.as_data())


@attrs.frozen
class Workspace:
    """The temporary folder: a dataset copy, an output folder; beside it, watched siblings."""

    base: Path
    dataset: Path
    output: Path
    cwd: Path
    originals: dict[str, bytes]
    pristine: Snapshot  # every file of the dataset copy, as copied

    def __repr__(self) -> str:
        return f"Workspace({self.base})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis' pretty-printer
        printer.text(repr(self))


def _readable(path: str) -> bool:
    """The files the dataset reads: its YAML files and its archived sources."""
    return path.endswith((".yaml", ".yml", ".json")) or path.startswith("sources/")


def _workspace(tmp_path_factory: pytest.TempPathFactory, original: Path) -> Workspace:
    base = tmp_path_factory.mktemp("campaign")
    work = base / "work"
    dataset = work / original.name
    shutil.copytree(original, dataset)
    (work / "out").mkdir()
    (base / "cwd").mkdir()  # the command's working folder: nothing may appear in it
    shutil.copytree(original, base / "neighbour")  # a sibling a stray path could reach
    (base / "neighbour" / "notes.txt").write_text("not the dataset's\n", encoding="utf-8")
    originals = {
        path.relative_to(dataset).as_posix(): path.read_bytes()
        for path in _files(dataset)
        if _readable(path.relative_to(dataset).as_posix())
    }
    pristine = snapshot(dataset, times=False)
    return Workspace(base, dataset, work / "out", base / "cwd", originals, pristine)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return _workspace(tmp_path_factory, EXAMPLE)


@pytest.fixture(scope="module")
def recommendation_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return _workspace(tmp_path_factory, RECOMMENDATIONS)


def _siblings(space: Workspace) -> Snapshot:
    found: Snapshot = {}
    for child in sorted(space.base.iterdir()):
        if child.name == "work":
            continue
        if child.is_dir():
            found.update({f"{child.name}/{k}": v for k, v in snapshot(child).items()})
        else:
            found[child.name] = (child.stat().st_size, child.stat().st_mtime_ns, "")
    return found


@attrs.frozen
class Plan:
    """What to run on one input besides validate(): drawn, so that a failure replays."""

    command: str  # validate, score, report, or none
    option: str  # the format of validate or score, or the report's file
    process: bool  # as a real process rather than in-process
    render: bool  # when the dataset is valid, score and report it in memory
    encoding: str  # of the in-process standard output


#: Six inputs in ten run the command in-process (validate on half of all inputs, score
#: and report on one in twenty each), one in 250 as a process; one valid dataset in
#: forty is also scored and reported in memory. (The sampled item is in the middle of its list:
#: Hypothesis tries the first item of a list far more often than the others.)
plans = st.builds(
    Plan,
    command=st.sampled_from(["validate"] * 10 + ["score", "report"] + ["none"] * 8),
    option=st.sampled_from(["text", "json", "github", "csv", "markdown", ".html", ".md"]),
    process=st.sampled_from([n == 137 for n in range(250)]),
    render=st.sampled_from([n == 17 for n in range(40)]),
    encoding=st.sampled_from(["utf-8", "utf-8", "ascii"]),
)


def _arguments(plan: Plan, space: Workspace) -> list[str]:
    folder = str(space.dataset)
    if plan.command == "validate":
        option = plan.option if plan.option in ("text", "json", "github") else "text"
        return ["validate", folder, "--format", option]
    if plan.command == "score":
        option = plan.option if plan.option in ("json", "csv", "markdown") else "table"
        out = str(space.output / f"scores.{option}")
        return ["score", folder, "--as-of", AS_OF, "--format", option, "-o", out]
    suffix = plan.option if plan.option in (".html", ".md") else ".md"
    out = str(space.output / f"report{suffix}")
    return ["report", folder, "--as-of", AS_OF, "--compare", "2012-01-01", "-o", out]


def _in_process(arguments: list[str], encoding: str, cwd: Path) -> tuple[int, str, str]:
    """Run the command in-process, in ``cwd``; its output encodes strictly, as a terminal's."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="")
    err = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="strict", newline="")
    home = Path.cwd()
    os.chdir(cwd)  # a file written relative to the working folder lands where it is watched
    try:
        with redirect_stdout(out), redirect_stderr(err):
            status = main(arguments)
        out.flush()
        err.flush()
        moved = Path.cwd() != cwd
    finally:
        os.chdir(home)
    texts = [stream.buffer.getvalue().decode(encoding, "replace") for stream in (out, err)]
    assert not moved, "the command changed the working folder"
    return status, texts[0], texts[1]


def _as_process(arguments: list[str], cwd: Path) -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "BENCHMARKKIT_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    result = subprocess.run(
        [sys.executable, "-m", "benchmarkkit", *arguments],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    decoded = [s.decode("utf-8", "replace") for s in (result.stdout, result.stderr)]
    return result.returncode, decoded[0], decoded[1]


def _check_command(plan: Plan, space: Workspace, valid: bool) -> None:
    arguments = _arguments(plan, space)
    if plan.process:
        FIGURES.processes += 1
        status, out, err = _as_process(arguments, space.cwd)
    else:
        status, out, err = _in_process(arguments, plan.encoding, space.cwd)
    FIGURES.statuses[f"{plan.command} {status}"] += 1
    event(f"command: {plan.command} exits {status}")
    shown = (
        f"benchmarkkit {' '.join(arguments[:1] + arguments[2:])} exited {status}:\n{err[-2000:]}"
    )
    assert status in (0, 1, 2), shown
    assert "unexpected failure" not in err, shown
    assert "Traceback" not in err, shown
    # 0 exactly when the dataset is valid (warnings allowed; no --strict here).
    assert (status == 0) == valid, shown
    if plan.command == "validate" and plan.option == "json" and not plan.process:
        json.loads(out)  # the JSON report stays JSON, whatever the dataset holds


def _check_rendering(space: Workspace) -> None:
    dataset = load_dataset(space.dataset)
    card = score(dataset, as_of=AS_OF)
    errors = [str(p) for p in card.problems if p.severity is Severity.ERROR]
    assert errors == [], "a valid dataset failed to score"
    assert {p.code for p in card.problems} <= CODES.keys()
    comparison = compare(dataset, "2012-01-01", AS_OF)
    for built in (build_report(dataset, card), build_report(dataset, card, comparison=comparison)):
        assert report_to_html(built)
        assert report_to_markdown(built)
    FIGURES.rendered += 1


def run_input(space: Workspace, mutation: Mutation, plan: Plan, guarded: Snapshot) -> None:
    """Apply ``mutation``, run everything ``plan`` says on the dataset, then undo it and check."""
    FIGURES.inputs += 1
    FIGURES.kinds[mutation.kind] += 1
    event(f"mutation: {mutation.kind}")
    for path, content in mutation.changes.items():
        if content is not None:
            (space.dataset / path).write_bytes(content)
        else:
            (space.dataset / path).unlink()
    started = time.perf_counter()
    try:
        try:
            report = validate(space.dataset)
        except Exception as error:
            FIGURES.unexpected.append(f"{mutation!r}: validate() raised {error!r}"[:400])
            raise
        unknown = sorted({p.code for p in report.problems} - CODES.keys())
        assert unknown == [], f"problem codes not in CODES: {unknown}"
        outcome = "valid" if report.valid else "invalid"
        FIGURES.outcomes[outcome] += 1
        event(f"outcome: {outcome}")
        if plan.command != "none":
            _check_command(plan, space, report.valid)
        if plan.render and report.valid:
            try:
                _check_rendering(space)
            except Exception as error:
                FIGURES.unexpected.append(
                    f"{mutation!r}: scoring or reporting raised {error!r}"[:400]
                )
                raise
    finally:
        elapsed = time.perf_counter() - started
        if elapsed > FIGURES.slowest:
            FIGURES.slowest, FIGURES.slowest_input = elapsed, repr(mutation)
        restore(space.dataset, space.originals, mutation)
        for leftover in _files(space.output):
            leftover.unlink()
    changed = _changed(space.pristine, snapshot(space.dataset, times=False))
    assert changed == [], f"the dataset copy holds more than the undone mutation: {changed}"
    changed = _changed(guarded, _guarded(space))
    assert changed == [], f"files outside the temporary folder changed: {changed}"


def _guarded(space: Workspace) -> Snapshot:
    """What must never change: the repository's examples/, and the temporary folder's siblings."""
    return {
        **{f"examples/{k}": v for k, v in snapshot(ROOT / "examples").items()},
        **{f"siblings/{k}": v for k, v in _siblings(space).items()},
    }


def _mutation(kind: str, path: str, old: str, new: str) -> Mutation:
    """A mutation that replaces the first ``old`` in the example's file ``path`` with ``new``."""
    original = (EXAMPLE / path).read_bytes()
    assert old.encode() in original, f"{old!r} is not in {path}"
    changed = original.replace(old.encode(), new.encode("utf-8", "surrogatepass"), 1)
    return Mutation(kind, f"{path}: {old!r} -> {new[:60]!r}", {path: changed})


def _as_json(path: str, old: str, new: str) -> Mutation:
    """The example's file ``path`` written as JSON (``path`` with .json), with one string edited."""
    import yaml

    text = json.dumps(yaml.safe_load((EXAMPLE / path).read_text(encoding="utf-8")))
    assert json.dumps(old) in text
    target = path.replace(".yaml", ".json")
    edited = text.replace(json.dumps(old), new, 1).encode("ascii")
    return Mutation("lone surrogates", f"{target}: {old!r} -> {new}", {path: None, target: edited})


def _originals(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in _files(folder)
        if _readable(path.relative_to(folder).as_posix())
    }


#: The files the dataset reads, as the example holds them (the copy starts out the same).
ORIGINALS = _originals(EXAMPLE)
RECOMMENDATION_ORIGINALS = _originals(RECOMMENDATIONS)
#: Inputs from issue 12 that made validate() raise, or had a readable file reported as
#: unreadable: tried on every run.
KNOWN_CRASHES = (
    _mutation("tags", "dataset.yaml", "id: kazakhstan-2012", "id: !!bool abc"),
    _mutation("tags", "dataset.yaml", "language: en", 'language: !!float ""'),
    _mutation("tags", "dataset.yaml", "language: en", "language: !!int abc"),
    _mutation("tags", "dataset.yaml", "language: en", "language: !!float abc"),
    _mutation("huge numbers", "dataset.yaml", "value: 0.33", "value: " + "9" * 5000),
    _mutation("huge numbers", "dataset.yaml", "value: 0.33", "value: 0x" + "f" * 5000),
    _mutation("control characters", "dataset.yaml", "language: en", "language: e\x13n"),
    _mutation("control characters", "dataset.yaml", "language: en", "language: e\x00n"),
    _as_json("actors.yaml", "norhc", '"norhc\\ud800"'),
)
EVERYTHING = Plan(command="validate", option="json", process=False, render=True, encoding="utf-8")


def _with_known_crashes(test: Any) -> Any:
    for mutation in KNOWN_CRASHES:
        test = example(mutation=mutation, plan=EVERYTHING)(test)
    return test


@settings(phases=[Phase.explicit])  # these inputs only; the shards below generate the others
@given(mutation=mutations(ORIGINALS), plan=plans)
@_with_known_crashes  # tried on every run
def test_inputs_that_once_crashed_never_crash_anything(
    workspace: Workspace, mutation: Mutation, plan: Plan
) -> None:
    assert workspace.originals == ORIGINALS
    run_input(workspace, mutation, plan, _guarded(workspace))


#: Each shard's strategy, made once (the kinds are the shard's test id).
SHARD_MUTATIONS = {kinds: mutations(ORIGINALS, kinds) for kinds in SHARD_KINDS}


@pytest.mark.slow
@pytest.mark.parametrize("kinds", SHARD_KINDS, ids=", ".join)
@settings(
    max_examples=CAMPAIGN_EXAMPLES // SHARDS,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Explaining a failure re-runs it hundreds of times (minutes here); the shrunk input
    # and its traceback say enough.
    phases=[phase for phase in Phase if phase is not Phase.explain],
)
@given(plan=plans, data=st.data())
def test_mutated_example_files_never_crash_anything(
    workspace: Workspace, kinds: tuple[str, ...], plan: Plan, data: st.DataObject
) -> None:
    assert workspace.originals == ORIGINALS
    mutation = data.draw(SHARD_MUTATIONS[kinds], label="mutation")
    run_input(workspace, mutation, plan, _guarded(workspace))


@pytest.mark.slow
@settings(
    # A fiftieth of the campaign: the example the main campaign mutates is itself a
    # format 1.1 dataset with recommendations; this one adds what the example lacks
    # (responses, classifications, assessments of recommendations, shared fields).
    max_examples=max(CAMPAIGN_EXAMPLES // 50, 30),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    phases=[phase for phase in Phase if phase is not Phase.explain],
)
@given(mutation=mutations(RECOMMENDATION_ORIGINALS), plan=plans)
def test_mutated_recommendations_never_crash_anything(
    recommendation_workspace: Workspace, mutation: Mutation, plan: Plan
) -> None:
    """The same promises for a format 1.1 dataset whose recommendations use every field."""
    assert recommendation_workspace.originals == RECOMMENDATION_ORIGINALS
    run_input(recommendation_workspace, mutation, plan, _guarded(recommendation_workspace))


@given(mutation=mutations(ORIGINALS))
def test_a_mutation_is_undone_completely(workspace: Workspace, mutation: Mutation) -> None:
    assert any(content != ORIGINALS.get(path) for path, content in mutation.changes.items())
    for path, content in mutation.changes.items():
        if content is None:
            (workspace.dataset / path).unlink()
        else:
            (workspace.dataset / path).write_bytes(content)
    restore(workspace.dataset, workspace.originals, mutation)
    assert _changed(workspace.pristine, snapshot(workspace.dataset, times=False)) == []


def test_the_guard_sees_a_file_written_beside_the_temporary_folder(workspace: Workspace) -> None:
    before = _guarded(workspace)
    stray = workspace.cwd / "scores.csv"
    stray.write_text("written where the command was run\n", encoding="utf-8")
    try:
        assert _changed(before, _guarded(workspace)) == ["siblings/cwd/scores.csv: added"]
    finally:
        stray.unlink()
    assert _changed(before, _guarded(workspace)) == []
