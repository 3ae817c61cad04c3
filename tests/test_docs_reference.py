"""The hand-written reference pages cover everything they describe."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
API_PAGE = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
PUBLIC_MODULES = ("benchmarkkit", "benchmarkkit.scoring", "benchmarkkit.reports")


def _documented() -> set[str]:
    """The names api.md documents: each autodoc directive's, and all of a module's members."""
    names = set(
        re.findall(
            r"^\.\. auto(?:class|function|data|exception|attribute):: (\S+)$",
            API_PAGE,
            flags=re.MULTILINE,
        )
    )
    for module_name, options in re.findall(
        r"^\.\. automodule:: (\S+)\n((?:   :\S+:.*\n)*)", API_PAGE, flags=re.MULTILINE
    ):
        if ":members:" in options:
            module = importlib.import_module(module_name)
            names.update(f"{module_name}.{name}" for name in module.__all__)
    return names


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_is_in_the_api_reference(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if f"{module_name}.{name}" not in _documented()]
    assert missing == [], f"add them to docs/reference/api.md: {missing}"


def test_the_api_reference_documents_only_public_names() -> None:
    public = {
        f"{module_name}.{name}"
        for module_name in PUBLIC_MODULES
        for name in importlib.import_module(module_name).__all__
    }
    assert sorted(_documented() - public) == []


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


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_name_a_package_exports_imports_from_where_it_is_listed(module_name: str) -> None:
    # The lazy-export tables are written out by hand: a name they list must exist.
    module = importlib.import_module(module_name)
    listed = {name for names in getattr(module, "_EXPORTS", {}).values() for name in names}
    missing = [name for name in sorted({*module.__all__, *listed}) if not hasattr(module, name)]
    assert missing == []
