"""The UPR Info mapping serves the database, and imports its sample table as documented.

``examples/upr-info`` holds a mapping for the UPR Info database's export of UPR
recommendations (``mapping.yaml``), its lookup tables (``upr-sessions.yaml``,
``upr-reports.yaml``), a small table in the export's shape with the quirks real exports
have (``recommendations.csv``), and the dataset the mapping makes of it (``dataset/``).
These tests hold the lookups to the whole database (every session held so far, every
response word, every State), check the sample's quirks are still there, and import the
sample through the real command: joint recommendations merged, the filter to one State,
and the committed dataset reproduced byte for byte. What a row should become is worked
out here from the table with the csv module, independently of the importer.
"""

from __future__ import annotations

import csv
import datetime as dt
import filecmp
import io
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit._mapping import import_table
from benchmarkkit._vocabulary import UPR_POSITIONS, Position
from benchmarkkit.cli import main
from tests.conftest import ROOT, max_examples

EXAMPLE = ROOT / "examples" / "upr-info"
MAPPING = EXAMPLE / "mapping.yaml"
TABLE = EXAMPLE / "recommendations.csv"
COMMITTED = EXAMPLE / "dataset"
HOW_TO = ROOT / "docs" / "how-to" / "import-upr-recommendations.md"

#: Every word the UPR Info database has used in its Response column, in its own case:
#: today's two, the UN's own words some rows carry, and the older words of the first
#: cycle and of answers still to come.
DATABASE_RESPONSES = (
    "Accepted",
    "Noted",
    "Supported",
    "Enjoys the support",
    "Not accepted",
    "Not supported",
    "Partially accepted",
    "Partially supported",
    "Rejected",
    "Pending",
    "Considered",
    "To be examined",
    "Will be examined",
    "No response",
    "General response",
)
#: The sessions of each cycle: the first cycle's twelve, then fourteen a cycle.
CYCLE_STARTS = {1: 1, 2: 13, 3: 27, 4: 41}
#: The last session held by the end of December 2026 (session 54 is planned for 2027).
LATEST_SESSION = 53


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mapping() -> dict[str, Any]:
    data: dict[str, Any] = _yaml(MAPPING)
    return data


def _recommendations_spec(mapping: dict[str, Any]) -> dict[str, Any]:
    (spec,) = (r for r in mapping["records"] if r["collection"] == "recommendations")
    fields: dict[str, Any] = spec["fields"]
    return fields


def _table() -> list[dict[str, str]]:
    """The sample's rows, read with the csv module; headers stripped."""
    text = TABLE.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [name.strip() for name in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _actor_id(mapping: dict[str, Any], name: str) -> str:
    actors = mapping["actors"]
    name = actors["aliases"].get(name, name)
    identifier: str = actors["ids"][name]
    return identifier


def _words(text: str) -> str:
    return " ".join(text.split())


def _expected(mapping: dict[str, Any], rows: list[dict[str, str]]) -> dict[tuple[str, ...], Any]:
    """(session, to, text) -> the States that made it, in table order, worked out by hand."""
    expected: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        key = (row["Session"], row["To"], _words(row["Text"]))
        by = expected.setdefault(key, [])
        state = _actor_id(mapping, row["From"])
        if state not in by:
            by.append(state)
    return expected


# -- The lookups serve the whole database ------------------------------------------


def test_every_session_held_so_far_has_its_dates_in_order_without_gaps() -> None:
    sessions = _yaml(EXAMPLE / "upr-sessions.yaml")
    assert list(sessions) == [str(number) for number in range(1, LATEST_SESSION + 1)]
    previous_end = dt.date(2008, 1, 1)
    for number, row in sessions.items():
        start, end = dt.date.fromisoformat(row["start"]), dt.date.fromisoformat(row["end"])
        assert previous_end < start <= end, f"session {number}: {start} to {end}"
        assert 7 <= (end - start).days <= 16, f"session {number} lasts {end - start}"
        cycle = max(c for c, first in CYCLE_STARTS.items() if first <= int(number))
        assert row["cycle"] == cycle, f"session {number}"
        previous_end = end
    assert previous_end <= dt.date(2026, 12, 31)


def test_every_response_word_of_the_database_maps_to_a_position(
    mapping: dict[str, Any],
) -> None:
    words = _recommendations_spec(mapping)["responses"][0]["position"]["map"]
    assert sorted(words) == sorted(DATABASE_RESPONSES)
    for word, position in words.items():
        assert Position(position), word
        # The UPR's own words map as benchmarkkit maps them everywhere else.
        assert UPR_POSITIONS.get(word.lower(), Position(position)) == Position(position), word


def test_every_un_member_state_and_observer_has_a_stable_id(mapping: dict[str, Any]) -> None:
    ids = mapping["actors"]["ids"]
    aliases = mapping["actors"]["aliases"]
    assert len(ids) == 193 + 2
    assert len(set(ids.values())) == len(ids)
    assert all(re.fullmatch("[a-z]{2}", identifier) for identifier in ids.values())
    assert {"Holy See": "va", "State of Palestine": "ps", "Kazakhstan": "kz"}.items() <= ids.items()
    # Every alias stands for a name with an id, and no name is both.
    assert set(aliases.values()) <= set(ids)
    assert not set(aliases) & set(ids)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Turkey", "Türkiye"),
        ("Czech Republic", "Czechia"),
        ("The former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("Swaziland", "Eswatini"),
        ("Cape Verde", "Cabo Verde"),
        ("Libyan Arab Jamahiriya", "Libya"),
        ("Iran", "Iran (Islamic Republic of)"),
        (
            "Democratic People\N{RIGHT SINGLE QUOTATION MARK}s Republic of Korea",
            "Democratic People's Republic of Korea",
        ),
    ],
)
def test_renamed_states_and_short_forms_are_one_actor(
    mapping: dict[str, Any], old: str, new: str
) -> None:
    assert _actor_id(mapping, old) == _actor_id(mapping, new)


def test_the_sample_has_the_quirks_of_real_exports() -> None:
    raw = TABLE.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    lines = raw.split(b"\r\n")
    assert len(lines) == len(_table()) + 2  # every row ends CRLF; the last line is empty
    header = next(csv.reader([lines[0].decode("utf-8-sig")]))
    assert "Issue " in header  # a header with a trailing space
    rows = _table()
    assert any("\n" in row["Text"] for row in rows)  # a quoted cell with a line break
    assert any("\N{LEFT DOUBLE QUOTATION MARK}" in row["Text"] for row in rows)
    assert {"Türkiye", "Côte d'Ivoire"} <= {row["To"] for row in rows} | {
        row["From"] for row in rows
    }
    names = {row["From"] for row in rows}
    assert {"Turkey", "Czech Republic", "Czechia", "Iran", "Swaziland"} <= names
    assert any("," in row["Issue"] for row in rows)
    assert len({row["To"] for row in rows}) >= 4
    assert 30 <= len(rows) <= 60


# -- The sample imports -------------------------------------------------------------


def _import(table: Path, mapping: Path, out: Path, *options: str) -> int:
    return main(["import", str(table), "--mapping", str(mapping), "-o", str(out), *options])


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("upr") / "dataset"
    assert _import(TABLE, MAPPING, out) == 0
    return out


def _notes(path: Path) -> dict[str, int]:
    """The problems validation finds in ``path``, by code; only the info ones are expected."""
    report = benchmarkkit.validate(path)
    assert [str(p) for p in report.problems if p.severity != "info"] == []
    return dict(Counter(p.code for p in report.problems))


def test_the_sample_imports_to_a_valid_dataset(imported: Path) -> None:
    # Imported recommendations stand beside no benchmark yet: an info note each.
    assert _notes(imported) == {"unlinked-recommendation": 26}


def test_the_import_says_what_it_read_and_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(TABLE, MAPPING, tmp_path / "upr") == 0
    printed = capsys.readouterr()
    assert printed.err.splitlines() == [
        "rows: 42 read, 42 kept, 16 merged into a record an earlier row made",
        "records: 26 made from the rows, 36 actors created; 64 added, 0 updated, 0 unchanged",
        "encoding: utf-8 (bom)",
        f"wrote {tmp_path / 'upr'}: 37 actors, 1 source, 26 recommendations",
    ]
    assert printed.out.splitlines()[-1] == f"{TABLE}: valid, with 0 errors, 0 warnings, 26 info"


def test_joint_rows_become_one_recommendation_made_by_all_their_states(
    mapping: dict[str, Any], imported: Path
) -> None:
    dataset = benchmarkkit.load_dataset(imported)
    sessions = _yaml(EXAMPLE / "upr-sessions.yaml")
    expected = _expected(mapping, _table())
    made = {(str(r.session), r.to, _words(r.text)): list(r.by) for r in dataset.recommendations}
    by_to = {(s, _actor_id(mapping, to), text): by for (s, to, text), by in expected.items()}
    assert made == by_to
    assert len(dataset.recommendations) < len(_table())
    # Three States made the abolition recommendation to Kazakhstan in 2014.
    (death,) = (
        r
        for r in dataset.recommendations
        if r.session == 20 and r.to == "kz" and "Second Optional Protocol" in r.text
    )
    assert death.by == ("me", "uy", "au")
    assert [(c.scheme, c.value, c.label) for c in death.classifications] == [
        ("upr-info-action", "5", "Specific action")
    ]
    assert [(r.by, r.position) for r in death.responses] == [("kz", Position.NOTED)]
    assert death.themes == ("Death penalty", "International instruments")
    assert (str(death.date), death.cycle, death.document) == (
        sessions["20"]["start"],
        2,
        "A/HRC/28/10",
    )


def test_every_response_word_of_the_sample_maps(mapping: dict[str, Any], imported: Path) -> None:
    dataset = benchmarkkit.load_dataset(imported)
    words = _recommendations_spec(mapping)["responses"][0]["position"]["map"]
    expected = {(row["Session"], _words(row["Text"])): row["Response"] for row in _table()}
    got = {(str(r.session), _words(r.text)): r.responses for r in dataset.recommendations}
    for key, word in expected.items():
        assert [str(response.position) for response in got[key]] == [words[word]], key
    assert {row["Response"] for row in _table()} >= {"Rejected", "General response", "Pending"}


def test_states_get_their_ids_and_names_as_the_database_spells_them(imported: Path) -> None:
    dataset = benchmarkkit.load_dataset(imported)
    actors = {a.id: (a.name, str(a.kind)) for a in dataset.actors}
    assert actors["tr"] == ("Türkiye", "state")
    assert actors["mk"] == ("North Macedonia", "state")
    assert actors["ci"] == ("Côte d'Ivoire", "state")
    assert actors["va"] == ("Holy See", "state")
    assert actors["upr-info"] == ("UPR Info", "ngo")
    assert not {"turkey", "czech-republic", "czechia"} & set(actors)


def test_a_review_without_a_known_report_imports_without_a_document(imported: Path) -> None:
    dataset = benchmarkkit.load_dataset(imported)
    documents = {(r.to, r.session): r.document for r in dataset.recommendations}
    assert documents[("tr", 35)] is None
    assert documents[("kz", 7)] == "A/HRC/14/10"


def test_the_committed_dataset_is_what_the_mapping_makes_of_the_sample(imported: Path) -> None:
    written = sorted(p.relative_to(imported) for p in imported.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(COMMITTED) for p in COMMITTED.rglob("*") if p.is_file())
    assert written == committed
    _, mismatch, errors = filecmp.cmpfiles(imported, COMMITTED, written, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert _notes(COMMITTED) == {"unlinked-recommendation": 26}


def test_the_filter_to_kazakhstan_keeps_only_its_rows(
    mapping: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "upr-info"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("dataset"))
    kazakhstan = folder / "kazakhstan.yaml"
    kazakhstan.write_text(
        MAPPING.read_text(encoding="utf-8") + "keep:\n  - {column: To, is: Kazakhstan}\n",
        encoding="utf-8",
    )
    assert _import(folder / "recommendations.csv", kazakhstan, tmp_path / "kz") == 0
    dataset = benchmarkkit.load_dataset(tmp_path / "kz")
    rows = [row for row in _table() if row["To"] == "Kazakhstan"]
    assert {r.to for r in dataset.recommendations} == {"kz"}
    made = {
        (str(r.session), "Kazakhstan", _words(r.text)): list(r.by) for r in dataset.recommendations
    }
    assert made == _expected(mapping, rows)
    # Only the States in Kazakhstan's rows, and the database's publisher, are actors.
    named = {_actor_id(mapping, row["From"]) for row in rows} | {"kz", "upr-info"}
    assert {a.id for a in dataset.actors} == named


def test_a_blank_response_gives_a_recommendation_without_a_response(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(TABLE.read_text(encoding="utf-8-sig"))))
    # The row of a recommendation only one State made: blank its Response cell.
    once = Counter((row["Session"], row["To"], row["Text"]) for row in rows)
    blanked = next(row for row in rows if once[row["Session"], row["To"], row["Text"]] == 1)
    assert blanked["Response"]
    blanked["Response"] = ""
    table = tmp_path / "blank.csv"
    with table.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = import_table(table, MAPPING)
    assert [str(p) for p in result.problems if p.severity == "error"] == []
    assert result.dataset is not None
    made = {(str(r.session), r.text): r for r in result.dataset.recommendations}
    assert made[blanked["Session"], blanked["Text"]].responses == ()
    # Every other recommendation keeps its response.
    others = [r for key, r in made.items() if key != (blanked["Session"], blanked["Text"])]
    assert all(len(r.responses) == 1 for r in others)


def _spellings(mapping: dict[str, Any]) -> dict[str, list[str]]:
    """Each name with an id -> every way the mapping lets a table spell it."""
    spellings: dict[str, list[str]] = {name: [name] for name in mapping["actors"]["ids"]}
    for alias, name in mapping["actors"]["aliases"].items():
        spellings[name].append(alias)
    return spellings


def _recommendations(table: Path) -> dict[str, tuple[frozenset[str], Any]]:
    """id -> (the States that made it, everything else), from an import of ``table``."""
    result = import_table(table, MAPPING)
    assert result.dataset is not None, [str(p) for p in result.problems]
    return {r.id: (frozenset(r.by), attrs.evolve(r, by=())) for r in result.dataset.recommendations}


@settings(max_examples=max_examples(300))
@given(order=st.permutations(range(len(_table()))), data=st.data())
def test_row_order_and_spellings_of_states_do_not_change_the_recommendations(
    order: list[int], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    mapping = _yaml(MAPPING)
    spellings = _spellings(mapping)
    rows = _table()
    header = TABLE.read_bytes().decode("utf-8-sig").split("\r\n", 1)[0]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for index in order:
        row = dict(rows[index])
        name = mapping["actors"]["aliases"].get(row["From"], row["From"])
        row["From"] = data.draw(st.sampled_from(spellings[name]), label=f"From of row {index}")
        writer.writerow(row.values())
    table = tmp_path_factory.mktemp("shuffled") / "recommendations.csv"
    table.write_text(header + "\r\n" + out.getvalue(), encoding="utf-8")
    assert _recommendations(table) == _recommendations(TABLE)
