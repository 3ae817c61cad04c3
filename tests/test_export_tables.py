"""``export`` to a workbook and to CSV files: what a user sees, and that nothing is lost.

The workbooks are read with openpyxl, as a spreadsheet application would
read them, for what a user sees; what the cells hold is read back with the
importer (``_tables._import``), and tests/test_import_tables.py shows that
every generated dataset comes back from its cells, byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import Actor, ActorKind, Dataset, load_dataset, save_dataset
from benchmarkkit._cli.export import MISSING_EXTRA
from benchmarkkit._converter import converter, unstructure
from benchmarkkit._model import COLLECTIONS, Indicator, Measurement
from benchmarkkit._schema import _document
from benchmarkkit._tables._cells import join_items, read_value, split_items, value_text
from benchmarkkit._tables._csv import BOM, csv_files
from benchmarkkit._tables._import import import_book
from benchmarkkit._tables._layout import COLUMNS_SHEET, LAYOUT, tables
from benchmarkkit._tables._read import read_book
from benchmarkkit._tables._reference import COLUMN_FIELDS
from benchmarkkit._tables._xlsx import LISTS_SHEET, MAX_WIDTH, workbook
from benchmarkkit._vocabulary import IndicatorKind
from benchmarkkit.cli import main
from tests.conftest import EXAMPLE
from tests.strategies import json_numbers, texts, valid_datasets

# -- reading back, with the importer -------------------------------------------------------


def _same_dataset(data: dict[str, Any], dataset: Dataset) -> None:
    read = converter.structure(data, Dataset)
    assert json.dumps(unstructure(read)) == json.dumps(unstructure(dataset))


def _imported(path: Path) -> dict[str, Any]:
    result = import_book(read_book(path, path.name))
    assert result.problems == ()
    return result.document


def _xlsx_sheets(data: bytes) -> dict[str, Any]:
    """The document the workbook's cells hold, read by the importer."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        path.write_bytes(data)
        return _imported(path)


def _csv_sheets(files: dict[str, str]) -> dict[str, Any]:
    """The document the CSV files hold, read by the importer."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            assert text.startswith(BOM)
            (Path(folder) / name).write_text(text, encoding="utf-8", newline="")
        return _imported(Path(folder))


# -- the layout ---------------------------------------------------------------------------


def test_the_sheets_are_the_dataset_each_collection_and_its_lists_of_nested_records() -> None:
    assert [sheet.name for sheet in LAYOUT] == [
        "dataset",
        "scoring_benchmark_rules",
        "scales",
        "scales_levels",
        "actors",
        "sources",
        "standards",
        "commitments",
        "recommendations",
        "recommendations_classifications",
        "recommendations_responses",
        "areas",
        "benchmarks",
        "indicators",
        "evidence",
        "evidence_readings",
        "assessments",
        "gates",
        "gates_conditions",
    ]
    collections = [sheet.name for sheet in LAYOUT if sheet.parent is None][1:]
    assert collections == list(COLLECTIONS)


def test_every_field_of_every_record_has_a_column_in_field_order_id_first() -> None:
    for sheet in LAYOUT:
        if sheet.parent is not None or sheet.name == "dataset":
            continue
        cls = COLLECTIONS[sheet.name]
        names = [field.name for field in attrs.fields(cls)]
        tops = list(dict.fromkeys(column.path[0] for column in sheet.columns if column.path))
        in_sheets = [other.field[-1] for other in LAYOUT if other.parent == sheet.name]
        assert tops[0] == "id"
        assert sorted(tops + in_sheets) == sorted(names), sheet.name
        assert [name for name in names if name in tops] == ["id", *tops[1:]] or names[0] == "id"


def test_a_field_added_to_a_record_appears_in_the_workbook_with_no_other_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import benchmarkkit._tables._layout as layout

    @attrs.frozen(kw_only=True)
    class Actor2:
        id: str
        name: str
        nickname: str | None = None

    definitions = dict(layout._definitions())
    definitions["Actor2"] = {
        "properties": {
            "id": {"$ref": "#/$defs/Id", "description": "The id."},
            "name": {"type": "string", "description": "The name."},
            "nickname": {"type": "string", "description": "What friends call it."},
        },
        "required": ["id", "name"],
    }
    monkeypatch.setattr(layout, "_definitions", lambda: definitions)
    columns = layout._Builder().columns(Actor2, sheet="actors", records=layout._no_records)
    assert [(c.header, c.kind, c.meaning, c.required) for c in columns] == [
        ("id", "id", "The id.", "yes"),
        ("name", "text", "The name.", "yes"),
        ("nickname", "text", "What friends call it.", "no"),
    ]


def test_list_cells_join_items_and_escape_the_separator_and_the_escape() -> None:
    items = ["a; b", "c\\", "d;e", " f "]
    assert join_items(items) == "a\\; b; c\\\\; d\\;e;  f "
    assert split_items(join_items(items)) == items
    assert split_items("") == []
    with pytest.raises(ValueError, match="not followed by a space"):
        split_items("a;b")


_TRICKY_ITEMS = st.text(alphabet=st.sampled_from("a; \\\n"), min_size=1) | texts


@given(st.lists(_TRICKY_ITEMS, max_size=4))
def test_any_list_of_texts_reads_back_from_its_cell(items: list[str]) -> None:
    assert split_items(join_items(items)) == items


@given(st.booleans() | json_numbers | _TRICKY_ITEMS | st.sampled_from(["3", "-0.5e3", "true"]))
def test_any_indicator_value_reads_back_with_its_type(value: Any) -> None:
    back = read_value(value_text(value))
    assert (type(back), back) == (type(value), value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (3, "3"),
        (3.0, "3.0"),
        (0.30000000000000004, "0.30000000000000004"),
        ("met", "met"),
        ("3", "\\3"),
        ("true", "\\true"),
        ("\\x", "\\\\x"),
        ("2.5e-07", "\\2.5e-07"),
    ],
)
def test_an_indicator_value_is_written_so_that_its_type_reads_back(value: Any, text: str) -> None:
    assert value_text(value) == text
    back = read_value(text)
    assert (type(back), back) == (type(value), value)


# -- the workbook --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_book(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("book") / "kazakhstan.xlsx"
    assert main(["export", str(EXAMPLE), "-o", str(path)]) == 0  # xlsx from the suffix
    return openpyxl.load_workbook(path)


def test_every_record_of_the_example_is_a_row_of_its_sheet(
    example_book: openpyxl.Workbook,
) -> None:
    dataset = load_dataset(EXAMPLE)
    counts = {sheet.title: sheet.max_row - 1 for sheet in example_book.worksheets}
    for name in COLLECTIONS:
        assert counts[name] == len(getattr(dataset, name)), name
    assert counts["dataset"] == 1
    assert counts["evidence_readings"] == sum(len(e.readings) for e in dataset.evidence)
    assert counts["scales_levels"] == sum(len(s.levels) for s in dataset.scales)
    assert counts["scoring_benchmark_rules"] == len(dataset.scoring.benchmark_rules)  # type: ignore[union-attr]
    ids = [row[0].value for row in example_book["evidence"].iter_rows(min_row=2)]
    assert ids == [record.id for record in dataset.evidence]
    assert example_book.sheetnames[-2:] == [COLUMNS_SHEET, LISTS_SHEET]
    assert example_book[LISTS_SHEET].sheet_state == "hidden"


def test_the_example_reads_back_from_its_workbook_and_its_csv_files(
    example_book: openpyxl.Workbook,
) -> None:
    dataset = load_dataset(EXAMPLE)
    _same_dataset(_xlsx_sheets(workbook(dataset)), dataset)
    _same_dataset(_csv_sheets(csv_files(dataset)), dataset)


def test_the_header_is_frozen_and_columns_are_sized_within_bounds_long_text_wrapped(
    example_book: openpyxl.Workbook,
) -> None:
    for sheet in example_book.worksheets[:-1]:
        assert sheet.freeze_panes == "A2", sheet.title
        for letter, dimension in sheet.column_dimensions.items():
            assert 8 <= dimension.width <= MAX_WIDTH + 2, (sheet.title, letter)
    evidence = example_book["evidence"]
    headers = [cell.value for cell in evidence[1]]
    summary = evidence.cell(row=2, column=headers.index("summary") + 1)
    assert len(str(summary.value)) > MAX_WIDTH
    assert summary.alignment.wrap_text is True
    assert evidence.cell(row=2, column=1).alignment.wrap_text is not True  # the id


def _validations(sheet: Any) -> dict[str, str]:
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        assert validation.showErrorMessage
        for cells in validation.sqref.ranges:
            found[cells.coord.split(":")[0]] = validation.formula1
    return found


def _list_values(book: openpyxl.Workbook, formula: str) -> list[str]:
    sheet, _, cells = formula.partition("!")
    assert sheet == f"'{LISTS_SHEET}'"
    return [row[0].value for row in book[LISTS_SHEET][cells.replace("$", "")]]


def test_drop_down_lists_hold_enumerations_levels_and_the_ids_a_column_refers_to(
    example_book: openpyxl.Workbook,
) -> None:
    actors = _validations(example_book["actors"])
    kinds = _document("definitions")["$defs"]["Actor"]["properties"]["kind"]["enum"]
    assert _list_values(example_book, actors["C2"]) == kinds  # kind
    assert actors["E2"] == "'actors'!$A$2:$A$1048576"  # part_of: the ids on the actors sheet
    assessments = _validations(example_book["assessments"])
    assert assessments["B2"] == "'benchmarks'!$A$2:$A$1048576"  # benchmark
    scales = _list_values(example_book, assessments["D2"])
    assert scales[0] == "editors-status"
    assert "upr-info-implementation" in scales  # a built-in scale
    levels = _list_values(example_book, assessments["G2"])
    declared = [level.id for level in load_dataset(EXAMPLE).scales[0].levels]
    assert levels[: len(declared)] == declared
    assert "fully-implemented" in levels
    assert "H2" not in assessments  # a list of ids has no drop-down
    conditions = _validations(example_book["gates_conditions"])
    assert conditions["A2"] == "'gates'!$A$2:$A$1048576"
    assert _list_values(example_book, conditions["C2"]) == [
        "benchmark",
        "area",
        "all-of",
        "any-of",
        "at-least",
    ]


def test_dates_are_text_in_text_cells_never_serial_dates(
    example_book: openpyxl.Workbook,
) -> None:
    evidence = example_book["evidence"]
    cell = evidence["C2"]
    assert (cell.value, cell.data_type, cell.number_format) == ("2012-03-20", "s", "@")
    commitments = example_book["commitments"]
    assert (commitments["E2"].value, commitments["E2"].data_type) == ("2007", "s")
    assert evidence.column_dimensions["C"].number_format == "@"  # what is typed later stays text


def _tricky_dataset() -> Dataset:
    return Dataset(
        id="tricky",
        title="=1+1",
        actors=(
            Actor(id="a", name='=HYPERLINK("http://x")', kind=ActorKind.STATE, role="+2"),
            Actor(id="b", name="-3", kind=ActorKind.NGO, description="@SUM(A1)"),
        ),
    )


def test_text_that_looks_like_a_formula_is_a_text_cell_and_unchanged(tmp_path: Path) -> None:
    save_dataset(_tricky_dataset(), tmp_path / "tricky.yaml")
    assert main(["export", str(tmp_path / "tricky.yaml"), "-o", str(tmp_path / "t.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    cells = [book["dataset"]["C2"], *book["actors"]["B"][1:], book["actors"]["F2"]]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        ("=1+1", "s"),
        ('=HYPERLINK("http://x")', "s"),
        ("-3", "s"),
        ("+2", "s"),
    ]
    assert book["actors"]["G3"].value == "@SUM(A1)"
    files = csv_files(_tricky_dataset())
    assert files["actors.csv"].splitlines()[1] == 'a,"=HYPERLINK(""http://x"")",state,,,+2,,'


def test_numbers_and_indicator_values_keep_their_type_in_the_workbook() -> None:
    values: list[bool | float | str] = [True, 3, 2.5, 3.0, 0.30000000000000004, "3", "partly"]
    dataset = Dataset(
        id="d",
        title="T",
        indicators=tuple(
            Indicator(
                id=f"i{n}",
                benchmark="b",
                title="T",
                kind=IndicatorKind.ORDINAL,
                levels=("a", "b"),
                baseline=Measurement(value=value),
                weight=0.1 + 0.2,
            )
            for n, value in enumerate(values)
        ),
    )
    book = openpyxl.load_workbook(io.BytesIO(workbook(dataset)))
    sheet = book["indicators"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("baseline/value") + 1
    cells = [sheet.cell(row=n + 2, column=column) for n in range(len(values))]
    assert [(cell.value, cell.data_type) for cell in cells] == [
        (True, "b"),
        (3, "n"),
        (2.5, "n"),
        ("3.0", "s"),  # a number cell would read back as the whole number 3
        ("0.30000000000000004", "s"),  # more digits than a number cell keeps
        ("\\3", "s"),  # the level "3", not the number
        ("partly", "s"),
    ]
    weight = sheet.cell(row=2, column=headers.index("weight") + 1)
    assert (weight.value, weight.data_type) == ("0.30000000000000004", "s")
    _same_dataset(_xlsx_sheets(workbook(dataset)), dataset)


def test_the_columns_sheet_describes_every_column_in_the_schemas_words(
    example_book: openpyxl.Workbook,
) -> None:
    rows = list(example_book[COLUMNS_SHEET].iter_rows(values_only=True))
    assert rows[0] == COLUMN_FIELDS
    described = {(row[0], row[1]): dict(zip(COLUMN_FIELDS, row, strict=True)) for row in rows[1:]}
    assert list(described) == [
        (sheet.name, column.header) for sheet in LAYOUT for column in sheet.columns
    ]
    definitions = _document("definitions")["$defs"]
    kind = described[("actors", "kind")]
    assert kind["meaning"] == definitions["Actor"]["properties"]["kind"]["description"]
    assert kind["allowed_values"] == ", ".join(definitions["Actor"]["properties"]["kind"]["enum"])
    assert (kind["type"], kind["required"]) == ("one of the allowed values", "yes")
    by = described[("recommendations", "by")]
    assert by["type"] == "list of ids, joined by '; '"
    assert by["refers_to"] == "each an id in column id of sheet actors"
    level = described[("assessments", "level")]
    assert str(level["allowed_values"]).startswith(
        "a level of the scale in column scale: editors-status: regressing, not-met, "
        "partially-met, met; ogp-completion: not-started, limited"
    )
    assert described[("indicators", "baseline/value")]["required"] == (
        "when any baseline/ column is filled"
    )
    assert described[("gates_conditions", "count")]["required"] == "for kind at-least"
    assert described[("evidence", "date")]["type"] == "date, as text: YYYY, YYYY-MM or YYYY-MM-DD"


# -- CSV -------------------------------------------------------------------------------------


def test_csv_export_writes_a_new_folder_with_a_file_per_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "tables"
    assert main(["export", str(EXAMPLE), "--format", "csv", "-o", str(folder)]) == 0
    assert capsys.readouterr() == ("", "")
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted([f"{sheet.name}.csv" for sheet in LAYOUT] + ["columns.csv"])
    assert [path.name for path in tmp_path.iterdir()] == ["tables"]  # no staging folder left
    raw = (folder / "evidence.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,source,date,benchmarks,direction,summary,")
    assert b"\r\n" in raw
    with (folder / "evidence.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    dataset = load_dataset(EXAMPLE)
    assert len(rows) == len(dataset.evidence) + 1
    expected = tables(dataset)[[s.name for s in LAYOUT].index("evidence")].rows
    assert rows[1:] == [["" if cell is None else str(cell) for cell in row] for row in expected]


@given(valid_datasets())
def test_every_field_of_a_valid_dataset_reads_back_from_its_csv_cells(dataset: Dataset) -> None:
    _same_dataset(_csv_sheets(csv_files(dataset)), dataset)


# Any generated dataset (not only valid ones) reads back from its workbook and its CSV files:
# tests/test_import_tables.py, one property per format, at least 500 examples each.


# -- refusals --------------------------------------------------------------------------------


def test_export_refuses_to_write_a_table_over_a_file_of_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = EXAMPLE / "areas.yaml"
    before = target.read_bytes()
    assert main(["export", str(EXAMPLE), "--format", "xlsx", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"{str(target)!r} is the dataset's data file" in err
    assert "add --force" in err
    assert target.read_bytes() == before
    assert main(["export", str(EXAMPLE), "--format", "csv", "-o", str(EXAMPLE)]) == 2
    assert "already exists; --format csv writes a new folder" in capsys.readouterr().err


def test_csv_export_refuses_a_folder_that_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep", "utf-8")
    assert main(["export", str(EXAMPLE), "--format", "csv", "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"benchmarkkit export: error: {str(tmp_path / 'out')!r} already exists; --format csv "
        "writes a new folder, whole: give the name of a folder that does not exist yet\n"
    )
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["mine.txt"]


def test_a_workbook_replaces_a_file_outside_the_dataset_as_json_does(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    target.write_bytes(b"old")
    assert main(["export", str(EXAMPLE), "-o", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "dataset"


def test_a_workbook_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(EXAMPLE), "--format", "xlsx"]) == 2
    assert capsys.readouterr() == (
        "",
        "benchmarkkit export: error: --format xlsx writes a file: give it with -o FILE\n",
    )


def test_a_workbook_without_the_spreadsheets_extra_names_the_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # as if it were not installed
    assert main(["export", str(EXAMPLE), "-o", str(tmp_path / "b.xlsx")]) == 2
    assert capsys.readouterr().err == f"benchmarkkit export: error: {MISSING_EXTRA}\n"
    assert MISSING_EXTRA == (
        "benchmarkkit export --format xlsx needs the spreadsheets extra: "
        "pip install 'benchmarkkit[spreadsheets]'"
    )
    assert not (tmp_path / "b.xlsx").exists()


def test_an_invalid_dataset_is_not_exported_as_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.yaml").write_text(
        'schema_version: "1.1"\nid: d\ntitle: T\nareas: [{id: a, title: A}, {id: a, title: B}]\n',
        "utf-8",
    )
    out = tmp_path / "out"
    assert main(["export", str(tmp_path / "bad.yaml"), "--format", "csv", "-o", str(out)]) == 1
    assert "duplicate-id" in capsys.readouterr().err
    assert not out.exists()
