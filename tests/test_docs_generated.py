"""The generated reference pages match what the code and the schemas say today."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from tests.conftest import ROOT


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_reference", ROOT / "docs" / "generate_reference.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@pytest.mark.parametrize("page", sorted(generate.PAGES))
def test_generated_page_is_up_to_date(page: str) -> None:
    if page == "reference/cli-help.md" and sys.version_info[:2] != (3, 11):
        pytest.skip("argparse formats help differently across Python versions; generated on 3.11")
    on_disk = (ROOT / "docs" / page).read_text(encoding="utf-8")
    assert on_disk == generate.PAGES[page](), "run: python docs/generate_reference.py"


def test_every_problem_code_is_documented() -> None:
    from benchmarkkit import CODES

    page = (ROOT / "docs" / "reference" / "problem-codes.md").read_text(encoding="utf-8")
    assert [code for code in CODES if f"### `{code}`" not in page] == []
