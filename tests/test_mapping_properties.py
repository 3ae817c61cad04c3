"""Properties of mapped imports: ids and merged records do not depend on row order or the run."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit._mapping import MappedImport, import_table
from benchmarkkit._save import save_dataset
from tests.conftest import max_examples
from tests.test_mapping import HEADERS, MAPPING

NAMES = ["Kazakhstan", "France", "Germany", "Iran (Islamic Republic of)", "Brazil", "Côte d'Ivoire"]
TEXTS = ["Ratify the Optional Protocol", "Abolish the death penalty", "Protect  journalists"]
ISSUES = ["Women's rights", "Rights of the Child", "Death penalty", "Torture"]

rows = st.lists(
    st.builds(
        lambda to, text, by, issues, session: [
            to,
            text,
            by,
            "Accepted" if len(text) % 2 else "Noted",  # one response per recommendation
            str(len(text) % 5 + 1),
            ",".join(issues),
            session,
        ],
        st.sampled_from(NAMES[:2]),
        st.sampled_from(TEXTS),
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(ISSUES), max_size=3),
        st.sampled_from(["14", "28"]),
    ),
    min_size=1,
    max_size=12,
)


@contextmanager
def _folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _import(folder: Path, table: list[list[str]], **options: Any) -> MappedImport:
    with (folder / "upr.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([HEADERS, *table])
    (folder / "m.yaml").write_text(MAPPING, encoding="utf-8")
    return import_table(folder / "upr.csv", folder / "m.yaml", **options)


def _as_sets(result: MappedImport) -> dict[str, dict[str, Any]]:
    """Each record by id, its lists as sets: what must not depend on the order of rows."""
    assert result.document is not None
    found = {}
    for collection in ("recommendations", "actors"):
        for record in result.document.get(collection, ()):
            found[record["id"]] = {
                key: frozenset(json.dumps(v, sort_keys=True) for v in value)
                if isinstance(value, list)
                else value
                for key, value in record.items()
            }
    return found


@settings(max_examples=max_examples(300))
@given(rows, st.randoms(use_true_random=False))
def test_ids_and_merged_records_do_not_depend_on_the_order_of_rows(
    table: list[list[str]], random: Any
) -> None:
    shuffled = list(table)
    random.shuffle(shuffled)
    with _folder() as one, _folder() as other:
        first = _import(one, table)
        again = _import(one, table)
        reordered = _import(other, shuffled)
    assert [p for p in first.problems if p.severity == "error"] == []
    assert first.document == again.document  # the same input, the same dataset, every run
    assert _as_sets(first) == _as_sets(reordered)
    keys = {(row[6], row[0], " ".join(row[1].split())) for row in table}
    assert len(first.document["recommendations"]) == len(keys)  # type: ignore[index]


@settings(max_examples=max_examples(200))
@given(rows)
def test_importing_a_table_again_into_its_own_result_changes_nothing(
    table: list[list[str]],
) -> None:
    with _folder() as folder:
        first = _import(folder, table)
        assert first.dataset is not None
        save_dataset(first.dataset, folder / "dataset", layout="folder")
        again = _import(folder, table, into=folder / "dataset")
        assert [p for p in again.problems if p.severity == "error"] == []
        assert (again.summary.added, again.summary.updated) == (0, 0)
        assert again.dataset == first.dataset


#: Rows whose response and action are drawn apart from the rest, so rows of one
#: recommendation (the same session, State and text) can disagree on them.
free_rows = st.lists(
    st.builds(
        lambda to, text, by, response, action, session: [
            to,
            text,
            by,
            response,
            action,
            "Torture",
            session,
        ],
        st.sampled_from(NAMES[:2]),
        st.sampled_from(TEXTS[:2]),
        st.sampled_from(NAMES),
        st.sampled_from(["Accepted", "Noted"]),
        st.sampled_from(["1", "2"]),
        st.sampled_from(["14", "28"]),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=max_examples(200))
@given(free_rows)
def test_rows_of_one_record_disagreeing_on_a_nested_record_are_each_reported(
    table: list[list[str]],
) -> None:
    expected = set()
    first_rows: dict[tuple[str, str, str], list[str]] = {}
    for number, row in enumerate(table, start=2):
        first = first_rows.setdefault((row[6], row[0], row[1]), row)
        expected |= {(number, column) for column in (3, 4) if row[column] != first[column]}
    with _folder() as folder:
        result = _import(folder, table)
    found = {p.cell for p in result.problems if p.code == "rows-disagree"}
    assert found == {f"upr!{'ABCDE'[column]}{row}" for row, column in expected}
    if not expected:
        assert result.dataset is not None
        for record in result.document["recommendations"]:  # type: ignore[index]
            assert len(record["responses"]) == len(record["classifications"]) == 1


@settings(max_examples=max_examples(200))
@given(rows, st.randoms(use_true_random=False))
def test_the_rows_in_any_order_imported_into_the_first_result_change_nothing(
    table: list[list[str]], random: Any
) -> None:
    shuffled = list(table)
    random.shuffle(shuffled)
    with _folder() as folder:
        first = _import(folder, table)
        assert first.dataset is not None
        save_dataset(first.dataset, folder / "dataset", layout="folder")
        again = _import(folder, shuffled, into=folder / "dataset")
        assert [p for p in again.problems if p.severity == "error"] == []
        assert (again.summary.added, again.summary.updated) == (0, 0)
        assert again.dataset == first.dataset
