"""What ``benchmarkkit validate`` imports: what validating needs, and nothing else.

Start-up is most of the time of validating a small dataset (issue 16: the
1,000-record case within 150 ms of CPU). Each test runs the command in a
process of its own, so that what this test process imported does not count,
and reads ``sys.modules`` at its end: a module named here was imported by the
command itself, whatever order the tests run in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import benchmarkkit
from tests.conftest import EXAMPLE

#: Modules validating a valid JSON dataset never needs: the reference converter (msgspec
#: builds the records), scoring and report rendering, terminal drawing (nothing is drawn
#: when the output is not a terminal), spreadsheets, YAML, the reference schema validator,
#: and what only problems need (their positions, schema messages).
NOT_IMPORTED = (
    "cattrs",
    "benchmarkkit._converter",
    "benchmarkkit.scoring",
    "benchmarkkit.reports._build",
    "benchmarkkit.reports._html",
    "benchmarkkit.reports._markdown_report",
    "jinja2",
    "rich",
    "openpyxl",
    "python_calamine",
    "xlsxwriter",
    "benchmarkkit._tables",
    "benchmarkkit._mapping",
    "yaml",
    "jsonschema",
    "benchmarkkit._positions",
    "benchmarkkit._schema_messages",
)

#: Run in a new process: the command, then the names of every module imported, to a file.
PROGRAM = """
import json, sys
from benchmarkkit.cli import main
status = main(sys.argv[1:-1])
with open(sys.argv[-1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
sys.exit(status)
"""


def imported_by(
    tmp_path: Path, *args: str, program: str = PROGRAM
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``benchmarkkit ARGS`` in a new process: what it did, and the modules it imported."""
    modules = tmp_path / "modules.json"
    src = str(Path(benchmarkkit.__file__).parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "BENCHMARKKIT_CACHE_DIR": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        [sys.executable, "-c", program, *args, str(modules)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run, set(json.loads(modules.read_text(encoding="utf-8")))


def in_any(modules: set[str], names: tuple[str, ...]) -> list[str]:
    """The modules that are, or are inside, one of ``names``."""
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.fixture
def json_dataset(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The example as one JSON file with its archived texts: every kind of record, no problem.

    Without its scoring section (which the scoring package checks) and the two
    commitments no benchmark names (which are reported, as notes).
    """
    report = benchmarkkit.validate(EXAMPLE)
    assert report.dataset is not None
    document = benchmarkkit.unstructure(report.dataset)
    del document["scoring"]
    document["commitments"] = [
        commitment
        for commitment in document["commitments"]
        if commitment["id"] not in ("cm-eu-hr-no-decoupling", "cm-eu-hr-reform-commitments")
    ]
    folder = tmp_path / "dataset"
    shutil.copytree(EXAMPLE / "sources", folder / "sources")
    path = folder / "dataset.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path, document


def test_validating_a_valid_dataset_imports_only_what_validating_needs(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    path, _ = json_dataset
    run, modules = imported_by(tmp_path, "validate", str(path))
    assert (run.returncode, run.stdout) == (0, f"{path}: valid, no problems\n")
    assert in_any(modules, NOT_IMPORTED) == []
    # The records were built, by msgspec: the test saw a whole validation.
    assert {"msgspec", "benchmarkkit._fast_records", "benchmarkkit._checks"} <= modules


def test_a_record_msgspec_refuses_is_built_by_cattrs_which_only_then_is_imported(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    path, document = json_dataset
    levels = document["scales"][0]["levels"]
    levels[0], levels[-1] = levels[-1], levels[0]  # worst last: the schema cannot tell
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    run, modules = imported_by(tmp_path, "validate", str(path))
    scale = document["scales"][0]["id"]
    assert run.returncode == 1
    assert (
        f"invalid-record scale '{scale}': scale '{scale}' lists its levels from worst" in run.stdout
    )
    assert in_any(modules, ("cattrs", "benchmarkkit._converter")) != []


def test_the_version_imports_nothing_of_the_library(tmp_path: Path) -> None:
    run, modules = imported_by(tmp_path, "--version")
    assert run.returncode == 0
    assert run.stdout.startswith("benchmarkkit ")
    assert in_any(modules, ("attrs", "msgspec", "cattrs", "benchmarkkit._validate")) == []


#: :data:`PROGRAM`, counting the classes whose type hints ``typing`` reads (to standard error).
COUNTING_TYPE_HINTS = """
import collections, json, sys, typing
read = collections.Counter()
get_type_hints = typing.get_type_hints
def counted(obj, *args, **kwargs):
    read[obj.__qualname__] += 1
    return get_type_hints(obj, *args, **kwargs)
typing.get_type_hints = counted
from benchmarkkit.cli import main
status = main(sys.argv[1:-1])
with open(sys.argv[-1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
print(json.dumps(read), file=sys.stderr)
sys.exit(status)
"""


def test_validating_reads_the_type_hints_of_each_record_class_at_most_once(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    path, document = json_dataset
    document["schema_version"] = "1.0"  # so that the fields newer than 1.0 are looked for too
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    run, _ = imported_by(tmp_path, "validate", str(path), program=COUNTING_TYPE_HINTS)
    read: dict[str, int] = json.loads(run.stderr.splitlines()[-1])
    assert "field-from-later-version" in run.stdout  # the fields newer than 1.0 were looked for
    assert {name: times for name, times in read.items() if times > 1} == {}
