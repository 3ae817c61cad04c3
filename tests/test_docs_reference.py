"""The hand-written reference pages cover everything they describe.

The Python API page is checked against the exports in tests/test_public_api.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from benchmarkkit._scales import BUILTIN_SCALES
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def _properties(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "properties" and isinstance(value, dict):
                yield from value
            yield from _properties(value)
    elif isinstance(node, list):
        for item in node:
            yield from _properties(item)


def test_the_scorecard_reference_documents_every_field() -> None:
    schema = json.loads(
        (ROOT / "src" / "benchmarkkit" / "schemas" / "scorecard.schema.json").read_text()
    )
    page = (DOCS / "reference" / "scorecard.md").read_text(encoding="utf-8")
    missing = sorted({name for name in _properties(schema) if f"| `{name}` |" not in page})
    assert missing == []


def test_every_page_is_listed_in_the_index() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if "_build" not in path.parts and path.name != "index.md"
    )
    assert [page for page in pages if f"]({page})" not in index] == []


def test_the_status_scales_how_to_lists_every_built_in_scale_with_its_levels() -> None:
    """The how-to's table of built-in scales is BUILTIN_SCALES, row for row."""
    page = (ROOT / "docs" / "how-to" / "status-scales.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (`.+) \|$", page, flags=re.MULTILINE)
    table = {}
    for scale_id, cells in rows:
        levels = re.findall(r"`([a-z-]+)` \(([0-9/.]+)\)", cells)
        table[scale_id] = [(level, float(Fraction(value))) for level, value in levels]
    expected = {
        scale.id: [(level.id, level.value) for level in scale.levels]
        for scale in BUILTIN_SCALES.values()
    }
    assert table.keys() == expected.keys()
    for scale_id, levels in expected.items():
        assert [name for name, _ in table[scale_id]] == [name for name, _ in levels], scale_id
        for (_, shown), (_, value) in zip(table[scale_id], levels, strict=True):
            assert abs(shown - value) < 1e-9, scale_id
    number = ("One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight")[len(expected) - 1]
    assert f"{number} scales from the field are built in." in page
