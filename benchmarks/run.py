"""Measure benchmarkkit against the floor (parsing the JSON) and the peer (check-jsonschema).

Every measurement runs in a fresh Python process, so that no cache, import or
garbage from one measurement helps or hurts another, and the repetitions are
interleaved (one of each, then again), so that a machine busy for a while
slows them all alike. The table gives the median of the repetitions:

- in-process seconds (the child times only the operation, its file read
  included) as a ratio to ``json.loads`` of the same file;
- whole-process seconds (start to exit, as a user waits for them) as a ratio
  to a process that only ``json.loads`` the file;
- the peak resident memory of the process (``ru_maxrss``, in MiB);
- spreadsheets, as whole processes, as a ratio to ``benchmarkkit validate`` of
  the same dataset: ``export`` to xlsx, ``validate`` and ``import`` of that
  workbook, and ``import`` of a table shaped like the UPR Info database's
  export (``benchmarks/upr_table.py``, one row per evidence item in two)
  through ``examples/upr-info/mapping.yaml``. They need the ``spreadsheets``
  extra; without it they are skipped.

The datasets are written by ``benchmarks/generate.py`` (under
``benchmarks/data/``, not committed) when missing. check-jsonschema is
measured if it is installed (``pip install check-jsonschema``; it is not a
dependency of benchmarkkit).

    python benchmarks/run.py                     # 1k, 10k and 100k
    python benchmarks/run.py --sizes 1k --repeat 1   # the smoke test CI runs

The figures of this machine, and what the rows mean, are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
AS_OF = "2024-01-01"
#: The table shaped like the UPR Info export imported at each size: one row per two evidence
#: items, so that the 100k size imports 50,000 rows.
UPR_ROWS = {"1k": "500", "10k": "5000", "100k": "50000"}
MAPPING = HERE.parent / "examples" / "upr-info" / "mapping.yaml"

# -- what a child process measures ----------------------------------------------------------


def _peak_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _clock() -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of this process so far."""
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> dict[str, float]:
    """The wall and CPU seconds since ``start``, as a child reports them."""
    wall, cpu = _clock()
    return {"seconds": wall - start[0], "cpu": cpu - start[1]}


def _child_json_loads(path: str) -> dict[str, Any]:
    start = _clock()
    json.loads(Path(path).read_bytes())
    return _since(start)


def _child_jsonschema(path: str) -> dict[str, Any]:
    """Schema-only validation with the pure-Python jsonschema, as check-jsonschema does it."""
    import jsonschema
    from referencing import Registry, Resource

    from benchmarkkit._schema import SCHEMA_NAMES, schema

    documents = [schema(name) for name in SCHEMA_NAMES]
    registry: Registry[Any] = Registry().with_resources(
        (document["$id"], Resource.from_contents(document)) for document in documents
    )
    validator = jsonschema.Draft202012Validator(
        schema("dataset"),
        registry=registry,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    data = json.loads(Path(path).read_bytes())
    start = _clock()
    errors = sum(1 for _ in validator.iter_errors(data))
    return {**_since(start), "problems": errors}


def _child_validate(path: str) -> dict[str, Any]:
    from benchmarkkit import validate  # imported before the clock starts: imports are not timed

    start = _clock()
    report = validate(path)
    spent = _since(start)
    located = sum(1 for problem in report.problems if problem.line is not None)
    return {
        **spent,
        "problems": len(report.problems),
        "located": located,
        "codes": dict(report.codes()),
    }


def _child_load(path: str) -> dict[str, Any]:
    from benchmarkkit import load_dataset

    start = _clock()
    load_dataset(path)
    return _since(start)


def _child_score(path: str) -> dict[str, Any]:
    from benchmarkkit import load_dataset
    from benchmarkkit.scoring import score

    dataset = load_dataset(path)
    start = _clock()
    card = score(dataset, as_of=AS_OF, validated=True)  # load_dataset validated it
    return {**_since(start), "problems": len(card.problems)}


CHILDREN: dict[str, Callable[[str], dict[str, Any]]] = {
    "json-loads": _child_json_loads,
    "jsonschema": _child_jsonschema,
    "validate": _child_validate,
    "load": _child_load,
    "score": _child_score,
}


def _run_child(kind: str, path: str) -> None:
    result = CHILDREN[kind](path)
    result["peak_mb"] = _peak_mb()
    sys.stdout.write(json.dumps(result) + "\n")


# -- running processes ----------------------------------------------------------------------


@dataclass
class Sample:
    """One run of one measurement: wall seconds, CPU seconds (user + system), peak memory."""

    seconds: float
    cpu: float
    peak_mb: float
    extra: dict[str, Any] = field(default_factory=dict)


def _process(command: Sequence[str], *, expect: Sequence[int] = (0,)) -> tuple[Sample, bytes]:
    """Run ``command``; its wall and CPU time and peak memory (from wait4), and its output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr = child.stderr.read() if child.stderr else b""
        if child.stderr:
            child.stderr.close()
        out.seek(0)
        stdout = out.read()
    if child.returncode not in expect:
        raise RuntimeError(
            f"{' '.join(command)} exited with {child.returncode}:\n{stderr.decode()[-2000:]}"
        )
    peak = usage.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else usage.ru_maxrss / 1024
    return Sample(seconds, usage.ru_utime + usage.ru_stime, peak), stdout


def _in_process(kind: str, path: Path) -> Sample:
    _sample, stdout = _process(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(path)]
    )
    result = json.loads(stdout)
    return Sample(result.pop("seconds"), result.pop("cpu"), result.pop("peak_mb"), result)


def _tool(name: str) -> str | None:
    """An executable next to this Python (the virtual environment's), else on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


# -- the measurements -----------------------------------------------------------------------


@dataclass
class Measurement:
    """A row of the table: how to take one sample, and the samples taken."""

    label: str
    group: str  # "in-process", "process" or "tables"
    take: Callable[[], Sample]
    repeat: int
    samples: list[Sample] = field(default_factory=list)
    skipped: str | None = None

    @property
    def seconds(self) -> float:
        """The median of the samples."""
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def cpu(self) -> float:
        """The median CPU seconds (user + system) of the samples."""
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def peak_mb(self) -> float:
        """The highest peak of the samples."""
        return max(sample.peak_mb for sample in self.samples)


def _measurements(
    size: str, data: Path, repeat: int, peer_repeat: int, schemas: Path
) -> dict[str, Measurement]:
    path = data / size / "dataset.json"
    broken = data / f"{size}-broken" / "dataset.json"
    python = sys.executable
    cli = _tool("benchmarkkit")
    benchmarkkit_command = [cli] if cli else [python, "-m", "benchmarkkit"]
    floor_code = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"
    rows = {
        "json.loads": Measurement(
            "json.loads", "in-process", lambda: _in_process("json-loads", path), repeat
        ),
        "jsonschema": Measurement(
            "jsonschema (pure Python), schema only",
            "in-process",
            lambda: _in_process("jsonschema", path),
            peer_repeat,
        ),
        "validate": Measurement(
            "benchmarkkit.validate", "in-process", lambda: _in_process("validate", path), repeat
        ),
        "validate-broken": Measurement(
            "benchmarkkit.validate, broken variant",
            "in-process",
            lambda: _in_process("validate", broken),
            repeat,
        ),
        "load": Measurement(
            "benchmarkkit.load_dataset", "in-process", lambda: _in_process("load", path), repeat
        ),
        "score": Measurement(
            f"scoring.score(as_of={AS_OF})",
            "in-process",
            lambda: _in_process("score", path),
            repeat,
        ),
        "python": Measurement(
            "python -c 'json.loads(file)'",
            "process",
            lambda: _process([python, "-c", floor_code, str(path)])[0],
            repeat,
        ),
        "check-jsonschema": Measurement(
            "check-jsonschema",
            "process",
            lambda: _check_jsonschema(path, schemas),
            peer_repeat,
        ),
        "cli": Measurement(
            "benchmarkkit validate",
            "process",
            lambda: _process([*benchmarkkit_command, "validate", str(path)])[0],
            repeat,
        ),
        "cli-broken": Measurement(
            "benchmarkkit validate, broken variant",
            "process",
            lambda: _process([*benchmarkkit_command, "validate", str(broken)], expect=(1,))[0],
            repeat,
        ),
        "version": Measurement(
            "benchmarkkit --version",
            "process",
            lambda: _process([*benchmarkkit_command, "--version"])[0],
            repeat,
        ),
    }
    rows.update(_table_measurements(size, data, repeat, benchmarkkit_command))
    if _tool("check-jsonschema") is None:
        rows["check-jsonschema"].skipped = "not installed, skipped"
    return rows


def _into_new_folder(command: Sequence[str], *, expect: Sequence[int] = (0,)) -> Sample:
    """Run ``command`` with ``-o`` a path that does not exist yet, then remove what it wrote.

    Import and export refuse to write over anything, so each run needs a new path.
    """
    with tempfile.TemporaryDirectory() as folder:
        return _process([*command, "-o", str(Path(folder) / "out")], expect=expect)[0]


def _table_measurements(
    size: str, data: Path, repeat: int, benchmarkkit_command: list[str]
) -> dict[str, Measurement]:
    path = data / size / "dataset.json"
    book = data / f"{size}-book" / "dataset.xlsx"
    table = data / f"upr-{UPR_ROWS[size]}.csv"
    mapping = MAPPING
    rows = {
        "export-xlsx": Measurement(
            "benchmarkkit export --format xlsx",
            "tables",
            lambda: _into_new_folder(
                [*benchmarkkit_command, "export", str(path), "--format", "xlsx"]
            ),
            repeat,
        ),
        "validate-xlsx": Measurement(
            "benchmarkkit validate (the workbook)",
            "tables",
            lambda: _process([*benchmarkkit_command, "validate", str(book)])[0],
            repeat,
        ),
        "import-xlsx": Measurement(
            "benchmarkkit import (the workbook)",
            "tables",
            lambda: _into_new_folder([*benchmarkkit_command, "import", str(book)]),
            repeat,
        ),
        "import-mapped": Measurement(
            f"benchmarkkit import --mapping ({UPR_ROWS[size]} rows)",
            "tables",
            lambda: _into_new_folder(
                [*benchmarkkit_command, "import", str(table), "--mapping", str(mapping)]
            ),
            repeat,
        ),
    }
    if not _has_spreadsheets():
        for row in rows.values():
            row.skipped = "needs the spreadsheets extra, skipped"
    return rows


def _has_spreadsheets() -> bool:
    try:
        import python_calamine  # noqa: F401
        import xlsxwriter  # noqa: F401
    except ImportError:
        return False
    return True


def _check_jsonschema(path: Path, schemas: Path) -> Sample:
    tool = _tool("check-jsonschema")
    assert tool is not None
    schema = schemas / "dataset.schema.json"
    command = [tool, "--schemafile", str(schema), "--base-uri", schema.as_uri(), str(path)]
    return _process(command, expect=(0, 1))[0]


def _write_schemas(folder: Path) -> None:
    """The bundled schemas as files, for check-jsonschema (they refer to each other)."""
    from benchmarkkit._schema import SCHEMA_NAMES, schema_text

    for name in SCHEMA_NAMES:
        (folder / f"{name}.schema.json").write_text(schema_text(name), encoding="utf-8")


def _ensure_data(size: str, data: Path) -> None:
    # In a process of its own: a child forked from a harness that had grown to hold a
    # generated dataset reports the harness's memory as its own peak (ru_maxrss counts
    # the pages it had before exec).
    for broken in (False, True):
        folder = data / (f"{size}-broken" if broken else size)
        if not (folder / "dataset.json").is_file() or (
            broken and not (folder / "expected.json").is_file()
        ):
            print(f"generating {folder} ...", file=sys.stderr, flush=True)
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), size, "--out", str(data)]
                + (["--broken"] if broken else []),
                check=True,
            )
    if not _has_spreadsheets():
        return
    book = data / f"{size}-book" / "dataset.xlsx"
    if not book.is_file():
        # Beside the dataset's archived texts, so that its quotes are checked as the dataset's.
        print(f"exporting {book} ...", file=sys.stderr, flush=True)
        book.parent.mkdir(parents=True, exist_ok=True)
        if (book.parent / "sources").exists():
            shutil.rmtree(book.parent / "sources")
        shutil.copytree(data / size / "sources", book.parent / "sources")
        subprocess.run(
            [sys.executable, "-m", "benchmarkkit", "export", str(data / size), "-o", str(book)],
            check=True,
        )
    table = data / f"upr-{UPR_ROWS[size]}.csv"
    if not table.is_file():
        print(f"generating {table} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, str(HERE / "upr_table.py"), UPR_ROWS[size], "--out", str(data)],
            check=True,
        )


def _measure(rows: dict[str, Measurement]) -> None:
    """Take the samples round by round, one of each measurement per round."""
    rounds = max(row.repeat for row in rows.values())
    for number in range(rounds):
        for row in rows.values():
            if row.skipped is None and number < row.repeat:
                row.samples.append(row.take())


# -- the report -----------------------------------------------------------------------------


def _describe(size: str, data: Path) -> str:
    path = data / size / "dataset.json"
    archives = list((data / size / "sources").iterdir())
    document = json.loads(path.read_bytes())
    megabytes = sum(p.stat().st_size for p in archives) / 1e6
    records = sum(len(value) for value in document.values() if isinstance(value, list))
    return (
        f"{size}: {path.stat().st_size / 1e6:.1f} MB of JSON, {len(document['evidence']):,} "
        f"evidence items, {records:,} records, {len(archives):,} archived texts "
        f"({megabytes:.1f} MB)"
    )


def _check_broken(size: str, data: Path, row: Measurement) -> str:
    expected = json.loads((data / f"{size}-broken" / "expected.json").read_text(encoding="utf-8"))
    sample = row.samples[0].extra
    found, located = sample["problems"], sample["located"]
    same = sample["codes"] == expected
    verdict = "as expected" if same else f"NOT as expected: {sample['codes']} != {expected}"
    return (
        f"broken variant: {found:,} problems, {located:,} with a line and column; codes {verdict}"
    )


def _table(size: str, data: Path, rows: dict[str, Measurement]) -> list[str]:
    lines = [_describe(size, data), ""]
    lines.append(
        f"  {'':<44} {'seconds':>9} {'ratio':>7} {'cpu s':>9} {'cpu ratio':>9} {'peak MiB':>9}"
    )
    floors = {"in-process": rows["json.loads"], "process": rows["python"], "tables": rows["cli"]}
    for group, title in (
        ("in-process", "in one process (floor: json.loads)"),
        ("process", "whole process (floor: python that only json.loads)"),
        ("tables", "spreadsheets, whole process (ratio: benchmarkkit validate of the dataset)"),
    ):
        lines.append(f"  {title}")
        for row in rows.values():
            if row.group != group:
                continue
            if row.skipped:
                lines.append(f"    {row.label:<42} {row.skipped}")
                continue
            ratio = row.seconds / floors[group].seconds
            cpu_ratio = row.cpu / floors[group].cpu
            lines.append(
                f"    {row.label:<42} {row.seconds:9.3f} {ratio:7.2f} {row.cpu:9.3f} "
                f"{cpu_ratio:9.2f} {row.peak_mb:9.0f}"
            )
    lines.append("")
    lines.append("  " + _check_broken(size, data, rows["validate-broken"]))
    return lines


@dataclass
class Target:
    """One figure the performance issue asks for."""

    text: str
    value: float | None
    limit: float
    unit: str

    def line(self) -> str:
        """The target, the figure measured, and whether it is met."""
        if self.value is None:
            return f"  {self.text:<58} not measured"
        verdict = "met" if self.value <= self.limit else "NOT met"
        return f"  {self.text:<58} {self.value:8.3f} {self.unit:<3} (<= {self.limit:g}) {verdict}"


def _targets(results: dict[str, dict[str, Measurement]]) -> list[Target]:
    def ratio(size: str, key: str, floor: str) -> float | None:
        rows = results.get(size)
        if rows is None:
            return None
        return rows[key].seconds / rows[floor].seconds

    def seconds(size: str, key: str) -> float | None:
        rows = results.get(size)
        return rows[key].seconds if rows else None

    def scaling(key: str) -> float | None:
        if "10k" in results and "100k" in results:
            return results["100k"][key].seconds / results["10k"][key].seconds
        return None

    def memory() -> float | None:
        rows = results.get("100k")
        if rows is None or rows["check-jsonschema"].skipped:
            return None
        return rows["cli"].peak_mb / rows["check-jsonschema"].peak_mb

    return [
        Target(
            "100k: validate / json.loads, in one process",
            ratio("100k", "validate", "json.loads"),
            2.5,
            "x",
        ),
        Target(
            "100k: validate broken / json.loads, in one process",
            ratio("100k", "validate-broken", "json.loads"),
            2.5,
            "x",
        ),
        Target(
            "100k: benchmarkkit validate / python json.loads, process",
            ratio("100k", "cli", "python"),
            2.0,
            "x",
        ),
        Target(
            "100k: benchmarkkit validate broken / python json.loads",
            ratio("100k", "cli-broken", "python"),
            2.0,
            "x",
        ),
        Target("100k: peak memory, benchmarkkit validate / check-jsonschema", memory(), 1.0, "x"),
        Target("10k -> 100k: time of benchmarkkit.validate", scaling("validate"), 11.0, "x"),
        Target("10k -> 100k: time of benchmarkkit validate (process)", scaling("cli"), 11.0, "x"),
        Target("1k: benchmarkkit validate, whole process", seconds("1k", "cli"), 0.150, "s"),
        Target(
            "benchmarkkit --version, whole process",
            seconds(next(iter(results)), "version"),
            0.100,
            "s",
        ),
    ]


def _scaling(results: dict[str, dict[str, Measurement]]) -> list[str]:
    if not ("10k" in results and "100k" in results):
        return []
    lines = [f"scaling, 10k -> 100k (10x the data)  {'wall':>7}  {'cpu':>7}"]
    for key, row in results["100k"].items():
        if row.skipped or key == "version":
            continue
        factor = row.seconds / results["10k"][key].seconds
        cpu_factor = row.cpu / results["10k"][key].cpu
        lines.append(f"  {row.label:<44} {factor:7.2f}x {cpu_factor:7.2f}x")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Generate what is missing, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["1k", "10k", "100k"], metavar="SIZE")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument(
        "--peer-repeat",
        type=int,
        default=None,
        help="repetitions of the slow peer measurements (default: up to 3)",
    )
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        metavar="ROW",
        help="rows not to measure, such as jsonschema",
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="where the datasets are (default: %(default)s)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the medians as JSON")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _run_child(*args.child)
        return 0
    peer_repeat = args.peer_repeat or min(args.repeat, 3)
    results: dict[str, dict[str, Measurement]] = {}
    with tempfile.TemporaryDirectory() as folder:
        schemas = Path(folder)
        _write_schemas(schemas)
        for size in args.sizes:
            _ensure_data(size, args.data)
            print(f"measuring {size} ({args.repeat} repetitions) ...", file=sys.stderr, flush=True)
            rows = _measurements(size, args.data, args.repeat, peer_repeat, schemas)
            for key in args.skip:
                rows[key].skipped = rows[key].skipped or "skipped (--skip)"
            _measure(rows)
            results[size] = rows
    print(
        f"Python {sys.version.split()[0]} on {os.cpu_count()} CPUs; medians of {args.repeat} runs "
        f"({peer_repeat} for the peers), each in a fresh process, interleaved round by round;\n"
        "seconds: wall clock; cpu s: user + system CPU of the measured work (a whole process "
        "for the process rows)"
    )
    print()
    for size, rows in results.items():
        print("\n".join(_table(size, args.data, rows)))
        print()
    scaling = _scaling(results)
    if scaling:
        print("\n".join(scaling))
        print()
    print("targets (issue 7)")
    for target in _targets(results):
        print(target.line())
    if args.json:
        medians = {
            size: {
                key: None
                if row.skipped
                else {"seconds": row.seconds, "cpu": row.cpu, "peak_mb": row.peak_mb}
                for key, row in rows.items()
            }
            for size, rows in results.items()
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(medians, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
