"""The examples in docs/scoring.md run, and give the numbers the page shows."""

from __future__ import annotations

import doctest
from pathlib import Path

from benchmarkkit.scoring._registry import RULES

DOCS = Path(__file__).resolve().parents[1] / "docs" / "scoring.md"


def test_the_scoring_documentation_examples_hold() -> None:
    try:
        failed, attempted = doctest.testfile(
            str(DOCS),
            module_relative=False,
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
            raise_on_error=False,
            verbose=False,
        )
    finally:
        RULES.unregister("assessed-or-zero")
    assert attempted > 20
    assert failed == 0
