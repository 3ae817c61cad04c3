"""The hand-written reference pages cover everything they describe.

The Python API page is checked against the exports in tests/test_public_api.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

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
