"""Round trips: typed value -> JSON data -> typed value, and file -> dataset -> the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import Dataset, dump_dataset, load_dataset, save_dataset, structure, unstructure
from tests.strategies import datasets, records


@pytest.mark.parametrize("cls", list(records), ids=lambda cls: cls.__name__)
def test_structure_of_unstructure_is_identity(cls: type) -> None:
    @given(records[cls])
    def check(value: Any) -> None:
        assert structure(unstructure(value), cls) == value

    check()


def _load_unchecked(path: Path) -> Dataset:
    return load_dataset(path, checks=(), plugins=False)


def _save_unchecked(dataset: Dataset, path: Path, **options: Any) -> list[Path]:
    """Save a generated dataset, whose records need not agree with each other (references)."""
    return save_dataset(dataset, path, checks=(), plugins=False, **options)


@given(datasets, st.sampled_from(["json", "yaml"]))
def test_saved_file_loads_to_an_equal_dataset(dataset: Dataset, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"dataset.{fmt}"
        _save_unchecked(dataset, path)
        assert _load_unchecked(path) == dataset


@given(datasets, st.sampled_from(["json", "yaml"]), st.sampled_from(["file", "folder"]))
def test_save_load_save_is_byte_identical(dataset: Dataset, fmt: str, layout: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "first" / (f"dataset.{fmt}" if layout == "file" else "")
        second = Path(tmp) / "second" / (f"dataset.{fmt}" if layout == "file" else "")
        written = _save_unchecked(dataset, first, fmt=fmt, layout=layout)
        _save_unchecked(_load_unchecked(first), second, fmt=fmt, layout=layout)
        for path in written:
            twin = second / path.relative_to(first) if layout == "folder" else second
            assert twin.read_bytes() == path.read_bytes()


def test_dump_is_deterministic_and_ends_with_a_newline() -> None:
    dataset = Dataset(id="d", title="Título «with» quotes")
    for fmt in ("json", "yaml"):
        assert fmt in ("json", "yaml")
        text = dump_dataset(dataset, fmt)
        assert text == dump_dataset(dataset, fmt)
        assert text.endswith("\n")
        assert not text.endswith("\n\n")


def test_yaml_output_starts_with_the_schema_version_and_keeps_field_order() -> None:
    text = dump_dataset(Dataset(id="d", title="T", subject="S"))
    assert text == "schema_version: '1.1'\nid: d\ntitle: T\nsubject: S\n"


def _is_plain_json(value: Any) -> bool:
    if type(value) in (str, int, float, bool) or value is None:
        return True
    if type(value) is list:
        return all(_is_plain_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _is_plain_json(item) for key, item in value.items())
    return False


@given(datasets)
def test_unstructured_data_holds_only_plain_json_types(dataset: Dataset) -> None:
    assert _is_plain_json(unstructure(dataset))


@given(datasets)
def test_a_generated_dataset_saves_by_default_exactly_when_it_would_load(dataset: Dataset) -> None:
    from benchmarkkit import DEFAULT_CHECKS, SaveError, validate

    # What a save checks by default: every check but the archived texts, found beside the file.
    checks = tuple(c for c in DEFAULT_CHECKS if c.__name__ != "check_sources_and_quotes")
    would_load = validate(dataset, checks=checks).valid
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dataset.json"
        problems: tuple[Any, ...] = ()
        try:
            save_dataset(dataset, path)
        except SaveError as error:
            problems = error.problems
        assert (not problems, path.exists()) == (would_load, would_load)
        if would_load:
            assert load_dataset(path, checks=checks) == dataset
