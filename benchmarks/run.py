"""Measure benchmarkkit against the floor (parsing the JSON) and the peer (check-jsonschema).

Every measurement runs in a fresh Python process, so that no cache, import or
garbage from one measurement helps or hurts another, and the repetitions are
interleaved (one of each, then again), so that a machine busy for a while
slows them all alike. The table gives the median of the repetitions, in wall
seconds and in CPU seconds (user + system: on a shared machine, the figure to
trust):

- in-process seconds (the child times only the operation, its file read
  included) as a ratio to ``json.loads`` of the same file;
- whole-process seconds (start to exit, as a user waits for them) as a ratio
  to a process that only ``json.loads`` the file. ``benchmarkkit validate`` is
  measured cold (``BENCHMARKKIT_CACHE_DIR`` a new empty folder for each run,
  so no quote is known verified) and warm (a folder filled by an earlier run);
  every other command runs cold;
- the peak resident memory of the process (``ru_maxrss``, in MiB);
- reports, as whole processes, as a ratio to ``benchmarkkit validate`` (cold):
  ``report -o r.html`` and ``-o r.md``, with the bytes they write (every file:
  a large report is a folder of pages), the size of the first page, and the
  number of elements (DOM nodes) of the first HTML page, counted with the
  standard library's ``html.parser``;
- spreadsheets, as whole processes, as a ratio to ``benchmarkkit validate`` of
  the same dataset: ``export`` to xlsx, ``validate`` and ``import`` of that
  workbook, and ``import`` of a table shaped like the UPR Info database's
  export (``benchmarks/upr_table.py``, one row per evidence item in two)
  through ``examples/upr-info/mapping.yaml``. They need the ``spreadsheets``
  extra; without it they are skipped. At 100k each is run once (about three
  minutes in all); at 270k they are skipped (an import alone would take
  minutes and gigabytes).

Then the scaling from 10k to 100k and from 100k to 270k, and every target of
the performance issues (16, then 7), each with the figure measured and "met"
or "NOT met".

The datasets are written by ``benchmarks/generate.py`` (under
``benchmarks/data/``, not committed) when missing or written by another
version of the generator. 270k is measured only when asked for (``--sizes``),
one run per row by default (``--large-repeat``), without the peers, the
broken variant or the spreadsheets. check-jsonschema is measured if it is
installed (``pip install check-jsonschema``; it is not a dependency of
benchmarkkit).

    python benchmarks/run.py                          # 1k, 10k and 100k
    python benchmarks/run.py --sizes 1k 10k 100k 270k # every figure of issue 16
    python benchmarks/run.py --sizes 1k --repeat 1    # the smoke test CI runs

The figures of this machine, and what the rows mean, are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
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
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generate import QUOTES, read_mix
from targets import issue_7_targets, issue_16_targets, scaling

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
AS_OF = "2024-01-01"
#: The table shaped like the UPR Info export imported at each size: one row per two evidence
#: items, so that the 100k size imports 50,000 rows.
UPR_ROWS = {"1k": "500", "10k": "5000", "100k": "50000"}
MAPPING = HERE.parent / "examples" / "upr-info" / "mapping.yaml"
#: Sizes measured only when asked for, by default once per row, and without the slow peers,
#: the broken variant and the spreadsheets.
LARGE = ("270k",)
#: Sizes at which the spreadsheet rows are run once, whatever --repeat says.
TABLES_ONCE = ("100k",)
CACHE_VARIABLE = "BENCHMARKKIT_CACHE_DIR"

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


def _process(
    command: Sequence[str], *, expect: Sequence[int] = (0,), cache: Path | None = None
) -> tuple[Sample, bytes]:
    """Run ``command``; its wall and CPU time and peak memory (from wait4), and its output.

    The command's quote cache is ``cache``, or a new empty folder removed afterwards (cold).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryDirectory() as empty:
        environment = {**os.environ, CACHE_VARIABLE: str(cache or empty)}
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env=environment)
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


class _WarmCache:
    """A quote cache filled by one run of a command before the first measured run."""

    def __init__(self, folder: Path, command: Sequence[str]) -> None:
        self.folder = folder
        self.command = command
        self.filled = False

    def run(self) -> Sample:
        """Fill the cache (the first time, unmeasured), then run the command with it."""
        if not self.filled:
            self.folder.mkdir(parents=True, exist_ok=True)
            _process(self.command, cache=self.folder)
            self.filled = True
        return _process(self.command, cache=self.folder)[0]


class _ElementCounter(HTMLParser):
    """Counts the elements of an HTML page, as a browser's DOM would hold them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1


def count_elements(page: Path) -> int:
    """The number of elements of an HTML page (its DOM nodes that are elements)."""
    counter = _ElementCounter()
    with page.open(encoding="utf-8") as file:
        while chunk := file.read(1 << 20):
            counter.feed(chunk)
    counter.close()
    return counter.elements


def _report(command: Sequence[str], suffix: str, counted: dict[str, int]) -> Sample:
    """Write a report into a new folder; measure it and what it wrote, then remove it.

    The first page's elements are counted once per row (``counted``): parsing a large
    page takes longer than writing it.
    """
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / f"r{suffix}"
        sample = _process([*command, "-o", str(page)])[0]
        files = [path for path in Path(folder).rglob("*") if path.is_file()]
        sample.extra = {
            "bytes": sum(path.stat().st_size for path in files),
            "files": len(files),
            "first_page_bytes": page.stat().st_size,
        }
        if suffix == ".html":
            if "elements" not in counted:
                counted["elements"] = count_elements(page)
            sample.extra["elements"] = counted["elements"]
    return sample


# -- the measurements -----------------------------------------------------------------------


@dataclass
class Measurement:
    """A row of the table: how to take one sample, and the samples taken."""

    label: str
    group: str  # "in-process", "process", "reports" or "tables"
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

    def output(self, key: str) -> Any:
        """A figure of what the first sample wrote (the same for every sample)."""
        return self.samples[0].extra.get(key) if self.samples else None


@dataclass
class Plan:
    """What to measure at one size: the data, the repetitions, the commands."""

    size: str
    data: Path
    repeat: int
    peer_repeat: int
    schemas: Path
    cache: Path  # a folder for the warm cache of this size

    @property
    def path(self) -> Path:
        """The dataset file."""
        return self.data / self.size / "dataset.json"

    @property
    def broken(self) -> Path:
        """The dataset file of the broken variant."""
        return self.data / f"{self.size}-broken" / "dataset.json"


def _benchmarkkit() -> list[str]:
    cli = _tool("benchmarkkit")
    return [cli] if cli else [sys.executable, "-m", "benchmarkkit"]


def _measurements(plan: Plan) -> dict[str, Measurement]:
    path, broken, repeat = plan.path, plan.broken, plan.repeat
    python = sys.executable
    floor_code = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"
    validate = [*_benchmarkkit(), "validate", str(path)]
    warm = _WarmCache(plan.cache, validate)
    rows = {
        "json.loads": Measurement(
            "json.loads", "in-process", lambda: _in_process("json-loads", path), repeat
        ),
        "jsonschema": Measurement(
            "jsonschema (pure Python), schema only",
            "in-process",
            lambda: _in_process("jsonschema", path),
            plan.peer_repeat,
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
            lambda: _check_jsonschema(path, plan.schemas),
            plan.peer_repeat,
        ),
        "cli": Measurement(
            "benchmarkkit validate, cold cache",
            "process",
            lambda: _process(validate)[0],
            repeat,
        ),
        "cli-warm": Measurement("benchmarkkit validate, warm cache", "process", warm.run, repeat),
        "cli-broken": Measurement(
            "benchmarkkit validate, broken variant",
            "process",
            lambda: _process([*_benchmarkkit(), "validate", str(broken)], expect=(1,))[0],
            repeat,
        ),
        "version": Measurement(
            "benchmarkkit --version",
            "process",
            lambda: _process([*_benchmarkkit(), "--version"])[0],
            repeat,
        ),
    }
    rows.update(_report_measurements(plan))
    rows.update(_table_measurements(plan))
    if _tool("check-jsonschema") is None:
        rows["check-jsonschema"].skipped = "not installed, skipped"
    if plan.size in LARGE:
        reason = f"skipped at {plan.size} (measured at 1k to 100k)"
        for key in ("jsonschema", "check-jsonschema", "validate-broken", "cli-broken"):
            rows[key].skipped = reason
    return rows


def _report_measurements(plan: Plan) -> dict[str, Measurement]:
    command = [*_benchmarkkit(), "report", str(plan.path), "--as-of", AS_OF]
    html: dict[str, int] = {}
    return {
        "report-html": Measurement(
            "benchmarkkit report -o r.html",
            "reports",
            lambda: _report(command, ".html", html),
            plan.repeat,
        ),
        "report-md": Measurement(
            "benchmarkkit report -o r.md",
            "reports",
            lambda: _report(command, ".md", {}),
            plan.repeat,
        ),
    }


def _into_new_folder(command: Sequence[str], *, expect: Sequence[int] = (0,)) -> Sample:
    """Run ``command`` with ``-o`` a path that does not exist yet, then remove what it wrote.

    Import and export refuse to write over anything, so each run needs a new path.
    """
    with tempfile.TemporaryDirectory() as folder:
        return _process([*command, "-o", str(Path(folder) / "out")], expect=expect)[0]


def _table_measurements(plan: Plan) -> dict[str, Measurement]:
    benchmarkkit_command = _benchmarkkit()
    size, data = plan.size, plan.data
    path = plan.path
    book = data / f"{size}-book" / "dataset.xlsx"
    rows_of_table = UPR_ROWS.get(size, "")
    table = data / f"upr-{rows_of_table}.csv"
    mapping = MAPPING
    repeat = 1 if size in TABLES_ONCE else plan.repeat
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
            f"benchmarkkit import --mapping ({rows_of_table or 'no'} rows)",
            "tables",
            lambda: _into_new_folder(
                [*benchmarkkit_command, "import", str(table), "--mapping", str(mapping)]
            ),
            repeat,
        ),
    }
    reason = None
    if not _has_spreadsheets():
        reason = "needs the spreadsheets extra, skipped"
    elif size in LARGE or size not in UPR_ROWS:
        reason = f"skipped at {size}: minutes and gigabytes per import"
    for row in rows.values():
        row.skipped = reason
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
    for broken in (False,) if size in LARGE else (False, True):
        folder = data / (f"{size}-broken" if broken else size)
        if read_mix(folder) is None:  # missing, or written by another version of the generator
            print(f"generating {folder} ...", file=sys.stderr, flush=True)
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), size, "--out", str(data)]
                + (["--broken"] if broken else []),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            shutil.rmtree(data / f"{size}-book", ignore_errors=True)  # exported from the old
    if not _has_spreadsheets() or size in LARGE or size not in UPR_ROWS:
        return
    _ensure_tables(size, data)


def _ensure_tables(size: str, data: Path) -> None:
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


def _describe(size: str, data: Path) -> list[str]:
    path = data / size / "dataset.json"
    archives = list((data / size / "sources").iterdir())
    document = json.loads(path.read_bytes())
    megabytes = sum(p.stat().st_size for p in archives) / 1e6
    records = sum(len(value) for value in document.values() if isinstance(value, list))
    described = (
        f"{size}: {path.stat().st_size / 1e6:.1f} MB of JSON, {len(document['evidence']):,} "
        f"evidence items, {records:,} records, {len(archives):,} archived texts "
        f"({megabytes:.1f} MB)"
    )
    lines = [described]
    mix = read_mix(data / size) or {}
    if mix:
        lines.append(f"  the mix of its {mix[QUOTES]:,} quotes (a quote can be of several kinds):")
        lines.extend(f"    {share:5.1f} %  {kind}" for kind, share in mix.items() if kind != QUOTES)
    return lines


def _check_broken(size: str, data: Path, row: Measurement) -> str:
    if row.skipped or not row.samples:
        return f"broken variant: {row.skipped}"
    expected = json.loads((data / f"{size}-broken" / "expected.json").read_text(encoding="utf-8"))
    sample = row.samples[0].extra
    found, located = sample["problems"], sample["located"]
    same = sample["codes"] == expected
    verdict = "as expected" if same else f"NOT as expected: {sample['codes']} != {expected}"
    return (
        f"broken variant: {found:,} problems, {located:,} with a line and column; codes {verdict}"
    )


_GROUPS = (
    ("in-process", "in one process (floor: json.loads)", "json.loads"),
    ("process", "whole process (floor: python that only json.loads)", "python"),
    ("reports", "reports, whole process (ratio: benchmarkkit validate, cold)", "cli"),
    ("tables", "spreadsheets, whole process (ratio: benchmarkkit validate, cold)", "cli"),
)


def _table(size: str, data: Path, rows: dict[str, Measurement]) -> list[str]:
    lines = [*_describe(size, data), ""]
    lines.append(
        f"  {'':<44} {'seconds':>9} {'ratio':>7} {'cpu s':>9} {'cpu ratio':>9} {'peak MiB':>9}"
    )
    for group, title, floor_key in _GROUPS:
        floor = rows[floor_key]
        lines.append(f"  {title}")
        for row in rows.values():
            if row.group != group:
                continue
            if row.skipped:
                lines.append(f"    {row.label:<42} {row.skipped}")
                continue
            ratio, cpu_ratio = row.seconds / floor.seconds, row.cpu / floor.cpu
            runs = f" ({len(row.samples)} run)" if len(row.samples) == 1 < row.repeat else ""
            lines.append(
                f"    {row.label:<42} {row.seconds:9.3f} {ratio:7.2f} {row.cpu:9.3f} "
                f"{cpu_ratio:9.2f} {row.peak_mb:9.0f}{runs}"
            )
    lines.extend(
        ["", *_outputs(rows), "", "  " + _check_broken(size, data, rows["validate-broken"])]
    )
    return lines


def _outputs(rows: dict[str, Measurement]) -> list[str]:
    """What each report wrote: every file, the first page, its elements."""
    lines = [
        f"  {'what the reports wrote':<44} {'MB':>9} {'files':>7} {'first MB':>9} {'nodes':>9}"
    ]
    for key in ("report-html", "report-md"):
        row = rows[key]
        if row.skipped or not row.samples:
            continue
        elements = row.output("elements")
        lines.append(
            f"    {row.label:<42} {row.output('bytes') / 1e6:9.2f} {row.output('files'):7,} "
            f"{row.output('first_page_bytes') / 1e6:9.2f} "
            f"{'' if elements is None else format(elements, ','):>9}"
        )
    return lines


def _medians(results: dict[str, dict[str, Measurement]]) -> dict[str, Any]:
    return {
        size: {
            key: None
            if row.skipped or not row.samples
            else {
                "seconds": row.seconds,
                "cpu": row.cpu,
                "peak_mb": row.peak_mb,
                "runs": len(row.samples),
                **{k: v for k, v in row.samples[0].extra.items() if k != "codes"},
            }
            for key, row in rows.items()
        }
        for size, rows in results.items()
    }


def _compile_bytecode() -> None:
    """Compile the measured benchmarkkit's modules to bytecode first, as pip does on install.

    Otherwise, where bytecode is not written (``PYTHONDONTWRITEBYTECODE``, a
    read-only checkout) or is stale (a module edited since), every measured
    process would compile those modules again: about 12 ms of the 1k figures.
    """
    spec = importlib.util.find_spec("benchmarkkit")
    if spec is None or spec.origin is None:
        return  # the first measurement says that benchmarkkit cannot be imported
    compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def main(argv: Sequence[str] | None = None) -> int:
    """Generate what is missing, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1k", "10k", "100k"],
        metavar="SIZE",
        help="1k, 10k, 100k, 270k (default: 1k 10k 100k)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each measurement")
    parser.add_argument(
        "--peer-repeat",
        type=int,
        default=None,
        help="repetitions of the slow peer measurements (default: up to 3)",
    )
    parser.add_argument(
        "--large-repeat",
        type=int,
        default=1,
        help="repetitions of each measurement at 270k (default: %(default)s)",
    )
    parser.add_argument(
        "--skip",
        nargs="+",
        default=[],
        metavar="ROW",
        help="rows not to measure, such as jsonschema or report-html",
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
    _compile_bytecode()
    results: dict[str, dict[str, Measurement]] = {}
    with tempfile.TemporaryDirectory() as folder:
        schemas = Path(folder) / "schemas"
        schemas.mkdir()
        _write_schemas(schemas)
        for size in args.sizes:
            _ensure_data(size, args.data)
            repeat = args.large_repeat if size in LARGE else args.repeat
            print(f"measuring {size} ({repeat} repetitions) ...", file=sys.stderr, flush=True)
            cache = Path(folder) / f"cache-{size}"
            plan = Plan(size, args.data, repeat, min(peer_repeat, repeat), schemas, cache)
            rows = _measurements(plan)
            unknown = sorted(set(args.skip) - set(rows))
            if unknown:
                parser.error(f"--skip: no row {', '.join(unknown)}; the rows: {', '.join(rows)}")
            for key in args.skip:
                rows[key].skipped = rows[key].skipped or "skipped (--skip)"
            _measure(rows)
            results[size] = rows
    print(
        f"Python {sys.version.split()[0]} on {os.cpu_count()} CPUs; medians of {args.repeat} runs "
        f"({peer_repeat} for the peers, {args.large_repeat} at {', '.join(LARGE)}), each in a "
        "fresh process, interleaved round by round;\n"
        "seconds: wall clock; cpu s: user + system CPU of the measured work (a whole process "
        "for the process rows)"
    )
    print()
    for size, rows in results.items():
        print("\n".join(_table(size, args.data, rows)))
        print()
    for lines in (scaling(results), issue_16_targets(results), issue_7_targets(results)):
        if lines:
            print("\n".join(lines))
            print()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(_medians(results), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
