"""Mapped imports: what the rows of a table become, and where their problems are reported."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from benchmarkkit._mapping import MappedImport, import_table
from benchmarkkit._mapping._values import slug, stable_id

HEADERS = ["To", "Text", "From", "Response", "Action", "Issue", "Session"]

MAPPING = """\
mapping_version: "1.0"
dataset: {id: upr-sample, title: UPR sample}
add:
  sources:
    - {id: upr-info-database, title: UPR Info database, kind: report}
actors:
  kind: state
  aliases: {"Iran (Islamic Republic of)": Iran}
  ids: {Kazakhstan: kz}
lookups:
  sessions:
    key: [Session]
    rows: {"14": {start: "2012-10-22"}, "28": {start: "2017-11-06"}}
records:
  - collection: recommendations
    id: {prefix: "upr-", from: [Session, To, Text]}
    fields:
      text: {column: Text}
      by: {column: From, actor: true}
      to: {column: To, actor: true}
      mechanism: {value: upr}
      session: {column: Session}
      date: {lookup: sessions, field: start}
      source: {value: upr-info-database}
      themes: {column: Issue, split: ","}
      classifications:
        - scheme: {value: upr-info-action}
          value: {column: Action}
      responses:
        - by: {column: To, actor: true}
          position: {column: Response, map: {Accepted: supported, Noted: noted}}
"""

ROW = [
    "Kazakhstan",
    "Ratify the Optional Protocol",
    "France",
    "Accepted",
    "4",
    "Women's rights",
    "14",
]


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _run(
    rows: list[list[Any]],
    mapping: str = MAPPING,
    headers: list[str] = HEADERS,
    **options: Any,
) -> MappedImport:
    with Path("upr.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([headers, *rows])
    Path("m.yaml").write_text(mapping, encoding="utf-8")
    return import_table("upr.csv", "m.yaml", **options)


def _errors(result: MappedImport) -> list[str]:
    return [f"{p.location}: {p.code} {p.message}" for p in result.problems if p.severity == "error"]


def _recommendations(result: MappedImport) -> list[dict[str, Any]]:
    assert result.document is not None
    found: list[dict[str, Any]] = result.document["recommendations"]
    return found


def _row(**changes: str) -> list[str]:
    values = dict(zip(HEADERS, ROW, strict=True))
    values.update(changes)
    return [values[header] for header in HEADERS]


# -- one row, several records ---------------------------------------------------------------


def test_one_row_makes_a_recommendation_its_response_and_the_actors_it_names() -> None:
    result = _run([ROW])
    assert _errors(result) == []
    assert result.document == {
        "schema_version": "1.1",
        "id": "upr-sample",
        "title": "UPR sample",
        "sources": [{"id": "upr-info-database", "title": "UPR Info database", "kind": "report"}],
        "actors": [  # in the order the row names them: by, then to
            {"id": "france", "name": "France", "kind": "state"},
            {"id": "kz", "name": "Kazakhstan", "kind": "state"},
        ],
        "recommendations": [
            {
                "id": stable_id("upr-", ["14", "Kazakhstan", "Ratify the Optional Protocol"]),
                "text": "Ratify the Optional Protocol",
                "by": ["france"],
                "to": "kz",
                "mechanism": "upr",
                "session": 14,
                "date": "2012-10-22",
                "source": "upr-info-database",
                "themes": ["Women's rights"],
                "classifications": [{"scheme": "upr-info-action", "value": "4"}],
                "responses": [{"by": "kz", "position": "supported"}],
            }
        ],
    }
    assert result.dataset is not None
    assert result.dataset.recommendations[0].session == 14
    summary = result.summary.lines()
    assert summary[:2] == [
        "rows: 1 read, 1 kept, 0 merged into a record an earlier row made",
        "records: 1 made from the rows, 2 actors created; 4 added, 0 updated, 0 unchanged",
    ]


def test_each_value_knows_its_cell() -> None:
    result = _run([ROW])
    cells = result.cells
    assert cells["/recommendations/0/text"].name == "upr!B2"
    assert cells["/recommendations/0/text"].header == "Text"
    assert cells["/recommendations/0/responses/0/position"].name == "upr!D2"
    assert cells["/recommendations/0/by/0"].name == "upr!C2"
    assert cells["/recommendations/0"].name == "upr!A2"
    assert "/sources/0" not in cells  # an added record comes from the mapping, not a cell


def test_dataset_problems_of_imported_records_are_reported_at_their_cells() -> None:
    result = _run(
        [_row(Session="14"), _row(Text="Another", Session="0")],
        mapping=MAPPING.replace('"14": {start', '"0": {start: "2012-10-22"}, "14": {start'),
    )
    assert _errors(result) == [
        (
            "upr.csv:upr!G3 (Session): out-of-range recommendation "
            f"'{stable_id('upr-', ['0', 'Kazakhstan', 'Another'])}': 'session' must be at least 1, "
            "found 0"
        )
    ]
    error = next(p for p in result.problems if p.severity == "error")
    assert (error.sheet, error.row, error.header, error.cell) == ("upr", 3, "Session", "upr!G3")
    assert result.dataset is None


def test_a_problem_in_an_added_record_is_located_in_the_mapping() -> None:
    result = _run([ROW], mapping=MAPPING.replace("kind: report", "kind: database"))
    assert [(p.file, p.line, p.code) for p in result.problems if p.severity == "error"] == [
        ("m.yaml", 5, "invalid-value")
    ]


# -- values ---------------------------------------------------------------------------------


def test_a_value_the_map_lacks_is_an_error_at_its_cell_unless_kept_or_left_empty() -> None:
    rows = [ROW, _row(Text="Second", Response="Accepted in part")]
    assert _errors(_run(rows)) == [
        (
            "upr.csv:upr!D3 (Response): value-not-mapped 'Accepted in part' is not one of the "
            "values the mapping's `map` knows ('Accepted' or 'Noted'); add it to the map, or set "
            "`unmapped: keep` or `unmapped: empty`"
        )
    ]
    empty = _run(rows, mapping=MAPPING.replace("Noted: noted}", "Noted: noted}, unmapped: empty"))
    assert _recommendations(empty)[1]["responses"] == [{"by": "kz"}]
    # A response needs its position: the dataset's own problem, at the position's cell.
    assert [(p.code, p.cell) for p in empty.problems if p.severity == "error"] == [
        ("missing-field", "upr!D3")
    ]
    kept = _run(
        [_row(Response="pending")],
        mapping=MAPPING.replace("Noted: noted}", "Noted: noted}, unmapped: keep"),
    )
    assert _recommendations(kept)[0]["responses"] == [{"by": "kz", "position": "pending"}]


def test_map_keys_match_stripped_then_ignoring_case() -> None:
    result = _run([_row(Response=" accepted "), _row(Text="Two", Response="NOTED")])
    assert [r["responses"][0]["position"] for r in _recommendations(result)] == [
        "supported",
        "noted",
    ]


def test_split_strips_items_and_drops_empty_ones_keeping_table_order() -> None:
    result = _run([_row(Issue=" Rights of the Child ,, Women's rights,")])
    assert _recommendations(result)[0]["themes"] == ["Rights of the Child", "Women's rights"]


def test_a_constant_is_the_value_as_a_dataset_writes_it() -> None:
    mapping = MAPPING.replace(
        'themes: {column: Issue, split: ","}', "themes: {value: [UPR, Treaties]}"
    )
    assert _recommendations(_run([ROW], mapping=mapping))[0]["themes"] == ["UPR", "Treaties"]


def test_an_empty_cell_leaves_the_field_out() -> None:
    result = _run([_row(Issue="", Action="")])
    record = _recommendations(result)[0]
    assert "themes" not in record
    assert "classifications" not in record  # its one value from the row is empty


def test_actors_by_alias_by_id_given_and_by_slug() -> None:
    result = _run(
        [
            _row(From="Iran (Islamic Republic of)"),
            _row(Text="Two", From="  iran  "),
            _row(Text="Three", From="Côte d'Ivoire"),
            _row(Text="Four", From="United Kingdom of Great Britain and Northern Ireland"),
        ]
    )
    assert result.document is not None
    assert result.document["actors"] == [
        {"id": "iran", "name": "Iran", "kind": "state"},
        {"id": "kz", "name": "Kazakhstan", "kind": "state"},
        {"id": "cote-d-ivoire", "name": "Côte d'Ivoire", "kind": "state"},
        {
            "id": "united-kingdom-of-great-britain-and-northern-ireland",
            "name": "United Kingdom of Great Britain and Northern Ireland",
            "kind": "state",
        },
    ]
    assert [r["by"] for r in _recommendations(result)] == [
        ["iran"],
        ["iran"],
        ["cote-d-ivoire"],
        ["united-kingdom-of-great-britain-and-northern-ireland"],
    ]


def test_a_name_without_latin_letters_gets_a_stable_id() -> None:
    assert slug("中国") == stable_id("actor-", ["中国"])
    assert slug("中国").startswith("actor-")


# -- stable ids and merged rows --------------------------------------------------------------


def test_the_same_row_gives_the_same_id_on_every_run_and_a_different_column_another() -> None:
    first = _recommendations(_run([ROW]))[0]["id"]
    again = _recommendations(_run([ROW]))[0]["id"]
    assert first == again == "upr-" + stable_id("", ["14", "Kazakhstan", ROW[1]])
    spaced = _recommendations(_run([_row(Text="  Ratify  the Optional\nProtocol ")]))
    assert spaced[0]["id"] == first  # white space is not a difference
    other = _recommendations(_run([_row(Session="28")]))[0]["id"]
    assert other != first


def test_rows_that_agree_on_the_identifying_columns_are_one_record() -> None:
    result = _run(
        [
            _row(From="France", Issue="Women's rights"),
            _row(From="Germany", Issue="Rights of the Child,Women's rights"),
            _row(From="France"),
        ]
    )
    assert _errors(result) == []
    (record,) = _recommendations(result)
    assert record["by"] == ["france", "germany"]
    assert record["themes"] == ["Women's rights", "Rights of the Child"]
    assert record["responses"] == [{"by": "kz", "position": "supported"}]  # not repeated
    assert result.summary.merged_rows == 2
    assert result.cells["/recommendations/0/by/1"].name == "upr!C3"
    assert result.cells["/recommendations/0/themes/1"].name == "upr!F3"


def test_rows_of_one_record_that_disagree_are_an_error_at_the_later_row_naming_the_first() -> None:
    result = _run([_row(Action="4"), _row(From="Germany", Action="4")])
    record = _recommendations(result)[0]["id"]
    # Rows of one record making the same classifications agree; a single field must agree too:
    assert _errors(result) == []
    mapping = MAPPING.replace("      themes:", "      paragraph: {column: Action}\n      themes:")
    result = _run([_row(Action="4"), _row(From="Germany", Action="5")], mapping=mapping)
    assert _errors(result) == [
        (
            f"upr.csv:upr!E3 (Action): rows-disagree this row makes the same recommendation "
            f"{record!r} as row 2 (upr!E2), but gives its paragraph as '5' where row 2 gives '4'; "
            "rows that make one record must agree: correct one of them, or add the column that "
            "tells them apart to the id's `from` columns"
        ),
        (
            f"upr.csv:upr!E3 (Action): rows-disagree this row makes the same recommendation "
            f"{record!r} as row 2 (upr!E2), but gives its classifications[0].value as '5' where "
            "row 2 gives '4'; rows that make one record must agree: correct one of them, or add "
            "the column that tells them apart to the id's `from` columns"
        ),
    ]


def test_an_id_from_a_column_and_a_row_without_one() -> None:
    mapping = MAPPING.replace('{prefix: "upr-", from: [Session, To, Text]}', "{column: Action}")
    result = _run([ROW, _row(Text="Two", Action="")], mapping=mapping)
    assert _errors(result) == [
        (
            "upr.csv:upr!E3 (Action): record-without-id this row has no id in the column the "
            "mapping takes a recommendation's id from, so it makes no recommendation; fill the "
            "cell in, or leave the row out with `keep`"
        )
    ]
    result = _run([ROW], mapping=mapping)
    assert _recommendations(result)[0]["id"] == "4"


# -- lookups ---------------------------------------------------------------------------------


def test_a_key_the_lookup_lacks_is_an_error_at_the_key_cell_unless_missing_is_empty() -> None:
    assert _errors(_run([_row(Session="15")])) == [
        (
            "upr.csv:upr!G2 (Session): lookup-missing the lookup 'sessions' has no row '15'; add "
            "it to the lookup, or give the lookup `missing: empty` to leave its fields out"
        )
    ]
    empty = _run(
        [_row(Session="15")],
        mapping=MAPPING.replace("key: [Session]", "key: [Session]\n    missing: empty"),
    )
    # Without a date the recommendation is not valid: reported at the row.
    assert [p.code for p in empty.problems if p.severity == "error"] == ["missing-field"]
    assert next(p for p in empty.problems if p.code == "missing-field").cell == "upr!A2"


def test_a_lookup_from_a_file_beside_the_mapping_with_a_composite_key() -> None:
    Path("sessions.yaml").write_text(
        "'14|Kazakhstan': {start: '2012-10-22'}\n'14|Kyrgyzstan': {start: '2012-10-23'}\n",
        encoding="utf-8",
    )
    mapping = MAPPING.replace(
        '    key: [Session]\n    rows: {"14": {start: "2012-10-22"}, "28": {start: "2017-11-06"}}',
        "    key: [Session, To]\n    file: sessions.yaml",
    )
    result = _run([ROW, _row(To="Kyrgyzstan")], mapping=mapping)
    assert _errors(result) == []
    assert [r["date"] for r in _recommendations(result)] == ["2012-10-22", "2012-10-23"]


# -- which rows and columns -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "kept"),
    [
        ("{column: To, is: Kazakhstan}", ["Kazakhstan", "Kazakhstan"]),
        ("{column: To, is_not: Kazakhstan}", ["Kyrgyzstan"]),
        ("{column: Session, in: [28, 99]}", ["Kazakhstan"]),
        ("{column: Session, not_in: [14]}", ["Kazakhstan"]),
        ("{column: To, in: [Kyrgyzstan]}", ["Kyrgyzstan"]),
        ("{column: Text, matches: '^R'}", ["Kazakhstan", "Kyrgyzstan"]),
        ("{column: Issue, filled: true}", ["Kazakhstan", "Kyrgyzstan"]),
        ("{column: Issue, filled: false}", ["Kazakhstan"]),
    ],
)
def test_keep_conditions_choose_the_rows(condition: str, kept: list[str]) -> None:
    rows = [ROW, _row(To="Kyrgyzstan"), _row(Text="Abolish", Session="28", Issue="")]
    result = _run(rows, mapping=MAPPING + f"keep: [{condition}]\n")
    assert _errors(result) == []
    names = {a["id"]: a["name"] for a in (result.document or {})["actors"]}
    assert [names[r["to"]] for r in _recommendations(result)] == kept
    assert (result.summary.rows_read, result.summary.rows_kept) == (3, len(kept))


def test_columns_neither_read_nor_ignored_are_listed_in_one_info_problem() -> None:
    headers = [*HEADERS, "To-Rgrp", "Notes"]
    result = _run([[*ROW, "EEG", ""]], headers=headers)
    (info,) = [p for p in result.problems if p.code == "columns-not-mapped"]
    assert (info.severity, info.cell) == ("info", "upr!A1")
    assert info.message.startswith(
        "the mapping reads nothing from the columns 'To-Rgrp', 'Notes'; map them"
    )
    ignored = _run(
        [[*ROW, "EEG", ""]], headers=headers, mapping=MAPPING + "ignore: [To-Rgrp, Notes]\n"
    )
    assert [p for p in ignored.problems if p.code == "columns-not-mapped"] == []


def test_the_sheet_and_header_row_of_a_workbook() -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook("upr.xlsx")
    book.add_worksheet("Notes").write(0, 0, "not this one")
    sheet = book.add_worksheet("Recommendations")
    sheet.write_row(0, 0, ["UPR Info export, 2024"])
    sheet.write_row(2, 0, HEADERS)
    sheet.write_row(3, 0, [*ROW[:6], 14])
    book.close()
    Path("m.yaml").write_text(MAPPING + "table: {sheet: Recommendations, header_row: 3}\n", "utf-8")
    result = import_table("upr.xlsx", "m.yaml")
    assert _errors(result) == []
    assert result.cells["/recommendations/0/session"].name == "Recommendations!G4"
    other = import_table("upr.xlsx", "m.yaml", sheet="Notes")
    assert {p.code for p in other.problems} == {"mapping-unknown-column"}
    assert other.problems[0].message == (
        "the column 'Session' is not in upr.xlsx (sheet 'Notes'); its row 3 holds no headers "
        "(is `table: header_row` right?)"
    )


# -- messy tables ----------------------------------------------------------------------------


def test_messy_rows_read_with_their_obvious_meaning() -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    book = xlsxwriter.Workbook("upr.xlsx")
    sheet = book.add_worksheet("Sheet1")
    # Trailing spaces in headers, a header twice (the first is read), an empty row,
    # a cell with line breaks, numbers typed as numbers where the field is text.
    sheet.write_row(
        0, 0, ["To ", " Text", "From", "Response", "Action", "Issue", "Session ", "From"]
    )
    sheet.write_row(
        1, 0, ["Kazakhstan", "Ratify\r\nthe Protocol", "France", "Accepted", 4, "", 14, "x"]
    )
    sheet.write_row(3, 0, ["Kazakhstan", "Second", "France", "Noted", 5.0, "", 14.0, "y"])
    book.close()
    Path("m.yaml").write_text(MAPPING + "ignore: [From]\n", "utf-8")
    result = import_table("upr.xlsx", "m.yaml")
    assert _errors(result) == []
    records = _recommendations(result)
    assert [r["text"] for r in records] == ["Ratify\nthe Protocol", "Second"]
    assert [r["classifications"][0]["value"] for r in records] == ["4", "5"]  # text, not 4.0
    assert [r["session"] for r in records] == [14, 14]  # a whole number field
    assert [r["by"] for r in records] == [["france"], ["france"]]
    assert result.summary.rows_read == 2
    assert result.cells["/recommendations/1/session"].name == "Sheet1!G4"


def test_a_header_written_twice_is_a_warning_at_the_second_naming_the_first() -> None:
    result = _run([[*ROW, "Germany"]], headers=[*HEADERS, " From"])
    assert [
        f"{p.location}: {p.severity} {p.code} {p.message}"
        for p in result.problems
        if p.code == "duplicate-header"
    ] == [
        (
            "upr.csv:upr!H1 (From): warning duplicate-header the header 'From' is on this column "
            "and on upr!C1; the mapping reads the first, upr!C1, never this one: rename one of "
            "them, or list the header under `ignore` if neither is read"
        )
    ]
    assert _recommendations(result)[0]["by"] == ["france"]


def test_the_mapping_s_encoding_reads_a_csv_file_and_encoding_given_wins() -> None:
    with Path("upr.csv").open("w", newline="", encoding="cp1252") as file:
        csv.writer(file).writerows([HEADERS, _row(From="Côte d\u2019Ivoire")])
    Path("m.yaml").write_text(MAPPING + "table: {encoding: cp1252}\n", encoding="utf-8")
    result = import_table("upr.csv", "m.yaml")
    assert result.document is not None
    assert result.document["actors"][0]["name"] == "Côte d\u2019Ivoire"
    assert result.summary.lines()[-1] == "encoding: cp1252 (given)"
    wrong = import_table("upr.csv", "m.yaml", encoding="utf-8")
    assert wrong.summary.lines()[-1] == "encoding: utf-8 (given)"
    assert {p.code for p in wrong.problems if p.severity == "error"} == {"cell-not-decodable"}
