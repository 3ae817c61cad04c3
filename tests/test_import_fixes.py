"""Fixes after the import half of issue 15: what a user of workbooks and imports sees.

``upgrade`` never writes into a workbook or CSV tables; the import's summary
counts in words ("1 source"); a ``duplicate-id`` in a workbook names the first
record's cell; a table that cannot be read exits as a file that does not
parse; both import routes refuse an output that exists in one way, and write
to it in one way.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import load_dataset
from benchmarkkit._cli._parser import _IMPORT_EXIT_STATUSES
from benchmarkkit._mapping import Summary
from benchmarkkit._model import SCHEMA_VERSION
from benchmarkkit._tables._xlsx import workbook
from benchmarkkit._upgrade import UpgradeImpossibleError, plan_upgrade
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE, ROOT, Run
from tests.test_import_tables import Sheets, copy_of, example_sheets, write_book, write_csv_folder
from tests.test_upgrade import _exit_statuses

__all__ = ["example_sheets"]  # a fixture, used by name

Cli = Callable[..., Run]
FROZEN = ROOT / "tests" / "data" / "format-1.0" / "kazakhstan-2012"  # a dataset to upgrade


def _beside_the_sources(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copytree(EXAMPLE / "sources", folder / "sources")
    return folder


def _upr_mapping(folder: Path) -> None:
    """The UPR Info mapping in ``folder``, with the lookup files it reads beside it."""
    upr = ROOT / "examples" / "upr-info"
    for path in [upr / "mapping.yaml", *upr.glob("upr-*.yaml")]:
        shutil.copy(path, folder)


@pytest.fixture
def import_book(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``import`` of the example's workbook, beside its archived texts in ``tmp_path``."""
    _beside_the_sources(tmp_path)
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE)))
    monkeypatch.chdir(tmp_path)

    def run(*arguments: str) -> Run:
        return cli("import", "book.xlsx", *arguments)

    return run


@pytest.fixture
def import_upr(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``import`` of the UPR Info sample table through its mapping, run in ``tmp_path``."""
    _upr_mapping(tmp_path)
    shutil.copy(ROOT / "examples" / "upr-info" / "recommendations.csv", tmp_path)
    monkeypatch.chdir(tmp_path)

    def run(*arguments: str) -> Run:
        return cli("import", "recommendations.csv", "--mapping", "mapping.yaml", *arguments)

    return run


def _contents(path: Path) -> dict[str, bytes]:
    """Every file at ``path`` (a file, or a folder's files) by relative path, as bytes."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}


# -- 1. upgrade refuses tables ------------------------------------------------------------


def _refusal(given: str, what: str, sheet: str) -> str:
    return (
        f"benchmarkkit upgrade: error: {given} is {what}, and upgrade rewrites only datasets in "
        "YAML or JSON: it never writes into a workbook or CSV files, so nothing was changed. "
        f"Import it (benchmarkkit import {given} -o DATASET), upgrade that folder (benchmarkkit "
        'upgrade DATASET) and export it again; or write the newest version, "'
        f'{SCHEMA_VERSION}", in the schema_version cell of {sheet} yourself and validate it '
        f"(benchmarkkit validate {given})\n"
    )


@pytest.mark.parametrize("check", [False, True])
@pytest.mark.parametrize("source", [FROZEN, EXAMPLE], ids=["format-1.0", "newest"])
def test_upgrade_of_a_workbook_refuses_it_and_leaves_every_byte_as_it_was(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, source: Path, *, check: bool
) -> None:
    _beside_the_sources(tmp_path)
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(source)))
    before = _contents(tmp_path)
    monkeypatch.chdir(tmp_path)
    run = cli("upgrade", *(["--check"] if check else []), "book.xlsx")
    assert (run.status, run.out) == (2, "")
    assert run.err == _refusal("book.xlsx", "a workbook", "the dataset sheet")
    assert _contents(tmp_path) == before


def test_upgrade_of_a_csv_folder_refuses_it_and_leaves_every_byte_as_it_was(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = _beside_the_sources(write_csv_folder(load_dataset(FROZEN), tmp_path / "tables"))
    before = _contents(tables)
    monkeypatch.chdir(tmp_path)
    run = cli("upgrade", "tables")
    assert (run.status, run.out) == (2, "")
    assert run.err == _refusal("tables", "a folder of CSV files", "dataset.csv")
    assert _contents(tables) == before


def test_the_library_refuses_to_plan_the_upgrade_of_a_table(tmp_path: Path) -> None:
    (tmp_path / "book.ods").write_bytes(b"not even a workbook")  # refused for what it is called
    with pytest.raises(UpgradeImpossibleError, match=r"book\.ods is a workbook, and upgrade "):
        plan_upgrade(tmp_path / "book.ods")


# -- 2. the summary in words ------------------------------------------------------------------


def test_the_import_summary_says_one_of_a_kind_in_the_singular(
    import_book: Cli,
) -> None:
    run = import_book("-o", "kazakhstan/")
    assert run.status == 0, run.out
    assert run.err == (
        "wrote kazakhstan: 1 scale, 17 actors, 7 sources, 7 standards, 10 commitments, "
        "16 recommendations, 6 areas, 20 benchmarks, 7 indicators, 36 evidence, "
        "20 assessments, 1 gate, and 1 archived text\n"
    )


@given(st.integers(min_value=0, max_value=3))
def test_the_mapped_import_counts_the_actors_it_created_in_words(created: int) -> None:
    words = Summary(actors_created=created).lines()[1]
    actors = "1 actor" if created == 1 else f"{created} actors"
    assert words.startswith(f"records: 0 made from the rows, {actors} created; ")


# -- 3. duplicate ids in a workbook name the first record's cell ------------------------------


def _actor_twice_in_a_workbook(sheets: Sheets, folder: Path) -> tuple[str, str]:
    """The example's workbook with its first actor entered again last; the path and the row."""
    sheets = copy_of(sheets)
    sheets["actors"].append([sheets["actors"][1][0], "Another committee", "ngo"])
    write_book(folder / "book.xlsx", sheets)
    return "book.xlsx", f"book.xlsx:actors!A{len(sheets['actors'])}"


def _actor_twice_in_csv_files(_sheets: Sheets, folder: Path) -> tuple[str, str]:
    """The example's CSV files with its first actor entered again last; the path and the row."""
    tables = write_csv_folder(load_dataset(EXAMPLE), folder / "tables")
    with (tables / "actors.csv").open("a", newline="", encoding="utf-8") as file:
        csv.writer(file).writerow(["norhc", "Another committee", "ngo"])
    rows = len((tables / "actors.csv").read_text("utf-8-sig").splitlines())
    shutil.copytree(EXAMPLE / "sources", tables / "sources")  # looked for in the folder
    return "tables", f"tables/actors.csv:actors!A{rows}"


@pytest.mark.parametrize("planted", [_actor_twice_in_a_workbook, _actor_twice_in_csv_files])
def test_a_duplicate_id_in_a_table_names_the_cell_of_the_first(
    example_sheets: Sheets,
    tmp_path: Path,
    cli: Cli,
    monkeypatch: pytest.MonkeyPatch,
    planted: Callable[[Sheets, Path], tuple[str, str]],
) -> None:
    given, second = planted(example_sheets, _beside_the_sources(tmp_path))
    monkeypatch.chdir(tmp_path)
    run = cli("validate", given)
    assert run.status == 1
    assert (
        f"{second} (id): duplicate-id actor id 'norhc' is used twice; the first is at actors!A2\n"
    ) in run.out


# -- 4. a table that cannot be read ------------------------------------------------------------


def test_a_workbook_that_cannot_be_read_exits_1_in_validate_and_in_both_imports(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.xlsx").write_bytes(workbook(load_dataset(EXAMPLE))[:2000])  # cut short
    _upr_mapping(tmp_path)
    monkeypatch.chdir(tmp_path)
    unreadable = "broken.xlsx: table-not-readable broken.xlsx cannot be read as an Excel"
    validated = cli("validate", "broken.xlsx")
    assert validated.status == 1
    assert validated.out.startswith(unreadable)
    imported = cli("import", "broken.xlsx", "-o", "out")
    assert (imported.status, imported.err) == (1, "nothing was written\n")
    assert imported.out == validated.out
    mapped = cli("import", "broken.xlsx", "--mapping", "mapping.yaml", "-o", "out")
    assert mapped.status == 1
    assert mapped.out.startswith(unreadable)
    assert mapped.err.endswith("nothing was written\n")
    assert not (tmp_path / "out").exists()


def test_import_help_and_the_command_reference_list_the_same_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["import", "--help"]) == 0
    assert _IMPORT_EXIT_STATUSES in capsys.readouterr().out
    statuses = _exit_statuses(_IMPORT_EXIT_STATUSES)
    assert [number for number, _ in statuses] == ["0", "1", "2"]
    page = (ROOT / "docs" / "reference" / "cli.md").read_text("utf-8")
    section = page[page.index("## `benchmarkkit import`") :]
    section = section[: section.index("\n## ")].replace("`", "")
    for number, words in statuses:
        assert f"| {number} | {words[0].upper()}{words[1:]}. |" in section
    assert "cannot be read as a table" in statuses[1][1]


# -- 5. one output check and one writer for both routes -----------------------------------------


@pytest.mark.parametrize("mapped", [False, True], ids=["layout", "mapping"])
def test_both_imports_refuse_an_output_that_exists_in_the_same_words(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, *, mapped: bool
) -> None:
    (tmp_path / "book.xlsx").write_bytes(workbook(load_dataset(EXAMPLE)))
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path)
    mapping = ["--mapping", "m.yaml"] if mapped else []
    run = cli("import", "book.xlsx", "-o", "out/", *mapping)
    assert (run.status, run.out) == (2, "")
    assert run.err == (
        "benchmarkkit import: error: 'out/' already exists; import writes a new dataset "
        "folder, whole: give the name of a folder that does not exist yet\n"
    )


def test_the_mapped_import_names_the_folder_it_wrote_as_the_layout_import_does(
    import_upr: Cli,
) -> None:
    run = import_upr("-o", "upr/")
    assert run.status == 0, run.out
    assert run.err.splitlines()[-1] == "wrote upr: 37 actors, 1 source, 26 recommendations"


# -- 6. many notes read as one problem with its places ------------------------------------------


def test_a_note_on_every_recommendation_is_one_problem_with_its_places(
    import_upr: Cli,
) -> None:
    run = import_upr("-o", "upr")
    assert run.status == 0, run.out
    lines = run.out.splitlines()
    assert lines[0].startswith(
        "recommendations.csv:recommendations!A2 (To): unlinked-recommendation recommendation "
    )
    assert lines[0].endswith(
        ": no commitment, benchmark, evidence, gate or assessment names it, so it stands beside "
        "no benchmark or gate in the reports, and nothing tracks its implementation (info)"
    )
    assert lines[2] == "    the same problem at 25 more places:"
    assert all(
        line.startswith("      recommendations.csv:recommendations!A") for line in lines[3:-1]
    )
    assert len(lines) == 3 + 25 + 1
    assert lines[-1] == "recommendations.csv: valid, with 0 errors, 0 warnings, 26 info"


def test_import_shows_at_most_max_problems_as_validate_does(
    import_upr: Cli,
) -> None:
    run = import_upr("--max-problems", "3", "-o", "upr")
    assert run.status == 0, run.out
    lines = run.out.splitlines()
    assert lines[2:5] == ["    the same problem at 2 more places:", lines[3], lines[4]]
    assert lines[-1] == (
        "recommendations.csv: valid, with 0 errors, 0 warnings, 26 info; 23 more problems not "
        "shown (raise --max-problems to see them)"
    )
    assert run.err.endswith("wrote upr: 37 actors, 1 source, 26 recommendations\n")


def test_the_layout_import_shows_at_most_max_problems_too(
    import_book: Cli,
) -> None:
    run = import_book("-o", "kazakhstan", "--max-problems", "1")
    assert run.status == 0, run.out
    assert run.out == (
        "book.xlsx:commitments!A9 (id): unlinked-commitment commitment 'cm-eu-hr-no-decoupling': "
        "no benchmark names it, so no report shows it (info)\n"
        "    hint: Add its id to the commitments of the benchmark that measures whether the "
        "promise is kept (checked in format 1.1 and later).\n"
        "book.xlsx: valid, with 0 errors, 0 warnings, 2 info; 1 more problem not shown (raise "
        "--max-problems to see them)\n"
    )
