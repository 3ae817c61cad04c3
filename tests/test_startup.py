"""What ``benchmarkkit validate`` imports: what validating needs, and nothing else.

Start-up is most of the time of validating a small dataset (issue 16: the
1,000-record case within 150 ms of CPU). Each test runs the command in a
process of its own, so that what this test process imported does not count,
and reads ``sys.modules`` at its end: a module named here was imported by the
command itself, whatever order the tests run in.
"""

from __future__ import annotations

import gc
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
    # The schema files are read from the package's folder (about 3 ms of start-up).
    "importlib.resources",
    "zipfile",
)

#: What validating imports only when it writes to the quote cache: not again once every
#: quote is in it (a warm run).
ONLY_TO_WRITE_THE_CACHE = ("benchmarkkit._write", "secrets", "tempfile")

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


def test_validating_again_with_every_quote_cached_imports_nothing_to_write_files(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    path, _ = json_dataset
    cold, written = imported_by(tmp_path, "validate", str(path))
    warm, read = imported_by(tmp_path, "validate", str(path))  # the same cache folder
    assert sorted((tmp_path / "cache" / "quotes").glob("*.json")) != []  # the cold run wrote it
    assert (
        (cold.returncode, cold.stdout)
        == (warm.returncode, warm.stdout)
        == (
            0,
            f"{path}: valid, no problems\n",
        )
    )
    assert in_any(written, ONLY_TO_WRITE_THE_CACHE) == list(ONLY_TO_WRITE_THE_CACHE)
    assert in_any(read, ONLY_TO_WRITE_THE_CACHE) == []


#: :data:`PROGRAM`, saying (to standard error) how many collections the garbage collector
#: ran while ``main`` ran, and how many signatures of built-in functions were tokenized.
COUNTING_COLLECTIONS = """
import gc, json, sys, tokenize
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info))
from benchmarkkit.cli import main
before = len(collections)
status = main(sys.argv[1:-1])
during = len(collections) - before
with open(sys.argv[-1], "w", encoding="utf-8") as out:
    json.dump(sorted(sys.modules), out)
print(json.dumps([during, gc.isenabled(), tokenize._compile.cache_info().misses]), file=sys.stderr)
sys.exit(status)
"""


def test_the_command_runs_no_collection_from_its_arguments_to_its_end(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    """The collector is paused before the subcommand's modules are imported, not after.

    Importing them makes tens of thousands of objects: with the collector on, it
    ran about forty times before validating began. It is on again afterwards.
    """
    path, _ = json_dataset
    run, modules = imported_by(tmp_path, "validate", str(path), program=COUNTING_COLLECTIONS)
    during, enabled_after, _ = json.loads(run.stderr.splitlines()[-1])
    assert (run.returncode, run.stdout) == (0, f"{path}: valid, no problems\n")
    assert "benchmarkkit._checks" in modules  # the subcommand's modules were imported in main
    assert (during, enabled_after) == (0, True)


def test_making_the_record_classes_tokenizes_no_signature(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]]
) -> None:
    """attrs reads each converter's signature; a built-in's (``float``) only by tokenizing it.

    Tokenizing compiles the tokenizer's large expressions first: about 1.5 ms of start-up.
    """
    path, _ = json_dataset
    run, modules = imported_by(tmp_path, "validate", str(path), program=COUNTING_COLLECTIONS)
    *_, tokenized = json.loads(run.stderr.splitlines()[-1])
    assert run.returncode == 0
    assert {"benchmarkkit._model", "benchmarkkit._conditions", "benchmarkkit._scales"} <= modules
    assert tokenized == 0


#: Run in a new process: ``main`` as the command of its process (``own``: no arguments given,
#: as the ``benchmarkkit`` command calls it) or called with its arguments (``given``). Says, to
#: standard error, whether the collector is on when ``main`` returns and, at exit, after the
#: command's own exit handlers, whether the objects alive were frozen.
AT_EXIT = """
import atexit, gc, json, sys
atexit.register(lambda: print(json.dumps(gc.get_freeze_count() > 0), file=sys.stderr))
from benchmarkkit.cli import main
mode, arguments = sys.argv[1], sys.argv[2:]
sys.argv = ["benchmarkkit", *arguments]
status = main() if mode == "own" else main(arguments)
print(json.dumps(gc.isenabled()), file=sys.stderr)
sys.exit(status)
"""


def _at_exit(tmp_path: Path, mode: str, *args: str) -> tuple[int, str, list[Any]]:
    src = str(Path(benchmarkkit.__file__).parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]),
        "BENCHMARKKIT_CACHE_DIR": str(tmp_path / "cache"),
    }
    run = subprocess.run(
        [sys.executable, "-c", AT_EXIT, mode, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, run.stdout, [json.loads(line) for line in run.stderr.splitlines()]


def test_what_the_paused_command_made_and_kept_is_old_when_the_collector_resumes() -> None:
    """The collector resumes with what the command made counted as old, not as young.

    Otherwise its next collection, the youngest, walks the library's modules and
    everything else the command made and kept (about 6 ms of a small dataset's 150).
    """
    from benchmarkkit._cli._process import collector_paused

    with collector_paused():
        made = [[index] for index in range(100)]
    oldest = {id(tracked) for tracked in gc.get_objects(generation=2)}
    assert gc.isenabled()
    assert all(id(item) in oldest for item in made)


@pytest.mark.parametrize(("mode", "frozen"), [("own", True), ("given", False)])
def test_only_the_command_of_its_process_leaves_the_objects_alive_at_exit_to_the_system(
    tmp_path: Path, json_dataset: tuple[Path, dict[str, Any]], mode: str, frozen: bool
) -> None:
    """``benchmarkkit`` freezes what is alive at exit: the exit's full collections skip it.

    A program that calls ``main`` with its arguments goes on as it was.
    """
    path, _ = json_dataset
    status, stdout, (enabled, frozen_at_exit) = _at_exit(tmp_path, mode, "validate", str(path))
    assert (status, stdout) == (0, f"{path}: valid, no problems\n")
    assert (enabled, frozen_at_exit) == (True, frozen)


def test_objects_an_application_froze_stay_frozen_when_it_runs_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from benchmarkkit.cli import main

    kept: list[object] = []  # an object the collector tracks, frozen with the rest
    gc.freeze()
    try:
        assert main(["validate", str(EXAMPLE)]) == 0
        # Frozen objects are in no generation: gc.get_objects() lists the generations only.
        assert not any(tracked is kept for tracked in gc.get_objects())
        assert gc.isenabled()
    finally:
        gc.unfreeze()
    assert any(tracked is kept for tracked in gc.get_objects())  # the test can tell
    capsys.readouterr()


def test_the_records_annotations_are_types_not_text() -> None:
    """msgspec reads each record class's annotations when it first builds one.

    Text annotations (``from __future__ import annotations``) cost it a
    ``compile`` each, about 2 ms of every command that validates; ``_model``
    keeps them as the types themselves.
    """
    import attrs

    from benchmarkkit import _model

    classes = [
        cls
        for cls in vars(_model).values()
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == _model.__name__
    ]
    assert len(classes) >= 15  # every record class, Dataset included
    assert _model.Dataset in classes
    text = {
        f"{cls.__name__}.{name}"
        for cls in classes
        for name, annotation in cls.__annotations__.items()
        if isinstance(annotation, str)
    }
    assert text == set()
